"""search index and append-only guards: the FTS5 claim index (filled from existing claims) and
triggers that refuse updates and deletes on history, verdicts and verdict evidence.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factcheck.text import fold

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("history", "verdicts", "verdict_evidence")


def upgrade() -> None:
    if _is_sqlite():
        # Maintained by the application (rows are folded search keys, rowid = claim id).
        op.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS claim_search USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        _fill_search_index()
    for table in APPEND_ONLY:
        message = f"{table} is append-only"
        if _is_sqlite():
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )
        else:
            op.execute(
                f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
            )


def downgrade() -> None:
    for table in APPEND_ONLY:
        if _is_sqlite():
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    if _is_sqlite():
        op.execute("DROP TABLE IF EXISTS claim_search")


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _fill_search_index() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM claim_search"))
    parts: dict[int, list[str]] = {
        claim_id: [text] for claim_id, text in bind.execute(sa.text("SELECT id, text FROM claims"))
    }
    quotes = bind.execute(
        sa.text("SELECT claim_id, quote FROM appearances WHERE quote IS NOT NULL ORDER BY id")
    )
    for claim_id, quote in quotes:
        parts[claim_id].append(quote)
    if parts:
        bind.execute(
            sa.text("INSERT INTO claim_search (rowid, body) VALUES (:id, :body)"),
            [{"id": cid, "body": fold("\n".join(texts))} for cid, texts in parts.items()],
        )
