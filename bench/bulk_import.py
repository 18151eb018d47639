"""Bulk import: `factcheck import` of a synthetic jsonl dump (bench/synth.py: claims with their
appearances, verdicts and links) into an empty database, against `sqlite-utils insert DB claims
FILE --nl` of the same claim rows, with Python's `sqlite3` executemany of those rows as the
physical floor; interleaved rounds, each into a fresh file. Then a million claims, with the peak
memory of the import next to the smaller run's: an import streams, so it must stay flat.

factcheck does more than the peer by design: it validates every record and checks every
reference, writes every table (sources, claims, tags, appearances, verdicts and their evidence,
links), a history row for each row, and the search index, in one transaction. So the target is
set against the same rows written by stdlib sqlite3 (SAME_ROWS_CODE): the import within 1.5x
of that time; sqlite-utils' throughput is shown beside it. Progress on stderr, one markdown
section on stdout, exit 0 whether the targets are met or missed.

    .venv/bin/python bench/bulk_import.py --rounds 3
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# Run as `python bench/NAME.py`, this file's folder is on sys.path but the repository root, where
# the `bench` package is, may not be.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.startup import drop_write_rules, progress, tool

SAME_ROWS_TARGET = 1.5  # factcheck's import time over that of writing its rows with sqlite3
FLAT_TARGET = 1.5  # peak RSS of the million-claim import over the smaller one's
QUICK_CLAIMS = 2000
MILLION = 1_000_000
SYNTH = Path(__file__).resolve().with_name("synth.py")

# The floor: the claim rows as sqlite-utils stores them (tags as JSON text), one executemany in
# one transaction; reading and parsing the file included, as it is for the other two.
FLOOR_CODE = """\
import json, sqlite3, sys
rows = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
columns = list(rows[0])
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE claims (%s)" % ", ".join(columns))
insert = "INSERT INTO claims VALUES (%s)" % ", ".join("?" for _ in columns)
with db:
    db.executemany(insert, [
        tuple(json.dumps(v) if isinstance(v, list) else v for v in (r.get(c) for c in columns))
        for r in rows
    ])
db.close()
"""

# The floor of factcheck's own work: every row its import wrote (each table, the history, the
# search index), read back from its database and written again into a new empty factcheck
# database in one transaction by stdlib sqlite3, with multi-row INSERTs (SQLite's fastest way
# from Python, as factcheck's import uses) and the same settings as the import (foreign keys on,
# a 64 MiB page cache, the append-only tables' REPLACE guards in place). The empty database's
# write-rule triggers are dropped beforehand (untimed): the history and search rows are among the
# rows written, so the triggers would write them twice (and stdlib sqlite3 lacks the functions
# they call). Only the write is timed; it prints the seconds. argv: the imported database, an
# empty one without the write rules, the target.
SAME_ROWS_CODE = """\
import shutil, sqlite3, sys, time
imported, empty, target = sys.argv[1:4]
shutil.copyfile(empty, target)
db = sqlite3.connect(target, isolation_level=None)
db.execute("PRAGMA foreign_keys = ON")
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA cache_size = -65536")
db.execute("ATTACH ? AS imported", (imported,))
tables = [name for (name,) in db.execute(
    "SELECT name FROM main.sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
    " AND name NOT GLOB 'claim_search_*'"
    " AND name NOT IN ('alembic_version', 'sqlite_sequence') ORDER BY rowid")]
# The rows the import added: those the empty database does not already have (the default
# rating scale is migration data).
rows = {t: db.execute(f"SELECT * FROM imported.{t} WHERE rowid NOT IN (SELECT rowid FROM main.{t})"
                      " ORDER BY rowid").fetchall() for t in tables}
rows["claim_search"] = db.execute("SELECT rowid, body FROM imported.claim_search").fetchall()
db.execute("DETACH imported")

def insert(head, rows):
    width = len(rows[0])
    per = max(1, min(250, 32766 // width))
    one = "(" + ", ".join("?" * width) + ")"
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        db.execute(head + ", ".join([one] * len(chunk)), [v for row in chunk for v in row])

started = time.perf_counter()
db.execute("BEGIN IMMEDIATE")
db.execute("PRAGMA defer_foreign_keys = ON")
for table in tables:
    if rows[table]:
        insert(f"INSERT INTO {table} VALUES ", rows[table])
insert("INSERT INTO claim_search (rowid, body) VALUES ", rows["claim_search"])
db.execute("COMMIT")
elapsed = time.perf_counter() - started
# The copy must hold what the import wrote, table by table, or the floor is not the same work.
db.execute("ATTACH ? AS imported", (imported,))
for table in [*tables, "claim_search"]:
    counts = [db.execute(f"SELECT count(*) FROM {s}.{table}").fetchone()[0]
              for s in ("main", "imported")]
    if counts[0] != counts[1]:
        sys.exit(f"{table}: {counts[0]} rows copied, {counts[1]} imported")
print(elapsed)
"""

# factcheck's reading and checking of the dump, with no database: every line parsed and
# validated as the import does it. Prints the seconds (the loop only, not the interpreter).
VALIDATE_CODE = """\
import sys, time
from factcheck.interchange.jsonl import read_records
started = time.perf_counter()
with open(sys.argv[1], "rb") as lines:
    for _record in read_records(lines):
        pass
print(time.perf_counter() - started)
"""


@dataclass
class Run:
    """One command timed: wall seconds, and the child's peak resident memory (MiB)."""

    seconds: float
    peak_mib: float


def run(argv: list[str], env: dict[str, str]) -> Run:
    """Run a command to completion; its wall time and its own peak RSS (from wait4)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True
    )
    assert child.stderr is not None
    # Read stderr while waiting, so a chatty child cannot block on a full pipe.
    errors = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if child.returncode != 0:
        sys.exit(f"failed (exit {child.returncode}): {' '.join(argv)}\n{errors}")
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return Run(elapsed, usage.ru_maxrss * scale / 2**20)


@dataclass
class Contender:
    label: str
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(r.peak_mib for r in self.runs)


def corpus(workdir: Path, claims: int) -> tuple[Path, Path]:
    """The synthetic dump and its claim rows as newline-delimited JSON, made once and kept."""
    contradictions = claims // 5
    dump = workdir / f"synth-{claims}-{contradictions}.jsonl"
    rows = dump.with_suffix(".claims.ndjson")
    if not dump.exists():
        progress(f"generating {dump.name} (bench/synth.py)")
        partial = dump.with_name(dump.name + ".partial")
        subprocess.run(
            [sys.executable, str(SYNTH), "--claims", str(claims),
             "--contradictions", str(contradictions), "--output", str(partial)],
            check=True,
        )  # fmt: skip
        partial.replace(dump)
    if not rows.exists():
        partial = rows.with_name(rows.name + ".partial")
        with dump.open(encoding="utf-8") as source, partial.open("w", encoding="utf-8") as out:
            for line in source:
                if line.startswith('{"type":"claim"'):
                    out.write(line)
        partial.replace(rows)
    return dump, rows


def fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def empty_factcheck_db(path: Path, env: dict[str, str]) -> None:
    """A new, migrated, empty factcheck database (not timed: the import is)."""
    fresh(path)
    subprocess.run(
        [tool("factcheck"), "--db", str(path), "init"],
        check=True, stdout=subprocess.DEVNULL, env=env,
    )  # fmt: skip


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        found = {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("claims", "appearances", "verdicts", "links", "history", "claim_search")
        }
    db.close()
    return found


def reported_seconds(argv: list[str], env: dict[str, str]) -> float:
    """Run a script that times its own part and prints the seconds on its first line."""
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        sys.exit(f"failed (exit {done.returncode}): {' '.join(argv[:2])}\n{done.stderr}")
    return float(done.stdout.split()[0])


@dataclass
class Parts:
    """The parts a single process cannot do without: factcheck's rows written by stdlib
    sqlite3, and factcheck's reading and validating of the dump with no database (seconds)."""

    same_rows: list[float] = field(default_factory=list)
    validate: list[float] = field(default_factory=list)


def factcheck_import(db: Path, dump: Path, env: dict[str, str]) -> Run:
    empty_factcheck_db(db, env)
    return run([tool("factcheck"), "--db", str(db), "import", str(dump)], env)


def compare(
    workdir: Path, claims: int, rounds: int, env: dict[str, str]
) -> tuple[list[Contender], Parts]:
    dump, rows = corpus(workdir, claims)
    empty, again = workdir / "empty.db", workdir / "again.db"
    empty_factcheck_db(empty, env)
    with sqlite3.connect(empty) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    drop_write_rules(empty)
    parts = Parts()
    mine, peer, floor = (
        Contender("factcheck import"),
        Contender("sqlite-utils insert"),
        (Contender("python sqlite3 executemany")),
    )
    db = workdir / "run.db"
    for n in range(1, rounds + 1):
        mine.runs.append(factcheck_import(db, dump, env))
        written = counts(db)
        if written["claims"] != claims or written["claim_search"] != claims:
            sys.exit(f"factcheck import wrote {written}, expected {claims} claims indexed")
        parts.same_rows.append(
            reported_seconds(
                [sys.executable, "-c", SAME_ROWS_CODE, str(db), str(empty), str(again)], env
            )
        )
        fresh(again)
        parts.validate.append(
            reported_seconds([sys.executable, "-c", VALIDATE_CODE, str(dump)], env)
        )
        fresh(db)
        peer.runs.append(
            run([tool("sqlite-utils"), "insert", str(db), "claims", str(rows), "--nl"], env)
        )
        fresh(db)
        floor.runs.append(run([sys.executable, "-c", FLOOR_CODE, str(db), str(rows)], env))
        fresh(db)
        summary = "  ".join(f"{c.label} {c.runs[-1].seconds:.1f}" for c in (mine, peer, floor))
        summary += f"  same rows {parts.same_rows[-1]:.1f}  validating {parts.validate[-1]:.1f}"
        progress(f"round {n}/{rounds}: {summary} (s)")
    fresh(empty)
    return [mine, peer, floor], parts


def million(workdir: Path, env: dict[str, str]) -> Contender:
    dump, _rows = corpus(workdir, MILLION)
    db = workdir / "million.db"
    progress("importing a million claims")
    result = Contender("factcheck import")
    result.runs.append(factcheck_import(db, dump, env))
    written = counts(db)
    fresh(db)
    if written["claims"] != MILLION:
        sys.exit(f"factcheck import of a million claims wrote {written}")
    progress(f"a million claims: {result.seconds:.0f} s, peak {result.peak_mib:.0f} MiB")
    return result


def report(
    reproduce: str,
    claims: int,
    contenders: list[Contender],
    parts: Parts,
    big: Contender | None,
) -> str:
    mine, peer, floor = contenders
    rate = {c.label: claims / c.seconds for c in contenders}
    ratio = rate[mine.label] / rate[peer.label]
    lines = [
        f"## Bulk import: {claims:,} claims from a jsonl dump",
        "",
        f"`{reproduce}`",
        "",
        "| command | claims | median (s) | claims/s | peak RSS (MiB) | runs |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for c in contenders:
        lines.append(
            f"| `{c.label}` | {claims:,} | {c.seconds:.2f} | {rate[c.label]:,.0f} "
            f"| {c.peak_mib:.0f} | {len(c.runs)} |"
        )
    if big is not None:
        lines.append(
            f"| `{big.label}` | {MILLION:,} | {big.seconds:.2f} | {MILLION / big.seconds:,.0f} "
            f"| {big.peak_mib:.0f} | 1 |"
        )
    same_rows = statistics.median(parts.same_rows)
    validate = statistics.median(parts.validate)
    over_same_rows = mine.seconds / same_rows
    verdict = "PASS" if over_same_rows <= SAME_ROWS_TARGET else "MISS"
    lines += [
        "",
        f"- ratio {mine.label} / the same rows written by stdlib sqlite3 (time, medians): "
        f"**{over_same_rows:.2f}x**",
        f"- target: <= {SAME_ROWS_TARGET:.1f}x: **{verdict}**",
        f"- ratio {mine.label} / {peer.label} (claims/s, medians): {ratio:.2f}; "
        f"{mine.label} / floor: {rate[mine.label] / rate[floor.label]:.3f}; "
        f"{peer.label} / floor: {rate[peer.label] / rate[floor.label]:.3f}",
    ]
    if big is not None:
        growth = big.peak_mib / mine.peak_mib
        flat = "PASS" if growth <= FLAT_TARGET else "MISS"
        lines += [
            f"- peak RSS, {MILLION:,} claims / {claims:,}: **{growth:.2f}** "
            f"({big.peak_mib:.0f} / {mine.peak_mib:.0f} MiB)",
            f"- target: the import streams, peak RSS roughly flat (<= {FLAT_TARGET:.1f}x): "
            f"**{flat}**",
        ]
    target_seconds = same_rows * SAME_ROWS_TARGET
    lines += [
        "",
        "What a single process cannot avoid, timed in the same rounds (each part times only "
        "itself, not its interpreter):",
        "",
        "| part | median (s) |",
        "|---|---:|",
        f"| the rows factcheck wrote (every table, a history row per row, the search index) "
        f"written again by stdlib sqlite3, multi-row INSERTs, one transaction | {same_rows:.2f} |",
        f"| factcheck reading and validating the dump, no database | {validate:.2f} |",
        f"| both: a lower bound for one process | {same_rows + validate:.2f} |",
        f"| the target's time ({SAME_ROWS_TARGET:g} x the same rows) | {target_seconds:.2f} |",
        "",
        f"- {mine.label} above that lower bound: {mine.seconds - same_rows - validate:.2f} s",
        f"- the target's time is {target_seconds / (same_rows + validate):.2f}x the lower bound "
        f"({'within' if target_seconds >= same_rows + validate else 'below'} it)",
    ]
    lines += [
        "- factcheck validates every record and writes every table, a history row per row and "
        "the search index; the peer and the floor write the claims table only",
        "- each run into a fresh file; factcheck's database is created (migrated) untimed first",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000, help="claims (default 100,000)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument(
        "--million",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also import a million claims and compare peak memory (default: on)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_CLAIMS:,} claims, 1 round, no million: checks the script works",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "factcheck-bench-import",
        help="where the generated corpora are cached",
    )
    args = parser.parse_args()
    claims, rounds, big = args.claims, args.rounds, args.million
    if args.quick:
        claims, rounds, big = QUICK_CLAIMS, 1, False
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, NO_COLOR="1", FACTCHECK_USER="bench")
    env.pop("FACTCHECK_DB", None)
    contenders, parts = compare(args.workdir, claims, rounds, env)
    big_run = million(args.workdir, env) if big else None
    if args.quick:
        flags = "--quick"
    else:
        flags = f"--rounds {rounds}" + ("" if big else " --no-million")
        if claims != 100_000:
            flags += f" --claims {claims}"
    reproduce = f"python bench/bulk_import.py {flags}"
    sys.stdout.write(report(reproduce, claims, contenders, parts, big_run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
