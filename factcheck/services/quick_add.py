"""`claim add` straight through sqlite3, without SQLAlchemy (see factcheck/sqlite_direct.py).

It writes what `claims.add_claim` writes (the claim, its appearance with the anchored quote, new
tags and the claim's tags, a history row for each, the search row), in the same order, for the
claims people add from the terminal. A claim naming entities, or a source that is not found,
goes back to the ORM path: there nothing is duplicated of entity resolution or of the errors.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from factcheck.db.connection import Connection, transaction
from factcheck.schemas import ClaimIn
from factcheck.services.anchoring import AppearanceCreated, anchor_columns, same_text_warning


@dataclass(frozen=True)
class _Source:
    id: int
    key: str
    text: str | None
    author: str | None


class _Declined(Exception):
    """This claim is for the ORM path; the transaction is rolled back."""


def _source(connection: sqlite3.Connection, ref: str) -> _Source:
    # As refs.get_source: digits are an id, anything else a key.
    ref = ref.strip()
    column = "id" if ref.isdigit() else "key"
    row = connection.execute(
        f"SELECT id, key, text, author FROM sources WHERE {column} = ?",
        (int(ref) if ref.isdigit() else ref,),
    ).fetchone()
    if row is None:
        raise _Declined
    return _Source(*row)


def _insert(connection: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    """Insert a row; its id."""
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = connection.execute(
        f"INSERT INTO {table} ({names}) VALUES ({marks})", list(values.values())
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _now() -> str:
    # As models.UTCDateTime stores a timestamp on SQLite: naive UTC, microseconds always shown.
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _tag_id(connection: sqlite3.Connection, name: str) -> int:
    row = connection.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row is not None else _insert(connection, "tags", {"name": name})


def add_claim_quickly(
    connection: Connection, data: ClaimIn, actor: str | None
) -> AppearanceCreated | None:
    """`claims.add_claim` on a connection from `open_current`; None, with nothing written, when
    the claim is one for the ORM path."""
    if data.entities:
        return None
    connection.writer.actor = actor
    try:
        with transaction(connection):
            return _add(connection, data, actor)
    except _Declined:
        return None


def _add(connection: sqlite3.Connection, data: ClaimIn, actor: str | None) -> AppearanceCreated:
    warnings: list[str] = []
    same = connection.execute(
        "SELECT id FROM claims WHERE text = ? ORDER BY id LIMIT 1", (data.text,)
    ).fetchone()
    if same is not None:
        warnings.append(same_text_warning(same[0]))
    source = _source(connection, data.appearance.source)
    columns = anchor_columns(source, data.appearance, warnings)
    # The ORM's flush order: the claim, new tags, the appearance, the claim's tags.
    claim_id = _insert(
        connection,
        "claims",
        {
            "text": data.text,
            "kind": data.kind,
            "notes": data.notes,
            "created_at": _now(),
            "created_by": actor,
        },
    )
    tag_ids = [_tag_id(connection, name) for name in dict.fromkeys(data.tags)]
    appearance = data.appearance
    appearance_id = _insert(
        connection,
        "appearances",
        {
            "claim_id": claim_id,
            "source_id": source.id,
            **columns,
            "claimant": appearance.claimant if appearance.claimant is not None else source.author,
            "stance": appearance.stance,
            "created_at": _now(),
            "created_by": actor,
        },
    )
    for tag_id in tag_ids:
        _insert(connection, "claim_tags", {"claim_id": claim_id, "tag_id": tag_id})
    return AppearanceCreated(
        id=claim_id,
        appearance_id=appearance_id,
        anchor_status=columns["anchor_status"],
        start=columns["quote_start"],
        end=columns["quote_end"],
        warnings=warnings,
    )
