"""A document's bytes turned into a source's text and metadata: plain text as it is, Markdown
without its markup, HTML reduced to the article's main text by trafilatura (navigation, ads,
comments and footers left out) with the metadata the page declares.

A file or page that is binary, undecodable, or HTML with no article text in it is an error:
nothing is stored from it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from factcheck.errors import InvalidInput
from factcheck.limits import NAME, TEXT
from factcheck.vocab import DocumentFormat

if TYPE_CHECKING:
    from factcheck.services.versions import Provenance

_SUFFIXES: dict[str, DocumentFormat] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}
# The media types a page may be served as, and the format each is read as.
MEDIA_TYPES: dict[str, DocumentFormat] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
}
# How a document that names no format is recognised as HTML: it opens with a doctype or a tag
# that only HTML documents open with (after any BOM, whitespace or comment).
_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b",
    re.IGNORECASE | re.DOTALL,
)
# The BOMs that say how a document is encoded, whatever else it declares (as browsers do).
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">,
# looked for where browsers look: the first 1024 bytes (a little more, for long heads).
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_PRESCAN = 4096
_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass(frozen=True)
class Document:
    """What a document gave: its text and the metadata found in it (None where none was)."""

    text: str
    format: DocumentFormat
    title: str | None = None
    author: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None


def detect_format(name: str, data: bytes, media_type: str | None = None) -> DocumentFormat:
    """The format of a document: from the media type it was served as, else its file name's
    suffix, else HTML when it opens as HTML does, else plain text."""
    if media_type is not None and media_type in MEDIA_TYPES:
        return MEDIA_TYPES[media_type]
    suffix = PurePath(name).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    return "html" if _HTML_START.match(data[:_PRESCAN]) else "text"


def _codec(charset: str, name: str) -> str:
    try:
        return codecs.lookup(charset).name
    except LookupError:
        raise InvalidInput(f"{name} declares an unknown character set {charset!r}") from None


def decode(data: bytes, name: str, fmt: DocumentFormat, charset: str | None = None) -> str:
    """A document's text from its bytes: a BOM decides the encoding, else the charset it was
    served with, else (HTML) the one its <meta> declares, else UTF-8. Undecodable bytes, NUL
    characters (a binary file) or nothing but whitespace are errors."""
    encoding = label = None
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], bom_encoding
            break
    if encoding is None and charset:
        encoding, label = _codec(charset, name), charset
    if encoding is None and fmt == "html":
        declared = _META_CHARSET.search(data[:_PRESCAN])
        if declared:
            label = declared.group(1).decode("ascii")
            encoding = _codec(label, name)
            if encoding.startswith("utf-16"):
                # A <meta> readable as ASCII cannot be UTF-16: browsers read UTF-8 (WHATWG).
                encoding, label = "utf-8", None
    encoding = encoding or "utf-8"
    if b"\x00" in data and not encoding.startswith("utf-16"):
        raise InvalidInput(f"{name} looks like a binary file (it contains NUL bytes)")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        shown = "UTF-8" if encoding == "utf-8" else (label or encoding)
        raise InvalidInput(
            f"{name} is not valid {shown} (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            hint="convert it first, e.g. `iconv -f WINDOWS-1252 -t UTF-8`",
        ) from exc
    if "\x00" in text:
        raise InvalidInput(f"{name} looks like a binary file (it contains NUL characters)")
    if not text.strip():
        raise InvalidInput(f"{name} is empty", hint="omit --file to add a source without text")
    return text


def read_document(
    data: bytes,
    name: str,
    fmt: DocumentFormat | None = None,
    *,
    media_type: str | None = None,
    charset: str | None = None,
    url: str | None = None,
) -> Document:
    """The text and metadata of a document's bytes (`name` says where they came from, in
    errors; `url` is where a page was fetched from, for the links it makes relative)."""
    fmt = fmt or detect_format(name, data, media_type)
    text = decode(data, name, fmt, charset)
    if fmt == "html":
        return _html(text, name, url)
    if fmt == "markdown":
        return _markdown(text, name)
    return Document(text=text, format="text")


def _fits(value: Any, limit: int) -> str | None:
    """A metadata value found in a page, if it is one line within the limit (a page's metadata
    is what it declares, not what the user typed: a value unfit to store is left out)."""
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value if value and len(value) <= limit else None


# What is left of a page with no article in it (a home page, an index, a login wall) is the odd
# menu entry or button: an article has at least a sentence, and more than a few words in all.
_MIN_WORDS = 20
_MIN_SENTENCE_WORDS = 6


def _is_prose(text: str) -> bool:
    lines = [len(line.split()) for line in text.splitlines()]
    return sum(lines) >= _MIN_WORDS and max(lines, default=0) >= _MIN_SENTENCE_WORDS


def _html(text: str, name: str, url: str | None) -> Document:
    # trafilatura imports lxml and its helpers (a tenth of a second): only when HTML is read.
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(text)
    if tree is None:
        raise InvalidInput(f"{name} is not an HTML document factcheck can read")
    language = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    found = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )
    body = getattr(found, "text", None) if found is not None else None
    if not body or not _is_prose(body):
        raise InvalidInput(
            f"no article text found in {name}",
            hint="save the article's text to a file and add it with --file NAME --format text",
        )
    date = _fits(getattr(found, "date", None), 10)
    return Document(
        text=body,
        format="html",
        title=_fits(getattr(found, "title", None), TEXT.value),
        author=_fits(getattr(found, "author", None), NAME.value),
        published=date if date and _PARTIAL_DATE.fullmatch(date) else None,
        outlet=_fits(getattr(found, "sitename", None), NAME.value),
        url=_fits(getattr(found, "url", None), TEXT.value),
        language=_fits(language, 20),
    )


# YAML front matter, as static-site generators write it: `---`, `key: value` lines, `---`.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_FIELDS = {
    "title": "title",
    "author": "author",
    "date": "published",
    "published": "published",
    "outlet": "outlet",
    "site": "outlet",
    "url": "url",
    "canonical_url": "url",
    "lang": "language",
    "language": "language",
}


def _markdown(text: str, name: str) -> Document:
    """Markdown's text without its markup: paragraphs, headings, list items, quotations and code
    as the reader sees them, link and image text kept, addresses dropped."""
    from markdown_it import MarkdownIt

    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        text = text[front.end() :]
        for line in front.group(1).splitlines():
            key, _, value = line.partition(":")
            field = _FRONT_FIELDS.get(key.strip().lower())
            value = value.strip().strip("\"'")
            if field and value and field not in meta:
                meta[field] = value
    blocks: list[str] = []
    title = None
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    for i, token in enumerate(tokens):
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
            block = "".join(parts).strip()
            if block:
                blocks.append(block)
                if title is None and i > 0 and tokens[i - 1].tag == "h1":
                    title = block
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(token.content.rstrip("\n"))
    body = "\n\n".join(blocks)
    if not body.strip():
        raise InvalidInput(f"{name} has no text outside its Markdown markup")
    date = meta.get("published", "")[:10]
    document = Document(text=body, format="markdown", title=title)
    return replace(
        document,
        title=_fits(meta.get("title"), TEXT.value) or title,
        author=_fits(meta.get("author"), NAME.value),
        published=date if _PARTIAL_DATE.fullmatch(date) else None,
        outlet=_fits(meta.get("outlet"), NAME.value),
        url=_fits(meta.get("url"), TEXT.value),
        language=_fits(meta.get("language"), 20),
    )


def file_document(
    data: bytes, name: str, fmt: DocumentFormat | None = None
) -> tuple[Document, Provenance]:
    """A file's bytes as a document, and its provenance (the sha256 of the bytes, when read)."""
    import hashlib
    from datetime import UTC, datetime

    from factcheck.services.versions import Provenance

    document = read_document(data, name, fmt)
    how = Provenance(
        format=document.format,
        fetched_sha256=hashlib.sha256(data).hexdigest(),
        fetched_at=datetime.now(UTC),
    )
    return document, how
