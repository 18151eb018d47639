"""ClaimOut objects for many claims at once, with a fixed number of set-based queries.

Every read of claims goes through here (`claims.claims_by_id`, claim list and show, search, the
reports, export): one claim or a million. Building full ORM objects and their relationship
collections would spend a report's time on objects it discards; instead each part of a ClaimOut
(the claims, their appearances with their sources, current verdicts, those verdicts' evidence,
tags and entities) is one Core select of just the columns shown, restricted by a subquery of
claim ids rather than by bound id lists (no parameter limits, and the database joins the two).

The rows are the database's own, already typed by their columns and held to the schema's
constraints, so the objects are built from them directly (`trusted`) rather than validated field
by field: with tens of thousands of claims, validation and the dicts it takes as input were a
third of a report's time."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Connection, Executable, Select, bindparam, func, select
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
from factcheck.schemas import AppearanceOut, ClaimOut, EvidenceOut, VerdictOut

_CHUNK = 5_000
_BATCH = 2_000

Model = TypeVar("Model", bound=BaseModel)


def trusted(model: type[Model]) -> Callable[[dict[str, Any]], Model]:
    """A constructor of `model` from a dict of every one of its fields, already of their types,
    that skips validation (what `model_construct` does, without its per-field work). The dict
    becomes the instance's own (the caller hands it over) and must list the fields in the
    model's order: serialisation follows the dict's."""
    # Every field is set, so one set of them serves every instance (a set per instance was a
    # third of a large report's memory); assigning a field adds what is already there.
    fields_set = set(model.model_fields)
    new = object.__new__
    assign = object.__setattr__

    def build(values: dict[str, Any]) -> Model:
        instance = new(model)
        assign(instance, "__dict__", values)
        assign(instance, "__pydantic_fields_set__", fields_set)
        assign(instance, "__pydantic_extra__", None)
        assign(instance, "__pydantic_private__", None)
        return instance

    return build


# Each part's columns by the field they fill, in the model's order (see `trusted`), so that a
# row becomes its dict by zipping.
_APPEARANCE = {
    "id": Appearance.id,
    "source_id": Appearance.source_id,
    "source_key": Source.key,
    "source_title": Source.title,
    "source_published": Source.published,
    "quote": Appearance.quote,
    "quote_entered": Appearance.quote_entered,
    "claimant": Appearance.claimant,
    "start": Appearance.quote_start,
    "end": Appearance.quote_end,
    "anchor_status": Appearance.anchor_status,
    "stance": Appearance.stance,
    "prefix": Appearance.prefix,
    "suffix": Appearance.suffix,
}
_VERDICT = {
    "id": Verdict.id,
    "label": RatingLabel.label,
    "scale": RatingScale.key,
    "polarity": RatingLabel.polarity,
    "value": RatingLabel.value,
    "note": Verdict.note,
    "created_at": Verdict.created_at,
    "created_by": Verdict.created_by,
}
_EVIDENCE = {
    "source_id": Evidence.source_id,
    "source_key": Source.key,
    "url": Evidence.url,
    "quote": Evidence.quote,
    "note": Evidence.note,
}

_claim = trusted(ClaimOut)
_appearance = trusted(AppearanceOut)
_verdict = trusted(VerdictOut)
_evidence = trusted(EvidenceOut)


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
        return _load_claims(session.connection(), _statements(claim_ids), {})


def _rows(connection: Connection, statement: Executable, params: dict[str, Any]) -> Iterator[Any]:
    # Core statements on the session's connection: plain rows, without the ORM's result layer,
    # fetched a batch at a time: one call per batch rather than per row, and no list of every
    # row held at once (memory is not free: touching new pages costs more than the rows do).
    for batch in connection.execute(statement, params).partitions(_BATCH):
        yield from batch


def _statements(claim_ids: Select[Any]) -> tuple[Executable, ...]:
    """The loader's statements for the claims `claim_ids` selects: the claims, their
    appearances, current verdicts, those verdicts' evidence, tags and entities."""
    verdict_ids = current_verdict_ids(claim_ids)
    return (
        select(
            Claim.id, Claim.text, Claim.kind, Claim.notes, Claim.created_at, Claim.created_by
        ).where(Claim.id.in_(claim_ids)),
        # Each part's rows are its fields followed by the id of what it belongs to, which zip
        # leaves out (it stops at the fields).
        select(*_APPEARANCE.values(), Appearance.claim_id)
        .join(Source, Source.id == Appearance.source_id)
        .where(Appearance.claim_id.in_(claim_ids))
        .order_by(Appearance.id),
        select(*_VERDICT.values(), Verdict.claim_id)
        .join(RatingLabel, RatingLabel.id == Verdict.label_id)
        .join(RatingScale, RatingScale.id == RatingLabel.scale_id)
        .where(Verdict.id.in_(verdict_ids)),
        select(*_EVIDENCE.values(), Evidence.verdict_id)
        .outerjoin(Source, Source.id == Evidence.source_id)
        .where(Evidence.verdict_id.in_(verdict_ids))
        .order_by(Evidence.id),
        select(ClaimTag.claim_id, Tag.name)
        .join(Tag, Tag.id == ClaimTag.tag_id)
        .where(ClaimTag.claim_id.in_(claim_ids))
        .order_by(ClaimTag.id),
        select(ClaimEntity.claim_id, Entity.name)
        .join(Entity, Entity.id == ClaimEntity.entity_id)
        .where(ClaimEntity.claim_id.in_(claim_ids))
        .order_by(ClaimEntity.id),
    )


@cache
def _statements_for_ids() -> tuple[Executable, ...]:
    """The statements for a list of claim ids bound when they run (`ids`), built once: for a
    page of search results, building six statements took longer than running them."""
    return _statements(select(Claim.id).where(Claim.id.in_(bindparam("ids", expanding=True))))


def _load_claims(
    connection: Connection, statements: tuple[Executable, ...], params: dict[str, Any]
) -> dict[int, ClaimOut]:
    claims_of, appearances_of, verdicts_of, evidence_of, tags_of, entities_of = statements
    claims: dict[int, ClaimOut] = {}
    for id_, text, kind, notes, created_at, created_by in _rows(connection, claims_of, params):
        claims[id_] = _claim(
            {
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
        )
    if not claims:
        return {}
    fields = tuple(_APPEARANCE)
    for row in _rows(connection, appearances_of, params):
        claims[row[-1]].appearances.append(_appearance(dict(zip(fields, row, strict=False))))
    verdicts: dict[int, VerdictOut] = {}
    fields = tuple(_VERDICT)
    for row in _rows(connection, verdicts_of, params):
        values = dict(zip(fields, row, strict=False))
        values["evidence"] = []
        verdict = verdicts[row[0]] = _verdict(values)
        # Into the claim's own dict, as `trusted` built it (assignment would go through
        # pydantic's __setattr__, for a value that needs nothing from it).
        claims[row[-1]].__dict__["verdict"] = verdict
    fields = tuple(_EVIDENCE)
    for row in _rows(connection, evidence_of, params):
        verdicts[row[-1]].evidence.append(_evidence(dict(zip(fields, row, strict=False))))
    for claim_id, name in _rows(connection, tags_of, params):
        claims[claim_id].tags.append(name)
    for claim_id, name in _rows(connection, entities_of, params):
        claims[claim_id].entities.append(name)
    return claims


def claims_in_order(session: Session, ids: list[int]) -> list[ClaimOut]:
    """Claims in the order of `ids` (a short list, such as a page of search results)."""
    found: dict[int, ClaimOut] = {}
    # In chunks: an unlimited search can match more claims than a statement may bind values.
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        with bulk():
            found.update(_load_claims(session.connection(), _statements_for_ids(), {"ids": chunk}))
    return [found[i] for i in ids if i in found]
