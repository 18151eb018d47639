import pytest

from tests.helpers import HOSTILE_QUERIES, ok


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_any_string_is_a_valid_query(corpus: dict[str, int], query: str) -> None:
    result = ok("search", "--json", "--", query)
    assert isinstance(result.json(), list)


def test_search_finds_claims_and_quotes(corpus: dict[str, int]) -> None:
    def ids(query: str, *extra: str) -> list[int]:
        return [c["id"] for c in ok("search", query, *extra, "--json").json()]

    assert ids("hell") == [corpus["respond"]]  # only in the quote
    assert ids("HARD revenge") == [corpus["no_revenge"]]
    assert ids("won't") == [corpus["respond"]]  # apostrophes folded away on both sides
    assert ids("Soleiman") == [corpus["respond"]]  # prefixes match
    assert ids("SOLEIMANÍ") == [corpus["respond"]]  # case and accents folded
    assert sorted(ids("iran")) == sorted([corpus["respond"], corpus["no_revenge"]])
    assert len(ids("iran", "--limit", "1")) == 1
    assert ids("iran AND nothingmatches") == []
    claim = ok("search", "hell", "--json").json()[0]
    assert {"id", "text", "kind", "verdict", "appearances"} <= set(claim)


def test_search_follows_edits(corpus: dict[str, int]) -> None:
    ok("claim", "edit", str(corpus["respond"]), "--text", "Tehran would retaliate")
    assert [c["id"] for c in ok("search", "tehran", "--json").json()] == [corpus["respond"]]
    assert ok("db", "check").exit_code == 0


def test_log_shows_who_changed_what(corpus: dict[str, int]) -> None:
    ok("--as", "bob", "verdict", "set", str(corpus["respond"]), "false")
    entries = ok("log", "--json").json()
    assert entries[0]["actor"] == "bob"
    assert (entries[0]["table"], entries[0]["action"]) == ("verdicts", "insert")
    assert entries[0]["new"]["claim_id"] == corpus["respond"]
    assert [e["id"] for e in entries] == sorted((e["id"] for e in entries), reverse=True)
    assert len(ok("log", "--limit", "2", "--json").json()) == 2
    assert ok("log", "--actor", "bob", "--json").json() == entries[:1]
    assert "insert verdicts" in ok("log").stdout


def test_log_rejects_unknown_tables() -> None:
    from tests.helpers import fails

    result = fails("log", "--table", "claim")
    assert "no table 'claim' in the history" in result.stderr
    assert "claims" in result.stderr


def test_a_limited_search_ranks_the_newest_matches(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --limit, only the newest RANK_WINDOW matches are ranked (see docs/design.md); without
    one, or with a limit beyond the window, every match is."""
    from factcheck.services import search

    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    ok("source", "add", "--title", "A source", "--key", "s")
    best = int(ok("claim", "add", "Drone, drone, drone.", "--source", "s").stdout)
    newer = [
        int(
            ok(
                "claim",
                "add",
                f"Report {n} on a drone strike, among many other words.",
                "--source",
                "s",
            ).stdout
        )
        for n in range(5)
    ]

    def ids(*args: str) -> list[int]:
        return [c["id"] for c in ok("search", "--json", "drone", *args).json()]

    everything = ids()
    assert everything[0] == best
    assert sorted(everything) == [best, *newer]
    limited = ids("--limit", "2")
    assert len(limited) == 2
    assert set(limited) <= set(newer[-3:])
    assert ids("--limit", "10") == everything
