"""Online backup under write load: N writer processes run `factcheck claim add` in a loop while
`factcheck db backup DEST` copies the database again and again (SQLite's backup API). Each copy
must pass `PRAGMA integrity_check`, hold every claim whose commit a writer acknowledged before
that backup started, contain no claim without the rows written with it, appear at DEST only
whole (DEST.XXXXXXXX.partial, then a rename), and pass `factcheck db check`. Prints each
backup's size and time, and the writers' waits; exits 1 on any violation.

    .venv/bin/python bench/backup_under_load.py --processes 8 --claims 100 --backups 10
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

# Run as `python bench/NAME.py`, this file's folder is on sys.path but the repository root, where
# the `bench` package is, may not be.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--claims", type=int, default=100, help="claim adds per process")
    parser.add_argument("--backups", type=int, default=10, help="most backups to take")
    parser.add_argument(
        "--bulk", type=int, default=5000, help="claims imported first, so copies take a while"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        db = workdir / "source.db"
        harness.run_factcheck(db, "seed")
        if args.bulk:
            bulk = workdir / "bulk.jsonl"
            harness.write_import_file(bulk, "bulk", args.bulk)
            harness.run_factcheck(db, "import", str(bulk))
        print(f"source database: {db.stat().st_size} bytes, {harness.claim_count(db)} claims")
        started = time.monotonic()
        try:
            run, backups = harness.backups_under_load(
                db, workdir, args.processes, args.claims, args.backups
            )
            for backup in backups:
                harness.run_factcheck(backup.path, "db", "check")
        except AssertionError as exc:
            print(f"FAILED: {exc}")
            return 1
        print(f"{args.processes} writers x {args.claims} in {time.monotonic() - started:.1f} s")
        print(f"writers: {run.summary()}")
        for backup in backups:
            print(f"backup {backup.summary()}")
        print(f"{len(backups)} backups taken under load, every one whole and complete")
        if not backups or run.failed or run.locked or any(run.exit_codes):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
