"""The latency benchmarks run and print the markdown section they promise (their figures are not
checked: timing belongs to the benchmarks, not to the tests)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.startup import QUICK_ROUNDS

# Slow: the benchmarks themselves run, in their --quick form.
pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize(
    ("script", "title", "subject", "peer", "floor"),
    [
        (
            "startup.py",
            "Start-up: factcheck --help",
            "factcheck --help",
            "sqlite-utils --help",
            "python -c pass",
        ),
        (
            "claim_add.py",
            "One claim added from the terminal",
            "factcheck claim add",
            "sqlite-utils insert",
            "python sqlite3 insert",
        ),
    ],
)
def test_benchmark_prints_one_markdown_section(
    script: str, title: str, subject: str, peer: str, floor: str
) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # Progress goes to stderr, one line per round.
    assert f"round {QUICK_ROUNDS}/{QUICK_ROUNDS}" in done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"## {title}"
    assert sum(line.startswith("## ") for line in lines) == 1
    assert f"`python bench/{script} --quick`" in lines
    header = lines.index("| command | median (ms) | min (ms) | runs |")
    assert lines[header + 1] == "|---|---:|---:|---:|"
    rows = lines[header + 2 : header + 5]
    for row, label in zip(rows, (subject, peer, floor), strict=True):
        runs = rf"\| {QUICK_ROUNDS} \|"
        assert re.fullmatch(rf"\| `{re.escape(label)}` \| \d+ \| \d+ " + runs, row), row
    assert any(
        re.fullmatch(
            rf"- ratio {re.escape(subject)} / {re.escape(peer)} \(medians\): \*\*\d+\.\d\d\*\*",
            line,
        )
        for line in lines
    )
    assert any(re.fullmatch(r"- ratio .* / floor \(medians\): \d+\.\d\d.*", line) for line in lines)
    assert any(
        re.fullmatch(
            rf"- target: {re.escape(subject)} / {re.escape(peer)} <= \d\.\d: \*\*(PASS|MISS)\*\*",
            line,
        )
        for line in lines
    )
