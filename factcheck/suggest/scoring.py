"""One pair of claims: what each signal finds, the relation that follows, its score, and the
reasons a person can check.

A pair is first related by topic (the similarity of its words, the entities both mention);
then cues turn a related pair into a likely contradiction (one negates what the other says,
uses an antonym, calls it false; their quantities or dates cannot both be right; their
verdicts disagree) or a likely agreement (quantities or dates that match, the same verdict);
nearly the same words with nothing in conflict make a duplicate.

Each cue counts by what it bears on: a negation by how surely it negates something the other
claim says (cues.reach), a denial by how much of the other claim the denying text repeats
(cues.covers). Negations and antonyms turn a statement around and back again ("did not win"
agrees with "lost"); a denial is the denying text's whole stance, so the negations inside it
("Hoax: no alert was issued") are part of it, not a second turn.

Scores are in [0, 1]: the topic's strength times the cues' (each cue a chance of being right,
combined as independent chances). They rank suggestions; they are not probabilities.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from factcheck.suggest import cues, dates, quantities
from factcheck.suggest.features import Features, written

if TYPE_CHECKING:
    import numpy as np

    Numbers = np.ndarray[Any, Any]
Number = TypeVar("Number", float, "np.ndarray[Any, Any]")

# Every signal, by the name the reasons' `kind` and the evaluation's --without use.
SIGNALS = (
    "similarity",
    "entities",
    "statement",
    "negation",
    "antonyms",
    "denial",
    "quantities",
    "dates",
    "verdicts",
)
# What each cue is worth on its own (chance of being right when the topic matches).
_NEGATION = 0.75
_ANTONYM = 0.6
_DENIAL = 0.75
_QUANTITY_CONFLICT = 0.7
_QUANTITY_AGREE = 0.5
_DATE_CONFLICT = 0.3
_DATE_AGREE = 0.15
_VERDICT_CONFLICT = 0.35
_VERDICT_AGREE = 0.15
_ENTITY = 0.3
# How much the topic's strength weighs on a contradiction's score (below 1: a strong cue
# on a moderately similar pair still ranks high).
_TOPIC_WEIGHT = 0.75
# Similarity of the words from which a pair with nothing in conflict is a duplicate.
_DUPLICATE = 0.9
# Two claims that share this share of what either says about its names say the same thing;
# sharing less, they more likely say different things about the same people or places.
_SAYS_ALIKE = 0.5
# Similarity of the words from which a pair's wording is compared (a possible duplicate).
_WORDING = 0.5
# Pairs scoring less are not suggested.
FLOOR = 0.2


@dataclass(frozen=True)
class Reason:
    kind: str
    text: str


@dataclass
class Evidence:
    """What the signals found in one pair."""

    cosine: float
    cover: float
    wording: float = 0.0
    # How much of what one claim says, its names aside, the other says too (None: not measured).
    statement: float | None = None
    entities: frozenset[int] = frozenset()
    # How rare each shared entity is among the claims (1: only these two mention it).
    entity_rarity: tuple[float, ...] = ()
    negated: tuple[str, ...] = ()
    negated_in: str = ""
    # How surely the negation turns around what the other claim says (cues.reach), net of the
    # other claim's own negations.
    negation_weight: float = 0.0
    antonyms: list[tuple[str, str]] = field(default_factory=list)
    denied: tuple[str, ...] = ()
    denied_in: str = ""
    # How surely the denial is about the other claim (cues.covers).
    denial_weight: float = 0.0
    quantities_agree: list[tuple[quantities.Quantity, quantities.Quantity]] = field(
        default_factory=list
    )
    quantities_conflict: list[tuple[quantities.Quantity, quantities.Quantity]] = field(
        default_factory=list
    )
    dates_shared: list[str] = field(default_factory=list)
    dates_conflict: list[tuple[str, str]] = field(default_factory=list)
    verdicts: str | None = None

    @property
    def flips(self) -> int:
        """How many times negations and antonyms turn one statement around against the other."""
        return int(bool(self.negated)) + len(self.antonyms)


def _combine(chances: list[float]) -> float:
    remaining = 1.0
    for chance in chances:
        remaining *= 1.0 - chance
    return 1.0 - remaining


def _wording(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.token_sort_ratio(a, b)) / 100.0


def statement(a: Features, b: Features) -> float:
    """How much of what one claim says about the people and places it names the other says too,
    in [0, 1]: the larger share of either claim's content words, names of either aside, that
    the other has. Two claims sharing only names share a topic, not a statement."""
    named = a.names | b.names
    return max(cues.share(set(a.topic) - named, b.stems), cues.share(set(b.topic) - named, a.stems))


def _negates(negated: Features, other: Features) -> float:
    """How surely `negated` says the opposite of `other` by its negations: its negations must
    reach something `other` says (cues.reach), and what it says be mostly what `other` says (a
    negation in a claim about something else turns nothing around that `other` asserts)."""
    reach = cues.reach(negated.negations, other.stems)
    if not reach:
        return 0.0
    return (reach + cues.share(negated.topic, other.stems)) / 2


def assess(
    a: Features,
    b: Features,
    cosine: float,
    cover: float,
    enabled: Collection[str] = SIGNALS,
    rarity: Callable[[int], float] = lambda entity: 1.0,
) -> Evidence:
    """What the enabled signals find in the pair (a, b); `cosine` and `cover` are the
    similarities of their words (candidates.similarities), `rarity` how rare an entity is."""
    evidence = Evidence(cosine=cosine, cover=cover)
    if "similarity" in enabled and cosine >= _WORDING:
        evidence.wording = _wording(a.folded, b.folded)
    if "statement" in enabled:
        evidence.statement = statement(a, b)
    if "entities" in enabled:
        evidence.entities = a.entities & b.entities
        evidence.entity_rarity = tuple(sorted((rarity(e) for e in evidence.entities), reverse=True))
    if "negation" in enabled:
        # When both negate what the other says, they deny alike: only the difference counts.
        net = _negates(a, b) - _negates(b, a)
        if net:
            negated, other = (a, b) if net > 0 else (b, a)
            evidence.negated = tuple(
                n.shown for n in negated.negations if cues.reach([n], other.stems)
            )
            evidence.negated_in = "first" if net > 0 else "second"
            evidence.negation_weight = abs(net)
    if "antonyms" in enabled:
        evidence.antonyms = cues.opposed(a.stems, b.stems)
    if "denial" in enabled and bool(a.denials) != bool(b.denials):
        denier, claim = (a, b) if a.denials else (b, a)
        weight = cues.covers(denier.stems, claim.topic)
        if weight:
            evidence.denied = denier.denials
            evidence.denied_in = "first" if denier is a else "second"
            evidence.denial_weight = weight
    if "quantities" in enabled and a.quantities and b.quantities:
        agree, conflict = quantities.compare(list(a.quantities), list(b.quantities))
        evidence.quantities_agree, evidence.quantities_conflict = agree, conflict
    if "dates" in enabled:
        evidence.dates_shared, evidence.dates_conflict = dates.compare(a.moments, b.moments)
    if "verdicts" in enabled and a.polarity and b.polarity:
        sides = {a.polarity, b.polarity}
        if sides == {"supported", "refuted"}:
            evidence.verdicts = "disagree"
        elif len(sides) == 1 and a.polarity in ("supported", "refuted"):
            evidence.verdicts = "agree"
    return evidence


def topic(evidence: Evidence) -> float:
    """How surely the two claims are about the same thing, in [0, 1]."""
    rarest = (*evidence.entity_rarity[:2], 0.0, 0.0)
    return related((evidence.cosine + evidence.cover) / 2, rarest[0], rarest[1])


def related(words: Number, first: Number, second: Number) -> Number:
    """The topic's strength from the similarity of the words and the rarity of the two rarest
    entities both claims mention (0 for none): floats, or numpy arrays of many pairs alike."""
    entities = 1.0 - (1.0 - _ENTITY * first) * (1.0 - _ENTITY * second)
    return 1.0 - (1.0 - words) * (1.0 - entities)


def ceiling(strength: Numbers, cosine: Numbers, relation: str | None = None) -> Numbers:
    """The highest score `judge` can give pairs of this topic's strength (`related`) and
    cosine as `relation` (any, by default), whatever their cues say (numpy arrays of many
    pairs): the pairs that cannot make the cut need not be assessed. A change to `judge` must
    keep under it, or finder drops pairs it should suggest (tests/suggest/test_ceiling.py)."""
    import numpy as np

    # Cues weigh a contradiction's topic by at most 1 and an agreement's not above the topic;
    # a duplicate (1 at most) needs its wording compared.
    duplicate = np.where(cosine >= _WORDING, 1.0, 0.0)
    if relation == "duplicates":
        return duplicate
    if relation == "supports":
        return strength
    if relation == "contradicts":
        return strength**_TOPIC_WEIGHT
    return np.maximum(duplicate, np.maximum(strength, strength**_TOPIC_WEIGHT))


def judge(evidence: Evidence, floor: float = FLOOR) -> tuple[str | None, float]:
    """The relation the evidence points to and its score (None when it scores under `floor`:
    nothing is suggested)."""
    related = topic(evidence)
    conflicts: list[float] = []
    agreements: list[float] = []
    flips = evidence.flips
    if evidence.denied:
        conflicts.append(_DENIAL * evidence.denial_weight)
        conflicts += [_ANTONYM] * len(evidence.antonyms)
    elif flips % 2:
        if evidence.negated:
            conflicts.append(_NEGATION * evidence.negation_weight)
        conflicts += [_ANTONYM] * len(evidence.antonyms)
    elif flips:
        agreements.append(_ANTONYM / 2)  # "did not win" against "lost"
    if evidence.quantities_conflict:
        conflicts.append(_QUANTITY_CONFLICT)
    if evidence.quantities_agree:
        agreements.append(_QUANTITY_AGREE)
    if evidence.dates_conflict:
        conflicts.append(_DATE_CONFLICT)
    if evidence.dates_shared:
        agreements.append(_DATE_AGREE)
    if evidence.verdicts == "disagree":
        conflicts.append(_VERDICT_CONFLICT)
    elif evidence.verdicts == "agree":
        agreements.append(_VERDICT_AGREE)
    conflict = _combine(conflicts)
    if conflict > 0:
        score = related**_TOPIC_WEIGHT * conflict
        return ("contradicts", score) if score >= floor else (None, score)
    if evidence.wording >= _DUPLICATE or evidence.cosine >= _DUPLICATE:
        return "duplicates", max(evidence.wording, evidence.cosine)
    score = related * (0.5 + 0.5 * _combine(agreements))
    # Sharing a topic is not saying the same thing: the words said of it, or its figures, must
    # be shared too.
    if evidence.statement is not None and not evidence.quantities_agree:
        score *= (1 + min(1.0, evidence.statement / _SAYS_ALIKE)) / 2
    return ("supports", score) if score >= floor else (None, score)


def _quote(text: str) -> str:
    return f"'{text}'"


def explain(
    evidence: Evidence,
    a: Features,
    b: Features,
    shared: list[str],
    entity_names: Mapping[int, str],
) -> list[Reason]:
    """The reasons for a pair, each checkable in a second; `shared` are the stems of the
    rarest words the pair shares (candidates.shared_words)."""
    reasons: list[Reason] = []
    if shared:
        shown = ", ".join(written(a.text, shared))
        reasons.append(
            Reason(
                "similarity",
                f"both about {shown} (word similarity {max(evidence.cosine, evidence.cover):.2f}"
                + (f", wording {evidence.wording:.0%} alike)" if evidence.wording else ")"),
            )
        )
    if evidence.entities:
        names = sorted(entity_names.get(e, f"entity {e}") for e in evidence.entities)
        reasons.append(Reason("entities", f"both mention {', '.join(names)}"))
    if evidence.negated:
        negations = ", ".join(_quote(n) for n in evidence.negated)
        reasons.append(Reason("negation", f"the {evidence.negated_in} is negated: {negations}"))
    for first, second in evidence.antonyms:
        left, right = written(a.text, [first])[0], written(b.text, [second])[0]
        reasons.append(Reason("antonyms", f"opposites: {_quote(left)} vs {_quote(right)}"))
    if evidence.denied:
        words = ", ".join(_quote(d) for d in evidence.denied)
        other = "first" if evidence.denied_in == "second" else "second"
        reasons.append(
            Reason("denial", f"the {evidence.denied_in} calls the {other} into question: {words}")
        )
    for first_q, second_q in evidence.quantities_conflict:
        reasons.append(
            Reason(
                "quantities",
                f"quantities conflict: {_quote(first_q.phrase)} vs {_quote(second_q.phrase)}",
            )
        )
    for first_q, second_q in evidence.quantities_agree:
        reasons.append(
            Reason(
                "quantities",
                f"quantities agree: {_quote(first_q.phrase)} and {_quote(second_q.phrase)}",
            )
        )
    for first_d, second_d in evidence.dates_conflict:
        reasons.append(Reason("dates", f"different times: {first_d} vs {second_d}"))
    if evidence.dates_shared:
        reasons.append(Reason("dates", f"same time: {', '.join(evidence.dates_shared)}"))
    if evidence.verdicts:
        verb = "disagree" if evidence.verdicts == "disagree" else "agree"
        reasons.append(Reason("verdicts", f"current verdicts {verb}: {a.label} vs {b.label}"))
    return reasons
