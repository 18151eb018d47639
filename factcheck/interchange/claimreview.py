"""schema.org ClaimReview: a DataFeed for export, and a lenient reader for what fact-checkers
publish (appearance as a string, an object or a list; numbers as strings; no numeric scale; a
bare list, a single review or a DataFeed wrapper)."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from factcheck.errors import InvalidInput, SetAside
from factcheck.interchange.datasets import REJECTED, Builder, load_json, slug
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
from factcheck.vocab import EntityKind, Polarity

SCALE = "claimreview"
# For reviews that carry no date: a fixed moment, so that importing twice adds nothing.
UNDATED = datetime(1970, 1, 1, tzinfo=UTC)


# --- export ---------------------------------------------------------------------------------

# The verdict evidence that holds the page a review was published on (its `url`): the import
# writes it, the export reads it back.
REVIEW_PAGE = "the published review"
# The source of a claim whose review named no appearance: imported so that the claim has an
# appearance, never exported as if it were a work the claim appeared in.
UNKNOWN_APPEARANCE = "claimreview-unknown-appearance"
# schema.org's types for the entity kinds an author can have.
_AGENT_TYPES = {"person": "Person", "organisation": "Organization"}


def agent_type(kind: str, schema_type: str | None) -> str | None:
    """The schema.org type an entity is written with: the one it was read with, else its
    kind's (None for a place or another thing, which cannot author anything)."""
    return schema_type or _AGENT_TYPES.get(kind)


@dataclass(frozen=True)
class Known:
    """What the database knows beyond the claims: each scale's best and worst values, each
    source's author, and the schema.org type of each entity by name and alias (an author's
    type: see `agent_type`)."""

    scales: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    authors: dict[int, str | None] = field(default_factory=dict)
    kinds: dict[str, str | None] = field(default_factory=dict)

    def agent(self, name: str | None, default: str) -> dict[str, Any] | None:
        """An author with its schema.org type: the type the entity of that name was read with,
        else its kind's (a Person or an Organization), else `default`."""
        if not name:
            return None
        return {"@type": self.kinds.get(name) or default, "name": name}


def review(claim: ClaimOut, known: Known) -> dict[str, Any]:
    """One claim with a verdict as a ClaimReview item."""
    verdict = claim.verdict
    assert verdict is not None
    best, worst = known.scales.get(verdict.scale, (None, None))
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label}
    if verdict.value is not None:
        rating["ratingValue"] = verdict.value
        if best is not None:
            rating["bestRating"] = best
        if worst is not None:
            rating["worstRating"] = worst
    if verdict.note:
        rating["ratingExplanation"] = verdict.note
    # An appearance's author wrote the work the claim appeared in (the source's author, an
    # article quoting the claimant); the claim's own author, the claimant, is the Claim's. Both
    # are typed as a Person unless an entity of that name says otherwise.
    appearances: list[dict[str, Any]] = [
        {k: v for k, v in {
            "@type": "CreativeWork",
            "url": a.source_url,
            "headline": a.source_title,
            "datePublished": a.source_published,
            "author": known.agent(known.authors.get(a.source_id), "Person"),
            "text": a.quote,
            "identifier": a.source_key,
        }.items() if v is not None}
        for a in claim.appearances
        if a.source_key != UNKNOWN_APPEARANCE
    ]  # fmt: skip
    dated = sorted(
        (a for a in appearances if "datePublished" in a), key=lambda a: a["datePublished"]
    )
    item: dict[str, Any] = {"@type": "Claim"}
    if appearances:
        item["appearance"] = appearances
    first = dated[0] if dated else (appearances[0] if appearances else None)
    claimant = next((a.claimant for a in claim.appearances if a.claimant), None)
    if first is not None:
        item["firstAppearance"] = first
        if "datePublished" in first:
            item["datePublished"] = first["datePublished"]
    if claimant:
        item["author"] = known.agent(claimant, "Person")
    page = next((e.url for e in verdict.evidence if e.note == REVIEW_PAGE and e.url), None)
    # Publishers of reviews are nearly always organisations. A review read without its
    # publisher's name goes out without one: no name is made up.
    publisher = known.agent(verdict.created_by, "Organization")
    return {k: v for k, v in {
        "@type": "ClaimReview",
        "url": page,
        "identifier": f"urn:factcheck:claim:{claim.id}",
        "claimReviewed": claim.text,
        "datePublished": verdict.created_at.date().isoformat(),
        "author": publisher,
        "reviewRating": rating,
        "itemReviewed": item,
    }.items() if v is not None}  # fmt: skip


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
    """A rating's number, if it is one: "inf" and "nan" rate nothing and would name a scale."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


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


def _scale(publisher: str | None, value: float | None, best: float | None, worst: float | None
           ) -> str:  # fmt: skip
    """The scale a review's label belongs to. Publishers rate on scales of their own (one's
    "False" is 1 of 5, another's 4 of 6): a label with a value belongs to its publisher's scale
    with that range, which keeps the value, best and worst as published. Labels without a value
    share the one ClaimReview scale."""
    ranged = best is not None or worst is not None
    if value is None or not (publisher or ranged):
        return SCALE
    parts = [SCALE]
    if publisher:
        parts.append(slug(publisher) or hashlib.sha1(publisher.encode()).hexdigest()[:12])
    if ranged:
        # A bound left out is part of the scale too: a rating with only a best value keeps it
        # on a scale of its own rather than on one that has none (or another best).
        parts.append(f"{_bound(worst)}-to-{_bound(best)}")
    return "-".join(parts)


def _bound(value: float | None) -> str:
    return "any" if value is None else f"{value:g}"


def _appearances(item: Any) -> list[dict[str, Any]]:
    """The works a claim appeared in: its appearances (or its first appearance), and the page
    `itemReviewed.url` names, where some publishers put the post or speech the claim came
    from."""
    if not isinstance(item, dict):
        return []
    found = item.get("appearance") or _one(item, "firstAppearance") or []
    found = found if isinstance(found, list) else [found]
    works = [{"url": a} if isinstance(a, str) else a for a in found if isinstance(a, str | dict)]
    page = _one(item, "url")
    if isinstance(page, str) and page.strip() and all(_one(w, "url") != page for w in works):
        works.append({"url": page})
    return works


# schema.org's subtypes of Organization whose names do not end in "Organization".
_ORGANISATIONS = {"Airline", "Consortium", "Corporation", "FundingScheme", "LibrarySystem",
                  "LocalBusiness", "NGO", "OnlineBusiness", "PoliticalParty", "Project",
                  "WorkersUnion"}  # fmt: skip


def _entity(value: Any) -> tuple[str, EntityKind, str] | None:
    """An author's name, entity kind and schema.org type, when the author is typed as a Person
    or an Organization (or a kind of one, such as a NewsMediaOrganization): the kind is what
    factcheck knows of it, the type what the export writes back."""
    name = _name(value)
    found = value.get("@type") if isinstance(value, dict) and name else None
    types = [re.split(r"[/:#]", t)[-1] for t in (found if isinstance(found, list) else [found])
             if isinstance(t, str)]  # fmt: skip
    if name and "Person" in types:
        return name, "person", "Person"
    organisation = [t for t in types if t.endswith("Organization") or t in _ORGANISATIONS]
    if name and organisation and re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,99}", organisation[0]):
        return name, "organisation", organisation[0]
    return None


# The keys `_source_key` makes for works without a URL.
_MADE_KEY = re.compile(r"^claimreview-[0-9a-f]{12}$")


def _source_key(page: str | None, work: dict[str, Any]) -> str:
    """A stable key for the work a claim appeared in: its URL, else the identifier and headline
    it was published with (works without a URL stay apart), else the unknown appearance."""
    if page:
        return f"web-{hashlib.sha1(page.encode()).hexdigest()[:12]}"
    named = [_name(_one(work, "identifier")), _name(_one(work, "headline"))]
    if named[0] is not None and _MADE_KEY.match(named[0]):
        # The key this function made, written back by the export as the work's identifier:
        # read again, the work is the same source, not one keyed by that key.
        return named[0]
    if any(named):
        digest = hashlib.sha1("\n".join(n or "" for n in named).encode()).hexdigest()[:12]
        return f"claimreview-{digest}"
    return UNKNOWN_APPEARANCE


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
        # A review without a page (exported from a database) is told apart by its identifier.
        page_or_id = url or _name(_one(item, "identifier"))
        build.once("the same review of the same claim", f"{text}\n{page_or_id}\n{label}", number,
                   "review")  # fmt: skip
        published = _date(_one(item, "datePublished"))
        created = datetime.fromisoformat(published).replace(tzinfo=UTC) if published and len(
            published) == 10 else UNDATED  # fmt: skip
        publisher = _name(item.get("author"))
        stamp = {"created_at": created, "created_by": publisher}
        records: list[AnyRecord] = []
        scale = _scale(publisher, value, best, worst)
        if scale != SCALE and build.first("scale", scale)[1]:
            records.append(ScaleRecord(
                key=scale, best_value=best, worst_value=worst,
                name=f"{publisher or 'ClaimReview'} ratings" + (
                    f" ({_bound(worst)} to {_bound(best)})"
                    if best is not None or worst is not None else ""),
                description=f"Labels as {publisher or 'reviews'} published them in schema.org "
                "ClaimReview items, with their values.",
            ))  # fmt: skip
        if build.first("label", f"{scale}\n{label}")[1]:
            polarity = _polarity(label, value, best, worst)
            records.append(LabelRecord(scale=scale, label=label, value=value, polarity=polarity))
        reviewed = _one(item, "itemReviewed", where)
        reviewed = reviewed if isinstance(reviewed, dict) else {}
        # Typed authors (the claimant, the authors of the works it appeared in) become
        # entities, which keep their type; the claimant's is one of the claim's. A publisher
        # does only when typed as something other than a plain Organization: the export types a
        # publisher it knows nothing of so, and an entity would add nothing but a name (read
        # back, it would make an organisation of every researcher who set a verdict).
        works = _appearances(reviewed)
        entities: dict[str, int] = {}
        publisher_entity = _entity(_one(item, "author"))
        authors = [_entity(_one(reviewed, "author")), *(_entity(_one(w, "author")) for w in works)]
        if publisher_entity is not None and publisher_entity[2] != "Organization":
            authors.insert(0, publisher_entity)
        for named in authors:
            if named and named[0] not in entities:
                entity_id, entity = build.entity(named[0], named[1], [], None, named[2])
                if entity:
                    records.append(entity)
                entities[named[0]] = entity_id
        claimant = _name(reviewed.get("author"))
        claim_id = build.next_id("claim")
        records.append(ClaimRecord(
            id=claim_id, text=text, notes=f"ClaimReview {url or number}",
            entities=[entities[claimant]] if claimant in entities else [], **stamp,
        ))  # fmt: skip
        for appearance in works or [{}]:
            page = _one(appearance, "url")
            page = page if isinstance(page, str) and page.strip() else None
            key = _source_key(page, appearance)
            source_id, new = build.first("source", key)
            if new:
                records.append(SourceRecord(
                    id=source_id, key=key, url=page, kind="other",
                    author=_name(_one(appearance, "author")),
                    title=_name(_one(appearance, "headline")) or page or "Unknown appearance",
                    published=_date(_one(appearance, "datePublished")), **stamp,
                ))  # fmt: skip
            # What the claim said there, as given: there is no text of the page to find it in.
            quote = _one(appearance, "text")
            quote = quote if isinstance(quote, str) and quote.strip() else None
            records.append(AppearanceRecord(
                id=build.next_id("appearance"), claim_id=claim_id, source_id=source_id, quote=quote,
                anchor_status="unanchored" if quote else "none",
                # The claim's author made the claim; an appearance's author wrote the work it
                # appeared in (an article quoting the claimant): that is the source's author.
                claimant=claimant, **stamp,
            ))  # fmt: skip
        note = _one(rating, "ratingExplanation") or _one(item, "reviewBody")
        records.append(VerdictRecord(
            id=build.next_id("verdict"), claim_id=claim_id, scale=scale, label=label,
            note=note if isinstance(note, str) else None,
            evidence=[EvidenceRecord(url=url, note=REVIEW_PAGE)] if url else [],
            **stamp,
        ))  # fmt: skip
        return records

    rows = (
        (number, item)
        for number, item in enumerate(reviews, start=1)
        if item.get("@factcheck") != REJECTED["@factcheck"]
    )
    yield from build.rows(rows, read_row, "review", set_aside)
