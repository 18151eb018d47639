"""The dataset import benchmark runs and prints the markdown section it promises (its figures
are not checked: timing belongs to the benchmark, not to the tests)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.dataset_import import LIAR
from bench.startup import QUICK_ROUNDS

# Slow: the benchmark itself runs, in its --quick form.
pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.skipif(not (LIAR / "test.tsv").exists(), reason="the LIAR data is not here")
def test_dataset_import_benchmark_prints_one_markdown_section() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "dataset_import.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"round {QUICK_ROUNDS}/{QUICK_ROUNDS}" in done.stderr  # progress on stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "## Importing a real dataset"
    assert sum(line.startswith("## ") for line in lines) == 1
    labels = [
        "factcheck import (SQLite)",
        "sqlite-utils insert --tsv",
        "factcheck import claims.csv",
        "factcheck import claims.jsonl",
    ]
    figures = r"\| \d+\.\d\d \| \d+\.\d\d \| \d+\.\d\d \| " + f"{QUICK_ROUNDS} \\|"
    for label in labels:
        assert any(re.fullmatch(rf"\| `{re.escape(label)}` " + figures, line) for line in lines), (
            label
        )
    # Wall ratio, CPU ratio (none for PostgreSQL, whose work is the server's), target, verdict.
    verdicts = [
        line
        for line in lines
        if re.search(r"\| \d+\.\d\d \| (\d+\.\d\d)? \| \d\.\d \| (PASS|MISS) \|$", line)
    ]
    # With the PostgreSQL server installed (as in CI), its comparison is the third.
    assert len(verdicts) in (2, 3)
    # The two SQLite comparisons show their CPU ratio.
    assert sum(bool(re.search(r"\| \d+\.\d\d \| \d+\.\d\d \| \d\.\d \|", v)) for v in verdicts) == 2
