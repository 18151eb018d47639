"""The schema: SQLAlchemy typed models for every entity of the domain model.

Researchers query these tables directly (sqlite3, sqlite-utils, Datasette), so names are plain,
plural and stable, and every constraint has a predictable name from the naming convention.
Every table has an integer primary key that is never reused (AUTOINCREMENT on SQLite, identity
columns on PostgreSQL), so a history row's ``row_id`` always means one row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from factcheck.vocab import (
    ANCHOR_STATUSES,
    CLAIM_KINDS,
    DECISIONS,
    DOCUMENT_FORMATS,
    ENTITY_KINDS,
    EXTRACTION_DECISIONS,
    HISTORY_ACTIONS,
    POLARITIES,
    RELATIONS,
    SOURCE_KINDS,
    STANCES,
    SYMMETRIC_RELATIONS,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Every table: ids are never reused, even after the newest row is deleted.
_TABLE_OPTIONS = {"sqlite_autoincrement": True}


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite has no timestamp type: values are stored as ISO-like text, which sorts correctly and
    reads well in sqlite3 and Datasette.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Stamped:
    """Who created a row, and when."""

    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=text("CURRENT_TIMESTAMP")
    )
    created_by: Mapped[str | None] = mapped_column(String(200))


class RatingScale(Base):
    """A set of verdict labels; the default scale ships with the database, imports add their own."""

    __tablename__ = "rating_scales"
    __table_args__ = _TABLE_OPTIONS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    best_value: Mapped[float | None] = mapped_column(Float)
    worst_value: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)

    labels: Mapped[list[RatingLabel]] = relationship(
        back_populates="scale", order_by="RatingLabel.position"
    )


class RatingLabel(Base):
    """A label verdicts can use: its polarity (supported, refuted, mixed, none) and value."""

    __tablename__ = "rating_labels"
    __table_args__ = (
        UniqueConstraint("scale_id", "label"),
        CheckConstraint(_one_of("polarity", POLARITIES), name="polarity"),
        _TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scale_id: Mapped[int] = mapped_column(ForeignKey("rating_scales.id"))
    label: Mapped[str] = mapped_column(String(100))
    polarity: Mapped[str] = mapped_column(String(20))
    # Maps onto ClaimReview's ratingValue; NULL for labels such as "unverifiable".
    value: Mapped[float | None] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str | None] = mapped_column(Text)

    scale: Mapped[RatingScale] = relationship(back_populates="labels")


class Source(Stamped, Base):
    """A document claims appear in, with its full text snapshot and the text's sha256."""

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint(_one_of("kind", SOURCE_KINDS), name="kind"),
        _TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(300))
    author: Mapped[str | None] = mapped_column(String(300))
    # ISO 8601, possibly partial: "2020", "2020-01", "2020-01-03".
    published: Mapped[str | None] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20), default="article")
    language: Mapped[str | None] = mapped_column(String(20))
    # Deferred: listings never need the (possibly long) snapshot.
    text: Mapped[str | None] = mapped_column(Text, deferred=True)
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)

    appearances: Mapped[list[Appearance]] = relationship(back_populates="source")


class SourceVersion(Stamped, Base):
    """One text a source has had, numbered from 1; the highest number is the current text
    (`sources.text`). Kept when a source is added with a text, and when `source refresh` or
    `source edit --file` replaces the text, so earlier texts are never lost.

    `format` is what the text was read from (HTML is reduced to its main text), `origin` the
    address fetched (NULL for a file), `fetched_sha256` the sha256 of the bytes fetched or read
    (the HTML, not the text), `fetched_at` when.
    """

    __tablename__ = "source_versions"
    __table_args__ = (
        UniqueConstraint("source_id", "number"),
        CheckConstraint("number >= 1", name="number"),
        CheckConstraint(_one_of("format", DOCUMENT_FORMATS), name="format"),
        _TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, deferred=True)
    text_sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(20), default="text")
    origin: Mapped[str | None] = mapped_column(Text)
    fetched_sha256: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Claim(Stamped, Base):
    """One checkable proposition in canonical wording: a fact, prediction or opinion."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint(_one_of("kind", CLAIM_KINDS), name="kind"),
        CheckConstraint("length(trim(text)) > 0", name="text_not_empty"),
        # Imports recognise a claim by its wording. A hash index on PostgreSQL, whose b-trees
        # refuse entries of more than about 2.7 kB (a claim can be longer).
        Index("ix_claims_text", "text", postgresql_using="hash"),
        _TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="fact")
    notes: Mapped[str | None] = mapped_column(Text)

    appearances: Mapped[list[Appearance]] = relationship(
        back_populates="claim", order_by="Appearance.id", cascade="all, delete-orphan"
    )
    verdicts: Mapped[list[Verdict]] = relationship(
        back_populates="claim", order_by="Verdict.id", cascade="all, delete-orphan"
    )
    tags: Mapped[list[ClaimTag]] = relationship(
        back_populates="claim", order_by="ClaimTag.id", cascade="all, delete-orphan"
    )
    entities: Mapped[list[ClaimEntity]] = relationship(
        back_populates="claim", order_by="ClaimEntity.id", cascade="all, delete-orphan"
    )


class Appearance(Stamped, Base):
    """A claim appearing in a source: the W3C TextQuote and TextPosition selectors of its quote."""

    __tablename__ = "appearances"
    __table_args__ = (
        CheckConstraint(_one_of("anchor_status", ANCHOR_STATUSES), name="anchor_status"),
        CheckConstraint(_one_of("stance", STANCES), name="stance"),
        CheckConstraint(
            "(quote_start IS NULL AND quote_end IS NULL) OR "
            "(quote_start >= 0 AND quote_end >= quote_start)",
            name="offsets",
        ),
        CheckConstraint(
            "(anchor_status IN ('exact', 'normalised')) = (quote_start IS NOT NULL)",
            name="anchored_has_offsets",
        ),
        _TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    # The passage verbatim as it stands in the source (the TextQuote selector's "exact").
    quote: Mapped[str | None] = mapped_column(Text)
    # What the user typed, when it differs from the verbatim passage it was anchored to.
    quote_entered: Mapped[str | None] = mapped_column(Text)
    quote_start: Mapped[int | None] = mapped_column(Integer)
    quote_end: Mapped[int | None] = mapped_column(Integer)
    prefix: Mapped[str | None] = mapped_column(Text)
    suffix: Mapped[str | None] = mapped_column(Text)
    anchor_status: Mapped[str] = mapped_column(String(20))
    # Indexed for search, which reads each distinct claimant once (services/claims.py).
    claimant: Mapped[str | None] = mapped_column(String(300), index=True)
    stance: Mapped[str] = mapped_column(String(20), default="asserts")

    claim: Mapped[Claim] = relationship(back_populates="appearances")
    source: Mapped[Source] = relationship(back_populates="appearances")


class Verdict(Stamped, Base):
    """A dated, attributed rating of a claim. Append-only: the current verdict is the latest."""

    __tablename__ = "verdicts"
    __table_args__ = (Index("ix_verdicts_claim_id_id", "claim_id", "id"), _TABLE_OPTIONS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    label_id: Mapped[int] = mapped_column(ForeignKey("rating_labels.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(back_populates="verdicts")
    label: Mapped[RatingLabel] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="verdict", order_by="Evidence.id", cascade="all, delete-orphan"
    )


class VerdictRetraction(Stamped, Base):
    """A verdict taken back: who, when and why. Append-only, like the verdict: the claim's
    current verdict is then its newest verdict not retracted (the `current_verdicts` view)."""

    __tablename__ = "verdict_retractions"
    __table_args__ = _TABLE_OPTIONS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A verdict is retracted once.
    verdict_id: Mapped[int] = mapped_column(
        ForeignKey("verdicts.id", ondelete="CASCADE"), unique=True
    )
    note: Mapped[str | None] = mapped_column(Text)


class Evidence(Base):
    """What a verdict rests on: a logged source, or a URL, optionally with a quote from it."""

    __tablename__ = "verdict_evidence"
    __table_args__ = (
        CheckConstraint("source_id IS NOT NULL OR url IS NOT NULL", name="has_reference"),
        _TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    verdict_id: Mapped[int] = mapped_column(
        ForeignKey("verdicts.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    verdict: Mapped[Verdict] = relationship(back_populates="evidence")
    source: Mapped[Source | None] = relationship()


class Link(Stamped, Base):
    """A typed relation between two claims. Symmetric relations are stored once (a < b)."""

    __tablename__ = "links"
    __table_args__ = (
        UniqueConstraint("claim_a_id", "claim_b_id", "relation"),
        CheckConstraint(_one_of("relation", RELATIONS), name="relation"),
        CheckConstraint("claim_a_id <> claim_b_id", name="not_self"),
        CheckConstraint(
            f"relation NOT IN ({', '.join(repr(r) for r in SYMMETRIC_RELATIONS)}) "
            "OR claim_a_id < claim_b_id",
            name="symmetric_ordered",
        ),
        _TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_a_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    claim_b_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    # Indexed: the reports and the contradiction_pairs view select links by relation.
    relation: Mapped[str] = mapped_column(String(20), index=True)
    note: Mapped[str | None] = mapped_column(Text)


class Entity(Stamped, Base):
    """A person, organisation or place that claims mention."""

    __tablename__ = "entities"
    __table_args__ = (
        CheckConstraint(_one_of("kind", ENTITY_KINDS), name="kind"),
        _TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="other")
    # The schema.org type an import read for it (a NewsMediaOrganization, a kind of
    # organisation): the ClaimReview export writes it back as read. Last, where the migration
    # that added it (0016) put it.
    schema_type: Mapped[str | None] = mapped_column(String(100), sort_order=100)
    notes: Mapped[str | None] = mapped_column(Text)

    aliases: Mapped[list[EntityAlias]] = relationship(
        back_populates="entity", order_by="EntityAlias.id", cascade="all, delete-orphan"
    )


class EntityAlias(Base):
    """Another spelling of an entity's name; ``alias_key`` is its folded search key."""

    __tablename__ = "entity_aliases"
    __table_args__ = (UniqueConstraint("entity_id", "alias_key"), _TABLE_OPTIONS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    alias_key: Mapped[str] = mapped_column(String(300), index=True)

    entity: Mapped[Entity] = relationship(back_populates="aliases")


class ClaimEntity(Base):
    """A claim mentions an entity."""

    __tablename__ = "claim_entities"
    __table_args__ = (UniqueConstraint("claim_id", "entity_id"), _TABLE_OPTIONS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )

    claim: Mapped[Claim] = relationship(back_populates="entities")
    entity: Mapped[Entity] = relationship()


class Tag(Base):
    """A free label for claims."""

    __tablename__ = "tags"
    __table_args__ = _TABLE_OPTIONS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class ClaimTag(Base):
    """A claim carries a tag."""

    __tablename__ = "claim_tags"
    __table_args__ = (UniqueConstraint("claim_id", "tag_id"), _TABLE_OPTIONS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), index=True)

    claim: Mapped[Claim] = relationship(back_populates="tags")
    tag: Mapped[Tag] = relationship()


class SuggestionDecision(Stamped, Base):
    """A researcher's decision on a pair of claims `factcheck suggest` proposed: accepted (the
    link it made) or rejected. Either way the pair is not suggested again.

    The pair is stored smaller id first, once; `relation`, `score` and `reasons` are what was
    suggested (one reason a line), `link_id` the link an acceptance made (NULL once unlinked).
    """

    __tablename__ = "suggestion_decisions"
    __table_args__ = (
        UniqueConstraint("claim_a_id", "claim_b_id"),
        CheckConstraint(_one_of("decision", DECISIONS), name="decision"),
        CheckConstraint(_one_of("relation", RELATIONS), name="relation"),
        CheckConstraint("claim_a_id < claim_b_id", name="ordered"),
        _TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_a_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    claim_b_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    relation: Mapped[str] = mapped_column(String(20))
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[str | None] = mapped_column(Text)
    link_id: Mapped[int | None] = mapped_column(
        ForeignKey("links.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text)


class ExtractionDecision(Stamped, Base):
    """A researcher's decision on a sentence `factcheck extract --review` proposed: accepted (the
    claim it made) or skipped. Either way the sentence is not proposed again (`--all` shows it).

    The sentence is its offsets in the source's text when decided and its text there, so a
    decision stops applying once the source's text no longer has that sentence at those offsets.
    """

    __tablename__ = "extraction_decisions"
    __table_args__ = (
        UniqueConstraint("source_id", "sentence_start", "sentence_end"),
        CheckConstraint(_one_of("decision", EXTRACTION_DECISIONS), name="decision"),
        CheckConstraint("sentence_start >= 0 AND sentence_end > sentence_start", name="offsets"),
        CheckConstraint(
            "(decision = 'accepted') = (claim_id IS NOT NULL)", name="claim_when_accepted"
        ),
        _TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(20))
    claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), index=True
    )


class HistoryEntry(Base):
    """One insert, update or delete of a row of any other table. Append-only (triggers enforce it).

    ``old_values``/``new_values`` hold the changed columns (all columns for inserts and deletes);
    a value that became or stopped being NULL is recorded as JSON null.
    """

    __tablename__ = "history"
    __table_args__ = (
        CheckConstraint(_one_of("action", HISTORY_ACTIONS), name="action"),
        Index("ix_history_table_name_row_id", "table_name", "row_id"),
        _TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=text("CURRENT_TIMESTAMP")
    )
    actor: Mapped[str | None] = mapped_column(String(200))
    table_name: Mapped[str] = mapped_column(String(100))
    row_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    old_values: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    new_values: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


# Tables whose rows are versioned in `history` (everything but the history itself).
AUDITED_TABLES = frozenset(t for t in Base.metadata.tables if t != "history")
# Tables whose rows are never updated nor deleted (the database's triggers refuse it).
APPEND_ONLY_TABLES = frozenset({"history", "verdicts", "verdict_evidence", "verdict_retractions"})
