"""entity schema type: the schema.org type an import read for an entity (a publisher typed as a
NewsMediaOrganization, a claimant as a GovernmentOrganization), which the ClaimReview export
writes back as read; the entity's kind stays the coarse person / organisation / place / other.

The history triggers of `entities` list its columns, so they are made again with the column (and,
going down, without it, once it is dropped).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factcheck.db.write_rules import create_triggers, drop_triggers
from factcheck.models import Base

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _entities(with_schema_type: bool) -> sa.Table:
    """The entities table as the history triggers see it, at this revision or the one before."""
    table = Base.metadata.tables["entities"]
    if with_schema_type:
        return table
    columns = [c._copy() for c in table.columns if c.name != "schema_type"]
    return sa.Table("entities", sa.MetaData(), *columns)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("entities", sa.Column("schema_type", sa.String(length=100), nullable=True))
    create_triggers(op.execute, dialect, [_entities(True)])


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    # SQLite refuses to drop a column its triggers name; the table itself is not rebuilt.
    drop_triggers(op.execute, dialect, [_entities(True)])
    op.drop_column("entities", "schema_type")
    create_triggers(op.execute, dialect, [_entities(False)])
