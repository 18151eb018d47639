"""The contradiction report and the per-source scorecard.

Claims connected by `contradicts` links form clusters. Each pair gets a status from the
polarities of its two sides' current verdicts (see `pair_status`); unresolved and inconsistent
pairs come first, because the report is the researcher's to-do list. `supports` and `duplicates`
links whose two sides got opposite verdicts are flagged separately.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import cache, partial
from operator import itemgetter
from typing import Any, Literal, NamedTuple

from pydantic import Field

from factcheck.db.store import Store, ids_list
from factcheck.schemas import ClaimOut, EvidenceOut, Output, ReportFilter
from factcheck.services.claim_rows import CHUNK, bulk, current_verdict_ids, load_claims, trusted
from factcheck.services.entities import find_entity
from factcheck.services.refs import find_source, find_tag
from factcheck.services.versions import vanished_quotes
from factcheck.vocab import PAIR_STATUSES, PairStatus, Relation

_RANK = {status: rank for rank, status in enumerate(PAIR_STATUSES)}
_AGREEING: tuple[Relation, ...] = ("supports", "duplicates")


# The statuses are worked out once per pair of polarities (a handful), not once per link.
@cache
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


@cache
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


class ReportSource(Output):
    """A source the report cites, by an appearance of a claim or as a verdict's evidence,
    numbered (S1, S2...): the sources logged in the database by key, then the pages known only
    by their URL (evidence not logged as a source, with no id, key or title), by URL."""

    number: int
    id: int | None
    key: str | None
    title: str | None
    url: str | None
    outlet: str | None
    author: str | None
    published: str | None


class VanishedQuote(Output):
    """A quote of a claim in the report that is no longer in its source's current text (after
    `source refresh` or `source edit --file`); `version` is the last version that had it."""

    appearance_id: int
    claim_id: int
    source_key: str
    version: int


class ContradictionReport(Output):
    summary: ReportSummary
    # Every source the pairs below cite, so that a reader can check each claim and verdict.
    sources: list[ReportSource] = Field(default_factory=list)
    clusters: list[Cluster]
    # Quotes of the claims shown that are no longer in their source's current text. (The pair
    # lists stay the last fields: reports/json_document.py relies on it.)
    vanished_quotes: list[VanishedQuote] = Field(default_factory=list)
    pairs: list[ReportPair]
    # supports/duplicates links whose sides got opposite verdicts (status inconsistent)...
    agreement_conflicts: list[ReportPair] = Field(default_factory=list)
    # ...and all of them, for the corroboration edges of the graph.
    agreements: list[ReportPair] = Field(default_factory=list)

    def vanished(self) -> dict[int, VanishedQuote]:
        """The vanished quotes by appearance id."""
        return {v.appearance_id: v for v in self.vanished_quotes}


class _Link(NamedTuple):
    id: int
    claim_a_id: int
    claim_b_id: int
    relation: str
    note: str | None


def _relations(relations: Iterable[str]) -> tuple[str, dict[str, Any]]:
    """An IN list of relations, and its parameters."""
    params = {f"relation{i}": relation for i, relation in enumerate(relations)}
    return ", ".join(f":{name}" for name in params), params


def _link_rows(store: Store, relations: Iterable[str]) -> list[_Link]:
    """The links of these relations, by id."""
    marks, params = _relations(relations)
    rows = store.rows(
        "SELECT id, claim_a_id, claim_b_id, relation, note FROM links "
        f"WHERE relation IN ({marks}) ORDER BY id",
        params,
    )
    # Made by tuple.__new__ itself: a named tuple's own __new__ is Python, a call per link.
    return list(map(partial(tuple.__new__, _Link), rows))


def _linked_ids(relations: Iterable[str]) -> tuple[str, dict[str, Any]]:
    """SQL for the claims on either side of a link of these relations (repeats included: the
    ids only restrict `IN` lists, which ignore them; a UNION would sort them out every time)."""
    marks, params = _relations(relations)
    return (
        f"SELECT claim_a_id FROM links WHERE relation IN ({marks}) "
        f"UNION ALL SELECT claim_b_id FROM links WHERE relation IN ({marks})"
    ), params


def _linked_claims(store: Store, relations: Iterable[str]) -> dict[int, ClaimOut]:
    """Every claim on either side of a link of these relations, loaded in one batch."""
    return load_claims(store, *_linked_ids(relations))


# The report is made of values already checked (link rows, loaded claims, statuses from the
# rules above, counts): built without validating them again, tens of thousands at a time.
_report_pair = trusted(ReportPair)
_cluster = trusted(Cluster)
_source_pair = trusted(SourcePair)
_summary = trusted(ReportSummary)
_report = trusted(ContradictionReport)
_report_source = trusted(ReportSource)
# A kept contradiction: its link and status.
_Kept = tuple[_Link, PairStatus]


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


def _keep(store: Store, filters: ReportFilter) -> tuple[int | None, str | None, str | None]:
    """The filter values resolved (and so checked) against the database: the source's id, the
    tag, the entity's name."""
    source = find_source(store, filters.source).id if filters.source else None
    entity = find_entity(store, filters.entity).name if filters.entity else None
    if filters.tag:
        find_tag(store, filters.tag)
    return source, filters.tag, entity


def _sides_match(
    link: _Link,
    claims: dict[int, ClaimOut],
    sources_of: dict[int, set[int]],
    source: int | None,
    tag: str | None,
    entity: str | None,
) -> bool:
    sides = (link.claim_a_id, link.claim_b_id)
    return (
        (source is None or any(source in sources_of[c] for c in sides))
        and (tag is None or any(tag in claims[c].tags for c in sides))
        and (entity is None or any(entity in claims[c].entities for c in sides))
    )


def _clusters(kept: list[_Kept]) -> list[tuple[list[int], list[_Kept]]]:
    """The kept contradictions (most urgent status first, then by link id) in clusters
    (connected components): each cluster's claim ids and its pairs, in that order; the clusters
    in the order of their most urgent status, then their lowest claim id."""
    # Union-find: a claim missing from `parent` is its own root.
    parent: dict[int, int] = {}
    up = parent.get

    def root(x: int) -> int:
        while (above := up(x, x)) != x:
            # Path halving: the claim now points two steps further up, and the walk goes on
            # from there.
            parent[x] = x = up(above, above)
        return x

    for (_id, a, b, _relation, _note), _status in kept:
        if (root_a := root(a)) != (root_b := root(b)):
            parent[root_a] = root_b
    # Grouped in the pairs' order: each cluster's pairs stay in it, its first the most urgent.
    groups: dict[int, list[_Kept]] = {}
    for item in kept:
        groups.setdefault(root(item[0].claim_a_id), []).append(item)
    found = []
    for members in groups.values():
        claim_ids = sorted(
            {c for (_id, a, b, _relation, _note), _status in members for c in (a, b)}
        )
        found.append((_RANK[members[0][1]], claim_ids[0], claim_ids, members))
    # (No two clusters share a claim, so no two have the same lowest one.)
    found.sort(key=itemgetter(0, 1))
    return [(claim_ids, members) for _rank, _lowest, claim_ids, members in found]


def _source_pairs(
    kept: list[_Kept], sources_of: dict[int, set[int]], key_of: dict[int, str]
) -> list[SourcePair]:
    """How many kept contradictions each pair of sources has between them, most first."""
    # Counted by source id (cheaper to hash and compare than keys), then named by key.
    touched: list[tuple[int, int]] = []
    for (_id, a, b, _relation, _note), _status in kept:
        sources_a, sources_b = sources_of[a], sources_of[b]
        between = {(x, y) if x < y else (y, x) for x in sources_a for y in sources_b if x != y}
        # Only when both claims come from one article does it contradict itself.
        touched += between or {(x, x) for x in sources_a & sources_b}
    named: list[tuple[tuple[str, str], int]] = []
    for (x, y), n in Counter(touched).items():
        key_x, key_y = key_of[x], key_of[y]
        named.append(((key_x, key_y) if key_x < key_y else (key_y, key_x), n))
    named.sort(key=lambda item: (-item[1], item[0]))
    return [_source_pair({"source_a": x, "source_b": y, "pairs": n}) for (x, y), n in named]


# What a report cites: a source by its id, or a piece of evidence known only by its URL.
Citation = int | str
_SOURCE_FIELDS = ("id", "key", "title", "url", "outlet", "author", "published")


def cites(item: EvidenceOut) -> Citation:
    """What a piece of evidence cites (an appearance cites its `source_id`)."""
    return item.source_id if item.source_id is not None else item.url or ""


def source_numbers(report: ContradictionReport) -> dict[Citation, int]:
    """The number of each source the report cites, by what cites it."""
    return {
        source.id if source.id is not None else source.url or "": source.number
        for source in report.sources
    }


def _cited_sources(
    store: Store, claims: dict[int, ClaimOut], sources_of: dict[int, set[int]], shown: set[int]
) -> list[ReportSource]:
    """The sources that the `shown` claims cite by their appearances (`sources_of`) and their
    current verdicts' evidence, numbered: those logged in the database by key, then the pages
    known only by their URL, by URL (an order a reader can look a source up in)."""
    ids: set[int] = set().union(*(sources_of[claim_id] for claim_id in shown))
    urls: set[str] = set()
    # In the order the claims were loaded (and so laid out in memory): a third of the time of
    # reading them in the order of the pairs.
    for claim_id, claim in claims.items():
        if claim_id not in shown or claim.verdict is None:
            continue
        for item in claim.verdict.evidence:
            if item.source_id is not None:
                ids.add(item.source_id)
            elif item.url:
                urls.add(item.url)
    rows: list[Sequence[Any]] = []
    listed = sorted(ids)
    for start in range(0, len(listed), CHUNK):
        marks, params = ids_list("id", listed[start : start + CHUNK])
        rows += store.rows(
            "SELECT id, key, title, url, outlet, author, published FROM sources "
            f"WHERE id IN ({marks})",
            params,
        )
    rows.sort(key=lambda row: row[1])
    rows += [(None, None, None, url, None, None, None) for url in sorted(urls)]
    return [
        _report_source({"number": number, **dict(zip(_SOURCE_FIELDS, row, strict=True))})
        for number, row in enumerate(rows, start=1)
    ]


def contradiction_report(store: Store, filters: ReportFilter) -> ContradictionReport:
    with bulk():
        return _contradiction_report(store, filters)


def _contradiction_report(store: Store, filters: ReportFilter) -> ContradictionReport:
    source, tag, entity = _keep(store, filters)
    # Every link the report shows, and every claim on either side of one, in one batch each:
    # the statuses, filters and clusters are then worked out here without further queries.
    links = _link_rows(store, ("contradicts", *_AGREEING))
    claims = _linked_claims(store, ("contradicts", *_AGREEING))
    # What the rules below read of each claim, read once, in the order the claims were loaded
    # (and so laid out in memory): the polarity of its verdict, and the ids of its sources.
    polarity_of = {
        claim_id: None if claim.verdict is None else claim.verdict.polarity
        for claim_id, claim in claims.items()
    }
    sources_of = {
        claim_id: {a.source_id for a in claim.appearances} for claim_id, claim in claims.items()
    }
    if source is not None or tag is not None or entity is not None:
        links = [
            link for link in links if _sides_match(link, claims, sources_of, source, tag, entity)
        ]
    # The kept contradictions by status (each status's by link id), for the most urgent first.
    by_status: dict[str, list[_Kept]] = {status: [] for status in PAIR_STATUSES}
    agreeing = []
    for link in links:
        a, b = polarity_of[link.claim_a_id], polarity_of[link.claim_b_id]
        if link.relation != "contradicts":
            agreeing.append((link, agreement_status(a, b)))
            continue
        status = pair_status(a, b)
        if filters.status and status not in filters.status:
            continue
        by_status[status].append((link, status))
    kept = [item for items in by_status.values() for item in items]
    found = _clusters(kept)
    clusters = [
        _cluster(
            {
                "id": number,
                "status": members[0][1],
                "claim_ids": claim_ids,
                "link_ids": [link.id for link, _status in members],
            }
        )
        for number, (claim_ids, members) in enumerate(found, start=1)
    ]
    pairs = [
        _pair(link, claims, status, number)
        for number, (_claim_ids, members) in enumerate(found, start=1)
        for link, status in members
    ]
    agreements = [_pair(link, claims, status) for link, status in agreeing]
    conflicts = [p for p in agreements if p.status == "inconsistent"]
    contradicting = {c for link, _status in kept for c in (link.claim_a_id, link.claim_b_id)}
    conflicting = {
        c
        for link, status in agreeing
        if status == "inconsistent"
        for c in (link.claim_a_id, link.claim_b_id)
    }
    sources = _cited_sources(store, claims, sources_of, contradicting | conflicting)
    # The kept contradictions' claims are among those cited: so are their sources.
    key_of = {s.id: s.key for s in sources if s.id is not None and s.key is not None}
    summary = _summary(
        {
            "pairs": len(pairs),
            "clusters": len(clusters),
            "claims": len(contradicting),
            "by_status": {status: len(items) for status, items in by_status.items()},
            "source_pairs": _source_pairs(kept, sources_of, key_of),
            "agreement_conflicts": len(conflicts),
        }
    )
    # Of the claims the pairs and agreements show, by their ids (the links'), not by their
    # appearances: only the few quotes found vanished need theirs.
    shown = contradicting | {
        c for link, _status in agreeing for c in (link.claim_a_id, link.claim_b_id)
    }
    vanished = [
        VanishedQuote(
            appearance_id=appearance_id,
            claim_id=claim_id,
            source_key=next(
                a.source_key for a in claims[claim_id].appearances if a.id == appearance_id
            ),
            version=version,
        )
        for appearance_id, (claim_id, version) in sorted(vanished_quotes(store, shown).items())
    ]
    return _report(
        {
            "summary": summary,
            "sources": sources,
            "clusters": clusters,
            "vanished_quotes": vanished,
            "pairs": pairs,
            "agreement_conflicts": conflicts,
            "agreements": agreements,
        }
    )


# --- per-source scorecard -------------------------------------------------------------------


class SourceScore(Output):
    id: int
    key: str
    title: str
    url: str | None
    outlet: str | None
    author: str | None
    published: str | None
    claims: int
    verdicts: dict[str, int]
    unreviewed: int
    contradicted_by: dict[str, int]
    supported_by: dict[str, int]


def source_scorecard(store: Store) -> list[SourceScore]:
    """For each source: its claims, their current verdicts, and the sources it disagrees with."""
    claims_of: dict[int, set[int]] = defaultdict(set)
    for source_id, claim_id in store.rows("SELECT DISTINCT source_id, claim_id FROM appearances"):
        claims_of[source_id].add(claim_id)
    # Only the columns the scorecard counts: each claim's current verdict label...
    label_of: dict[int, str] = {
        claim_id: label
        for claim_id, label in store.rows(
            "SELECT v.claim_id, l.label FROM verdicts v JOIN rating_labels l ON l.id = v.label_id "
            f"WHERE v.id IN ({current_verdict_ids('SELECT id FROM claims')})"
        )
    }
    relation_of = {"contradicts": "contradicted_by", "supports": "supported_by"}
    links = _link_rows(store, relation_of)
    # ...and the appearances (source id and key, in appearance order) of every linked claim.
    linked, params = _linked_ids(relation_of)
    appearances: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for claim_id, source_id, key in store.rows(
        "SELECT a.claim_id, a.source_id, s.key FROM appearances a "
        f"JOIN sources s ON s.id = a.source_id WHERE a.claim_id IN ({linked}) ORDER BY a.id",
        params,
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
    for source_id, key, title, url, outlet, author, published in store.rows(
        "SELECT id, key, title, url, outlet, author, published FROM sources ORDER BY id"
    ):
        mine = sorted(claims_of.get(source_id, ()))
        labels = Counter(label_of[c] for c in mine if c in label_of)
        found = partners[source_id]
        scores.append(
            SourceScore(
                id=source_id,
                key=key,
                title=title,
                url=url,
                outlet=outlet,
                author=author,
                published=published,
                claims=len(mine),
                verdicts=dict(sorted(labels.items(), key=lambda item: (-item[1], item[0]))),
                unreviewed=sum(1 for c in mine if c not in label_of),
                contradicted_by=dict(found["contradicted_by"].most_common()),
                supported_by=dict(found["supported_by"].most_common()),
            )
        )
    return scores
