"""The hostile-text battery (bench/hostile_text.py) on SQLite: formulas, escape sequences, markup
and `</script>` in every field, read back through every output on a real terminal and in files,
the CSV export imported again, every name to act as tried; nothing reaches a reader, nothing is
lost, and what is refused changes no file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bench import hostile_text

# Slow: some 200 commands in child processes, a few of them on a pty.
pytestmark = [pytest.mark.slow, pytest.mark.hostile]


def test_hostile_text_reaches_no_reader_and_nothing_is_lost(
    tmp_path: Path, show: Callable[[str], None]
) -> None:
    tally = hostile_text.battery(tmp_path)
    show(hostile_text.section(tally))
    assert tally.problems == []
    assert all(tally.tried[check] > 0 for check in hostile_text.WRONG)
    with_controls = [t for t in hostile_text.HOSTILE.values() if hostile_text.must_refuse(t)]
    assert tally.refused_actors == 3 * len(with_controls) > 0
