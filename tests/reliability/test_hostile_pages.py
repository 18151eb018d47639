"""Hostile documents and pages for `source add --file/--url` and `source refresh`: binary files,
HTML with no article in it, pages over the size limit, undecodable or unknown charsets,
redirect loops, unreachable hosts, 404s, slow servers, non-HTML content, other schemes. Each
ends in one `Error:` line, exit 1, and the database as it was. Pages come from a server on
127.0.0.1 started here; nothing reaches the internet."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.helpers import dump, fails, ok, table_rows
from tests.helpers.pages import Site, news_page, serving

pytestmark = pytest.mark.hostile

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
EMPTY_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Home | The Gulf Observer</title>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="ad">Advertisement</div><footer>All rights reserved</footer></body></html>"""


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _slow(handler: BaseHTTPRequestHandler) -> None:
    # Answers a byte at a time, slower than the fetch's time limit allows in all.
    for _ in range(40):
        handler.wfile.write(b"<")
        handler.wfile.flush()
        time.sleep(0.1)


def _files(tmp: Path) -> dict[str, tuple[Path, str]]:
    """Files `source add --file` must refuse, and a word of the error each must give."""
    cases = {
        "binary.png": (PNG, "binary"),
        "nul.txt": (b"text\x00more", "binary"),
        "latin1.txt": ("caf\u00e9".encode("latin-1"), "not valid UTF-8"),
        "empty-article.html": (EMPTY_PAGE.encode(), "no article text"),
        "bad-charset.html": (
            news_page("003", charset="x-no-such-charset").html().encode(),
            "unknown character set",
        ),
        "lying-charset.html": (
            news_page("003", charset="utf-8").html().encode("utf-16-le"),
            "binary",
        ),
        "markup-only.md": (b"---\ntitle: x\n---\n\n<!-- -->\n\n***\n", "no text"),
        "blank.html": (b"   \n", "empty"),
    }
    made = {}
    for name, (data, word) in cases.items():
        path = tmp / name
        path.write_bytes(data)
        made[name] = (path, word)
    return made


def _pages(site: Site) -> dict[str, tuple[str, str]]:
    """Addresses `source add --url` must refuse, and a word of the error each must give."""
    big = news_page("002")
    big.body = big.body * 400  # some 4 MB of article, over the 1 MiB limit set below
    return {
        "404": (site.page("/gone", "<h1>Not found</h1>", status=404), "404"),
        "500": (site.page("/broken", "oops", status=500), "500"),
        "png": (site.page("/logo.png", PNG, "image/png"), "image/png"),
        "pdf": (site.page("/report.pdf", b"%PDF-1.7", "application/pdf"), "application/pdf"),
        "binary as html": (site.page("/bin", PNG, "text/html"), "binary"),
        "no article": (site.page("/home", EMPTY_PAGE), "no article text"),
        "too big": (site.page("/big", big.html()), "over the limit"),
        "too big, no length": (
            site.custom("/stream", (200, {"Content-Type": "text/html"}, _endless)),
            "over the limit",
        ),
        "undecodable": (
            site.page(
                "/latin",
                news_page("001").html().encode("utf-8") + b"\xff\xfe\xfa",
                "text/html; charset=utf-8",
            ),
            "not valid UTF-8",
        ),
        "unknown charset": (
            site.page("/x", news_page("001").html(), "text/html; charset=x-klingon"),
            "unknown character set",
        ),
        "redirect loop": (
            (site.redirect("/loop-a", "/loop-b"), site.redirect("/loop-b", "/loop-a"))[0],
            "redirect loop",
        ),
        "redirect elsewhere": (site.redirect("/ftp", "ftp://127.0.0.1/file"), "not http"),
        "slow": (site.custom("/slow", (200, {"Content-Type": "text/html"}, _slow)), "within"),
        "unreachable": (f"http://127.0.0.1:{_closed_port()}/story", "cannot reach"),
        "no such host": ("http://no-such-host.invalid/story", "cannot reach"),
        "ftp": ("ftp://127.0.0.1/story.html", "is not a web address"),
        "file": ("file:///etc/passwd", "is not a web address"),
        "javascript": ("javascript:alert(1)", "is not a web address"),
        "no host": ("http:///story", "is not a web address"),
    }


def _endless(handler: BaseHTTPRequestHandler) -> None:
    chunk = b"<p>" + b"x" * 65_536 + b"</p>"
    try:
        for _ in range(100):  # some 6.5 MB with no Content-Length
            handler.wfile.write(chunk)
    except OSError:
        pass  # the client stopped reading at its limit


def _snapshot(backend: str, db_path: Path) -> object:
    return dump(db_path) if backend == str(db_path) else table_rows(backend)


def test_hostile_documents_and_pages(
    backend: str, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    show: Callable[[str], None],
) -> None:  # fmt: skip
    monkeypatch.setenv("FACTCHECK_MAX_PAGE_MB", "1")
    monkeypatch.setenv("FACTCHECK_FETCH_TIMEOUT", "2")
    with serving() as site:
        good = site.page("/story", news_page("003").html())
        ok("source", "add", "--url", good, "--key", "politico")
        ok("claim", "add", "No chance", "--source", "politico",
           "--quote", "Theres no chance in hell Iran wont respond")  # fmt: skip
        before = _snapshot(backend, db_path)
        runs = 0
        for name, (path, word) in _files(tmp_path).items():
            for command in (
                ("source", "add", "--title", "T", "--file", str(path)),
                ("source", "refresh", "politico", "--file", str(path)),
                ("source", "edit", "politico", "--file", str(path)),
            ):
                error = fails(*command).stderr
                assert word in error, (name, command, error)
                runs += 1
        for name, (url, word) in _pages(site).items():
            error = fails("source", "add", "--url", url, "--title", "T").stderr
            assert word in error, (name, error)
            assert len(error.strip().splitlines()) <= 2  # the error and perhaps a hint
            runs += 1
        # The same pages served where a source's page was: refresh refuses them too.
        for path, replacement in (("/story", PNG), ("/story", EMPTY_PAGE.encode())):
            site.page(path, replacement, "text/html")
            fails("source", "refresh", "politico")
            runs += 1
        site.redirect("/story", "/story")
        assert "redirect loop" in fails("source", "refresh", "politico").stderr
        runs += 1
        assert _snapshot(backend, db_path) == before
    show(f"{runs} hostile documents and pages, each refused in one line, nothing stored")


def test_meta_charset_utf16_is_read_as_utf8(tmp_path: Path) -> None:
    page = news_page("004", charset="utf-16")
    path = tmp_path / "a.html"
    path.write_bytes(page.html().encode("utf-8"))
    # A <meta> that can be read as ASCII is no UTF-16 document: read as UTF-8, as browsers do.
    ok("source", "add", "--file", str(path), "--key", "k")
    assert "Soleimani\u2019s military stratagem" in ok("source", "show", "k", "--text").stdout
