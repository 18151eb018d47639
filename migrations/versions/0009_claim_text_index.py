"""claim text index: the CSV import and the jsonl import recognise a claim already in the
database by its wording, and without an index each look-up read every claim (a 5,000-row CSV
spent a third of its time there). A hash index on PostgreSQL, whose b-trees refuse entries of
more than about 2.7 kB.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 10:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_claims_text", "claims", ["text"], postgresql_using="hash")


def downgrade() -> None:
    op.drop_index("ix_claims_text", table_name="claims")
