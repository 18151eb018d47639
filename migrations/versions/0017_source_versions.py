"""source versions: every text a source has had, so that `source refresh` (and `source edit
--file`) keep the earlier texts with their hashes and times, and the quotes anchored in a source
can be checked against each version. Audited like every table of user data (history triggers
from factcheck/db/write_rules.py). Sources that already have a text get no version here: their
first replacement records the text they had as version 1.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factcheck.db.write_rules import create_triggers, drop_triggers
from factcheck.models import Base

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column("fetched_sha256", sa.String(length=64), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint("number >= 1", name=op.f("ck_source_versions_number")),
        sa.CheckConstraint(
            "format IN ('text', 'html', 'markdown')", name=op.f("ck_source_versions_format")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_source_versions_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_versions")),
        sa.UniqueConstraint(
            "source_id", "number", name=op.f("uq_source_versions_source_id_number")
        ),
        sqlite_autoincrement=True,
    )
    create_triggers(
        op.execute, op.get_bind().dialect.name, tables=[Base.metadata.tables["source_versions"]]
    )


def downgrade() -> None:
    drop_triggers(
        op.execute, op.get_bind().dialect.name, tables=[Base.metadata.tables["source_versions"]]
    )
    op.drop_table("source_versions")
