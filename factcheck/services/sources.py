"""Sources: the documents claims appear in, with their text snapshots."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck.errors import Conflict, InvalidInput
from factcheck.models import Appearance, Source
from factcheck.schemas import (
    AppearanceIn,
    Created,
    Page,
    PageIn,
    SourceEdit,
    SourceIn,
    SourceOut,
    SourceSummary,
)
from factcheck.services.anchoring import anchor_columns
from factcheck.services.paging import select_page, shown
from factcheck.services.refs import get_source


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_text(data: bytes, name: str) -> str:
    """Source text from a file's bytes: UTF-8 only (a BOM is dropped), never binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{name} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            hint="convert it first, e.g. `iconv -f WINDOWS-1252 -t UTF-8`",
        ) from exc
    if "\x00" in text:
        raise InvalidInput(f"{name} looks like a binary file (it contains NUL bytes)")
    if not text.strip():
        raise InvalidInput(f"{name} is empty", hint="omit --file to add a source without text")
    return text


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = "-".join(words)[:60].strip("-")
    return slug if slug and not slug.isdigit() else f"source-{slug}".strip("-")


def _free_key(session: Session, base: str) -> str:
    taken = set(session.scalars(select(Source.key).where(Source.key.like(f"{base}%"))))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _ensure_free_key(session: Session, key: str) -> None:
    if session.scalar(select(Source.id).where(Source.key == key)) is not None:
        raise Conflict(
            f"a source with key {key!r} already exists",
            hint="choose another --key, or omit it to derive one from the title",
        )


def add_source(session: Session, data: SourceIn) -> Created:
    if data.key is not None:
        _ensure_free_key(session, data.key)
        key = data.key
    else:
        key = _free_key(session, slugify(data.title))
    source = Source(
        key=key,
        title=data.title,
        url=data.url,
        outlet=data.outlet,
        author=data.author,
        published=data.published,
        kind=data.kind,
        language=data.language,
        text=data.text,
        text_sha256=sha256(data.text) if data.text is not None else None,
        notes=data.notes,
        created_by=session.info.get("actor"),
    )
    session.add(source)
    session.flush()
    return Created(id=source.id)


def list_sources(session: Session, page: PageIn) -> Page[SourceSummary]:
    """Sources in the order they were added, with how many claims each has."""
    sources = select_page(session, select(Source).order_by(Source.id), page)
    rows = session.execute(
        select(Appearance.source_id, func.count(func.distinct(Appearance.claim_id)))
        .where(Appearance.source_id.in_(shown(select(Source.id).order_by(Source.id), page)))
        .group_by(Appearance.source_id)
    )
    counts = {source_id: count for source_id, count in rows}
    return sources.with_items(
        [
            SourceSummary.model_validate(source).model_copy(
                update={"claims": counts.get(source.id, 0)}
            )
            for source in sources.items
        ]
    )


def show_source(session: Session, ref: str, with_text: bool = False) -> SourceOut:
    source = get_source(session, ref)
    text = source.text
    claims = session.scalar(
        select(func.count(func.distinct(Appearance.claim_id))).where(
            Appearance.source_id == source.id
        )
    )
    return SourceOut.model_validate(
        {
            **{c: getattr(source, c) for c in SourceOut.model_fields if hasattr(source, c)},
            "claims": claims or 0,
            "text_length": len(text) if text is not None else None,
            "text": text if with_text else None,
        }
    )


class SourceEdited(Created):
    """A changed source; when its text changed, what happened to the quotes anchored in it."""

    reanchored: int = 0
    unanchored: list[int] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


def edit_source(session: Session, ref: str, data: SourceEdit) -> SourceEdited:
    """Change a source's metadata or text. A new text re-verifies every quote anchored in the
    old one: found again (perhaps elsewhere) it is re-anchored, otherwise it becomes unanchored
    and is reported; what the user typed is never lost."""
    source = get_source(session, ref)
    if data.key is not None and data.key != source.key:
        _ensure_free_key(session, data.key)
    changes = data.model_dump(exclude_none=True, exclude={"text"})
    for field, value in changes.items():
        setattr(source, field, value)
    result = SourceEdited(id=source.id)
    if data.text is not None and data.text != source.text:
        source.text = data.text
        source.text_sha256 = sha256(data.text)
        for appearance in source.appearances:
            if appearance.quote is None:
                continue
            typed = appearance.quote_entered or appearance.quote
            request = AppearanceIn(source=source.key, quote=typed, unanchored=True)
            notes: list[str] = []
            columns = anchor_columns(source, request, notes)
            if columns["anchor_status"] == "unanchored":
                result.unanchored.append(appearance.id)
                result.warnings.append(
                    f"appearance {appearance.id} (claim {appearance.claim_id}): quote no longer "
                    "found in the new text; kept unanchored"
                )
            else:
                result.reanchored += 1
            for column, value in columns.items():
                setattr(appearance, column, value)
    session.flush()
    return result
