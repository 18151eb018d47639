"""Revision 0013: a claim's verdicts and evidence go with the claim, and only then."""

import sqlite3
from pathlib import Path

import pytest

from factcheck.db.connection import connect
from tests.helpers import dump, ok


def _delete_claim(path: Path, claim: str) -> None:
    """Delete a claim as raw SQL does (a connection with factcheck's functions): no command
    would do, since any command upgrades the database first."""
    with connect(path) as connection:
        connection.execute("DELETE FROM claims WHERE id = ?", (int(claim),))


def test_downgrade_restores_the_full_guard_and_upgrade_lifts_it_for_cascades(
    db_path: Path, corpus: dict[str, int]
) -> None:
    respond = str(corpus["respond"])
    ok("verdict", "set", respond, "false", "--evidence", "revenge")
    ok("db", "downgrade", "0012", "--yes")  # (0017's source versions go)
    before = dump(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="verdicts is append-only"):
        _delete_claim(db_path, respond)
    assert dump(db_path) == before
    ok("db", "upgrade")
    _delete_claim(db_path, respond)
    deleted = [
        c["table"] for c in ok("log", "--json", "--limit", "10").json() if c["action"] == "delete"
    ]
    assert {"claims", "verdicts", "verdict_evidence", "appearances"} <= set(deleted)
    # A verdict whose claim is still there stays append-only.
    ok("verdict", "set", str(corpus["no_revenge"]), "true")
    with connect(db_path) as connection, pytest.raises(sqlite3.IntegrityError, match="append"):
        connection.execute("DELETE FROM verdicts")
