"""The hand-command benchmark runs and prints the markdown section it promises: one row per
command with its peer, ratio, target and verdict, and the worst one (its figures are not checked:
timing belongs to the benchmark, not to the tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.startup import QUICK_ROUNDS

REPO = Path(__file__).resolve().parents[2]
LIAR = REPO.parent / "shared" / "data" / "liar"
COMMANDS = [
    "factcheck --help",
    "factcheck claim show 1",
    "factcheck claim list --limit 20",
    'factcheck claim add "The benchmark typed this claim by hand." --source 003-politico',
    'factcheck claim cite NEW --source 004-hard-revenge --quote "Hard Revenge"',
    'factcheck claim edit NEW --text "The benchmark edited this claim by hand."',
    "factcheck search tax --limit 20",
    "factcheck search Suleimani --limit 20",
    'factcheck verdict set NEW false --note "Checked by hand."',
    "factcheck verdict history 1",
    "factcheck verdict labels",
    "factcheck link NEW 1 --relation contradicts",
    "factcheck unlink LINK",
    "factcheck source list --limit 20",
    "factcheck source show 003-politico",
    "factcheck entity list --limit 20",
    "factcheck entity show Suleimani",
    "factcheck report contradictions --status open",
    "factcheck log --limit 20",
]


@pytest.mark.slow
@pytest.mark.skipif(not (LIAR / "test.tsv").exists(), reason="the LIAR data is not here")
def test_hand_commands_benchmark_prints_one_markdown_section(tmp_path: Path) -> None:
    env = {**os.environ, "FACTCHECK_BENCH_CACHE": str(tmp_path / "cache")}
    env.pop("FACTCHECK_DB", None)
    done = subprocess.run(
        [sys.executable, "bench/hand_commands.py", "--quick"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"round {QUICK_ROUNDS}/{QUICK_ROUNDS}" in done.stderr  # progress on stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "## Commands typed by hand"
    assert sum(line.startswith("## ") for line in lines) == 1
    assert "`python bench/hand_commands.py --quick`" in lines
    header = lines.index("| command | median (ms) | peer | peer median (ms) | ratio | target | |")
    assert lines[header + 1] == "|---|---:|---|---:|---:|---:|---|"
    rows = lines[header + 2 : header + 2 + len(COMMANDS)]
    assert not lines[header + 2 + len(COMMANDS)].startswith("|")
    for row, command in zip(rows, COMMANDS, strict=True):
        peer = (
            "sqlite-utils --help" if command == "factcheck --help" else "sqlite-utils query DB .*"
        )
        target = "1.0" if command == "factcheck --help" else "2.0"
        assert re.fullmatch(
            rf"\| `{re.escape(command)}` \| \d+ \| `{peer}` \| \d+ \| \d+\.\d\d \| {target} "
            r"\| (PASS|MISS) \|",
            row,
        ), row
    worst = r"- worst: `factcheck .*`, \*\*\d+\.\d\d\*\* x its peer \(target 2\.0\): "
    assert any(re.fullmatch(worst + r"\*\*(PASS|MISS)\*\*", line) for line in lines)
    within = rf"- \d+ of {len(COMMANDS) - 1} commands within 2\.0x of their peer"
    assert any(re.fullmatch(within, line) for line in lines)
