"""Fixtures of the reliability battery; the process harness itself is bench/harness.py, which
the full-size battery (`make reliability`) runs too."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from bench import harness


@pytest.fixture
def shared_source(db_path: Path) -> Path:
    """The test's database with the source every writer's `claim add` looks up by key."""
    harness.prepare_shared_source(db_path)
    return db_path


@pytest.fixture
def show(capsys: pytest.CaptureFixture[str]) -> Callable[[str], None]:
    """Print a measurement even though pytest captures output: the figures are the point."""

    def show(line: str) -> None:
        with capsys.disabled():
            print(f"\n  {line}")

    return show


@pytest.fixture
def rng(show: Callable[[str], None]) -> random.Random:
    """Randomness for kill delays, its seed printed; FACTCHECK_CRASH_SEED=N replays a run."""
    seed = int(os.environ.get("FACTCHECK_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    show(f"FACTCHECK_CRASH_SEED={seed}")
    return random.Random(seed)
