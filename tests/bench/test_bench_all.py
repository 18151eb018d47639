"""bench/all.py --only measures the chosen sections again and leaves the others as they were."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.slow


def test_only_replaces_its_own_section(tmp_path: Path) -> None:
    document = tmp_path / "benchmarks.md"
    kept = "<!-- bench/search_scale.py at commit abc1234, 2026-01-01 -->\n## Search\n\nkept\n"
    document.write_text(
        "# Benchmarks\n\nThe header.\n\n"
        "<!-- bench/startup.py at commit abc1234, 2026-01-01 -->\n## Start-up\n\nold\n\n" + kept,
        encoding="utf-8",
    )
    script = str(REPO / "bench" / "all.py")
    done = subprocess.run(
        [sys.executable, script, "--quick", "--only", "startup", "--output", str(document)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    written = document.read_text(encoding="utf-8")
    assert written.startswith("# Benchmarks\n\nThe header.\n\n<!-- bench/startup.py at commit ")
    assert "\nold\n" not in written and "`python bench/startup.py --quick`" in written
    # The section not measured again is kept, in its place after the new one.
    assert written.endswith("\n\n" + kept)
    assert written.count("<!-- bench/") == 2
