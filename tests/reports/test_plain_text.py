"""The plain text report (files and pipes) is exactly rich's rendering of the text report, also
on hostile text: control characters, tabs, newlines, wide characters, long words, emoji codes."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
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
# A zero width joiner at the end of a claim's text, its line one cell too wide: rich wraps the
# line measured as one string (where the joiner hides the space after it) but crops it style by
# style (where it does not), so it prints "(fact" and the plain layout must hand rich the
# report's own styled Text, not an unstyled copy.
@example(
    strings=[" ", " ", " ", "  " + "longer words here" * 3 + "[1]" + "z" * 30 + " \u200d", " "],
    key="src-a",
    many=1,
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


ZERO_WIDTH = ["\u200d", "\u200b", "\u200c", "\u2060", "\ufeff", "\ufe0f", "\u0301", "#\ufe0f"]


@pytest.mark.parametrize("char", ZERO_WIDTH)
@pytest.mark.parametrize("where", ["end", "start", "alone"])
def test_plain_text_of_zero_width_characters_at_the_line_edge(char: str, where: str) -> None:
    """Zero width characters (and a variation selector) next to where a style ends or begins, in
    lines a cell or two either side of the width: every such line as rich prints it."""
    for n in range(80, 100):
        body = {
            "end": "w" * n + " " + char,
            "start": char + " " + "w" * n,
            "alone": "w" * (n - 50) + " " + char + " " + "v" * 45,
        }[where]
        for wide in ("", "漢"):
            strings = [body + wide, body, body, wide + body, body]
            report = sample_report(strings, "src-" + char, 1)
            assert plain_text(report, WIDTH, _plain) == _plain(text(report))
