"""Rows made from records: every column in the table's order, from the record or the caller."""

from __future__ import annotations

import pytest

from factcheck.interchange.records import AppearanceRecord, Record, VerdictRecord
from factcheck.models import Base
from factcheck.services.record_rows import row_maker


def test_a_row_takes_the_records_fields_and_the_ids_given_in_column_order() -> None:
    record = AppearanceRecord(
        id=1, claim_id=2, source_id=3, quote="q", start=4, end=5, anchor_status="exact",
        claimant="someone", created_at="2026-01-01T00:00:00Z",
    )  # fmt: skip
    row = row_maker(AppearanceRecord, ("id", "claim_id", "source_id"))(record, 70, 80, 90)
    names = [c.name for c in Base.metadata.tables["appearances"].columns]
    values = dict(zip(names, row, strict=True))
    assert (values["id"], values["claim_id"], values["source_id"]) == (70, 80, 90)
    assert (values["quote_start"], values["quote_end"]) == (4, 5)  # the dump's start and end
    assert (values["quote"], values["claimant"], values["stance"]) == ("q", "someone", "asserts")
    assert values["created_at"] == record.created_at


def test_a_row_of_a_table_without_records_orders_the_values_given() -> None:
    assert row_maker("claim_tags", ("tag_id", "id", "claim_id"))(3, 1, 2) == (1, 2, 3)


@pytest.mark.parametrize(
    ("of", "supplied"),
    [
        (VerdictRecord, ("id", "claim_id")),
        ("claim_tags", ("id", "claim_id")),
        ("tags", ("id", "name", "id")),
    ],
)
def test_a_column_given_by_neither_or_twice_is_refused_once(
    of: type[Record] | str, supplied: tuple[str, ...]
) -> None:
    with pytest.raises(ValueError, match="columns"):
        row_maker(of, supplied)
