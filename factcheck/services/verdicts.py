"""Verdicts (append-only) and the rating scales their labels come from."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from factcheck.db.store import Store
from factcheck.errors import Conflict
from factcheck.schemas import Created, LabelIn, LabelOut, VerdictIn, VerdictOut
from factcheck.services.claim_rows import verdicts_of
from factcheck.services.refs import find_claim, find_label, find_scale, find_source, scale_labels

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)


def evidence_columns(store: Store, refs: Iterable[str]) -> list[dict[str, Any]]:
    """The `url` and `source_id` of each piece of evidence named (a URL, or a source's id or
    key), each once, in order."""
    return [
        {"url": ref, "source_id": None}
        if _URL.match(ref)
        else {"url": None, "source_id": find_source(store, ref).id}
        for ref in dict.fromkeys(refs)
    ]


def set_verdict(store: Store, data: VerdictIn) -> Created:
    find_claim(store, data.claim_id)
    label = find_label(store, data.label, data.scale)
    evidence = evidence_columns(store, data.evidence)
    verdict_id = store.insert(
        "verdicts",
        {
            "claim_id": data.claim_id,
            "label_id": label.id,
            "note": data.note,
            "created_at": store.now(),
            "created_by": store.actor,
        },
    )
    for item in evidence:
        store.insert("verdict_evidence", {"verdict_id": verdict_id, **item})
    return Created(id=verdict_id)


def verdict_history(store: Store, claim_id: int) -> list[VerdictOut]:
    find_claim(store, claim_id)
    return verdicts_of(
        store, "SELECT id FROM verdicts WHERE claim_id = :claim", {"claim": claim_id}
    )


def list_labels(store: Store, scale: str | None = None) -> list[LabelOut]:
    where, params = "", {}
    if scale is not None:
        where, params = "WHERE l.scale_id = :scale", {"scale": find_scale(store, scale)}
    rows = store.rows(
        "SELECT l.label, l.polarity, l.value, r.key, l.description FROM rating_labels l "
        f"JOIN rating_scales r ON r.id = l.scale_id {where} ORDER BY r.id, l.position, l.id",
        params,
    )
    return [
        LabelOut(label=label, polarity=polarity, value=value, scale=key, description=description)
        for label, polarity, value, key, description in rows
    ]


def define_label(store: Store, data: LabelIn) -> Created:
    """Add a label to a rating scale (scales are extensible; existing labels never change)."""
    scale_id = find_scale(store, data.scale)
    labels = scale_labels(store, scale_id)
    if any(lab.label == data.label for lab in labels):
        raise Conflict(f"scale {data.scale!r} already has a label {data.label!r}")
    position = store.value(
        "SELECT coalesce(max(position), -1) + 1 FROM rating_labels WHERE scale_id = :scale",
        {"scale": scale_id},
    )
    label_id = store.insert(
        "rating_labels",
        {
            "scale_id": scale_id,
            "label": data.label,
            "polarity": data.polarity,
            "value": data.value,
            "position": position,
            "description": data.description,
        },
    )
    return Created(id=label_id)
