"""Smoke run of the extraction benchmark (--quick): one Markdown section, in shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_bench_quick

pytestmark = pytest.mark.slow


def test_extract_eval_quick(tmp_path: Path) -> None:
    out = run_bench_quick("extract_eval.py", tmp_path).stdout
    assert out.startswith("## Claim extraction\n\n`python bench/extract_eval.py --quick`")
    assert "### Empty database: no entities known" in out
    assert "### With the corpus's entities and their spellings known" in out
    # Five articles and the total in each table, 141 curated quotes in all.
    assert out.count("| 003-politico | 41 | 27 |") == 2
    assert out.count("| **all five** | **207** | **141** |") == 2
