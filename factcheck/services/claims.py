"""Claims and their appearances: adding, citing, editing, listing and showing (anchoring quotes is
in services/anchoring.py).

The rows are written in the order the ORM wrote them (the claim, new tags, the appearance, the
claim's entities, then its tags), so the history the database's triggers record reads the same.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any

from factcheck.db.sql_functions import index_words
from factcheck.db.store import Store, ids_list, values_list
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
from factcheck.services.anchoring import (
    AppearanceCreated,
    Snapshot,
    anchor_columns,
    same_text_warning,
)
from factcheck.services.claim_rows import claims_in_order
from factcheck.services.entities import entity_keys, find_entity
from factcheck.services.paging import store_page
from factcheck.services.refs import find_claim, find_source, find_tag
from factcheck.text import fold
from factcheck.vocab import SYMMETRIC_RELATIONS


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
    columns = anchor_columns(Snapshot(found.key, text), data, warnings)
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


def claimant_names(store: Store, among: Collection[str]) -> dict[str, list[str]]:
    """The claimants the appearances name, as spelt there, under the words of their folded name
    (a space between each), so that names differing only by case, accents, apostrophes or the
    punctuation between words share a key: every claimant whose name holds one of the words
    `among` (and perhaps others)."""
    # Each distinct claimant once, read from the claimant index: a few milliseconds for LIAR's
    # 3,300 claimants among 13,000 appearances (a seek per name, as a recursive query, took
    # several times as long).
    rows = store.rows(
        "SELECT DISTINCT claimant FROM appearances WHERE claimant IS NOT NULL ORDER BY claimant"
    )
    # Folding every name cost more than reading them: a plain ASCII name none of whose words
    # could be one of `among` (lower() holds the folded words, unless quote marks, which the
    # fold drops, split one) is passed over. One regular expression finds a quote mark or any
    # of the words in a name (a Python test per word took most of a search's time).
    quote_or_word = re.compile("|".join(["['\"`]", *(re.escape(word) for word in among)])).search
    names: dict[str, list[str]] = {}
    for (name,) in rows:
        if name.isascii() and quote_or_word(name.lower()) is None:
            continue
        names.setdefault(index_words(fold(name)), []).append(name)
    return names


def _found_claimants(store: Store, ref: str) -> list[str]:
    """The spellings of the claimant `ref` names: its own, or, if it names an entity, any of
    the entity's spellings."""
    keys = {fold(ref)}
    entity = find_entity(store, ref, missing_ok=True)
    if entity is not None:
        keys.update(key for key, _ in entity_keys(store, [entity.id]))
    wanted = {index_words(key) for key in keys}
    names = claimant_names(store, {word for key in wanted for word in key.split()})
    spellings = [name for key in wanted for name in names.get(key, ())]
    if not spellings:
        raise NotFound(
            f"no claimant {ref!r}",
            hint="claimants are who an appearance says makes the claim (`claim show` lists them)",
        )
    return spellings


def claim_condition(store: Store, filters: ClaimFilter) -> tuple[str | None, dict[str, Any]]:
    """The SQL condition on `claims` (a row of it) that keeps the claims passing every filter
    (None when there are none), and its parameters. Names are looked up, and a name that names
    nothing is an error."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if filters.source is not None:
        params["f_source"] = find_source(store, filters.source).id
        where.append("claims.id IN (SELECT claim_id FROM appearances WHERE source_id = :f_source)")
    if filters.tag is not None:
        params["f_tag"] = find_tag(store, filters.tag)
        where.append("claims.id IN (SELECT claim_id FROM claim_tags WHERE tag_id = :f_tag)")
    if filters.entity is not None:
        params["f_entity"] = find_entity(store, filters.entity).id
        where.append(
            "claims.id IN (SELECT claim_id FROM claim_entities WHERE entity_id = :f_entity)"
        )
    if filters.claimant is not None:
        marks, spellings = values_list("f_claimant", _found_claimants(store, filters.claimant))
        params.update(spellings)
        where.append(f"claims.id IN (SELECT claim_id FROM appearances WHERE claimant IN ({marks}))")
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
        marks, label_params = ids_list("f_label", label_ids)
        params.update(label_params)
        where.append(
            "claims.id IN (SELECT cv.claim_id FROM current_verdicts cv "
            f"JOIN verdicts v ON v.id = cv.verdict_id WHERE v.label_id IN ({marks}))"
        )
    if filters.unreviewed:
        where.append("NOT EXISTS (SELECT 1 FROM current_verdicts cv WHERE cv.claim_id = claims.id)")
    if filters.kind is not None:
        params["f_kind"] = filters.kind
        where.append("claims.kind = :f_kind")
    if filters.since is not None or filters.until is not None:
        # A partial date is the period it names: "2020-01" is every day of January. A source is
        # kept when its period and the one asked for overlap: cut to the coarser of the two
        # dates, its date is not before --since's nor after --until's. Both sides of each
        # comparison are then as long and of one format, so any collation orders them by their
        # digits (PostgreSQL's en_US ignores the "-", which would order dates of unequal length
        # wrongly).
        dated = ["s.published IS NOT NULL"]
        for name, value, operator in (
            ("since", filters.since, ">="),
            ("until", filters.until, "<="),
        ):
            if value is not None:
                params[f"f_{name}"] = value
                dated.append(
                    f"substr(s.published, 1, {len(value)}) {operator} "
                    f"substr(:f_{name}, 1, length(s.published))"
                )
        where.append(
            "claims.id IN (SELECT a.claim_id FROM appearances a JOIN sources s "
            f"ON s.id = a.source_id WHERE {' AND '.join(dated)})"
        )
    return " AND ".join(where) or None, params


def list_claims(store: Store, filters: ClaimFilter, page: PageIn) -> Page[ClaimOut]:
    """Claims in the order they were added."""
    condition, params = claim_condition(store, filters)
    where = f" WHERE {condition}" if condition is not None else ""
    ids = store_page(store, f"SELECT id FROM claims{where} ORDER BY id", params, page)
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
