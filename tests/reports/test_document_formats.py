"""The report formats other than text, whatever the claims say: HTML, Markdown and DOT show
control characters as escapes (as the text report does) and HTML escapes markup; no CSV cell
starts as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.interchange.csvcells import FORMULA_START, restore
from factcheck.reports import contradictions as formats
from tests.helpers.reports import TEXTS, sample_report

# The texts of the layout tests, some starting as a formula or holding markup.
HOSTILE = st.builds(
    str.__add__,
    st.sampled_from(["", "=", "+", "-", "@", "'=", "<script>", "</script><!--", "&amp;"]),
    TEXTS,
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@settings(max_examples=200, deadline=None)
@given(strings=st.lists(HOSTILE, min_size=5, max_size=5))
def test_documents_for_people_hold_no_control_character(strings: list[str]) -> None:
    report = sample_report(strings, "src-a", 2)
    for render in (formats.html_page, formats.markdown, formats.dot):
        document = render(report)
        assert CONTROL.search(document) is None, (render.__name__, document)
    page = formats.html_page(report)
    assert "<script" not in page and "<!--" not in page


@settings(max_examples=200, deadline=None)
@given(strings=st.lists(HOSTILE, min_size=5, max_size=5))
def test_no_csv_cell_is_a_formula_and_each_restores_to_its_text(strings: list[str]) -> None:
    report = sample_report(strings, "src-a", 2)
    header, *rows = csv.reader(io.StringIO(formats.csv_text(report), newline=""))
    assert len(rows) == len(report.pairs)
    row = dict(zip(header, rows[0], strict=True))
    assert not any(cell.startswith(FORMULA_START) for cell in row.values())
    pair = report.pairs[0]
    assert restore(row["note"]) == (pair.note or "")
    assert restore(row["claim_a_text"]) == pair.claim_a.text
    assert restore(row["claim_b_text"]) == pair.claim_b.text
    evidence = pair.claim_a.verdict.evidence if pair.claim_a.verdict else []
    assert restore(row["claim_a_evidence"]) == " | ".join(
        item.source_key or item.url or "" for item in evidence
    )


@settings(max_examples=200, deadline=None)
@given(strings=st.lists(HOSTILE, min_size=5, max_size=5))
def test_links_point_only_where_the_sources_say(strings: list[str]) -> None:
    """Every link of the HTML report goes to a source's web address or to the list of sources,
    each target one attribute value; Markdown links likewise."""
    report = sample_report(strings, "src-a", 2)
    page = formats.html_page(report)
    for target in re.findall(r'<a href="([^"]*)">', page):
        assert target.startswith(("#source-", "https://example.org/", "http")), target
        assert not re.search(r"[\s<>\"']", target)
    for target in re.findall(r"\]\(([^)]*)\)", formats.markdown(report)):
        assert not re.search(r"[\s<>()\\]", target), target
