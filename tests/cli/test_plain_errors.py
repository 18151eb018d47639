"""Errors in the user's words, consistent validation, and clearing optional fields."""

import json
import re
from pathlib import Path

import pytest
import typer

from factcheck.cli import app
from factcheck.docs.commands import command_paths
from factcheck.vocab import MAX_INT
from tests.helpers import dump, fails, ok, run_cli

# What pydantic says and a user should never read.
PYDANTIC = ("Input should be", "Value error", "validation error", "pydantic", "type=")


@pytest.fixture
def source(db_path: Path) -> str:
    ok("source", "add", "--title", "Notes", "--key", "notes", "--url", "https://example.org/a",
       "--no-fetch")  # fmt: skip
    ok("claim", "add", "Iran will respond", "--source", "notes", "--tag", "retaliation")
    ok("entity", "add", "Qassem Soleimani")
    return "notes"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["report", "contradictions", "--status", "bogus"],
         "Error: --status: 'bogus' is not one of 'inconsistent', 'open', 'mixed'"),
        (["claim", "add", "x", "--source", "notes", "--tag", ""],
         "Error: --tag: must not be empty"),
        (["claim", "edit", "1", "--untag", " "], "Error: --untag: must not be empty"),
        (["claim", "add", "", "--source", "notes"], "Error: TEXT: must not be empty"),
        (["entity", "add", "Qaani", "--alias", ""], "Error: --alias: must not be empty"),
        (["verdict", "define", "x", "--polarity", "supported", "--value", "nan"],
         "Error: --value: must be a finite number"),
        (["source", "add", "--title", "T", "--published", "2020-13"],
         "Error: --published: invalid date '2020-13'"),
        (["source", "edit", "notes", "--clear", "title"],
         "Error: --clear: 'title' is not one of 'url', 'outlet'"),
    ],
)  # fmt: skip
def test_refused_values_name_the_option_typed(
    source: str, db_path: Path, args: list[str], said: str
) -> None:
    before = dump(db_path)
    error = fails(*args).stderr
    assert error.startswith(said), error
    assert not any(words in error for words in PYDANTIC), error
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["claim", "list", "--limit", "abc"], "'--limit' / '-n': 'abc' is not a whole number"),
        (["claim", "list", "--limit", "0"], "'--limit' / '-n': must be at least 1 (not '0')"),
        (["log", "--row", "1.5"], "'--row': '1.5' is not a whole number"),
        (["log", "--row", "-5"], "'--row': must be at least 1 (not '-5')"),
        (["claim", "show", "abc"], "'CLAIM_ID': 'abc' is not a whole number"),
        (["claim", "add", "x", "--kind", "bogus"],
         "'--kind': 'bogus' is not one of 'fact', 'prediction', 'opinion'"),
        (["suggest", "--relation", "refines"], "'--relation' / '-r': 'refines' is not one of"),
    ],
)  # fmt: skip
def test_wrong_usage_is_said_plainly_too(db_path: Path, args: list[str], said: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2, result.stderr
    assert f"Error: Invalid value for {said}" in result.stderr
    assert not any(words in result.stderr for words in PYDANTIC), result.stderr


def test_help_names_values_in_words_not_types() -> None:
    """Every command's help: `--tag TAG`, `CLAIM_ID`, never `<list[str]>`, `<str>` or
    `<int range>` (choices stay listed: `<fact|prediction|opinion>`)."""
    types = re.compile(r"<(list\[|str>|int|float|path|bool|file)")
    paths = list(command_paths(typer.main.get_command(app)))
    assert len(paths) > 40
    for path in paths:
        shown = ok(*path, "--help").stdout
        assert not types.search(shown), (path, types.search(shown))
        # The database's largest integer bounds ids and counts: not a range worth a reader's time.
        assert str(MAX_INT) not in shown and "x>=" not in shown, path
    edit = ok("claim", "edit", "--help").stdout
    assert "CLAIM_ID  Claim id." in edit and "-t, --tag TAG" in edit
    assert "--kind <fact|prediction|opinion>" in edit
    assert "CLAIM_ID  Claim id.  [required]" in ok("claim", "show", "--help").stdout
    # A range that says something stays.
    assert "0.0<=x<=1.0]" in ok("extract", "--help").stdout


def test_a_filter_on_a_tag_no_claim_has_is_an_error(source: str, db_path: Path) -> None:
    ok("claim", "add", "Iran fired missiles", "--source", "notes", "--tag", "missiles")
    ok("claim", "edit", "2", "--untag", "missiles")  # the tag is left, on no claim
    for tag in ("unknown", "missiles"):
        for args in (["report", "contradictions"], ["claim", "list"], ["suggest"]):
            error = fails(*args, "--tag", tag).stderr
            assert error.startswith(f"Error: no claim has the tag '{tag}'\nHint: tags: retaliation")
    ok("report", "contradictions", "--tag", "retaliation")


@pytest.mark.parametrize(
    "args", [["source", "edit", "notes"], ["claim", "edit", "1"], ["entity", "edit", "1"],
             ["source", "edit", "notes", "--notes", ""], ["claim", "edit", "1", "--json"]],
)  # fmt: skip
def test_an_edit_that_changes_nothing_is_refused(
    source: str, db_path: Path, args: list[str]
) -> None:
    before = dump(db_path)
    error = fails(*args).stderr
    assert error.startswith("Error: nothing to change\nHint: give a new value, or --clear FIELD")
    assert dump(db_path) == before


@pytest.mark.parametrize(
    "url",
    ["not a url", "example.org/article", "javascript:alert(1)", "ftp://example.org/a",
     "file:///etc/passwd", "https://", "data:text/html,<b>x</b>"],
)  # fmt: skip
def test_only_web_addresses_are_urls(source: str, db_path: Path, url: str) -> None:
    before = dump(db_path)
    for args in (["source", "add", "--title", "T"], ["source", "edit", "notes"]):
        error = fails(*args, "--url", url).stderr
        assert error.startswith(f"Error: --url: {url!r} is not a web address"), error
    assert dump(db_path) == before


def test_web_addresses_are_accepted(db_path: Path) -> None:
    ok("source", "add", "--title", "T", "--url", "http://example.org/a?b=1#c", "--no-fetch")
    ok("source", "edit", "1", "--url", "HTTPS://Example.org/b")
    assert ok("source", "show", "1", "--json").json()["url"] == "HTTPS://Example.org/b"


def test_the_same_document_twice_is_added_with_a_warning(db_path: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Iran vowed a hard revenge.\n", encoding="utf-8")
    first = ok("source", "add", "--title", "First", "--file", str(article), "--url",
               "https://example.org/a")  # fmt: skip
    assert first.stderr == ""
    again = ok("source", "add", "--title", "Again", "--file", str(article), "--json")
    assert again.json() == {"id": 2}
    assert again.stderr == "Warning: source 1 (first) has the same text: added twice?\n"
    same_url = ok("source", "add", "--title", "Elsewhere", "--url", "https://example.org/a",
                  "--no-fetch")  # fmt: skip
    assert same_url.stderr == "Warning: source 1 (first) has the same URL: added twice?\n"
    edited = ok("source", "edit", "3", "--file", str(article))
    assert "Warning: source 1 (first) has the same text: added twice?" in edited.stderr
    assert [s["id"] for s in ok("source", "list", "--json").json()] == [1, 2, 3]


def _updates(table: str) -> list[dict[str, object]]:
    entries = ok("log", "--table", table, "--json").json()
    return [{"old": e["old"], "new": e["new"]} for e in entries if e["action"] == "update"]


def test_optional_fields_are_cleared_with_clear_and_the_history_keeps_them(
    source: str, db_path: Path
) -> None:
    ok("source", "edit", "notes", "--author", "A. Writer", "--notes", "checked")
    ok("source", "edit", "notes", "--clear", "url", "--clear", "author", "--clear", "notes")
    shown = ok("source", "show", "notes", "--json").json()
    assert (shown["url"], shown["author"], shown["notes"], shown["title"]) == (
        None, None, None, "Notes")  # fmt: skip
    cleared = _updates("sources")[0]
    assert cleared["old"] == {"url": "https://example.org/a", "author": "A. Writer",
                              "notes": "checked"}  # fmt: skip
    assert cleared["new"] == {"url": None, "author": None, "notes": None}

    ok("claim", "edit", "1", "--notes", "to check")
    claim = json.loads(ok("claim", "edit", "1", "--clear", "notes", "--json").stdout)
    assert claim["notes"] is None
    assert _updates("claims")[0] == {"old": {"notes": "to check"}, "new": {"notes": None}}

    ok("entity", "edit", "Qassem Soleimani", "--notes", "IRGC", "--kind", "person")
    ok("entity", "edit", "Qassem Soleimani", "--clear", "notes")
    entity = ok("entity", "show", "Qassem Soleimani", "--json").json()
    assert (entity["notes"], entity["kind"]) == (None, "person")
    assert _updates("entities")[0] == {"old": {"notes": "IRGC"}, "new": {"notes": None}}


def test_a_field_given_and_cleared_is_refused(source: str, db_path: Path) -> None:
    before = dump(db_path)
    for args in (["source", "edit", "notes", "--notes", "x"], ["claim", "edit", "1", "--notes",
                 "x"], ["entity", "edit", "1", "--notes", "x"]):  # fmt: skip
        error = fails(*args, "--clear", "notes").stderr
        assert error == "Error: notes is given a new value and cleared: choose one\n"
    assert dump(db_path) == before
