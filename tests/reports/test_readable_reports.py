"""Reports a reader can check, through the CLI on a real database: each verdict's evidence and
the sources cited, numbered, with their titles and URLs (links in Markdown and HTML); who speaks
when no claimant was recorded; quotes not doubled in quote marks; `--json` on the report
commands; the HTML's colours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factcheck.reports import link_target
from factcheck.reports.contradictions import _CSS
from factcheck.text import quoted
from tests.helpers import ok, run_cli

WIRE = "https://wire.example/story?id=7&x=(1)"
PAGE = "https://ministry.example/statement"
# Single quotation marks (ruff takes the characters themselves for a typo).
OPEN, CLOSE = "\u2018", "\u2019"


@pytest.fixture
def cited() -> dict[str, str]:
    """Two claims that contradict each other: one said by an outlet's article with no author
    (and no claimant given), one in an authored blog post; verdicts citing a logged source with
    a URL and a web page known only by its URL."""
    ok("source", "add", "--key", "wire", "--title", "Port blast: the first hours",
       "--outlet", "Wire Service", "--url", WIRE, "--no-fetch",
       "--published", "2020-08-04")  # fmt: skip
    ok("source", "add", "--key", "blog", "--title", "What the blast was not",
       "--author", "Dana Writer")  # fmt: skip
    a = ok("claim", "add", "The blast was an accident", "--source", "wire").stdout.strip()
    b = ok("claim", "add", "The blast was an attack", "--source", "blog").stdout.strip()
    ok("verdict", "set", a, "mixed", "--evidence", "wire", "--evidence", PAGE)
    ok("verdict", "set", b, "false", "--evidence", PAGE)
    ok("link", a, b, "--relation", "contradicts")
    return {"a": a, "b": b}


def _report(fmt: str) -> str:
    return ok("report", "contradictions", "--format", fmt).stdout


def test_text_report_numbers_every_source_it_cites(cited: dict[str, str]) -> None:
    text = _report("text")
    body, _rule, listed = text.partition("Sources ─")
    # The sources logged by key (wire is cited by an appearance and as evidence), then the page.
    assert "evidence [S2]: wire" in body
    assert "evidence [S3]" in body
    assert "[S2] wire, 2020-08-04, Wire Service (outlet): " in body
    assert "[S1] blog, undated, Dana Writer: " in body
    entries = re.findall(r"^  \[S(\d+)\] (.*)$", listed, re.MULTILINE)
    assert [number for number, _words in entries] == ["1", "2", "3"]
    assert entries[0][1] == "blog: What the blast was not; Dana Writer"
    assert entries[1][1] == "wire: Port blast: the first hours; Wire Service; 2020-08-04"
    assert entries[2][1] == PAGE
    assert f"\n      {WIRE}\n" in listed
    assert "unknown claimant" not in text


def test_markdown_and_html_link_the_sources(cited: dict[str, str]) -> None:
    md = _report("markdown")
    encoded = WIRE.replace("(", "%28").replace(")", "%29")
    assert f"  - S2 [wire]({encoded}), 2020-08-04, Wire Service (outlet): " in md
    assert f"    - Evidence: S3 [{PAGE}]({PAGE})" in md
    assert (
        f"- **S2** wire: Port blast: the first hours; Wire Service; 2020-08-04; [{WIRE}]({encoded})"
        in md
    )
    page = _report("html")
    assert f'<a href="{encoded.replace("&", "&amp;")}">wire</a>' in page
    assert f'<a href="#source-3">S3</a> <a href="{PAGE}">{PAGE}</a>' in page
    assert '<li id="source-2"><strong>S2</strong> wire: Port blast' in page
    assert "unknown claimant" not in md + page


def test_a_mixed_verdict_is_coloured_as_text_not_as_a_badge(cited: dict[str, str]) -> None:
    """A verdict's polarity and a pair's status share the word "mixed": each has a class of its
    own, and only the status is a badge with a background."""
    page = _report("html")
    assert '<strong class="polarity-mixed">mixed (mixed)</strong>' in page
    rules = dict(re.findall(r"\.([\w-]+)\{([^}]*)\}", _CSS))
    assert "background" not in rules["polarity-mixed"]
    assert rules["polarity-mixed"].startswith("color:")
    assert not re.search(r"(^|[},\s])\.mixed\b", _CSS)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_status_badges_are_readable() -> None:
    """White text on each badge's background has the contrast WCAG asks of text (4.5:1)."""
    badges = re.findall(r"\.status-([\w-]+)(?:,\.status-[\w-]+)*\{background:#(\w{6})\}", _CSS)
    assert {name for name, _colour in badges} >= {"inconsistent", "open", "mixed", "resolved"}
    for name, colour in badges:
        assert 1.05 / (_luminance(colour) + 0.05) >= 4.5, name


@pytest.mark.parametrize(
    "url",
    ["javascript://x/%0aalert(1)", "data://text/html,<script>x</script>", "file:///etc/passwd"],
)
def test_only_web_addresses_become_links(url: str) -> None:
    # `source add` refuses such a URL; evidence keeps any address it is given.
    ok("source", "add", "--key", "s", "--title", "T")
    a = ok("claim", "add", "one", "--source", "s").stdout.strip()
    b = ok("claim", "add", "two", "--source", "s").stdout.strip()
    ok("verdict", "set", a, "true", "--evidence", url)
    ok("link", a, b, "--relation", "contradicts")
    page = _report("html")
    assert re.findall(r'href="([^"]*)"', page) == ["#source-2", "#source-1", "#source-1"]
    assert "<script" not in page
    assert "](" not in _report("markdown")
    assert link_target(url) is None


def test_link_targets_keep_the_address_and_cannot_break_out() -> None:
    target = link_target('https://x.example/a b)c"d<e>\\f\x1bg?q=1&r=é#frag')
    assert target == "https://x.example/a%20b%29c%22d%3Ce%3E%5Cf%1Bg?q=1&r=%C3%A9#frag"
    assert link_target("HTTP://X.EXAMPLE/") == "HTTP://X.EXAMPLE/"


def test_json_is_the_same_as_format_json(cited: dict[str, str]) -> None:
    for command in ("contradictions", "sources"):
        expected = ok("report", command, "--format", "json").stdout
        assert ok("report", command, "--json").stdout == expected
        assert ok("report", command, "--json", "--format", "json").stdout == expected
        wrong = run_cli("report", command, "--json", "--format", "markdown")
        assert wrong.exit_code == 2
        assert wrong.stderr == (
            "Error: --json is --format json, not --format markdown: give one of them\n"
        )
        assert wrong.stdout == ""


def test_json_report_lists_the_sources(cited: dict[str, str]) -> None:
    report = ok("report", "contradictions", "--json").json()
    assert [(s["number"], s["key"], s["url"]) for s in report["sources"]] == [
        (1, "blog", None),
        (2, "wire", WIRE),
        (3, None, PAGE),
    ]
    appearance = report["pairs"][0]["claim_a"]["appearances"][0]
    assert (appearance["source_url"], appearance["source_outlet"]) == (WIRE, "Wire Service")


def test_csv_report_gives_each_side_its_evidence(cited: dict[str, str]) -> None:
    header, row = _report("csv").splitlines()
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert cells["claim_a_evidence"] == f"wire | {PAGE}"
    assert cells["claim_b_evidence"] == PAGE


def test_sources_scorecard_says_what_each_source_is(cited: dict[str, str]) -> None:
    text = ok("report", "sources").stdout
    assert "wire  2020-08-04: Port blast: the first hours\n  by: Wire Service\n" in text
    assert f"  url: {WIRE}\n" in text
    md = ok("report", "sources", "--format", "markdown").stdout
    assert "| [wire](https://wire.example/story?id=7&x=%281%29) | 2020-08-04 |" in md
    scores = {s["key"]: s for s in ok("report", "sources", "--json").json()}
    assert (scores["blog"]["author"], scores["wire"]["outlet"]) == ("Dana Writer", "Wire Service")


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        ("a “response to threats,”", f"{OPEN}a “response to threats,”{CLOSE}"),
        ('he said "no"', f'{OPEN}he said "no"{CLOSE}'),
        (f"an {OPEN}axis of resistance{CLOSE}", f"“an {OPEN}axis of resistance{CLOSE}”"),
        (f"Soleimani{CLOSE}s death", f"“Soleimani{CLOSE}s death”"),
    ],
)
def test_a_quote_is_never_doubled_in_quote_marks(quote: str, shown: str, tmp_path: Path) -> None:
    assert quoted(quote) == shown
    article = tmp_path / "article.txt"
    article.write_text(f"Before. {quote} After.", encoding="utf-8")
    ok("source", "add", "--key", "art", "--title", "Article", "--file", str(article))
    claim = ok("claim", "add", "A claim", "--source", "art", "--quote", quote).stdout.strip()
    assert f"\n    {shown}\n" in ok("claim", "show", claim).stdout
    for doubled in ("””", "““", OPEN * 2, CLOSE * 2):
        assert doubled not in shown or doubled in quote


def test_claim_show_names_the_outlet_when_no_claimant_is_known() -> None:
    ok("source", "add", "--key", "wire", "--title", "T", "--outlet", "Wire Service")
    ok("source", "add", "--key", "anon", "--title", "T")
    claim = ok("claim", "add", "x", "--source", "wire").stdout.strip()
    ok("claim", "cite", claim, "--source", "anon", "--unanchored", "--quote", "x")
    shown = ok("claim", "show", claim).stdout
    assert "  [wire] Wire Service (outlet) (asserts)" in shown
    assert "  [anon] unknown claimant (asserts)" in shown
