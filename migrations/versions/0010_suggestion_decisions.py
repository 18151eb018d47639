"""suggestion decisions: what a researcher accepted or rejected of `factcheck suggest`, so that
no decided pair is suggested again; audited like every table of user data (history triggers
from factcheck/db/write_rules.py).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factcheck.db.write_rules import create_triggers, drop_triggers
from factcheck.models import Base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "suggestion_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_a_id", sa.Integer(), nullable=False),
        sa.Column("claim_b_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "decision IN ('accepted', 'rejected')",
            name=op.f("ck_suggestion_decisions_decision"),
        ),
        sa.CheckConstraint(
            "relation IN ('contradicts', 'supports', 'refines', 'duplicates')",
            name=op.f("ck_suggestion_decisions_relation"),
        ),
        sa.CheckConstraint(
            "claim_a_id < claim_b_id", name=op.f("ck_suggestion_decisions_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["claim_a_id"],
            ["claims.id"],
            name=op.f("fk_suggestion_decisions_claim_a_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claim_b_id"],
            ["claims.id"],
            name=op.f("fk_suggestion_decisions_claim_b_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["links.id"],
            name=op.f("fk_suggestion_decisions_link_id_links"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_decisions")),
        sa.UniqueConstraint(
            "claim_a_id", "claim_b_id", name=op.f("uq_suggestion_decisions_claim_a_id_claim_b_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_suggestion_decisions_claim_b_id"), "suggestion_decisions", ["claim_b_id"]
    )
    op.create_index(op.f("ix_suggestion_decisions_link_id"), "suggestion_decisions", ["link_id"])
    create_triggers(
        op.execute,
        op.get_bind().dialect.name,
        tables=[Base.metadata.tables["suggestion_decisions"]],
    )


def downgrade() -> None:
    drop_triggers(
        op.execute,
        op.get_bind().dialect.name,
        tables=[Base.metadata.tables["suggestion_decisions"]],
    )
    op.drop_index(op.f("ix_suggestion_decisions_link_id"), table_name="suggestion_decisions")
    op.drop_index(op.f("ix_suggestion_decisions_claim_b_id"), table_name="suggestion_decisions")
    op.drop_table("suggestion_decisions")
