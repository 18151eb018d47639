"""PostgreSQL full-text search: the `claim_search` table that SQLite has as FTS5 since 0002.

Same contract on both backends: one row per claim (`rowid` = claim id) holding the folded text of
the claim and its quotes, maintained by the application. On PostgreSQL a stored generated
`document` column holds its tsvector (the `simple` configuration: no stemming or stop words, as
FTS5's unicode61) under a GIN index. Nothing changes on SQLite.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factcheck.text import fold

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE claim_search ("
        "rowid integer PRIMARY KEY, "
        "body text NOT NULL, "
        "document tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED)"
    )
    op.execute("CREATE INDEX ix_claim_search_document ON claim_search USING gin (document)")
    bind = op.get_bind()
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


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE claim_search")
