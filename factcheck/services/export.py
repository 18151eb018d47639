"""Export: the lossless jsonl dump, the flat CSV, and a ClaimReview DataFeed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload, undefer

from factcheck.db.store import Store, ids_list
from factcheck.interchange.claimreview import Known, agent_type, data_feed, review
from factcheck.interchange.flatcsv import join_items, write_rows
from factcheck.interchange.jsonl import dumps
from factcheck.interchange.records import (
    AppearanceRecord,
    ClaimRecord,
    DecisionRecord,
    EntityRecord,
    EvidenceRecord,
    ExtractionDecisionRecord,
    HeaderRecord,
    LabelRecord,
    LinkRecord,
    Record,
    RetractionRecord,
    ScaleRecord,
    SourceRecord,
    SourceVersionRecord,
    VerdictRecord,
)
from factcheck.models import (
    Appearance,
    Claim,
    ClaimTag,
    Entity,
    EntityAlias,
    ExtractionDecision,
    Link,
    RatingLabel,
    RatingScale,
    Source,
    SourceVersion,
    SuggestionDecision,
    Verdict,
    VerdictRetraction,
)
from factcheck.schemas import VerdictOut
from factcheck.services.claim_rows import earlier_verdicts
from factcheck.services.claims import claims_by_id
from factcheck.services.record_rows import fields_of

# Rows fetched (and claims loaded) at a time.
_BATCH = 1000


def export_records(session: Session) -> Iterator[Record]:
    yield HeaderRecord()
    for scale in session.scalars(select(RatingScale).order_by(RatingScale.id)):
        yield ScaleRecord(**fields_of(ScaleRecord, scale))
    labels = select(RatingLabel).join(RatingScale).order_by(RatingScale.id, RatingLabel.id)
    for label in session.scalars(labels):
        yield LabelRecord(**fields_of(LabelRecord, label), scale=label.scale.key)
    for source in _stream(session, select(Source).options(undefer(Source.text))):
        yield SourceRecord(**fields_of(SourceRecord, source))
    for version in _stream(session, select(SourceVersion).options(undefer(SourceVersion.text))):
        yield SourceVersionRecord(**fields_of(SourceVersionRecord, version))
    for entity in _stream(session, select(Entity).options(selectinload(Entity.aliases))):
        aliases = [a.alias for a in entity.aliases]
        yield EntityRecord(**fields_of(EntityRecord, entity), aliases=aliases)
    claims = select(Claim).options(
        selectinload(Claim.tags).joinedload(ClaimTag.tag), selectinload(Claim.entities)
    )
    for claim in _stream(session, claims):
        yield ClaimRecord(
            **fields_of(ClaimRecord, claim),
            tags=[ct.tag.name for ct in claim.tags],
            entities=[ce.entity_id for ce in claim.entities],
        )
    for appearance in _stream(session, select(Appearance)):
        yield AppearanceRecord(**fields_of(AppearanceRecord, appearance))
    verdicts = select(Verdict).options(
        selectinload(Verdict.label).joinedload(RatingLabel.scale), selectinload(Verdict.evidence)
    )
    for v in _stream(session, verdicts):
        yield VerdictRecord(
            **fields_of(VerdictRecord, v),
            scale=v.label.scale.key,
            label=v.label.label,
            evidence=[EvidenceRecord(**fields_of(EvidenceRecord, e)) for e in v.evidence],
        )
    for retraction in _stream(session, select(VerdictRetraction)):
        yield RetractionRecord(**fields_of(RetractionRecord, retraction))
    for link in _stream(session, select(Link)):
        yield LinkRecord(**fields_of(LinkRecord, link))
    for decision in _stream(session, select(SuggestionDecision)):
        yield DecisionRecord(**fields_of(DecisionRecord, decision))
    for sentence in _stream(session, select(ExtractionDecision)):
        yield ExtractionDecisionRecord(**fields_of(ExtractionDecisionRecord, sentence))


def _stream(session: Session, query: Any) -> Iterator[Any]:
    """Rows in id order, fetched in batches so memory does not grow with the database."""
    entity = query.column_descriptions[0]["entity"]
    ordered = query.order_by(entity.id).execution_options(yield_per=_BATCH)
    yield from session.scalars(ordered)


def export_jsonl(session: Session) -> Iterator[str]:
    for record in export_records(session):
        yield dumps(record) + "\n"


def export_claimreview(session: Session) -> Iterator[str]:
    """A schema.org DataFeed with a ClaimReview for every claim that has a verdict."""
    scales = {
        key: (best, worst)
        for key, best, worst in session.execute(
            select(RatingScale.key, RatingScale.best_value, RatingScale.worst_value)
        )
    }
    with_author = select(Source.id, Source.author).where(Source.author.is_not(None))
    authors = {id_: author for id_, author in session.execute(with_author)}
    # An author's type is that of the entity of that name (a name before an alias).
    typed = select(EntityAlias.alias, Entity.kind, Entity.schema_type).join(Entity)
    kinds = {
        alias: agent_type(kind, schema_type) for alias, kind, schema_type in session.execute(typed)
    }
    named = select(Entity.name, Entity.kind, Entity.schema_type)
    kinds.update(
        {name: agent_type(kind, schema_type) for name, kind, schema_type in session.execute(named)}
    )
    known = Known(scales=scales, authors=authors, kinds=kinds)
    # A claim whose every verdict was retracted is unreviewed again: no review of it.
    reviewed = text("SELECT claim_id FROM current_verdicts ORDER BY claim_id")
    ids = list(session.scalars(reviewed))
    items = [
        review(claim, known)
        for start in range(0, len(ids), _BATCH)
        for claim in claims_by_id(Store.of(session), ids[start : start + _BATCH])
    ]
    yield data_feed(items)


def export_csv(session: Session) -> Iterator[str]:
    """The flat CSV (factcheck.interchange.flatcsv), written so that it imports into an empty
    database and exports again the same: a row for each source no appearance cites, then for
    each claim a row for each of its earlier verdicts (oldest first) and a row for each
    appearance (or, with none, one row) with the current verdict."""
    store = Store.of(session)
    details = ("title", "url", "outlet", "author", "published", "kind", "language", "notes")

    def source_cells(source: Sequence[Any]) -> dict[str, str | int]:
        return {
            f"source_{name}": value or "" for name, value in zip(details, source[1:], strict=True)
        }

    def verdict_cells(verdict: VerdictOut | None) -> dict[str, str | int]:
        if verdict is None:
            return {}
        evidence = [e.source_key or e.url or "" for e in verdict.evidence]
        return {
            "verdict": verdict.label,
            "verdict_polarity": verdict.polarity,
            "verdict_note": verdict.note or "",
            "evidence": join_items(evidence),
            "verdict_scale": verdict.scale,
            "verdict_value": "" if verdict.value is None else repr(verdict.value),
            "verdict_at": verdict.created_at.isoformat(),
            "verdict_by": verdict.created_by or "",
        }

    columns = ", ".join(details)
    uncited = (
        f"SELECT key, {columns} FROM sources s WHERE NOT EXISTS "
        "(SELECT 1 FROM appearances a WHERE a.source_id = s.id) ORDER BY id"
    )

    def rows() -> Iterator[dict[str, str | int]]:
        for source in store.rows(uncited):
            yield {"source": source[0], **source_cells(source)}
        ids = list(session.scalars(select(Claim.id).order_by(Claim.id)))
        for start in range(0, len(ids), _BATCH):
            batch = ids[start : start + _BATCH]
            claims = claims_by_id(store, batch)
            earlier = earlier_verdicts(store, batch)
            source_ids = {a.source_id for claim in claims for a in claim.appearances}
            marks, params = ids_list("id", sorted(source_ids))
            sources = {
                source[0]: source
                for source in store.rows(
                    f"SELECT id, {columns} FROM sources WHERE id IN ({marks})", params
                )
            }
            for claim in claims:
                cells: dict[str, str | int] = {
                    "id": claim.id,
                    "claim": claim.text,
                    "kind": claim.kind,
                    "tags": join_items(claim.tags),
                    "created_at": claim.created_at.isoformat(),
                    "created_by": claim.created_by or "",
                    "notes": claim.notes or "",
                }
                for verdict in earlier.get(claim.id, []):
                    yield {**cells, **verdict_cells(verdict)}
                current = {**cells, **verdict_cells(claim.verdict)}
                if not claim.appearances:
                    yield current
                for a in claim.appearances:
                    yield {
                        **current,
                        "source": a.source_key,
                        "quote": a.quote or "",
                        "claimant": a.claimant or "",
                        "stance": a.stance,
                        **source_cells(sources[a.source_id]),
                    }

    return write_rows(rows())
