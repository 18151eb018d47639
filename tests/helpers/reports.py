"""Contradiction reports built in memory from arbitrary text, for the renderers' property tests
(tests/reports)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import strategies as st

from factcheck.schemas import ClaimOut
from factcheck.services.report import (
    Cluster,
    ContradictionReport,
    ReportPair,
    ReportSource,
    ReportSummary,
    SourcePair,
)

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
# Mostly words and spaces, with the characters that make layout hard mixed in.
PIECES = st.sampled_from(
    [" ", "  ", "word", "longer words here", "\n", "\t", "\x1b[31m", "\r", "\x07", "\u2028",
     "\x85", "漢字テキスト", "مرحبا", "e\u0301", "\u200d", "\xa0", ":fire:", "“quoted”",
     "x" * 120, "y" * 97, "[1]", "-" * 40, " " * 60, "z" * 30 + " ",
     # Other zero width characters, a variation selector (after a character it widens), wide
     # and joined emoji.
     "\u200b", "\u200c", "\u2060", "\ufeff", "\ufe0f", "#\ufe0f", "\U0001f468\u200d\U0001f469",
     "\U0001f44d"]
)  # fmt: skip
TEXTS = st.lists(PIECES, min_size=1, max_size=30).map("".join)


def _claim(id_: int, body: str, note: str | None, quote: str | None, key: str) -> ClaimOut:
    """A claim in source 1 (`key`); with a `note`, a verdict whose evidence is a page known
    only by its URL (the quote) and source 1 (the quote again)."""
    evidence = [
        {"source_id": None, "source_key": None, "url": quote, "quote": note, "note": body},
        {"source_id": 1, "source_key": key, "url": None, "quote": quote, "note": None},
    ]
    return ClaimOut.model_validate(
        {
            "id": id_,
            "text": body or "x",
            "kind": "fact",
            "verdict": None
            if note is None
            else {
                "id": id_,
                "label": "true",
                "scale": "default",
                "polarity": "supported",
                "value": 1.0,
                "note": note,
                "created_at": WHEN,
                "created_by": None,
                "evidence": evidence if quote else [],
            },
            "appearances": [
                {
                    "id": id_,
                    "source_id": 1,
                    "source_key": key,
                    "source_published": None,
                    "source_url": f"https://example.org/{quote}",
                    "source_outlet": note,
                    "quote": quote,
                    "claimant": quote,
                    "start": None,
                    "end": None,
                    "anchor_status": "none",
                    "stance": "asserts",
                }
            ],
            "tags": [],
            "created_at": WHEN,
            "created_by": None,
        }
    )


def sample_report(strings: list[str], key: str, many: int) -> ContradictionReport:
    """A report of one pair from five strings (claim texts, a verdict note, a quote, the link's
    note), its cluster holding `many` + 1 claims; the strings are also the fields of its sources
    (a web page known by its URL, and the source of the claims)."""
    a = _claim(1, strings[0], strings[1], strings[2], key)
    b = _claim(2, strings[3], None, None, key + "-b")
    claim_ids = list(range(1, many + 2))
    pair = ReportPair(
        link_id=1, relation="contradicts", status="open", note=strings[4], cluster=1,
        claim_a=a, claim_b=b,
    )  # fmt: skip
    agreement = pair.model_copy(update={"relation": "supports", "status": "inconsistent"})
    summary = ReportSummary(
        pairs=1, clusters=1, claims=2, by_status={"open": 1},
        source_pairs=[SourcePair(source_a=key, source_b=key + "-b", pairs=1)],
        agreement_conflicts=1,
    )  # fmt: skip
    page = ReportSource(
        number=1, id=None, key=None, title=None, url=strings[2], outlet=None, author=None,
        published=None,
    )  # fmt: skip
    source = ReportSource(
        number=2, id=1, key=key, title=strings[0], url=f"https://example.org/{strings[3]}",
        outlet=strings[1], author=strings[4], published=strings[2],
    )  # fmt: skip
    return ContradictionReport(
        summary=summary,
        sources=[page, source],
        clusters=[Cluster(id=1, status="open", claim_ids=claim_ids, link_ids=[1])],
        pairs=[pair],
        agreement_conflicts=[agreement],
        agreements=[agreement],
    )
