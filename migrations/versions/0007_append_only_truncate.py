"""append-only against TRUNCATE on PostgreSQL: row-level triggers (0002) do not fire for TRUNCATE,
so `TRUNCATE history` (or `TRUNCATE claims CASCADE`, which reaches verdicts) would empty the
append-only tables. A statement-level BEFORE TRUNCATE trigger refuses it, with the same message.
SQLite has no TRUNCATE (its `DELETE FROM t` fires the delete triggers), so nothing changes there.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 15:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("history", "verdicts", "verdict_evidence")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in APPEND_ONLY:
        # The function from 0002 raises "<table> is append-only" whatever the trigger's level.
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
