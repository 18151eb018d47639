"""`factcheck db backup` while writer processes commit: each copy passes integrity_check, holds
every claim acknowledged before the backup began and nothing torn, and DEST appears only whole
(written as DEST.XXXXXXXX.partial, then renamed), even when the backup is killed, and whatever a
killed backup left does not spoil the next. Full size: bench/backup_under_load.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from bench import harness

# Slow: writer processes, backups and SIGKILLs.
pytestmark = pytest.mark.slow

PROCESSES = 3
CLAIMS_EACH = 15
BACKUPS = 3
KILLS = 4


def test_backups_while_writers_commit(
    seeded: Path, tmp_path: Path, show: Callable[[str], None]
) -> None:
    run, backups = harness.backups_under_load(seeded, tmp_path, PROCESSES, CLAIMS_EACH, BACKUPS)
    show(f"writers: {run.summary()}")
    for backup in backups:
        show(f"backup {backup.summary()}")
    assert run.exit_codes == [0] * PROCESSES, run.stderr
    assert not run.failed
    assert run.locked == 0
    with harness.opened(seeded) as connection:
        texts = {row[0] for row in connection.execute("SELECT text FROM claims")}
    assert harness.expected_texts("backup-load", PROCESSES, CLAIMS_EACH) <= texts
    # At least one backup ran while writes were still being acknowledged.
    assert backups
    for backup in backups:
        harness.run_factcheck(backup.path, "db", "check")


def test_killed_backup_leaves_no_partial_destination(
    seeded: Path, tmp_path: Path, rng: random.Random, show: Callable[[str], None]
) -> None:
    outcomes = harness.kill_backups(seeded, tmp_path, KILLS, rng)
    show(outcomes.summary())
    assert len(outcomes.runs) == KILLS
