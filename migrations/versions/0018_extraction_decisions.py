"""extraction decisions: what a researcher accepted or skipped of `factcheck extract --review`,
so that no decided sentence is proposed again; audited like every table of user data (history
triggers from factcheck/db/write_rules.py).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 18:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factcheck.db.write_rules import create_triggers, drop_triggers
from factcheck.models import Base

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "extraction_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("sentence_start", sa.Integer(), nullable=False),
        sa.Column("sentence_end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "decision IN ('accepted', 'skipped')", name=op.f("ck_extraction_decisions_decision")
        ),
        sa.CheckConstraint(
            "sentence_start >= 0 AND sentence_end > sentence_start",
            name=op.f("ck_extraction_decisions_offsets"),
        ),
        sa.CheckConstraint(
            "(decision = 'accepted') = (claim_id IS NOT NULL)",
            name=op.f("ck_extraction_decisions_claim_when_accepted"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_extraction_decisions_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_extraction_decisions_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extraction_decisions")),
        sa.UniqueConstraint(
            "source_id",
            "sentence_start",
            "sentence_end",
            name=op.f("uq_extraction_decisions_source_id_sentence_start_sentence_end"),
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_extraction_decisions_claim_id"), "extraction_decisions", ["claim_id"]
    )
    create_triggers(
        op.execute,
        op.get_bind().dialect.name,
        tables=[Base.metadata.tables["extraction_decisions"]],
    )


def downgrade() -> None:
    drop_triggers(
        op.execute,
        op.get_bind().dialect.name,
        tables=[Base.metadata.tables["extraction_decisions"]],
    )
    op.drop_index(op.f("ix_extraction_decisions_claim_id"), table_name="extraction_decisions")
    op.drop_table("extraction_decisions")
