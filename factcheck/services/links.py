"""Typed links between claims."""

from __future__ import annotations

from factcheck.db.store import Store
from factcheck.errors import Conflict, InvalidInput, NotFound
from factcheck.schemas import Created, LinkIn
from factcheck.services.refs import find_claim
from factcheck.vocab import SYMMETRIC_RELATIONS

# A pair cannot both contradict and agree with each other.
_INCOMPATIBLE = {
    "contradicts": {"supports", "duplicates"},
    "supports": {"contradicts"},
    "duplicates": {"contradicts"},
    "refines": set(),
}


def add_link(store: Store, data: LinkIn) -> Created:
    if data.claim_a == data.claim_b:
        raise InvalidInput(f"a claim cannot be linked to itself (claim {data.claim_a})")
    find_claim(store, data.claim_a)
    find_claim(store, data.claim_b)
    a, b = data.claim_a, data.claim_b
    if data.relation in SYMMETRIC_RELATIONS and a > b:
        a, b = b, a
    existing_links = store.rows(
        "SELECT id, claim_a_id, claim_b_id, relation FROM links "
        "WHERE claim_a_id IN (:a, :b) AND claim_b_id IN (:a, :b) ORDER BY id",
        {"a": data.claim_a, "b": data.claim_b},
    )
    for link_id, claim_a, claim_b, relation in existing_links:
        same_direction = (claim_a, claim_b) == (a, b)
        if relation == data.relation and (same_direction or data.relation in SYMMETRIC_RELATIONS):
            raise Conflict(
                f"claims {data.claim_a} and {data.claim_b} are already linked: "
                f"link {link_id} ({relation})"
            )
        if relation in _INCOMPATIBLE[data.relation]:
            raise Conflict(
                f"claims {data.claim_a} and {data.claim_b} are linked as {relation!r} "
                f"(link {link_id}); they cannot also be {data.relation!r}",
                hint=f"`factcheck unlink {link_id}` first if that link is wrong",
            )
    link_id = store.insert(
        "links",
        {
            "claim_a_id": a,
            "claim_b_id": b,
            "relation": data.relation,
            "note": data.note,
            "created_at": store.now(),
            "created_by": store.actor,
        },
    )
    return Created(id=link_id)


def remove_link(store: Store, link_id: int) -> None:
    if store.run("DELETE FROM links WHERE id = :id", {"id": link_id}).rowcount == 0:
        raise NotFound(f"no link {link_id}", hint="`factcheck claim show ID` lists a claim's links")
