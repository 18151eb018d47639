"""`factcheck suggest` at scale: the whole command (`suggest --json --limit 20`, every claim
against every other) timed with its peak memory on databases of 1,000, 10,000 and 100,000
synthetic claims, and on all of LIAR (train, valid and test: 12,791 claims) when
../shared/data/liar is there; the growth exponent between sizes (time ~ claims^k; goal k <= 1.2),
and the peer: stdlib sqlite3 reading every claim's text (what any tool must do first).

The synthetic claims are news-like sentences drawn from a Zipf-distributed vocabulary of 20,000
made-up words, 2,000 named entities (some of them in every claim), numbers with qualifiers,
negations and dates, so that words range from unique to very common as in real text (the
report benchmark's 44-word vocabulary would make every word common). They are imported
through the flat CSV (cached in $FACTCHECK_BENCH_CACHE, else <tempdir>/factcheck-bench-cache).

    .venv/bin/python bench/suggest_scale.py            # 1k, 10k, 100k and LIAR
    .venv/bin/python bench/suggest_scale.py --quick    # a tiny smoke run

Progress on stderr; one Markdown section on stdout; exit 0 (MISS is a finding).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import run_factcheck
from bench.report_scale import cache_dir, progress

REPO = Path(__file__).resolve().parents[1]
LIAR = REPO.parent / "shared" / "data" / "liar"
SIZES = (1_000, 10_000, 100_000)
TARGET_EXPONENT = 1.2
TARGET_SECONDS = {12_791: 10.0, 100_000: 60.0}
BUILD_VERSION = "v1"
_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "te",
    "su",
    "no",
    "vi",
    "de",
    "pa",
    "ze",
    "ru",
    "fo",
    "ga",
    "hi",
    "ba",
    "lu",
    "ne",
    "to",
    "ri",
]
_QUALIFIERS = ["", "", "about ", "at least ", "more than ", "only ", "nearly "]
_NEGATIONS = ["", "", "", "", "did not ", "never "]


def _word(n: int) -> str:
    syllables = []
    n += 400  # at least three syllables
    while n:
        n, rest = divmod(n, len(_SYLLABLES))
        syllables.append(_SYLLABLES[rest])
    return "".join(syllables)


def claims(count: int, seed: int = 14) -> list[str]:
    """`count` distinct news-like claims (deterministic for a seed)."""
    rng = random.Random(seed)
    vocabulary = [_word(n) for n in range(20_000)]
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary))]
    entities = [f"{_word(n).title()} {_word(n + 7).title()}" for n in range(30_000, 32_000)]
    entity_weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(entities))]
    texts = []
    for n in range(count):
        words = rng.choices(vocabulary, weights, k=rng.randint(6, 14))
        who = rng.choices(entities, entity_weights)[0]
        number = rng.choice([12, 24, 40, 100, 250, 500, 603, 1000, 3000])
        qualifier = rng.choice(_QUALIFIERS)
        year = rng.randint(2001, 2024)
        texts.append(
            f"{who} {rng.choice(_NEGATIONS)}{' '.join(words[:4])} {qualifier}{number} "
            f"{' '.join(words[4:])} in {year} (case {n})."
        )
    return texts


def build(count: int) -> Path:
    """A database holding `count` synthetic claims, imported through the flat CSV (cached)."""
    path = cache_dir() / f"suggest-{BUILD_VERSION}-{count}.db"
    if path.exists():
        return path
    progress(f"building a database of {count:,} synthetic claims (cached in {path.parent})")
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        db = Path(tmp) / "new.db"
        run_factcheck(db, "source", "add", "--key", "synthetic", "--title", "Synthetic claims")
        sheet = Path(tmp) / "claims.csv"
        with sheet.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["claim", "source"])
            writer.writerows([text, "synthetic"] for text in claims(count))
        run_factcheck(db, "import", str(sheet), "--format", "csv")
        _checkpoint(db)
        os.replace(db, path)
    return path


def build_liar() -> Path | None:
    files = [LIAR / f"{part}.tsv" for part in ("train", "valid", "test")]
    if not all(f.exists() for f in files):
        return None
    path = cache_dir() / f"suggest-{BUILD_VERSION}-liar.db"
    if path.exists():
        return path
    progress("importing LIAR train, valid and test (cached)")
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        db = Path(tmp) / "new.db"
        for f in files:
            run_factcheck(db, "import", str(f))
        _checkpoint(db)
        os.replace(db, path)
    return path


def _checkpoint(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


_MEASURE = r"""
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(done.returncode, seconds, peak)
"""


def measure(db: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of `factcheck suggest --json --limit 20`."""
    command = [sys.executable, "-m", "factcheck", "--db", str(db), "suggest", "--json"]
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command, "--limit", "20"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout.split()
    if out[0] != "0":
        raise SystemExit(f"factcheck suggest failed on {db}")
    return float(out[1]), float(out[2]) / 1024


def peer(db: Path) -> float:
    started = time.perf_counter()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        connection.execute("SELECT id, text FROM claims ORDER BY id").fetchall()
    connection.close()
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny smoke run")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    args = parser.parse_args(argv)
    command = "python bench/suggest_scale.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    sizes = [200, 1_000] if args.quick else args.sizes
    rows: list[tuple[str, int, float, float, float]] = []
    for size in sizes:
        db = build(size)
        seconds, mib = measure(db)
        rows.append((f"synthetic {size:,}", size, seconds, mib, peer(db)))
        progress(f"  {size:,} claims: {seconds:.2f} s, {mib:.0f} MiB")
    liar = None if args.quick else build_liar()
    if liar is not None:
        with sqlite3.connect(liar) as connection:
            count = int(connection.execute("SELECT count(*) FROM claims").fetchone()[0])
        connection.close()
        seconds, mib = measure(liar)
        rows.append(("LIAR (train+valid+test)", count, seconds, mib, peer(liar)))
        progress(f"  LIAR {count:,} claims: {seconds:.2f} s, {mib:.0f} MiB")
    print("## Suggestions at scale\n")
    print(f"`{command.strip()}`\n")
    print("| claims | n | seconds | peak MiB | peer: read every claim (s) | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, n, seconds, mib, floor in rows:
        print(
            f"| {name} | {n:,} | {seconds:.2f} | {mib:.0f} | {floor:.3f} | {seconds / floor:.0f}x |"
        )
    synthetic = [r for r in rows if r[0].startswith("synthetic")]
    print(
        "\nThe whole command, `factcheck suggest --json --limit 20`, start-up included; peak "
        "memory is the process's maximum resident set. The peer is stdlib sqlite3 reading every "
        "claim's id and text (the floor: any suggestion tool must read them).\n"
    )
    if len(synthetic) >= 2:
        (_, n0, t0, m0, _), (_, n1, t1, m1, _) = synthetic[0], synthetic[-1]
        exponent = math.log(t1 / t0) / math.log(n1 / n0)
        memory = math.log(m1 / m0) / math.log(n1 / n0)
        verdict = "PASS" if exponent <= TARGET_EXPONENT else "MISS"
        print(
            f"- growth exponent, {n0:,} to {n1:,} claims: time ~ n^{exponent:.2f}, "
            f"memory ~ n^{memory:.2f}; target time exponent <= {TARGET_EXPONENT}: **{verdict}**"
        )
        for (_, a, ta, _, _), (_, b, tb, _, _) in itertools.pairwise(synthetic):
            print(f"- {a:,} to {b:,}: time ~ n^{math.log(tb / ta) / math.log(b / a):.2f}")
    for name, n, seconds, _, _ in rows:
        target = TARGET_SECONDS.get(n) or (10.0 if name.startswith("LIAR") else None)
        if target is not None:
            verdict = "PASS" if seconds < target else "MISS"
            print(f"- target: {name} under {target:g} s: {seconds:.1f} s, **{verdict}**")
    return 0


if __name__ == "__main__":
    sys.exit(main())
