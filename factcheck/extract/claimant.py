"""Who makes the claim a sentence carries: the person or body it is attributed to ("said Afshon
Ostovar", "one U.S. official said", "according to the Pentagon"), or nobody (the source's
author speaks).

English news attributes in three shapes, all read here without a parser:
- after the words: `..., said Afshon Ostovar, an expert on Soleimani` (the name up to the
  comma that opens its description);
- before the verb: `A former U.S. official who dealt with the Middle East said ...` (the noun
  phrase before the verb, a relative clause cut off, a title before a name kept off);
- `according to the Pentagon`.
A pronoun ("he said") is the person last named as speaking in the sentences just before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extract.names import JOINERS
from factcheck.suggest.tokens import word_list

# Reporting verbs (news usage), in the forms that attribute.
_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|claimed|claims|announced|announces|"
    "warned|warns|noted|notes|insisted|insists|denied|denies|acknowledged|acknowledges|"
    "argued|argues|wrote|writes|explained|explains|confirmed|confirms|estimated|estimates|"
    "predicted|predicts|asserted|asserts|alleged|alleges|tweeted|tweets|declared|declares|"
    "reported|reports|believes|thinks|testified|recalled|recalls|observed|"
    "cautioned|conceded|concedes|contended|contends|admitted|admits"
)
ATTRIBUTION = re.compile(rf"\b(?:{_VERBS})\b|\baccording to\b", re.IGNORECASE)
_AFTER = re.compile(
    rf"(?:[,\"\u201d\u2019'\u2014\u2013-]|\b(?:he|she|they)\b)\s*(?:{_VERBS})\s+(?P<who>[^,.;:!?\"\u201d]+)"
)
_BEFORE = re.compile(rf"\b(?:{_VERBS})\b")
_ACCORDING = re.compile(r"\baccording to\s+(?P<who>[^,.;:!?\"\u201d]+)", re.IGNORECASE)
_BY = re.compile(rf"\b(?:{_VERBS})\s+by\s+(?P<who>[^,.;:!?\"\u201d]+)")
# Auxiliaries and adverbs between a subject and its reporting verb ("The U.S. has said").
_AUXILIARY = re.compile(
    r"(?:\s+(?:has|have|had|was|were|is|are|been|will|would|could|may|might|also|later|"
    r"previously|repeatedly|reportedly|publicly|privately|once|often|never|not|had|then|"
    r"recently|earlier|already|still|long))+\s*$",
    re.IGNORECASE,
)
# Where a noun phrase before "who" starts ("some members of the Trump administration who").
_DETERMINER = re.compile(
    r"\b(?:some|a|an|one|several|many|other|two|three|four|five|the|former|senior|top)\b",
    re.IGNORECASE,
)
_WHO = re.compile(r"\bwho\s*$")
# Where the subject of a reporting verb starts, going back from the verb.
_CLAUSE = re.compile(
    r"[,;:\"\u201c\u201d()\u2014\u2013]|\b(?:and|but|while|as|because|after|before|when)\s"
)
_RELATIVE = re.compile(r"\s(?:who|which|that|whose|whom)\b.*", re.DOTALL)
# Words that start what is said after a reporting verb, never who said it.
_NOT_SUBJECTS = word_list(
    """
    his her its their our my your that this these those it in on at to by with for if what how
    why when whether there
    """
)
_PRONOUNS = frozenset(["he", "she", "they", "i", "we"])
# People, groups and bodies that speak in the news: what a subject without a name must be.
_SPEAKERS = re.compile(
    r"\b(?:officials?|spokes(?:man|woman|person)|sources?|experts?|analysts?|ministers?|"
    r"diplomats?|observers?|researchers?|leaders?|commanders?|generals?|members?|"
    r"administration|government|ministry|department|agency|office|military|army|police|"
    r"authorities|statement|report|study|survey|aides?|advisers?|advisors?|adviser|"
    r"residents?|witnesses?|critics?|lawmakers?|senators?|president|secretary|scholars?|"
    r"professors?|economists?|officers?|journalists?|people|group|organi[sz]ation|council|"
    r"committee|court|judge|prosecutors?|lawyers?|campaign|party|press|media|company|mayor|"
    r"governor|chief|head|director|chairman|chairwoman|ceo|spokesperson|police|union)\b",
    re.IGNORECASE,
)
# Titles before a name, left off the claimant ("President Donald Trump" is "Donald Trump").
_TITLES = re.compile(
    r"^(?:(?:the|former|then|late|new|top)\s+)*(?:[A-Z][\w.\-]*\s+){0,3}?"
    r"(?:President|Vice President|Prime Minister|Minister|Secretary of State|Secretary|"
    r"Chancellor|Gen\.|General|Lt\.|Col\.|Maj\.|Adm\.|Admiral|Sen\.|Senator|Rep\.|Gov\.|"
    r"Governor|Mayor|Mr\.|Mrs\.|Ms\.|Dr\.|Prof\.|Professor|Sheikh|Ayatollah|Supreme Leader|"
    r"King|Queen|Prince|Pope|Judge|Justice|Ambassador|Commander|Chairman|Director|"
    r"Spokesman|Spokeswoman)\s+(?=[A-Z])"
)
_NAME_RUN = re.compile(
    r"(?:[A-Z][\w'\u2019\-.]*|(?:al|el|bin|ibn|de|van|von)[\-\s]?)(?:\s+(?:[A-Z][\w'\u2019\-.]*|"
    r"(?:al|el|bin|ibn|de|van|von)-\w+))*$"
)
_MAX_WORDS = 9


@dataclass(frozen=True)
class Attribution:
    """Who, as the sentence names them, and the words that attribute ("said Afshon Ostovar")."""

    claimant: str | None
    words: str


def _tidy(phrase: str) -> str | None:
    """A subject phrase made a claimant: its relative clause and a title before a name off, the
    sentence's capital off a leading article; None if it names nobody."""
    phrase = _RELATIVE.sub("", phrase).strip(" \t\n'\u2019\"")
    phrase = re.sub(r"^(?:even|also|only|both|then|now)\s+", "", phrase, flags=re.IGNORECASE)
    words = phrase.split()
    if not words or len(words) > _MAX_WORDS:
        return None
    if words[0].lower() in _PRONOUNS:
        return words[0].lower()
    # A description before a name ("Iraqi militia commander Abu Mahdi al-Muhandis"): the name.
    run = _NAME_RUN.search(phrase)
    if run is not None and run.start() > 0 and any(c.islower() for c in phrase[: run.start()]):
        candidate = run.group().strip()
        if len(candidate.split()) >= 2 or not _SPEAKERS.search(phrase):
            phrase = candidate
    phrase = _TITLES.sub("", phrase)
    first = phrase.split()[0]
    if first in ("A", "An", "The", "One", "Some", "Another", "Several", "Many", "Two", "Three"):
        phrase = first.lower() + phrase[len(first) :]
    # Someone who speaks: a speaker word ("officials", "the ministry"), or a name alone (every
    # word capitalised but the small words of names, "the" first): "Syria from US troops
    # added to his appeal" names nobody.
    words = phrase.split()
    if words[0].lower() == "the":
        words = words[1:]
    named = bool(words) and words[0][:1].isupper()
    named = named and all(w[:1].isupper() or w.lower() in JOINERS for w in words)
    if not (named or _SPEAKERS.search(phrase)):
        return None
    return phrase


def attribution(sentence: str) -> Attribution | None:
    """The attribution of a sentence, if it has one (its claimant may be a pronoun still)."""
    if ATTRIBUTION.search(sentence) is None:
        return None
    for pattern in (_ACCORDING, _BY):
        match = pattern.search(sentence)
        if match is not None:
            who = _tidy(match.group("who"))
            if who is not None:
                return Attribution(who, match.group().strip())
    for match in _AFTER.finditer(sentence):
        raw = match.group("who").strip()
        # After the verb comes who said it ("said Afshon Ostovar", "said one official"), or
        # what was said ("declared his intention", "declared a strike from Monday").
        if raw.split()[0].lower() in _NOT_SUBJECTS or not (
            raw[0].isupper() or _SPEAKERS.search(raw)
        ):
            continue
        who = _tidy(match.group("who"))
        if who is not None and who not in _PRONOUNS:
            return Attribution(who, match.group().lstrip(",\"\u201d\u2019'\u2014\u2013- ").strip())
    for match in _BEFORE.finditer(sentence):
        if re.search(r"\bthe\s*$", sentence[: match.start()], re.IGNORECASE) or re.match(
            r"\s+to\b", sentence[match.end() :]
        ):
            continue  # "the said group", "added to his appeal": no attribution
        before = _AUXILIARY.sub("", sentence[: match.start()])
        if _WHO.search(before):
            before = _WHO.sub("", before).rstrip()
            window = before.split()[-_MAX_WORDS + 2 :]
            tail = " ".join(window)
            first = _DETERMINER.search(tail)
            start = len(before) - len(tail) + (first.start() if first else 0)
        else:
            boundary = list(_CLAUSE.finditer(before))
            start = boundary[-1].end() if boundary else 0
            # "Hassan Nasrallah, the leader of Hezbollah, declared": the subject is before the
            # description set off by commas.
            if not before[start:].strip() and before.rstrip().endswith(",") and len(boundary) > 1:
                inner = [b for b in boundary[:-1] if b.group() == ","]
                if inner:
                    earlier = list(_CLAUSE.finditer(before[: inner[-1].start()]))
                    start = earlier[-1].end() if earlier else 0
                    who = _tidy(before[start : inner[-1].start()])
                    if who is not None:
                        return Attribution(who, sentence[start : match.end()].strip())
        who = _tidy(before[start:])
        if who is not None:
            return Attribution(who, sentence[start : match.end()].strip())
    return Attribution(None, ATTRIBUTION.search(sentence).group())  # type: ignore[union-attr]
