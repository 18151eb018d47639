"""Sources: the documents claims appear in, with their text snapshots."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from pydantic import Field

from factcheck.db.store import Store
from factcheck.errors import Conflict
from factcheck.schemas import (
    Created,
    Page,
    PageIn,
    SourceEdit,
    SourceIn,
    SourceOut,
    SourceSummary,
)
from factcheck.services.claim_rows import trusted
from factcheck.services.paging import bounds, page_of
from factcheck.services.refs import find_source
from factcheck.services.versions import (
    EditReport,
    Provenance,
    first_version,
    replace_text,
    versions,
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = "-".join(words)[:60].strip("-")
    return slug if slug and not slug.isdigit() else f"source-{slug}".strip("-")


def _free_key(store: Store, base: str) -> str:
    taken = {
        key
        for (key,) in store.rows(
            "SELECT key FROM sources WHERE key LIKE :pattern", {"pattern": f"{base}%"}
        )
    }
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _ensure_free_key(store: Store, key: str) -> None:
    if store.value("SELECT id FROM sources WHERE key = :key", {"key": key}) is not None:
        raise Conflict(
            f"a source with key {key!r} already exists",
            hint="choose another --key, or omit it to derive one from the title",
        )


class SourceAdded(Created):
    """A new source, and warnings for stderr (see `_twins`), kept out of its JSON: `source add
    --json` prints `{"id": N}`, as every creating command does."""

    warnings: list[str] = Field(default_factory=list, exclude=True)


def _twins(store: Store, url: str | None, text_sha256: str | None, other_than: int) -> list[str]:
    """Warnings that another source has this URL or this very text: the same document logged
    twice, most likely, which splits its claims between two sources. Not refused: a wire story
    reprinted by two outlets, or a page archived at two addresses, can rightly be two sources."""
    warnings = []
    for column, value, what in (("url", url, "URL"), ("text_sha256", text_sha256, "text")):
        if value is None:
            continue
        row = store.row(
            f"SELECT id, key FROM sources WHERE {column} = :value AND id <> :id ORDER BY id",
            {"value": value, "id": other_than},
        )
        if row is not None:
            warnings.append(f"source {row[0]} ({row[1]}) has the same {what}: added twice?")
    return warnings


def add_source(store: Store, data: SourceIn, how: Provenance | None = None) -> SourceAdded:
    """A new source; its text, if it has one, is its version 1 (read as `how` says)."""
    text_sha256 = sha256(data.text) if data.text is not None else None
    if data.key is not None:
        _ensure_free_key(store, data.key)
        key = data.key
    else:
        key = _free_key(store, slugify(data.title))
    source_id = store.insert(
        "sources",
        {
            "key": key,
            "title": data.title,
            "url": data.url,
            "outlet": data.outlet,
            "author": data.author,
            "published": data.published,
            "kind": data.kind,
            "language": data.language,
            "text": data.text,
            "text_sha256": text_sha256,
            "notes": data.notes,
            "created_at": store.now(),
            "created_by": store.actor,
        },
    )
    if data.text is not None:
        first_version(store, source_id, data.text, how or Provenance())
    return SourceAdded(id=source_id, warnings=_twins(store, data.url, text_sha256, source_id))


# How many claims appear in the source `s` (a row of `sources AS s`).
_CLAIMS = "(SELECT count(DISTINCT a.claim_id) FROM appearances a WHERE a.source_id = s.id)"
_summary = trusted(SourceSummary)


def list_sources(store: Store, page: PageIn) -> Page[SourceSummary]:
    """Sources in the order they were added, with how many claims each has."""
    fields = tuple(SourceSummary.model_fields)

    def rows(offset: int, limit: int | None) -> list[SourceSummary]:
        found = store.rows(
            "SELECT s.id, s.key, s.title, s.outlet, s.author, s.published, s.kind, "
            f"{_CLAIMS} FROM sources s ORDER BY s.id{bounds(store, offset, limit)}"
        )
        return [_summary(dict(zip(fields, row, strict=True))) for row in found]

    return page_of(rows, lambda: int(store.value("SELECT count(*) FROM sources") or 0), page)


def show_source(store: Store, ref: str, with_text: bool = False) -> SourceOut:
    source_id = find_source(store, ref).id
    row = store.row(
        "SELECT s.id, s.key, s.title, s.outlet, s.author, s.published, s.kind, "
        f"{_CLAIMS}, s.url, s.language, s.notes, s.text_sha256, s.text, s.created_at, "
        "s.created_by FROM sources s WHERE s.id = :id",
        {"id": source_id},
    )
    assert row is not None  # found just now, in the same transaction
    (id_, key, title, outlet, author, published, kind, claims, url, language, notes) = row[:11]
    text_sha256, text, created_at, created_by = row[11:]
    return SourceOut.model_validate(
        {
            "id": id_,
            "key": key,
            "title": title,
            "outlet": outlet,
            "author": author,
            "published": published,
            "kind": kind,
            "claims": claims or 0,
            "url": url,
            "language": language,
            "notes": notes,
            "text_sha256": text_sha256,
            "text_length": len(text) if text is not None else None,
            "created_at": store.timestamp(created_at),
            "created_by": created_by,
            "text": text if with_text else None,
            "versions": versions(store, source_id),
        }
    )


class SourceEdited(SourceAdded):
    """A changed source; when its text changed, what happened to the quotes anchored in it."""

    reanchored: int = 0
    unanchored: list[int] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    edits: EditReport | None = None


def edit_source(
    store: Store, ref: str, data: SourceEdit, how: Provenance | None = None
) -> SourceEdited:
    """Change a source's metadata or text. A new text is a new version and re-verifies every
    quote anchored in the old one (services/versions.replace_text): found again (perhaps
    elsewhere) it is re-anchored, otherwise it becomes unanchored and is reported; what the
    user typed is never lost."""
    data.require_change()
    found = find_source(store, ref)
    source_id = found.id
    if data.key is not None and data.key != found.key:
        _ensure_free_key(store, data.key)
    changes: dict[str, Any] = data.model_dump(exclude_none=True, exclude={"text", "clear"})
    changes.update(dict.fromkeys(data.clear))
    result = SourceEdited(id=source_id)
    new_sha256 = sha256(data.text) if data.text is not None else None
    result.warnings += _twins(store, data.url, new_sha256, source_id)
    if changes:
        assignments = ", ".join(f"{column} = :{column}" for column in changes)
        store.run(f"UPDATE sources SET {assignments} WHERE id = :id", {**changes, "id": source_id})
    if data.text is None:
        return result
    report = replace_text(store, source_id, data.text, how or Provenance())
    if not report.changed:
        return result
    result.edits = report
    for edit in report.quotes:
        if edit.fate in ("changed", "vanished") and edit.start is None:
            result.unanchored.append(edit.appearance_id)
            result.warnings.append(
                f"appearance {edit.appearance_id} (claim {edit.claim_id}): quote no longer "
                "found in the new text; kept unanchored"
            )
        else:
            result.reanchored += 1
    return result
