"""The dump's records as rows of their tables and back, by one mapping derived from the models.

A record's field is the column of the same name in its record type's table, but for the few
renamed in the dump (an appearance's `start` is `quote_start`). Fields that are no column
(a claim's tags, a verdict's scale and label, evidence) are the caller's to fill.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from operator import attrgetter, itemgetter
from typing import Any

from factcheck.interchange.records import (
    AppearanceRecord,
    ClaimRecord,
    DecisionRecord,
    EntityRecord,
    EvidenceRecord,
    ExtractionDecisionRecord,
    LabelRecord,
    LinkRecord,
    Record,
    RetractionRecord,
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
    RetractionRecord: "verdict_retractions",
    LinkRecord: "links",
    DecisionRecord: "suggestion_decisions",
    ExtractionDecisionRecord: "extraction_decisions",
}
# Fields the dump names otherwise than the columns they hold.
_RENAMED: dict[type[Record], dict[str, str]] = {
    AppearanceRecord: {"start": "quote_start", "end": "quote_end"},
    LinkRecord: {"claim_a": "claim_a_id", "claim_b": "claim_b_id"},
    DecisionRecord: {"claim_a": "claim_a_id", "claim_b": "claim_b_id"},
    ExtractionDecisionRecord: {"start": "sentence_start", "end": "sentence_end"},
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
def row_maker(of: type[Record] | str, supplied: tuple[str, ...]) -> Callable[..., tuple[Any, ...]]:
    """A function making a row, a tuple in its table's column order, of a record type's table
    from a record and the values of the `supplied` columns, in that order (`make(record, *values)`),
    or of a table named `of` from those values alone (`make(*values)`). The record gives every
    other column, its field of that column; a column given by neither is an error here, once,
    rather than a NULL in every row.

    Two look-ups in C per row (the record's fields, then the table's order): the import makes a
    row for every record it writes.
    """
    record_type = None if isinstance(of, str) else of
    table = of if isinstance(of, str) else TABLES[of]
    names = [c.name for c in Base.metadata.tables[table].columns]
    own = {column: field for field, column in columns(record_type)} if record_type else {}
    from_record = [name for name in names if name in own and name not in supplied]
    fields = [own[name] for name in from_record]
    given = [*from_record, *supplied]
    missing = [name for name in names if name not in given]
    if missing:
        raise ValueError(f"{table}: columns {missing} given by neither the record nor the caller")
    if len(set(given)) != len(given):
        raise ValueError(f"{table}: columns given twice among {given}")
    order = itemgetter(*(given.index(name) for name in names))
    if not fields:
        return lambda *values: order(values)
    read = attrgetter(*fields) if len(fields) > 1 else lambda r: (getattr(r, fields[0]),)
    return lambda record, *values: order(read(record) + values)


def fields_of(record_type: type[Record], row: Any) -> dict[str, Any]:
    """The record's fields that are columns, read from a row (an ORM object, or anything with
    the columns as attributes)."""
    return {field: getattr(row, column) for field, column in columns(record_type)}


def fields_from(record_type: type[Record], values: dict[str, Any]) -> dict[str, Any]:
    """The record's fields that are columns, from a dict of column values (what it lacks is
    left out)."""
    return {field: values[column] for field, column in columns(record_type) if column in values}
