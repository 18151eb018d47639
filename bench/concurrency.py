"""Concurrent writers on one SQLite file: N processes each run M `factcheck claim add` commands
(a read-then-write: the source is looked up by key, then the claim inserted) through the CLI
entry point. Measures rows landed, "database is locked" errors, and the longest and median time
a single command took (its wait for the write lock included). Exits 1 if any claim was lost or
any command failed.

    .venv/bin/python bench/concurrency.py --processes 8 --claims 100
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

# Run as `python bench/NAME.py`, this file's folder is on sys.path but the repository root, where
# the `bench` package is, may not be.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness


def _has_shared_source(db: Path) -> bool:
    with harness.opened(db) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        return "sources" in tables and bool(
            connection.execute("SELECT 1 FROM sources WHERE key = 'shared'").fetchone()
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--claims", type=int, default=100, help="claim adds per process")
    parser.add_argument("--db", type=Path, help="database file (default: a new temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "concurrency.db"
        if not (db.exists() and _has_shared_source(db)):
            harness.prepare_shared_source(db)
        # A prefix of its own lets a run on an existing database count only its own claims.
        prefix = f"bench {time.time_ns()}"
        started = time.monotonic()
        writers = harness.start_writers(db, args.processes, args.claims, prefix)
        run = harness.collect_writers(writers)
        elapsed = time.monotonic() - started
        with harness.opened(db) as connection:
            texts = {
                row[0]
                for row in connection.execute(
                    "SELECT text FROM claims WHERE text LIKE ?", (prefix + " %",)
                )
            }
        expected = harness.expected_texts(prefix, args.processes, args.claims)
        lost = expected - texts
        problems = harness.integrity(db)
        print(f"database: {db}")
        print(f"{args.processes} processes x {args.claims} claim adds in {elapsed:.1f} s")
        print(
            f"rows: {len(texts)} of {len(expected)} landed, {len(lost)} lost "
            f"({harness.claim_count(db)} claims in the database)"
        )
        print(f"commands: {run.summary()}")
        print(f"integrity_check: {'; '.join(problems[:3])}")
        for command in run.failed[:5]:
            print(f"failed: writer {command.writer} claim {command.n}: {command.stderr.strip()}")
        bad = lost or run.failed or run.locked or any(run.exit_codes) or problems != ["ok"]
        return 1 if bad else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except sqlite3.Error as exc:
        sys.exit(f"sqlite3: {exc}")
