"""initial schema: every table of the domain model and the default rating scale.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 10:44:09.575139
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.CheckConstraint("kind IN ('fact', 'prediction', 'opinion')", name=op.f('ck_claims_kind')),
    sa.CheckConstraint('length(trim(text)) > 0', name=op.f('ck_claims_text_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sqlite_autoincrement=True
    )
    op.create_table('entities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.CheckConstraint("kind IN ('person', 'organisation', 'place', 'other')", name=op.f('ck_entities_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entities')),
    sa.UniqueConstraint('name', name=op.f('uq_entities_name')),
    sqlite_autoincrement=True
    )
    op.create_table('history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('table_name', sa.String(length=100), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('old_values', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('new_values', sa.JSON(none_as_null=True), nullable=True),
    sa.CheckConstraint("action IN ('insert', 'update', 'delete')", name=op.f('ck_history_action')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.create_index('ix_history_table_name_row_id', ['table_name', 'row_id'], unique=False)

    op.create_table('rating_scales',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('best_value', sa.Float(), nullable=True),
    sa.Column('worst_value', sa.Float(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_scales')),
    sa.UniqueConstraint('key', name=op.f('uq_rating_scales_key')),
    sqlite_autoincrement=True
    )
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('outlet', sa.String(length=300), nullable=True),
    sa.Column('author', sa.String(length=300), nullable=True),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('text_sha256', sa.String(length=64), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.CheckConstraint("kind IN ('article', 'report', 'transcript', 'post', 'dataset', 'other')", name=op.f('ck_sources_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('key', name=op.f('uq_sources_key')),
    sqlite_autoincrement=True
    )
    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('name', name=op.f('uq_tags_name')),
    sqlite_autoincrement=True
    )
    op.create_table('appearances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('quote_entered', sa.Text(), nullable=True),
    sa.Column('quote_start', sa.Integer(), nullable=True),
    sa.Column('quote_end', sa.Integer(), nullable=True),
    sa.Column('prefix', sa.Text(), nullable=True),
    sa.Column('suffix', sa.Text(), nullable=True),
    sa.Column('anchor_status', sa.String(length=20), nullable=False),
    sa.Column('claimant', sa.String(length=300), nullable=True),
    sa.Column('stance', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.CheckConstraint("(anchor_status IN ('exact', 'normalised')) = (quote_start IS NOT NULL)", name=op.f('ck_appearances_anchored_has_offsets')),
    sa.CheckConstraint("anchor_status IN ('exact', 'normalised', 'unanchored', 'none')", name=op.f('ck_appearances_anchor_status')),
    sa.CheckConstraint("stance IN ('asserts', 'reports', 'denies')", name=op.f('ck_appearances_stance')),
    sa.CheckConstraint('(quote_start IS NULL AND quote_end IS NULL) OR (quote_start >= 0 AND quote_end >= quote_start)', name=op.f('ck_appearances_offsets')),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_appearances_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_appearances_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appearances')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('appearances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appearances_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appearances_source_id'), ['source_id'], unique=False)

    op.create_table('claim_entities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_entities_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_claim_entities_entity_id_entities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_entities')),
    sa.UniqueConstraint('claim_id', 'entity_id', name=op.f('uq_claim_entities_claim_id_entity_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('claim_entities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_entities_entity_id'), ['entity_id'], unique=False)

    op.create_table('claim_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_tags_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_claim_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_tags')),
    sa.UniqueConstraint('claim_id', 'tag_id', name=op.f('uq_claim_tags_claim_id_tag_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('claim_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_tags_tag_id'), ['tag_id'], unique=False)

    op.create_table('entity_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=300), nullable=False),
    sa.Column('alias_key', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_entity_aliases_entity_id_entities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entity_aliases')),
    sa.UniqueConstraint('entity_id', 'alias_key', name=op.f('uq_entity_aliases_entity_id_alias_key')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('entity_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entity_aliases_alias_key'), ['alias_key'], unique=False)

    op.create_table('links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_a_id', sa.Integer(), nullable=False),
    sa.Column('claim_b_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.CheckConstraint("relation IN ('contradicts', 'supports', 'refines', 'duplicates')", name=op.f('ck_links_relation')),
    sa.CheckConstraint("relation NOT IN ('contradicts', 'duplicates') OR claim_a_id < claim_b_id", name=op.f('ck_links_symmetric_ordered')),
    sa.CheckConstraint('claim_a_id <> claim_b_id', name=op.f('ck_links_not_self')),
    sa.ForeignKeyConstraint(['claim_a_id'], ['claims.id'], name=op.f('fk_links_claim_a_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claim_b_id'], ['claims.id'], name=op.f('fk_links_claim_b_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_links')),
    sa.UniqueConstraint('claim_a_id', 'claim_b_id', 'relation', name=op.f('uq_links_claim_a_id_claim_b_id_relation')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_links_claim_b_id'), ['claim_b_id'], unique=False)

    op.create_table('rating_labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scale_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('polarity', sa.String(length=20), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.CheckConstraint("polarity IN ('supported', 'refuted', 'mixed', 'none')", name=op.f('ck_rating_labels_polarity')),
    sa.ForeignKeyConstraint(['scale_id'], ['rating_scales.id'], name=op.f('fk_rating_labels_scale_id_rating_scales')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_labels')),
    sa.UniqueConstraint('scale_id', 'label', name=op.f('uq_rating_labels_scale_id_label')),
    sqlite_autoincrement=True
    )
    op.create_table('verdicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('label_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_verdicts_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['label_id'], ['rating_labels.id'], name=op.f('fk_verdicts_label_id_rating_labels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verdicts')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.create_index('ix_verdicts_claim_id_id', ['claim_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_verdicts_label_id'), ['label_id'], unique=False)

    op.create_table('verdict_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('verdict_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint('source_id IS NOT NULL OR url IS NOT NULL', name=op.f('ck_verdict_evidence_has_reference')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_verdict_evidence_source_id_sources')),
    sa.ForeignKeyConstraint(['verdict_id'], ['verdicts.id'], name=op.f('fk_verdict_evidence_verdict_id_verdicts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verdict_evidence')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('verdict_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verdict_evidence_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_verdict_evidence_verdict_id'), ['verdict_id'], unique=False)

    _insert_default_scale()


def downgrade() -> None:
    with op.batch_alter_table('verdict_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verdict_evidence_verdict_id'))
        batch_op.drop_index(batch_op.f('ix_verdict_evidence_source_id'))

    op.drop_table('verdict_evidence')
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verdicts_label_id'))
        batch_op.drop_index('ix_verdicts_claim_id_id')

    op.drop_table('verdicts')
    op.drop_table('rating_labels')
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_links_claim_b_id'))

    op.drop_table('links')
    with op.batch_alter_table('entity_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entity_aliases_alias_key'))

    op.drop_table('entity_aliases')
    with op.batch_alter_table('claim_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_tags_tag_id'))

    op.drop_table('claim_tags')
    with op.batch_alter_table('claim_entities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_entities_entity_id'))

    op.drop_table('claim_entities')
    with op.batch_alter_table('appearances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appearances_source_id'))
        batch_op.drop_index(batch_op.f('ix_appearances_claim_id'))

    op.drop_table('appearances')
    op.drop_table('tags')
    op.drop_table('sources')
    op.drop_table('rating_scales')
    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.drop_index('ix_history_table_name_row_id')

    op.drop_table('history')
    op.drop_table('entities')
    op.drop_table('claims')


DEFAULT_LABELS = [
    # label, polarity, value, description
    ("true", "supported", 5.0, "Accurate; nothing significant missing."),
    ("mostly-true", "supported", 4.0, "Accurate but needs clarification or additional detail."),
    ("mixed", "mixed", 3.0, "Partly accurate, partly not."),
    ("misleading", "refuted", 2.0, "Accurate elements presented so as to mislead."),
    ("mostly-false", "refuted", 2.0, "Contains an element of truth but ignores critical facts."),
    ("false", "refuted", 1.0, "Not accurate."),
    ("unverifiable", "none", None, "Cannot be checked against available evidence."),
]


def _insert_default_scale() -> None:
    scales = sa.table(
        "rating_scales",
        sa.column("id", sa.Integer),
        sa.column("key", sa.String),
        sa.column("name", sa.String),
        sa.column("best_value", sa.Float),
        sa.column("worst_value", sa.Float),
        sa.column("description", sa.Text),
    )
    labels = sa.table(
        "rating_labels",
        sa.column("scale_id", sa.Integer),
        sa.column("label", sa.String),
        sa.column("polarity", sa.String),
        sa.column("value", sa.Float),
        sa.column("position", sa.Integer),
        sa.column("description", sa.Text),
    )
    op.bulk_insert(
        scales,
        [
            {
                "key": "default",
                "name": "factcheck default scale",
                "best_value": 5.0,
                "worst_value": 1.0,
                "description": "The labels verdicts use unless another scale is named.",
            }
        ],
    )
    # No explicit id: PostgreSQL identity sequences would not advance past it.
    scale_id = op.get_bind().scalar(sa.select(scales.c.id).where(scales.c.key == "default"))
    op.bulk_insert(
        labels,
        [
            {
                "scale_id": scale_id,
                "label": label,
                "polarity": polarity,
                "value": value,
                "position": position,
                "description": description,
            }
            for position, (label, polarity, value, description) in enumerate(DEFAULT_LABELS)
        ],
    )
