"""The words that turn a statement around: negations, antonyms, and the vocabulary of denial and
debunking. General English, not any one corpus's: a claim and its opposite are told apart by
these words, whatever the topic.

Words are compared folded (apostrophes gone: "didn't" is "didnt") and, for antonyms, stemmed.

A negation turns around only what it reaches: the words after it up to the end of its clause
("Iraq was not informed of the strike" negates being informed, not the strike). What it turns
against another claim is judged by `reach`: the word it negates first (its head), else the rest
of its clause, must be something the other claim says. A denial ("false", "a hoax", "no
evidence") calls a whole statement into question; `covers` says how much of another claim the
denying text repeats, that is how surely it is that claim it denies.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from factcheck.suggest.tokens import STOPWORDS, content, split, stem, word_list

# Words that negate the statement they are in. "fail", "unable" and "refuse" say that something
# did not happen as surely as "not" does ("Iran failed to retaliate").
NEGATIONS = word_list(
    """
    not no never none nobody nothing neither nor without nowhere cannot cant dont doesnt didnt
    isnt arent wasnt werent wont wouldnt shouldnt couldnt hasnt havent hadnt aint neednt mustnt
    unable fail fails failed failing refuse refuses refused lack lacks lacked
    """
)
# Negations of more than one word ("far" alone negates nothing; "no longer" is one negation,
# not "no" and another).
NEGATION_PHRASES = (("no", "longer"), ("far", "from"), ("rather", "than"))

# Words by which a text calls another statement false, or reports it denied, withdrawn or
# made up: what fact-checks and news outlets write about a claim they debunk.
DENIALS = word_list(
    """
    false falsely hoax hoaxes fake fakes faked debunk debunked debunks debunking deny denies
    denied denial denials retract retracts retracted retraction unfounded baseless myth myths
    fabricated fabrication bogus untrue disproved disproven refuted rumor rumors rumour rumours
    misinformation disinformation doctored hoaxer incorrect inaccurate erroneous spurious
    groundless discredited satire satirical parody misleading misleadingly wrongly misquoted
    misattributed miscaptioned misrepresented unsubstantiated unproven photoshopped fictitious
    """
)
# Phrases that deny a statement. Their negation ("no evidence that X", "X is not true") is the
# denial itself, not a negation of what follows it: "no" reaches "evidence", which the claim
# denied never says. A fact-check headline ("Fact check: ...") debunks far more often than not.
DENIAL_PHRASES = (
    ("conspiracy", "theory"),
    ("no", "evidence"),
    ("no", "proof"),
    ("no", "record"),
    ("no", "basis"),
    ("no", "truth"),
    ("not", "true"),
    ("isnt", "true"),
    ("not", "real"),
    ("never", "happened"),
    ("out", "of", "context"),
    ("fact", "check"),
    ("fact", "checked"),
    ("fact", "checking"),
)
# A false positive is a test result, not a statement called false.
_NOT_DENIALS = (("false", "positive"), ("false", "positives"), ("false", "negative"),
                ("false", "negatives"))  # fmt: skip

# Pairs of words of opposite meaning, as stems (see tokens.stem).
_ANTONYMS = """
win lose | won lost | victory defeat | increase decrease | rise fall | rose fell | raise lower
grow shrink | gain loss | higher lower | more less | more fewer | above below | over under
most least | maximum minimum | highest lowest | largest smallest | biggest smallest
best worst | up down | approve reject | accept reject | support oppose | supported opposed
agree disagree | allow ban | allow prohibit | legal illegal | lawful unlawful | guilty innocent
alive dead | survive die | true false | succeed fail | success failure | successful unsuccessful
open close | opened closed | start end | begin end | before after | earlier later
first last | always never | all none | everyone nobody | include exclude | present absent
strong weak | strengthen weaken | positive negative | peace war | safe dangerous
cheap expensive | rich poor | import export | buy sell | bought sold | hire fire
stay leave | stayed left | remain leave | remained left | arrive depart | confirm deny
confirmed denied | admit deny | acquit convict | acquitted convicted | pass fail
passed failed | majority minority | public private | legalize ban | expand cut
boost cut | add remove | added removed | join leave | joined left | enter exit | entered left
friend enemy | ally enemy | increase cut | rising falling | true untrue
possible impossible | likely unlikely | known unknown | visible invisible
effective ineffective | increase decline | rise decline | grow decline | alive died
approve disapprove | trust distrust | honest dishonest
"""


def _pairs() -> dict[str, frozenset[str]]:
    opposites: dict[str, set[str]] = {}
    for pair in re.split(r"[|\n]", _ANTONYMS.strip()):
        first, second = (stem(word) for word in pair.split())
        opposites.setdefault(first, set()).add(second)
        opposites.setdefault(second, set()).add(first)
    return {word: frozenset(others) for word, others in opposites.items()}


ANTONYMS = _pairs()


def _by_first(phrases: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        table.setdefault(phrase[0], []).append(phrase)
    return table


def _phrases(tokens: list[str], phrases: dict[str, list[tuple[str, ...]]]) -> list[tuple[int, int]]:
    """Where the phrases (by their first word, see `_by_first`) occur: (start, end) token
    spans, in order."""
    found = []
    for i, token in enumerate(tokens):
        for phrase in phrases.get(token, ()):
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                found.append((i, i + len(phrase)))
    return found


def denials(tokens: list[str]) -> list[str]:
    """The words and phrases by which a text calls something false, denied or withdrawn."""
    found = [(i, i + 1) for i, t in enumerate(tokens) if t in DENIALS]
    excluded = {i for i, _ in _phrases(tokens, _NOT_DENIALS_BY_FIRST)}
    found = [span for span in found if span[0] not in excluded]
    found += _phrases(tokens, _DENIAL_PHRASES_BY_FIRST)
    return [" ".join(tokens[i:j]) for i, j in sorted(set(found))]


_NEGATION_STEMS = frozenset(stem(word) for word in NEGATIONS)
_DENIAL_STEMS = frozenset(stem(word) for word in DENIALS)
_DENIAL_PHRASES_BY_FIRST = _by_first(DENIAL_PHRASES)
_NEGATION_PHRASES_BY_FIRST = _by_first(NEGATION_PHRASES)
_NOT_DENIALS_BY_FIRST = _by_first(_NOT_DENIALS)
# The words that may start a negation.
_NEGATING = NEGATIONS | {phrase[0] for phrase in NEGATION_PHRASES}

# How far a negation reaches, in words, within its clause.
_REACH = 8
# Where a clause ends: punctuation closing a clause or sentence (not the comma or point inside
# "3,000" or "1.5"), and the words that join another clause to it.
_CLAUSE = re.compile(
    r"[;:!?()\[\]]|[.,](?!\d)|\s-\s"
    r"|\b(?:but|while|although|though|whereas|however|because|despite|yet|so|instead)\b"
)
# Words a negation passes over to reach the word it negates ("did not directly call"): function
# words, but not the verbs among the stopwords ("did not say", "was unable to keep").
_LIGHT = word_list("able any anyone anything even ever really actually necessarily yet")
_VERBS = word_list(
    """
    keep made make put say said says see seem seemed seeming seems become became becomes becoming
    """
)


@dataclass(frozen=True)
class Negation:
    """One negation in a text and what it reaches."""

    # As written, with the word it negates, for a person to read: "not informed".
    shown: str
    # The stem of the first content word it negates ("" when it reaches none).
    head: str
    # The stems of the content words it reaches.
    scope: frozenset[str]


def _skipped(token: str) -> bool:
    """Whether a negation passes over this word to the one it negates: function words, numbers,
    and adverbs ("not directly call", "never seriously considered")."""
    return (
        token in _LIGHT
        or (token in STOPWORDS and token not in _VERBS)
        or token[0].isdigit()
        or (token.endswith("ly") and len(token) > 4)
    )


def negations(folded: str) -> list[Negation]:
    """The negations of a folded text, each with what it reaches. A negation of a negation
    cancels out ("not unable", "never failed to"); a negation that is part of a denial phrase
    ("no evidence") belongs to the denial (see `denials`)."""
    found: list[Negation] = []
    if _NEGATING.isdisjoint(split(folded)):
        return found  # most claims: no clause to look at
    for clause in _CLAUSE.split(folded):
        tokens = split(clause)
        denying = _phrases(tokens, _DENIAL_PHRASES_BY_FIRST)
        taken = {i for start, end in denying for i in range(start, end)}
        phrases = dict(_phrases(tokens, _NEGATION_PHRASES_BY_FIRST))
        inside = {i for start, end in phrases.items() for i in range(start + 1, end)}
        i = 0
        while i < len(tokens):
            if i in taken or i in inside or not (i in phrases or tokens[i] in NEGATIONS):
                i += 1
                continue
            end = phrases.get(i, i + 1)
            reached = tokens[end : end + _REACH]
            first = next((k for k, t in enumerate(reached) if not _skipped(t)), None)
            if first is not None and reached[first] in NEGATIONS:
                i = end + first + 1  # the two cancel out
                continue
            head = "" if first is None else reached[first]
            found.append(
                Negation(
                    " ".join([*tokens[i:end], head]).strip(),
                    stem(head) if head else "",
                    frozenset(content([t for t in reached if t not in NEGATIONS])),
                )
            )
            i = end
    return found


def reach(negated: Collection[Negation], other: frozenset[str]) -> float:
    """How surely the negations of one text turn around what another says (whose word stems
    are `other`), in [0, 1]: 1 when a negated word is one the other says ("was not informed"
    against "was informed"), else the share of a negation's clause the other says (0 for a
    negation about something else)."""
    best = 0.0
    for negation in negated:
        if negation.head and negation.head in other:
            return 1.0
        if negation.scope:
            best = max(best, len(negation.scope & other) / len(negation.scope))
    return best


def share(words: Collection[str], other: frozenset[str]) -> float:
    """The share of distinct `words` (stems) that `other` has too, negations and denials aside
    (they are what differs between a claim and its opposite, not what either is about)."""
    distinct = set(words) - _NEGATION_STEMS - _DENIAL_STEMS
    return len(distinct & other) / len(distinct) if distinct else 0.0


# A denying text that repeats this share of another claim's content words denies that claim
# for certain; repeating less, it more likely denies something else on the same topic.
_DENIES_ALL = 0.5


def covers(denying: frozenset[str], claim: Collection[str]) -> float:
    """How surely a denial in a text (whose word stems are `denying`) is about a claim (its
    topic stems `claim`), in [0, 1]."""
    return min(1.0, share(claim, denying) / _DENIES_ALL)


# Prefixes that make a word's opposite ("unavailable", "unknown", "nonviolent"). Not "in-" or
# "dis-": too many words only look prefixed ("income", "discover").
_OPPOSITE_PREFIXES = ("un", "non")


_LISTED = frozenset(ANTONYMS)


@lru_cache(maxsize=1 << 17)
def _prefixed(stems: frozenset[str]) -> frozenset[str]:
    """The stems of a claim that start as a prefixed opposite may (once per claim: a claim is
    compared with many others)."""
    return frozenset(word for word in stems if word.startswith(_OPPOSITE_PREFIXES))


@lru_cache(maxsize=65536)
def _unprefixed(word: str) -> tuple[str, ...]:
    """What `word` (a stem) may be the prefixed opposite of: "unavailabl" -> "availabl"."""
    if word in _NEGATION_STEMS:
        return ()  # "unable" is a negation already
    for prefix in _OPPOSITE_PREFIXES:
        rest = word.removeprefix(prefix)
        if rest != word and len(rest) >= 3:
            return tuple(dict.fromkeys((rest, stem(rest))))
    return ()


def opposed(stems_a: frozenset[str], stems_b: frozenset[str]) -> list[tuple[str, str]]:
    """Antonym pairs with one word in each text (and not both words in either): from the list
    above, or a word and its prefixed opposite ("available" / "unavailable")."""
    found = set()
    only_a, only_b = stems_a - stems_b, stems_b - stems_a
    prefixed_a, prefixed_b = _prefixed(stems_a) & only_a, _prefixed(stems_b) & only_b
    for word in only_a & _LISTED:
        found |= {(word, other) for other in ANTONYMS[word] if other in only_b}
    for word in prefixed_a:
        found |= {(word, other) for other in _unprefixed(word) if other in only_b}
    for word in prefixed_b:
        found |= {(other, word) for other in _unprefixed(word) if other in only_a}
    return sorted(found)
