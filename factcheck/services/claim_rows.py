"""ClaimOut objects for many claims at once, with a fixed number of set-based queries.

Every read of claims goes through here (`claims.claims_by_id`, claim list and show, search, the
reports, export): one claim or a million. Building full ORM objects and their relationship
collections would spend a report's time on objects it discards; instead each part of a ClaimOut
(the claims, their appearances with their sources, current verdicts, those verdicts' evidence,
tags and entities) is one Core select of just the columns shown, restricted by a subquery of
claim ids rather than by bound id lists (no parameter limits, and the database joins the two)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection, Select, func, select
from sqlalchemy.orm import Session

from factcheck.models import (
    Appearance,
    Claim,
    ClaimEntity,
    ClaimTag,
    Entity,
    Evidence,
    RatingLabel,
    RatingScale,
    Source,
    Tag,
    Verdict,
)
from factcheck.schemas import ClaimOut


@cache
def _claims_adapter() -> TypeAdapter[list[ClaimOut]]:
    """One validation call for the whole list: pydantic's core then builds every nested model
    without a round trip through Python per object. Built on first use, not at import (start-up
    time matters to every command that imports this module)."""
    return TypeAdapter(list[ClaimOut])


_CHUNK = 5_000


def current_verdict_ids(claim_ids: Select[Any]) -> Select[Any]:
    """The id of each claim's current verdict (the newest), for the claims of `claim_ids`."""
    return (
        select(func.max(Verdict.id))
        .where(Verdict.claim_id.in_(claim_ids))
        .group_by(Verdict.claim_id)
    )


@contextmanager
def bulk() -> Iterator[None]:
    """Build many small objects with the cyclic garbage collector paused.

    Rows, dicts and models built here hold no reference cycles, so the collections CPython runs
    while they pile up (each scanning everything already built) find nothing to free; with tens
    of thousands of claims they took half the time of a report.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_claims(session: Session, claim_ids: Select[Any]) -> dict[int, ClaimOut]:
    """The claims whose ids `claim_ids` selects (one column of claim ids), by id."""
    with bulk():
        return _load_claims(session.connection(), claim_ids)


def _load_claims(connection: Connection, claim_ids: Select[Any]) -> dict[int, ClaimOut]:
    # Core statements on the session's connection: plain rows, without the ORM's result layer.
    claims: dict[int, dict[str, Any]] = {}
    rows = connection.execute(
        select(
            Claim.id, Claim.text, Claim.kind, Claim.notes, Claim.created_at, Claim.created_by
        ).where(Claim.id.in_(claim_ids))
    )
    for id_, text, kind, notes, created_at, created_by in rows:
        claims[id_] = {
            "id": id_,
            "text": text,
            "kind": kind,
            "verdict": None,
            "appearances": [],
            "tags": [],
            "entities": [],
            "notes": notes,
            "created_at": created_at,
            "created_by": created_by,
        }
    if not claims:
        return {}
    appearances = connection.execute(
        select(
            Appearance.claim_id,
            Appearance.id,
            Appearance.source_id,
            Source.key,
            Source.title,
            Source.published,
            Appearance.quote,
            Appearance.quote_entered,
            Appearance.claimant,
            Appearance.quote_start,
            Appearance.quote_end,
            Appearance.anchor_status,
            Appearance.stance,
            Appearance.prefix,
            Appearance.suffix,
        )
        .join(Source, Source.id == Appearance.source_id)
        .where(Appearance.claim_id.in_(claim_ids))
        .order_by(Appearance.id)
    )
    for row in appearances:
        claims[row[0]]["appearances"].append(
            {
                "id": row[1],
                "source_id": row[2],
                "source_key": row[3],
                "source_title": row[4],
                "source_published": row[5],
                "quote": row[6],
                "quote_entered": row[7],
                "claimant": row[8],
                "start": row[9],
                "end": row[10],
                "anchor_status": row[11],
                "stance": row[12],
                "prefix": row[13],
                "suffix": row[14],
            }
        )
    verdict_ids = current_verdict_ids(claim_ids)
    verdicts: dict[int, dict[str, Any]] = {}
    verdict_rows = connection.execute(
        select(
            Verdict.claim_id,
            Verdict.id,
            RatingLabel.label,
            RatingScale.key,
            RatingLabel.polarity,
            RatingLabel.value,
            Verdict.note,
            Verdict.created_at,
            Verdict.created_by,
        )
        .join(RatingLabel, RatingLabel.id == Verdict.label_id)
        .join(RatingScale, RatingScale.id == RatingLabel.scale_id)
        .where(Verdict.id.in_(verdict_ids))
    )
    for claim_id, id_, label, scale, polarity, value, note, created_at, created_by in verdict_rows:
        verdict = {
            "id": id_,
            "label": label,
            "scale": scale,
            "polarity": polarity,
            "value": value,
            "note": note,
            "created_at": created_at,
            "created_by": created_by,
            "evidence": [],
        }
        verdicts[id_] = claims[claim_id]["verdict"] = verdict
    evidence = connection.execute(
        select(
            Evidence.verdict_id,
            Evidence.source_id,
            Source.key,
            Evidence.url,
            Evidence.quote,
            Evidence.note,
        )
        .outerjoin(Source, Source.id == Evidence.source_id)
        .where(Evidence.verdict_id.in_(verdict_ids))
        .order_by(Evidence.id)
    )
    for verdict_id, source_id, key, url, quote, note in evidence:
        verdicts[verdict_id]["evidence"].append(
            {"source_id": source_id, "source_key": key, "url": url, "quote": quote, "note": note}
        )
    tags = connection.execute(
        select(ClaimTag.claim_id, Tag.name)
        .join(Tag, Tag.id == ClaimTag.tag_id)
        .where(ClaimTag.claim_id.in_(claim_ids))
        .order_by(ClaimTag.id)
    )
    for claim_id, name in tags:
        claims[claim_id]["tags"].append(name)
    entities = connection.execute(
        select(ClaimEntity.claim_id, Entity.name)
        .join(Entity, Entity.id == ClaimEntity.entity_id)
        .where(ClaimEntity.claim_id.in_(claim_ids))
        .order_by(ClaimEntity.id)
    )
    for claim_id, name in entities:
        claims[claim_id]["entities"].append(name)
    return {claim.id: claim for claim in _claims_adapter().validate_python(list(claims.values()))}


def claims_in_order(session: Session, ids: list[int]) -> list[ClaimOut]:
    """Claims in the order of `ids` (a short list, such as a page of search results)."""
    found: dict[int, ClaimOut] = {}
    # In chunks: an unlimited search can match more claims than a statement may bind values.
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found.update(load_claims(session, select(Claim.id).where(Claim.id.in_(chunk))))
    return [found[i] for i in ids if i in found]
