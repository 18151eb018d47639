from pathlib import Path

from tests.helpers import dump, fails, ok


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
