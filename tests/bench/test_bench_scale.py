"""Smoke tests of the scale benchmarks: each runs with --quick and prints one Markdown section
in the agreed shape (no timing assertions: timings depend on the machine)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import report_scale
from tests.helpers import REPO, run_bench_quick

# Slow: the benchmarks themselves run, in their --quick form.
pytestmark = pytest.mark.slow


def _run(script: str, tmp_path: Path) -> str:
    done = run_bench_quick(script, tmp_path)
    assert done.stderr.strip(), "progress goes to stderr"
    return done.stdout


def _shape(stdout: str, script: str) -> list[str]:
    lines = stdout.strip().splitlines()
    assert lines[0].startswith("## ")
    assert sum(1 for line in lines if line.startswith("## ")) == 1, "one section"
    assert f"`python bench/{script} --quick`" in lines
    # The first table: the benchmark's own figures (a section may add more tables after it).
    first = next(n for n, line in enumerate(lines) if line.startswith("|"))
    table = []
    for line in lines[first:]:
        if not line.startswith("|"):
            break
        table.append(line)
    assert len(table) >= 3 and set(table[1]) <= set("|-: ")
    assert re.search(r"\*\*(PASS|MISS)\*\*", stdout)
    assert "peer" in stdout.lower()
    return table


def test_report_scale_quick(tmp_path: Path) -> None:
    stdout = _run("report_scale.py", tmp_path)
    table = _shape(stdout, "report_scale.py")
    rows = table[2:]
    assert [row.split("|")[3].strip() for row in rows] == ["text", "json"]
    assert all(row.rstrip(" |").endswith("x") for row in rows)
    assert "target: `--format text` on 600 claims under 2 s" in stdout
    # Where the time goes: each part timed, and the statements replayed fetched rows.
    lines = stdout.splitlines()
    assert "Where the time goes at 600 claims" in stdout
    parts = lines[lines.index("| part | s |") + 2 :]
    parts = parts[: next(n for n, line in enumerate(parts) if not line.startswith("|"))]
    assert len(parts) == 6 and all(re.search(r"\| \d+\.\d\d \|$", row) for row in parts)
    replayed = re.search(r"own (\d+) SQL statements .* \(([\d,]+) rows\)", stdout)
    assert replayed and int(replayed.group(1)) >= 5 and int(replayed.group(2).replace(",", "")) > 0
    # The report against its own statements replayed, and the target it is held to.
    assert re.search(
        r"target: building the report within 2x of its own statements replayed, in CPU time .*"
        r"\*\*\d+\.\d\d\*\* \(.*\), \*\*(PASS|MISS)\*\*; in wall time \d+\.\d\d",
        stdout,
    )


def test_search_scale_quick(tmp_path: Path) -> None:
    stdout = _run("search_scale.py", tmp_path)
    table = _shape(stdout, "search_scale.py")
    assert any("**all" in row for row in table)
    assert "target: median under 50 ms" in stdout


def test_replicated_database_is_a_real_factcheck_database(tmp_path: Path) -> None:
    """The benchmark's SQL replication keeps the search index and report consistent."""
    os.environ["FACTCHECK_BENCH_CACHE"] = str(tmp_path / "cache")
    try:
        db = report_scale.build_database(400, 80, base_claims=200)  # db check runs inside
    finally:
        del os.environ["FACTCHECK_BENCH_CACHE"]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "factcheck",
            "--db",
            str(db),
            "report",
            "contradictions",
            "-f",
            "json",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"pairs": 80' in done.stdout
