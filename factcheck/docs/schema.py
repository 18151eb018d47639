"""Write docs/schema.md (tables, views, an ER diagram and example queries with their results on
the seed corpus) and docs/schemas/*.json (JSON Schemas of the interchange records), from the
models themselves, so the documentation cannot drift from the database.

`make docs` runs it; tests regenerate both and fail when the committed files differ.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import CheckConstraint, Column, Table, UniqueConstraint

from factcheck.db.database import Database
from factcheck.db.engine import resolve_url
from factcheck.interchange import records
from factcheck.models import Base
from factcheck.outputs import OutputFile
from factcheck.services.metadata import VIEWS, table_description
from factcheck.services.seed import load_seed

QUERIES: list[tuple[str, str]] = [
    (
        "Claims whose current verdict says they are wrong",
        "SELECT claim_id, verdict, substr(text, 1, 70) AS claim\n"
        "FROM claims_current WHERE verdict_polarity = 'refuted' ORDER BY claim_id;",
    ),
    (
        "Contradictions that still need work",
        "SELECT link_id, status, claim_a_id, claim_b_id, substr(note, 1, 60) AS note\n"
        "FROM contradiction_pairs WHERE status NOT IN ('resolved') ORDER BY link_id;",
    ),
    (
        "Which articles contradict which",
        # A link joins two claims in either order, so the pair of articles is put in order
        # after the join (min and max of two values), not by keeping one order of the join.
        "SELECT min(sa.key, sb.key) AS source_a, max(sa.key, sb.key) AS source_b,\n"
        "  count(DISTINCT k.id) AS contradictions\n"
        "FROM links k\n"
        "JOIN appearances a ON a.claim_id = k.claim_a_id JOIN sources sa ON sa.id = a.source_id\n"
        "JOIN appearances b ON b.claim_id = k.claim_b_id JOIN sources sb ON sb.id = b.source_id\n"
        "WHERE k.relation = 'contradicts' AND sa.key <> sb.key\n"
        "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2;",
    ),
    (
        "Verdicts per source",
        "SELECT s.key AS source, c.verdict, count(*) AS claims\n"
        "FROM sources s\n"
        "JOIN (SELECT DISTINCT source_id, claim_id FROM appearances) a ON a.source_id = s.id\n"
        "JOIN claims_current c ON c.claim_id = a.claim_id\n"
        "GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2;",
    ),
    (
        "Claims made in more than one article",
        "SELECT claim_id, appearances, sources, substr(text, 1, 50) AS claim\n"
        "FROM claims_current WHERE sources LIKE '%,%' ORDER BY appearances DESC, claim_id;",
    ),
    (
        "Predictions and how they turned out",
        "SELECT claim_id, verdict, substr(text, 1, 70) AS prediction\n"
        "FROM claims_current WHERE kind = 'prediction' ORDER BY claim_id;",
    ),
    (
        "A claim's verdict history",
        "SELECT verdict_id, label, polarity, is_current, substr(note, 1, 70) AS note\n"
        "FROM verdict_history WHERE claim_id = 43 ORDER BY verdict_id;",
    ),
    (
        "Full-text search (the index holds folded text: lower case, no accents or apostrophes)",
        "SELECT c.id, substr(c.text, 1, 70) AS claim\n"
        "FROM claim_search JOIN claims c ON c.id = claim_search.rowid\n"
        "WHERE claim_search MATCH 'hezbollah avenge*' ORDER BY rank;",
    ),
    (
        "Every spelling of a name, and how many claims mention it",
        "SELECT e.name, group_concat(a.alias, ' / ') AS spellings,\n"
        "  (SELECT count(*) FROM claim_entities ce WHERE ce.entity_id = e.id) AS claims\n"
        "FROM entities e JOIN entity_aliases a ON a.entity_id = e.id\n"
        "WHERE e.name IN ('Qassem Soleimani', 'Esmail Qaani', 'Kata''ib Hezbollah')\n"
        "GROUP BY e.id ORDER BY e.name;",
    ),
    (
        "Where a claim's quotes stand in their articles (offsets and surrounding text)",
        "SELECT s.key AS source, a.quote_start, a.quote_end, a.anchor_status,\n"
        "  substr(a.prefix, -25) || '[' || a.quote || ']' || substr(a.suffix, 1, 25) AS passage\n"
        "FROM appearances a JOIN sources s ON s.id = a.source_id\n"
        "WHERE a.claim_id = 1 ORDER BY a.id;",
    ),
]

_CELL = 80
_ROWS = 8


def _type(column: Column[Any]) -> str:
    try:
        return str(column.type.compile()).lower()
    except Exception:  # a type with no generic rendering
        return type(column.type).__name__.lower()


def _references(column: Column[Any]) -> str:
    parts = []
    if column.primary_key:
        parts.append("primary key")
    parts += [f"→ {fk.target_fullname}" for fk in column.foreign_keys]
    if column.unique:
        parts.append("unique")
    return ", ".join(parts)


def mermaid() -> str:
    lines = ["```mermaid", "erDiagram"]
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                lines.append(f'    {fk.column.table.name} ||--o{{ {table.name} : "{column.name}"')
    for table in Base.metadata.sorted_tables:
        lines.append(f"    {table.name} {{")
        for column in table.columns:
            key = " PK" if column.primary_key else (" FK" if column.foreign_keys else "")
            kind = _type(column).split("(")[0].replace(" ", "_")
            lines.append(f"        {kind} {column.name}{key}")
        lines.append("    }")
    lines.append("```")
    return "\n".join(lines)


def _table_section(table: Table) -> list[str]:
    lines = [
        f"### `{table.name}`",
        "",
        table_description(table),
        "",
        "| column | type | null | key |",
    ]
    lines.append("|---|---|---|---|")
    for column in table.columns:
        null = "yes" if column.nullable else "no"
        lines.append(f"| `{column.name}` | {_type(column)} | {null} | {_references(column)} |")
    checks = sorted(
        str(c.name) for c in table.constraints if isinstance(c, CheckConstraint) and c.name
    )
    uniques = [
        ", ".join(col.name for col in c.columns)
        for c in table.constraints
        if isinstance(c, UniqueConstraint) and len(c.columns) > 1
    ]
    if uniques:
        lines += ["", "Unique together: " + "; ".join(f"({u})" for u in uniques) + "."]
    if checks:
        lines += ["", "Checks: " + ", ".join(f"`{name}`" for name in checks) + "."]
    return [*lines, ""]


def _cell(value: Any) -> str:
    text = "NULL" if value is None else " ".join(str(value).split())
    text = text if len(text) <= _CELL else text[: _CELL - 1] + "…"
    return text.replace("|", "\\|")


def _result(connection: sqlite3.Connection, sql: str) -> list[str]:
    cursor = connection.execute(sql)
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows[:_ROWS]]
    if len(rows) > _ROWS:
        lines.append(f"\n({len(rows) - _ROWS} more rows)")
    elif not rows:
        # A bare header reads like a rendering fault; say that the query found nothing.
        lines.append("\n(no rows in the seed corpus)")
    return lines


def seeded_database(directory: Path) -> Path:
    """A database holding just the seed corpus."""
    path = directory / "seed.db"
    database = Database(resolve_url(str(path)), "factcheck docs")
    database.ensure_schema()
    with database.write() as session:
        load_seed(session)
    database.close()
    return path


def reference(db: Path) -> str:
    parts = [
        "# The database",
        "",
        "Generated from the models and the migrations by `make docs`; do not edit by hand. The",
        "query results are from a database holding only the seed corpus (`factcheck seed`).",
        "",
        "factcheck keeps everything in one SQLite file (`./factcheck.db` unless `--db` or",
        "`FACTCHECK_DB` say otherwise). Open it with `sqlite3 factcheck.db`, `sqlite-utils`",
        "or Datasette; reading never blocks factcheck (WAL). Installed with factcheck, its",
        "plugins for Datasette and sqlite-utils give SQL typed there `factcheck_fold(text)` (the",
        "folded key of the search index and of aliases) and `factcheck_match(query)` (the",
        "search expression of `factcheck search`); Datasette's `_search=` on claims and",
        "`sqlite-utils search factcheck.db claims` use the index with no configuration, and",
        "`_search=` finds what `factcheck search` finds. The database's own triggers record",
        "every change in `history` and keep the search index current; they call SQL functions",
        "that factcheck's connections register, so change data through factcheck: a write from a",
        "plain `sqlite3` connection to these tables fails with `no such function: factcheck_...`",
        "and changes nothing (`factcheck db check` verifies the triggers and the index).",
        "",
        "## Entity-relationship diagram",
        "",
        mermaid(),
        "",
        "## Tables",
        "",
    ]
    for table in Base.metadata.sorted_tables:
        parts += _table_section(table)
    parts += [
        "### `claim_search`",
        "",
        "The SQLite FTS5 full-text index: one row per claim (`rowid` = claim id) whose `body` is "
        "the claim's text and quotes, folded (NFKC, lower case, no diacritics, apostrophes or "
        "zero-width joiners; Arabic and Persian letter variants unified). Query it with folded "
        'words, or with `factcheck_match(query)`. Its definition names `content="claims"` in a '
        "comment: the mark by which Datasette and sqlite-utils know it as the index of `claims` "
        "(it is not an external-content index: it holds its own folded text). A tool told to "
        "drop that index (`sqlite-utils disable-fts factcheck.db claims`) drops it: `factcheck db "
        "check` then says so and `factcheck db reindex` creates it again.",
        "",
        "## Views",
        "",
    ]
    with sqlite3.connect(db) as connection:
        for view, description in VIEWS.items():
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({view})")]
            parts += [
                f"### `{view}`",
                "",
                description,
                "",
                "Columns: " + ", ".join(f"`{c}`" for c in columns) + ".",
                "",
            ]
        parts += ["## Example queries", ""]
        for number, (title, sql) in enumerate(QUERIES, start=1):
            parts += [f"### {number}. {title}", "", "```sql", sql, "```", ""]
            parts += [*_result(connection, sql), ""]
    return "\n".join(parts).rstrip() + "\n"


def json_schemas() -> dict[str, str]:
    """File name → JSON Schema text, one per record type plus the union of all of them."""
    models: list[type[records.Record]] = [
        records.HeaderRecord,
        records.ScaleRecord,
        records.LabelRecord,
        records.SourceRecord,
        records.SourceVersionRecord,
        records.EntityRecord,
        records.ClaimRecord,
        records.AppearanceRecord,
        records.VerdictRecord,
        records.LinkRecord,
        records.DecisionRecord,
        records.ExtractionDecisionRecord,
    ]
    schemas = {}
    for model in models:
        kind = model.model_fields["type"].default
        kind = "header" if kind == "factcheck" else kind
        schema = model.model_json_schema()
        schema["$id"] = f"https://factcheck.invalid/schemas/{kind}.json"
        schemas[f"{kind}.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    union = TypeAdapter(records.AnyRecord).json_schema()
    union["title"] = "factcheck jsonl record"
    union["description"] = "Any line of a factcheck jsonl dump; `type` says which record it is."
    schemas["record.json"] = json.dumps(union, indent=2, ensure_ascii=False) + "\n"
    return schemas


def write_all(docs: Path) -> None:
    """docs/schema.md and docs/schemas/, each replaced whole (a failed run leaves the old ones)."""
    with tempfile.TemporaryDirectory() as tmp:
        text = reference(seeded_database(Path(tmp)))
    with OutputFile(docs / "schema.md", force=True).writing() as path:
        path.write_text(text, encoding="utf-8")
    with OutputFile(docs / "schemas", force=True).directory() as path:
        for name, schema in json_schemas().items():
            (path / name).write_text(schema, encoding="utf-8")


if __name__ == "__main__":
    write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
