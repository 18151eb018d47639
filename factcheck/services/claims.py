"""Claims and their appearances: adding, citing, listing and showing (anchoring quotes is in
services/anchoring.py)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from factcheck.db.store import Store
from factcheck.errors import Conflict, NotFound
from factcheck.models import (
    Appearance,
    Claim,
    ClaimEntity,
    ClaimTag,
    Link,
    RatingLabel,
    Tag,
    Verdict,
)
from factcheck.schemas import (
    AppearanceIn,
    ClaimDetail,
    ClaimEdit,
    ClaimFilter,
    ClaimIn,
    ClaimOut,
    EvidenceOut,
    LinkOut,
    Page,
    PageIn,
    VerdictOut,
)
from factcheck.services.anchoring import AppearanceCreated, anchor_columns, same_text_warning
from factcheck.services.claim_rows import claims_in_order
from factcheck.services.entities import get_entity
from factcheck.services.paging import select_page
from factcheck.services.refs import get_claim, get_source
from factcheck.vocab import SYMMETRIC_RELATIONS


def _add_appearance(
    session: Session, claim: Claim, data: AppearanceIn, warnings: list[str]
) -> Appearance:
    source = get_source(session, data.source)
    columns = anchor_columns(source, data, warnings)
    if claim.id is not None:
        duplicate = session.scalar(
            select(Appearance.id).where(
                Appearance.claim_id == claim.id,
                Appearance.source_id == source.id,
                Appearance.quote.is_(None)
                if columns["quote"] is None
                else Appearance.quote == columns["quote"],
            )
        )
        if duplicate is not None:
            raise Conflict(
                f"claim {claim.id} already cites this in source {source.key!r} "
                f"(appearance {duplicate})"
            )
    appearance = Appearance(
        source=source,
        claimant=data.claimant if data.claimant is not None else source.author,
        stance=data.stance,
        created_by=session.info.get("actor"),
        **columns,
    )
    claim.appearances.append(appearance)
    return appearance


def _created(claim: Claim, appearance: Appearance, warnings: list[str]) -> AppearanceCreated:
    return AppearanceCreated(
        id=claim.id,
        appearance_id=appearance.id,
        anchor_status=appearance.anchor_status,
        start=appearance.quote_start,
        end=appearance.quote_end,
        warnings=warnings,
    )


# --- writes ---------------------------------------------------------------------------------


def _tag(session: Session, name: str) -> Tag:
    tag = session.scalar(select(Tag).where(Tag.name == name))
    if tag is None:
        tag = Tag(name=name)
        session.add(tag)
    return tag


def _attach_entities(session: Session, claim: Claim, refs: list[str]) -> None:
    present = {ce.entity.id for ce in claim.entities}
    for ref in refs:
        entity = get_entity(session, ref)
        if entity.id not in present:
            claim.entities.append(ClaimEntity(entity=entity))
            present.add(entity.id)


def add_claim(session: Session, data: ClaimIn) -> AppearanceCreated:
    warnings: list[str] = []
    same = session.scalar(select(Claim.id).where(Claim.text == data.text).order_by(Claim.id))
    if same is not None:
        warnings.append(same_text_warning(same))
    claim = Claim(
        text=data.text, kind=data.kind, notes=data.notes, created_by=session.info.get("actor")
    )
    # One flush for the claim and everything attached to it (lookups must not flush halves).
    with session.no_autoflush:
        appearance = _add_appearance(session, claim, data.appearance, warnings)
        for name in dict.fromkeys(data.tags):
            claim.tags.append(ClaimTag(tag=_tag(session, name)))
        _attach_entities(session, claim, data.entities)
    session.add(claim)
    session.flush()
    return _created(claim, appearance, warnings)


def cite_claim(session: Session, claim_id: int, data: AppearanceIn) -> AppearanceCreated:
    claim = get_claim(session, claim_id)
    warnings: list[str] = []
    with session.no_autoflush:
        appearance = _add_appearance(session, claim, data, warnings)
    session.flush()
    return _created(claim, appearance, warnings)


def edit_claim(session: Session, claim_id: int, data: ClaimEdit) -> ClaimDetail:
    claim = get_claim(session, claim_id)
    if data.text is not None:
        claim.text = data.text
    if data.kind is not None:
        claim.kind = data.kind
    if data.notes is not None:
        claim.notes = data.notes
    present = {ct.tag.name: ct for ct in claim.tags}
    for name in data.remove_tags:
        if name not in present:
            raise NotFound(f"claim {claim_id} has no tag {name!r}")
        claim.tags.remove(present.pop(name))
    # Deletes first: a tag removed and added back in one edit is a new row of the same pair.
    session.flush()
    with session.no_autoflush:
        for name in dict.fromkeys(data.add_tags):
            if name not in present:
                claim.tags.append(ClaimTag(tag=_tag(session, name)))
        _attach_entities(session, claim, data.add_entities)
        for ref in data.remove_entities:
            entity = get_entity(session, ref)
            link = next((ce for ce in claim.entities if ce.entity_id == entity.id), None)
            if link is None:
                raise NotFound(f"claim {claim_id} does not mention {entity.name!r}")
            claim.entities.remove(link)
    session.flush()
    return show_claim(session, claim_id)


# --- reads ----------------------------------------------------------------------------------


def verdict_out(verdict: Verdict) -> VerdictOut:
    return VerdictOut(
        id=verdict.id,
        label=verdict.label.label,
        scale=verdict.label.scale.key,
        polarity=verdict.label.polarity,
        value=verdict.label.value,
        note=verdict.note,
        created_at=verdict.created_at,
        created_by=verdict.created_by,
        evidence=[
            EvidenceOut(
                source_id=e.source_id,
                source_key=e.source.key if e.source is not None else None,
                url=e.url,
                quote=e.quote,
                note=e.note,
            )
            for e in verdict.evidence
        ],
    )


def claims_by_id(session: Session, ids: Sequence[int]) -> list[ClaimOut]:
    """Claims in the order of `ids`, with everything a ClaimOut shows (set-based loading, the
    same for one claim, a page of search results or a whole report)."""
    return claims_in_order(Store.of(session), list(ids))


def list_claims(session: Session, filters: ClaimFilter, page: PageIn) -> Page[ClaimOut]:
    """Claims in the order they were added."""
    query = select(Claim.id).order_by(Claim.id)
    if filters.source is not None:
        source = get_source(session, filters.source)
        query = query.where(
            Claim.id.in_(select(Appearance.claim_id).where(Appearance.source_id == source.id))
        )
    if filters.tag is not None:
        tag = session.scalar(select(Tag).where(Tag.name == filters.tag))
        if tag is None:
            names = ", ".join(session.scalars(select(Tag.name).order_by(Tag.name)).all()[:20])
            raise NotFound(f"no tag {filters.tag!r}", hint=f"tags: {names}" if names else None)
        query = query.where(
            Claim.id.in_(select(ClaimTag.claim_id).where(ClaimTag.tag_id == tag.id))
        )
    if filters.entity is not None:
        entity = get_entity(session, filters.entity)
        query = query.where(
            Claim.id.in_(select(ClaimEntity.claim_id).where(ClaimEntity.entity_id == entity.id))
        )
    if filters.verdict is not None:
        label_ids = list(
            session.scalars(select(RatingLabel.id).where(RatingLabel.label == filters.verdict))
        )
        if not label_ids:
            labels = ", ".join(dict.fromkeys(session.scalars(select(RatingLabel.label))))
            raise NotFound(f"unknown verdict label {filters.verdict!r}", hint=f"labels: {labels}")
        latest = (
            select(Verdict.claim_id, func.max(Verdict.id).label("verdict_id"))
            .group_by(Verdict.claim_id)
            .subquery()
        )
        query = (
            query.join(latest, latest.c.claim_id == Claim.id)
            .join(Verdict, Verdict.id == latest.c.verdict_id)
            .where(Verdict.label_id.in_(label_ids))
        )
    if filters.unreviewed:
        query = query.where(~exists().where(Verdict.claim_id == Claim.id))
    if filters.kind is not None:
        query = query.where(Claim.kind == filters.kind)
    ids = select_page(session, query, page)
    return ids.with_items(claims_by_id(session, ids.items))


def show_claim(session: Session, claim_id: int) -> ClaimDetail:
    get_claim(session, claim_id)
    (claim,) = claims_by_id(session, [claim_id])
    links = []
    rows = session.execute(
        select(Link, Claim.text)
        .join(
            Claim,
            Claim.id == func.coalesce(func.nullif(Link.claim_a_id, claim_id), Link.claim_b_id),
        )
        .where(or_(Link.claim_a_id == claim_id, Link.claim_b_id == claim_id))
        .order_by(Link.id)
    )
    for link, other_text in rows:
        outgoing = link.claim_a_id == claim_id
        links.append(
            LinkOut(
                id=link.id,
                relation=link.relation,
                claim_id=link.claim_b_id if outgoing else link.claim_a_id,
                direction="both"
                if link.relation in SYMMETRIC_RELATIONS
                else ("outgoing" if outgoing else "incoming"),
                note=link.note,
                text=other_text,
                created_at=link.created_at,
                created_by=link.created_by,
            )
        )
    return ClaimDetail(**claim.model_dump(), links=links)
