"""What the signals need to know about one claim, computed once per claim (not once per pair).

What finds the candidate pairs (the topic words and the entities) is computed for every claim;
the cues the pairs are scored on are computed the first time a pair asks for them, so a claim
whose pairs are never scored never pays for them (quantities most of all).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from factcheck.suggest import cues, dates, quantities
from factcheck.suggest.tokens import content, names, split, stem, words
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
    # The content words' stems, in order (the topic).
    topic: tuple[str, ...]
    entities: frozenset[int]
    polarity: str | None
    label: str | None

    @cached_property
    def tokens(self) -> list[str]:
        return split(self.folded)

    @cached_property
    def stems(self) -> frozenset[str]:
        """Every word's stem (for antonyms)."""
        return frozenset(stem(t) for t in self.tokens)

    @cached_property
    def names(self) -> frozenset[str]:
        """The stems of the words it writes as names (tokens.names)."""
        return names(self.text)

    @cached_property
    def negations(self) -> tuple[cues.Negation, ...]:
        return tuple(cues.negations(self.folded))

    @cached_property
    def denials(self) -> tuple[str, ...]:
        return tuple(cues.denials(self.tokens))

    @cached_property
    def quantities(self) -> tuple[quantities.Quantity, ...]:
        return tuple(quantities.extract(self.folded))

    @cached_property
    def moments(self) -> frozenset[str]:
        return dates.when(self.tokens)


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
    tokens = split(folded)
    mentioned = index.mentioned(tokens) if index is not None else frozenset()
    return Features(
        id=claim.id,
        text=claim.text,
        folded=folded,
        topic=tuple(content(tokens)),
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
