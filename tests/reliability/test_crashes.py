"""SIGKILL at random moments during `factcheck import` and `factcheck db upgrade`: the file
always passes `PRAGMA integrity_check`, an import lands whole or not at all, and a migration
leaves the old revision or the new one, never a mixture, with every row kept.

Kill delays are uniform over the command's measured uninterrupted run time; the seed is printed
(set FACTCHECK_CRASH_SEED to replay a run). Full size: bench/crashes.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from bench import harness
from tests.helpers import ok

# Slow: dozens of processes killed mid-import and mid-migration.
pytestmark = pytest.mark.slow

RUNS = 6
IMPORT_CLAIMS = 300
MIGRATION_EXTRA_CLAIMS = 200


def test_killed_imports_are_all_or_nothing(
    seeded: Path, tmp_path: Path, rng: random.Random, show: Callable[[str], None]
) -> None:
    outcomes = harness.crash_imports(seeded, tmp_path, RUNS, IMPORT_CLAIMS, rng)
    show(outcomes.summary())
    assert len(outcomes.runs) == RUNS
    assert harness.integrity(seeded) == ["ok"]
    ok("db", "check")


def test_killed_migrations_leave_the_old_or_the_new_revision(
    seeded: Path, tmp_path: Path, rng: random.Random, show: Callable[[str], None]
) -> None:
    # The harness raises on the first run that breaks an invariant, naming its kill delay.
    outcomes = harness.crash_migrations(seeded, tmp_path, RUNS, MIGRATION_EXTRA_CLAIMS, rng)
    show(outcomes.summary())
    assert len(outcomes.runs) == RUNS
