"""deletions recorded: a claim's verdicts and their evidence go with the claim when it is deleted
(`claim delete`, `source delete --cascade`), and their deletion is in the history like any other.

Verdicts and evidence stay append-only otherwise: the guards of 0002 now let a delete through only
when the row's parent is already gone (the claim, for a verdict; the verdict, for evidence), which
is the case only in the cascade of the parent's own delete. Updates, REPLACE (0005) and TRUNCATE
(0007) are refused as before. The history of both tables gains its delete trigger.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 14:40:00
"""

from collections.abc import Sequence

from alembic import op

from factcheck.db.write_rules import create_triggers
from factcheck.models import Base

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each append-only table whose rows go with a parent, and the parent that must be gone first.
_PARENTS = {"verdicts": ("claims", "claim_id"), "verdict_evidence": ("verdicts", "verdict_id")}


def _sqlite_guard(table: str, orphaned_only: bool) -> str:
    parent, column = _PARENTS[table]
    when = f"WHEN EXISTS (SELECT 1 FROM {parent} WHERE id = OLD.{column}) " if orphaned_only else ""
    return (
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {when}"
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    )


def _pg_guard(table: str, orphaned_only: bool) -> str:
    parent, column = _PARENTS[table]
    # OLD is NULL for the statement-level TRUNCATE trigger of 0007, which stays refused.
    allow = (
        f"  IF TG_OP = 'DELETE' THEN\n"
        f"    IF NOT EXISTS (SELECT 1 FROM {parent} WHERE id = OLD.{column}) THEN RETURN OLD; "
        "END IF;\n  END IF;\n"
        if orphaned_only
        else ""
    )
    return (
        f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN\n{allow}  RAISE EXCEPTION '{table} is append-only'; END $$"
    )


def _guards(orphaned_only: bool) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in _PARENTS:
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
            op.execute(_sqlite_guard(table, orphaned_only))
        else:
            op.execute(_pg_guard(table, orphaned_only))


def upgrade() -> None:
    _guards(orphaned_only=True)
    dialect = op.get_bind().dialect.name
    create_triggers(op.execute, dialect, [Base.metadata.tables[t] for t in _PARENTS])


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in _PARENTS:
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_history_delete")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_history_delete ON {table}")
    _guards(orphaned_only=False)
