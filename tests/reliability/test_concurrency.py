"""Many `factcheck claim add` processes on one SQLite file: nothing lost, nobody told "database is
locked", and a user's long read transaction neither blocks them nor sees their writes.

`claim add` reads (the source by key, same-text claims) and then writes, the pattern that
deadlocks on lock upgrade without BEGIN IMMEDIATE. Full size: bench/concurrency.py.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench import harness
from tests.helpers import ok

# Slow: many writer processes at once.
pytestmark = pytest.mark.slow

PROCESSES = 4
CLAIMS_EACH = 10


def test_concurrent_claim_adds_all_land(shared_source: Path, show: Callable[[str], None]) -> None:
    db = shared_source
    run = harness.collect_writers(harness.start_writers(db, PROCESSES, CLAIMS_EACH, "load"))
    show(f"{PROCESSES} x {CLAIMS_EACH}: {run.summary()}")
    assert run.exit_codes == [0] * PROCESSES, run.stderr
    assert not run.failed, [c.stderr for c in run.failed]
    assert run.locked == 0
    with sqlite3.connect(db) as connection:
        rows = dict(connection.execute("SELECT id, text FROM claims"))
        history = connection.execute(
            "SELECT count(*) FROM history WHERE table_name = 'claims'"
        ).fetchone()[0]
    assert set(rows.values()) == harness.expected_texts("load", PROCESSES, CLAIMS_EACH)
    # Every id a writer was told is the claim it added, and no two writers were told the same.
    assert len(run.ids) == PROCESSES * CLAIMS_EACH
    assert {rows[int(c.id)] for c in run.commands} == set(rows.values())
    assert history == PROCESSES * CLAIMS_EACH
    assert harness.integrity(db) == ["ok"]
    ok("db", "check")


def test_long_read_transaction_neither_blocks_writers_nor_sees_them(
    shared_source: Path, show: Callable[[str], None]
) -> None:
    db = shared_source
    ok("claim", "add", "Present before the reader began", "--source", "shared")
    # As the sqlite3 shell does it: no busy timeout, an explicit BEGIN, a SELECT that takes the
    # snapshot, and the transaction left open while others work.
    reader = sqlite3.connect(db, timeout=0, isolation_level=None)

    def snapshot() -> tuple[int, list[tuple[int, str]]]:
        rows = reader.execute("SELECT id, text FROM claims ORDER BY id").fetchall()
        history = reader.execute("SELECT count(*) FROM history").fetchone()[0]
        return history, rows

    try:
        reader.execute("BEGIN")
        before = snapshot()
        writers = harness.start_writers(db, PROCESSES, CLAIMS_EACH, "under-reader")
        looks = 0
        while writers.running():
            assert snapshot() == before
            looks += 1
            time.sleep(0.2)
        run = harness.collect_writers(writers)
        assert snapshot() == before
        reader.execute("COMMIT")
        after = snapshot()
    finally:
        reader.close()
    show(f"reader held its snapshot through {looks} looks; writers: {run.summary()}")
    assert run.exit_codes == [0] * PROCESSES, run.stderr
    assert not run.failed, [c.stderr for c in run.failed]
    assert run.locked == 0
    assert len(before[1]) == 1
    assert {text for _id, text in after[1]} == {"Present before the reader began"} | (
        harness.expected_texts("under-reader", PROCESSES, CLAIMS_EACH)
    )
    assert harness.integrity(db) == ["ok"]
    ok("db", "check")


def test_concurrent_first_use_creates_the_schema_once(db_path: Path) -> None:
    """Processes that all find no database race to create it; every one must succeed."""
    env = {**os.environ, "FACTCHECK_DB": str(db_path)}
    code = "from factcheck.cli import main; main(['source', 'add', '--title', 'Race'])"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert len(ok("source", "list", "--json").json()) == 4
    assert ok("verdict", "labels", "--json").json()[0]["label"] == "true"
    assert len(ok("verdict", "labels", "--json").json()) == 7
