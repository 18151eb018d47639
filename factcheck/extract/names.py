"""Names in a sentence: the project's entities (any of their spellings) first, then words
written as names.

An entity is found by its folded spellings (factcheck.text.fold: case, accents and apostrophes
do not matter), as whole words. Without entities (an article on a new topic), a name is a run
of capitalised words ("Afshon Ostovar", "Vanguard of the Imam", "Kata'ib Hezbollah"), joined by
the small words names contain ("of", "al-", "bin"). A capital at the start of a sentence says
nothing, so a first word counts only when the document writes it capitalised elsewhere too and
never in lower case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from factcheck.suggest.tokens import STOPWORDS, split, word_list
from factcheck.text import fold


@dataclass(frozen=True)
class Entity:
    id: int
    name: str


class Lexicon:
    """The entities' spellings, folded into word sequences, for finding them in sentences."""

    def __init__(self, spellings: Iterable[tuple[int, str, str, str]]) -> None:
        """`spellings`: (entity id, entity name, alias, folded alias key) for every alias."""
        self._by_first: dict[str, list[tuple[tuple[str, ...], Entity]]] = {}
        # Acronyms that are also words once folded ("IS", "US"): found only in capitals.
        self._acronyms: set[tuple[str, ...]] = set()
        for entity_id, name, alias, key in spellings:
            words = tuple(split(key))
            if words:
                self._by_first.setdefault(words[0], []).append((words, Entity(entity_id, name)))
                if alias.isupper() and len(words) == 1 and words[0].lower() in STOPWORDS:
                    self._acronyms.add(words)
        for candidates in self._by_first.values():
            candidates.sort(key=lambda item: -len(item[0]))  # the longest spelling wins

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def find(self, text: str) -> list[tuple[Entity, str]]:
        """The entities a text names (each once, in order), with the folded words that named
        it."""
        folded_words = split(fold(text))
        capitals = set(re.findall(r"\b[A-Z]+\b", text)) if self._acronyms else set()
        found: dict[int, tuple[Entity, str]] = {}
        i = 0
        while i < len(folded_words):
            for words, entity in self._by_first.get(folded_words[i], ()):
                if words in self._acronyms and words[0].upper() not in capitals:
                    continue
                if tuple(folded_words[i : i + len(words)]) == words:
                    found.setdefault(entity.id, (entity, " ".join(words)))
                    i += len(words) - 1
                    break
            i += 1
        return list(found.values())


# A word as written: letters, with the apostrophes, hyphens and dots names and abbreviations
# contain ("Kata'ib", "al-Muhandis", "U.S.").
_WORD = re.compile(r"[^\W\d_](?:[\w'\u2019\-]|\.(?=[^\W\d_]\.))*\.?", re.UNICODE)
# Small words inside a name ("Vanguard of the Imam", "Abu Mahdi al-Muhandis").
JOINERS = word_list(
    """
    of the al el bin ibn de da di du van von der la le y
    """
)
# Capitalised words that are not names: days, months, titles of address alone.
_NOT_NAMES = word_list(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december jan feb mar apr jun jul aug sep sept
    oct nov dec i mr mrs ms dr
    """
)


def _clean(word: str) -> str:
    """A word without the full stop that ends the sentence ("Baghdad." but "U.S.")."""
    if word.endswith(".") and word.count(".") == 1 and len(word) > 2:
        return word[:-1]
    return word


def _key(word: str) -> str:
    return fold(_clean(word))


@dataclass(frozen=True)
class Casing:
    """How a document writes its words: the folded words it capitalises inside sentences, and
    those it writes in lower case somewhere."""

    capitalised: frozenset[str]
    lower: frozenset[str]

    @classmethod
    def of(cls, sentences: Iterable[str]) -> Casing:
        capitalised: set[str] = set()
        lower: set[str] = set()
        for sentence in sentences:
            for position, match in enumerate(_WORD.finditer(sentence)):
                word = match.group()
                if word[0].islower():
                    lower.add(_key(word))
                elif position:
                    capitalised.add(_key(word))
        return cls(frozenset(capitalised), frozenset(lower))

    def is_name_word(self, word: str, first: bool) -> bool:
        """Whether a word, as written, belongs to a name."""
        key = _key(word)
        if not word[0].isupper() or key in _NOT_NAMES:
            return False
        if first:
            return key in self.capitalised and key not in self.lower and key not in STOPWORDS
        return key not in STOPWORDS or word.isupper()


def capitalised_names(sentence: str, casing: Casing) -> list[str]:
    """The runs of capitalised words a sentence writes as names, in order."""
    names: list[str] = []
    run: list[str] = []
    pending: list[str] = []  # joiners waiting for the next capitalised word
    for position, match in enumerate(_WORD.finditer(sentence)):
        word = match.group()
        if casing.is_name_word(word, position == 0):
            run.extend(pending)
            pending = []
            run.append(_clean(word))
        elif run and (word.lower() in JOINERS or word.lower().startswith(("al-", "el-"))):
            if word.lower().startswith(("al-", "el-")):
                run.extend([*pending, _clean(word)])
                pending = []
            else:
                pending.append(word)
        else:
            if run:
                names.append(" ".join(run))
            run, pending = [], []
    if run:
        names.append(" ".join(run))
    return list(dict.fromkeys(names))
