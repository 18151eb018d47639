"""Resolving what the user typed (an id, a key, a label) to stored rows, or a NotFound error."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.errors import NotFound
from factcheck.models import Claim, RatingLabel, RatingScale, Source


def get_source(session: Session, ref: str) -> Source:
    """A source by id (digits) or key."""
    ref = ref.strip()
    source = (
        session.get(Source, int(ref))
        if ref.isdigit()
        else session.scalar(select(Source).where(Source.key == ref))
    )
    if source is None:
        raise NotFound(f"no source {ref!r}", hint="`factcheck source list` shows ids and keys")
    return source


def get_claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"no claim {claim_id}", hint="`factcheck claim list` shows claim ids")
    return claim


def get_scale(session: Session, key: str) -> RatingScale:
    scale = session.scalar(select(RatingScale).where(RatingScale.key == key))
    if scale is None:
        keys = ", ".join(session.scalars(select(RatingScale.key).order_by(RatingScale.key)))
        raise NotFound(f"no rating scale {key!r}", hint=f"scales: {keys}")
    return scale


def get_label(session: Session, label: str, scale_key: str = "default") -> RatingLabel:
    scale = get_scale(session, scale_key)
    # Exact spelling first; then ignoring case, when that names exactly one label.
    found = next((lab for lab in scale.labels if lab.label == label), None)
    if found is None:
        folded = [lab for lab in scale.labels if lab.label.casefold() == label.casefold()]
        found = folded[0] if len(folded) == 1 else None
    if found is None:
        labels = ", ".join(lab.label for lab in scale.labels)
        raise NotFound(
            f"unknown verdict label {label!r} in scale {scale.key!r}",
            hint=f"labels: {labels} (`factcheck verdict labels`)",
        )
    return found
