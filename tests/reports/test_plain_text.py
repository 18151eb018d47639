"""The plain text report (files and pipes) is exactly rich's rendering of the text report, also
on hostile text: control characters, tabs, newlines, wide characters, long words, emoji codes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.cli.commands.report import WIDTH, _plain
from factcheck.reports.contradictions import plain_text, text
from factcheck.services.report import ContradictionReport, ReportSummary
from tests.helpers.reports import TEXTS, sample_report


@settings(max_examples=300, deadline=None)
@given(
    strings=st.lists(TEXTS, min_size=5, max_size=5),
    key=st.sampled_from(["src-a", "k" * 95, "a:fire:b", "ключ"]),
    many=st.sampled_from([1, 5, 40]),
)
def test_plain_text_is_the_rich_rendering(strings: list[str], key: str, many: int) -> None:
    report = sample_report(strings, key, many)
    assert plain_text(report, WIDTH, _plain) == _plain(text(report))


def test_plain_text_of_an_empty_report() -> None:
    summary = ReportSummary(
        pairs=0, clusters=0, claims=0, by_status={}, source_pairs=[], agreement_conflicts=0
    )
    report = ContradictionReport(summary=summary, clusters=[], pairs=[])
    assert plain_text(report, WIDTH, _plain) == _plain(text(report))


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(
        st.sampled_from([" ", "   ", " " * 99, "a", "word", "w" * 45, "v" * 98, "u" * 99]),
        min_size=1,
        max_size=40,
    )
)
def test_plain_text_wraps_ascii_as_rich_does(words: list[str]) -> None:
    """Plain ASCII takes the position-based path: every width edge case against rich."""
    body = "".join(words)
    report = sample_report([body, body, body, body, body], "src-a", 1)
    assert plain_text(report, WIDTH, _plain) == _plain(text(report))
