"""append-only against REPLACE: `INSERT OR REPLACE` (sqlite-utils `--replace`, `REPLACE INTO`)
deletes the row it collides with without firing the delete triggers of 0002 (SQLite fires them
only with recursive_triggers on), so it could rewrite history, verdicts and evidence. An insert
that names an id already taken is now refused like an update or a delete. PostgreSQL has no
REPLACE (its upserts fire the update trigger), so nothing changes there.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 14:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("history", "verdicts", "verdict_evidence")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
