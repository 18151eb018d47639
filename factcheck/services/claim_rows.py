"""ClaimOut objects for many claims at once, with a fixed number of set-based queries.

Every read of claims goes through here (claim list and show, search, verdict history, the
reports): one claim or a million. Each part of a ClaimOut (the claims, their appearances with
their sources, current verdicts, those verdicts' evidence, tags and entities) is one SQL
statement of just the columns shown, restricted by a subquery of claim ids (no parameter limits,
and the database joins the two), run through a Store: on SQLite without SQLAlchemy.

The rows are the database's own, already typed by their columns and held to the schema's
constraints, so the objects are built from them directly (`trusted`) rather than validated field
by field: with tens of thousands of claims, validation and the dicts it takes as input were a
third of a report's time."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic import BaseModel

from factcheck.db.store import Store, ids_list
from factcheck.schemas import AppearanceOut, ClaimOut, EvidenceOut, RetractionOut, VerdictOut

# Ids bound in one statement: below every backend's limit on parameters.
CHUNK = 5_000

Model = TypeVar("Model", bound=BaseModel)

# The setters of BaseModel's own slots, called directly: `object.__setattr__(instance, name,
# value)` looks each name up again: over a third of the time of building an object.
_SLOTS = vars(BaseModel)
_set_dict = _SLOTS["__dict__"].__set__
_set_fields_set = _SLOTS["__pydantic_fields_set__"].__set__
_set_extra = _SLOTS["__pydantic_extra__"].__set__
_set_private = _SLOTS["__pydantic_private__"].__set__


def trusted(model: type[Model]) -> Callable[[dict[str, Any]], Model]:
    """A constructor of `model` from a dict of every one of its fields, already of their types,
    that skips validation (what `model_construct` does, without its per-field work). The dict
    becomes the instance's own (the caller hands it over) and must list the fields in the
    model's order: serialisation follows the dict's."""
    # Every field is set, so one set of them serves every instance (a set per instance was a
    # third of a large report's memory); assigning a field adds what is already there.
    fields_set = set(model.model_fields)
    new = object.__new__

    def build(values: dict[str, Any]) -> Model:
        instance = new(model)
        _set_dict(instance, values)
        _set_fields_set(instance, fields_set)
        _set_extra(instance, None)
        _set_private(instance, None)
        return instance

    return build


_claim = trusted(ClaimOut)
_appearance = trusted(AppearanceOut)
_verdict = trusted(VerdictOut)
_evidence = trusted(EvidenceOut)
_retraction = trusted(RetractionOut)


def current_verdict_ids(claim_ids: str) -> str:
    """SQL for the id of each claim's current verdict, for the claims that the subquery
    `claim_ids` selects. The rule (the newest verdict not retracted) is the database's view
    `current_verdicts` (migration 0014), which everything that asks reads."""
    return f"SELECT verdict_id FROM current_verdicts WHERE claim_id IN ({claim_ids})"


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


def load_claims(
    store: Store, claim_ids: str, params: dict[str, Any] | None = None
) -> dict[int, ClaimOut]:
    """The claims whose ids the SQL subquery `claim_ids` selects (with its `params`), by id."""
    with bulk():
        return _load_claims(store, claim_ids, params or {})


def _rows(store: Store, sql: str, params: dict[str, Any]) -> Iterator[Any]:
    # The cursor itself: its rows one at a time (no list of every row held at once: memory is
    # not free, touching new pages costs more than the rows do), and no Python in between.
    cursor: Iterator[Any] = store.run(sql, params)
    return cursor


def _load_claims(store: Store, claim_ids: str, params: dict[str, Any]) -> dict[int, ClaimOut]:
    verdict_ids = current_verdict_ids(claim_ids)
    timestamp = store.timestamp
    claims: dict[int, ClaimOut] = {}
    rows = _rows(
        store,
        "SELECT id, text, kind, notes, created_at, created_by FROM claims "
        f"WHERE id IN ({claim_ids})",
        params,
    )
    for id_, text, kind, notes, created_at, created_by in rows:
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
                "created_at": timestamp(created_at),
                "created_by": created_by,
            }
        )
    if not claims:
        return {}
    # Each part's columns are its model's fields in their order (see `trusted`), then the id of
    # what it belongs to; its dicts are written out (a third faster than zipping names and rows).
    appearances = _rows(
        store,
        "SELECT a.id, a.source_id, s.key, s.title, s.published, s.url, s.outlet, s.author, "
        "a.quote, a.quote_entered, "
        "a.claimant, a.quote_start, a.quote_end, a.anchor_status, a.stance, a.prefix, a.suffix, "
        "a.claim_id FROM appearances a JOIN sources s ON s.id = a.source_id "
        f"WHERE a.claim_id IN ({claim_ids}) ORDER BY a.id",
        params,
    )
    for (
        id_,
        source_id,
        source_key,
        source_title,
        source_published,
        source_url,
        source_outlet,
        source_author,
        quote,
        quote_entered,
        claimant,
        start,
        end,
        anchor_status,
        stance,
        prefix,
        suffix,
        claim_id,
    ) in appearances:
        claims[claim_id].appearances.append(
            _appearance(
                {
                    "id": id_,
                    "source_id": source_id,
                    "source_key": source_key,
                    "source_title": source_title,
                    "source_published": source_published,
                    "source_url": source_url,
                    "source_outlet": source_outlet,
                    "source_author": source_author,
                    "quote": quote,
                    "quote_entered": quote_entered,
                    "claimant": claimant,
                    "start": start,
                    "end": end,
                    "anchor_status": anchor_status,
                    "stance": stance,
                    "prefix": prefix,
                    "suffix": suffix,
                }
            )
        )
    for verdict, claim_id in _verdicts(store, verdict_ids, params).values():
        # Into the claim's own dict, as `trusted` built it (assignment would go through
        # pydantic's __setattr__, for a value that needs nothing from it).
        claims[claim_id].__dict__["verdict"] = verdict
    tags = _rows(
        store,
        "SELECT ct.claim_id, t.name FROM claim_tags ct JOIN tags t ON t.id = ct.tag_id "
        f"WHERE ct.claim_id IN ({claim_ids}) ORDER BY ct.id",
        params,
    )
    for claim_id, name in tags:
        claims[claim_id].tags.append(name)
    entities = _rows(
        store,
        "SELECT ce.claim_id, n.name FROM claim_entities ce JOIN entities n ON n.id = ce.entity_id "
        f"WHERE ce.claim_id IN ({claim_ids}) ORDER BY ce.id",
        params,
    )
    for claim_id, name in entities:
        claims[claim_id].entities.append(name)
    return claims


def _verdicts(
    store: Store, verdict_ids: str, params: dict[str, Any], ordered: bool = False
) -> dict[int, tuple[VerdictOut, int]]:
    """The verdicts whose ids the SQL subquery `verdict_ids` selects, with their evidence and
    retraction, and the claim of each, by verdict id (in id order if `ordered`)."""
    verdicts: dict[int, tuple[VerdictOut, int]] = {}
    rows = _rows(
        store,
        "SELECT v.id, l.label, r.key, l.polarity, l.value, v.note, v.created_at, v.created_by, "
        "v.claim_id, x.id, x.note, x.created_at, x.created_by FROM verdicts v "
        "JOIN rating_labels l ON l.id = v.label_id JOIN rating_scales r ON r.id = l.scale_id "
        "LEFT JOIN verdict_retractions x ON x.verdict_id = v.id "
        f"WHERE v.id IN ({verdict_ids})" + (" ORDER BY v.id" if ordered else ""),
        params,
    )
    timestamp = store.timestamp
    for (
        id_,
        label,
        scale,
        polarity,
        value,
        note,
        created_at,
        created_by,
        claim_id,
        retraction_id,
        retraction_note,
        retracted_at,
        retracted_by,
    ) in rows:
        retraction = None
        if retraction_id is not None:
            retraction = _retraction(
                {
                    "id": retraction_id,
                    "note": retraction_note,
                    "created_at": timestamp(retracted_at),
                    "created_by": retracted_by,
                }
            )
        verdict = _verdict(
            {
                "id": id_,
                "label": label,
                "scale": scale,
                "polarity": polarity,
                "value": value,
                "note": note,
                "created_at": timestamp(created_at),
                "created_by": created_by,
                "evidence": [],
                "retraction": retraction,
            }
        )
        verdicts[id_] = (verdict, claim_id)
    evidence = _rows(
        store,
        "SELECT e.source_id, s.key, e.url, e.quote, e.note, e.verdict_id FROM verdict_evidence e "
        f"LEFT JOIN sources s ON s.id = e.source_id WHERE e.verdict_id IN ({verdict_ids}) "
        "ORDER BY e.id",
        params,
    )
    for source_id, source_key, url, quote, note, verdict_id in evidence:
        verdicts[verdict_id][0].evidence.append(
            _evidence(
                {
                    "source_id": source_id,
                    "source_key": source_key,
                    "url": url,
                    "quote": quote,
                    "note": note,
                }
            )
        )
    return verdicts


def verdicts_of(store: Store, verdict_ids: str, params: dict[str, Any]) -> list[VerdictOut]:
    """The verdicts whose ids the SQL subquery `verdict_ids` selects, oldest first, with their
    evidence."""
    return [
        verdict for verdict, _claim in _verdicts(store, verdict_ids, params, ordered=True).values()
    ]


def claims_in_order(store: Store, ids: list[int]) -> list[ClaimOut]:
    """Claims in the order of `ids` (a short list, such as a page of search results)."""
    found: dict[int, ClaimOut] = {}
    # In chunks: an unlimited search can match more claims than a statement may bind values.
    for start in range(0, len(ids), CHUNK):
        marks, params = ids_list("id", ids[start : start + CHUNK])
        found.update(load_claims(store, marks, params))
    return [found[i] for i in ids if i in found]


def earlier_verdicts(store: Store, claim_ids: list[int]) -> dict[int, list[VerdictOut]]:
    """The verdicts of each claim before its current one, oldest first, with their evidence,
    by claim (for a batch of claims: the ids are bound as parameters). Retracted verdicts are
    left out: what reads these (the CSV export) cannot say that one was taken back."""
    marks, params = ids_list("claim", claim_ids)
    verdict_ids = (
        f"SELECT id FROM verdicts WHERE claim_id IN ({marks}) "
        f"AND id NOT IN ({current_verdict_ids(marks)}) "
        "AND id NOT IN (SELECT verdict_id FROM verdict_retractions)"
    )
    found: dict[int, list[VerdictOut]] = {}
    with bulk():
        for verdict, claim_id in _verdicts(store, verdict_ids, params, ordered=True).values():
            found.setdefault(claim_id, []).append(verdict)
    return found
