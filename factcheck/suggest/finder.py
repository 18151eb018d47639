"""From claims to ranked suggestions: features, candidate pairs, signals, scores, reasons.

Assessing a pair (its cues, and the cues of both claims the first time) is the dear part, so
not every candidate pair is assessed: each gets a ceiling, the most it could score whatever its
cues (scoring.ceiling, from its similarities, computed for all pairs at once), and pairs are
assessed best ceiling first until none left can make the cut: under the floor or --min-score,
or, once `limit` suggestions are found, under the worst of them. The result is the same as
assessing every pair; the work follows the suggestions asked for more than the claims held.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from factcheck.suggest import candidates, scoring
from factcheck.suggest.features import ClaimInput, EntityIndex, Features, features
from factcheck.suggest.scoring import SIGNALS, Reason

# A focused search (the pairs of a few claims) looks further down each claim's neighbours.
FOCUS_NEIGHBOURS = 50
# Pairs less similar than this by their words, and sharing no entity, are not assessed.
_UNRELATED = 0.12
# Similarities are single precision: a score may exceed its ceiling by a rounding error.
_SLACK = 1e-6


@dataclass(frozen=True)
class Suggestion:
    claim_a: int
    claim_b: int
    relation: str
    score: float
    reasons: list[Reason]

    @property
    def id(self) -> str:
        return pair_id(self.claim_a, self.claim_b)


def pair_id(a: int, b: int) -> str:
    """A suggestion's id: its two claim ids, smaller first (the same pair, the same id)."""
    return f"{min(a, b)}-{max(a, b)}"


def find(
    claims: Sequence[ClaimInput],
    aliases: Iterable[tuple[int, str]] = (),
    entity_names: Mapping[int, str] | None = None,
    *,
    focus: Callable[[Features], bool] | None = None,
    skip: Collection[tuple[int, int]] = (),
    relation: str | None = None,
    min_score: float = 0.0,
    limit: int | None = None,
    enabled: Collection[str] = SIGNALS,
) -> list[Suggestion]:
    """The best suggestions among `claims`, best first.

    `focus` keeps only pairs with at least one claim it accepts; `skip` holds pairs (smaller id
    first) never to suggest (already linked or decided).
    """
    if len(claims) < 2:
        return []
    import numpy as np

    found, vectors = _prepare(claims, aliases, enabled)
    rows = None
    keep = candidates.NEIGHBOURS
    if focus is not None:
        rows = [row for row, f in enumerate(found) if focus(f)]
        keep = FOCUS_NEIGHBOURS
    first, second = candidates.neighbours(vectors, rows, keep=keep)
    # Each pair as the suggestion names it: the smaller claim id first.
    ids = np.array([f.id for f in found])
    swap = ids[first] > ids[second]
    first, second = np.where(swap, second, first), np.where(swap, first, second)
    measured = candidates.similarities(vectors, first, second)
    cosine, cover = measured.cosine, measured.cover
    words = (cosine.astype(np.float64) + cover.astype(np.float64)) / 2
    strength = scoring.related(words, measured.rarest, measured.second_rarest)
    ceiling = scoring.ceiling(strength, cosine, relation) + _SLACK
    # The pairs worth assessing, most promising first: each is assessed only while it could
    # still score above the floor, and, once `limit` are found, above the worst of them.
    worth = (np.maximum(cosine, cover) >= _UNRELATED) | (measured.entities > 0)
    order = np.flatnonzero(worth)
    order = order[np.argsort(-ceiling[order], kind="stable")]
    bar = max(min_score, scoring.FLOOR)
    rarity = _rarity(vectors)
    # The best `limit` so far (all without a limit), the worst on top: ranked by score, then
    # by claim ids (smaller first), so that ties rank the same from one run to the next.
    kept: list[tuple[float, int, int, int, int, str, scoring.Evidence]] = []
    for index in order.tolist():
        if ceiling[index] < bar or (limit and len(kept) == limit and ceiling[index] < kept[0][0]):
            break
        i, j = int(first[index]), int(second[index])
        a, b = found[i], found[j]
        if (a.id, b.id) in skip:
            continue
        evidence = scoring.assess(a, b, float(cosine[index]), float(cover[index]), enabled, rarity)
        chosen, score = scoring.judge(evidence)
        if chosen is None or score < min_score or (relation and chosen != relation):
            continue
        entry = (score, -a.id, -b.id, i, j, chosen, evidence)
        if not limit:
            kept.append(entry)
        elif len(kept) < limit:
            heapq.heappush(kept, entry)
        else:
            heapq.heappushpop(kept, entry)
    kept.sort(reverse=True)
    names = entity_names or {}
    return [
        Suggestion(
            claim_a=found[i].id,
            claim_b=found[j].id,
            relation=chosen,
            score=round(score, 3),
            reasons=scoring.explain(
                evidence, found[i], found[j], candidates.shared_words(vectors, i, j), names
            ),
        )
        for score, _, _, i, j, chosen, evidence in kept
    ]


def pair(
    claims: Sequence[ClaimInput],
    first: int,
    second: int,
    aliases: Iterable[tuple[int, str]] = (),
    entity_names: Mapping[int, str] | None = None,
    enabled: Collection[str] = SIGNALS,
) -> Suggestion:
    """The suggestion for one pair of claims (by id, both among `claims`), whatever it scores:
    what `suggest accept` and `reject` record, even for a pair no longer among the best."""
    found, vectors = _prepare(claims, aliases, enabled)
    rows = {f.id: row for row, f in enumerate(found)}
    i, j = sorted((rows[first], rows[second]), key=lambda row: found[row].id)
    import numpy as np

    measured = candidates.similarities(vectors, np.array([i]), np.array([j]))
    evidence = scoring.assess(
        found[i],
        found[j],
        float(measured.cosine[0]),
        float(measured.cover[0]),
        enabled,
        _rarity(vectors),
    )
    chosen, score = scoring.judge(evidence, floor=0.0)
    assert chosen is not None
    return Suggestion(
        claim_a=found[i].id,
        claim_b=found[j].id,
        relation=chosen,
        score=round(score, 3),
        reasons=scoring.explain(
            evidence, found[i], found[j], candidates.shared_words(vectors, i, j), entity_names or {}
        ),
    )


def _prepare(
    claims: Sequence[ClaimInput], aliases: Iterable[tuple[int, str]], enabled: Collection[str]
) -> tuple[list[Features], candidates.Vectors]:
    """Every claim's features, and their vectors (topic words and entities)."""
    index = EntityIndex(aliases) if "entities" in enabled else None
    found = [features(claim, index) for claim in claims]
    if "entities" not in enabled:
        found = [replace(f, entities=frozenset()) for f in found]
    documents = [[*f.topic, *map(candidates.entity_token, sorted(f.entities))] for f in found]
    return found, candidates.vectorise(documents)


def _rarity(vectors: candidates.Vectors) -> Callable[[int], float]:
    """How rare an entity is among the claims (computed once per entity)."""
    rarities: dict[int, float] = {}

    def rarity(entity: int) -> float:
        if entity not in rarities:
            rarities[entity] = candidates.rarity(vectors, candidates.entity_token(entity))
        return rarities[entity]

    return rarity
