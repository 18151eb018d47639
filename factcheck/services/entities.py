"""Entities (people, organisations, places) and the spellings their names appear in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from factcheck.errors import Conflict, InvalidInput, NotFound
from factcheck.models import ClaimEntity, Entity, EntityAlias
from factcheck.schemas import Created, EntityIn, EntityOut, Page, PageIn
from factcheck.services.paging import select_page, shown
from factcheck.text import fold


def get_entity(session: Session, ref: str) -> Entity:
    """An entity by id, or by its name or any alias, compared by folded search key."""
    ref = ref.strip()
    if ref.isdigit():
        entity = session.get(Entity, int(ref))
        if entity is not None:
            return entity
    matches = list(
        session.scalars(
            select(Entity).join(EntityAlias).where(EntityAlias.alias_key == fold(ref)).distinct()
        )
    )
    if not matches:
        raise NotFound(f"no entity {ref!r}", hint="`factcheck entity add NAME` creates one")
    if len(matches) > 1:
        names = ", ".join(f"{e.id} {e.name}" for e in matches)
        raise InvalidInput(f"{ref!r} names several entities ({names}); use the id")
    return matches[0]


def _add_alias(session: Session, entity: Entity, alias: str) -> bool:
    """Add a spelling unless the entity already has one that folds the same."""
    key = fold(alias)
    if not key:
        raise InvalidInput(f"alias {alias!r} is empty once folded")
    if any(a.alias_key == key for a in entity.aliases):
        return False
    entity.aliases.append(EntityAlias(alias=alias, alias_key=key))
    return True


def add_entity(session: Session, data: EntityIn) -> Created:
    existing = session.scalar(select(Entity.id).where(Entity.name == data.name))
    if existing is not None:
        raise Conflict(
            f"entity {data.name!r} already exists (id {existing})",
            hint=f"`factcheck entity alias {existing} SPELLING` adds another spelling",
        )
    entity = Entity(
        name=data.name, kind=data.kind, notes=data.notes, created_by=session.info.get("actor")
    )
    with session.no_autoflush:
        for alias in (data.name, *data.aliases):
            _add_alias(session, entity, alias)
    session.add(entity)
    session.flush()
    return Created(id=entity.id)


def add_aliases(session: Session, ref: str, aliases: list[str]) -> EntityOut:
    entity = get_entity(session, ref)
    for alias in aliases:
        _add_alias(session, entity, alias)
    session.flush()
    return entity_out(session, entity)


def _claim_ids(session: Session, entity_ids: list[int] | Select[Any]) -> dict[int, list[int]]:
    """The ids of the claims mentioning each of the entities (a list of ids or a subquery)."""
    query = (
        select(ClaimEntity.entity_id, ClaimEntity.claim_id)
        .where(ClaimEntity.entity_id.in_(entity_ids))
        .order_by(ClaimEntity.claim_id)
    )
    found: dict[int, list[int]] = {}
    for entity_id, claim_id in session.execute(query):
        found.setdefault(entity_id, []).append(claim_id)
    return found


def _out(entity: Entity, claim_ids: list[int]) -> EntityOut:
    return EntityOut(
        id=entity.id,
        name=entity.name,
        kind=entity.kind,
        aliases=[a.alias for a in entity.aliases],
        notes=entity.notes,
        claims=len(claim_ids),
        claim_ids=claim_ids,
    )


def entity_out(session: Session, entity: Entity) -> EntityOut:
    return _out(entity, _claim_ids(session, [entity.id]).get(entity.id, []))


def list_entities(session: Session, page: PageIn) -> Page[EntityOut]:
    """Entities by name."""
    entities = select_page(
        session, select(Entity).order_by(Entity.name).options(selectinload(Entity.aliases)), page
    )
    claim_ids = _claim_ids(session, shown(select(Entity.id).order_by(Entity.name), page))
    return entities.with_items([_out(e, claim_ids.get(e.id, [])) for e in entities.items])


def show_entity(session: Session, ref: str) -> EntityOut:
    return entity_out(session, get_entity(session, ref))
