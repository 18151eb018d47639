"""Verdicts (append-only), their retractions, and the rating scales their labels come from.

A claim's current verdict is its newest verdict not retracted: the database's view
`current_verdicts` says which (migration 0014), for every reader alike."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from factcheck.db.store import Store
from factcheck.errors import Conflict, QuoteNotAnchored
from factcheck.schemas import (
    AppearanceIn,
    Created,
    EvidenceIn,
    LabelIn,
    LabelOut,
    Retracted,
    RetractionIn,
    VerdictCreated,
    VerdictIn,
    VerdictOut,
)
from factcheck.services.anchoring import Snapshot, anchor_columns
from factcheck.services.claim_rows import current_verdict_ids, verdicts_of
from factcheck.services.refs import find_claim, find_label, find_scale, find_source, scale_labels

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)


def _evidence_quote(source: Snapshot, quote: str, warnings: list[str]) -> str:
    """The passage of the source a quote names, verbatim, anchored as an appearance's quote is
    (exactly, else ignoring case, quote marks, dashes and spacing); not found: QuoteNotAnchored.
    A source without text cannot be checked: the quote is kept as given, with a warning."""
    if source.text is None:
        warnings.append(
            f"source {source.key!r} has no text snapshot: evidence quote kept as given, unchecked"
        )
        return quote
    # Only the passage is kept (evidence has no offsets): where it occurs, and how often, is
    # not the user's concern here.
    unused: list[str] = []
    try:
        columns = anchor_columns(source, AppearanceIn(source=source.key, quote=quote), unused)
    except QuoteNotAnchored as exc:
        raise QuoteNotAnchored(
            f"evidence {exc.message}",
            hint=f"copy the passage from `factcheck source show {source.key} --text`",
        ) from exc
    verbatim: str = columns["quote"]
    return verbatim


def evidence_columns(
    store: Store, items: Iterable[EvidenceIn], warnings: list[str] | None = None
) -> list[dict[str, Any]]:
    """The `source_id`, `url`, `quote` and `note` of each evidence item (a URL, or a source's id
    or key; its quote anchored in the source's text), each once, in order."""
    warnings = [] if warnings is None else warnings
    columns: list[dict[str, Any]] = []
    for ref, quote, note in dict.fromkeys((e.source, e.quote, e.note) for e in items):
        if _URL.match(ref):
            if quote is not None:
                warnings.append(
                    f"evidence {ref} is not a logged source: its quote is kept as given, unchecked"
                )
            columns.append({"source_id": None, "url": ref, "quote": quote, "note": note})
            continue
        found = find_source(store, ref)
        if quote is not None:
            text = store.value("SELECT text FROM sources WHERE id = :id", {"id": found.id})
            quote = _evidence_quote(Snapshot(found.key, text), quote, warnings)
        columns.append({"source_id": found.id, "url": None, "quote": quote, "note": note})
    return columns


def set_verdict(store: Store, data: VerdictIn) -> VerdictCreated:
    find_claim(store, data.claim_id)
    label = find_label(store, data.label, data.scale)
    warnings: list[str] = []
    evidence = evidence_columns(store, data.evidence, warnings)
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
    return VerdictCreated(id=verdict_id, warnings=warnings)


def verdict_history(store: Store, claim_id: int) -> list[VerdictOut]:
    find_claim(store, claim_id)
    return verdicts_of(
        store, "SELECT id FROM verdicts WHERE claim_id = :claim", {"claim": claim_id}
    )


def _current(store: Store, claim_id: int) -> VerdictOut | None:
    found = verdicts_of(store, current_verdict_ids(":claim"), {"claim": claim_id})
    return found[0] if found else None


def retraction_plan(store: Store, claim_id: int) -> VerdictOut:
    """The verdict retracting would take back: the claim's current one."""
    find_claim(store, claim_id)
    current = _current(store, claim_id)
    if current is None:
        raise Conflict(
            f"claim {claim_id} has no verdict to retract",
            hint=f"`factcheck verdict history {claim_id}` shows its verdicts and retractions",
        )
    return current


def retract_verdict(store: Store, data: RetractionIn, expected: int | None = None) -> Retracted:
    """Take back the claim's current verdict: a retraction row (in the history like any
    other), never a deletion. With `expected`, only if that verdict is still the current one
    (what the user was asked about)."""
    verdict = retraction_plan(store, data.claim_id)
    if expected is not None and verdict.id != expected:
        raise Conflict(
            f"claim {data.claim_id}'s current verdict changed while you were asked "
            f"(now #{verdict.id}); nothing retracted"
        )
    retraction_id = store.insert(
        "verdict_retractions",
        {
            "verdict_id": verdict.id,
            "note": data.note,
            "created_at": store.now(),
            "created_by": store.actor,
        },
    )
    (retracted,) = verdicts_of(store, "SELECT :id", {"id": verdict.id})
    return Retracted(
        id=retraction_id,
        claim_id=data.claim_id,
        verdict=retracted,
        current=_current(store, data.claim_id),
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
