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
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench import synth
from factcheck.cli.commands import interchange
from factcheck.db.writer_process import (
    HELD,
    OTHER,
    OVERTAKING,
    ProcessConnection,
    _pack,
    _Server,
    _unpack,
)
from factcheck.errors import DatabaseProblem
from factcheck.services import importer
from factcheck.vocab import SYMMETRIC_RELATIONS
from tests.helpers import REPO, can_take_write_lock, dump, fails, ok


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
    same_rows(db_path, alone)
    assert ok("export").stdout == ok("--db", str(alone), "export").stdout


def same_rows(mine: Path, theirs: Path) -> None:
    """The same rows in every table of two databases, history and search index included (the
    history's times and actor aside)."""
    with sqlite3.connect(mine) as one, sqlite3.connect(theirs) as other:
        tables = [n for (n,) in one.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            query = f"SELECT * FROM {table}"
            if table == "history":
                query = "SELECT table_name, row_id, action, new_values FROM history ORDER BY id"
            rows = [sorted(db.execute(query).fetchall(), key=repr) for db in (one, other)]
            assert rows[0] == rows[1], table


def _turned(link: dict[str, Any]) -> dict[str, Any]:
    """A link's claims the other way round where that is the same link."""
    if link["relation"] not in SYMMETRIC_RELATIONS:
        return {}
    return {"claim_a": link["claim_b"], "claim_b": link["claim_a"]}


def repeating_dump(path: Path) -> tuple[Path, dict[str, int]]:
    """A dump in which a record of every type recognised by what it says (not its id) comes
    again with another id on the next line, and how many of each come again."""
    at = "2026-01-01T00:00:00+00:00"
    by_type: dict[str, list[dict[str, Any]]] = {}
    for record in synth.records(12, 4, 2):
        by_type.setdefault(record["type"], []).append(record)
    source = by_type["source"][0]
    extra = {
        "source_version": {"type": "source_version", "id": 1, "source_id": source["id"],
                           "number": 1, "text": source["text"], "created_at": at},
        "entity": {"type": "entity", "id": 1, "name": "Acme", "aliases": ["ACME Corp"],
                   "created_at": at},
        "verdict_retraction": {"type": "verdict_retraction", "id": 1, "verdict_id": 1,
                               "created_at": at},
        "suggestion_decision": {"type": "suggestion_decision", "id": 1, "claim_a": 1,
                                "claim_b": 2, "decision": "rejected", "relation": "contradicts",
                                "created_at": at},
        "extraction_decision": {"type": "extraction_decision", "id": 1, "source_id": 1,
                                "start": 0, "end": 8, "text": source["text"][:8],
                                "decision": "skipped", "created_at": at},
    }  # fmt: skip
    again = {
        "source": lambda r: {**r, "id": r["id"] + 100},
        "source_version": lambda r: {**r, "id": 2},
        "entity": lambda r: {**r, "id": 2, "aliases": ["Acme Inc"]},
        "appearance": lambda r: {**r, "id": r["id"] + 100},
        # The same time written without its offset (UTC) is the same verdict.
        "verdict": lambda r: {**r, "id": r["id"] + 100, "created_at": "2026-01-01T00:00:00"},
        "verdict_retraction": lambda r: {**r, "id": 2},
        "link": lambda r: {**r, "id": r["id"] + 100, **_turned(r)},
        "suggestion_decision": lambda r: {**r, "id": 2},
        "extraction_decision": lambda r: {**r, "id": 2},
    }  # fmt: skip
    lines = [{"type": "factcheck", "format": "jsonl", "version": 1}]
    repeated: dict[str, int] = {}
    for kind in importer.RECORD_ORDER:
        for record in by_type.get(kind, []) + ([extra[kind]] if kind in extra else []):
            lines.append(record)
            if kind in again:
                lines.append(again[kind](record))
                repeated[kind] = repeated.get(kind, 0) + 1
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    return path, repeated


@pytest.mark.parametrize("batch", [1, 2, 3])
def test_records_that_come_again_in_the_next_batch_are_recognised_through_the_writer(
    tmp_path: Path,
    db_path: Path,
    new_db: Callable[[str], Path],
    started: list[ProcessConnection],
    monkeypatch: pytest.MonkeyPatch,
    batch: int,
) -> None:
    # The writer may write a batch after answering the next batch's look-ups: the importer must
    # find the records of the batch before among its rows (importer._look_up).
    monkeypatch.setattr(importer, "_WRITE_BATCH", batch)
    source, repeated = repeating_dump(tmp_path / "again.jsonl")
    alone = new_db("alone.db")
    expected = json.loads(ok("--db", str(alone), "import", "--json", str(source)).stdout)
    assert {k: v for k, v in expected["existing"].items() if v} == repeated
    monkeypatch.setattr(interchange, "WRITER_PROCESS_FROM", 0)
    assert json.loads(ok("import", "--json", str(source)).stdout) == expected
    assert len(started) == 1
    same_rows(db_path, alone)


def interleaved_dump(path: Path) -> Path:
    """A dump whose records come claim by claim (the claim, its appearances, its verdicts), as
    a script writing one might: batches of mixed types, each type with a look-up."""
    records = list(synth.records(300, 60, 30))
    by_claim: dict[int, list[dict[str, Any]]] = {}
    for record in records:
        if record["type"] in ("appearance", "verdict"):
            by_claim.setdefault(record["claim_id"], []).append(record)
    lines = [r for r in records if r["type"] not in ("claim", "appearance", "verdict", "link")]
    for record in records:
        if record["type"] == "claim":
            lines += [record, *by_claim.get(record["id"], [])]
    lines += [r for r in records if r["type"] == "link"]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    return path


LIAR = REPO.parent / "shared" / "data" / "liar" / "valid.tsv"


def test_records_of_mixed_types_write_through_a_writer_process_what_one_process_writes(
    tmp_path: Path,
    db_path: Path,
    new_db: Callable[[str], Path],
    started: list[ProcessConnection],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each batch's look-ups (one a type) may be answered ahead of the batch before's inserts.
    monkeypatch.setattr(importer, "_WRITE_BATCH", 50)
    source = interleaved_dump(tmp_path / "interleaved.jsonl")
    alone = new_db("alone.db")
    expected = ok("--db", str(alone), "import", "--json", str(source)).stdout
    assert started == []  # a small file: one process
    monkeypatch.setattr(interchange, "WRITER_PROCESS_FROM", 0)
    assert ok("import", "--json", str(source)).stdout == expected
    assert len(started) == 1
    same_rows(db_path, alone)
    # A CSV's rows and LIAR's (when ../shared/data is beside the repository) import in one
    # process, whatever their size.
    sheet = tmp_path / "claims.csv"
    ok("export", "--format", "csv", "--output", str(sheet))
    for file in (sheet, LIAR) if LIAR.is_file() else (sheet,):
        ok("--db", str(new_db(f"{file.stem}.db")), "import", str(file))
    assert len(started) == 1


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


def test_held_statements_run_after_the_next_look_up_made_overtaking_and_before_any_other(
    db_path: Path,
) -> None:
    before = dump(db_path)
    connection = begun(db_path)  # tag 1 sent
    names = "SELECT name FROM tags ORDER BY id"
    with connection.held():
        connection.send("INSERT INTO tags (id, name) VALUES (?, ?)", (2, "two"))
    with connection.overtaking():
        assert connection.execute(names).fetchall() == [("one",)]
    assert connection.execute(names).fetchall() == [("one",), ("two",)]
    with connection.held():
        connection.send("INSERT INTO tags (id, name) VALUES (?, ?)", (3, "three"))
    with connection.held():  # the statements held before go on first
        connection.send("INSERT INTO tags (id, name) VALUES (?, ?)", (4, "four"))
    with connection.overtaking():
        assert connection.execute("SELECT count(*) FROM tags").fetchall() == [(3,)]
    with connection.held():
        connection.send("INSERT INTO tags (id, name) VALUES (?, ?)", (5, "five"))
    connection.rollback()  # never passed on
    assert connection.execute("SELECT count(*) FROM tags").fetchall() == [(0,)]
    connection.close()
    assert dump(db_path) == before


def test_the_writer_answers_an_overtaking_call_ahead_of_held_statements_of_its_generation() -> None:
    Message = tuple[bytes, int, tuple[Any, ...]]  # kind, generation, the message

    def held(generation: int, name: str) -> Message:
        return (HELD, generation, ("send", f"INSERT INTO tags (name) VALUES ('{name}')", ()))

    def order(*messages: Message) -> list[Message]:
        inbox = deque(_pack(message, kind, generation) for kind, generation, message in messages)
        ran = [_unpack(_Server.next_message(inbox)) for _ in messages]
        return [next(m for m in messages if m[2] == message) for message in ran]

    look_up = (OVERTAKING, 2, ("execute", "SELECT count(*) FROM tags", ()))
    # Older statements first, then the look-up, then the newest held ones it overtakes.
    assert order(held(1, "a"), held(2, "b"), held(2, "c"), look_up) == [
        held(1, "a"), look_up, held(2, "b"), held(2, "c"),
    ]  # fmt: skip
    # Anything else ahead of it, or held statements of another generation: in turn.
    plain = (OTHER, 0, ("send", "INSERT INTO tags (name) VALUES ('d')", ()))
    assert order(held(2, "b"), plain, look_up) == [held(2, "b"), plain, look_up]
    assert order(held(3, "b"), look_up) == [held(3, "b"), look_up]
    waiting = (OTHER, 0, ("execute", "SELECT 1", ()))
    assert order(held(2, "b"), waiting) == [held(2, "b"), waiting]


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
