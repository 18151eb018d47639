"""A large import's writer process (db/writer_process.py): the same rows as one process writes,
errors raised where they belong, and nothing written when the import or the writer dies."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench import synth
from factcheck.cli.commands import interchange
from factcheck.db.writer_process import ProcessConnection
from factcheck.errors import DatabaseProblem
from tests.helpers import can_take_write_lock, dump, fails, ok


def write_dump(path: Path, claims: int, bad_last_line: bool = False) -> Path:
    lines = [json.dumps(record) + "\n" for record in synth.records(claims, claims // 5, 3)]
    if bad_last_line:
        link = {"type": "link", "id": 10**6, "claim_a": 1, "claim_b": 1, "relation": "supports"}
        lines.append(json.dumps({**link, "created_at": "2026-01-01T00:00:00+00:00"}) + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def begun(path: Path) -> ProcessConnection:
    """A writer process in a write transaction that has sent one insert."""
    connection = ProcessConnection(path)
    connection.execute("BEGIN IMMEDIATE")
    connection.writer.actor = "tester"
    connection.send("INSERT INTO tags (id, name) VALUES (?, ?)", (1, "one"))
    return connection


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[ProcessConnection]:
    """The writer processes the test's commands start."""
    connections: list[ProcessConnection] = []
    init = ProcessConnection.__init__

    def recorded(self: ProcessConnection, path: str | Path) -> None:
        init(self, path)
        connections.append(self)

    monkeypatch.setattr(ProcessConnection, "__init__", recorded)
    return connections


def test_a_large_file_writes_through_a_writer_process_what_one_process_writes(
    tmp_path: Path,
    db_path: Path,
    new_db: Callable[[str], Path],
    started: list[ProcessConnection],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = write_dump(tmp_path / "dump.jsonl", 400)
    assert source.stat().st_size < interchange.WRITER_PROCESS_FROM  # a small file: one process
    alone = new_db("alone.db")
    ok("--db", str(alone), "import", str(source))
    assert started == []
    monkeypatch.setattr(interchange, "WRITER_PROCESS_FROM", 0)
    ok("import", str(source))
    assert len(started) == 1 and started[0]._process.returncode == 0  # it ended with the import
    # The same rows in every table, history and search index included (the history's times
    # and actor aside).
    with sqlite3.connect(db_path) as mine, sqlite3.connect(alone) as theirs:
        tables = [n for (n,) in mine.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            query = f"SELECT * FROM {table}"
            if table == "history":
                query = "SELECT table_name, row_id, action, new_values FROM history ORDER BY id"
            rows = [sorted(db.execute(query).fetchall(), key=repr) for db in (mine, theirs)]
            assert rows[0] == rows[1], table
    assert ok("export").stdout == ok("--db", str(alone), "export").stdout


def test_a_bad_record_fails_the_import_in_one_line_and_writes_nothing(
    tmp_path: Path, db_path: Path, started: list[ProcessConnection], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(interchange, "WRITER_PROCESS_FROM", 0)
    source = write_dump(tmp_path / "dump.jsonl", 300, bad_last_line=True)
    before = dump(db_path)
    result = fails("import", str(source))
    assert "cannot be linked to itself" in result.stderr
    assert dump(db_path) == before
    ok("import", "--dry-run", str(write_dump(tmp_path / "good.jsonl", 300)))
    assert dump(db_path) == before
    assert [c._process.returncode for c in started] == [0, 0]


def test_a_statement_sent_that_fails_is_raised_by_the_next_call_and_rolled_back(
    db_path: Path,
) -> None:
    before = dump(db_path)
    connection = begun(db_path)
    connection.send("INSERT INTO tags (id, name) VALUES (?, ?)", (1, "again"))  # the same id
    connection.send("INSERT INTO tags (id, name) VALUES (?, ?)", (3, "three"))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        connection.execute("SELECT count(*) FROM tags")
    connection.rollback()
    assert connection.execute("SELECT count(*) FROM tags").fetchall() == [(0,)]
    connection.close()
    assert dump(db_path) == before


def test_a_writer_that_dies_fails_the_import_in_one_line_and_writes_nothing(
    db_path: Path,
) -> None:
    before = dump(db_path)
    connection = begun(db_path)
    connection._process.kill()
    connection._process.wait()
    with pytest.raises(DatabaseProblem, match=r"writer process stopped .*nothing was written"):
        connection.execute("SELECT count(*) FROM tags")
    connection.rollback()  # what the failed transaction does next: nothing left to do
    connection.close()
    assert dump(db_path) == before
    assert can_take_write_lock(db_path)  # the lock went with the writer


IMPORTER = """
import os, sys
from factcheck.db.writer_process import ProcessConnection
connection = ProcessConnection(sys.argv[1])
connection.execute("BEGIN IMMEDIATE")
connection.writer.actor = "tester"
connection.send("INSERT INTO tags (id, name) VALUES (?, ?)", (1, "one"))
connection.execute("SELECT count(*) FROM tags")
print(connection._process.pid, flush=True)
os.kill(os.getpid(), int(sys.argv[2]))
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_when_the_importer_dies_or_is_interrupted_the_writer_ends_and_nothing_is_written(
    db_path: Path, how: signal.Signals
) -> None:
    before = dump(db_path)
    done = subprocess.run(
        [sys.executable, "-c", IMPORTER, str(db_path), str(int(how))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    writer = int(done.stdout.split()[0])
    deadline = time.monotonic() + 30
    while _alive(writer) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(writer)
    assert dump(db_path) == before
    assert can_take_write_lock(db_path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (not reaped by its dead parent yet) holds nothing any more.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")
