"""Fetching a web page for `source add --url` and `source refresh`, within bounds: http and
https only, a time limit for the whole fetch (FETCH_TIME), a size limit (PAGE), at most
MAX_REDIRECTS redirects, and only documents factcheck can read (HTML, plain text, Markdown).
Every way a fetch can fail is one InvalidInput line naming the address.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from factcheck import __version__
from factcheck.errors import InvalidInput
from factcheck.limits import FETCH_TIME, PAGE
from factcheck.services.documents import MEDIA_TYPES, Document, read_document
from factcheck.services.versions import Provenance
from factcheck.vocab import DocumentFormat

MAX_REDIRECTS = 10
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,text/markdown;q=0.8"


@dataclass(frozen=True)
class Fetched:
    """A page as fetched: the address asked for and the one answered after redirects, the
    bytes (decompressed), their sha256, the media type and charset served, and when."""

    url: str
    final_url: str
    data: bytes
    sha256: str
    media_type: str | None
    charset: str | None
    fetched_at: datetime


def check_url(url: str) -> str:
    """An address factcheck will fetch: absolute http or https with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        shown = f"{parts.scheme}:" if parts.scheme else "no scheme"
        raise InvalidInput(
            f"cannot fetch {url!r}: only http and https addresses are fetched ({shown})",
            hint="a local file is added with --file PATH",
        )
    if not parts.hostname:
        raise InvalidInput(f"cannot fetch {url!r}: the address has no host")
    return url.strip()


def fetch(url: str) -> Fetched:
    """GET the page at `url`, following redirects, or an InvalidInput saying why not."""
    import httpx  # only commands that fetch pay for importing it

    url = check_url(url)
    seconds = FETCH_TIME.value
    deadline = time.monotonic() + seconds
    headers = {"User-Agent": f"factcheck/{__version__}", "Accept": _ACCEPT}
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=httpx.Timeout(seconds),
                headers=headers,
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                raise InvalidInput(
                    f"cannot fetch {url}: the server answered {response.status_code} {reason}"
                )
            media_type, charset = _content_type(response.headers.get("content-type"))
            if media_type is not None and media_type not in MEDIA_TYPES:
                raise InvalidInput(
                    f"cannot fetch {url}: it is {media_type}, not an HTML page or text",
                    hint="a file saved from it can be added with --file PATH if it is text",
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > PAGE.value:
                raise PAGE.exceeded(f"the page at {url} ({int(declared):,} bytes)")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > PAGE.value:
                    raise PAGE.exceeded(f"the page at {url}")
                if time.monotonic() > deadline:
                    raise _too_slow(url)
                chunks.append(chunk)
            final_url = str(response.url)
    except httpx.TooManyRedirects:
        raise InvalidInput(
            f"cannot fetch {url}: redirected more than {MAX_REDIRECTS} times (a redirect loop?)"
        ) from None
    except httpx.TimeoutException:
        raise _too_slow(url) from None
    except httpx.UnsupportedProtocol:
        raise InvalidInput(
            f"cannot fetch {url}: it redirects to an address that is not http or https"
        ) from None
    except httpx.ConnectError as exc:
        reason = _reason(exc)
        raise InvalidInput(f"cannot fetch {url}: cannot reach the server ({reason})") from None
    except httpx.HTTPError as exc:
        raise InvalidInput(f"cannot fetch {url}: {_reason(exc)}") from None
    data = b"".join(chunks)
    return Fetched(
        url=url,
        final_url=final_url,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media_type,
        charset=charset,
        fetched_at=datetime.now(UTC),
    )


def _too_slow(url: str) -> InvalidInput:
    return InvalidInput(f"cannot fetch {url}: no complete answer within {FETCH_TIME.describe()}")


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    """The media type (lower case) and charset of a Content-Type header."""
    if not header:
        return None, None
    media_type, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type.lower() or None, charset


def _reason(exc: Exception) -> str:
    """An httpx error's reason, in one line, without the nested exception's class names."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return reason.removeprefix("[Errno -2] ").removeprefix("[Errno 111] ")


def fetch_document(url: str, fmt: DocumentFormat | None = None) -> tuple[Document, Provenance]:
    """The page at `url` as a document (HTML reduced to its main text), and its provenance."""
    page = fetch(url)
    document = read_document(
        page.data,
        page.url,
        fmt,
        media_type=page.media_type,
        charset=page.charset,
        url=page.final_url,
    )
    if document.url is None:
        document = replace(document, url=page.final_url)
    how = Provenance(
        format=document.format,
        origin=page.url,
        fetched_sha256=page.sha256,
        fetched_at=page.fetched_at,
    )
    return document, how
