"""The contradiction report at scale: `factcheck report contradictions` (text and `--format json`)
timed as a whole command on a synthetic database, against the raw query of the
`contradiction_pairs` view through stdlib sqlite3 (the floor: the same pairs and statuses, with
nothing loaded or rendered around them).

    .venv/bin/python bench/report_scale.py          # 100k claims, 20k contradictions; then 1M, 200k
    .venv/bin/python bench/report_scale.py --claims 100000 --contradictions 20000 --no-big
    .venv/bin/python bench/report_scale.py --quick          # a tiny smoke run

How the databases are built (once per size, cached in $FACTCHECK_BENCH_CACHE, else
<tempdir>/factcheck-bench-cache, as `scale-v2-<claims>-<contradictions>-b<base>.db`):

1. `bench/synth.py` writes a base corpus of at most 10,000 claims (the contradictions scaled
   down in proportion) and `factcheck import` loads it into a new database: a real import, with
   its history, anchored quotes and search index. The base database is cached too.
2. The base is replicated with SQL `INSERT ... SELECT` until the database holds the requested
   number of claims: every replica copies sources, claims, appearances, verdicts, verdict
   evidence, links, claim tags and claim entities with its ids offset past the base's largest
   ids, so replicas never link to each other. A replica's claims are renumbered in their text
   ("Claim 10001: ...") so that every claim stays distinct for search; its quotes still match its
   copied source texts, so every appearance stays exactly anchored. The writes go through a
   factcheck connection (factcheck/db/connection.py), so the database's own triggers write every
   row's history and the claims' search rows, as they do for any write.
3. One claim in twenty then gets a second, newer verdict with another label, so that "the
   current verdict" means the newest of several.
4. `factcheck db check` must pass (schema, integrity, foreign keys, and every claim's search row
   compared with what factcheck would index); above 200,000 claims only with `--check`, since
   the search comparison is slow there. Finally `factcheck db upgrade` brings a cached database
   to the current schema before anything is timed.

Output: progress on stderr; one Markdown section on stdout. Always exits 0 (MISS is a finding).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

# Run as `python bench/NAME.py`, this file's folder is on sys.path but the repository root, where
# the `bench` package is, may not be.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import report_phases

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# v2: the replicas have history and search rows written by the triggers (revision 0008).
BUILD_VERSION = "v2"
BASE_CLAIMS = 10_000
CHECK_UP_TO = 200_000
TARGET_SECONDS = 2.0
# Runs of bench/report_phases.py at the least: one run's build-to-replay ratio spans 1.7-2.5 on
# a shared machine for the same code, so three runs' median moved with the machine, not the code.
PHASE_RUNS = 7


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cache_dir() -> Path:
    path = Path(
        os.environ.get("FACTCHECK_BENCH_CACHE")
        or Path(tempfile.gettempdir()) / "factcheck-bench-cache"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def factcheck(db: Path, *args: str, stdout: int | None = subprocess.DEVNULL) -> None:
    """Run the factcheck CLI of this checkout on `db`; failures stop the benchmark."""
    subprocess.run(
        [sys.executable, "-m", "factcheck", "--db", str(db), *args],
        check=True,
        cwd=ROOT,
        stdout=stdout,
    )


def _base(claims: int, contradictions: int) -> Path:
    """A database imported by factcheck from a synthetic corpus (cached)."""
    path = cache_dir() / f"base-{BUILD_VERSION}-{claims}-{contradictions}.db"
    if path.exists():
        return path
    progress(f"importing a base corpus of {claims:,} claims (once; cached in {path.parent})")
    from bench import synth

    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        links = contradictions + claims // 10
        with corpus.open("w", encoding="utf-8") as out:
            synth.write(out, claims, links, contradictions)
        db = Path(tmp) / "base.db"
        factcheck(db, "import", str(corpus))
        checkpoint(db)
        os.replace(db, path)
    return path


def checkpoint(db: Path) -> None:
    """Fold the WAL into the file, so the database is one file that can be copied or renamed."""
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def _max_id(connection: sqlite3.Connection, table: str) -> int:
    return int(connection.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])


def replicate(db: Path, replicas: int) -> None:
    """Append `replicas - 1` offset copies of the database's rows (see the module docstring)."""
    from factcheck.db.connection import connect, transaction

    connection = connect(db, create=False)
    connection.writer.actor = "bench"
    with closing(connection), transaction(connection):
        top = {
            t: _max_id(connection, t)
            for t in (
                "sources",
                "claims",
                "appearances",
                "verdicts",
                "verdict_evidence",
                "links",
                "claim_tags",
                "claim_entities",
            )
        }
        s, c, a, v, e, k = (
            top[t]
            for t in ("sources", "claims", "appearances", "verdicts", "verdict_evidence", "links")
        )
        for r in range(1, replicas):
            if r % 10 == 0:
                progress(f"  replica {r}/{replicas - 1}")
            p = {"r": r, "s": r * s, "c": r * c, "a": r * a, "v": r * v, "e": r * e, "k": r * k}
            p |= {"t": r * top["claim_tags"], "n": r * top["claim_entities"]}
            p |= {"smax": s, "cmax": c, "amax": a, "vmax": v, "emax": e, "kmax": k}
            p |= {"tmax": top["claim_tags"], "nmax": top["claim_entities"]}
            connection.execute(
                """INSERT INTO sources (id, key, title, url, outlet, author, published, kind,
                       language, text, text_sha256, notes, created_at, created_by)
                   SELECT id + :s, 'synthetic-' || printf('%06d', id + :s),
                       'Synthetic article ' || (id + :s), url, outlet, author, published, kind,
                       language, text, text_sha256, notes, created_at, created_by
                   FROM sources WHERE id <= :smax""",
                p,
            )
            connection.execute(
                """INSERT INTO claims (id, text, kind, notes, created_at, created_by)
                   SELECT id + :c, 'Claim ' || (id + :c) || substr(text, instr(text, ':')),
                       kind, notes, created_at, created_by
                   FROM claims WHERE id <= :cmax""",
                p,
            )
            connection.execute(
                """INSERT INTO appearances (id, claim_id, source_id, quote, quote_entered,
                       quote_start, quote_end, prefix, suffix, anchor_status, claimant, stance,
                       created_at, created_by)
                   SELECT id + :a, claim_id + :c, source_id + :s, quote, quote_entered,
                       quote_start, quote_end, prefix, suffix, anchor_status, claimant, stance,
                       created_at, created_by
                   FROM appearances WHERE id <= :amax""",
                p,
            )
            connection.execute(
                """INSERT INTO verdicts (id, claim_id, label_id, note, created_at, created_by)
                   SELECT id + :v, claim_id + :c, label_id, note, created_at, created_by
                   FROM verdicts WHERE id <= :vmax""",
                p,
            )
            connection.execute(
                """INSERT INTO verdict_evidence (id, verdict_id, source_id, url, quote, note)
                   SELECT id + :e, verdict_id + :v, source_id + :s, url, quote, note
                   FROM verdict_evidence WHERE id <= :emax""",
                p,
            )
            connection.execute(
                """INSERT INTO links (id, claim_a_id, claim_b_id, relation, note, created_at,
                       created_by)
                   SELECT id + :k, claim_a_id + :c, claim_b_id + :c, relation, note, created_at,
                       created_by
                   FROM links WHERE id <= :kmax""",
                p,
            )
            connection.execute(
                """INSERT INTO claim_tags (id, claim_id, tag_id)
                   SELECT id + :t, claim_id + :c, tag_id FROM claim_tags WHERE id <= :tmax""",
                p,
            )
            connection.execute(
                """INSERT INTO claim_entities (id, claim_id, entity_id)
                   SELECT id + :n, claim_id + :c, entity_id FROM claim_entities
                   WHERE id <= :nmax""",
                p,
            )
        # A second, newer verdict (another label of the same scale) on one claim in twenty.
        connection.execute(
            """INSERT INTO verdicts (claim_id, label_id, note, created_at, created_by)
               SELECT v.claim_id,
                   coalesce((SELECT min(l.id) FROM rating_labels l, rating_labels m
                             WHERE m.id = v.label_id AND l.scale_id = m.scale_id
                               AND l.id > v.label_id),
                            (SELECT min(l.id) FROM rating_labels l, rating_labels m
                             WHERE m.id = v.label_id AND l.scale_id = m.scale_id)),
                   'Re-checked.', v.created_at, v.created_by
               FROM verdicts v WHERE v.claim_id % 20 = 0 ORDER BY v.id"""
        )


def build_database(claims: int, contradictions: int, base_claims: int = BASE_CLAIMS) -> Path:
    """A factcheck database of `claims` claims and `contradictions` contradiction links (cached)."""
    base_claims = min(base_claims, claims)
    if claims % base_claims:
        raise SystemExit(f"--claims must be a multiple of {base_claims:,} (the base corpus)")
    replicas = claims // base_claims
    if contradictions % replicas:
        raise SystemExit(f"--contradictions must be a multiple of {replicas} (the replicas)")
    path = cache_dir() / f"scale-{BUILD_VERSION}-{claims}-{contradictions}-b{base_claims}.db"
    if not path.exists():
        base = _base(base_claims, contradictions // replicas)
        progress(f"building {path.name}: the base database x {replicas}")
        started = time.monotonic()
        with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
            db = Path(tmp) / "scale.db"
            shutil.copyfile(base, db)
            replicate(db, replicas)
            if claims <= CHECK_UP_TO:
                check(db)
            checkpoint(db)
            os.replace(db, path)
        progress(f"  built in {time.monotonic() - started:.0f} s")
    factcheck(path, "db", "upgrade")
    return path


def check(db: Path) -> None:
    progress(f"factcheck db check on {db.name}")
    factcheck(db, "db", "check", stdout=sys.stderr.fileno())


def time_command(db: Path, args: Sequence[str], runs: int) -> tuple[float, float, bytes]:
    """The median wall and CPU time of the whole command (interpreter start-up included), writing
    to a file as a pipe would be written, and the first bytes of its output. The CPU time (user +
    system) is the figure to trust on a busy machine, where wall time includes waiting."""
    times = []
    cpu = []
    head = b""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.out"
        for _ in range(runs):
            with out.open("wb") as sink:
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "factcheck", "--db", str(db), *args],
                    check=True,
                    cwd=ROOT,
                    stdout=sink,
                )
                times.append(time.perf_counter() - started)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            with out.open("rb") as written:
                head = written.read(4096)
    return statistics.median(times), statistics.median(cpu), head


def time_peer(db: Path, runs: int) -> tuple[float, int]:
    """The floor: every row of the contradiction_pairs view, fetched through stdlib sqlite3."""
    times = []
    rows: list[object] = []
    for _ in range(runs):
        started = time.perf_counter()
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        rows = connection.execute("SELECT * FROM contradiction_pairs").fetchall()
        connection.close()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(rows)


def time_phases(db: Path, runs: int) -> dict[str, float]:
    """`bench/report_phases.py` on `db`, each figure the median of `runs` runs (the ratio too:
    each run's own), with the interpreter's own start-up (`python -c pass`) next to them."""
    found: dict[str, list[float]] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, str(HERE / "report_phases.py"), str(db)],
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        for key, value in json.loads(done.stdout).items():
            found.setdefault(key, []).append(float(value))
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        found.setdefault("startup", []).append(time.perf_counter() - started)
    return {key: statistics.median(values) for key, values in found.items()}


def phases_section(claims: int, phases: dict[str, float], runs: int) -> list[str]:
    fixed_text = phases["startup"] + phases["imports"] + phases["queries"] + phases["text"]
    fixed_json = phases["startup"] + phases["imports"] + phases["queries"] + phases["json"]
    rows = [
        ("interpreter start-up (`python -c pass`)", phases["startup"]),
        ("importing what the command imports", phases["imports"]),
        ("building the report, its queries included", phases["build"]),
        (
            f"the report's own {phases['statements']:.0f} SQL statements replayed through stdlib "
            f"sqlite3, every row fetched ({phases['rows']:,.0f} rows), nothing built",
            phases["queries"],
        ),
        (f"rendering text ({phases['text_bytes'] / 2**20:.0f} MiB)", phases["text"]),
        (f"rendering JSON ({phases['json_bytes'] / 2**20:.0f} MiB)", phases["json"]),
    ]
    lines = [
        f"Where the time goes at {claims:,} claims: `python bench/report_phases.py DATABASE`, "
        f"inside one process, {'one run' if runs == 1 else f'medians of {runs} runs'}.",
        "",
        "| part | s |",
        "|---|---:|",
        *(f"| {label} | {seconds:.2f} |" for label, seconds in rows),
        "",
        f"- start-up, imports, the replayed queries and rendering alone, with no report built: "
        f"text {fixed_text:.2f} s, JSON {fixed_json:.2f} s (target {TARGET_SECONDS:g} s)",
        f"- building the report beyond its queries: {phases['build'] - phases['queries']:.2f} s",
        f"- target: building the report within {report_phases.TARGET_RATIO:g}x of its own "
        f"statements replayed, in CPU time (the median of each run's ratio): "
        f"**{phases['ratio']:.2f}** ({phases['build_cpu']:.2f} s / {phases['queries_cpu']:.2f} s), "
        f"**{report_phases.verdict(phases['ratio'])}**; in wall time {phases['ratio_wall']:.2f}",
    ]
    return lines


def measure(db: Path, claims: int, contradictions: int, runs: int) -> list[dict[str, object]]:
    progress(f"timing on {claims:,} claims ({runs} runs each)")
    peer, peer_pairs = time_peer(db, runs)
    progress(f"  peer (contradiction_pairs view): {peer:.2f} s, {peer_pairs:,} pairs")
    results: list[dict[str, object]] = []
    for fmt in ("text", "json"):
        seconds, cpu, head = time_command(db, ["report", "contradictions", "--format", fmt], runs)
        if fmt == "json":
            # The summary comes first: its pair count, without parsing the whole document.
            found = re.search(rb'"pairs": (\d+)', head)
            pairs = int(found.group(1)) if found else -1
            if pairs != peer_pairs:
                progress(f"  WARNING: the report has {pairs} pairs, the view {peer_pairs}")
        progress(f"  report --format {fmt}: {seconds:.2f} s (CPU {cpu:.2f} s)")
        results.append(
            {
                "claims": claims,
                "contradictions": contradictions,
                "format": fmt,
                "seconds": seconds,
                "cpu": cpu,
                "peer": peer,
                "pairs": peer_pairs,
            }
        )
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--contradictions", type=int, default=20_000)
    parser.add_argument("--big-claims", type=int, default=1_000_000, help="the reported run")
    parser.add_argument("--big-contradictions", type=int, default=200_000)
    parser.add_argument("--no-big", action="store_true", help="skip the reported (1M) run")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--base", type=int, default=BASE_CLAIMS, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="a tiny smoke run")
    args = parser.parse_args(argv)
    command = "python bench/report_scale.py " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.quick:
        args.claims, args.contradictions, args.base, args.runs = 600, 120, 200, 1
        args.no_big = True
    db = build_database(args.claims, args.contradictions, args.base)
    results = measure(db, args.claims, args.contradictions, args.runs)
    progress("where the time goes (bench/report_phases.py)")
    phase_runs = args.runs if args.quick else max(args.runs, PHASE_RUNS)
    phases = time_phases(db, phase_runs)
    if not args.no_big:
        big = build_database(args.big_claims, args.big_contradictions, args.base)
        results += measure(big, args.big_claims, args.big_contradictions, 1)
    print("## Contradiction report at scale\n")
    print(f"`{command.strip()}`\n")
    print(
        "| claims | contradiction links | format | `factcheck report contradictions` (s) "
        "| CPU (s) | peer: contradiction_pairs view (s) | ratio |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|")
    for r in results:
        ratio = float(r["seconds"]) / max(float(r["peer"]), 1e-9)  # type: ignore[arg-type]
        print(
            f"| {r['claims']:,} | {r['contradictions']:,} | {r['format']} | {r['seconds']:.2f} "
            f"| {r['cpu']:.2f} | {r['peer']:.2f} | {ratio:.1f}x |"
        )
    print(
        "\nThe report is the whole command in a new process (start-up, query, build, render to a "
        "pipe), median of the runs. The peer, the floor, is `SELECT * FROM contradiction_pairs` "
        "(the same pairs and their statuses) fetched through stdlib sqlite3 in this process. "
        "Ratio = report / peer (wall). CPU is the command's user + system time: on a busy "
        "machine the wall time also counts waiting for a core.\n"
    )
    for r in results:
        if r["claims"] == args.claims:
            verdict = "PASS" if float(r["seconds"]) < TARGET_SECONDS else "MISS"  # type: ignore[arg-type]
            print(
                f"- target: `--format {r['format']}` on {args.claims:,} claims under "
                f"{TARGET_SECONDS:g} s: {r['seconds']:.2f} s, **{verdict}**"
            )
    for r in results:
        if r["claims"] != args.claims:
            seconds = f"{r['seconds']:.2f} s"
            print(f"- reported: `--format {r['format']}` on {r['claims']:,} claims: {seconds}")
    print()
    print("\n".join(phases_section(args.claims, phases, phase_runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
