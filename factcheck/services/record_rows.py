"""The dump's records as rows of their tables and back, by one mapping derived from the models.

A record's field is the column of the same name in its record type's table, but for the few
renamed in the dump (an appearance's `start` is `quote_start`). Fields that are no column
(a claim's tags, a verdict's scale and label, evidence) are the caller's to fill.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from operator import attrgetter
from typing import Any

from factcheck.interchange.records import (
    AppearanceRecord,
    ClaimRecord,
    DecisionRecord,
    EntityRecord,
    EvidenceRecord,
    LabelRecord,
    LinkRecord,
    Record,
    ScaleRecord,
    SourceRecord,
    SourceVersionRecord,
    VerdictRecord,
)
from factcheck.models import Base

TABLES: dict[type[Record], str] = {
    ScaleRecord: "rating_scales",
    LabelRecord: "rating_labels",
    SourceRecord: "sources",
    SourceVersionRecord: "source_versions",
    EntityRecord: "entities",
    ClaimRecord: "claims",
    AppearanceRecord: "appearances",
    VerdictRecord: "verdicts",
    EvidenceRecord: "verdict_evidence",
    LinkRecord: "links",
    DecisionRecord: "suggestion_decisions",
}
# Fields the dump names otherwise than the columns they hold.
_RENAMED: dict[type[Record], dict[str, str]] = {
    AppearanceRecord: {"start": "quote_start", "end": "quote_end"},
    LinkRecord: {"claim_a": "claim_a_id", "claim_b": "claim_b_id"},
    DecisionRecord: {"claim_a": "claim_a_id", "claim_b": "claim_b_id"},
}


@cache
def columns(record_type: type[Record]) -> tuple[tuple[str, str], ...]:
    """(field, column) for every field of the record type that is a column of its table, in
    the record's order."""
    table = Base.metadata.tables[TABLES[record_type]]
    renamed = _RENAMED.get(record_type, {})
    pairs = ((field, renamed.get(field, field)) for field in record_type.model_fields)
    return tuple((field, column) for field, column in pairs if column in table.columns)


@cache
def _reader(record_type: type[Record]) -> tuple[tuple[str, ...], Callable[[Any], Any]]:
    """The record type's columns, and a function reading their fields' values from a record
    (in C: an import calls it for every record it writes)."""
    pairs = columns(record_type)
    fields = [field for field, _column in pairs]
    read = attrgetter(*fields) if len(fields) > 1 else lambda r: (getattr(r, fields[0]),)
    return tuple(column for _field, column in pairs), read


def row_of(record: Record) -> dict[str, Any]:
    """The record's column values, by column name."""
    names, read = _reader(type(record))
    return dict(zip(names, read(record), strict=True))


def fields_of(record_type: type[Record], row: Any) -> dict[str, Any]:
    """The record's fields that are columns, read from a row (an ORM object, or anything with
    the columns as attributes)."""
    return {field: getattr(row, column) for field, column in columns(record_type)}


def fields_from(record_type: type[Record], values: dict[str, Any]) -> dict[str, Any]:
    """The record's fields that are columns, from a dict of column values (what it lacks is
    left out)."""
    return {field: values[column] for field, column in columns(record_type) if column in values}
