"""Revision 0018: extraction decisions. Upgrade, downgrade and the data round trip on both
backends: going back past 0018 drops the decisions (and says so, asked first), keeps everything
else as it was, and coming back the sentences they kept out are proposed again."""

from __future__ import annotations

import pytest

from tests.helpers import fails, ok
from tests.helpers.migrations import rows_at


def _proposed() -> list[str]:
    return [p["text"] for p in ok("extract", "politico", "--json", "--limit", "1000").json()]


def test_round_trip_with_data(
    backend: str, corpus: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("factcheck.cli.commands.extract.interactive", lambda: True)
    everything = _proposed()
    ok("db", "downgrade", "0017", "--yes")
    at_0017 = rows_at(backend)
    ok("db", "upgrade")
    assert rows_at(backend) == at_0017  # up from 0017: nothing changed
    # Skip the first proposal, accept the second.
    ok("extract", "politico", "--review", input="s\na\nq\n")
    assert _proposed() == everything[2:]
    before = rows_at(backend)
    assert len(before["extraction_decisions"]) == 2
    # Rows would go: refused without --yes, the database unchanged.
    assert "extraction_decisions 2" in fails("db", "downgrade", "0017").stderr
    assert rows_at(backend) == before
    ok("db", "downgrade", "0017", "--yes")
    assert rows_at(backend) == {k: v for k, v in before.items() if k != "extraction_decisions"}
    ok("db", "upgrade")
    assert ok("db", "check", "--json").json()["ok"] is True
    # The skipped sentence is proposed again; the accepted one stays out, quoted by its claim.
    assert _proposed() == [everything[0], *everything[2:]]
    ok("extract", "politico", "--review", input="s\nq\n")
    assert _proposed() == everything[2:]
