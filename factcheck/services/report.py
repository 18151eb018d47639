"""The contradiction report and the per-source scorecard.

Claims connected by `contradicts` links form clusters. Each pair gets a status from the
polarities of its two sides' current verdicts (see `pair_status`); unresolved and inconsistent
pairs come first, because the report is the researcher's to-do list. `supports` and `duplicates`
links whose two sides got opposite verdicts are flagged separately.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from factcheck.db.store import Store
from factcheck.models import Appearance, Link, RatingLabel, Source, Verdict
from factcheck.schemas import ClaimOut, Output, ReportFilter
from factcheck.services.claim_rows import bulk, load_claims, trusted
from factcheck.services.entities import find_entity
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


def _link_rows(session: Session, relations: Iterable[str]) -> list[Any]:
    """(id, claim_a_id, claim_b_id, relation, note) of the links of these relations, by id."""
    return list(
        session.connection()
        .execute(
            select(Link.id, Link.claim_a_id, Link.claim_b_id, Link.relation, Link.note)
            .where(Link.relation.in_(list(relations)))
            .order_by(Link.id)
        )
        .all()
    )


def _linked_claims(session: Session, relations: Iterable[str]) -> dict[int, ClaimOut]:
    """Every claim on either side of a link of these relations, loaded in one batch."""
    wanted = {f"relation{i}": relation for i, relation in enumerate(relations)}
    marks = ", ".join(f":{name}" for name in wanted)
    # UNION ALL: the ids only restrict the loader's selects (`IN`), which ignores repeats; a
    # UNION would sort them out again for each of those selects.
    ids = (
        f"SELECT claim_a_id FROM links WHERE relation IN ({marks}) "
        f"UNION ALL SELECT claim_b_id FROM links WHERE relation IN ({marks})"
    )
    return load_claims(Store.of(session), ids, wanted)


# Pairs and clusters are made of values already checked (link rows, loaded claims, statuses
# from the rules above): built without validating them again, tens of thousands at a time.
_report_pair = trusted(ReportPair)
_cluster = trusted(Cluster)


def _pair(
    link: Any, claims: dict[int, ClaimOut], status: str, cluster: int | None = None
) -> ReportPair:
    link_id, a_id, b_id, relation, note = link
    return _report_pair(
        {
            "link_id": link_id,
            "relation": relation,
            "status": status,
            "note": note,
            "cluster": cluster,
            "claim_a": claims[a_id],
            "claim_b": claims[b_id],
        }
    )


def _keep(session: Session, filters: ReportFilter) -> tuple[str | None, str | None, str | None]:
    """The filter values resolved (and so checked) against the database."""
    source = get_source(session, filters.source).key if filters.source else None
    entity = find_entity(Store.of(session), filters.entity).name if filters.entity else None
    return source, filters.tag, entity


def _sides_match(
    a: ClaimOut, b: ClaimOut, source: str | None, tag: str | None, entity: str | None
) -> bool:
    sides = (a, b)
    return (
        (source is None or any(source in _sources(c) for c in sides))
        and (tag is None or any(tag in c.tags for c in sides))
        and (entity is None or any(entity in c.entities for c in sides))
    )


def _clusters(pairs: list[tuple[int, int, int, PairStatus]]) -> list[Cluster]:
    """Clusters of (link id, claim a, claim b, status) pairs: connected components, numbered
    from 1 in the order of their most urgent status, then their lowest claim id."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _link, a, b, _status in pairs:
        parent[root(a)] = root(b)
    groups: dict[int, list[tuple[int, int, int, PairStatus]]] = defaultdict(list)
    for pair in pairs:
        groups[root(pair[1])].append(pair)
    found = []
    for members in groups.values():
        members.sort(key=lambda p: (_RANK[p[3]], p[0]))
        claim_ids = sorted({c for p in members for c in (p[1], p[2])})
        found.append((members[0][3], claim_ids, [p[0] for p in members]))
    found.sort(key=lambda c: (_RANK[c[0]], c[1][0]))
    return [
        _cluster({"id": n, "status": status, "claim_ids": claim_ids, "link_ids": link_ids})
        for n, (status, claim_ids, link_ids) in enumerate(found, start=1)
    ]


def contradiction_report(session: Session, filters: ReportFilter) -> ContradictionReport:
    with bulk():
        return _contradiction_report(session, filters)


def _contradiction_report(session: Session, filters: ReportFilter) -> ContradictionReport:
    source, tag, entity = _keep(session, filters)
    # Every link the report shows, and every claim on either side of one, in one batch each:
    # the statuses, filters and clusters are then worked out here without further queries.
    links = _link_rows(session, ("contradicts", *_AGREEING))
    claims = _linked_claims(session, ("contradicts", *_AGREEING))
    polarity_of = {claim_id: polarity(claim) for claim_id, claim in claims.items()}
    filtered = source is not None or tag is not None or entity is not None

    def shown(link: Any) -> bool:
        return not filtered or _sides_match(
            claims[link.claim_a_id], claims[link.claim_b_id], source, tag, entity
        )

    kept = []
    agreeing = []
    for link in links:
        if not shown(link):
            continue
        a, b = polarity_of[link.claim_a_id], polarity_of[link.claim_b_id]
        if link.relation != "contradicts":
            agreeing.append((link, agreement_status(a, b)))
            continue
        status = pair_status(a, b)
        if filters.status and status not in filters.status:
            continue
        kept.append((link, status))
    clusters = _clusters([(link.id, link.claim_a_id, link.claim_b_id, s) for link, s in kept])
    cluster_of = {link_id: c.id for c in clusters for link_id in c.link_ids}
    kept.sort(key=lambda item: (cluster_of[item[0].id], _RANK[item[1]], item[0].id))
    pairs = [_pair(link, claims, status, cluster_of[link.id]) for link, status in kept]
    agreements = [_pair(link, claims, status) for link, status in agreeing]
    conflicts = [p for p in agreements if p.status == "inconsistent"]
    sources_of: dict[int, set[str]] = {}
    between: Counter[tuple[str, str]] = Counter()
    for link, _status in kept:
        sides = []
        for claim_id in (link.claim_a_id, link.claim_b_id):
            found = sources_of.get(claim_id)
            if found is None:
                found = sources_of[claim_id] = _sources(claims[claim_id])
            sides.append(found)
        sources_a, sources_b = sides
        touched = {(min(x, y), max(x, y)) for x in sources_a for y in sources_b if x != y}
        # Only when both claims come from one article does it contradict itself.
        between.update(touched or {(x, x) for x in sources_a & sources_b})
    statuses: Counter[str] = Counter(status for _link, status in kept)
    summary = ReportSummary(
        pairs=len(pairs),
        clusters=len(clusters),
        claims=len({c for link, _status in kept for c in (link.claim_a_id, link.claim_b_id)}),
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
    # Only the columns the scorecard counts: each claim's current verdict label...
    label_of: dict[int, str] = {
        claim_id: label
        for claim_id, label in session.execute(
            select(Verdict.claim_id, RatingLabel.label)
            .join(RatingLabel, RatingLabel.id == Verdict.label_id)
            .where(Verdict.id.in_(select(func.max(Verdict.id)).group_by(Verdict.claim_id)))
        )
    }
    relation_of = {"contradicts": "contradicted_by", "supports": "supported_by"}
    links = _link_rows(session, relation_of)
    # ...and the appearances (source id and key, in appearance order) of every linked claim.
    linked = union(
        select(Link.claim_a_id).where(Link.relation.in_(list(relation_of))),
        select(Link.claim_b_id).where(Link.relation.in_(list(relation_of))),
    ).subquery()
    appearances: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for claim_id, source_id, key in session.execute(
        select(Appearance.claim_id, Appearance.source_id, Source.key)
        .join(Source, Source.id == Appearance.source_id)
        .where(Appearance.claim_id.in_(select(linked.c[0])))
        .order_by(Appearance.id)
    ):
        appearances[claim_id].append((source_id, key))
    keys_of = {claim_id: {key for _id, key in found} for claim_id, found in appearances.items()}
    partners: dict[int, dict[str, Counter[str]]] = defaultdict(
        lambda: {"contradicted_by": Counter(), "supported_by": Counter()}
    )
    for _link_id, a_id, b_id, relation, _note in links:
        field = relation_of[relation]
        for side, other in ((a_id, b_id), (b_id, a_id)):
            for source_id, key in appearances[side]:
                for partner in keys_of.get(other, set()) - {key}:
                    partners[source_id][field][partner] += 1
    scores = []
    for source in session.scalars(select(Source).order_by(Source.id)):
        mine = sorted(claims_of.get(source.id, ()))
        labels = Counter(label_of[c] for c in mine if c in label_of)
        found = partners[source.id]
        scores.append(
            SourceScore(
                id=source.id,
                key=source.key,
                title=source.title,
                published=source.published,
                claims=len(mine),
                verdicts=dict(sorted(labels.items(), key=lambda item: (-item[1], item[0]))),
                unreviewed=sum(1 for c in mine if c not in label_of),
                contradicted_by=dict(found["contradicted_by"].most_common()),
                supported_by=dict(found["supported_by"].most_common()),
            )
        )
    return scores
