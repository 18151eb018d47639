from pathlib import Path

import pytest

from tests.helpers import HOSTILE_QUERIES, dump, fails, listed, more, ok


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


@pytest.mark.parametrize(
    "name",
    [
        "alice\n#999 2020-01-01 00:00 root delete claims 1",
        "\x1b[31mred",
        "tab\there",
        "c1 \x9b",
        "del\x7f",
    ],
)
def test_a_name_to_act_as_with_a_control_character_is_refused(
    db_path: Path, corpus: dict[str, int], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A newline in the name every history row records would forge lines in `log`, an escape
    sequence restyle the terminal: refused, from --as, FACTCHECK_USER or the login name."""
    before = dump(db_path)
    edit = ["claim", "edit", str(corpus["respond"]), "--kind=fact"]
    assert "(--as) contains the control character" in fails(f"--as={name}", *edit).stderr
    monkeypatch.setenv("FACTCHECK_USER", name)
    assert "(FACTCHECK_USER) contains" in fails(*edit).stderr
    monkeypatch.delenv("FACTCHECK_USER")
    monkeypatch.setenv("LOGNAME", name)
    assert "(the login name) contains" in fails(*edit).stderr
    assert dump(db_path) == before
    monkeypatch.setenv("FACTCHECK_USER", "tester")
    ok("--as=Zoë O'Brien-Smith [desk]", *edit)
    assert ok("log", "--limit=1", "--json").json()[0]["actor"] == "Zoë O'Brien-Smith [desk]"


def test_a_name_recorded_with_a_newline_stays_on_its_line(
    db_path: Path, corpus: dict[str, int]
) -> None:
    """History written before names were checked (or by another program) shows on one line."""
    from factcheck.db.database import Database
    from factcheck.db.engine import resolve_url
    from factcheck.schemas import ClaimEdit
    from factcheck.services.claims import edit_claim

    forged = "alice\n#999 2020-01-01 00:00 root delete claims 1"
    database = Database(resolve_url(), forged)
    with database.store(write=True) as store:
        edit_claim(store, corpus["respond"], ClaimEdit(kind="opinion"))
    database.close()
    assert ok("log", "--json").json()[0]["actor"] == forged
    heads = [line for line in ok("log").stdout.splitlines() if line.startswith("#")]
    assert heads[0].split()[3] == "alice\\x0a#999"
    assert len(heads) == len(ok("log", "--json").json())


@pytest.mark.usefixtures("terminal")
def test_log_pages_on_a_terminal(corpus: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("factcheck.cli.paging.PAGE_SIZE", 3)
    entries = [e["id"] for e in ok("log", "--json").json()]
    assert len(entries) > 6

    def shown(*args: str) -> tuple[list[int], str]:
        result = ok("log", *args)
        return [int(line[1:].split()[0]) for line in result.stdout.splitlines()
                if line.startswith("#")], result.stderr  # fmt: skip

    assert shown() == (entries[:3], more(len(entries) - 3, "changes", 3))
    assert shown("--offset", "3", "--limit", "2") == (
        entries[3:5],
        more(len(entries) - 5, "changes", 5),
    )
    assert shown("--all") == (entries, "")
    assert shown("--offset", "999") == ([], "No changes at --offset 999.\n")
    assert [e["id"] for e in ok("log", "--json", "--offset", "2").json()] == entries[2:]


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
    # The pages after the window: the older matches, newest first, each match once.
    pages = [ids("--limit", "2", "--offset", str(offset)) for offset in (0, 2, 4)]
    assert pages[0] == limited
    assert sorted(pages[0] + pages[1][:1]) == newer[-3:]
    assert pages[1][1:] + pages[2] == [newer[1], newer[0], best]


@pytest.mark.usefixtures("terminal")
def test_search_pages_on_a_terminal(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The terminal's page of a search is ranked within the window as --limit's is, and says
    how many more match; --all and --json rank every match."""
    from factcheck.services import search

    monkeypatch.setattr(search, "RANK_WINDOW", 2)
    monkeypatch.setattr("factcheck.cli.paging.PAGE_SIZE", 2)
    ok("source", "add", "--title", "A source", "--key", "s")
    best = int(ok("claim", "add", "Drone, drone, drone.", "--source", "s").stdout)
    for n in range(3):
        ok("claim", "add", f"Report {n} on a drone strike, among many other words.", "-s", "s")
    everything = [c["id"] for c in ok("search", "drone", "--json").json()]
    assert everything[0] == best and len(everything) == 4
    first = ok("search", "drone")
    assert best not in listed(first.stdout)
    assert first.stderr == more(2, "claims", 2)
    second = ok("search", "drone", "--offset", "2")
    assert (listed(second.stdout)[-1], second.stderr) == (best, "")
    assert sorted(listed(first.stdout) + listed(second.stdout)) == sorted(everything)
    assert listed(ok("search", "drone", "--all").stdout) == everything
    nothing = ok("search", "nothingmatches")
    assert (listed(nothing.stdout), nothing.stderr) == ([], "No claims.\n")
