"""One claim added from the terminal: `factcheck claim add TEXT --source KEY` against
`sqlite-utils insert FILE claims -` of one row, each writing to its own fresh copy of the same
factcheck database (the seed corpus plus a synthetic corpus, WAL mode), with a bare Python
`sqlite3` insert of the same row as the physical floor. Interleaved rounds, as in startup.py.

factcheck does more than the peer by design (it resolves the source, validates the input, and its
database's triggers record history rows and update the search index, all in one transaction); the
target says how much more that may cost at the terminal. Those triggers call SQL functions only
factcheck's connections have, so the peer and the floor write to copies whose write-rule triggers
are dropped: they insert the claim row and nothing else, as they did before the database wrote
the history itself (revision 0008). Progress on stderr, one markdown section on stdout, exit 0.

    .venv/bin/python bench/claim_add.py --rounds 15
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

# Run as `python bench/NAME.py`, this file's folder is on sys.path but the repository root, where
# the `bench` package is, may not be.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.startup import (
    Command,
    drop_write_rules,
    interleave,
    parser,
    quiet_env,
    rounds_from,
    section,
    tool,
)

TARGET = 2.0
DEFAULT_CLAIMS = 2000
TEXT = "The central bank raised its key interest rate by half a point in March 2024."
FLOOR_CODE = (
    "import sqlite3, sys\n"
    "db = sqlite3.connect(sys.argv[1])\n"
    "with db:\n"
    "    db.execute('INSERT INTO claims (text, kind) VALUES (?, ?)', (sys.argv[2], 'fact'))\n"
    "db.close()\n"
)


def build(base: Path, claims: int, env: dict[str, str]) -> str:
    """The seed corpus plus `claims` synthetic claims in `base`; the key of a source to cite."""
    factcheck = tool("factcheck")
    steps = [[factcheck, "--db", str(base), "seed"]]
    if claims:
        corpus = base.with_name("synthetic.jsonl")
        synth = Path(__file__).resolve().with_name("synth.py")
        links = claims // 10
        sizes = [
            "--claims",
            str(claims),
            "--links",
            str(links),
            "--contradictions",
            str(links // 4),
        ]
        steps += [
            [sys.executable, str(synth), *sizes, "--output", str(corpus)],
            [factcheck, "--db", str(base), "import", str(corpus)],
        ]
    for argv in steps:
        shown = [Path(argv[0]).name, *argv[1:]]
        print("set-up:", " ".join(shown), file=sys.stderr, flush=True)
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    with sqlite3.connect(base) as db:
        # Everything in the main file, so that a plain copy is the whole database.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        key: str = db.execute("SELECT key FROM sources ORDER BY id LIMIT 1").fetchone()[0]
        (total,) = db.execute("SELECT count(*) FROM claims").fetchone()
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    db.close()
    size = base.stat().st_size / 1e6
    print(f"set-up: {total} claims, {size:.1f} MB, journal_mode={mode}", file=sys.stderr)
    return key


def fresh_copy(base: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(base, target)


def added_row(path: Path) -> tuple[int, int, int]:
    """How many claims have TEXT, how many history rows and search rows the newest claim has."""
    with sqlite3.connect(path) as db:
        (claims,) = db.execute("SELECT count(*) FROM claims WHERE text = ?", (TEXT,)).fetchone()
        (newest,) = db.execute("SELECT max(id) FROM claims").fetchone()
        (history,) = db.execute(
            "SELECT count(*) FROM history WHERE table_name = 'claims' AND row_id = ?", (newest,)
        ).fetchone()
        (search,) = db.execute(
            "SELECT count(*) FROM claim_search WHERE rowid = ?", (newest,)
        ).fetchone()
    db.close()
    return claims, history, search


def main() -> int:
    options = parser(__doc__)
    options.add_argument(
        "--claims",
        type=int,
        default=None,
        help=f"synthetic claims on top of the seed corpus (default {DEFAULT_CLAIMS}; 0 with "
        "--quick)",
    )
    args = options.parse_args()
    claims = args.claims if args.claims is not None else (0 if args.quick else DEFAULT_CLAIMS)
    rounds = rounds_from(args)
    env = quiet_env()
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as tmp:
        work = Path(tmp)
        base = work / "base.db"
        key = build(base, claims, env)
        # The same database for the peer and the floor, without the write rules they cannot run.
        bare = work / "bare.db"
        shutil.copyfile(base, bare)
        drop_write_rules(bare)
        mine, peer_db, floor_db = work / "factcheck.db", work / "sqlite-utils.db", work / "floor.db"
        subject = Command(
            "factcheck claim add",
            [
                tool("factcheck"),
                "--db",
                str(mine),
                "--as",
                "bench",
                "claim",
                "add",
                TEXT,
                "--source",
                key,
            ],
            prepare=lambda: fresh_copy(base, mine),
        )
        peer = Command(
            "sqlite-utils insert",
            [tool("sqlite-utils"), "insert", str(peer_db), "claims", "-"],
            stdin=json.dumps({"text": TEXT, "kind": "fact"}).encode(),
            prepare=lambda: fresh_copy(bare, peer_db),
        )
        floor = Command(
            "python sqlite3 insert",
            [sys.executable, "-c", FLOOR_CODE, str(floor_db), TEXT],
            prepare=lambda: fresh_copy(bare, floor_db),
        )
        interleave([subject, peer, floor], rounds, env)
        # Each command really wrote its row; factcheck's with its history and search rows.
        checks = {
            "factcheck": added_row(mine),
            "sqlite-utils": added_row(peer_db),
            "floor": added_row(floor_db),
        }
        if checks["factcheck"] != (1, 1, 1) or any(c[0] != 1 for c in checks.values()):
            sys.exit(f"a command did not add its row as expected: {checks}")
        with sqlite3.connect(base) as db:
            (total,) = db.execute("SELECT count(*) FROM claims").fetchone()
        db.close()
        size = base.stat().st_size / 1e6
    flags = "--quick" if args.quick else f"--rounds {rounds}"
    if args.claims is not None:
        flags += f" --claims {claims}"
    notes = [
        f"database: the seed corpus plus {claims} synthetic claims ({total} claims, "
        f"{size:.1f} MB, WAL), a fresh copy for every run",
        "floor: Python's sqlite3 inserting the same row (no validation, history or index)",
        "the peer and the floor write to copies without the write-rule triggers (they call "
        "factcheck's SQL functions, which only factcheck's connections have): the row alone",
    ]
    sys.stdout.write(
        section(
            "One claim added from the terminal",
            f"python bench/claim_add.py {flags}",
            subject,
            peer,
            floor,
            TARGET,
            notes,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
