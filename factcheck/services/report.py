"""The contradiction report and the per-source scorecard.

Claims connected by `contradicts` links form clusters. Each pair gets a status from the
polarities of its two sides' current verdicts (see `pair_status`); unresolved and inconsistent
pairs come first, because the report is the researcher's to-do list. `supports` and `duplicates`
links whose two sides got opposite verdicts are flagged separately.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Literal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.models import Appearance, Link, Source
from factcheck.schemas import ClaimOut, Output, ReportFilter
from factcheck.services.claims import claims_by_id
from factcheck.services.entities import get_entity
from factcheck.services.refs import get_source
from factcheck.vocab import PAIR_STATUSES, PairStatus, Relation

_RANK = {status: rank for rank, status in enumerate(PAIR_STATUSES)}
_AGREEING: tuple[Relation, ...] = ("supports", "duplicates")


def polarity(claim: ClaimOut) -> str | None:
    return claim.verdict.polarity if claim.verdict is not None else None


def pair_status(a: str | None, b: str | None) -> PairStatus:
    """The status of a contradiction from its sides' verdict polarities.

    open: a side has no verdict, or an unverifiable one (polarity none); resolved: one side
    supported and the other refuted; inconsistent: both supported (the database contradicts
    itself); both-refuted: as it says; mixed: any other combination (a side rated mixed).
    """
    if a in (None, "none") or b in (None, "none"):
        return "open"
    if {a, b} == {"supported", "refuted"}:
        return "resolved"
    if a == b == "supported":
        return "inconsistent"
    if a == b == "refuted":
        return "both-refuted"
    return "mixed"


def agreement_status(a: str | None, b: str | None) -> PairStatus | Literal["consistent"]:
    """The status of a supports/duplicates link: inconsistent when its sides got opposite
    verdicts, consistent when the same polarity, else open or mixed as for contradictions."""
    if a in (None, "none") or b in (None, "none"):
        return "open"
    if {a, b} == {"supported", "refuted"}:
        return "inconsistent"
    return "consistent" if a == b else "mixed"


class ReportPair(Output):
    link_id: int
    relation: Relation
    status: PairStatus | Literal["consistent"]
    note: str | None
    cluster: int | None = None
    claim_a: ClaimOut
    claim_b: ClaimOut


class Cluster(Output):
    id: int
    status: PairStatus
    claim_ids: list[int]
    link_ids: list[int]


class SourcePair(Output):
    source_a: str
    source_b: str
    pairs: int


class ReportSummary(Output):
    pairs: int
    clusters: int
    claims: int
    by_status: dict[str, int]
    source_pairs: list[SourcePair]
    agreement_conflicts: int


class ContradictionReport(Output):
    summary: ReportSummary
    clusters: list[Cluster]
    pairs: list[ReportPair]
    # supports/duplicates links whose sides got opposite verdicts (status inconsistent)...
    agreement_conflicts: list[ReportPair] = Field(default_factory=list)
    # ...and all of them, for the corroboration edges of the graph.
    agreements: list[ReportPair] = Field(default_factory=list)


def _sources(claim: ClaimOut) -> set[str]:
    return {a.source_key for a in claim.appearances}


def _pairs(session: Session, relations: Iterable[str]) -> list[ReportPair]:
    """Links of these relations as pairs of claim objects, with their status."""
    links = list(
        session.scalars(select(Link).where(Link.relation.in_(list(relations))).order_by(Link.id))
    )
    ids = sorted({c for link in links for c in (link.claim_a_id, link.claim_b_id)})
    claims = {c.id: c for c in claims_by_id(session, ids)}
    return [
        ReportPair(
            link_id=link.id,
            relation=link.relation,
            status=(pair_status if link.relation == "contradicts" else agreement_status)(
                polarity(claims[link.claim_a_id]), polarity(claims[link.claim_b_id])
            ),
            note=link.note,
            claim_a=claims[link.claim_a_id],
            claim_b=claims[link.claim_b_id],
        )
        for link in links
    ]


def _keep(session: Session, filters: ReportFilter) -> tuple[str | None, str | None, str | None]:
    """The filter values resolved (and so checked) against the database."""
    source = get_source(session, filters.source).key if filters.source else None
    entity = get_entity(session, filters.entity).name if filters.entity else None
    return source, filters.tag, entity


def _matches(pair: ReportPair, source: str | None, tag: str | None, entity: str | None) -> bool:
    sides = (pair.claim_a, pair.claim_b)
    return (
        (source is None or any(source in _sources(c) for c in sides))
        and (tag is None or any(tag in c.tags for c in sides))
        and (entity is None or any(entity in c.entities for c in sides))
    )


def _clusters(pairs: list[ReportPair]) -> list[Cluster]:
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        parent[root(pair.claim_a.id)] = root(pair.claim_b.id)
    groups: dict[int, list[ReportPair]] = defaultdict(list)
    for pair in pairs:
        groups[root(pair.claim_a.id)].append(pair)
    clusters = []
    for members in groups.values():
        members.sort(key=lambda p: (_RANK[p.status], p.link_id))
        claim_ids = sorted({c.id for p in members for c in (p.claim_a, p.claim_b)})
        clusters.append(
            Cluster(
                id=0,
                status=members[0].status,
                claim_ids=claim_ids,
                link_ids=[p.link_id for p in members],
            )
        )
    clusters.sort(key=lambda c: (_RANK[c.status], c.claim_ids[0]))
    return [c.model_copy(update={"id": n}) for n, c in enumerate(clusters, start=1)]


def contradiction_report(session: Session, filters: ReportFilter) -> ContradictionReport:
    source, tag, entity = _keep(session, filters)
    pairs = [p for p in _pairs(session, ["contradicts"]) if _matches(p, source, tag, entity)]
    if filters.status:
        pairs = [p for p in pairs if p.status in filters.status]
    clusters = _clusters(pairs)
    cluster_of = {link_id: c.id for c in clusters for link_id in c.link_ids}
    pairs = sorted(
        (p.model_copy(update={"cluster": cluster_of[p.link_id]}) for p in pairs),
        key=lambda p: (p.cluster or 0, _RANK[p.status], p.link_id),
    )
    agreements = [p for p in _pairs(session, _AGREEING) if _matches(p, source, tag, entity)]
    conflicts = [p for p in agreements if p.status == "inconsistent"]
    between: Counter[tuple[str, str]] = Counter()
    for pair in pairs:
        sources_a, sources_b = _sources(pair.claim_a), _sources(pair.claim_b)
        touched = {(min(x, y), max(x, y)) for x in sources_a for y in sources_b if x != y}
        # Only when both claims come from one article does it contradict itself.
        between.update(touched or {(x, x) for x in sources_a & sources_b})
    statuses: Counter[str] = Counter(p.status for p in pairs)
    summary = ReportSummary(
        pairs=len(pairs),
        clusters=len(clusters),
        claims=len({c.id for p in pairs for c in (p.claim_a, p.claim_b)}),
        by_status={status: statuses[status] for status in PAIR_STATUSES},
        source_pairs=[
            SourcePair(source_a=a, source_b=b, pairs=n)
            for (a, b), n in sorted(between.items(), key=lambda item: (-item[1], item[0]))
        ],
        agreement_conflicts=len(conflicts),
    )
    return ContradictionReport(
        summary=summary,
        clusters=clusters,
        pairs=pairs,
        agreement_conflicts=conflicts,
        agreements=agreements,
    )


# --- per-source scorecard -------------------------------------------------------------------


class SourceScore(Output):
    id: int
    key: str
    title: str
    published: str | None
    claims: int
    verdicts: dict[str, int]
    unreviewed: int
    contradicted_by: dict[str, int]
    supported_by: dict[str, int]


def source_scorecard(session: Session) -> list[SourceScore]:
    """For each source: its claims, their current verdicts, and the sources it disagrees with."""
    rows = session.execute(select(Appearance.source_id, Appearance.claim_id).distinct())
    claims_of: dict[int, set[int]] = defaultdict(set)
    for source_id, claim_id in rows:
        claims_of[source_id].add(claim_id)
    all_ids = sorted({c for ids in claims_of.values() for c in ids})
    claims = {c.id: c for c in claims_by_id(session, all_ids)}
    relation_of = {"contradicts": "contradicted_by", "supports": "supported_by"}
    partners: dict[int, dict[str, Counter[str]]] = defaultdict(
        lambda: {"contradicted_by": Counter(), "supported_by": Counter()}
    )
    for pair in _pairs(session, relation_of):
        field = relation_of[pair.relation]
        for side, other in ((pair.claim_a, pair.claim_b), (pair.claim_b, pair.claim_a)):
            for a in side.appearances:
                for key in _sources(other) - {a.source_key}:
                    partners[a.source_id][field][key] += 1
    scores = []
    for source in session.scalars(select(Source).order_by(Source.id)):
        mine = [claims[c] for c in sorted(claims_of.get(source.id, ()))]
        labels = Counter(c.verdict.label for c in mine if c.verdict is not None)
        found = partners[source.id]
        scores.append(
            SourceScore(
                id=source.id,
                key=source.key,
                title=source.title,
                published=source.published,
                claims=len(mine),
                verdicts=dict(sorted(labels.items(), key=lambda item: (-item[1], item[0]))),
                unreviewed=sum(1 for c in mine if c.verdict is None),
                contradicted_by=dict(found["contradicted_by"].most_common()),
                supported_by=dict(found["supported_by"].most_common()),
            )
        )
    return scores
