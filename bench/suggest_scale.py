"""`factcheck suggest` at scale: the whole command (`suggest --json --limit 20`, every claim
against every other) timed (wall and CPU seconds, medians of interleaved rounds) with its peak
memory on databases of 1,000, 10,000 and 100,000 synthetic claims, and on all of LIAR (train,
valid and test: 12,836 claims) when ../shared/data/liar is there; the growth exponents between
sizes (time ~ claims^k); and the peer: stdlib sqlite3 reading every claim's text (what any tool
must do first). Goals: 100,000 claims under 60 s and 1 GiB, LIAR under 10 s, and k <= 1.2 from
10,000 to 100,000 claims.

The synthetic claims are news-like sentences drawn from a Zipf-distributed vocabulary of 20,000
made-up words, 2,000 named entities (some of them in every claim), numbers with qualifiers,
negations and dates, so that words range from unique to very common as in real text (the
report benchmark's 44-word vocabulary would make every word common). They are imported
through the flat CSV (cached in $FACTCHECK_BENCH_CACHE, else <tempdir>/factcheck-bench-cache).

    .venv/bin/python bench/suggest_scale.py              # 1k, 10k, 100k and LIAR, 3 rounds
    .venv/bin/python bench/suggest_scale.py --rounds 1   # one round
    .venv/bin/python bench/suggest_scale.py --quick      # a tiny smoke run

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
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import run_factcheck
from bench.report_scale import cache_dir, progress

REPO = Path(__file__).resolve().parents[1]
LIAR = REPO.parent / "shared" / "data" / "liar"
SIZES = (1_000, 10_000, 100_000)
TARGET_EXPONENT = 1.2
TARGET_SECONDS = {100_000: 60.0}
TARGET_LIAR_SECONDS = 10.0
TARGET_MIB = 1024
ROUNDS = 3
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
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(done.returncode, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


@dataclass
class Size:
    """One database and its runs of `factcheck suggest --json --limit 20`."""

    name: str
    claims: int
    db: Path
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    mib: list[float] = field(default_factory=list)
    peer: list[float] = field(default_factory=list)

    def measure(self) -> None:
        """One run: wall and CPU seconds, peak resident memory (MiB); and the peer's time."""
        command = [sys.executable, "-m", "factcheck", "--db", str(self.db), "suggest", "--json"]
        out = subprocess.run(
            [sys.executable, "-c", _MEASURE, *command, "--limit", "20"],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        ).stdout.split()
        if out[0] != "0":
            raise SystemExit(f"factcheck suggest failed on {self.db}")
        self.seconds.append(float(out[1]))
        self.cpu.append(float(out[2]))
        # ru_maxrss is in KiB on Linux.
        self.mib.append(float(out[3]) / 1024)
        self.peer.append(peer(self.db))

    @property
    def time(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_time(self) -> float:
        return statistics.median(self.cpu)

    @property
    def memory(self) -> float:
        return max(self.mib)


def peer(db: Path) -> float:
    started = time.perf_counter()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        connection.execute("SELECT id, text FROM claims ORDER BY id").fetchall()
    connection.close()
    return time.perf_counter() - started


def _exponent(small: float, large: float, n0: int, n1: int) -> float:
    return math.log(large / small) / math.log(n1 / n0)


def report(sizes: Sequence[Size], command: str, rounds: int) -> str:
    lines = [
        "## Suggestions at scale\n",
        f"`{command.strip()}`\n",
        "| claims | n | seconds | CPU seconds | peak MiB | peer: read every claim (s) | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        floor = statistics.median(size.peer)
        lines.append(
            f"| {size.name} | {size.claims:,} | {size.time:.2f} | {size.cpu_time:.2f} | "
            f"{size.memory:.0f} | {floor:.3f} | {size.time / floor:.0f}x |"
        )
    lines.append(
        "\nThe whole command, `factcheck suggest --json --limit 20` (start-up included), "
        f"{rounds} interleaved round{'s' if rounds > 1 else ''}: median wall and CPU (user + "
        "system) seconds, and the largest peak resident memory. The peer is stdlib sqlite3 "
        "reading every claim's id and text (the floor: any suggestion tool must read them). "
        "Time ~ n^k between sizes: k = 1 is linear, 2 is comparing every pair.\n"
    )
    synthetic = [s for s in sizes if s.name.startswith("synthetic")]
    for small, large in itertools.pairwise(synthetic):
        n0, n1 = small.claims, large.claims
        exponent = _exponent(small.time, large.time, n0, n1)
        line = (
            f"- growth exponent, {n0:,} to {n1:,} claims: time ~ n^{exponent:.2f}, CPU ~ "
            f"n^{_exponent(small.cpu_time, large.cpu_time, n0, n1):.2f}, memory ~ "
            f"n^{_exponent(small.memory, large.memory, n0, n1):.2f}"
        )
        if large is synthetic[-1]:
            verdict = "PASS" if exponent <= TARGET_EXPONENT else "MISS"
            line += f"; target time exponent <= {TARGET_EXPONENT}: **{verdict}**"
        lines.append(line)
    for size in sizes:
        liar = size.name.startswith("LIAR")
        target = TARGET_LIAR_SECONDS if liar else TARGET_SECONDS.get(size.claims)
        if target is not None:
            verdict = "PASS" if size.time < target else "MISS"
            lines.append(
                f"- target: {size.name} under {target:g} s: {size.time:.1f} s, **{verdict}**"
            )
    if synthetic and synthetic[-1].claims == max(SIZES):
        largest = synthetic[-1]
        verdict = "PASS" if largest.memory < TARGET_MIB else "MISS"
        lines.append(
            f"- target: peak memory at {largest.claims:,} claims under {TARGET_MIB:,} MiB: "
            f"{largest.memory:.0f} MiB, **{verdict}**"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny smoke run")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="timed rounds (median)")
    args = parser.parse_args(argv)
    command = "python bench/suggest_scale.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    rounds = 1 if args.quick else args.rounds
    sizes = [
        Size(f"synthetic {n:,}", n, build(n)) for n in ([200, 1_000] if args.quick else args.sizes)
    ]
    liar = None if args.quick else build_liar()
    if liar is not None:
        with sqlite3.connect(liar) as connection:
            count = int(connection.execute("SELECT count(*) FROM claims").fetchone()[0])
        connection.close()
        sizes.append(Size("LIAR (train+valid+test)", count, liar))
    for n in range(1, rounds + 1):
        for size in sizes:
            size.measure()
            progress(
                f"  round {n}/{rounds}, {size.name}: {size.seconds[-1]:.2f} s "
                f"({size.cpu[-1]:.2f} s CPU), {size.mib[-1]:.0f} MiB"
            )
    print(report(sizes, command, rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
