import pytest
from sqlalchemy import select, text

from factcheck.db.database import Database
from factcheck.models import Appearance, HistoryEntry


def test_null_transitions_are_recorded(database: Database, corpus: dict[str, int]) -> None:
    with database.write() as session:
        appearance = session.scalars(select(Appearance).order_by(Appearance.id)).first()
        assert appearance is not None
        appearance.claimant = None
        row_id = appearance.id
    with database.write() as session:
        appearance = session.get(Appearance, row_id)
        appearance.claimant = "Someone"
    with database.read() as session:
        entries = session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.table_name == "appearances", HistoryEntry.row_id == row_id)
            .order_by(HistoryEntry.id)
        ).all()
    assert [(e.action, e.old_values, e.new_values) for e in entries[1:]] == [
        ("update", {"claimant": "Afshon Ostovar"}, {"claimant": None}),
        ("update", {"claimant": None}, {"claimant": "Someone"}),
    ]
    assert entries[0].action == "insert"
    assert entries[0].new_values["claimant"] == "Afshon Ostovar"
    assert {e.actor for e in entries[1:]} == {"auditor"}


def test_history_replays_to_current_rows(database: Database, corpus: dict[str, int]) -> None:
    from tests.helpers import ok

    ok("claim", "edit", str(corpus["respond"]), "--text", "Changed", "--kind", "fact")
    ok("link", "1", "2", "--relation", "contradicts")
    ok("unlink", "1")
    with database.read() as session:
        rows: dict[tuple[str, int], dict | None] = {}
        for entry in session.scalars(select(HistoryEntry).order_by(HistoryEntry.id)):
            key = (entry.table_name, entry.row_id)
            if entry.action == "insert":
                rows[key] = dict(entry.new_values)
            elif entry.action == "update":
                rows[key] = {**rows[key], **entry.new_values}
            else:
                rows[key] = None
        claim = rows[("claims", corpus["respond"])]
        assert (claim["text"], claim["kind"]) == ("Changed", "fact")
        assert rows[("links", 1)] is None
        current = session.execute(text("SELECT * FROM appearances")).mappings().all()
        for row in current:
            replayed = rows[("appearances", row["id"])]
            assert {k: v for k, v in row.items() if k != "created_at"} == {
                k: v for k, v in replayed.items() if k != "created_at"
            }


@pytest.mark.parametrize("table", ["history", "verdicts", "verdict_evidence"])
def test_append_only_tables_reject_update_and_delete(
    database: Database, corpus: dict[str, int], table: str
) -> None:
    from tests.helpers import ok

    ok("verdict", "set", "1", "false", "--evidence", "revenge")
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(Exception, match="append-only"), database.write() as session:
            session.execute(text(statement))
