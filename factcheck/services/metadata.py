"""What each table and view holds, in words: Datasette's metadata for a factcheck database
(`factcheck db metadata`), and the same descriptions for docs/schema.md (factcheck/docs)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table

from factcheck.models import Base

VIEWS = {
    "current_verdicts": "The current verdict of each claim that has one: its newest verdict not "
    'retracted (`verdict_retractions`). The one definition of "current" that the other views '
    "and factcheck itself use; a claim without a row here is unreviewed.",
    "claims_current": "Every claim with its current verdict (label, polarity, value, note), "
    "how many appearances and links it has, the keys of its sources and its tags.",
    "contradiction_pairs": "Every `contradicts` link with both claims' texts, current verdicts "
    "and sources, and the pair's status (open, inconsistent, mixed, both-refuted, resolved) "
    "computed as in the contradiction report.",
    "verdict_history": "Every verdict with its claim, label, polarity, scale, note and number of "
    "evidence items; `is_current` marks each claim's current verdict (`current_verdicts`), and "
    "`retraction_note`, `retracted_at`, `retracted_by` say when a verdict was retracted.",
}


def table_description(table: Table) -> str:
    """The first paragraph of the table's model's docstring."""
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            return " ".join((mapper.class_.__doc__ or "").split("\n\n")[0].split())
    return ""


def database_metadata() -> dict[str, Any]:
    """Datasette metadata for one factcheck database: table and view descriptions, the search
    index and its queue hidden. Search on claims needs none: Datasette finds the index itself
    (migration 0012) and factcheck's plugin folds queries."""
    tables: dict[str, Any] = {
        table.name: {"description": table_description(table)}
        for table in Base.metadata.sorted_tables
    }
    tables["claims"].update(sort="id")
    tables["claim_search"] = {"hidden": True}
    # The claims a write changed, until factcheck folds them into the index: empty at rest.
    tables["claim_search_pending"] = {"hidden": True}
    for view, description in VIEWS.items():
        tables[view] = {"description": description}
    # Datasette finds an index only for a table; the view of claims with their verdicts is
    # searched through the claims' index, by claim id.
    tables["claims_current"].update(fts_table="claim_search", fts_pk="claim_id")
    return {"tables": tables}


def datasette_metadata(database: str) -> dict[str, Any]:
    """Datasette's metadata file for a factcheck database named `database` (the file's stem):
    `database_metadata` (which factcheck's Datasette plugin gives without the file), with a
    title and a description."""
    return {
        "title": "factcheck",
        "description": "Claims, the quotes they are anchored to, verdicts with their evidence, "
        "and the links between claims. Search claims (text and quotes) from the claims table.",
        "databases": {database: database_metadata()},
    }
