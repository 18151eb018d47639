"""report indexes: links by relation. The contradiction report, the scorecard and the
contradiction_pairs view all select links of one or a few relations; without this index each of
them scans every link. The other lookups the reports and listings make (appearances by claim and by
source, a claim's newest verdict through verdicts(claim_id, id), evidence by verdict, tags and
entities by claim) already have indexes since 0001.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_links_relation"), "links", ["relation"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_links_relation"), table_name="links")
