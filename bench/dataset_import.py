"""Importing real data: LIAR's train.tsv into an empty database, against the peers a researcher
would compare it with, each measured in the same run, rounds interleaved.

- SQLite: `factcheck import train.tsv` against `sqlite-utils insert --tsv` of the same file (one
  table of raw rows; factcheck writes sources, entities, claims, appearances, verdicts, evidence,
  their history and the search index). Target: within 2.0x.
- The flat CSV against the jsonl dump: the same claims (a synthetic corpus, bench/synth.py)
  exported both ways, each imported into an empty database (the CSV carries its sources and
  labels, as the jsonl dump does; the dump also carries the links and entities). Target: CSV
  within 1.5x of jsonl.
- PostgreSQL (when Debian's server is installed): the same LIAR import into a new database on a
  throwaway local server, against the SQLite import. Target: within 1.5x.

Progress on stderr, one markdown section on stdout, exit 0.

    .venv/bin/python bench/dataset_import.py --rounds 3
"""

from __future__ import annotations

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

from bench import synth
from bench.pgserver import PostgresServer, find_bin_dir
from bench.startup import Command, interleave, parser, progress, quiet_env, rounds_from, tool

LIAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "liar"
TARGETS = {"sqlite-utils": 2.0, "csv": 1.5, "postgresql": 1.5}


def _claims(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM claims").fetchone()[0])


def main() -> int:
    args = parser(__doc__).parse_args()
    rounds = rounds_from(args)
    source = LIAR / ("test.tsv" if args.quick else "train.tsv")
    factcheck, sqlite_utils = tool("factcheck"), tool("sqlite-utils")
    env = quiet_env()
    env.pop("FACTCHECK_DB", None)
    work = Path(tempfile.mkdtemp(prefix="factcheck-dataset-"))
    server = None
    try:
        empty = work / "empty.db"
        subprocess.run([factcheck, "--db", str(empty), "init"], check=True, capture_output=True)
        size = 500 if args.quick else 5000
        progress(f"exporting {size:,} synthetic claims as CSV and jsonl")
        corpus = work / "synthetic.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            synth.write(out, size, size // 5, size // 10)
        loaded = work / "loaded.db"
        shutil.copyfile(empty, loaded)
        subprocess.run(
            [factcheck, "--db", str(loaded), "import", str(corpus)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        dumps = {fmt: work / f"claims.{fmt}" for fmt in ("csv", "jsonl")}
        for fmt, path in dumps.items():
            subprocess.run(
                [factcheck, "--db", str(loaded), "export", "--format", fmt, "--output", str(path)],
                check=True,
            )
        claims = _claims(loaded)
        csv_rows = sum(1 for _ in dumps["csv"].open(encoding="utf-8")) - 1

        def fresh(name: str, base: Path) -> None:
            for stale in work.glob(f"{name}*"):
                stale.unlink()
            shutil.copyfile(base, work / name)

        def importing(label: str, name: str, file: Path, base: Path = empty) -> Command:
            return Command(
                label,
                [factcheck, "--db", str(work / name), "import", str(file)],
                prepare=lambda: fresh(name, base),
            )

        peer_db = work / "peer.db"
        commands = [
            importing("factcheck import (SQLite)", "liar.db", source),
            Command(
                "sqlite-utils insert --tsv",
                [
                    sqlite_utils,
                    "insert",
                    str(peer_db),
                    "liar",
                    str(source),
                    "--tsv",
                    "--no-headers",
                ],
                prepare=lambda: peer_db.unlink(missing_ok=True),
            ),
            importing("factcheck import claims.csv", "csv.db", dumps["csv"]),
            importing("factcheck import claims.jsonl", "jsonl.db", dumps["jsonl"]),
        ]
        bin_dir = find_bin_dir()
        if bin_dir is not None:
            server = PostgresServer(bin_dir)
            server.start()
            running = server

            def new_database() -> None:
                url = running.create_database()
                postgres.argv = [factcheck, "--db", url, "import", str(source)]
                subprocess.run([factcheck, "--db", url, "init"], check=True, capture_output=True)

            postgres = Command("factcheck import (PostgreSQL)", [], prepare=new_database)
            commands.append(postgres)
        interleave(commands, rounds, env)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    lite, peer, csv, jsonl = commands[:4]
    # (subject, peer, what is compared): the target holds the wall times' ratio; beside it the
    # ratio of CPU times where both run in this process alone (PostgreSQL's work is the server's).
    ratios = {
        "sqlite-utils": (lite, peer, f"`{lite.label}` / `{peer.label}`"),
        "csv": (
            csv,
            jsonl,
            f"`{csv.label}` ({csv_rows:,} rows) / `{jsonl.label}`, the same {claims:,} claims",
        ),
    }
    if len(commands) == 5:
        ratios["postgresql"] = (commands[4], lite, f"`{commands[4].label}` / `{lite.label}`")
    lines = [
        "## Importing a real dataset",
        "",
        f"`python bench/dataset_import.py --rounds {rounds}` (LIAR {source.name}; "
        f"CSV and jsonl: {claims:,} synthetic claims; each import into a new database)",
        "",
        "| command | median (s) | min (s) | CPU, median (s) | runs |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| `{c.label}` | {c.median / 1000:.2f} | {c.best / 1000:.2f} "
            f"| {c.cpu_median / 1000:.2f} | {len(c.times)} |"
            for c in commands
        ),
        "",
        "| comparison | ratio | CPU ratio | target | |",
        "|---|---:|---:|---:|---|",
    ]
    for key, (subject, other, label) in ratios.items():
        ratio = subject.median / other.median
        cpu = "" if key == "postgresql" else f"{subject.cpu_median / other.cpu_median:.2f}"
        verdict = "PASS" if ratio <= TARGETS[key] else "MISS"
        lines.append(f"| {label} | {ratio:.2f} | {cpu} | {TARGETS[key]:.1f} | {verdict} |")
    lines += [
        "",
        "- CPU: each command's own user + system time (PostgreSQL's import: the client's only). "
        "The wall time also counts waiting for a core and for the disk: sqlite-utils commits "
        "every 100 rows, so on a busy disk its wall time grows with the fsync waits",
    ]
    if len(commands) < 5:
        lines += ["- PostgreSQL: no server binaries on this machine, not measured"]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
