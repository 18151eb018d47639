"""query views: claims_current, contradiction_pairs and verdict_history, the three questions
researchers ask the database most (documented in docs/schema.md).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 12:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEWS = ("verdict_history", "contradiction_pairs", "claims_current")


def _list(expression: str, order: str) -> str:
    """A comma-separated list of distinct values: group_concat on SQLite, string_agg elsewhere."""
    if op.get_bind().dialect.name == "sqlite":
        return f"(SELECT group_concat(value, ', ') FROM (SELECT DISTINCT {expression} AS value {order}))"
    return f"(SELECT string_agg(DISTINCT {expression}, ', ') {order})"


def claims_current(verdict_of: str) -> str:
    """The view of claims with their current verdicts, `v` being the verdict that the join
    `verdict_of` finds for claim `c` (revision 0014 makes it again on its `current_verdicts`)."""
    sources = _list(
        "s.key",
        "FROM appearances a JOIN sources s ON s.id = a.source_id WHERE a.claim_id = c.id",
    )
    tags = _list("t.name", "FROM claim_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.claim_id = c.id")
    return f"""
        CREATE VIEW claims_current AS
        SELECT
            c.id AS claim_id,
            c.text,
            c.kind,
            l.label AS verdict,
            l.polarity AS verdict_polarity,
            l.value AS verdict_value,
            v.note AS verdict_note,
            v.created_at AS verdict_at,
            v.created_by AS verdict_by,
            (SELECT count(*) FROM appearances a WHERE a.claim_id = c.id) AS appearances,
            {sources} AS sources,
            (SELECT count(*) FROM links k WHERE k.claim_a_id = c.id OR k.claim_b_id = c.id)
                AS links,
            {tags} AS tags,
            c.created_at,
            c.created_by
        FROM claims c
        {verdict_of}
        LEFT JOIN rating_labels l ON l.id = v.label_id
        """


CONTRADICTION_PAIRS = """
        CREATE VIEW contradiction_pairs AS
        SELECT
            k.id AS link_id,
            CASE
                WHEN a.verdict_polarity IS NULL OR a.verdict_polarity = 'none'
                  OR b.verdict_polarity IS NULL OR b.verdict_polarity = 'none' THEN 'open'
                WHEN a.verdict_polarity = 'supported' AND b.verdict_polarity = 'refuted'
                  OR a.verdict_polarity = 'refuted' AND b.verdict_polarity = 'supported'
                    THEN 'resolved'
                WHEN a.verdict_polarity = 'supported' AND b.verdict_polarity = 'supported'
                    THEN 'inconsistent'
                WHEN a.verdict_polarity = 'refuted' AND b.verdict_polarity = 'refuted'
                    THEN 'both-refuted'
                ELSE 'mixed'
            END AS status,
            k.note,
            a.claim_id AS claim_a_id,
            a.text AS claim_a_text,
            a.verdict AS claim_a_verdict,
            a.sources AS claim_a_sources,
            b.claim_id AS claim_b_id,
            b.text AS claim_b_text,
            b.verdict AS claim_b_verdict,
            b.sources AS claim_b_sources,
            k.created_at,
            k.created_by
        FROM links k
        JOIN claims_current a ON a.claim_id = k.claim_a_id
        JOIN claims_current b ON b.claim_id = k.claim_b_id
        WHERE k.relation = 'contradicts'
        """


def upgrade() -> None:
    op.execute(
        claims_current(
            "LEFT JOIN verdicts v ON v.id = (SELECT max(id) FROM verdicts WHERE claim_id = c.id)"
        )
    )
    op.execute(CONTRADICTION_PAIRS)
    op.execute(
        """
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
            v.id = (SELECT max(id) FROM verdicts w WHERE w.claim_id = v.claim_id) AS is_current,
            v.created_at,
            v.created_by
        FROM verdicts v
        JOIN claims c ON c.id = v.claim_id
        JOIN rating_labels l ON l.id = v.label_id
        JOIN rating_scales s ON s.id = l.scale_id
        """
    )


def downgrade() -> None:
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
