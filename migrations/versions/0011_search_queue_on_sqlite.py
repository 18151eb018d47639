"""search index queued on SQLite too: the triggers queue the claims a write changed in
`claim_search_pending`, and factcheck folds each queued claim into the index once before the
transaction commits (as on PostgreSQL since 0008), instead of re-indexing a claim in every
statement that touches it (FTS5 writes its pending data at every statement: a claim added with a
quote was indexed twice, a bulk import's claims once per batch of each table).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 13:00:00
"""

from collections.abc import Sequence

from alembic import op

from factcheck.db.write_rules import search_statements

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The SQLite search triggers of revisions 0008 to 0010, which kept the index themselves.
_BEFORE = {
    'appearances_search_delete': (
        "CREATE TRIGGER appearances_search_delete AFTER DELETE ON appearances WHEN OLD.quote IS NOT NULL BEGIN DELETE FROM claim_search WHERE rowid = OLD.claim_id; INSERT INTO claim_search (rowid, body) SELECT c.id, factcheck_fold(c.text || coalesce(char(10) || (SELECT group_concat(quote, char(10)) FROM (SELECT quote FROM appearances WHERE claim_id = c.id AND quote IS NOT NULL ORDER BY id)), '')) FROM claims AS c WHERE c.id = OLD.claim_id; END"
    ),
    'appearances_search_insert': (
        "CREATE TRIGGER appearances_search_insert AFTER INSERT ON appearances WHEN NEW.quote IS NOT NULL BEGIN DELETE FROM claim_search WHERE rowid = NEW.claim_id; INSERT INTO claim_search (rowid, body) SELECT c.id, factcheck_fold(c.text || coalesce(char(10) || (SELECT group_concat(quote, char(10)) FROM (SELECT quote FROM appearances WHERE claim_id = c.id AND quote IS NOT NULL ORDER BY id)), '')) FROM claims AS c WHERE c.id = NEW.claim_id; END"
    ),
    'appearances_search_update': (
        "CREATE TRIGGER appearances_search_update AFTER UPDATE OF id, claim_id, quote ON appearances BEGIN DELETE FROM claim_search WHERE rowid = OLD.claim_id; INSERT INTO claim_search (rowid, body) SELECT c.id, factcheck_fold(c.text || coalesce(char(10) || (SELECT group_concat(quote, char(10)) FROM (SELECT quote FROM appearances WHERE claim_id = c.id AND quote IS NOT NULL ORDER BY id)), '')) FROM claims AS c WHERE c.id = OLD.claim_id; DELETE FROM claim_search WHERE rowid = NEW.claim_id; INSERT INTO claim_search (rowid, body) SELECT c.id, factcheck_fold(c.text || coalesce(char(10) || (SELECT group_concat(quote, char(10)) FROM (SELECT quote FROM appearances WHERE claim_id = c.id AND quote IS NOT NULL ORDER BY id)), '')) FROM claims AS c WHERE c.id = NEW.claim_id; END"
    ),
    'claims_search_delete': (
        'CREATE TRIGGER claims_search_delete AFTER DELETE ON claims BEGIN DELETE FROM claim_search WHERE rowid = OLD.id; END'
    ),
    'claims_search_insert': (
        "CREATE TRIGGER claims_search_insert AFTER INSERT ON claims BEGIN DELETE FROM claim_search WHERE rowid = NEW.id; INSERT INTO claim_search (rowid, body) SELECT c.id, factcheck_fold(c.text || coalesce(char(10) || (SELECT group_concat(quote, char(10)) FROM (SELECT quote FROM appearances WHERE claim_id = c.id AND quote IS NOT NULL ORDER BY id)), '')) FROM claims AS c WHERE c.id = NEW.id; END"
    ),
    'claims_search_update': (
        "CREATE TRIGGER claims_search_update AFTER UPDATE OF id, text ON claims BEGIN DELETE FROM claim_search WHERE rowid = OLD.id; DELETE FROM claim_search WHERE rowid = NEW.id; INSERT INTO claim_search (rowid, body) SELECT c.id, factcheck_fold(c.text || coalesce(char(10) || (SELECT group_concat(quote, char(10)) FROM (SELECT quote FROM appearances WHERE claim_id = c.id AND quote IS NOT NULL ORDER BY id)), '')) FROM claims AS c WHERE c.id = NEW.id; END"
    ),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in _BEFORE:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS claim_search_pending")
    for ddl in search_statements("sqlite").values():
        op.execute(ddl)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # What is queued goes into the index first: the old triggers do not read the queue.
    op.execute(
        "DELETE FROM claim_search WHERE rowid IN (SELECT claim_id FROM claim_search_pending)"
    )
    for name in search_statements("sqlite"):
        if name != "claim_search_pending":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for ddl in _BEFORE.values():
        op.execute(ddl)
    op.execute(
        "INSERT INTO claim_search (rowid, body) SELECT c.id, factcheck_fold(c.text || "
        "coalesce(char(10) || (SELECT group_concat(quote, char(10)) FROM (SELECT quote FROM "
        "appearances WHERE claim_id = c.id AND quote IS NOT NULL ORDER BY id)), '')) FROM claims "
        "AS c WHERE c.id IN (SELECT claim_id FROM claim_search_pending)"
    )
    op.execute("DROP TABLE claim_search_pending")
