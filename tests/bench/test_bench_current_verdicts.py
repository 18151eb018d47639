"""Smoke run of bench/current_verdicts.py (--quick): its section, in shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_bench_quick

pytestmark = pytest.mark.slow


def test_current_verdicts_quick(tmp_path: Path) -> None:
    out = run_bench_quick("current_verdicts.py", tmp_path).stdout
    assert out.startswith("## The current verdict: one rule")
    assert "`python bench/current_verdicts.py --quick`" in out
    lines = [line for line in out.splitlines() if line.startswith("- ")]
    assert [line.split(":")[0] for line in lines] == ["- every claim", "- a page of 50"]
    # 1% of the verdicts are retracted: for every claim, the view finds fewer current verdicts
    # than the peer (which ignores retractions).
    view, peer = (
        int(part.split("(")[1].split(" ")[0].rstrip(")")) for part in lines[0].split(", ")[:2]
    )
    assert view < peer
