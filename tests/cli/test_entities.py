from pathlib import Path

import pytest

from tests.helpers import dump, fails, listed, more, ok


def test_entities_match_any_spelling(corpus: dict[str, int]) -> None:
    soleimani = ok("entity", "add", "Qassem Soleimani", "--kind", "person", "--alias",
                   "Qassim Soleimani", "--alias", "Soleimeini").stdout.strip()  # fmt: skip
    qaani = ok("entity", "add", "Esmail Qaani", "--kind", "person", "--json").json()["id"]
    ok("entity", "alias", "esmail qaani", "Esmael Qa'ani")
    assert ok("entity", "show", "ESMAEL QAANI", "--json").json()["id"] == qaani
    assert ok("entity", "show", "qassim soleimani", "--json").json()["id"] == int(soleimani)
    claim = str(corpus["respond"])
    ok("claim", "edit", claim, "--entity", "Soleimeini")
    shown = ok("claim", "show", claim, "--json").json()
    assert shown["entities"] == ["Qassem Soleimani"]
    listed = ok("claim", "list", "--entity", "Qassim Soleimani", "--json").json()
    assert [c["id"] for c in listed] == [corpus["respond"]]
    entities = {e["name"]: e for e in ok("entity", "list", "--json").json()}
    assert entities["Qassem Soleimani"]["claims"] == 1
    assert entities["Esmail Qaani"]["aliases"] == ["Esmail Qaani", "Esmael Qa'ani"]
    ok("claim", "edit", claim, "--unentity", soleimani)
    assert ok("claim", "show", claim, "--json").json()["entities"] == []


def test_claim_add_with_entity(corpus: dict[str, int]) -> None:
    ok("entity", "add", "Kata'ib Hezbollah", "--kind", "organisation", "--alias", "KH")
    created = ok("claim", "add", "KH is an Iraqi militia", "--source", "politico",
                 "--entity", "kh", "--json").json()  # fmt: skip
    assert ok("claim", "show", str(created["id"]), "--json").json()["entities"] == [
        "Kata'ib Hezbollah"
    ]


def test_entity_errors(db_path: Path, corpus: dict[str, int]) -> None:
    ok("entity", "add", "Daesh", "--alias", "ISIS")
    before = dump(db_path)
    assert "already exists" in fails("entity", "add", "Daesh").stderr
    assert "no entity 'nobody'" in fails("entity", "show", "nobody").stderr
    assert "no entity 'nobody'" in fails("claim", "add", "X", "--source", "politico",
                                         "--entity", "nobody").stderr  # fmt: skip
    assert dump(db_path) == before


@pytest.mark.usefixtures("terminal")
@pytest.mark.usefixtures("seeded_backend")
def test_list_pages_on_a_terminal() -> None:
    """The seed corpus's 59 entities, by name: a page of 50, the rest with --offset."""
    entities = ok("entity", "list", "--json").json()
    assert len(entities) == 59
    ids = [e["id"] for e in entities]
    first = ok("entity", "list")
    assert (listed(first.stdout), first.stderr) == (ids[:50], more(9, "entities", 50))
    rest = ok("entity", "list", "--offset", "50")
    assert (listed(rest.stdout), rest.stderr) == (ids[50:], "")
    page = ok("entity", "list", "--json", "--limit", "3", "--offset", "57").json()
    assert page == entities[57:]
    assert [e["claims"] for e in page] == [len(e["claim_ids"]) for e in page]


def test_names_folding_alike_are_one_entity(db_path: Path) -> None:
    """`entity add "hassan diab"` after "Hassan Diab" made two entities, and then `--entity
    "Hassan Diab"` named several: the second is refused, with the alias to add instead."""
    diab = ok("entity", "add", "Hassan Diab", "--kind", "person").stdout.strip()
    ok("entity", "add", "Daesh")
    before = dump(db_path)
    for args in (
        ("entity", "add", "hassan diab"),
        ("entity", "add", "HASSAN DIÅB"),
        ("entity", "add", "Diab", "--alias", "Hassan  Diab"),
    ):
        error = fails(*args).stderr
        assert f"already names entity {diab} 'Hassan Diab'" in error, args
        assert f"`factcheck entity alias {diab} " in error, args
    error = fails("entity", "alias", "Daesh", "hassan diab").stderr
    assert f"'hassan diab' already names entity {diab} 'Hassan Diab'" in error
    assert f"`factcheck entity merge {diab} " in error
    assert dump(db_path) == before
    # A spelling the entity itself has is no conflict; a new one is added.
    assert ok("entity", "alias", "Hassan Diab", "hassan diab", "H. Diab", "--json").json()[
        "aliases"
    ] == ["Hassan Diab", "H. Diab"]


def test_entity_merge_moves_spellings_and_mentions(backend: str, corpus: dict[str, int]) -> None:
    respond, no_revenge = str(corpus["respond"]), str(corpus["no_revenge"])
    keep = ok("entity", "add", "Islamic Republic of Iran", "--alias", "Iran",
              "--notes", "the state", "--json").json()["id"]  # fmt: skip
    gone = ok("entity", "add", "Tehran government", "--alias", "Teheran",
              "--notes", "the government", "--json").json()["id"]  # fmt: skip
    ok("claim", "edit", respond, "--entity", str(keep), "--entity", str(gone))
    ok("claim", "edit", no_revenge, "--entity", "Teheran")
    merged = ok("entity", "merge", str(keep), "Tehran government", "--yes", "--json").json()
    assert merged["id"] == keep
    assert merged["aliases"] == [
        "Islamic Republic of Iran", "Iran", "Tehran government", "Teheran",
    ]  # fmt: skip
    assert merged["claim_ids"] == sorted([corpus["respond"], corpus["no_revenge"]])
    assert merged["notes"] == "the state\n\nthe government"
    assert ok("entity", "show", "Teheran", "--json").json()["id"] == keep
    assert ok("claim", "show", respond, "--json").json()["entities"] == ["Islamic Republic of Iran"]
    assert "no entity" in fails("entity", "show", str(gone)).stderr
    # The history has every step: the moves and what went with the merged entity.
    changes = ok("log", "--json", "--limit", "20").json()
    done = {(c["action"], c["table"]) for c in changes}
    assert {("update", "entity_aliases"), ("update", "claim_entities"),
            ("delete", "claim_entities"),
            ("delete", "entities"), ("update", "entities")} <= done  # fmt: skip
    assert "same entity" in fails("entity", "merge", "Iran", str(keep), "--yes").stderr


def test_entity_delete_and_unalias(backend: str, corpus: dict[str, int]) -> None:
    ok("entity", "add", "Daesh", "--alias", "ISIS", "--alias", "ISIL")
    claim = str(corpus["respond"])
    ok("claim", "edit", claim, "--entity", "ISIS")
    shown = ok("entity", "unalias", "Daesh", "isis", "--yes", "--json").json()
    assert shown["aliases"] == ["Daesh", "ISIL"]
    assert "no spelling 'ISIS'" in fails("entity", "unalias", "Daesh", "ISIS", "--yes").stderr
    assert "name of entity" in fails("entity", "unalias", "Daesh", "daesh", "--yes").stderr
    removal = ok("entity", "delete", "ISIL", "--yes").stdout
    assert removal == "Removed entity 1 'Daesh' (entities 1, entity_aliases 2, claim_entities 1).\n"
    assert ok("claim", "show", claim, "--json").json()["entities"] == []
    deleted = [c["old"]["alias"] for c in ok("log", "--table", "entity_aliases", "--json").json()
               if c["action"] == "delete"]  # fmt: skip
    assert sorted(deleted) == ["Daesh", "ISIL", "ISIS"]
