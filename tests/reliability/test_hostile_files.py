"""Files the user did not mean to destroy, as real processes on both backends: paths no command
may write, writes cut short, imports interrupted, downgrades with nobody to say yes.

Each target a command must not write over (or cannot write) is tried with a writing command in
turn, writes are cut short by a file size limit, imports interrupted by signals, and downgrades
that would drop rows run with nobody to say yes. Every run ends in a clean error with the
database and every file unchanged and nothing left behind. Full size, every target with every
command: bench/hostile_files.py (`make reliability`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bench import hostile_files

# Slow: well over a hundred factcheck processes.
pytestmark = [pytest.mark.slow, pytest.mark.hostile]


def _battery(backend: str, location: str, workdir: Path) -> hostile_files.Battery:
    hostile_files.prepare(location, None)
    workdir.mkdir()
    return hostile_files.Battery(backend, location, workdir)


def test_on_sqlite(seeded: Path, tmp_path: Path, show: Callable[[str], None]) -> None:
    # The database sits beside the cases' directory, as a user's would beside their reports.
    battery = _battery(hostile_files.SQLITE, str(seeded), tmp_path / "cases")
    runs = hostile_files.run_battery(battery, sample=True)
    show(f"{len(runs)} runs, {sum(r.ok for r in runs)} clean with nothing changed")
    assert [run.problem() for run in runs if not run.ok] == []
    # Every target was tried, and the database targets were not skipped.
    assert {run.what.removesuffix(" (--force)") for run in runs} >= {
        target.name for target in hostile_files.TARGETS
    }


def test_on_postgresql(pg_url: str, tmp_path: Path, show: Callable[[str], None]) -> None:
    battery = _battery(hostile_files.POSTGRESQL, pg_url, tmp_path / "cases")
    runs = hostile_files.run_battery(battery, sample=True)
    show(f"{len(runs)} runs, {sum(r.ok for r in runs)} clean with nothing changed")
    assert [run.problem() for run in runs if not run.ok] == []
    categories = {run.category for run in runs}
    assert "import --rejects" in categories
    assert "downgrade dropping rows, no --yes" in categories
