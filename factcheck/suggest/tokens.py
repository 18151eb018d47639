"""Words as the suggestions compare them: folded (factcheck.text.fold), split on anything that is
not a letter or digit, and stemmed lightly so that "killed", "kills" and "killing" meet."""

from __future__ import annotations

import re
from functools import lru_cache

from factcheck.text import fold


def word_list(text: str) -> frozenset[str]:
    """The words of a list written as text, a few to a line (long vocabularies read better so)."""
    return frozenset(text.split())


_WORD = re.compile(r"[^\W_]+(?:[.,]\d+)*", re.UNICODE)

# Words that say nothing about what a claim is about. Negations and quantities are left out of
# this list on purpose: cues.py and quantities.py read them, and the topic ignores them anyway.
STOPWORDS = word_list(
    """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst an and another any anyhow anyone anything anyway anywhere
    are around as at back be became because become becomes becoming been before beforehand
    behind being below beside besides between beyond both but by can could did do does doing
    done down during each either else elsewhere enough etc even ever every everyone everything
    everywhere except few for former formerly from further had has have having he hence her
    here hereafter hereby herein hereupon hers herself him himself his how however i ie if in
    indeed into is it its itself just keep last latter latterly least less made make many may
    me meanwhile might mine more moreover most mostly much must my myself namely neither
    nevertheless next nor now of off often on once one only onto or other others otherwise our
    ours ourselves out over own per perhaps please put rather re same say said says see seem
    seemed seeming seems several she should since so some somehow someone something sometime
    sometimes somewhere still such than that the their theirs them themselves then thence
    there thereafter thereby therefore therein thereupon these they this those though through
    throughout thru thus to together too toward towards under until up upon very via was we
    well were what whatever when whence whenever where whereafter whereas whereby wherein
    whereupon wherever whether which while whither who whoever whole whom whose why will with
    within would yet you your yours yourself yourselves s t
    """
)


def words(text: str) -> list[str]:
    """The folded words of a text, in order (numbers stay whole: "3,000", "1.5")."""
    return split(fold(text))


def split(folded: str) -> list[str]:
    """The words of a text folded already (see `words`)."""
    return _WORD.findall(folded)


# Irregular verb forms, as their base form (so "won" meets "wins", and "lost" is "lose").
_IRREGULAR = {
    "won": "win", "lost": "lose", "rose": "rise", "risen": "rise", "fell": "fall",
    "fallen": "fall", "sold": "sell", "bought": "buy", "grew": "grow", "grown": "grow",
    "shrank": "shrink", "began": "begin", "begun": "begin", "left": "leave", "kept": "keep",
    "went": "go", "gone": "go", "came": "come", "took": "take", "taken": "take", "gave": "give",
    "given": "give", "held": "hold", "paid": "pay", "sent": "send", "spent": "spend",
    "told": "tell", "led": "lead", "met": "meet", "fought": "fight", "brought": "bring",
    "built": "build", "caught": "catch", "chose": "choose", "chosen": "choose", "drove": "drive",
    "ate": "eat", "flew": "fly", "forgot": "forget", "froze": "freeze", "hid": "hide",
    "knew": "know", "known": "know", "made": "make", "ran": "run", "saw": "see", "seen": "see",
    "shot": "shoot", "spoke": "speak", "stole": "steal", "struck": "strike", "swore": "swear",
    "threw": "throw", "thrown": "throw", "wrote": "write", "written": "write", "men": "man",
    "women": "woman", "children": "child", "people": "person", "said": "say",
}  # fmt: skip


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stem: plural and verb endings off, so that inflections of one word meet.
    Not a linguist's stem: only consistency matters (both sides of a pair get the same one)."""
    if word in _IRREGULAR:
        return stem(_IRREGULAR[word])
    if len(word) <= 3 or not word.isalpha() or not word.isascii():
        return word
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("ied", "y")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + replacement
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # "stopped" -> "stopp" -> "stop"
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def content(tokens: list[str]) -> list[str]:
    """The stems of the words that say what a claim is about (no stopwords, no bare numbers)."""
    return [stem(t) for t in tokens if t not in STOPWORDS and not t[0].isdigit()]


# A text with fewer words in lower case than this share of its capitalised ones is in title
# case (a headline) or in capitals: its capitals say nothing about which words are names.
_TITLE_CASE = 0.25
# What ends a sentence, so that the next word's capital is the sentence's, not a name's.
_SENTENCES = re.compile('[.:!?"\u201c(]')
# Apostrophes, which fold drops too ("Kata'ib" is one word).
_APOSTROPHES = re.compile("['\u2018\u2019`\u00b4]")


def names(text: str) -> frozenset[str]:
    """The stems of the words a text writes as names: capitalised other than at the start of a
    sentence, or in capitals ("Kata'ib Hezbollah", "US"). Nothing for a headline in title case
    or a text in capitals, whose capitals say nothing about names."""
    found: set[str] = set()
    capitalised = lower = 0
    for sentence in _SENTENCES.split(_APOSTROPHES.sub("", text)):
        for position, word in enumerate(_WORD.findall(sentence)):
            if not word[0].isupper():
                lower += not word[0].isdigit() and word not in STOPWORDS
                continue
            folded = word.lower() if word.isascii() else fold(word)
            if folded in STOPWORDS:
                continue
            capitalised += 1
            if position or (len(word) > 1 and word.isupper()):
                found.add(stem(folded))
    return frozenset(found) if lower >= _TITLE_CASE * capitalised else frozenset()
