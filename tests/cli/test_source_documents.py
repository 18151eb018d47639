"""`source add --file` with HTML and Markdown, and `source add --url` from a local web server:
the article's main text without the site's boilerplate, the page's metadata unless the user
gave it, and the fetch's provenance (address, time, sha256 of the bytes) in version 1."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from factcheck.services.documents import read_document
from tests.helpers import REPO, ok
from tests.helpers.pages import BOILERPLATE, news_page, paragraphs, serving

SEEDS = ("000", "001", "002", "003", "004")


def _show(key: str) -> dict[str, object]:
    shown: dict[str, object] = ok("source", "show", key, "--json").json()
    return shown


@pytest.mark.parametrize("seed", SEEDS)
def test_html_gives_the_article_without_the_boilerplate(seed: str) -> None:
    page = news_page(seed)
    document = read_document(page.html().encode(), "page.html")
    assert document.format == "html"
    for paragraph in page.body:
        # trafilatura folds runs of spaces, as a browser shows them.
        assert " ".join(paragraph.split()) in document.text
    for line in BOILERPLATE:
        assert line not in document.text
    assert "Great piece, thanks." not in document.text  # a reader's comment
    assert (document.title, document.author, document.published) == (
        page.title,
        "Faisal Khan",
        "2020-01-04",
    )
    assert (document.outlet, document.url, document.language) == (
        "The Gulf Observer",
        page.url,
        "en",
    )


def test_add_html_file_takes_metadata_and_options_win(tmp_path: Path) -> None:
    page = news_page("003", author="Nahal Toosi", language="en-US")
    path = tmp_path / "politico.html"
    path.write_text(page.html(), encoding="utf-8")
    ok("source", "add", "--file", str(path), "--key", "politico", "--outlet", "POLITICO")
    shown = _show("politico")
    assert shown["title"] == page.title
    assert (shown["author"], shown["published"], shown["language"]) == (
        "Nahal Toosi",
        "2020-01-04",
        "en-US",
    )
    assert shown["outlet"] == "POLITICO"  # given: wins over the page's og:site_name
    assert shown["url"] == page.url  # the canonical address
    [version] = shown["versions"]  # type: ignore[misc]
    assert version["format"] == "html"
    assert version["fetched_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert version["origin"] is None
    # Quotes anchor in the extracted text, apostrophes lost and all.
    ok("claim", "add", "No chance", "--source", "politico",
       "--quote", "Theres no chance in hell Iran wont respond")  # fmt: skip


def test_format_given_overrides_detection(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(news_page("004").html(), encoding="utf-8")
    ok("source", "add", "--title", "As text", "--file", str(path), "--key", "raw")
    assert "<!DOCTYPE html>" in ok("source", "show", "raw", "--text").stdout
    ok("source", "add", "--file", str(path), "--format", "html", "--key", "read")
    assert _show("read")["title"] == news_page("004").title


def test_markdown_without_markup(tmp_path: Path) -> None:
    body = paragraphs("002")
    path = tmp_path / "essay.md"
    path.write_text(
        "---\ntitle: After Soleimani\nauthor: Hussein Banai\ndate: 2020-01-06\n---\n\n"
        "# After Soleimani\n\n"
        + f"**{body[0][:40]}**{body[0][40:]}\n\n"
        + "> " + body[1] + "\n\n"
        + f"- a [linked item](https://example.org/x) and `code`\n\n{body[2]}\n",
        encoding="utf-8",
    )  # fmt: skip
    ok("source", "add", "--file", str(path), "--key", "banai")
    shown = ok("source", "show", "banai", "--json").json()
    assert (shown["title"], shown["author"], shown["published"]) == (
        "After Soleimani",
        "Hussein Banai",
        "2020-01-06",
    )
    text = ok("source", "show", "banai", "--text").stdout
    assert "**" not in text and "https://example.org/x" not in text and "> " not in text
    assert "a linked item and code" in text
    ok("claim", "add", "Feared", "--source", "banai", "--quote", body[1][:120])


def test_plain_text_still_needs_a_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Some article text.", encoding="utf-8")
    result = fails_usage("source", "add", "--file", str(path))
    assert "--title" in result


def fails_usage(*args: str) -> str:
    from tests.helpers import run_cli

    result = run_cli(*args)
    assert result.exit_code == 2, result
    return result.stderr


def test_add_url_fetches_the_page_and_keeps_its_provenance() -> None:
    page = news_page("001")
    html = page.html().encode()
    with serving() as site:
        site.redirect("/old", "/2020/01/04/story")
        site.page("/2020/01/04/story", html)
        created = ok("source", "add", "--url", site.url("/old"), "--json").json()
    shown = ok("source", "show", str(created["id"]), "--json").json()
    assert shown["title"] == "The Killing of Qassem Soleimani"
    assert shown["key"] == "the-killing-of-qassem-soleimani"
    assert shown["url"] == page.url  # canonical, from the page
    [version] = shown["versions"]
    assert version["origin"] == site.url("/old")  # asked for, fetched again by refresh
    assert version["fetched_sha256"] == hashlib.sha256(html).hexdigest()
    assert version["fetched_at"] is not None
    assert version["text_sha256"] == shown["text_sha256"]
    ok("claim", "add", "24 killed", "--source", str(created["id"]),
       "--quote", "The US reacted with venom killing 24 members of KH")  # fmt: skip


def test_charset_from_the_server_and_from_the_page() -> None:
    page = news_page("003", charset="windows-1252")
    page.body[0] = "Caf\u00e9 \u2019quoted\u2019 " + page.body[0]
    with serving() as site:
        site.page("/meta", page.html().encode("cp1252"), "text/html")
        site.page("/header", page.html().encode("cp1252"), "text/html; charset=windows-1252")
        ok("source", "add", "--url", site.url("/meta"), "--key", "meta")
        ok("source", "add", "--url", site.url("/header"), "--key", "header")
    for key in ("meta", "header"):
        assert "Caf\u00e9 \u2019quoted\u2019" in ok("source", "show", key, "--text").stdout


def test_plain_text_page_needs_a_title() -> None:
    with serving() as site:
        site.page("/a.txt", "Just text.", "text/plain; charset=utf-8")
        ok("source", "add", "--url", site.url("/a.txt"), "--title", "Plain", "--key", "plain")
    assert _show("plain")["url"] == site.url("/a.txt")
    assert ok("source", "show", "plain", "--text").stdout.rstrip().endswith("Just text.")


def test_no_fetch_records_the_address_only() -> None:
    ok("source", "add", "--title", "Offline", "--url", "http://127.0.0.1:9/x", "--no-fetch")
    shown = ok("source", "show", "offline", "--json").json()
    assert (shown["text_length"], shown["versions"]) == (None, [])


def test_source_show_lists_versions(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(news_page("004").html(), encoding="utf-8")
    ok("source", "add", "--file", str(path), "--key", "v")
    table = ok("source", "show", "v").stdout
    assert "version" in table and "html" in table
    assert json.dumps(_show("v")["versions"])


def test_the_readme_fixture_reads_as_its_article() -> None:
    """examples/news-article.html, the page of the README's tour: the article of seed 003."""
    ok("source", "add", "--file", str(REPO / "examples" / "news-article.html"), "--key", "c")
    shown = ok("source", "show", "c", "--json").json()
    assert (shown["outlet"], shown["author"], shown["published"]) == (
        "The Capitol Courier",
        "Nahal Toosi",
        "2020-01-03",
    )
    for paragraph in paragraphs("003"):
        assert " ".join(paragraph.split()) in shown["text"]


def test_a_bom_says_the_encoding(tmp_path: Path) -> None:
    """UTF-16 with its BOM is text (as browsers read it); without one it is refused as binary
    (tests/cli/test_hostile_input.py)."""
    path = tmp_path / "utf16.txt"
    path.write_bytes("Iran said it would respond.".encode("utf-16"))
    ok("source", "add", "--title", "T", "--key", "u", "--file", str(path))
    assert ok("source", "show", "u", "--text").stdout.rstrip().endswith("would respond.")
