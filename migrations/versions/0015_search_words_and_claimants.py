"""search words and claimants: PostgreSQL's search index reads words as SQLite's does, and
appearances are indexed by claimant.

- PostgreSQL's text search parser reads "florida.and", "and/or", URLs, e-mail addresses and
  hyphenated words as words of their own, where SQLite's FTS5 tokenizer (unicode61) splits them at
  every character that is not a letter or a digit, so each backend found claims the other did
  not. Its index (`claim_search.body`, whose tsvector is the generated `document`) now holds the
  words SQLite reads, a space between each (db/sql_functions.py: index_words). Nothing changes on
  SQLite.
- `ix_appearances_claimant`: search reads each distinct claimant once to find the names a query
  holds, a seek per claimant in this index instead of a scan of every appearance.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factcheck.db.connection import search_text
from factcheck.db.sql_functions import index_words
from factcheck.text import fold

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PAGE = 1000


def _rewrite(words: bool) -> None:
    """PostgreSQL's search index written again from the claims: the folded text, as words a
    space apart (`words`) or as it is (before this revision)."""
    bind = op.get_bind()
    after = 0
    while True:
        rows = bind.execute(
            sa.text(
                f"SELECT c.id, {search_text('postgresql')} FROM claims AS c "
                "WHERE c.id > :after ORDER BY c.id LIMIT :page"
            ),
            {"after": after, "page": _PAGE},
        ).all()
        if not rows:
            return
        bodies = [
            {"id": claim_id, "body": index_words(fold(text)) if words else fold(text)}
            for claim_id, text in rows
        ]
        bind.execute(sa.text("UPDATE claim_search SET body = :body WHERE rowid = :id"), bodies)
        after = rows[-1][0]


def upgrade() -> None:
    op.create_index(op.f("ix_appearances_claimant"), "appearances", ["claimant"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _rewrite(words=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rewrite(words=False)
    op.drop_index(op.f("ix_appearances_claimant"), table_name="appearances")
