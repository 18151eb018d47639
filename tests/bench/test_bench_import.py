"""The bulk import benchmark runs and prints the markdown section it promises (its figures are
not checked: timing belongs to the benchmark, not to the tests)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

# Slow: the benchmarks themselves run, in their --quick form.
pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_bulk_import_benchmark_prints_one_markdown_section(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "bulk_import.py"), "--quick", "--workdir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "round 1/1" in done.stderr  # progress on stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "## Bulk import: 2,000 claims from a jsonl dump"
    assert sum(line.startswith("## ") for line in lines) == 1
    assert "`python bench/bulk_import.py --quick`" in lines
    header = lines.index("| command | claims | median (s) | claims/s | peak RSS (MiB) | runs |")
    assert lines[header + 1] == "|---|---:|---:|---:|---:|---:|"
    labels = ("factcheck import", "sqlite-utils insert", "python sqlite3 executemany")
    for row, label in zip(lines[header + 2 : header + 5], labels, strict=True):
        assert re.fullmatch(
            rf"\| `{re.escape(label)}` \| 2,000 \| \d+\.\d\d \| [\d,]+ \| \d+ \| 1 \|", row
        ), row
    assert not lines[header + 5].startswith("|")  # --quick: no million-claim row
    same_rows = (
        r"- ratio factcheck import / the same rows written by stdlib sqlite3 .*: \*\*\d+\.\d\dx\*\*"
    )
    assert any(re.fullmatch(same_rows, line) for line in lines)
    target = r"- target: <= 1\.5x: \*\*(PASS|MISS)\*\*"
    assert any(re.fullmatch(target, line) for line in lines)
    peer = r"- ratio factcheck import / sqlite-utils insert \(claims/s, medians\): \d+\.\d\d; .*"
    assert any(re.fullmatch(peer, line) for line in lines)
    # The parts a single process cannot avoid, and how far the import is from them.
    parts = lines.index("| part | median (s) |")
    labels = ["the rows factcheck wrote", "factcheck reading and validating", "both:", "the target"]
    for row, label in zip(lines[parts + 2 : parts + 6], labels, strict=True):
        assert row.startswith(f"| {label}") and re.search(r"\| \d+\.\d\d \|$", row), row
    assert any(
        re.fullmatch(r"- factcheck import above that lower bound: .* s", line) for line in lines
    )
    bound = r"- the target's time is .* \((within|below) it\)"
    assert any(re.fullmatch(bound, line) for line in lines)
