"""Start-up latency: `factcheck --help` against `sqlite-utils --help`, the peer researchers already
use on the same files, with `python -c pass` as the physical floor, all in one interleaved run.

Interleaving (factcheck, peer, floor, factcheck, ...) exposes every command to the same machine
load, so the ratios stay meaningful on a shared, noisy machine even when the absolute figures do
not. Progress goes to stderr; stdout gets one markdown section. The exit status is 0 whether the
target is met or missed: a benchmark reports, it does not judge.

    .venv/bin/python bench/startup.py --rounds 15
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# --quick checks that a script runs and prints its section: one timed round (after the
# warm-up) does, and measures nothing anyway.
QUICK_ROUNDS = 1
TARGET = 1.0


def tool(name: str) -> str:
    """A console script of this virtualenv (next to the running interpreter), else from PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} not found next to {sys.executable} or on PATH")
    return found


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def drop_write_rules(path: Path) -> None:
    """Drop the triggers that write the history and the search index of the factcheck database
    at `path` (factcheck/db/write_rules.py): they call SQL functions only factcheck's connections
    have, so a peer (sqlite-utils, stdlib sqlite3) can write its tables only without them, and
    then writes the rows it is given and nothing else."""
    from factcheck.db.write_rules import drop_triggers

    connection = sqlite3.connect(path, isolation_level=None)
    try:
        drop_triggers(connection.execute, "sqlite")
        left = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND instr(sql, 'factcheck_')"
        ).fetchall()
    finally:
        connection.close()
    if left:
        sys.exit(f"{path}: triggers still call factcheck's SQL functions: {left}")


@dataclass
class Command:
    """One command under test: its label, its argv, and what to do before each run (untimed)."""

    label: str
    argv: Sequence[str]
    stdin: bytes | None = None
    cwd: Path | None = None
    prepare: Callable[[], None] | None = None
    times: list[float] = field(default_factory=list)
    # The command's own CPU time (user + system), ms: on a busy machine its wall time also counts
    # the wait for a core or for the disk to sync, which its CPU time does not.
    cpu: list[float] = field(default_factory=list)

    def run(self, env: Mapping[str, str]) -> None:
        if self.prepare is not None:
            self.prepare()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            list(self.argv),
            input=self.stdin,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=self.cwd,
            env=dict(env),
            check=False,
        )
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            sys.exit(
                f"{self.label} failed (exit {done.returncode}): {' '.join(self.argv)}\n"
                + done.stderr.decode(errors="replace")
            )
        self.times.append(elapsed * 1000)
        used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        self.cpu.append(used * 1000)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def best(self) -> float:
        return min(self.times)


def interleave(commands: Sequence[Command], rounds: int, env: Mapping[str, str]) -> None:
    """One untimed warm-up round (page cache, .pyc files), then `rounds` timed ones."""
    for command in commands:
        command.run(env)
        command.times.clear()
        command.cpu.clear()
    for n in range(1, rounds + 1):
        for command in commands:
            command.run(env)
        summary = "  ".join(f"{c.label} {c.times[-1]:.0f}" for c in commands)
        print(f"round {n}/{rounds}: {summary} (ms)", file=sys.stderr, flush=True)


def quiet_env() -> dict[str, str]:
    """The environment for every command: no colour, a fixed width, nothing that changes the
    work done between runs."""
    env = dict(os.environ)
    env.update(NO_COLOR="1", COLUMNS="100", TERMINAL_WIDTH="100")
    # Cached bytecode is part of every normal start-up; without it we would time the compiler.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def section(
    title: str,
    reproduce: str,
    subject: Command,
    peer: Command,
    floor: Command,
    target: float,
    notes: Sequence[str] = (),
) -> str:
    """The one markdown section a benchmark prints."""
    ratio = subject.median / peer.median
    verdict = "PASS" if ratio <= target else "MISS"
    lines = [
        f"## {title}",
        "",
        f"`{reproduce}`",
        "",
        "| command | median (ms) | min (ms) | runs |",
        "|---|---:|---:|---:|",
    ]
    for command in (subject, peer, floor):
        lines.append(
            f"| `{command.label}` | {command.median:.0f} | {command.best:.0f} "
            f"| {len(command.times)} |"
        )
    above_floor = (subject.median - floor.median) / max(peer.median - floor.median, 1e-9)
    lines += [
        "",
        f"- ratio {subject.label} / {peer.label} (medians): **{ratio:.2f}**",
        f"- ratio {subject.label} / floor (medians): {subject.median / floor.median:.2f}; "
        f"{peer.label} / floor: {peer.median / floor.median:.2f}",
        f"- time above the floor, {subject.label} / {peer.label}: {above_floor:.2f}",
        f"- target: {subject.label} / {peer.label} <= {target:.1f}: **{verdict}**",
        *(f"- {note}" for note in notes),
    ]
    return "\n".join(lines) + "\n"


def rounds_from(args: argparse.Namespace) -> int:
    return QUICK_ROUNDS if args.quick else args.rounds


def parser(doc: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds (default 15)")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_ROUNDS} rounds: checks the script works"
    )
    return parser


def main() -> int:
    args = parser(__doc__).parse_args()
    rounds = rounds_from(args)
    subject = Command("factcheck --help", [tool("factcheck"), "--help"])
    peer = Command("sqlite-utils --help", [tool("sqlite-utils"), "--help"])
    floor = Command("python -c pass", [sys.executable, "-c", "pass"])
    interleave([subject, peer, floor], rounds, quiet_env())
    reproduce = "python bench/startup.py " + ("--quick" if args.quick else f"--rounds {rounds}")
    sys.stdout.write(section("Start-up: factcheck --help", reproduce, subject, peer, floor, TARGET))
    return 0


if __name__ == "__main__":
    sys.exit(main())
