"""write rules in the database: triggers write the history rows and keep the search index, on
SQLite (calling the SQL functions factcheck registers on its connections) and on PostgreSQL
(PL/pgSQL, with the changed claims queued in `claim_search_pending` for folding), so every writer
follows one implementation of each rule. See factcheck/db/write_rules.py.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factcheck.db.write_rules import create_triggers, drop_triggers

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The rules of the tables there are at this revision (later revisions add tables, and
    # create their rules themselves).
    bind = op.get_bind()
    create_triggers(op.execute, bind.dialect.name, existing=sa.inspect(bind).get_table_names())


def downgrade() -> None:
    drop_triggers(op.execute, op.get_bind().dialect.name)
