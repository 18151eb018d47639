"""Text matching: anchor quotes in source texts, find near misses, build search keys; and stored
text made safe to show on a terminal.

Sources reach us through copy-paste, scrapers and OCR, so the same sentence can differ from what a
researcher types in quote marks, dashes, spacing, case and Unicode composition. Anchors always
point into the original text, so whatever is stored can be shown exactly as the source has it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

CONTEXT = 32
"""How many characters of the source an anchor keeps on each side of the passage."""

# Quote marks carry no meaning for matching and are the first thing lost or restyled in transit
# (one seed article has no apostrophes left at all), so they are dropped rather than unified.
# Hebrew geresh/gershayim are included because people type ASCII quotes in their place.
_QUOTES = frozenset(
    "'\u2018\u2019\u201a\u201b\u2032\u2035`\u00b4\u02bc\u02bb\u02b9\u02bd\u02be\u02bf\u02c8"
    "\u02ca\u02cb\uff07\u2039\u203a\u05f3"
    '"\u201c\u201d\u201e\u201f\u2033\u2034\u2036\u2037\u2057\u00ab\u00bb\uff02\u3003'
    "\u301d\u301e\u301f\u05f4"
)
_DASHES = frozenset(
    "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\u02d7\u2e3a\u2e3b\ufe58\ufe63\uff0d"
)
# Digits are unified so that Persian and Arabic texts can be searched with either keyboard. The
# hamza and madda forms of alef need no entry: they lose their marks with the other diacritics.
_FOLD_TABLE = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh -> Persian yeh
        "\u0649": "\u06cc",  # alef maksura -> Persian yeh
        "\u0643": "\u06a9",  # Arabic kaf -> Persian keheh
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0640": None,  # tatweel only stretches a word
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        **{q: None for q in _QUOTES},
        **{d: "-" for d in _DASHES},
    }
)
_SPACES = re.compile(r"\s+")
# C0 and C1 control characters (and DEL): ANSI and OSC escapes, bells, backspaces, carriage
# returns. Tab and newline lay text out, so a multi-line note keeps its lines; a value that must
# stay on its line (who acted) shows them as escapes too.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_INLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def visible(text: str, *, inline: bool = False) -> str:
    """Text from the database or the user, safe to write to a terminal or into a document for
    people: control characters are shown as `\\x1b` escapes instead of being obeyed (a stored
    ANSI sequence is data). Tabs and newlines are kept, a Windows line end (CR LF) shown as the
    newline it is, or with `inline` all of them shown as `\\x09`, `\\x0d`, `\\x0a`, so the
    text cannot start a line of its own. A carriage return on its own, which would send the
    terminal back over the line, is always shown."""
    if inline:
        return _CONTROL_INLINE.sub(_escape, text)
    return _CONTROL.sub(_escape, text.replace("\r\n", "\n") if "\r" in text else text)


def control_character(text: str) -> str | None:
    """The first control character (C0, DEL or C1, tab and newline included) in `text`, if any:
    for names that must be one plain line, such as who acts."""
    found = _CONTROL_INLINE.search(text)
    return found.group() if found else None


@dataclass(frozen=True)
class Anchor:
    """Where a quote sits in a source text, with enough context to find it again."""

    start: int
    end: int
    status: str
    prefix: str
    suffix: str
    exact: str
    occurrences: int


@dataclass(frozen=True)
class Closest:
    """The passage of a text most like a quote that was not found."""

    start: int
    end: int
    passage: str
    similarity: float


class QuoteNotFound(Exception):
    """The quote does not occur in the text, even after normalisation; `closest` may help."""

    def __init__(self, quote: str = "", *, closest: Closest | None = None) -> None:
        message = "quote not found"
        if closest is not None:
            message += f'; closest passage ({closest.similarity:.0%} similar): "{closest.passage}"'
        super().__init__(message)
        self.quote = quote
        self.closest = closest


def _is_mark(c: str) -> bool:
    return unicodedata.category(c) == "Mn"


def _invisible(c: str) -> bool:
    # Format characters (ZWNJ, ZWJ, bidi marks, soft hyphen, BOM) are invisible, and copy-paste
    # adds or loses them freely, especially in right-to-left text.
    return unicodedata.category(c) == "Cf"


# What _fold_unicode() does to ASCII text: NFKC, NFD and NFC leave it alone, it has no combining
# marks nor format characters, and casefold is lower(); of the fold table only the three ASCII
# quote marks apply (dropped by str.replace, a scan in C: str.translate looks up every character
# in the table, and the search index folds every claim an import writes). tests/test_text.py
# checks that the two paths agree.


def fold(s: str) -> str:
    """Search/alias key: case, diacritics, quote marks, letter variants and spacing folded.

    ASCII text (most claims and quotes) takes a path several times faster than the character by
    character Unicode one, with the same result.
    """
    if s.isascii():
        return " ".join(s.replace("'", "").replace('"', "").replace("`", "").lower().split())
    return _fold_unicode(s)


def _fold_unicode(s: str) -> str:
    # The table goes first too, because NFKC turns some quote marks (the acute accent) into a
    # space and a combining mark.
    s = unicodedata.normalize("NFKC", s.translate(_FOLD_TABLE)).casefold()
    # Removing the invisible characters before NFC lets it compose what they separated, and the
    # table again after decomposition catches letters that only appear there (yeh with hamza).
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not (_is_mark(c) or _invisible(c)))
    s = unicodedata.normalize("NFC", s.translate(_FOLD_TABLE))
    return _SPACES.sub(" ", s).strip()


@lru_cache(maxsize=4096)
def _expansion(original: str) -> str:
    """What one original character becomes: quote marks and invisibles dropped, whitespace as
    " ", dashes as "-" (runs of those are collapsed by the caller)."""
    if original in _QUOTES:
        # Checked before decomposition, which would turn some (the acute accent) into a space
        # plus a combining mark.
        return ""
    out = []
    for c in unicodedata.normalize("NFKD", original).casefold():
        if c.isspace() or c == "\u200b":
            out.append(" ")
        elif c in _DASHES:
            out.append("-")
        elif c not in _QUOTES and not _invisible(c):
            out.append(c)
    return "".join(out)


def normalise_for_match(s: str) -> tuple[str, list[int]]:
    """The normalised string and, for each of its characters, the index in `s` of the original
    character that produced it."""
    out: list[str] = []
    index: list[int] = []
    space_at = -1  # where a pending run of whitespace started; emitted only before a non-dash
    for i, original in enumerate(s):
        for c in _expansion(original):
            if c == " ":
                if space_at < 0 and out and out[-1] != "-":
                    space_at = i
            elif c == "-":
                space_at = -1
                if not out or out[-1] != "-":
                    out.append(c)
                    index.append(i)
            else:
                if space_at >= 0:
                    out.append(" ")
                    index.append(space_at)
                    space_at = -1
                out.append(c)
                index.append(i)
    return "".join(out), index


def _whole_characters(norm: str, index: list[int], j: int, k: int) -> bool:
    """Whether norm[j:k] covers whole original characters, letting it stop before the accents of
    its last one: precomposed and decomposed accents must behave alike."""
    before = j
    while before > 0 and index[before - 1] == index[j]:
        before -= 1
    # Spacing accents (the diaeresis) decompose into a space and a combining mark; that space
    # is not part of what a quote starting with the accent has to match.
    if before < j and not (before == j - 1 and norm[before] == " "):
        return False
    rest = k
    while rest < len(norm) and index[rest] == index[k - 1]:
        if not _is_mark(norm[rest]):
            return False
        rest += 1
    return True


def _matches(norm: str, index: list[int], needle: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    j = norm.find(needle)
    while j >= 0:
        k = j + len(needle)
        if _whole_characters(norm, index, j, k):
            found.append((j, k))
            j = norm.find(needle, k)
        else:
            j = norm.find(needle, j + 1)
    return found


def _original_span(text: str, index: list[int], j: int, k: int) -> tuple[int, int]:
    start, end = index[j], index[k - 1] + 1
    while end < len(text) and _is_mark(text[end]):
        end += 1
    return start, end


def _anchor(text: str, start: int, end: int, status: str, occurrences: int) -> Anchor:
    return Anchor(
        start=start,
        end=end,
        status=status,
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        exact=text[start:end],
        occurrences=occurrences,
    )


def anchor(text: str, quote: str) -> Anchor:
    """Find `quote` in `text`: exactly if possible, else after normalisation, mapped back to
    offsets in the original text; raise QuoteNotFound (with the closest passage) otherwise."""
    quote = quote.strip()
    if not quote:
        raise ValueError("empty quote")
    if not text:
        raise QuoteNotFound(quote, closest=None)
    start = text.find(quote)
    if start >= 0:
        return _anchor(text, start, start + len(quote), "exact", text.count(quote))
    norm_text, index = normalise_for_match(text)
    norm_quote, _ = normalise_for_match(quote)
    if not norm_quote:
        # Only quote marks or invisible characters, and not in the text as they are.
        raise QuoteNotFound(quote, closest=None)
    found = _matches(norm_text, index, norm_quote)
    if not found:
        raise QuoteNotFound(quote, closest=closest_passage(text, quote))
    start, end = _original_span(text, index, *found[0])
    # The quote marks were ignored to find the passage; if the user's quote is wrapped in them,
    # the stored passage should be too, in the source's own style.
    if quote[0] in _QUOTES:
        while start > 0 and text[start - 1] in _QUOTES:
            start -= 1
    if quote[-1] in _QUOTES:
        while end < len(text) and text[end] in _QUOTES:
            end += 1
    return _anchor(text, start, end, "normalised", len(found))


_MIN_SIMILARITY = 0.3
_CANDIDATES = 5
_LONGEST_WORD = 24


def _candidate_starts(norm_text: str, norm_quote: str) -> list[int]:
    """Likely positions of the quote's start in the text, best first, by votes of shared q-grams:
    a passage that is mostly the quote shares many q-grams at the same offset."""
    q = max(1, min(4, len(norm_quote) // 4))
    grams: dict[str, list[int]] = {}
    for p in range(len(norm_quote) - q + 1):
        seen = grams.setdefault(norm_quote[p : p + q], [])
        # A few positions per q-gram are enough to vote; all of them would make a repetitive
        # quote (a row of dots) cost quadratic time.
        if len(seen) < 4:
            seen.append(p)
    width = max(8, len(norm_quote) // 10)
    votes: Counter[int] = Counter()
    for i in range(len(norm_text) - q + 1):
        positions = grams.get(norm_text[i : i + q])
        if positions:
            for p in positions:
                votes[(i - p) // width] += 1
    # Insertions and deletions shift the offset, so neighbouring buckets count too.
    smoothed = Counter({b: votes[b - 1] + votes[b] + votes[b + 1] for b in votes})
    chosen: list[int] = []
    for bucket, _ in smoothed.most_common():
        if all(abs(bucket - c) * width > len(norm_quote) for c in chosen):
            chosen.append(bucket)
            if len(chosen) == _CANDIDATES:
                break
    return [bucket * width for bucket in chosen]


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_" or unicodedata.category(c).startswith("M")


def _token_starts(norm: str, lo: int, hi: int) -> list[int]:
    return [
        p for p in range(max(lo, 0), min(hi, len(norm) - 1) + 1) if p == 0 or norm[p - 1] in " -"
    ]


def _token_ends(norm: str, lo: int, hi: int) -> list[int]:
    return [
        p for p in range(max(lo, 1), min(hi, len(norm)) + 1) if p == len(norm) or norm[p] in " -"
    ]


def _widen_to_words(norm: str, s: int, e: int) -> tuple[int, int]:
    def inside(p: int) -> bool:
        return 0 < p < len(norm) and _is_word_char(norm[p - 1]) and _is_word_char(norm[p])

    # Bounded, because scripts written without spaces make a whole line look like one word.
    s2, e2 = s, e
    while inside(s2) and s - s2 < _LONGEST_WORD:
        s2 -= 1
    while inside(e2) and e2 - e < _LONGEST_WORD:
        e2 += 1
    return (s if inside(s2) else s2), (e if inside(e2) else e2)


def closest_passage(text: str, quote: str) -> Closest | None:
    """The passage of `text` most similar to `quote`, widened to whole words, or None when
    nothing is at least remotely similar."""
    norm_text, index = normalise_for_match(text)
    norm_quote, _ = normalise_for_match(quote)
    if not norm_text or not norm_quote:
        return None
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(norm_quote)
    best = (0.0, 0, 0)

    def consider(s: int, e: int) -> None:
        nonlocal best
        if s >= e:
            return
        matcher.set_seq1(norm_text[s:e])
        # quick_ratio is a cheap upper bound of ratio, which costs far more.
        if matcher.quick_ratio() > best[0] and (similarity := matcher.ratio()) > best[0]:
            best = (similarity, s, e)

    pad = max(16, len(norm_quote) // 5)
    # In position order, so that of equally good passages the first one wins.
    for guess in sorted(_candidate_starts(norm_text, norm_quote)):
        lo = max(0, guess - pad)
        matcher.set_seq1(norm_text[lo : max(lo, guess + len(norm_quote) + pad)])
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if blocks:
            first, last = blocks[0], blocks[-1]
            consider(*_widen_to_words(norm_text, lo + first.a, lo + last.a + last.size))
    if not best[0]:
        return None
    # The matching blocks can reach out to stray short matches on either side. Every token
    # boundary near each end is tried, because dropping a stray match one word at a time first
    # lowers the similarity and a step-by-step climb would stop there.
    _, s, e = best
    for p in _token_starts(norm_text, s - 16, s + pad):
        consider(p, e)
    _, s, e = best
    for p in _token_ends(norm_text, e - pad, e + 16):
        consider(s, p)
    _, s, e = best
    start, end = _original_span(text, index, s, e)
    passage = text[start:end]
    # Scored again as a whole: the best span may have cut into a character that expands to
    # several (a ligature), and the mapping back took all of it.
    matcher.set_seq1(normalise_for_match(passage)[0])
    similarity = matcher.ratio()
    if similarity < _MIN_SIMILARITY:
        return None
    return Closest(start=start, end=end, passage=passage, similarity=similarity)
