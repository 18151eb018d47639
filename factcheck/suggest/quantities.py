"""Quantities in claims: numbers written in digits or words ("603", "five hundred", "two dozen",
"1.5 million"), with what qualifies them ("upwards of", "at least", "only", "about", "between
... and ..."), the unit ("%", "$", "km") and the words around them that say what is counted.

Each quantity becomes an interval of the values it allows: "upwards of 500" is [500, inf),
"about 3,000" is [2,700, 3,300], "two dozen" is [24, 24]. Two quantities that count the same
thing in the same unit agree when their intervals overlap and conflict when they do not:
"upwards of 500" allows 603; "at least 100" does not allow "only 40".

Number words are turned into digits by text2num (`alpha2digit`), which knows the grammar of
English numbers; what it leaves alone ("a dozen", "hundreds of") is handled here.
"""

from __future__ import annotations

import math
import re
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache

from factcheck.suggest.cues import NEGATIONS
from factcheck.suggest.tokens import STOPWORDS, stem, word_list

INF = math.inf
# A plain number matches a different one within this relative distance (rounding, 1.5 vs 1.50).
_TOLERANCE = 0.01
# "about N" allows this relative distance either way.
_APPROXIMATE = 0.15

_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
_MONTHS = word_list(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
# Words before a number that make it a year or a day, not a count.
_DATE_CONTEXT = frozenset(
    ["in", "since", "until", "till", "by", "from", "of", "during", "early", "late", "mid",
     "before", "after", "year", "summer", "winter", "spring", "autumn", "fall", "circa",
     *_MONTHS]
)  # fmt: skip

# (words before the number, the kind of bound). Longest first, so "no more than" wins over
# "more than".
_QUALIFIERS: list[tuple[tuple[str, ...], str]] = sorted(
    [
        (tuple(phrase.split()), kind)
        for kind, phrases in {
            "min": "at least|upwards of|more than|over|above|in excess of|exceeding|no fewer "
            "than|no less than|a minimum of|greater than|higher than|beyond|north of|plus",
            "max": "at most|up to|no more than|fewer than|less than|under|below|as many as|a "
            "maximum of|not more than|lower than|shy of|short of|south of|maximum of",
            "about": "about|around|approximately|roughly|some|an estimated|estimated|close to|"
            "nearly|almost|circa|approx|or so|just under|just over|more or less|reportedly",
            "exact": "only|just|exactly|precisely|a mere|merely|all",
        }.items()
        for phrase in phrases.split("|")
    ],
    key=lambda item: -len(item[0]),
)
# Vague amounts: "dozens of" (from two dozen on), "hundreds of" and so on.
_VAGUE = {
    "zzdozens": (24.0, 144.0),
    "zzscores": (40.0, 200.0),
    "zzhundreds": (200.0, 999.0),
    "zzthousands": (2000.0, 999_999.0),
    "zzmillions": (2e6, 999e6),
    "zzbillions": (2e9, 999e9),
    "zzseveral": (3.0, 9.0),
}
_UNITS = {
    "%": "%",
    "percent": "%",
    "pct": "%",
    "percentage": "%",
    "$": "$",
    "dollar": "$",
    "dollars": "$",
    "usd": "$",
    "£": "£",
    "pound": "£",
    "pounds": "£",
    "gbp": "£",
    "€": "€",
    "euro": "€",
    "euros": "€",
    "eur": "€",
    "km": "km",
    "kilometre": "km",
    "kilometres": "km",
    "kilometer": "km",
    "kilometers": "km",
    "mile": "mile",
    "miles": "mile",
    "kg": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "ton": "t",
    "tons": "t",
    "tonne": "t",
    "tonnes": "t",
    "year": "year",
    "years": "year",
    "month": "month",
    "months": "month",
    "week": "week",
    "weeks": "week",
    "day": "day",
    "days": "day",
    "hour": "hour",
    "hours": "hour",
    "minute": "minute",
    "minutes": "minute",
}
# Nouns that count the same thing under different words (news usage). A counted word is
# compared by its group when it has one, else by its stem.
_SAME_THING = [
    "soldier troop serviceman servicemen servicemember personnel",
    "person people individual resident citizen civilian",
    "death dead fatality fatalities life lives killed",
    "injury injured wounded casualty casualties",
    "militant fighter militiaman militiamen insurgent",
    "child children kid minor",
    "vote ballot",
    "job position post",
]
_GROUP = {stem(word): group.split()[0] for group in _SAME_THING for word in group.split()}

_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w])")
# A name that ends in digits ("covid19", "su30", "q72b381") is one token, no count.
_TOKEN = re.compile(r"[^\W\d_]+\d[^\W_]*|\d+(?:,\d{3})*(?:\.\d+)?|[^\W\d_]+|[%$£€]", re.UNICODE)
# "COVID-19", "Su-30", "F-35": the hyphen joins a name to its number.
_NAMED_NUMBER = re.compile(r"(?<=[^\W\d_])-(?=\d)")
_VAGUE_WORD = re.compile(r"\b(dozens|scores|hundreds|thousands|millions|billions|several)\b")
# text2num leaves "zero" alone.
_ZERO = re.compile(r"\bzero\b")
_DOZEN = re.compile(r"\b(a|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+dozen\b")
_SMALL = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


@dataclass(frozen=True)
class Quantity:
    """A number in a text, as the interval of values it allows, and what it counts."""

    low: float
    high: float
    unit: str | None
    # Stems (or same-thing groups) of the words right after and right before the number.
    after: frozenset[str]
    before: frozenset[str]
    # The words of the text that said it, for the reason a person reads.
    phrase: str

    @property
    def exact(self) -> bool:
        return self.low == self.high


def _dozens(match: re.Match[str]) -> str:
    count = match.group(1)
    return str((int(count) if count.isdigit() else _SMALL[count]) * 12)


@lru_cache(maxsize=1)
def _alpha2digit() -> object:
    from text_to_num import alpha2digit

    return alpha2digit


def digits(text: str) -> str:
    """The folded text with its number words written in digits ("two dozen" -> "24"); the
    vague amounts ("thousands of") marked so that text2num leaves them alone."""
    text = _VAGUE_WORD.sub(r"zz\1", _DOZEN.sub(_dozens, _ZERO.sub("0", text)))
    if any(c.isalpha() for c in text):
        convert = _alpha2digit()
        # text2num refuses some odd inputs; their numbers stay words.
        with suppress(ValueError, OverflowError):
            text = convert(text, "en")  # type: ignore[operator]
    return text


def _value(whole: str, fraction: str | None) -> float:
    return float(whole.replace(",", "") + (fraction or ""))


# Words between a number and what it counts that say nothing of what is counted ("3,000 more
# troops", "49% of the workforce").
_FILLERS = word_list("more additional extra other new further fresh of the their its his her a an")


def _thing(tokens: list[str], start: int, step: int) -> tuple[frozenset[str], int]:
    """What is counted: the content words next to the number, from `start` on going forward
    (step 1) or back (step -1), up to the first stopword, digit or unit (so "79 people and 170
    injured" counts people); and where they end."""
    found: list[str] = []
    i = start
    # Going forward, words such as "more" may stand between the number and the noun; going
    # back, the verb may ("unemployment was 6%", "sent to 3,000").
    skippable = _FILLERS if step > 0 else STOPWORDS
    skipped = 0
    while 0 <= i < len(tokens) and tokens[i] in skippable and skipped < 2:
        i += step
        skipped += 1
    while 0 <= i < len(tokens) and len(found) < 3:
        token = tokens[i]
        if (
            not token.isalpha()
            or token in STOPWORDS
            or token in _UNITS
            or token in _SCALES
            or token in NEGATIONS
        ):
            break
        word = stem(token)
        found.append(_GROUP.get(word, word))
        i += step
    return frozenset(found), i


def _qualifier(tokens: list[str], position: int) -> tuple[str, int]:
    """The bound the words before tokens[position] put on it, and where those words start."""
    for phrase, kind in _QUALIFIERS:
        start = position - len(phrase)
        if start >= 0 and tuple(tokens[start:position]) == phrase:
            return kind, start
    return "plain", position


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def _interval(value: float, kind: str) -> tuple[float, float]:
    if kind == "min":
        return value, INF
    if kind == "max":
        return 0.0, value
    if kind == "about":
        return value * (1 - _APPROXIMATE), value * (1 + _APPROXIMATE)
    return value, value


def _is_year(tokens: list[str], i: int, value: float) -> bool:
    if not (1800 <= value <= 2100) or "," in tokens[i] or "." in tokens[i]:
        return False
    before = tokens[i - 1] if i else ""
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    # "the 2003 invasion", "the 2020 election": a year naming an event.
    if before in _DATE_CONTEXT or (before == "the" and value >= 1900):
        return True
    # "2000 troops" counts troops; "2019 was a year of..." is a year.
    return not (after and after.isalpha() and after not in STOPWORDS)


def extract(text: str) -> list[Quantity]:
    """The quantities of a folded text (see factcheck.text.fold)."""
    tokens = _TOKEN.findall(digits(_NAMED_NUMBER.sub("", text)))
    found: list[Quantity] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _VAGUE:
            if token == "zzscores" and tokens[i + 1 : i + 2] != ["of"]:
                i += 1
                continue
            low, high = _VAGUE[token]
            after, stop = _thing(tokens, i + 2 if tokens[i + 1 : i + 2] == ["of"] else i + 1, 1)
            before, _ = _thing(tokens, i - 1, -1)
            phrase = " ".join(t.removeprefix("zz") for t in tokens[i:stop])
            found.append(Quantity(low, high, None, after, before, phrase))
            i = max(stop, i + 1)
            continue
        match = _NUMBER.fullmatch(token)
        if match is None:
            i += 1
            continue
        value = _value(match.group(1), match.group(2))
        previous = tokens[i - 1] if i else ""
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if previous in _MONTHS or following in _MONTHS or _is_year(tokens, i, value):
            i += 1
            continue
        start = i
        unit = None
        if previous in ("$", "£", "€"):
            unit, start = previous, i - 1
        end = i + 1
        # "1.5 million"; text2num writes "1.5 million" as "1.5 1000000".
        while end < len(tokens) and tokens[end] in _SCALES:
            value *= _SCALES[tokens[end]]
            end += 1
        while end < len(tokens) and tokens[end].isdigit() and tokens[end].strip("0") == "1":
            value *= float(tokens[end])
            end += 1
        # "between 10 and 20", "10 to 20", "10-20".
        high_value = None
        second = _NUMBER.fullmatch(tokens[end + 1]) if end + 1 < len(tokens) else None
        if second and tokens[end] in ("to", "and"):
            high_value = _value(second.group(1), second.group(2))
            end += 2
        if tokens[end : end + 2] == ["per", "cent"]:
            unit, end = "%", end + 2
        elif end < len(tokens) and tokens[end] in _UNITS:
            unit = _UNITS[tokens[end]]
            end += 1
        # "from 25% to 19%": a change, read as the range it spans.
        if high_value is None and unit is not None and tokens[end : end + 1] == ["to"]:
            second = _NUMBER.fullmatch(tokens[end + 1]) if end + 1 < len(tokens) else None
            if second and tokens[end + 2 : end + 3] == [tokens[end - 1]]:
                high_value = _value(second.group(1), second.group(2))
                if high_value < value:
                    value, high_value = high_value, value
                end += 3
        kind, qualifier_start = _qualifier(tokens, start)
        if high_value is not None and high_value > value:
            low, high = value, high_value
            words = f"{_number(low)} to {_number(high)}"
        else:
            low, high = _interval(value, kind)
            words = " ".join([*tokens[qualifier_start:start], _number(value)])
        if unit in ("$", "£", "€"):
            words = unit + words.removeprefix(unit + " ")
        elif unit is not None:
            words += "%" if unit == "%" else f" {tokens[end - 1]}"
        after, stop = _thing(tokens, end, 1)
        before, _ = _thing(tokens, qualifier_start - 1, -1)
        phrase = " ".join([words, *tokens[end:stop]])
        found.append(Quantity(low, high, unit, after, before, phrase))
        i = end
    return found


def same_thing(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities count the same thing in the same unit: the same unit, and the
    same word right after the number (what is counted) or, failing that, right before it (what
    was done to it: "killed 24" and "killing some two dozen")."""
    if a.unit != b.unit:
        return False
    if a.after and b.after:
        return bool(a.after & b.after) or bool(a.before & b.before)
    return bool((a.after & b.after) or (a.before & b.before))


def overlap(a: Quantity, b: Quantity) -> bool:
    """Whether some value is allowed by both (plain numbers within rounding of each other)."""
    slack = _TOLERANCE * max(abs(a.low), abs(b.low), 1.0) if a.exact and b.exact else 0.0
    return a.low <= b.high + slack and b.low <= a.high + slack


def compare(
    first: list[Quantity], second: list[Quantity]
) -> tuple[list[tuple[Quantity, Quantity]], list[tuple[Quantity, Quantity]]]:
    """The pairs of quantities counting the same thing that agree, and those that conflict. A
    quantity that agrees with one of the other text's quantities conflicts with none of them
    (a text can give several figures for one thing)."""
    agree: list[tuple[Quantity, Quantity]] = []
    conflict: list[tuple[Quantity, Quantity]] = []
    for a in first:
        matched = [b for b in second if same_thing(a, b)]
        agreeing = [b for b in matched if overlap(a, b)]
        if agreeing:
            agree.append((a, agreeing[0]))
        elif matched:
            conflict.append((a, matched[0]))
    return agree, conflict
