"""A source's text cut into sentences, each with its character offsets in that text.

The cutting is pysbd's (Python Sentence Boundary Disambiguation: the Golden Rules of sentence
splitting, rule-based, no model): it knows that "U.S.", "Gen." and "Jan." do not end a sentence
and keeps a quotation whole ("We will respond. It will be harsh," said X). Two things are done
around it:

- the offsets: pysbd returns the pieces of the text in order; each is found again in the
  original from where the previous one ended, so a sentence's span points into the text
  exactly (what a quote anchored from it records), repeated sentences included;
- line ends: pysbd ends a sentence at every line end, which suits headlines, bylines and
  paragraphs of one line each, but cuts a sentence that a text wrapped at a fixed width carries
  over to the next line. A line end that continues a sentence (the next line starts in lower
  case, or a long line stops without any closing punctuation) is shown to pysbd as a space; the
  text keeps its length, so the offsets hold.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# A line this long that ends without closing punctuation is a line of text wrapped at a fixed
# width, not a headline or a byline.
_WRAPPED = 60
_CLOSING = frozenset(".!?:;\"'\u201d\u2019\u00bb)]\u2026|")


@dataclass(frozen=True)
class Sentence:
    """One sentence: text[start:end] of its source, without the whitespace around it."""

    start: int
    end: int
    text: str
    # The paragraph it is in (paragraphs are separated by blank lines), counted from 0.
    paragraph: int


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    # Imported here: pysbd takes a while to load, and only `extract` needs it.
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _unwrapped(text: str) -> str:
    """The text with the line ends that continue a sentence made spaces (same length)."""
    chars = list(text)
    lines = text.split("\n")
    offset = 0
    for line, following in itertools.pairwise(lines):
        offset += len(line) + 1
        body, after = line.strip(), following.lstrip()
        if not body or not after:
            continue  # a blank line: a new paragraph
        if after[0].islower() or (len(body) >= _WRAPPED and body[-1] not in _CLOSING):
            chars[offset - 1] = " "
    return "".join(chars)


def split(text: str) -> list[Sentence]:
    """The sentences of `text`, in order, with their offsets in it."""
    if not text.strip():
        return []
    flat = _unwrapped(text)
    pieces: list[str] = _segmenter().segment(flat)
    sentences: list[Sentence] = []
    cursor = 0
    paragraph = 0
    for piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        at = flat.find(piece, cursor)
        if at < 0:
            # pysbd gives the text back piece by piece; should a piece ever differ from the
            # text (a version that cleans it), the stripped piece is looked for instead.
            at = flat.find(stripped, cursor)
            if at < 0:
                continue
            piece = stripped
        lead = len(piece) - len(piece.lstrip())
        start = at + lead
        end = start + len(stripped)
        paragraph += len(re.findall(r"\n[^\S\n]*\n", text[cursor:start]))
        cursor = end
        sentences.append(Sentence(start, end, text[start:end], paragraph))
    return sentences
