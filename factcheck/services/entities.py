"""Entities (people, organisations, places) and the spellings their names appear in."""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.db.store import Store, ids_list
from factcheck.errors import Conflict, InvalidInput, NotFound
from factcheck.schemas import Created, EntityIn, EntityOut, Page, PageIn
from factcheck.services.paging import store_page
from factcheck.services.refs import as_id
from factcheck.text import fold


@dataclass(frozen=True)
class EntityRef:
    id: int
    name: str


def find_entity(store: Store, ref: str) -> EntityRef:
    """An entity by id, or by its name or any alias, compared by folded search key."""
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
        raise NotFound(f"no entity {ref!r}", hint="`factcheck entity add NAME` creates one")
    if len(matches) > 1:
        names = ", ".join(f"{entity_id} {name}" for entity_id, name in matches)
        raise InvalidInput(f"{ref!r} names several entities ({names}); use the id")
    return EntityRef(*matches[0])


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
    _insert_aliases(store, entity.id, _new_aliases(aliases, keys))
    return entity_out(store, entity.id)


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
