"""Crash safety under SIGKILL: `factcheck import` of a jsonl file and `factcheck db upgrade` from
revision 0001 on a database with data, each killed at delays drawn uniformly over the command's
measured uninterrupted run time. After every kill: `PRAGMA integrity_check` is ok, foreign keys
hold, an import added all of its rows or none, a migration left the old revision or the new one
with every row, and a fresh `db upgrade` + `db check` succeed. Prints the seed (--seed replays a
run) and the outcomes; exits 1 on the first violation.

    .venv/bin/python bench/crashes.py --runs 30
"""

from __future__ import annotations

import argparse
import random
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
    parser.add_argument("--runs", type=int, default=30, help="kills of each command")
    parser.add_argument("--claims", type=int, default=1000, help="claims per imported file")
    parser.add_argument(
        "--migration-claims", type=int, default=1000, help="claims added to the seed before upgrade"
    )
    parser.add_argument("--seed", type=int, default=random.SystemRandom().randrange(2**32))
    args = parser.parse_args()
    print(f"seed {args.seed} (replay with --seed {args.seed})", flush=True)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        try:
            for name, crash, size in (
                ("imports", harness.crash_imports, args.claims),
                ("migrations", harness.crash_migrations, args.migration_claims),
            ):
                db = workdir / f"{name}.db"
                harness.run_factcheck(db, "seed")
                started = time.monotonic()
                outcomes = crash(db, workdir, args.runs, size, rng)
                print(f"{outcomes.summary()} ({time.monotonic() - started:.0f} s)", flush=True)
                delays = sorted(d for d, _o in outcomes.runs)
                print(f"  delays (s): {' '.join(f'{d:.2f}' for d in delays)}", flush=True)
        except AssertionError as exc:
            print(f"FAILED: {exc}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
