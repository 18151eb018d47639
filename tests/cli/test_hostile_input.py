"""Hostile strings in every text argument of every command, and malformed files.

Each case runs one command, in-process, on a copy of one prepared database, and ends one of two
ways: success, with exactly the string given stored and read back through `--json` (surrounding
whitespace stripped and blank optional values stored as NULL, as the input models document), or a
clean user error: exit 1, `Error:` (and `Hint:`) lines only, no traceback, no "unexpected" (the
CLI's wording for a bug it caught) and the database unchanged. Free text must be accepted whatever
it holds, except NUL characters and lone surrogates (not UTF-8), which must be refused.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.helpers import Result, dump, ok, run_cli

# Slow: every argument of every command times every hostile string (thousands of runs).
pytestmark = [pytest.mark.slow, pytest.mark.hostile]

# A dozen strings, each packing related tricks (every argument x every string stays fast).
HOSTILE = {
    "quotes": "'\"`\u00b4\u2018\u2019\u201a“”„«»\u2039\u203a C:\\temp\\new \\\\ \\x00",
    "sql": "'); DROP TABLE claims;-- 100% _of_ * [a-z]",
    "fts": 'NEAR(a b) AND " : OR NOT ^x -y',
    "url": "https://ex.org/a?b='\"<script>&c=%00{0}",
    "nul": "a\x00b",
    "surrogate": "bad \udcff bytes",
    "unicode": "a\u200db\u200cc\ufeffd \u202eevil\u202c e\u0301\u0301 😀 👩‍👩‍👧 🇮🇷",
    "long": "x" * 1_000,  # the longest a name may be (tests/cli/test_limits.py goes beyond)
    "empty": "",
    "whitespace": " \t \u00a0",
    "control": "line1\nline2\r\nline3\r \x1b[31mred\x1b[0m\x07",
    "format": "--help {0} {} %s %(x)s %n {{",
}
NOT_UTF8 = ("nul", "surrogate")

# The prepared database: what the template holds, for reading back and for edits' expectations.
ARTICLE = "Iran said it would respond. " + " ".join(
    v for k, v in HOSTILE.items() if k not in NOT_UTF8 and v.strip()
)
S1 = {
    "key": "s1",
    "title": "Source one",
    "url": "https://example.org/1",
    "outlet": "Outlet",
    "author": "Author",
    "published": "2020",
    "language": "en",
    "notes": "Notes",
}


def _bad(value: str) -> bool:
    """Not text factcheck stores: NUL characters, or lone surrogates (argv that was not UTF-8)."""
    return "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value)


OK, FAIL, ANY = "ok", "fail", "any"


@dataclass(frozen=True)
class Arg:
    """A text argument: the command carrying the value, and how to read back what was stored."""

    argv: Callable[[str], list[str]]
    # Reads the stored value after a success (given the command's result); None: a read-only
    # command, which must leave the database as it was.
    read: Callable[[Result], Any] | None = None
    # What must be stored for this value.
    expect: Callable[[str], Any] = lambda v: v.strip()
    # Whether the value must be accepted (OK), refused (FAIL), or either (ANY: refs and formats).
    outcome: Callable[[str], str] = lambda v: _text(v)


def _text(v: str) -> str:
    return FAIL if _bad(v) else OK


def _nonblank(v: str) -> str:
    return FAIL if _bad(v) or not v.strip() else OK


def _any(_: str) -> str:
    return ANY


def _url(v: str) -> str:
    """A source URL: blank (no URL), or a web address with a host and no spaces."""
    if _bad(v):
        return FAIL
    v = v.strip()
    if not v:
        return OK
    try:
        parts = urlsplit(v)
    except ValueError:
        return FAIL
    web = parts.scheme.lower() in ("http", "https") and parts.hostname
    return OK if web and not any(c.isspace() for c in v) else FAIL


def _edit(outcome: Callable[[str], str]) -> Callable[[str], str]:
    """An edit whose only option is this value: a blank one changes nothing, which is refused."""
    return lambda v: FAIL if not v.strip() else outcome(v)


def _optional(default: Any = None) -> Callable[[str], Any]:
    return lambda v: v.strip() or default


def _show(kind: str, ref: str) -> dict[str, Any]:
    return ok(kind, "show", ref, "--json").json()


def _new_source(field: str) -> Callable[[Result], Any]:
    return lambda r: _show("source", str(r.json()["id"]))[field]


def _new_claim(pick: Callable[[dict[str, Any]], Any]) -> Callable[[Result], Any]:
    return lambda r: pick(_show("claim", str(r.json()["id"])))


def _claim_1(pick: Callable[[dict[str, Any]], Any]) -> Callable[[Result], Any]:
    return lambda _: pick(_show("claim", "1"))


def _last_verdict(pick: Callable[[dict[str, Any]], Any]) -> Callable[[Result], Any]:
    return lambda _: pick(ok("verdict", "history", "1", "--json").json()[-1])


def _quote(claim: dict[str, Any]) -> Any:
    appearance = claim["appearances"][-1]
    return appearance["quote_entered"] or appearance["quote"]


ARGS: dict[str, Arg] = {
    # source add: every field; the key and date are validated, the rest is free text.
    "source add --title": Arg(
        lambda v: ["source", "add", f"--title={v}", "--json"],
        _new_source("title"),
        outcome=_nonblank,
    ),
    **{
        f"source add --{field}": Arg(
            # --url is recorded, not fetched: fetching is tests/reliability/test_hostile_pages.py
            lambda v, field=field: [
                "source",
                "add",
                "--title=T",
                f"--{field}={v}",
                "--no-fetch",
                "--json",
            ],
            _new_source(field),
            _optional(),
            _url if field == "url" else _text,
        )
        for field in ("url", "outlet", "author", "language", "notes")
    },
    "source add --key": Arg(
        lambda v: ["source", "add", "--title=T", f"--key={v}", "--json"],
        _new_source("key"),
        outcome=_any,
    ),
    "source add --published": Arg(
        lambda v: ["source", "add", "--title=T", f"--published={v}", "--json"],
        _new_source("published"),
        _optional(),
        _any,
    ),
    # source edit: a blank optional value leaves the field as it was.
    "source edit --title": Arg(
        lambda v: ["source", "edit", "1", f"--title={v}", "--json"],
        lambda _: _show("source", "1")["title"],
        outcome=_nonblank,
    ),
    **{
        f"source edit --{field}": Arg(
            lambda v, field=field: ["source", "edit", "1", f"--{field}={v}", "--json"],
            lambda _, field=field: _show("source", "1")[field],
            _optional(S1[field]),
            _any if field in ("key", "published") else _edit(_url if field == "url" else _text),
        )
        for field in ("url", "outlet", "author", "language", "notes", "key", "published")
    },
    "source edit REF": Arg(lambda v: ["source", "edit", "--notes=n", "--", v], outcome=_any),
    "source show REF": Arg(lambda v: ["source", "show", "--json", "--", v], outcome=_any),
    # claim add
    "claim add TEXT": Arg(
        lambda v: ["claim", "add", "--source=s1", "--json", "--", v],
        _new_claim(lambda c: c["text"]),
        outcome=_nonblank,
    ),
    "claim add --notes": Arg(
        lambda v: ["claim", "add", "C", "--source=s1", f"--notes={v}", "--json"],
        _new_claim(lambda c: c["notes"]),
        _optional(),
    ),
    "claim add --claimant": Arg(
        lambda v: ["claim", "add", "C", "--source=s1", f"--claimant={v}", "--json"],
        _new_claim(lambda c: c["appearances"][0]["claimant"]),
        _optional(S1["author"]),
    ),
    "claim add --tag": Arg(
        lambda v: ["claim", "add", "C", "--source=s1", f"--tag={v}", "--json"],
        _new_claim(lambda c: c["tags"]),
        lambda v: [v.strip()],
        _nonblank,
    ),
    "claim add --quote": Arg(  # in the article: anchored, the typed text kept
        lambda v: ["claim", "add", "C", "--source=s1", f"--quote={v}", "--json"],
        _new_claim(_quote),
        _optional(),
    ),
    "claim add --quote --unanchored": Arg(
        lambda v: ["claim", "add", "C", "--source=s2", f"--quote={v}", "--unanchored", "--json"],
        _new_claim(_quote),
        _optional(),
    ),
    "claim add --source": Arg(lambda v: ["claim", "add", "C", f"--source={v}"], outcome=_any),
    "claim add --entity": Arg(
        lambda v: ["claim", "add", "C", "--source=s1", f"--entity={v}", "--json"],
        _new_claim(lambda c: c["entities"]),
        lambda _: ["Iran"],
        _any,
    ),
    # claim cite
    "claim cite --quote": Arg(
        lambda v: ["claim", "cite", "1", "--source=s2", f"--quote={v}", "--unanchored", "--json"],
        _claim_1(_quote),
        _optional(),
    ),
    "claim cite --claimant": Arg(
        lambda v: ["claim", "cite", "1", "--source=s2", f"--claimant={v}", "--json"],
        _claim_1(lambda c: c["appearances"][-1]["claimant"]),
        _optional(),
    ),
    "claim cite --source": Arg(lambda v: ["claim", "cite", "1", f"--source={v}"], outcome=_any),
    # claim edit
    "claim edit --text": Arg(
        lambda v: ["claim", "edit", "1", f"--text={v}", "--json"],
        _claim_1(lambda c: c["text"]),
        outcome=_nonblank,
    ),
    "claim edit --notes": Arg(
        lambda v: ["claim", "edit", "1", f"--notes={v}", "--json"],
        _claim_1(lambda c: c["notes"]),
        _optional("Claim notes"),
        _edit(_text),
    ),
    "claim edit --tag": Arg(
        lambda v: ["claim", "edit", "1", f"--tag={v}", "--json"],
        _claim_1(lambda c: c["tags"]),
        lambda v: ["t1", v.strip()],
        _nonblank,
    ),
    "claim edit --untag": Arg(lambda v: ["claim", "edit", "1", f"--untag={v}"], outcome=_any),
    "claim edit --entity": Arg(
        lambda v: ["claim", "edit", "1", f"--entity={v}", "--json"],
        _claim_1(lambda c: c["entities"]),
        lambda _: ["Iran"],
        _any,
    ),
    "claim edit --unentity": Arg(lambda v: ["claim", "edit", "2", f"--unentity={v}"], outcome=_any),
    "claim list --source": Arg(
        lambda v: ["claim", "list", "--json", f"--source={v}"], outcome=_any
    ),
    "claim list --tag": Arg(lambda v: ["claim", "list", "--json", f"--tag={v}"], outcome=_any),
    "claim list --entity": Arg(
        lambda v: ["claim", "list", "--json", f"--entity={v}"], outcome=_any
    ),
    "claim list --verdict": Arg(
        lambda v: ["claim", "list", "--json", f"--verdict={v}"], outcome=_any
    ),
    # verdicts
    "verdict set --note": Arg(
        lambda v: ["verdict", "set", "1", "true", f"--note={v}", "--json"],
        _last_verdict(lambda x: x["note"]),
        _optional(),
    ),
    "verdict set --evidence": Arg(  # a URL is stored as given; anything else names a source
        lambda v: ["verdict", "set", "1", "true", f"--evidence={v}", "--json"],
        _last_verdict(lambda x: x["evidence"][0]["url"]),
        outcome=_any,
    ),
    "verdict set LABEL": Arg(lambda v: ["verdict", "set", "--", "1", v], outcome=_any),
    "verdict set --scale": Arg(
        lambda v: ["verdict", "set", "1", "true", f"--scale={v}"], outcome=_any
    ),
    "verdict define LABEL": Arg(
        lambda v: ["verdict", "define", "--polarity=none", "--json", "--", v],
        lambda _: ok("verdict", "labels", "--json").json()[-1]["label"],
        outcome=_nonblank,
    ),
    "verdict define --description": Arg(
        lambda v: ["verdict", "define", "new", "--polarity=none", f"--description={v}", "--json"],
        lambda _: ok("verdict", "labels", "--json").json()[-1]["description"],
        _optional(),
    ),
    "verdict labels --scale": Arg(
        lambda v: ["verdict", "labels", "--json", f"--scale={v}"], outcome=_any
    ),
    # links
    "link --note": Arg(
        lambda v: ["link", "1", "2", "--relation=refines", f"--note={v}", "--json"],
        _claim_1(lambda c: c["links"][-1]["note"]),
        _optional(),
    ),
    # entities
    "entity add NAME": Arg(
        lambda v: ["entity", "add", "--json", "--", v],
        lambda r: _show("entity", str(r.json()["id"]))["name"],
        outcome=_any,
    ),
    "entity add --alias": Arg(
        lambda v: ["entity", "add", "E", f"--alias={v}", "--json"],
        lambda r: _show("entity", str(r.json()["id"]))["aliases"],
        lambda v: ["E", v.strip()],
        _any,
    ),
    "entity add --notes": Arg(
        lambda v: ["entity", "add", "E", f"--notes={v}", "--json"],
        lambda r: _show("entity", str(r.json()["id"]))["notes"],
        _optional(),
    ),
    "entity alias ALIAS": Arg(
        lambda v: ["entity", "alias", "--json", "--", "1", v],
        lambda _: _show("entity", "1")["aliases"],
        lambda v: ["Iran", v],
        _any,
    ),
    "entity alias ENTITY": Arg(lambda v: ["entity", "alias", "--", v, "x"], outcome=_any),
    "entity show ENTITY": Arg(lambda v: ["entity", "show", "--json", "--", v], outcome=_any),
    # reading
    # Any text is a valid query (docs/cli.md), except what is not text at all.
    "search QUERY": Arg(
        lambda v: ["search", "--json", "--", v], outcome=lambda v: ANY if _bad(v) else OK
    ),
    "log --table": Arg(lambda v: ["log", "--json", f"--table={v}"], outcome=_any),
    "log --actor": Arg(lambda v: ["log", "--json", f"--actor={v}"], outcome=_any),
    "report --source": Arg(
        lambda v: ["report", "contradictions", "--format=json", f"--source={v}"], outcome=_any
    ),
    "report --tag": Arg(
        lambda v: ["report", "contradictions", "--format=json", f"--tag={v}"], outcome=_any
    ),
    "report --entity": Arg(
        lambda v: ["report", "contradictions", "--format=json", f"--entity={v}"], outcome=_any
    ),
    "report --status": Arg(
        lambda v: ["report", "contradictions", "--format=json", f"--status={v}"], outcome=_any
    ),
    # who is acting: stored as given in every history row (blank: the default actor), or refused
    # when it holds a control character (a newline would forge lines in `factcheck log`)
    "--as": Arg(
        lambda v: [f"--as={v}", "claim", "edit", "1", "--kind=opinion", "--json"],
        lambda _: ok("log", "--limit=1", "--json").json()[0]["actor"],
        lambda v: v or "tester",
        lambda v: FAIL if _bad(v) or any(c < " " or "\x7f" <= c <= "\x9f" for c in v) else OK,
    ),
}


def _prepare(path: str) -> None:
    """Two sources (one with an article holding every hostile string, one without text), two
    claims, a tag, an entity, a verdict and a link; built once, copied for every case."""
    db = ["--db", path]
    ok(*db, "source", "add", *(f"--{k}={v}" for k, v in S1.items()), "--file=-", input=ARTICLE)
    ok(*db, "source", "add", "--title=Source two", "--key=s2")
    ok(*db, "entity", "add", "Iran")
    ok(
        *db,
        "claim",
        "add",
        "First claim",
        "--source=s1",
        "--quote=Iran said",
        "--tag=t1",
        "--notes=Claim notes",
    )
    ok(*db, "claim", "add", "Second claim", "--source=s2", "--entity=Iran")
    ok(*db, "verdict", "set", "1", "false", "--note=first")
    ok(*db, "link", "1", "2", "--relation=contradicts")


@pytest.fixture
def prepared(db_path: Path, template: Callable[[Callable[[str], None]], Path]) -> Path:
    shutil.copyfile(template(_prepare), db_path)
    return db_path


def assert_clean_error(result: Result) -> None:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines and lines[0].startswith("Error: "), result.stderr
    assert all(line.startswith(("Error: ", "Hint: ")) for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    # The CLI maps exceptions it did not expect to exit 1 as well, worded as a bug: never here.
    assert "unexpected" not in lines[0] and "this is a bug" not in result.stderr, result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
@pytest.mark.parametrize("arg", list(ARGS.values()), ids=list(ARGS))
def test_hostile_text_is_stored_exactly_or_refused_cleanly(
    prepared: Path, arg: Arg, value: str
) -> None:
    before = dump(prepared)
    result = run_cli(*arg.argv(value))
    outcome = arg.outcome(value)
    if result.exit_code != 0:
        assert_clean_error(result)
        assert dump(prepared) == before
        assert outcome != OK, f"refused: {result.stderr}"
        return
    assert outcome != FAIL, "accepted a value that must be refused"
    assert "Traceback" not in result.stderr
    if arg.read is None:
        result.json()  # the output is still valid JSON
        assert dump(prepared) == before
    else:
        assert arg.read(result) == arg.expect(value)


def test_stored_control_characters_are_not_echoed_to_the_terminal(prepared: Path) -> None:
    """An ANSI sequence stored in a field is data, not terminal control, when shown as text."""
    ansi = "\x1b[31mred\x1b[0m\x07"
    ok("claim", "edit", "1", f"--text={ansi}", f"--notes={ansi}", f"--tag={ansi}")
    ok("source", "edit", "1", f"--title={ansi}", f"--author={ansi}")
    ok("link", "1", "2", "--relation=refines", f"--note={ansi}")
    for argv in (
        ["claim", "show", "1"],
        ["claim", "list"],
        ["source", "show", "1"],
        ["source", "list"],
        ["log"],
        ["report", "contradictions"],
    ):
        shown = ok(*argv)
        assert "\x1b" not in shown.stdout + shown.stderr, argv
        assert "red" in shown.stdout, argv  # the text itself is shown
    assert ok("claim", "show", "1", "--json").json()["text"] == ansi.strip()


# --- files --------------------------------------------------------------------------------------

HEADER = b'{"type":"factcheck","format":"jsonl","version":1}\n'
# Files the existing tests (tests/cli/test_sources.py, test_transfer.py, test_csv.py,
# test_datasets.py, test_claimreview.py, tests/interchange/test_malformed.py) do not cover.
BAD_TEXT_FILES = {
    "utf-16 without BOM": ("Iran said it".encode("utf-16-le"), "binary"),
    "truncated multibyte": (b"caf\xc3", "not valid UTF-8"),
    "overlong encoding": (b"a\xc0\xaf", "not valid UTF-8"),
    "encoded surrogate": (b"a\xed\xa0\x80b", "not valid UTF-8"),
    "only a BOM": (b"\xef\xbb\xbf", "is empty"),
    "BOM and whitespace": (b"\xef\xbb\xbf \r\n\t", "is empty"),
    "gzip": (gzip.compress(b"Iran said it would respond."), "binary"),
}
GOOD_TEXT_FILES = {
    "CR line endings": "one\rtwo\r",
    "no final newline": "just text",
    "every hostile string": ARTICLE,
    "NEL and separators": "a\x85b\u2028c\u2029d",
}


@pytest.mark.parametrize("name", list(BAD_TEXT_FILES))
def test_malformed_source_files_are_refused(prepared: Path, tmp_path: Path, name: str) -> None:
    content, message = BAD_TEXT_FILES[name]
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = dump(prepared)
    for argv in (["source", "add", "--title=T"], ["source", "edit", "s1"]):
        result = run_cli(*argv, f"--file={path}")
        assert_clean_error(result)
        assert message in result.stderr, (name, result.stderr)
    assert dump(prepared) == before


@pytest.mark.parametrize("name", list(GOOD_TEXT_FILES))
def test_odd_but_valid_source_files_are_kept_exactly(
    prepared: Path, tmp_path: Path, name: str
) -> None:
    path = tmp_path / "good.txt"
    path.write_bytes(GOOD_TEXT_FILES[name].encode())
    created = ok("source", "add", "--title=T", f"--file={path}", "--json").json()["id"]
    assert _show("source", str(created))["text"] == GOOD_TEXT_FILES[name]


def test_unreadable_paths_are_refused(prepared: Path, tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    before = dump(prepared)
    for path in (str(loop), str(dangling), "a\x00b", "", str(tmp_path / "bad \udcff")):
        for argv in (["source", "add", "--title=T", f"--file={path}"], ["import", "--", path]):
            assert_clean_error(run_cli(*argv))
    assert dump(prepared) == before


BAD_IMPORTS = {
    "only a BOM": (b"\xef\xbb\xbf", "line 1"),
    "only whitespace": (b" \n\r\n\t\n", ""),
    "utf-16 jsonl": (HEADER.decode().encode("utf-16"), ""),
    "gzip jsonl": (gzip.compress(HEADER), ""),
    "header of a newer version": (b'{"type":"factcheck","format":"jsonl","version":99}\n', ""),
    "header only, then NUL": (HEADER + b"\x00\n", ""),
    "record is a string": (HEADER + b'"claim"\n', "line 2"),
    "record with an unknown field": (
        HEADER + b'{"type":"claim","id":1,"text":"C","created_at":"2026-01-01T00:00:00Z",'
        b'"colour":"red"}\n',
        "line 2",
    ),
    "claim text with NUL": (
        HEADER
        + b'{"type":"claim","id":1,"text":"a\\u0000b","created_at":"2026-01-01T00:00:00Z"}\n',
        "line 2",
    ),
    "huge id": (
        HEADER + b'{"type":"claim","id":99999999999999999999999,"text":"C",'
        b'"created_at":"2026-01-01T00:00:00Z"}\n',
        "line 2",
    ),
    "id above 32 bits": (
        HEADER + b'{"type":"claim","id":2147483648,"text":"C",'
        b'"created_at":"2026-01-01T00:00:00Z"}\n',
        "line 2",
    ),
    "csv with NUL": (b"claim,source\na\x00b,s1\n", ""),
    "csv with a duplicate column": (b"claim,source,claim\nx,s1,y\n", ""),
    "csv header only": (b"claim,source\n", ""),
    "csv with a formula": (b"claim,source,quote\n=cmd|'/c calc'!A1,s1,\n", None),
}


@pytest.mark.parametrize(
    "name",
    [name for name in BAD_IMPORTS],
)
def test_malformed_imports_change_nothing_or_import_exactly(
    prepared: Path, tmp_path: Path, name: str
) -> None:
    """Refused with a clear error (naming the line when there is one); the few that are valid
    (message None) import exactly."""
    content, message = BAD_IMPORTS[name]
    path = tmp_path / ("bad.csv" if name.startswith("csv") else "bad.jsonl")
    path.write_bytes(content)
    before = dump(prepared)
    result = run_cli("import", str(path))
    if message is None:
        assert result.exit_code == 0, result.stderr
        assert ok("claim", "list", "--json").json()[-1]["text"] == "=cmd|'/c calc'!A1"
        return
    if result.exit_code == 0:  # nothing to import is not an error, as long as nothing changed
        assert dump(prepared) == before
        return
    assert_clean_error(result)
    assert message in result.stderr, result.stderr
    assert dump(prepared) == before
