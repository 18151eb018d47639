"""Typed links between claims."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.errors import Conflict, InvalidInput, NotFound
from factcheck.models import Link
from factcheck.schemas import Created, LinkIn
from factcheck.services.refs import get_claim
from factcheck.vocab import SYMMETRIC_RELATIONS

# A pair cannot both contradict and agree with each other.
_INCOMPATIBLE = {
    "contradicts": {"supports", "duplicates"},
    "supports": {"contradicts"},
    "duplicates": {"contradicts"},
    "refines": set(),
}


def add_link(session: Session, data: LinkIn) -> Created:
    if data.claim_a == data.claim_b:
        raise InvalidInput(f"a claim cannot be linked to itself (claim {data.claim_a})")
    get_claim(session, data.claim_a)
    get_claim(session, data.claim_b)
    a, b = data.claim_a, data.claim_b
    if data.relation in SYMMETRIC_RELATIONS and a > b:
        a, b = b, a
    pair = {data.claim_a, data.claim_b}
    for existing in session.scalars(
        select(Link).where(Link.claim_a_id.in_(pair), Link.claim_b_id.in_(pair))
    ):
        same_direction = (existing.claim_a_id, existing.claim_b_id) == (a, b)
        if existing.relation == data.relation and (
            same_direction or data.relation in SYMMETRIC_RELATIONS
        ):
            raise Conflict(
                f"claims {data.claim_a} and {data.claim_b} are already linked: "
                f"link {existing.id} ({existing.relation})"
            )
        if existing.relation in _INCOMPATIBLE[data.relation]:
            raise Conflict(
                f"claims {data.claim_a} and {data.claim_b} are linked as {existing.relation!r} "
                f"(link {existing.id}); they cannot also be {data.relation!r}",
                hint=f"`factcheck unlink {existing.id}` first if that link is wrong",
            )
    link = Link(
        claim_a_id=a,
        claim_b_id=b,
        relation=data.relation,
        note=data.note,
        created_by=session.info.get("actor"),
    )
    session.add(link)
    session.flush()
    return Created(id=link.id)


def remove_link(session: Session, link_id: int) -> None:
    link = session.get(Link, link_id)
    if link is None:
        raise NotFound(f"no link {link_id}", hint="`factcheck claim show ID` lists a claim's links")
    session.delete(link)
    session.flush()
