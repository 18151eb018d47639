"""Claims and their appearances: adding, citing, editing, listing and showing (anchoring quotes is
in services/anchoring.py).

The rows are written in the order the ORM wrote them (the claim, new tags, the appearance, the
claim's entities, then its tags), so the history the database's triggers record reads the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from factcheck.db.store import Store, ids_list
from factcheck.errors import Conflict, NotFound
from factcheck.schemas import (
    AppearanceIn,
    ClaimDetail,
    ClaimEdit,
    ClaimFilter,
    ClaimIn,
    ClaimOut,
    LinkOut,
    Page,
    PageIn,
)
from factcheck.services.anchoring import AppearanceCreated, anchor_columns, same_text_warning
from factcheck.services.claim_rows import claims_in_order
from factcheck.services.entities import find_entity
from factcheck.services.paging import store_page
from factcheck.services.refs import find_claim, find_source, find_tag
from factcheck.vocab import SYMMETRIC_RELATIONS


@dataclass(frozen=True)
class _Source:
    """What anchoring needs of a source."""

    key: str
    text: str | None


def appearance_columns(
    store: Store, data: AppearanceIn, warnings: list[str], claim_id: int | None = None
) -> dict[str, Any]:
    """A new appearance's columns, all but its claim's and its creation's: the source, the
    quote anchored in the source's text, the claimant (the source's author unless given) and
    the stance. Of claim `claim_id`, if it exists already, not one citing the same quote in the
    same source again (Conflict)."""
    found = find_source(store, data.source)
    text = None
    if data.quote is not None:
        text = store.value("SELECT text FROM sources WHERE id = :id", {"id": found.id})
    columns = anchor_columns(_Source(found.key, text), data, warnings)
    if claim_id is not None:
        quote = "quote IS NULL" if columns["quote"] is None else "quote = :quote"
        duplicate = store.value(
            "SELECT id FROM appearances "
            f"WHERE claim_id = :claim AND source_id = :source AND {quote} ORDER BY id",
            {"claim": claim_id, "source": found.id, "quote": columns["quote"]},
        )
        if duplicate is not None:
            raise Conflict(
                f"claim {claim_id} already cites this in source {found.key!r} "
                f"(appearance {duplicate})"
            )
    claimant = data.claimant if data.claimant is not None else found.author
    return {"source_id": found.id, **columns, "claimant": claimant, "stance": data.stance}


def _insert_appearance(
    store: Store, claim_id: int, columns: dict[str, Any], warnings: list[str]
) -> AppearanceCreated:
    appearance_id = store.insert(
        "appearances",
        {"claim_id": claim_id, **columns, "created_at": store.now(), "created_by": store.actor},
    )
    return AppearanceCreated(
        id=claim_id,
        appearance_id=appearance_id,
        anchor_status=columns["anchor_status"],
        start=columns["quote_start"],
        end=columns["quote_end"],
        warnings=warnings,
    )


# --- writes ---------------------------------------------------------------------------------


def _tags(store: Store, names: list[str]) -> tuple[list[int | None], list[str]]:
    """The ids of the tags named (None for a tag still to be created), and the names of those
    to create."""
    ids: list[int | None] = []
    new: list[str] = []
    for name in names:
        tag_id = store.value("SELECT id FROM tags WHERE name = :name", {"name": name})
        ids.append(tag_id)
        if tag_id is None:
            new.append(name)
    return ids, new


def _insert_tags(store: Store, ids: list[int | None], new: list[str]) -> list[int]:
    """`ids` with the tags `new` names created (in order) where it has None."""
    created = {name: store.insert("tags", {"name": name}) for name in new}
    names = iter(new)
    return [tag_id if tag_id is not None else created[next(names)] for tag_id in ids]


def _entities(store: Store, refs: list[str], present: set[int]) -> list[int]:
    """The ids of the entities `refs` name that are not `present` (which this extends)."""
    added = []
    for ref in refs:
        entity = find_entity(store, ref)
        if entity.id not in present:
            present.add(entity.id)
            added.append(entity.id)
    return added


def _insert_links(store: Store, table: str, column: str, claim_id: int, ids: list[int]) -> None:
    for other in ids:
        store.insert(table, {"claim_id": claim_id, column: other})


def add_claim(store: Store, data: ClaimIn) -> AppearanceCreated:
    warnings: list[str] = []
    same = store.value(
        "SELECT id FROM claims WHERE text = :text ORDER BY id LIMIT 1", {"text": data.text}
    )
    if same is not None:
        warnings.append(same_text_warning(same))
    # Everything is looked up (and so checked) before anything is written.
    columns = appearance_columns(store, data.appearance, warnings)
    tag_ids, new_tags = _tags(store, list(dict.fromkeys(data.tags)))
    entity_ids = _entities(store, data.entities, set())
    claim_id = store.insert(
        "claims",
        {
            "text": data.text,
            "kind": data.kind,
            "notes": data.notes,
            "created_at": store.now(),
            "created_by": store.actor,
        },
    )
    tags = _insert_tags(store, tag_ids, new_tags)
    created = _insert_appearance(store, claim_id, columns, warnings)
    _insert_links(store, "claim_entities", "entity_id", claim_id, entity_ids)
    _insert_links(store, "claim_tags", "tag_id", claim_id, tags)
    return created


def cite_claim(store: Store, claim_id: int, data: AppearanceIn) -> AppearanceCreated:
    find_claim(store, claim_id)
    warnings: list[str] = []
    columns = appearance_columns(store, data, warnings, claim_id)
    return _insert_appearance(store, claim_id, columns, warnings)


def edit_claim(store: Store, claim_id: int, data: ClaimEdit) -> ClaimDetail:
    data.require_change()
    row = store.row("SELECT text, kind, notes FROM claims WHERE id = :id", {"id": claim_id})
    if row is None:
        find_claim(store, claim_id)  # the error
    assert row is not None
    present = {
        name: link_id
        for link_id, name in store.rows(
            "SELECT ct.id, t.name FROM claim_tags ct JOIN tags t ON t.id = ct.tag_id "
            "WHERE ct.claim_id = :id ORDER BY ct.id",
            {"id": claim_id},
        )
    }
    removed = []
    for name in data.remove_tags:
        if name not in present:
            raise NotFound(f"claim {claim_id} has no tag {name!r}")
        removed.append(present.pop(name))
    changes = {
        column: value
        for column, value, old in zip(
            ("text", "kind", "notes"), (data.text, data.kind, data.notes), row, strict=True
        )
        if (value is not None or column in data.clear) and value != old
    }
    if changes:
        assignments = ", ".join(f"{column} = :{column}" for column in changes)
        store.run(f"UPDATE claims SET {assignments} WHERE id = :id", {**changes, "id": claim_id})
    # Deletes first: a tag removed and added back in one edit is a new row of the same pair.
    for link_id in removed:
        store.run("DELETE FROM claim_tags WHERE id = :id", {"id": link_id})
    tag_ids, new_tags = _tags(store, [n for n in dict.fromkeys(data.add_tags) if n not in present])
    mentioned = {
        entity_id: link_id
        for link_id, entity_id in store.rows(
            "SELECT id, entity_id FROM claim_entities WHERE claim_id = :id ORDER BY id",
            {"id": claim_id},
        )
    }
    added = _entities(store, data.add_entities, set(mentioned))
    unmentioned = []
    for ref in data.remove_entities:
        entity = find_entity(store, ref)
        if entity.id not in mentioned:
            raise NotFound(f"claim {claim_id} does not mention {entity.name!r}")
        unmentioned.append(mentioned.pop(entity.id))
    tags = _insert_tags(store, tag_ids, new_tags)
    _insert_links(store, "claim_entities", "entity_id", claim_id, added)
    _insert_links(store, "claim_tags", "tag_id", claim_id, tags)
    for link_id in unmentioned:
        store.run("DELETE FROM claim_entities WHERE id = :id", {"id": link_id})
    return show_claim(store, claim_id)


# --- reads ----------------------------------------------------------------------------------


def claims_by_id(store: Store, ids: Sequence[int]) -> list[ClaimOut]:
    """Claims in the order of `ids`, with everything a ClaimOut shows (set-based loading, the
    same for one claim, a page of search results or a whole report)."""
    return claims_in_order(store, list(ids))


def list_claims(store: Store, filters: ClaimFilter, page: PageIn) -> Page[ClaimOut]:
    """Claims in the order they were added."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if filters.source is not None:
        params["source"] = find_source(store, filters.source).id
        where.append("id IN (SELECT claim_id FROM appearances WHERE source_id = :source)")
    if filters.tag is not None:
        params["tag"] = find_tag(store, filters.tag)
        where.append("id IN (SELECT claim_id FROM claim_tags WHERE tag_id = :tag)")
    if filters.entity is not None:
        params["entity"] = find_entity(store, filters.entity).id
        where.append("id IN (SELECT claim_id FROM claim_entities WHERE entity_id = :entity)")
    if filters.verdict is not None:
        label_ids = [
            label_id
            for (label_id,) in store.rows(
                "SELECT id FROM rating_labels WHERE label = :label", {"label": filters.verdict}
            )
        ]
        if not label_ids:
            rows = store.rows("SELECT label FROM rating_labels ORDER BY scale_id, label")
            labels = ", ".join(dict.fromkeys(label for (label,) in rows))
            raise NotFound(f"unknown verdict label {filters.verdict!r}", hint=f"labels: {labels}")
        marks, label_params = ids_list("label", label_ids)
        params.update(label_params)
        where.append(
            "id IN (SELECT claim_id FROM verdicts WHERE id IN "
            f"(SELECT max(id) FROM verdicts GROUP BY claim_id) AND label_id IN ({marks}))"
        )
    if filters.unreviewed:
        where.append("NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = claims.id)")
    if filters.kind is not None:
        params["kind"] = filters.kind
        where.append("kind = :kind")
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    ids = store_page(store, f"SELECT id FROM claims{condition} ORDER BY id", params, page)
    return ids.with_items(claims_by_id(store, ids.items))


def show_claim(store: Store, claim_id: int) -> ClaimDetail:
    find_claim(store, claim_id)
    (claim,) = claims_by_id(store, [claim_id])
    links = []
    rows = store.rows(
        "SELECT l.id, l.claim_a_id, l.claim_b_id, l.relation, l.note, l.created_at, "
        "l.created_by, c.text FROM links l "
        "JOIN claims c ON c.id = coalesce(nullif(l.claim_a_id, :id), l.claim_b_id) "
        "WHERE l.claim_a_id = :id OR l.claim_b_id = :id ORDER BY l.id",
        {"id": claim_id},
    )
    for link_id, claim_a, claim_b, relation, note, created_at, created_by, other_text in rows:
        outgoing = claim_a == claim_id
        links.append(
            LinkOut(
                id=link_id,
                relation=relation,
                claim_id=claim_b if outgoing else claim_a,
                direction="both"
                if relation in SYMMETRIC_RELATIONS
                else ("outgoing" if outgoing else "incoming"),
                note=note,
                text=other_text,
                created_at=store.timestamp(created_at),
                created_by=created_by,
            )
        )
    return ClaimDetail(**claim.model_dump(), links=links)
