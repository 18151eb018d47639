"""Realistic news pages for the tests of `source add --file/--url`: an article's text wrapped in
the markup a news site serves (navigation, a cookie banner, ads, related links, comments, a
footer) with its metadata where sites put it (JSON-LD, OpenGraph, <meta> tags), and a local
HTTP server on 127.0.0.1 that serves them. No test reaches the internet.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Boilerplate every page carries; none of it may end up in a source's text.
BOILERPLATE = (
    "Subscribe for unlimited access",
    "We use cookies to improve your experience",
    "Advertisement: Save 50% on flights",
    "Most read this week",
    "Comments are moderated",
    "All rights reserved",
)


def paragraphs(seed: str) -> list[str]:
    """The paragraphs of a seed article (by file name prefix: "001")."""
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    return [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]


@dataclass
class Article:
    title: str
    body: list[str]
    author: str | None = "Faisal Khan"
    published: str | None = "2020-01-04"
    outlet: str = "The Gulf Observer"
    url: str = "https://news.example.org/2020/01/04/soleimani-killing"
    language: str = "en"
    extra_head: str = ""
    charset: str = "utf-8"
    comments: list[str] = field(
        default_factory=lambda: ["Great piece, thanks.", "Comments are moderated. Be civil."]
    )

    def html(self) -> str:
        e = html.escape
        json_ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title,
            "datePublished": f"{self.published}T08:30:00Z" if self.published else None,
            "author": [{"@type": "Person", "name": self.author}] if self.author else [],
            "publisher": {"@type": "Organization", "name": self.outlet},
            "mainEntityOfPage": self.url,
        }
        body = "\n".join(f"      <p>{e(p)}</p>" for p in self.body)
        comments = "\n".join(f'      <li class="comment">{e(c)}</li>' for c in self.comments)
        byline = (
            f'<p class="byline">By <a rel="author" href="/authors/x">{e(self.author)}</a></p>'
            if self.author
            else ""
        )
        return f"""<!DOCTYPE html>
<html lang="{self.language}">
<head>
  <meta charset="{self.charset}">
  <title>{e(self.title)} | {e(self.outlet)}</title>
  <link rel="canonical" href="{e(self.url)}">
  <meta property="og:title" content="{e(self.title)}">
  <meta property="og:site_name" content="{e(self.outlet)}">
  <meta property="og:type" content="article">
  <meta property="og:url" content="{e(self.url)}">
  {f'<meta name="author" content="{e(self.author)}">' if self.author else ""}
  {
            f'<meta property="article:published_time" content="{self.published}T08:30:00Z">'
            if self.published
            else ""
        }
  <script type="application/ld+json">{json.dumps(json_ld)}</script>
  <script>window.dataLayer = [];
    function track(){{return "Subscribe for unlimited access";}}</script>
  <style>.ad{{display:block}}</style>
  {self.extra_head}
</head>
<body>
  <div class="cookie-banner" id="consent">We use cookies to improve your experience.
    <button>Accept all</button></div>
  <header class="site-header">
    <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
      <li><a href="/politics">Politics</a></li><li><a href="/subscribe">Subscribe for unlimited
      access</a></li></ul></nav>
  </header>
  <main>
    <article class="story">
      <h1 class="headline">{e(self.title)}</h1>
      {byline}
      <time datetime="{self.published or ""}">{self.published or ""}</time>
      <div class="story-body">
{body}
      </div>
    </article>
    <aside class="ad" id="ad-slot-1"><p>Advertisement: Save 50% on flights</p></aside>
    <aside class="related"><h2>Most read this week</h2>
      <ul><li><a href="/a">Oil prices jump</a></li><li><a href="/b">Markets steady</a></li></ul>
    </aside>
    <section id="comments" class="comments"><h2>Comments</h2><ul>
{comments}
    </ul></section>
  </main>
  <footer class="site-footer"><p>© 2020 {e(self.outlet)}. All rights reserved.</p>
    <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body>
</html>
"""


def news_page(seed: str = "001", **overrides: object) -> Article:
    """A seed article as a news site would serve it (its own first line as the title when the
    seed has one, as 001 and 004 do)."""
    body = paragraphs(seed)
    title = "Iran and the killing of Qassem Soleimani"
    if seed == "001":
        title, body = body[0], body[2:]  # title, "Faisal Khan\n4 min read...", then the text
    elif seed == "004":
        title, body = body[0], body[1:]
    return Article(title=title, body=body, **overrides)  # type: ignore[arg-type]


# --- a local web server ---------------------------------------------------------------------

# A route's answer: status, headers, body (or a callable that writes the body itself).
Answer = tuple[int, dict[str, str], bytes | Callable[[BaseHTTPRequestHandler], None]]


class Site:
    """Pages served on 127.0.0.1 by path; `url(path)` is where a test fetches them."""

    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.port = 0

    def page(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8",
             status: int = 200, headers: dict[str, str] | None = None) -> str:  # fmt: skip
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": content_type, **(headers or {})}, data)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        self.routes[path] = (status, {"Location": to}, b"")
        return self.url(path)

    def custom(self, path: str, answer: Answer) -> str:
        self.routes[path] = answer
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextmanager
def serving() -> Iterator[Site]:
    """A site on a free port of 127.0.0.1, in a thread, for the duration of the block."""
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = site.routes.get(
                self.path, (404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
            )
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if callable(body):
                self.end_headers()
                body(self)
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that stops reading at its size limit resets the connection

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
