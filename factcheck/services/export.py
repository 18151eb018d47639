"""Export: the lossless jsonl dump, the flat CSV, and a ClaimReview DataFeed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload, undefer

from factcheck.db.store import Store
from factcheck.interchange.claimreview import Known, data_feed, review
from factcheck.interchange.flatcsv import join_items, write_rows
from factcheck.interchange.jsonl import dumps
from factcheck.interchange.records import (
    AppearanceRecord,
    ClaimRecord,
    DecisionRecord,
    EntityRecord,
    EvidenceRecord,
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
    Link,
    RatingLabel,
    RatingScale,
    Source,
    SourceVersion,
    SuggestionDecision,
    Verdict,
    VerdictRetraction,
)
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
    # An author's type is the kind of the entity of that name (a name before an alias).
    kinds = {
        alias: kind
        for alias, kind in session.execute(select(EntityAlias.alias, Entity.kind).join(Entity))
    }
    kinds.update({name: kind for name, kind in session.execute(select(Entity.name, Entity.kind))})
    known = Known(scales=scales, kinds=kinds)
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
    """One row per appearance of each claim, with the claim's current verdict."""

    def rows() -> Iterator[dict[str, str | int]]:
        ids = list(session.scalars(select(Claim.id).order_by(Claim.id)))
        for start in range(0, len(ids), _BATCH):
            for claim in claims_by_id(Store.of(session), ids[start : start + _BATCH]):
                verdict = claim.verdict
                evidence = (
                    [e.source_key or e.url or "" for e in verdict.evidence] if verdict else []
                )
                for a in claim.appearances:
                    yield {
                        "id": claim.id,
                        "claim": claim.text,
                        "source": a.source_key,
                        "quote": a.quote or "",
                        "claimant": a.claimant or "",
                        "stance": a.stance,
                        "kind": claim.kind,
                        "tags": join_items(claim.tags),
                        "verdict": verdict.label if verdict else "",
                        "verdict_polarity": verdict.polarity if verdict else "",
                        "verdict_note": (verdict.note or "") if verdict else "",
                        "evidence": join_items(evidence),
                        "created_at": claim.created_at.isoformat(),
                        "created_by": claim.created_by or "",
                    }

    return write_rows(rows())
