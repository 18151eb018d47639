"""`factcheck search` finds what the researcher means: a name finds every spelling of it, the
claims mentioning its entity and the claims its claimant made; the filters of `claim list`;
words split at punctuation on both backends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import dump, fails, listed, more, ok

TEXT = (
    "Officials said Suleimani was killed by a drone near Baghdad airport. Florida.And you did "
    "this and/or that, see http://www.example.com/a/b for details."
)


def _ids(query: str, *extra: str) -> list[int]:
    return [c["id"] for c in ok("search", "--json", *extra, "--", query).json()]


def _claim(text: str, *extra: str) -> int:
    return int(ok("claim", "add", text, "--source", "a", *extra).stdout)


# The claims `named` adds, by the ids a new database gives them.
NAMED = {"typed": 1, "spelt": 2, "full": 3, "mentions": 4, "said": 5, "apart": 6, "other": 7,
         "drone_mention": 8, "later": 9}  # fmt: skip


def _named(db: str) -> None:
    def claim(text: str, *extra: str, source: str = "a") -> int:
        return int(ok("--db", db, "claim", "add", text, "--source", source, *extra).stdout)

    ok("--db", db, "source", "add", "--title", "An article", "--key", "a", "--published",
       "2020-01")  # fmt: skip
    ok("--db", db, "source", "add", "--title", "A later one", "--key", "b", "--published",
       "2021-01-03")  # fmt: skip
    ok("--db", db, "entity", "add", "Qassem Soleimani", "--kind", "person", "--alias",
       "Suleimani", "--alias", "Soleimeini")  # fmt: skip
    ok("--db", db, "entity", "add", "Baghdad", "--kind", "place")
    ids = {
        "typed": claim("Suleimani was killed by a drone."),
        "spelt": claim("Soleimeini had planned the attacks."),
        "full": claim("General Qassem Soleimani led the Quds Force."),
        "mentions": claim("The general's death shook the region.", "--entity", "Suleimani"),
        "said": claim("Iran will take hard revenge.", "--claimant", "QASSEM SOLEIMANI"),
        "apart": claim("Qassem met a man called Soleimani."),  # the words, not the name
        "other": claim("A drone strike hit a convoy in Baghdad."),
        "drone_mention": claim("The strike used a drone.", "--entity", "Qassem Soleimani"),
        "later": claim("Soleimeini's successor vowed revenge.", source="b"),
    }
    assert ids == NAMED


@pytest.fixture
def named(backend: str, filled: Callable[[Callable[[str], None]], None]) -> dict[str, int]:
    """Claims that name Qassem Soleimani in several ways, on either backend (a copy of a
    template built once per test process)."""
    filled(_named)
    return dict(NAMED)


def test_a_name_finds_every_spelling_mention_and_claimant(named: dict[str, int]) -> None:
    found = _ids("suleimani")
    # Text matches first, ranked; then the claims found through a mention or their claimant,
    # newest first.
    in_text = {named[k] for k in ("typed", "spelt", "full", "later")}
    assert set(found[:4]) == in_text
    assert found[4:] == [named["drone_mention"], named["said"], named["mentions"]]
    # Any spelling of the name, in any case, accents or apostrophes, finds the same claims.
    for spelling in ("SOLEIMEINI", "Suléimani"):
        assert sorted(_ids(spelling)) == sorted(found), spelling
    # The other spellings match as phrases: "Qassem ... Soleimani" apart is not the name, but
    # the words typed match anywhere, as any word does.
    assert named["apart"] not in found
    for spelling in ("Qassem Soléimani", "qassem-soleimani"):
        assert sorted(_ids(spelling)) == sorted([*found, named["apart"]]), spelling


def test_a_name_and_other_words(named: dict[str, int]) -> None:
    # Every other word must be in the text; the name is one term, met in any of its ways.
    assert _ids("drone Soleimeini") == [named["typed"], named["drone_mention"]]
    assert _ids("Soleimeini nothingmatches") == []
    # Two names: each is met (Baghdad in the text, Soleimani by a mention or spelling).
    assert _ids("Baghdad Suleimani") == []
    ok("claim", "edit", str(named["other"]), "--entity", "Suleimani")
    assert _ids("Baghdad Suleimani") == [named["other"]]


def test_a_claimant_is_a_name_without_an_entity(backend: str) -> None:
    ok("source", "add", "--title", "An article", "--key", "a")
    said = _claim("Iran will respond within days.", "--claimant", "Afshon Ostovar")
    _claim("Iran will not respond.")
    assert _ids("Afshon Ostovar") == [said]
    assert _ids("afshon-ostovar iran") == [said]
    assert _ids("Ostovar") == []  # a claimant's name is its whole name


def test_search_filters(named: dict[str, int]) -> None:
    assert _ids("suleimani", "--source", "b") == [named["later"]]
    assert _ids("suleimani", "--entity", "soleimeini") == [
        named["drone_mention"],
        named["mentions"],
    ]
    assert _ids("revenge", "--claimant", "Suleimani") == [named["said"]]
    assert _ids("revenge", "--claimant", "qassem soleimani") == [named["said"]]
    ok("verdict", "set", str(named["typed"]), "true")
    assert _ids("suleimani", "--verdict", "true") == [named["typed"]]
    assert named["typed"] not in _ids("suleimani", "--unreviewed")
    # Dates are the sources' published dates; a partial date is the period it names.
    assert _ids("suleimani", "--since", "2021") == [named["later"]]
    assert named["later"] not in _ids("suleimani", "--until", "2020-12-31")
    january = _ids("suleimani", "--since", "2020-01-15", "--until", "2020-01-20")
    assert sorted(january) == sorted(set(_ids("suleimani")) - {named["later"]})
    assert _ids("suleimani", "--since", "2020-02", "--until", "2020-12") == []
    # claim list has the same filters, one implementation.
    listed_ids = [c["id"] for c in ok("claim", "list", "--claimant", "Suleimani", "--json").json()]
    assert listed_ids == [named["said"]]
    later = ok("claim", "list", "--since", "2021-01-03", "--json").json()
    assert [c["id"] for c in later] == [named["later"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--entity", "Nobody"], "Error: no entity 'Nobody'"),
        (["--claimant", "Nobody"], "Error: no claimant 'Nobody'"),
        (["--since", "2020-13"], "Error: --since: invalid date '2020-13'"),
        (["--until", "yesterday"], "Error: --until: invalid date 'yesterday'"),
        (["--verdict", "sort-of"], "Error: unknown verdict label 'sort-of'"),
        (["--source", "nowhere"], "Error: no source"),
    ],
)
def test_bad_filters_are_refused(
    db_path: Path, named: dict[str, int], args: list[str], message: str
) -> None:
    before = dump(db_path) if db_path.exists() else None
    for command in (["search", "suleimani"], ["claim", "list"]):
        assert fails(*command, *args).stderr.startswith(message)
    if before is not None:
        assert dump(db_path) == before


def test_pages_run_on_from_text_matches_to_name_matches(named: dict[str, int]) -> None:
    everything = _ids("suleimani")
    assert len(everything) == 7
    pages = [_ids("suleimani", "--limit", "3", "--offset", str(n)) for n in (0, 3, 6)]
    assert [c for page in pages for c in page] == everything
    assert _ids("suleimani", "--offset", "5") == everything[5:]
    assert _ids("suleimani", "--offset", "9") == []


@pytest.mark.usefixtures("terminal")
def test_a_terminal_page_counts_name_matches(
    named: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("factcheck.cli.paging.PAGE_SIZE", 3)
    first = ok("search", "suleimani")
    assert first.stderr == more(4, "claims", 3)
    last = ok("search", "suleimani", "--offset", "6")
    assert (listed(last.stdout), last.stderr) == ([named["mentions"]], "")
    assert len(listed(ok("search", "suleimani", "--all").stdout)) == 7


def test_words_split_at_punctuation(backend: str) -> None:
    """ "florida.and", "and/or" and URLs are several words on both backends, as typed or not."""
    ok("source", "add", "--title", "An article", "--key", "a")
    claim = _claim(TEXT)
    _claim("Nothing of the sort.")
    for query in ("florida.and", "Florida", "and/or", "or that", "http://www.example.com",
                  "example.com/a", "www", "com/a/b", "airport. florida"):  # fmt: skip
        assert _ids(query) == [claim], query
    assert _ids("floridaand") == []
    assert _ids("foo_bar") == []


def test_a_long_query_of_names_and_words(named: dict[str, int]) -> None:
    """Thousands of words and names, repeated or not, are one query (SQLite refuses expressions
    more than 1,000 deep: the terms are joined as a balanced tree, a repeated name is one)."""
    for i in range(40):
        ok("entity", "add", f"Person {i} Name")
    query = " ".join(f"Suleimani drone Baghdad w{i} Person {i % 40} Name" for i in range(1500))
    assert _ids(query) == []
    assert _ids(" ".join(["Suleimani drone"] * 2000)) == [named["typed"], named["drone_mention"]]
