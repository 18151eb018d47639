"""schema.org ClaimReview: a DataFeed for export, and a lenient reader for what fact-checkers
publish (appearance as a string, an object or a list; numbers as strings; no numeric scale; a
bare list, a single review or a DataFeed wrapper)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from factcheck.errors import InvalidInput, SetAside
from factcheck.interchange.datasets import REJECTED, Builder, load_json
from factcheck.interchange.records import (
    AnyRecord,
    AppearanceRecord,
    ClaimRecord,
    EvidenceRecord,
    LabelRecord,
    ScaleRecord,
    SourceRecord,
    VerdictRecord,
)
from factcheck.schemas import ClaimOut
from factcheck.vocab import Polarity

SCALE = "claimreview"
# For reviews that carry no date: a fixed moment, so that importing twice adds nothing.
UNDATED = datetime(1970, 1, 1, tzinfo=UTC)


# --- export ---------------------------------------------------------------------------------


def _person(name: str | None) -> dict[str, Any] | None:
    return {"@type": "Person", "name": name} if name else None


def review(claim: ClaimOut, scales: dict[str, tuple[float | None, float | None]]) -> dict[str, Any]:
    """One claim with a verdict as a ClaimReview item."""
    verdict = claim.verdict
    assert verdict is not None
    best, worst = scales.get(verdict.scale, (None, None))
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label}
    if verdict.value is not None:
        rating["ratingValue"] = verdict.value
        if best is not None:
            rating["bestRating"] = best
        if worst is not None:
            rating["worstRating"] = worst
    if verdict.note:
        rating["ratingExplanation"] = verdict.note
    appearances: list[dict[str, Any]] = [
        {k: v for k, v in {
            "@type": "CreativeWork",
            "headline": a.source_title,
            "datePublished": a.source_published,
            "author": _person(a.claimant),
            "text": a.quote,
            "identifier": a.source_key,
        }.items() if v is not None}
        for a in claim.appearances
    ]  # fmt: skip
    dated = sorted(
        (a for a in appearances if "datePublished" in a), key=lambda a: a["datePublished"]
    )
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearances}
    first = dated[0] if dated else (appearances[0] if appearances else None)
    if first is not None:
        item["firstAppearance"] = first
        if "author" in first:
            item["author"] = first["author"]
        if "datePublished" in first:
            item["datePublished"] = first["datePublished"]
    return {
        "@type": "ClaimReview",
        "url": f"urn:factcheck:claim:{claim.id}",
        "claimReviewed": claim.text,
        "datePublished": verdict.created_at.date().isoformat(),
        "author": _person(verdict.created_by) or {"@type": "Organization", "name": "factcheck"},
        "reviewRating": rating,
        "itemReviewed": item,
    }


# The feed is meant to be pasted into a page as `<script type="application/ld+json">`, where
# the HTML parser, not JSON, decides where the script ends: a claim quoting "</script>" or "<!--"
# would end it early or hide the rest of the page. JSON's own escapes for these characters keep
# every string's value and leave nothing for HTML to read (they occur only inside strings).
_EMBEDDABLE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def data_feed(items: list[dict[str, Any]]) -> str:
    """The DataFeed as JSON that can be embedded in an HTML page as it is."""
    feed = {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": items}
    return json.dumps(feed, ensure_ascii=False, indent=2).translate(_EMBEDDABLE) + "\n"


# --- import ---------------------------------------------------------------------------------


def reviews_in(data: Any) -> list[Any]:
    """The ClaimReview objects in a DataFeed, a list, or a single review."""
    if isinstance(data, list):
        return [r for item in data for r in reviews_in(item)]
    if not isinstance(data, dict):
        return []
    if "dataFeedElement" in data:
        return reviews_in(data["dataFeedElement"])
    if _one(data, "@type") == "DataFeedItem" and "item" in data:
        return reviews_in(data["item"])
    if "claimReviewed" in data or _one(data, "@type") == "ClaimReview" or data == REJECTED:
        return [data]
    return []


def _one(container: Any, key: str, where: str | None = None) -> Any:
    """A property's value. JSON-LD lets any property hold one value or a list of them: a list
    of one is that value; of several, the first, except where `where` names the review: a
    review of several claims or with several ratings is refused, as nothing says which one
    the rest of the review is about."""
    if not isinstance(container, dict):
        return None
    value = container.get(key)
    if not isinstance(value, list):
        return value
    if len(value) > 1 and where is not None:
        raise InvalidInput(
            f"{where}: {key} has {len(value)} values, and a ClaimReview is of one claim with "
            "one rating",
            hint="split it into one review per claim, or import with --rejects FILE",
        )
    return value[0] if value else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list) and value:
        return _name(value[0])
    return None


def _date(value: Any) -> str | None:
    match = re.match(r"^(\d{4})(-\d{2})?(-\d{2})?", value) if isinstance(value, str) else None
    return "".join(part or "" for part in match.groups()) if match else None


def _polarity(label: str, value: float | None, best: float | None, worst: float | None) -> Polarity:
    if value is not None and best is not None and worst is not None and best != worst:
        share = (value - worst) / (best - worst)
        return "supported" if share >= 0.75 else "refuted" if share <= 0.25 else "mixed"
    words = label.lower()
    if any(w in words for w in ("false", "fake", "pants", "incorrect", "wrong", "hoax")):
        return "refuted"
    if any(w in words for w in ("mixed", "half", "partly", "misleading", "mostly")):
        return "mixed"
    if any(w in words for w in ("true", "correct", "accurate")):
        return "supported"
    return "none"


def _appearances(item: Any) -> list[dict[str, Any]]:
    if not isinstance(item, dict):
        return []
    found = item.get("appearance") or _one(item, "firstAppearance") or []
    found = found if isinstance(found, list) else [found]
    return [{"url": a} if isinstance(a, str) else a for a in found if isinstance(a, str | dict)]


def read_claimreview(
    data: bytes, name: str, set_aside: SetAside | None = None
) -> Iterator[tuple[int, AnyRecord]]:
    parsed = load_json(data, name)
    try:
        reviews = reviews_in(parsed)
    except RecursionError as exc:
        raise InvalidInput(f"{name} is nested too deeply") from exc
    if not reviews:
        raise InvalidInput(f"{name} has no ClaimReview items")
    description = "Labels as published in schema.org ClaimReview items."
    yield 0, ScaleRecord(key=SCALE, name="Imported ClaimReview ratings", description=description)
    # Each review carries its own date and author, so the builder's stamp is not used.
    build = Builder(UNDATED, None)

    def read_row(number: int, item: dict[str, Any]) -> list[AnyRecord]:
        where = f"review {number}"
        text = _one(item, "claimReviewed", where)
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput(f"review {number}: no claimReviewed text")
        found = _one(item, "reviewRating", where)
        rating: dict[str, Any] = found if isinstance(found, dict) else {}
        value = _number(_one(rating, "ratingValue"))
        best, worst = _number(_one(rating, "bestRating")), _number(_one(rating, "worstRating"))
        label = _name(_one(rating, "alternateName")) or (
            f"{value:g}" if value is not None else None
        )
        if not label:
            raise InvalidInput(f"review {number}: reviewRating has no alternateName or ratingValue")
        url = _one(item, "url") if isinstance(_one(item, "url"), str) else None
        build.once("the same review of the same claim", f"{text}\n{url}\n{label}", number, "review")
        published = _date(_one(item, "datePublished"))
        created = datetime.fromisoformat(published).replace(tzinfo=UTC) if published and len(
            published) == 10 else UNDATED  # fmt: skip
        stamp = {"created_at": created, "created_by": _name(item.get("author"))}
        records: list[AnyRecord] = []
        if build.first("label", label)[1]:
            polarity = _polarity(label, value, best, worst)
            records.append(LabelRecord(scale=SCALE, label=label, value=value, polarity=polarity))
        claim_id = build.next_id()
        reviewed = _one(item, "itemReviewed", where)
        records.append(ClaimRecord(id=claim_id, text=text, notes=f"ClaimReview {url or number}",
                                   **stamp))  # fmt: skip
        claimant = _name(reviewed.get("author")) if isinstance(reviewed, dict) else None
        for appearance in _appearances(reviewed) or [{}]:
            page = _one(appearance, "url")
            page = page if isinstance(page, str) else None
            # A stable key for the page the claim appeared on.
            digest = hashlib.sha1((page or "unknown").encode()).hexdigest()[:12]
            key = f"web-{digest}" if page else "claimreview-unknown-appearance"
            source_id, new = build.first("source", key)
            if new:
                records.append(SourceRecord(
                    id=source_id, key=key, url=page, kind="other",
                    title=_name(_one(appearance, "headline")) or page or "Unknown appearance",
                    published=_date(_one(appearance, "datePublished")), **stamp,
                ))  # fmt: skip
            records.append(AppearanceRecord(
                id=build.next_id(), claim_id=claim_id, source_id=source_id, anchor_status="none",
                claimant=_name(appearance.get("author")) or claimant, **stamp,
            ))  # fmt: skip
        note = _one(rating, "ratingExplanation") or _one(item, "reviewBody")
        records.append(VerdictRecord(
            id=build.next_id(), claim_id=claim_id, scale=SCALE, label=label,
            note=note if isinstance(note, str) else None,
            evidence=[EvidenceRecord(url=url, note="the published review")] if url else [],
            **stamp,
        ))  # fmt: skip
        return records

    rows = (
        (number, item)
        for number, item in enumerate(reviews, start=1)
        if item.get("@factcheck") != REJECTED["@factcheck"]
    )
    yield from build.rows(rows, read_row, "review", set_aside)
