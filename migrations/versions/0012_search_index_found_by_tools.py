"""search index found by Datasette and sqlite-utils: the SQLite `claim_search` table is created
again, rows kept, with `content="claims"` in a comment of its definition.

Datasette and sqlite-utils find a table's full-text index by reading the definitions of the
virtual tables for `content="<table>"` (Datasette's and sqlite-utils' `detect_fts`). The index
cannot really take `claims` as its external content: it holds the claim's quotes too, folded,
and an external-content index can only drop a row given the very text it indexed. The comment
changes nothing for SQLite (FTS5 never sees it); it lets `datasette factcheck.db` offer `_search`
on claims and `sqlite-utils search factcheck.db claims` work with no configuration.
PostgreSQL has its own full-text search (0004): nothing changes there.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

from alembic import op

from factcheck.db.write_rules import SQLITE_SEARCH_INDEX

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Before: as 0002 created it. After: factcheck.db.write_rules.SQLITE_SEARCH_INDEX, which `db
# check` compares the index with and `db reindex` restores.
_BEFORE = (
    "CREATE VIRTUAL TABLE claim_search USING fts5("
    "body, tokenize = 'unicode61 remove_diacritics 2')"
)


def upgrade() -> None:
    _recreate(SQLITE_SEARCH_INDEX)


def downgrade() -> None:
    _recreate(_BEFORE)


def _recreate(ddl: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("ALTER TABLE claim_search RENAME TO claim_search_0012")
    op.execute(ddl)
    op.execute(
        "INSERT INTO claim_search (rowid, body) SELECT rowid, body FROM claim_search_0012 "
        "ORDER BY rowid"
    )
    op.execute("DROP TABLE claim_search_0012")
