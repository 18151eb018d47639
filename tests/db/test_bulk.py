"""BulkWriter on both backends: statements see the batches given before them, and a batch that
fails raises in the caller (at the next statement, or on leaving) with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from factcheck.db.bulk import BulkWriter
from factcheck.db.database import Database
from factcheck.models import Base, Claim
from factcheck.services.record_rows import row_maker

CLAIMS = Base.metadata.tables["claims"]


def _claims(ids: range) -> list[tuple[Any, ...]]:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    row = row_maker("claims", ("id", "text", "kind", "notes", "created_at", "created_by"))
    return [row(n, f"Claim {n}", "fact", None, created, "bulk") for n in ids]


def _database(fresh_url: Callable[[str], URL]) -> Database:
    database = Database(fresh_url("bulk"), "tester")
    database.ensure_schema()
    return database


def _count(database: Database) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count()).select_from(Claim)) or 0)


def test_a_statement_sees_the_batches_given_before_it(fresh_url: Callable[[str], URL]) -> None:
    database = _database(fresh_url)
    with database.write() as session, BulkWriter(session.connection()) as writer:
        for start in range(1, 5001, 1000):
            writer.insert(CLAIMS, _claims(range(start, start + 1000)))
            seen = session.scalar(select(func.count()).select_from(Claim))
            assert seen == start + 999
    assert _count(database) == 5000
    database.close()


@pytest.mark.parametrize("then_read", [True, False])
def test_a_failed_batch_raises_in_the_caller_and_writes_nothing(
    fresh_url: Callable[[str], URL], then_read: bool
) -> None:
    database = _database(fresh_url)
    with (
        pytest.raises(Exception, match=r"(?i)unique"),
        database.write() as session,
        BulkWriter(session.connection()) as writer,
    ):
        writer.insert(CLAIMS, _claims(range(1, 1001)))
        writer.insert(CLAIMS, _claims(range(1000, 1001)))  # id 1000 again
        writer.insert(CLAIMS, _claims(range(1001, 2001)))
        if then_read:
            session.scalar(select(func.count()).select_from(Claim))
    assert _count(database) == 0
    database.close()
