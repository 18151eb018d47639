"""The JSON report, built with each claim serialised once, is exactly pydantic's dump of the
report model, whatever the text (escapes, non-ASCII, newlines) and however it is split into
blocks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.reports import json_document as module
from factcheck.reports.json_document import json_document
from factcheck.services.report import ContradictionReport, ReportSummary
from tests.helpers.reports import TEXTS, sample_report

STRINGS = st.one_of(TEXTS, st.text(min_size=1, max_size=40))


def _dump(report: ContradictionReport) -> bytes:
    return (report.model_dump_json(indent=2) + "\n").encode()


@settings(max_examples=200, deadline=None)
@given(
    strings=st.lists(STRINGS, min_size=5, max_size=5),
    key=st.sampled_from(["src-a", "ключ", 'a"b\\c']),
)
def test_json_document_is_the_model_dump(strings: list[str], key: str) -> None:
    report = sample_report(strings, key, 3)
    assert b"".join(json_document(report)) == _dump(report)


@pytest.mark.parametrize("block", [1, 100, 1 << 20])
def test_json_document_in_blocks(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    monkeypatch.setattr(module, "_BLOCK", block)
    report = sample_report(["a", "b\nc", "“d”", "e", "f"], "src-a", 2)
    # The same claims in more pairs, and an equal claim that is another object.
    copy = report.pairs[0].model_copy(update={"link_id": 2, "claim_b": report.pairs[0].claim_a})
    other = report.pairs[0].model_copy(
        update={"link_id": 3, "claim_a": report.pairs[0].claim_a.model_copy()}
    )
    report = report.model_copy(update={"pairs": [*report.pairs, copy, other]})
    blocks = list(json_document(report))
    assert b"".join(blocks) == _dump(report)
    if block == 1:
        assert len(blocks) > 1


def test_json_document_of_an_empty_report() -> None:
    summary = ReportSummary(
        pairs=0, clusters=0, claims=0, by_status={}, source_pairs=[], agreement_conflicts=0
    )
    report = ContradictionReport(summary=summary, clusters=[], pairs=[])
    assert b"".join(json_document(report)) == _dump(report)
