"""Rendering of reports into their file formats (pure functions of the report models), and the
few rules of presentation that the terminal views of records share with them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from factcheck.text import visible

if TYPE_CHECKING:
    from factcheck.schemas import AppearanceOut


def plural(n: int, noun: str) -> str:
    """`1 claim`, `2 claims`, `3 entities`."""
    if n != 1:
        noun = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {noun}"


def speaker(a: AppearanceOut) -> str:
    """Who makes the claim where it appears: the claimant recorded; else the source's author
    (whom a new appearance names by default) or, failing that, its outlet, since they speak for
    it; else `unknown claimant`."""
    if a.claimant:
        return a.claimant
    if a.source_author:
        return a.source_author
    if a.source_outlet:
        return f"{a.source_outlet} (outlet)"
    return "unknown claimant"


_WEB = re.compile(r"https?://", re.IGNORECASE)
# Kept as they are in a link's target: the characters of a URL that end or break neither a
# Markdown link nor an HTML attribute (escaped there as any text is). Parentheses, spaces,
# angle brackets, backslashes, quotes, control and non-ASCII characters are percent-encoded,
# which leaves the address the same.
_SAFE_IN_LINK = "/:?#[]@!$&*+,;=%-._~"


def link_target(url: str | None) -> str | None:
    """Where a link to `url` may point in a Markdown or HTML report, or None: web addresses
    only, since a `javascript:` or `data:` address stored as a source's URL would run in the
    reader's browser."""
    if url is None or not _WEB.match(url):
        return None
    from urllib.parse import quote

    return quote(url, safe=_SAFE_IN_LINK)


def markdown_text(value: str) -> str:
    """Inline Markdown text: characters that would start markup are escaped, control characters
    shown as escapes (as in the text report)."""
    escaped = visible(value).replace("\\", "\\\\")
    for char in "*_`[]<>|#":
        escaped = escaped.replace(char, "\\" + char)
    return " ".join(escaped.split())


def markdown_link(text: str, url: str | None) -> str:
    """`text` as Markdown, a link to `url` when that is a web address."""
    target = link_target(url)
    return f"[{markdown_text(text)}]({target})" if target else markdown_text(text)
