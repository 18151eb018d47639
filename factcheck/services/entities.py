"""Entities (people, organisations, places) and the spellings their names appear in."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal, overload

from factcheck.db.store import Store, ids_list, values_list
from factcheck.errors import Conflict, InvalidInput, NotFound
from factcheck.schemas import Created, EntityEdit, EntityIn, EntityOut, Page, PageIn, Removal
from factcheck.services.paging import store_page
from factcheck.services.refs import as_id
from factcheck.text import fold


@dataclass(frozen=True)
class EntityRef:
    id: int
    name: str


@overload
def find_entity(store: Store, ref: str, missing_ok: Literal[False] = False) -> EntityRef: ...
@overload
def find_entity(store: Store, ref: str, missing_ok: bool) -> EntityRef | None: ...
def find_entity(store: Store, ref: str, missing_ok: bool = False) -> EntityRef | None:
    """An entity by id, or by its name or any alias, compared by folded search key; None if
    there is none and `missing_ok`."""
    ref = ref.strip()
    entity_id = as_id(ref)
    if entity_id is not None:
        row = store.row("SELECT id, name FROM entities WHERE id = :id", {"id": entity_id})
        if row is not None:
            return EntityRef(*row)
    matches = store.rows(
        "SELECT DISTINCT e.id, e.name FROM entities e "
        "JOIN entity_aliases a ON a.entity_id = e.id WHERE a.alias_key = :key ORDER BY e.id",
        {"key": fold(ref)},
    )
    if not matches:
        if missing_ok:
            return None
        raise NotFound(f"no entity {ref!r}", hint="`factcheck entity add NAME` creates one")
    if len(matches) > 1:
        names = ", ".join(f"{entity_id} {name}" for entity_id, name in matches)
        raise InvalidInput(f"{ref!r} names several entities ({names}); use the id")
    return EntityRef(*matches[0])


def entity_keys(store: Store, entity_ids: Collection[int]) -> list[tuple[str, int]]:
    """(folded spelling, entity id) for every spelling of the entities."""
    marks, params = ids_list("e", entity_ids)
    return [
        (key, entity_id)
        for key, entity_id in store.rows(
            f"SELECT alias_key, entity_id FROM entity_aliases WHERE entity_id IN ({marks}) "
            "ORDER BY entity_id, id",
            params,
        )
    ]


def entities_starting(store: Store, first_words: Collection[str]) -> list[tuple[str, int]]:
    """(folded spelling, entity id) for every spelling whose folded key starts with one of
    `first_words`: the spellings a text made of those words might hold."""
    by_length: dict[int, list[str]] = {}
    for word in sorted(set(first_words)):
        by_length.setdefault(len(word), []).append(word)
    conditions = []
    params: dict[str, object] = {}
    # One IN list per length of word: a condition per word made a query of thousands of words
    # too deep an expression for SQLite.
    for length, words in by_length.items():
        marks, values = values_list(f"w{length}_", words)
        params.update(values)
        conditions.append(f"substr(alias_key, 1, {length}) IN ({marks})")
    if not conditions:
        return []
    return [
        (key, entity_id)
        for key, entity_id in store.rows(
            f"SELECT alias_key, entity_id FROM entity_aliases WHERE {' OR '.join(conditions)} "
            "ORDER BY entity_id, id",
            params,
        )
    ]


def _alias_key(alias: str) -> str:
    key = fold(alias)
    if not key:
        raise InvalidInput(f"alias {alias!r} is empty once folded")
    return key


def _new_aliases(aliases: list[str], keys: set[str]) -> list[tuple[str, str]]:
    """The spellings to add, with their keys: each unless the entity already has one (in `keys`,
    which this extends) that folds the same."""
    added = []
    for alias in aliases:
        key = _alias_key(alias)
        if key not in keys:
            keys.add(key)
            added.append((alias, key))
    return added


def _refuse_taken(store: Store, aliases: list[tuple[str, str]], entity_id: int | None) -> None:
    """Names that fold to the same key are one entity: a spelling whose key already names
    another entity than `entity_id` is refused, with the alias to add instead."""
    keys = {f"k{i}": key for i, (_, key) in enumerate(aliases)}
    if not keys:
        return
    marks = ", ".join(f":{name}" for name in keys)
    params = {**keys, "self": -1 if entity_id is None else entity_id}
    row = store.row(
        "SELECT a.alias_key, e.id, e.name FROM entity_aliases a JOIN entities e "
        f"ON e.id = a.entity_id WHERE a.alias_key IN ({marks}) AND e.id <> :self "
        "ORDER BY e.id LIMIT 1",
        params,
    )
    if row is None:
        return
    key, other, name = row
    spelling = next(alias for alias, k in aliases if k == key)
    hint = (
        f"it finds that entity as it is (`--entity {spelling!r}`); "
        f"`factcheck entity alias {other} SPELLING` adds other spellings to it"
        if entity_id is None
        else f"`factcheck entity merge {other} {entity_id}` makes the two entities one"
    )
    raise Conflict(
        f"{spelling!r} already names entity {other} {name!r} "
        "(names match ignoring case and accents)",
        hint=hint,
    )


def _insert_aliases(store: Store, entity_id: int, aliases: list[tuple[str, str]]) -> None:
    for alias, key in aliases:
        store.insert("entity_aliases", {"entity_id": entity_id, "alias": alias, "alias_key": key})


def add_entity(store: Store, data: EntityIn) -> Created:
    existing = store.value("SELECT id FROM entities WHERE name = :name", {"name": data.name})
    if existing is not None:
        raise Conflict(
            f"entity {data.name!r} already exists (id {existing})",
            hint=f"`factcheck entity alias {existing} SPELLING` adds another spelling",
        )
    aliases = _new_aliases([data.name, *data.aliases], set())
    _refuse_taken(store, aliases, None)
    entity_id = store.insert(
        "entities",
        {
            "name": data.name,
            "kind": data.kind,
            "notes": data.notes,
            "created_at": store.now(),
            "created_by": store.actor,
        },
    )
    _insert_aliases(store, entity_id, aliases)
    return Created(id=entity_id)


def add_aliases(store: Store, ref: str, aliases: list[str]) -> EntityOut:
    entity = find_entity(store, ref)
    keys = {
        key
        for (key,) in store.rows(
            "SELECT alias_key FROM entity_aliases WHERE entity_id = :id", {"id": entity.id}
        )
    }
    added = _new_aliases(aliases, keys)
    _refuse_taken(store, added, entity.id)
    _insert_aliases(store, entity.id, added)
    return entity_out(store, entity.id)


def edit_entity(store: Store, ref: str, data: EntityEdit) -> EntityOut:
    """Change an entity's kind or notes, or clear its notes (the old values stay in history)."""
    data.require_change()
    entity = find_entity(store, ref)
    changes = data.model_dump(exclude_none=True, exclude={"clear"})
    changes.update(dict.fromkeys(data.clear))
    assignments = ", ".join(f"{column} = :{column}" for column in changes)
    store.run(f"UPDATE entities SET {assignments} WHERE id = :id", {**changes, "id": entity.id})
    return entity_out(store, entity.id)


def _alias_ids(store: Store, ref: str, aliases: list[str]) -> tuple[EntityRef, list[int]]:
    """The entity and the ids of the spellings named (each matched by folded key), all of
    which it must have; its name is not one that can go."""
    entity = find_entity(store, ref)
    present: dict[str, int] = {
        key: alias_id
        for key, alias_id in store.rows(
            "SELECT alias_key, id FROM entity_aliases WHERE entity_id = :id", {"id": entity.id}
        )
    }
    ids = []
    for alias in aliases:
        key = _alias_key(alias)
        if key == fold(entity.name):
            raise InvalidInput(f"{alias!r} is the name of entity {entity.id}, which it keeps")
        if key not in present:
            raise NotFound(f"entity {entity.id} {entity.name!r} has no spelling {alias!r}")
        ids.append(present[key])
    return entity, sorted(set(ids))


def unalias_removal(store: Store, ref: str, aliases: list[str]) -> Removal:
    """What removing spellings of an entity removes: those spellings."""
    entity, ids = _alias_ids(store, ref, aliases)
    spellings = ", ".join(map(repr, dict.fromkeys(aliases)))
    return Removal(
        what=f"spelling(s) {spellings} of entity {entity.id} {entity.name!r}",
        rows={"entity_aliases": len(ids)},
    )


def remove_aliases(store: Store, ref: str, aliases: list[str]) -> EntityOut:
    entity, ids = _alias_ids(store, ref, aliases)
    marks, params = ids_list("a", ids)
    store.run(f"DELETE FROM entity_aliases WHERE id IN ({marks})", params)
    return entity_out(store, entity.id)


def _entity_rows(store: Store, entity_id: int) -> dict[str, int]:
    params = {"id": entity_id}
    return {
        "entity_aliases": int(
            store.value("SELECT count(*) FROM entity_aliases WHERE entity_id = :id", params)
        ),
        "claim_entities": int(
            store.value("SELECT count(*) FROM claim_entities WHERE entity_id = :id", params)
        ),
    }


def entity_removal(store: Store, ref: str) -> Removal:
    """What deleting the entity removes: it, its spellings and its mentions in claims (the
    claims stay)."""
    entity = find_entity(store, ref)
    rows = {"entities": 1, **_entity_rows(store, entity.id)}
    return Removal(
        what=f"entity {entity.id} {entity.name!r}", rows={t: n for t, n in rows.items() if n}
    )


def delete_entity(store: Store, ref: str) -> Removal:
    removal = entity_removal(store, ref)
    store.run("DELETE FROM entities WHERE id = :id", {"id": find_entity(store, ref).id})
    return removal


def entity_merge(store: Store, keep_ref: str, gone_ref: str) -> tuple[EntityRef, EntityRef]:
    """The entity that stays and the one merged into it, which must be two."""
    keep, gone = find_entity(store, keep_ref), find_entity(store, gone_ref)
    if keep.id == gone.id:
        raise InvalidInput(f"{keep_ref!r} and {gone_ref!r} are the same entity ({keep.id})")
    return keep, gone


def merge_removal(store: Store, keep_ref: str, gone_ref: str) -> Removal:
    """What merging removes: the second entity; its spellings and mentions move to the first."""
    keep, gone = entity_merge(store, keep_ref, gone_ref)
    return Removal(
        what=f"entity {gone.id} {gone.name!r}, merged into {keep.id} {keep.name!r}",
        rows={"entities": 1},
    )


def merge_entities(store: Store, keep_ref: str, gone_ref: str) -> EntityOut:
    """Make two entities one: the second's spellings (its name among them) and claim mentions
    move to the first, its notes are added to the first's, and the second is deleted."""
    keep, gone = entity_merge(store, keep_ref, gone_ref)
    params = {"keep": keep.id, "gone": gone.id}
    # A spelling or mention the first already has is not moved: it goes with the second.
    store.run(
        "UPDATE entity_aliases SET entity_id = :keep WHERE entity_id = :gone AND alias_key NOT IN "
        "(SELECT alias_key FROM entity_aliases WHERE entity_id = :keep)",
        params,
    )
    store.run(
        "UPDATE claim_entities SET entity_id = :keep WHERE entity_id = :gone AND claim_id NOT IN "
        "(SELECT claim_id FROM claim_entities WHERE entity_id = :keep)",
        params,
    )
    notes = [
        n
        for (n,) in store.rows(
            "SELECT notes FROM entities WHERE id IN (:keep, :gone) ORDER BY id = :gone", params
        )
        if n
    ]
    if notes:
        store.run(
            "UPDATE entities SET notes = :notes WHERE id = :keep",
            {**params, "notes": "\n\n".join(dict.fromkeys(notes))},
        )
    store.run("DELETE FROM entities WHERE id = :gone", params)
    return entity_out(store, keep.id)


def _entities(store: Store, entity_ids: list[int]) -> list[EntityOut]:
    """The entities with these ids, in the order of `entity_ids`."""
    marks, params = ids_list("e", entity_ids)
    aliases: dict[int, list[str]] = {}
    for entity_id, alias in store.rows(
        f"SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN ({marks}) ORDER BY id",
        params,
    ):
        aliases.setdefault(entity_id, []).append(alias)
    claim_ids: dict[int, list[int]] = {}
    for entity_id, claim_id in store.rows(
        f"SELECT entity_id, claim_id FROM claim_entities WHERE entity_id IN ({marks}) "
        "ORDER BY claim_id",
        params,
    ):
        claim_ids.setdefault(entity_id, []).append(claim_id)
    found = {}
    for entity_id, name, kind, notes in store.rows(
        f"SELECT id, name, kind, notes FROM entities WHERE id IN ({marks})", params
    ):
        mentions = claim_ids.get(entity_id, [])
        found[entity_id] = EntityOut(
            id=entity_id,
            name=name,
            kind=kind,
            aliases=aliases.get(entity_id, []),
            notes=notes,
            claims=len(mentions),
            claim_ids=mentions,
        )
    return [found[i] for i in entity_ids if i in found]


def entity_out(store: Store, entity_id: int) -> EntityOut:
    (entity,) = _entities(store, [entity_id])
    return entity


def list_entities(store: Store, page: PageIn) -> Page[EntityOut]:
    """Entities by name."""
    ids = store_page(store, "SELECT id FROM entities ORDER BY name", {}, page)
    return ids.with_items(_entities(store, ids.items))


def show_entity(store: Store, ref: str) -> EntityOut:
    return entity_out(store, find_entity(store, ref).id)
