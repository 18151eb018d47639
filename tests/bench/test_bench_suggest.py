"""Smoke runs of the suggestion benchmarks (--quick): one Markdown section each, in shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import REPO, run_bench_quick

pytestmark = pytest.mark.slow


def _run(script: str, tmp_path: Path) -> str:
    done = run_bench_quick(script, tmp_path)
    assert done.stdout.startswith("## ")
    assert f"`python bench/{script} --quick`" in done.stdout
    return done.stdout


def test_suggest_scale_quick(tmp_path: Path) -> None:
    out = _run("suggest_scale.py", tmp_path)
    assert "| synthetic 200 | 200 |" in out and "| synthetic 1,000 | 1,000 |" in out
    assert "growth exponent, 200 to 1,000 claims: time ~ n^" in out


def test_suggest_eval_quick(tmp_path: Path) -> None:
    out = _run("suggest_eval.py", tmp_path)
    assert "### (a) Seed corpus:" in out
    assert "| all signals | " in out
    assert "### (c) Own labelled pairs: " in out
    assert "| held-out | contradicts | " in out and "| none | debunk-other | " in out
    if (REPO.parent / "shared" / "data" / "contradictions").exists():
        assert "### (b) rte:" in out and "### (b) equate:" in out
    else:
        assert "Skipped:" in out
