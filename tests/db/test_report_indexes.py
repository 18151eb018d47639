"""The indexes of revision 0006 exist, and the report's and the view's link queries use them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.helpers import ok


def _plan(connection: sqlite3.Connection, sql: str) -> str:
    return " | ".join(row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + sql))


def test_links_are_found_by_relation(db_path: Path) -> None:
    ok("init")
    with sqlite3.connect(db_path) as connection:
        indexes = {row[1] for row in connection.execute("PRAGMA index_list(links)")}
        assert "ix_links_relation" in indexes
        report = _plan(
            connection,
            "SELECT id, claim_a_id, claim_b_id FROM links "
            "WHERE relation IN ('contradicts', 'supports') ORDER BY id",
        )
        assert "USING INDEX ix_links_relation" in report
        view = _plan(connection, "SELECT link_id, status FROM contradiction_pairs")
        assert "USING INDEX ix_links_relation" in view
        # A claim's current verdict and its appearances are index lookups, not scans.
        current = _plan(
            connection,
            "SELECT max(id) FROM verdicts WHERE claim_id IN (1, 2, 3) GROUP BY claim_id",
        )
        assert "COVERING INDEX ix_verdicts_claim_id_id" in current
        appearances = _plan(connection, "SELECT id FROM appearances WHERE claim_id = 1")
        assert "ix_appearances_claim_id" in appearances
    connection.close()


def test_downgrade_drops_the_index(db_path: Path) -> None:
    ok("init")
    ok("db", "downgrade", "0005")
    with sqlite3.connect(db_path) as connection:
        indexes = {row[1] for row in connection.execute("PRAGMA index_list(links)")}
    connection.close()
    assert "ix_links_relation" not in indexes
    ok("db", "upgrade")
