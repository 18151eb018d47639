"""Mistakes can be undone: deleting claims, appearances, sources and entities, merging entities,
removing spellings; each says what goes, asks on a terminal, takes `--yes` in a script, and
leaves every removed row in `factcheck log`."""

from pathlib import Path

import pytest

from tests.helpers import dump, fails, ok, run_cli


@pytest.fixture
def asking(monkeypatch: pytest.MonkeyPatch) -> None:
    """A person at a terminal answers the question."""
    monkeypatch.setattr("factcheck.cli.removal.interactive", lambda: True)


def _claim_ids() -> list[int]:
    return [c["id"] for c in ok("claim", "list", "--json").json()]


def _deleted(table: str) -> list[dict[str, object]]:
    """The old values of the rows of `table` the history says were deleted, newest first."""
    changes = ok("log", "--table", table, "--json").json()
    return [c["old"] for c in changes if c["action"] == "delete"]


def test_claim_delete_takes_everything_of_the_claim_and_logs_it(
    backend: str, corpus: dict[str, int]
) -> None:
    claim, other = str(corpus["respond"]), str(corpus["no_revenge"])
    ok("verdict", "set", claim, "false", "--evidence", "revenge", "--note", "no strike")
    ok("link", claim, other, "--relation", "contradicts")
    ok("entity", "add", "Afshon Ostovar", "--kind", "person")
    ok("claim", "edit", claim, "--entity", "Afshon Ostovar")
    removal = ok("claim", "delete", claim, "--yes", "--json").json()
    assert removal == {
        "what": f"claim {claim}",
        "rows": {
            "claims": 1,
            "appearances": 1,
            "verdicts": 1,
            "verdict_evidence": 1,
            "links": 1,
            "claim_entities": 1,
            "claim_tags": 1,
        },
    }
    assert _claim_ids() == [corpus["no_revenge"]]
    assert "no claim" in fails("claim", "show", claim).stderr
    # The search index forgets the claim (its words and its quote's).
    assert ok("search", "hell", "--json").json() == []
    assert [c["id"] for c in ok("search", "revenge", "--json").json()] == [corpus["no_revenge"]]
    assert ok("db", "check", "--json").json()["ok"] is True
    # Every row that went is in the history, with what it held.
    assert _deleted("claims")[0]["text"] == "Iran will respond to the killing of Soleimani"
    assert _deleted("verdicts")[0]["note"] == "no strike"
    assert len(_deleted("verdict_evidence")) == 1
    assert len(_deleted("links")) == 1
    assert "chance in hell" in str(_deleted("appearances")[0]["quote"])
    text = ok("log", "--table", "claims", "--limit", "1").stdout
    assert f"delete claims {claim}" in text and "Iran will respond" in text
    # The entity stays; only its mention went.
    assert ok("entity", "show", "Afshon Ostovar", "--json").json()["claims"] == 0


def test_without_a_terminal_nothing_is_removed_without_yes(
    db_path: Path, corpus: dict[str, int]
) -> None:
    ok("entity", "add", "Daesh", "--alias", "ISIS")
    before = dump(db_path)
    claim = str(corpus["respond"])
    for args in (
        ("claim", "delete", claim),
        ("claim", "uncite", claim, "1"),
        ("source", "delete", "politico", "--cascade"),
        ("entity", "delete", "Daesh"),
        ("entity", "unalias", "Daesh", "ISIS"),
    ):
        error = fails(*args).stderr
        assert "nobody here to confirm it" in error and "--yes" in error, args
    assert (
        "not removed: claim 1 (claims 1, appearances 1, claim_tags 1)"
        in fails("claim", "delete", claim).stderr
    )
    assert dump(db_path) == before


@pytest.mark.usefixtures("asking")
def test_on_a_terminal_it_says_what_goes_and_asks(db_path: Path, corpus: dict[str, int]) -> None:
    claim = str(corpus["respond"])
    before = dump(db_path)
    declined = run_cli("claim", "delete", claim, input="n\n")
    assert declined.exit_code == 1
    assert "This removes claim 1 (claims 1, appearances 1, claim_tags 1)." in declined.stderr
    assert "Error: nothing removed" in declined.stderr
    assert dump(db_path) == before
    accepted = ok("claim", "delete", claim, input="y\n")
    assert accepted.stdout.endswith("Removed claim 1 (claims 1, appearances 1, claim_tags 1).\n")
    assert _claim_ids() == [corpus["no_revenge"]]


def test_uncite_removes_one_appearance(db_path: Path, corpus: dict[str, int]) -> None:
    claim = str(corpus["respond"])
    second = ok("claim", "cite", claim, "--source", "revenge", "--quote", "hard revenge",
                "--json").json()["appearance_id"]  # fmt: skip
    first = ok("claim", "show", claim, "--json").json()["appearances"][0]["id"]
    assert "claim 1 has no appearance" in fails("claim", "uncite", claim, "999", "--yes").stderr
    assert (
        "has no appearance"
        in fails("claim", "uncite", str(corpus["no_revenge"]), str(first), "--yes").stderr
    )
    removal = ok("claim", "uncite", claim, str(first), "--yes").stdout
    assert removal == f"Removed appearance {first} of claim {claim} (appearances 1).\n"
    shown = ok("claim", "show", claim, "--json").json()
    assert [a["id"] for a in shown["appearances"]] == [second]
    # The search index holds the remaining quote only.
    assert ok("search", "hell", "--json").json() == []
    assert ok("db", "check", "--json").json()["ok"] is True
    assert _deleted("appearances")[0]["id"] == first


def test_source_delete_refused_while_claims_depend_on_it(
    backend: str, corpus: dict[str, int]
) -> None:
    shared = str(corpus["respond"])
    ok("claim", "cite", shared, "--source", "revenge", "--quote", "hard revenge")
    error = fails("source", "delete", "politico", "--yes").stderr
    assert "source 'politico' has 1 appearance(s) of 1 claim(s)" in error
    assert "--cascade" in error
    removal = ok("source", "delete", "revenge", "--cascade", "--yes", "--json").json()
    # The claim that appeared only there goes; the one also in politico stays, less one quote.
    assert removal == {
        "what": "source 'revenge'",
        "rows": {
            "claims": 1,
            "appearances": 2,
            "claim_tags": 1,
            "sources": 1,
            "source_versions": 1,
        },
    }
    assert _claim_ids() == [corpus["respond"]]
    assert len(ok("claim", "show", shared, "--json").json()["appearances"]) == 1
    assert [s["key"] for s in ok("source", "list", "--json").json()] == ["politico"]
    assert _deleted("sources")[0]["key"] == "revenge"
    assert ok("db", "check", "--json").json()["ok"] is True


def test_source_a_remaining_verdict_rests_on_stays(db_path: Path, corpus: dict[str, int]) -> None:
    ok("verdict", "set", str(corpus["respond"]), "false", "--evidence", "revenge")
    before = dump(db_path)
    error = fails("source", "delete", "revenge", "--cascade", "--yes").stderr
    assert f"source 'revenge' is evidence of verdict(s) 1 (claim {corpus['respond']})" in error
    assert dump(db_path) == before
    # Once the claim whose verdict rests on it is gone, the source can go.
    ok("claim", "delete", str(corpus["respond"]), "--yes")
    ok("source", "delete", "revenge", "--cascade", "--yes")


def test_a_source_nothing_cites_goes_without_cascade(corpus: dict[str, int]) -> None:
    ok("source", "add", "--title", "Spare", "--key", "spare")
    assert ok("source", "delete", "spare", "--yes").stdout == (
        "Removed source 'spare' (sources 1).\n"
    )
    assert "no source 'spare'" in fails("source", "delete", "spare", "--yes").stderr
