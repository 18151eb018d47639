"""Versions of a source's text: each text a source has had is kept (`source_versions`), and a
new text re-verifies every quote anchored in the source, with an edit report of what moved,
changed or vanished.

Offsets follow the current text: a quote found again is re-anchored (its appearance's offsets,
prefix and suffix now point into the new text); a quote no longer found keeps its words and
loses its offsets (unanchored). The old offsets are not lost: the appearance's update is in the
history with its old values, and the earlier text they point into is the earlier version.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from factcheck import text as textlib
from factcheck.db.store import Store
from factcheck.schemas import Output, VersionOut
from factcheck.vocab import DocumentFormat

# A passage at least this similar to a quote no longer found is the quote, reworded: shown as
# changed, with the new wording; a less similar one is no trace of it (vanished).
CHANGED_SIMILARITY = 0.75

QuoteFate = Literal["unchanged", "moved", "changed", "vanished", "found"]


@dataclass(frozen=True)
class Provenance:
    """Where a text came from: the format read, the address fetched (None for a file), the
    sha256 of the bytes fetched or read, and when."""

    format: DocumentFormat = "text"
    origin: str | None = None
    fetched_sha256: str | None = None
    fetched_at: datetime | None = None


class QuoteEdit(Output):
    """What became of one anchored quote in the new text."""

    appearance_id: int
    claim_id: int
    fate: QuoteFate
    quote: str
    old_start: int | None
    old_end: int | None
    start: int | None
    end: int | None
    # The new text's passage, when it differs from the quote (changed).
    passage: str | None = None
    similarity: float | None = None


class EditReport(Output):
    """A source's text compared with the text it had: its versions, and each quote's fate."""

    source_id: int
    source_key: str
    title: str
    changed: bool
    old_version: int | None
    new_version: int | None
    old_sha256: str | None
    new_sha256: str | None
    origin: str | None = None
    fetched_at: datetime | None = None
    quotes: list[QuoteEdit]

    def count(self, fate: QuoteFate) -> int:
        return sum(1 for q in self.quotes if q.fate == fate)


def _insert(store: Store, source_id: int, number: int, text: str, how: Provenance) -> None:
    from factcheck.services.sources import sha256

    store.insert(
        "source_versions",
        {
            "source_id": source_id,
            "number": number,
            "text": text,
            "text_sha256": sha256(text),
            "format": how.format,
            "origin": how.origin,
            "fetched_sha256": how.fetched_sha256,
            "fetched_at": _stored_time(store, how.fetched_at),
            "created_at": store.now(),
            "created_by": store.actor,
        },
    )


def _stored_time(store: Store, moment: datetime | None) -> Any:
    if moment is None or store.dialect != "sqlite":
        return moment
    return moment.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def first_version(store: Store, source_id: int, text: str, how: Provenance) -> None:
    """Version 1 of a source added with a text."""
    _insert(store, source_id, 1, text, how)


def replace_text(store: Store, source_id: int, new_text: str, how: Provenance) -> EditReport:
    """Make `new_text` the source's text, as a new version (the text it had becomes version 1
    if it had none), and re-verify every quote anchored in it. An unchanged text changes
    nothing."""
    from factcheck.services.sources import sha256

    row = store.row(
        "SELECT key, title, text, text_sha256 FROM sources WHERE id = :id", {"id": source_id}
    )
    assert row is not None  # the caller found it in this transaction
    key, title, old_text, old_sha = row
    latest = store.value(
        "SELECT max(number) FROM source_versions WHERE source_id = :id", {"id": source_id}
    )
    report = EditReport(
        source_id=source_id,
        source_key=key,
        title=title,
        changed=new_text != old_text,
        old_version=latest,
        new_version=latest,
        old_sha256=old_sha,
        new_sha256=sha256(new_text),
        origin=how.origin,
        fetched_at=how.fetched_at,
        quotes=[],
    )
    if not report.changed:
        return report
    if latest is None and old_text is not None:
        # A text from before versions were kept (or from an import without them).
        _insert(store, source_id, 1, old_text, Provenance())
        latest = 1
    number = (latest or 0) + 1
    _insert(store, source_id, number, new_text, how)
    store.run(
        "UPDATE sources SET text = :text, text_sha256 = :sha WHERE id = :id",
        {"text": new_text, "sha": report.new_sha256, "id": source_id},
    )
    report.old_version, report.new_version = latest, number
    appearances = store.rows(
        "SELECT id, claim_id, quote, quote_entered, quote_start, quote_end, anchor_status "
        "FROM appearances WHERE source_id = :id AND quote IS NOT NULL ORDER BY id",
        {"id": source_id},
    )
    for row in appearances:
        edit, columns = _reverify(new_text, *row)
        if edit is not None:
            report.quotes.append(edit)
        if columns is not None:
            assignments = ", ".join(f"{column} = :{column}" for column in columns)
            store.run(
                f"UPDATE appearances SET {assignments} WHERE id = :id", {**columns, "id": row[0]}
            )
    return report


_UNANCHORED = {"quote_start": None, "quote_end": None, "prefix": None, "suffix": None,
               "anchor_status": "unanchored"}  # fmt: skip


def _reverify(
    text: str,
    appearance_id: int,
    claim_id: int,
    quote: str,
    entered: str | None,
    start: int | None,
    end: int | None,
    status: str,
) -> tuple[QuoteEdit | None, dict[str, Any] | None]:
    """A quote's fate in the new text, and its appearance's new selector columns (None: as
    they are). What the user typed is what is looked for, as when it was first anchored."""
    typed = entered or quote
    anchored = status in ("exact", "normalised")
    edit = QuoteEdit(appearance_id=appearance_id, claim_id=claim_id, fate="unchanged",
                     quote=quote, old_start=start, old_end=end, start=None, end=None)  # fmt: skip
    try:
        found = textlib.anchor(text, typed)
    except textlib.QuoteNotFound as exc:
        if not anchored:
            return None, None  # not in the old text either: nothing to report
        closest = exc.closest
        if closest is not None and closest.similarity >= CHANGED_SIMILARITY:
            edit.fate, edit.passage = "changed", closest.passage
            edit.similarity = round(closest.similarity, 3)
        else:
            edit.fate = "vanished"
        return edit, {**_UNANCHORED, "quote": typed, "quote_entered": None}
    edit.start, edit.end = found.start, found.end
    if not anchored:
        edit.fate = "found"
    elif found.exact != quote:
        edit.fate, edit.passage = "changed", found.exact
    elif (found.start, found.end) != (start, end):
        edit.fate = "moved"
    columns = {
        "quote": found.exact,
        "quote_entered": typed if typed != found.exact else None,
        "quote_start": found.start,
        "quote_end": found.end,
        "prefix": found.prefix,
        "suffix": found.suffix,
        "anchor_status": found.status,
    }
    return edit, columns


def versions(store: Store, source_id: int) -> list[VersionOut]:
    rows = store.rows(
        "SELECT number, text_sha256, length(text), format, origin, fetched_sha256, fetched_at, "
        "created_at, created_by FROM source_versions WHERE source_id = :id ORDER BY number",
        {"id": source_id},
    )
    return [
        VersionOut(
            number=number,
            text_sha256=digest,
            text_length=length,
            format=fmt,
            origin=origin,
            fetched_sha256=fetched,
            fetched_at=store.timestamp(fetched_at),
            created_at=store.timestamp(created_at),
            created_by=created_by,
        )
        for number, digest, length, fmt, origin, fetched, fetched_at, created_at, created_by in rows
    ]


def vanished_quotes(store: Store, claim_ids: Collection[int]) -> dict[int, tuple[int, int]]:
    """Of the appearances of these claims, those whose quote is no longer in their source's
    current text but was in an earlier version: appearance id -> (its claim's id, the last
    version that had it)."""
    if not claim_ids:
        return {}
    # Read from the other end: only the unanchored quotes of sources with an earlier version can
    # have vanished, few or none where a report may show a hundred thousand claims (whose ids as
    # an IN list of named parameters cost SQLite quadratic time to bind).
    rows = store.rows(
        "SELECT a.id, a.claim_id, a.source_id, coalesce(a.quote_entered, a.quote) "
        "FROM appearances a WHERE a.anchor_status = 'unanchored' AND a.source_id IN "
        "(SELECT source_id FROM source_versions WHERE number > 1) ORDER BY a.id"
    )
    earlier: dict[int, list[Sequence[Any]]] = {}
    found: dict[int, tuple[int, int]] = {}
    for appearance_id, claim_id, source_id, quote in rows:
        if claim_id not in claim_ids:
            continue
        if source_id not in earlier:
            earlier[source_id] = store.rows(
                "SELECT number, text FROM source_versions WHERE source_id = :id "
                "AND number < (SELECT max(number) FROM source_versions WHERE source_id = :id) "
                "ORDER BY number DESC",
                {"id": source_id},
            )
        for number, text in earlier[source_id]:
            try:
                textlib.anchor(text, quote)
            except textlib.QuoteNotFound:
                continue
            found[appearance_id] = (claim_id, number)
            break
    return found


def refresh_targets(
    store: Store, ref: str | None, needs_address: bool
) -> list[tuple[int, str, str | None]]:
    """(id, key, address to fetch) of the source named, or of every source with an address:
    the address its text was last fetched from, else its URL."""
    from factcheck.errors import InvalidInput
    from factcheck.services.refs import find_source

    address = (
        "coalesce((SELECT v.origin FROM source_versions v WHERE v.source_id = s.id "
        "AND v.origin IS NOT NULL ORDER BY v.number DESC LIMIT 1), s.url)"
    )
    if ref is None:
        rows = store.rows(f"SELECT s.id, s.key, {address} FROM sources s ORDER BY s.id")
        return [(id_, key, url) for id_, key, url in rows if url is not None]
    found = find_source(store, ref)
    url = store.value(f"SELECT {address} FROM sources s WHERE s.id = :id", {"id": found.id})
    if url is None and needs_address:
        raise InvalidInput(
            f"source {found.key!r} has no web address to fetch",
            hint="read its file again with --file PATH",
        )
    return [(found.id, found.key, url)]
