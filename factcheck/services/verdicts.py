"""Verdicts (append-only) and the rating scales their labels come from."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from factcheck.errors import Conflict
from factcheck.models import Evidence, RatingLabel, RatingScale, Verdict
from factcheck.schemas import Created, LabelIn, LabelOut, VerdictIn, VerdictOut
from factcheck.services.claims import verdict_out
from factcheck.services.refs import get_claim, get_label, get_scale, get_source

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)


def set_verdict(session: Session, data: VerdictIn) -> Created:
    claim = get_claim(session, data.claim_id)
    label = get_label(session, data.label, data.scale)
    verdict = Verdict(
        claim=claim, label=label, note=data.note, created_by=session.info.get("actor")
    )
    with session.no_autoflush:
        for ref in dict.fromkeys(data.evidence):
            if _URL.match(ref):
                verdict.evidence.append(Evidence(url=ref))
            else:
                verdict.evidence.append(Evidence(source=get_source(session, ref)))
    session.add(verdict)
    session.flush()
    return Created(id=verdict.id)


def verdict_history(session: Session, claim_id: int) -> list[VerdictOut]:
    get_claim(session, claim_id)
    verdicts = session.scalars(
        select(Verdict)
        .where(Verdict.claim_id == claim_id)
        .order_by(Verdict.id)
        .options(
            joinedload(Verdict.label).joinedload(RatingLabel.scale),
            selectinload(Verdict.evidence).joinedload(Evidence.source),
        )
    )
    return [verdict_out(v) for v in verdicts]


def list_labels(session: Session, scale: str | None = None) -> list[LabelOut]:
    query = (
        select(RatingLabel)
        .join(RatingScale)
        .options(joinedload(RatingLabel.scale))
        .order_by(RatingScale.id, RatingLabel.position, RatingLabel.id)
    )
    if scale is not None:
        query = query.where(RatingLabel.scale_id == get_scale(session, scale).id)
    return [
        LabelOut(
            label=lab.label,
            polarity=lab.polarity,
            value=lab.value,
            scale=lab.scale.key,
            description=lab.description,
        )
        for lab in session.scalars(query)
    ]


def define_label(session: Session, data: LabelIn) -> Created:
    """Add a label to a rating scale (scales are extensible; existing labels never change)."""
    scale = get_scale(session, data.scale)
    if any(lab.label == data.label for lab in scale.labels):
        raise Conflict(f"scale {scale.key!r} already has a label {data.label!r}")
    position = max((lab.position for lab in scale.labels), default=-1) + 1
    label = RatingLabel(
        scale=scale,
        label=data.label,
        polarity=data.polarity,
        value=data.value,
        position=position,
        description=data.description,
    )
    session.add(label)
    session.flush()
    return Created(id=label.id)
