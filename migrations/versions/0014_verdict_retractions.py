"""verdict retractions, and one rule for the current verdict.

`verdict_retractions` records a verdict taken back (`factcheck verdict retract`): which, why,
who and when. It is append-only like the verdicts (no update, no delete but in the cascade of
its verdict's, no REPLACE on SQLite, no TRUNCATE on PostgreSQL) and audited like every table.

The current verdict of a claim is its newest verdict not retracted. That rule is written once,
as the view `current_verdicts` (claim_id, verdict_id), which the other views and factcheck's
own queries use: `claims_current` and `verdict_history` (whose `is_current` it now decides, and
which gains the retraction's note, time and author) are made again on it, and
`contradiction_pairs` with them (it reads `claims_current`).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 17:00:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

from factcheck.db.write_rules import create_triggers, drop_triggers
from factcheck.models import Base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "verdict_retractions"
_MESSAGE = f"{TABLE} is append-only"
# Dropped in this order (a view before the views it reads).
_VIEWS = ("contradiction_pairs", "claims_current", "verdict_history", "current_verdicts")


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _create_table() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("verdict_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["verdict_id"],
            ["verdicts.id"],
            name=op.f("fk_verdict_retractions_verdict_id_verdicts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verdict_retractions")),
        sa.UniqueConstraint("verdict_id", name=op.f("uq_verdict_retractions_verdict_id")),
        sqlite_autoincrement=True,
    )


def _guards() -> None:
    """Append-only as verdicts are since 0013: a delete passes only once the verdict is gone
    (the cascade of its claim's delete)."""
    if _is_sqlite():
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
            "WHEN EXISTS (SELECT 1 FROM verdicts WHERE id = OLD.verdict_id) "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        )
        # INSERT OR REPLACE deletes the row it collides with without the delete triggers (0005).
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_replace BEFORE INSERT ON {TABLE} "
            f"WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        )
        return
    # OLD is NULL for the statement-level TRUNCATE trigger, which stays refused (0007).
    op.execute(
        f"CREATE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n"
        "  IF TG_OP = 'DELETE' THEN\n"
        "    IF NOT EXISTS (SELECT 1 FROM verdicts WHERE id = OLD.verdict_id) THEN RETURN OLD; "
        "END IF;\n  END IF;\n"
        f"  RAISE EXCEPTION '{_MESSAGE}'; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_append_only()"
    )


def _create_views() -> None:
    # Without GROUP BY, so that SQLite flattens the view into the query that reads it: a
    # condition on the claims (`WHERE claim_id IN (...)`) then searches the verdicts' index
    # instead of grouping every verdict first (an aggregate view is not pushed into).
    op.execute(
        f"""
        CREATE VIEW current_verdicts AS
        SELECT v.claim_id, v.id AS verdict_id
        FROM verdicts v
        WHERE NOT EXISTS (SELECT 1 FROM {TABLE} r WHERE r.verdict_id = v.id)
          AND NOT EXISTS (
            SELECT 1 FROM verdicts w
            WHERE w.claim_id = v.claim_id AND w.id > v.id
              AND NOT EXISTS (SELECT 1 FROM {TABLE} r WHERE r.verdict_id = w.id))
        """
    )
    views = _revision_0003()
    op.execute(
        views.claims_current(
            "LEFT JOIN current_verdicts cv ON cv.claim_id = c.id\n"
            "        LEFT JOIN verdicts v ON v.id = cv.verdict_id"
        )
    )
    op.execute(views.CONTRADICTION_PAIRS)
    op.execute(
        f"""
        CREATE VIEW verdict_history AS
        SELECT
            v.id AS verdict_id,
            v.claim_id,
            c.text AS claim_text,
            l.label,
            l.polarity,
            l.value,
            s.key AS scale,
            v.note,
            (SELECT count(*) FROM verdict_evidence e WHERE e.verdict_id = v.id) AS evidence,
            EXISTS (SELECT 1 FROM current_verdicts cv WHERE cv.verdict_id = v.id) AS is_current,
            v.created_at,
            v.created_by,
            r.note AS retraction_note,
            r.created_at AS retracted_at,
            r.created_by AS retracted_by
        FROM verdicts v
        JOIN claims c ON c.id = v.claim_id
        JOIN rating_labels l ON l.id = v.label_id
        JOIN rating_scales s ON s.id = l.scale_id
        LEFT JOIN {TABLE} r ON r.verdict_id = v.id
        """
    )


def _drop_views() -> None:
    for view in _VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")


def _revision_0003() -> Any:
    """Revision 0003, which made the views first and whose definitions these reuse (loaded
    by path: revisions are files, not a package)."""
    path = Path(__file__).with_name("0003_query_views.py")
    spec = importlib.util.spec_from_file_location("factcheck_revision_0003", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    _create_table()
    create_triggers(op.execute, op.get_bind().dialect.name, tables=[Base.metadata.tables[TABLE]])
    _guards()
    _drop_views()
    _create_views()


def downgrade() -> None:
    _drop_views()
    _revision_0003().upgrade()
    drop_triggers(op.execute, op.get_bind().dialect.name, tables=[Base.metadata.tables[TABLE]])
    if not _is_sqlite():
        op.execute(f"DROP FUNCTION IF EXISTS {TABLE}_append_only() CASCADE")
    # On SQLite the guards go with the table.
    op.drop_table(TABLE)
