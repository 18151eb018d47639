"""Removing claims, appearances and sources, with everything that depends on them.

Each removal comes in two steps that share one count: `*_removal` says what would go (the CLI
shows it before asking), `delete_*`/`uncite_*` removes it and returns the same count. The
database's foreign keys cascade to the dependent rows and its triggers record every deleted row,
cascaded ones included, in `history` (db/write_rules.py), so nothing goes unrecorded.
"""

from __future__ import annotations

from collections import Counter

from factcheck.db.store import Store, ids_list
from factcheck.errors import Conflict, NotFound
from factcheck.schemas import Removal
from factcheck.services.refs import find_claim, find_source

# What goes with a set of claims (`{ids}`: an IN list), table by table.
_CLAIM_ROWS = {
    "claims": "SELECT count(*) FROM claims WHERE id IN ({ids})",
    "appearances": "SELECT count(*) FROM appearances WHERE claim_id IN ({ids})",
    "verdicts": "SELECT count(*) FROM verdicts WHERE claim_id IN ({ids})",
    "verdict_evidence": (
        "SELECT count(*) FROM verdict_evidence e JOIN verdicts v ON v.id = e.verdict_id "
        "WHERE v.claim_id IN ({ids})"
    ),
    "verdict_retractions": (
        "SELECT count(*) FROM verdict_retractions r JOIN verdicts v ON v.id = r.verdict_id "
        "WHERE v.claim_id IN ({ids})"
    ),
    "links": "SELECT count(*) FROM links WHERE claim_a_id IN ({ids}) OR claim_b_id IN ({ids})",
    "suggestion_decisions": (
        "SELECT count(*) FROM suggestion_decisions "
        "WHERE claim_a_id IN ({ids}) OR claim_b_id IN ({ids})"
    ),
    "extraction_decisions": "SELECT count(*) FROM extraction_decisions WHERE claim_id IN ({ids})",
    "claim_entities": "SELECT count(*) FROM claim_entities WHERE claim_id IN ({ids})",
    "claim_tags": "SELECT count(*) FROM claim_tags WHERE claim_id IN ({ids})",
}


def _claims_rows(store: Store, claim_ids: list[int]) -> Counter[str]:
    marks, params = ids_list("c", claim_ids)
    counts: Counter[str] = Counter()
    for table, sql in _CLAIM_ROWS.items():
        counts[table] = int(store.value(sql.format(ids=marks), params) or 0)
    return counts


def _removal(what: str, counts: Counter[str]) -> Removal:
    return Removal(what=what, rows={table: n for table, n in counts.items() if n})


def claim_removal(store: Store, claim_id: int) -> Removal:
    """What deleting the claim removes: it, its appearances, verdicts and their evidence, links,
    suggestion decisions, entity mentions and tags."""
    find_claim(store, claim_id)
    return _removal(f"claim {claim_id}", _claims_rows(store, [claim_id]))


def delete_claim(store: Store, claim_id: int) -> Removal:
    removal = claim_removal(store, claim_id)
    store.run("DELETE FROM claims WHERE id = :id", {"id": claim_id})
    return removal


def _appearance(store: Store, claim_id: int, appearance_id: int) -> None:
    find_claim(store, claim_id)
    owner = store.value("SELECT claim_id FROM appearances WHERE id = :id", {"id": appearance_id})
    if owner != claim_id:
        raise NotFound(
            f"claim {claim_id} has no appearance {appearance_id}",
            hint=f"`factcheck claim show {claim_id}` lists its appearances (#id)",
        )


def uncite_removal(store: Store, claim_id: int, appearance_id: int) -> Removal:
    """What removing one appearance of a claim removes: that appearance only (the claim, even
    left with none, stays with its verdicts)."""
    _appearance(store, claim_id, appearance_id)
    return _removal(f"appearance {appearance_id} of claim {claim_id}", Counter(appearances=1))


def uncite_claim(store: Store, claim_id: int, appearance_id: int) -> Removal:
    removal = uncite_removal(store, claim_id, appearance_id)
    store.run("DELETE FROM appearances WHERE id = :id", {"id": appearance_id})
    return removal


def _source_plan(store: Store, ref: str, cascade: bool) -> tuple[int, list[int], Removal]:
    """The source's id, the claims that appear in no other source (they go with it), and what
    the removal takes; refused while claims depend on the source, unless `cascade`."""
    source = find_source(store, ref)
    params = {"source": source.id}
    cited = store.rows(
        "SELECT claim_id, count(*) FROM appearances WHERE source_id = :source GROUP BY claim_id",
        params,
    )
    if cited and not cascade:
        appearances = sum(n for _, n in cited)
        raise Conflict(
            f"source {source.key!r} has {appearances} appearance(s) of {len(cited)} claim(s)",
            hint="`--cascade` removes them too, and the claims that appear nowhere else",
        )
    only_here = [
        int(claim_id)
        for (claim_id,) in store.rows(
            "SELECT a.claim_id FROM appearances a WHERE a.source_id = :source "
            "GROUP BY a.claim_id HAVING NOT EXISTS (SELECT 1 FROM appearances o "
            "WHERE o.claim_id = a.claim_id AND o.source_id <> :source) ORDER BY a.claim_id",
            params,
        )
    ]
    marks, claims = ids_list("c", only_here)
    going = f" AND v.claim_id NOT IN ({marks})" if only_here else ""
    # Evidence is part of its verdict, which stays as it was (append-only): a source that a
    # remaining claim's verdict rests on cannot go.
    verdicts = [
        f"{verdict} (claim {claim})"
        for verdict, claim in store.rows(
            "SELECT DISTINCT v.id, v.claim_id FROM verdict_evidence e "
            "JOIN verdicts v ON v.id = e.verdict_id "
            f"WHERE e.source_id = :source{going} ORDER BY v.id",
            {**params, **claims},
        )
    ]
    if verdicts:
        raise Conflict(
            f"source {source.key!r} is evidence of verdict(s) {', '.join(verdicts)}",
            hint="verdicts never change; a verdict set anew without it supersedes one",
        )
    counts = _claims_rows(store, only_here)
    staying = [n for claim_id, n in cited if claim_id not in set(only_here)]
    counts["appearances"] += sum(staying)
    counts["sources"] = 1
    # Its texts go with it (the foreign key cascades; the history keeps each).
    counts["source_versions"] = int(
        store.value("SELECT count(*) FROM source_versions WHERE source_id = :source", params) or 0
    )
    # Its extraction decisions go with it too, besides those of its claims (counted once).
    counts["extraction_decisions"] = int(
        store.value(
            "SELECT count(*) FROM extraction_decisions "
            f"WHERE source_id = :source OR claim_id IN ({marks})",
            {**params, **claims},
        )
        or 0
    )
    return source.id, only_here, _removal(f"source {source.key!r}", counts)


def source_removal(store: Store, ref: str, cascade: bool = False) -> Removal:
    """What deleting the source removes: it, and with `cascade` its appearances and the claims
    that appear in no other source (with all that goes with each claim)."""
    return _source_plan(store, ref, cascade)[2]


def delete_source(store: Store, ref: str, cascade: bool = False) -> Removal:
    source_id, only_here, removal = _source_plan(store, ref, cascade)
    marks, claims = ids_list("c", only_here)
    store.run(f"DELETE FROM claims WHERE id IN ({marks})", claims)
    store.run("DELETE FROM appearances WHERE source_id = :source", {"source": source_id})
    store.run("DELETE FROM sources WHERE id = :source", {"source": source_id})
    return removal
