"""The words that turn a statement around: negations, antonyms, and the vocabulary of denial and
debunking. General English, not any one corpus's: a claim and its opposite are told apart by
these words, whatever the topic.

Words are compared folded (apostrophes gone: "didn't" is "didnt") and, for antonyms, stemmed.
"""

from __future__ import annotations

import re

from factcheck.suggest.tokens import stem, word_list

# Words that negate the statement they are in. "fail", "unable" and "refuse" say that something
# did not happen as surely as "not" does ("Iran failed to retaliate").
NEGATIONS = word_list(
    """
    not no never none nobody nothing neither nor without nowhere cannot cant dont doesnt didnt
    isnt arent wasnt werent wont wouldnt shouldnt couldnt hasnt havent hadnt aint neednt mustnt
    unable fail fails failed failing refuse refuses refused lack lacks lacked
    """
)
# Two-word negations (their words are not negations alone).
NEGATION_PHRASES = (("no", "longer"), ("far", "from"), ("rather", "than"))

# Words by which a text calls another statement false, or reports it denied or withdrawn.
DENIALS = word_list(
    """
    false falsely hoax hoaxes fake fakes faked debunk debunked debunks debunking deny denies
    denied denial denials retract retracts retracted retraction unfounded baseless myth myths
    fabricated fabrication bogus untrue disproved disproven refuted rumor rumors rumour rumours
    misinformation disinformation doctored hoaxer incorrect inaccurate erroneous spurious
    groundless discredited
    """
)
# Not "not true" nor "no evidence": their negation already turns the statement around.
DENIAL_PHRASES = (("conspiracy", "theory"),)

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
"""


def _pairs() -> dict[str, frozenset[str]]:
    opposites: dict[str, set[str]] = {}
    for pair in re.split(r"[|\n]", _ANTONYMS.strip()):
        first, second = (stem(word) for word in pair.split())
        opposites.setdefault(first, set()).add(second)
        opposites.setdefault(second, set()).add(first)
    return {word: frozenset(others) for word, others in opposites.items()}


ANTONYMS = _pairs()


def _phrase_hits(tokens: list[str], phrases: tuple[tuple[str, str], ...]) -> list[str]:
    found = []
    for first, second in phrases:
        for i in range(len(tokens) - 1):
            if tokens[i] == first and tokens[i + 1] == second:
                found.append(f"{first} {second}")
    return found


def negations(tokens: list[str]) -> list[str]:
    """The negating words and phrases of a text, in order."""
    return [t for t in tokens if t in NEGATIONS] + _phrase_hits(tokens, NEGATION_PHRASES)


def denials(tokens: list[str]) -> list[str]:
    """The words and phrases by which a text calls something false, denied or withdrawn."""
    return [t for t in tokens if t in DENIALS] + _phrase_hits(tokens, DENIAL_PHRASES)


def opposed(stems_a: frozenset[str], stems_b: frozenset[str]) -> list[tuple[str, str]]:
    """Antonym pairs with one word in each text (and not both words in either)."""
    found = []
    for word in stems_a - stems_b:
        for other in ANTONYMS.get(word, ()):
            if other in stems_b and other not in stems_a:
                found.append((word, other))
    return sorted(found)
