"""Input over a documented limit (factcheck/limits.py) is refused in one line naming the limit and
its setting, reading no more of it than the limit, and the database is unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import dump, fails, ok

pytestmark = pytest.mark.hostile

HEADER = '{"type":"factcheck","format":"jsonl","version":1}'


@pytest.fixture
def small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Limits of 1 MiB, so that a file over them is quick to write and to refuse."""
    monkeypatch.setenv("FACTCHECK_MAX_FILE_MB", "1")
    monkeypatch.setenv("FACTCHECK_MAX_LINE_MB", "1")


@pytest.mark.usefixtures("small_files")
def test_a_source_text_that_never_ends_is_refused(seeded: Path) -> None:
    before = dump(seeded)
    for file in ("/dev/zero", "-"):
        result = fails("source", "add", "--title", "Endless", "--file", file, input="x" * 2**21)
        assert "over the limit of 1 MiB for a file read whole" in result.stderr
        assert "FACTCHECK_MAX_FILE_MB" in result.stderr
    assert dump(seeded) == before


@pytest.mark.usefixtures("small_files")
@pytest.mark.parametrize(
    ("fmt", "limit"),
    [
        ("jsonl", "a line of a file"),
        ("csv", "a line of a file"),
        ("liar", "a line of a file"),
        ("claimreview", "a file read whole"),
        ("averitec", "a file read whole"),
    ],
)
def test_importing_a_file_that_never_ends_is_refused(seeded: Path, fmt: str, limit: str) -> None:
    before = dump(seeded)
    result = fails("import", "/dev/zero", "--format", fmt)
    assert f"/dev/zero is over the limit of 1 MiB for {limit}" in result.stderr
    assert dump(seeded) == before


@pytest.mark.usefixtures("small_files")
def test_a_line_over_the_limit_is_named(seeded: Path, tmp_path: Path) -> None:
    before = dump(seeded)
    path = tmp_path / "long.jsonl"
    notes = "n" * 2**20
    claim = f'{{"type":"claim","id":1,"text":"C","notes":"{notes}","created_at":"2026-01-01"}}'
    path.write_text(f"{HEADER}\n{claim}\n", encoding="utf-8")
    result = fails("import", str(path))
    assert "line 2 of" in result.stderr and "FACTCHECK_MAX_LINE_MB" in result.stderr
    assert dump(seeded) == before


@pytest.mark.parametrize(
    ("argv", "limit"),
    [
        (("entity", "add", "e" * 1001), "1,000 characters for a name (set by FACTCHECK_MAX_NAME)"),
        (("claim", "add", "c" * 20_001, "--source", "1"), "20,000 characters for a text"),
        (("claim", "edit", "1", "--tag", "t" * 1001), "1,000 characters for a name"),
        (("claim", "edit", "1", "--notes", "n" * 1_000_001), "1,000,000 characters for a note"),
        (("verdict", "set", "1", "false", "--note", "n" * 1_000_001), "1,000,000 characters"),
        (("source", "add", "--title", "t" * 20_001), "20,000 characters for a text"),
    ],
    ids=["entity name", "claim text", "tag", "claim notes", "verdict note", "source title"],
)
def test_a_value_over_its_length_limit_is_refused(
    seeded: Path, argv: tuple[str, ...], limit: str
) -> None:
    before = dump(seeded)
    assert f"over the limit of {limit}" in fails(*argv).stderr
    assert dump(seeded) == before


def test_a_value_at_its_limit_is_kept(seeded: Path) -> None:
    name = "e" * 1000
    entity = ok("entity", "add", name, "--json").json()["id"]
    assert ok("entity", "show", str(entity), "--json").json()["name"] == name


def test_an_imported_record_over_a_limit_names_its_line(db_path: Path, tmp_path: Path) -> None:
    ok("init")
    before = dump(db_path)
    path = tmp_path / "names.jsonl"
    entity = f'{{"type":"entity","id":1,"name":"{"x" * 1001}","created_at":"2026-01-01"}}'
    path.write_text(f"{HEADER}\n{entity}\n", encoding="utf-8")
    result = fails("import", str(path))
    assert "line 2 (entity): entity.name: over the limit of 1,000 characters" in result.stderr
    assert dump(db_path) == before


def _factcheck(db: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # A new process: the length limits are read when a command starts.
    return subprocess.run(
        [sys.executable, "-m", "factcheck", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


def test_limits_are_set_in_the_environment(tmp_path: Path) -> None:
    db = tmp_path / "limits.db"
    refused = _factcheck(db, "entity", "add", "Hezbollah", FACTCHECK_MAX_NAME="5")
    assert refused.returncode == 1
    assert "over the limit of 5 characters for a name" in refused.stderr
    assert _factcheck(db, "entity", "add", "Iran", FACTCHECK_MAX_NAME="5").returncode == 0
    wrong = _factcheck(db, "entity", "list", FACTCHECK_MAX_TEXT="lots")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == (
        "Error: FACTCHECK_MAX_TEXT must be a whole number of characters, not 'lots'"
    )


def test_an_error_echoing_a_long_argument_is_cut_to_a_readable_line(seeded: Path) -> None:
    key = "k" * 120_000
    line = fails("source", "show", key).stderr.splitlines()[0]
    assert len(line) < 400
    assert line.startswith("Error: no source 'kkk") and line.endswith("kkk'")
    assert "(119,712 characters cut)" in line  # of the 120,012 the line had
