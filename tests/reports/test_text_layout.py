"""The text report's one layout (factcheck/reports/contradictions.py), for a terminal and for
files and pipes alike: lines that fit the width whatever the text (control characters, tabs,
newlines, wide and zero-width characters, words longer than a line), and printable text wrapped
exactly as rich wraps it, so that the report reads as it did when rich laid it out."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.cells import get_character_cell_size
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from factcheck.cli.commands.report import WIDTH, _plain
from factcheck.reports.contradictions import _Layout, plain_text, text
from factcheck.services.report import ContradictionReport, ReportSummary
from factcheck.text import visible
from tests.helpers.reports import TEXTS, sample_report


def _cells(line: str) -> int:
    return sum(map(get_character_cell_size, line))


def _words(text: str) -> str:
    """The characters other than spaces, in order."""
    return "".join(text.split())


@settings(max_examples=300, deadline=None)
@given(
    strings=st.lists(TEXTS, min_size=5, max_size=5),
    key=st.sampled_from(["src-a", "k" * 95, "a:fire:b", "ключ"]),
    many=st.sampled_from([1, 5, 40]),
    width=st.sampled_from([WIDTH, 60, 24]),
)
def test_every_line_fits_and_the_terminal_gets_the_same_lines(
    strings: list[str], key: str, many: int, width: int
) -> None:
    report = sample_report(strings, key, many)
    plain = plain_text(report, width)
    lines = plain.splitlines()
    # Every line fits, but a source's web address on its line, which is never cut.
    urls = {source.url for source in report.sources}
    assert all(_cells(line) <= width or line.strip() in urls for line in lines)
    assert visible(plain) == plain  # no control character reaches the output
    assert text(report, width).plain + "\n" == plain


def test_a_long_web_address_in_the_sources_is_never_cut() -> None:
    long_url = "https://example.org/" + "/".join(f"section-{n}" for n in range(20)) + "?q=1"
    report = sample_report(["Title", "Outlet", "2024-01", "x" * 150, "Author"], "src", 1)
    report.sources[1].url = long_url
    for width in (WIDTH, 60, 24):
        lines = plain_text(report, width).splitlines()
        assert "      " + long_url in lines  # on a line of its own, whole, under its entry
        assert text(report, width).plain.splitlines() == lines
    # A source known by its address alone: the address under its number, whole.
    report.sources[0].url = long_url + "&alone=1"
    lines = plain_text(report, WIDTH).splitlines()
    assert lines[lines.index("  [S1]") + 1] == "      " + long_url + "&alone=1"
    # Only a one-word address is kept whole: text with spaces still wraps to the width.
    out = _Layout(40, styled=False)
    out.add(("https://example.org/a b " + "c" * 60, ""), 6, whole=True)
    assert all(_cells(line) <= 40 for line in out.lines)


@settings(max_examples=300, deadline=None)
@given(body=TEXTS, indent=st.sampled_from([0, 2, 6, 8]))
def test_a_line_keeps_its_words_in_order(body: str, indent: int) -> None:
    """Whatever is wrapped, cut or escaped, each line fits and the text's characters other than
    spaces are all there, in order."""
    out = _Layout(WIDTH, styled=False)
    out.add((body, ""), indent)
    assert all(_cells(line) <= WIDTH for line in out.lines)
    assert _words("".join(out.lines)) == _words(visible(body).expandtabs(8))


# Printable text (no control characters, tabs or newlines; words separated by spaces), in the
# characters whose width rich and factcheck measure alike. A word wider than the line is followed
# by one space: rich carries the spaces after a word it cuts onto the start of the next line,
# where factcheck drops them, as at any other break.
PROSE_WORDS = st.sampled_from(
    ["a", "word", "longer", "“quoted”", "naïve", "Straße", "—", "漢字テキスト", "مرحبا",
     "e\u0301", "x" * 45, "w" * 98, "u" * 99, "v" * 130, "[1]", "-" * 40, "(fact)"]
)  # fmt: skip
PROSE = st.lists(
    st.tuples(PROSE_WORDS, st.sampled_from([" ", "  ", " " * 99])), min_size=1, max_size=40
).map(lambda words: "".join(w + (" " if len(w) > 90 else s) for w, s in words))


@settings(max_examples=300, deadline=None)
@given(body=PROSE, indent=st.sampled_from([0, 2, 6, 8]), lead=st.sampled_from(["", " ", "   "]))
@example(body="w" * 98 + " " + "v" * 99, indent=2, lead="")
def test_printable_text_wraps_as_rich_wraps_it(body: str, indent: int, lead: str) -> None:
    out = _Layout(WIDTH, styled=False)
    out.add(("[1] ", "bold", lead + body, "", "  (fact)", "dim"), indent)
    head = Text("[1] ", style="bold")
    head.append(lead + body)
    head.append("  (fact)", style="dim")
    rendered = _plain(Padding(head, (0, 0, 0, indent)) if indent else head)
    assert out.lines == rendered.splitlines()


@pytest.mark.parametrize("length", [1, 90, 97, 98, 99, 100, 150])
def test_a_rule_as_rich_draws_it(length: int) -> None:
    title = ("Cluster 1: open (claims " + ", ".join(map(str, range(1, 60))))[:length]
    out = _Layout(WIDTH, styled=False)
    out.rule(title)
    assert out.lines == _plain(Rule(title, align="left")).splitlines()


def _table(key: str) -> list[str]:
    out = _Layout(WIDTH, styled=False)
    out.table([("sources", "contradictions"), (f"{key} vs {key}-b", "1"), ("a vs b", "12")])
    return out.lines


@pytest.mark.parametrize("key", ["src-a", "k" * 45])
def test_the_sources_table_as_rich_lays_it_out(key: str) -> None:
    table = Table("sources", "contradictions", box=None, header_style="bold")
    table.add_row(f"{key} vs {key}-b", "1")
    table.add_row("a vs b", "12")
    assert _table(key) == _plain(table).splitlines()


def test_a_source_key_wider_than_its_column_is_cut_not_shortened() -> None:
    """Rich shortens a word too wide for its column with an ellipsis, which would hide part of a
    source's key; the report cuts it across lines like any other word too wide for its line."""
    key = "k" * 60 + "-" + "j" * 60
    column = WIDTH - len("contradictions") - 4
    assert _table(key) == [
        " " + "sources".ljust(column) + "  contradictions",
        " " + key[:column] + "  1",
        " " + key[column:] + " vs",
        " " + key[:column],
        " " + key[column:] + "-b",
        " " + "a vs b".ljust(column) + "  12",
    ]


def test_an_empty_report() -> None:
    summary = ReportSummary(
        pairs=0, clusters=0, claims=0, by_status={}, source_pairs=[], agreement_conflicts=0
    )
    report = ContradictionReport(summary=summary, clusters=[], pairs=[])
    assert plain_text(report, WIDTH) == (
        "Contradiction report\n"
        "0 contradictions in 0 clusters among 0 claims: none; 0 agreeing links with opposite"
        " verdicts\nNo contradictions match.\n"
    )
