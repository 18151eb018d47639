"""Output piped to another program: tables are tab-separated lines, never wrapped or cut.

Run as a real process with standard output a pipe and the 80 columns a terminal would have, the
width at which tables used to fold claim texts and source keys across lines.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ok


def _piped(*args: str, db: Path) -> str:
    env = {**os.environ, "FACTCHECK_DB": str(db), "COLUMNS": "80"}
    env.pop("FACTCHECK_DEBUG", None)
    done = subprocess.run([sys.executable, "-m", "factcheck", *args], capture_output=True,
                          env=env, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def _rows(output: str, columns: list[str]) -> list[list[str]]:
    """The rows under a header of `columns`, each line split at its tabs into as many fields."""
    header, *lines = output.splitlines()
    assert header.split("\t") == columns
    rows = [line.split("\t") for line in lines]
    assert all(len(row) == len(columns) for row in rows), output
    return rows


@pytest.mark.parametrize(
    ("args", "columns", "text_column", "json_field"),
    [
        (["claim", "list"], ["id", "kind", "verdict", "sources", "claim"], 4, "text"),
        (["search", "Soleimani"], ["id", "kind", "verdict", "sources", "claim"], 4, "text"),
        (["source", "list"], ["id", "key", "published", "claims", "outlet", "title"], 5, "title"),
        (["entity", "list"], ["id", "name", "kind", "claims", "aliases"], 1, "name"),
        (["verdict", "labels"], ["scale", "label", "polarity", "value", "description"], 4,
         "description"),
    ],
)  # fmt: skip
def test_tables_are_tab_separated_whole_lines(
    seeded: Path, args: list[str], columns: list[str], text_column: int, json_field: str
) -> None:
    rows = _rows(_piped(*args, db=seeded), columns)
    records = json.loads(_piped(*args, "--json", db=seeded))
    # Every row, each field whole: the texts are those of the JSON, long ones included.
    assert [row[text_column] for row in rows] == [r[json_field] or "" for r in records]
    assert max(len("\t".join(row)) for row in rows) > 80  # lines that were wrapped


def test_a_rows_sources_stay_on_its_line(seeded: Path) -> None:
    rows = _rows(_piped("claim", "list", db=seeded), ["id", "kind", "verdict", "sources", "claim"])
    claims = json.loads(_piped("claim", "list", "--json", db=seeded))
    keys = [", ".join(dict.fromkeys(a["source_key"] for a in c["appearances"])) for c in claims]
    assert [row[3] for row in rows] == keys
    assert any(key.count(",") >= 2 for key in keys)  # three sources: wider than the column was


def test_source_show_is_field_and_value_lines(seeded: Path) -> None:
    lines = _piped("source", "show", "000-analysis", db=seeded).splitlines()
    fields = dict(line.split("\t") for line in lines)
    title = json.loads(_piped("source", "show", "000-analysis", "--json", db=seeded))["title"]
    assert fields["title"] == title and len(title) > 80


def test_tabs_and_newlines_in_a_field_cannot_split_it(db_path: Path) -> None:
    ok("source", "add", "--title", "Notes", "--key", "notes")
    ok("claim", "add", "one\ttwo\nthree", "--source", "notes")
    rows = _rows(_piped("claim", "list", db=db_path), ["id", "kind", "verdict", "sources", "claim"])
    assert rows[0][4] == "one\\x09two\\x0athree"


def test_log_and_suggestions_are_never_cut(seeded: Path) -> None:
    log = _piped("log", "--table", "links", db=seeded)
    notes = [e["new"]["note"] for e in json.loads(_piped("log", "--table", "links", "--json",
                                                         db=seeded))]  # fmt: skip
    assert max(map(len, notes)) > 200
    for note in notes:
        assert json.dumps(note, ensure_ascii=False) in log
    suggested = _piped("suggest", "--limit", "50", db=seeded)
    texts = {
        text
        for item in json.loads(_piped("suggest", "--limit", "50", "--json", db=seeded))
        for text in (item["text_a"], item["text_b"])
    }
    assert max(map(len, texts)) > 110
    assert all(text in suggested for text in texts)
    assert "…" not in suggested


def test_on_a_terminal_tables_keep_their_columns(seeded: Path, terminal: None) -> None:
    """What a person reads is as before: aligned columns, no tabs."""
    shown = ok("claim", "list", "--limit", "3").stdout
    assert "\t" not in shown
    assert shown.splitlines()[0].split() == ["id", "kind", "verdict", "sources", "claim"]
