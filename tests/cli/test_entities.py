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
def test_list_pages_on_a_terminal(backend: str) -> None:
    """The seed corpus's 59 entities, by name: a page of 50, the rest with --offset."""
    ok("seed")
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
