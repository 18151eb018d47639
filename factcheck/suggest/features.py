"""What the signals need to know about one claim, computed once per claim (not once per pair)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from factcheck.suggest import cues, dates, quantities
from factcheck.suggest.tokens import content, names, stem, words
from factcheck.text import fold

# Aliases longer than this many words are not looked for in claim texts.
_LONGEST_ALIAS = 6


@dataclass(frozen=True)
class ClaimInput:
    """A claim as the suggestions see it: its text, the entities recorded for it, and the
    polarity of its current verdict (supported, refuted, mixed, none; None when unreviewed)."""

    id: int
    text: str
    entities: frozenset[int] = frozenset()
    polarity: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Features:
    id: int
    text: str
    folded: str
    # The content words' stems, in order (the topic); every word's stem (for antonyms).
    topic: tuple[str, ...]
    stems: frozenset[str]
    # The stems of the words it writes as names (tokens.names).
    names: frozenset[str]
    negations: tuple[cues.Negation, ...]
    denials: tuple[str, ...]
    quantities: tuple[quantities.Quantity, ...]
    moments: frozenset[str]
    entities: frozenset[int]
    polarity: str | None
    label: str | None


class EntityIndex:
    """The project's entities by every spelling of their names (folded, as alias_key holds
    them), to find the entities a claim's text mentions even when nobody recorded them."""

    def __init__(self, aliases: Iterable[tuple[int, str]]) -> None:
        self._by_words: dict[tuple[str, ...], set[int]] = {}
        for entity_id, alias_key in aliases:
            key = tuple(words(alias_key))
            if key and len(key) <= _LONGEST_ALIAS:
                self._by_words.setdefault(key, set()).add(entity_id)
        self._lengths = sorted({len(k) for k in self._by_words}, reverse=True)

    def mentioned(self, tokens: list[str]) -> frozenset[int]:
        found: set[int] = set()
        if not self._by_words:
            return frozenset()
        for start in range(len(tokens)):
            for length in self._lengths:
                ids = self._by_words.get(tuple(tokens[start : start + length]))
                if ids:
                    found |= ids
                    break
        return frozenset(found)


def features(claim: ClaimInput, index: EntityIndex | None = None) -> Features:
    folded = fold(claim.text)
    tokens = words(folded)
    mentioned = index.mentioned(tokens) if index is not None else frozenset()
    return Features(
        id=claim.id,
        text=claim.text,
        folded=folded,
        topic=tuple(content(tokens)),
        stems=frozenset(stem(t) for t in tokens),
        names=names(claim.text),
        negations=tuple(cues.negations(folded)),
        denials=tuple(cues.denials(tokens)),
        quantities=tuple(quantities.extract(folded)),
        moments=dates.when(tokens),
        entities=claim.entities | mentioned,
        polarity=claim.polarity,
        label=claim.label,
    )


def written(text: str, stems: list[str]) -> list[str]:
    """The words of `text` (folded) that these stems come from, for a person to read."""
    surface: dict[str, str] = {}
    for token in words(text):
        surface.setdefault(stem(token), token)
    return [surface.get(s, s) for s in stems]
