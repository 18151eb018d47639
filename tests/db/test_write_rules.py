"""The write rules live in the database: its triggers are the ones the models give, every writer
(one command, the bulk import, PostgreSQL, a write from outside factcheck) gets the same history
and search entries, and a trigger lost is found by `db check` and restored by `db reindex`."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine, text

from factcheck.db import write_rules
from factcheck.db.connection import connect
from factcheck.db.database import Database
from factcheck.services.history import audited_tables
from tests.helpers import ok, run_cli


def test_a_head_database_has_the_triggers_the_models_give(database: Database) -> None:
    with database.read() as session:
        assert write_rules.missing_rules(session.connection()) == []
    with sqlite3.connect(database.location) as connection:
        names = {n for (n,) in connection.execute("SELECT name FROM sqlite_master")}
    assert set(write_rules.statements("sqlite")) <= names


@pytest.mark.usefixtures("backend")
def test_the_audited_tables_are_every_table_but_the_history() -> None:
    """`log --table` asks the database which tables its history triggers watch."""
    from factcheck import models

    ok("init")
    database = Database(os.environ["FACTCHECK_DB"], "tester")
    try:
        with database.store() as store:
            assert audited_tables(store) == sorted(models.AUDITED_TABLES)
    finally:
        database.close()


def test_one_history_row_per_row_written_and_none_for_an_unchanged_update(
    db_path: Path, corpus: dict[str, int]
) -> None:
    with connect(db_path) as connection:
        connection.writer.actor = "by hand"
        connection.execute("UPDATE claims SET kind = kind WHERE id = 1")
        connection.execute("UPDATE claims SET notes = 'n', kind = kind WHERE id = 1")
        rows = connection.execute(
            "SELECT actor, table_name, row_id, action, old_values, new_values FROM history "
            "WHERE actor = 'by hand'"
        ).fetchall()
    assert rows == [("by hand", "claims", 1, "update", '{"notes":null}', '{"notes":"n"}')]


def test_timestamps_in_the_history_are_iso_8601_in_utc(db_path: Path) -> None:
    ok("source", "add", "--title", "T", "--key", "t")
    with connect(db_path) as connection:
        connection.execute(
            "INSERT INTO tags (name) VALUES ('x')"
        )  # no timestamp column: nothing to convert
        connection.execute(
            "UPDATE sources SET created_at = '2020-01-03 04:05:06.000000' WHERE id = 1"
        )
        connection.execute(
            "UPDATE sources SET created_at = '2020-01-03 04:05:06.250000' WHERE id = 1"
        )
        values = [
            v
            for (v,) in connection.execute(
                "SELECT new_values FROM history WHERE table_name = 'sources' ORDER BY id"
            )
        ]
    assert values[1:] == [
        '{"created_at":"2020-01-03T04:05:06+00:00"}',
        '{"created_at":"2020-01-03T04:05:06.250000+00:00"}',
    ]


def test_a_dropped_trigger_is_found_and_restored(db_path: Path, corpus: dict[str, int]) -> None:
    with sqlite3.connect(db_path) as connection:
        connection.execute("DROP TRIGGER claims_history_update")
    checked = run_cli("db", "check", "--json")
    assert checked.exit_code == 1
    items = {item["name"]: item for item in checked.json()["items"]}
    assert items["write rules"]["value"] == "1 missing or changed, first claims_history_update"
    assert items["write rules"]["advice"] == "run `factcheck db reindex`"
    ok("db", "reindex")
    assert ok("db", "check", "--json").json()["ok"] is True
    ok("claim", "edit", "1", "--kind", "opinion")
    assert ok("log", "--table", "claims", "--limit", "1", "--json").json()[0]["new"] == {
        "kind": "opinion"
    }


def test_sqlite_folds_each_claim_a_write_changed_once_before_it_commits(
    db_path: Path, corpus: dict[str, int]
) -> None:
    """The triggers only queue; the transaction folds the queue and empties it, so the index
    holds the claim's text and every quote as soon as the command returns."""
    added = ok("claim", "add", "Ünusual wording here", "--source", "politico",
               "--quote", "an escalatory move", "--json").json()  # fmt: skip
    ok("claim", "cite", str(added["id"]), "--source", "revenge")
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT count(*) FROM claim_search_pending").fetchone() == (0,)
        (body,) = connection.execute(
            "SELECT body FROM claim_search WHERE rowid = ?", (added["id"],)
        ).fetchone()
    assert body == "unusual wording here an escalatory move"
    assert ok("db", "check", "--json").json()["ok"] is True
    with sqlite3.connect(db_path) as connection, pytest.raises(sqlite3.OperationalError):
        connection.execute("UPDATE claims SET text = 'changed from outside' WHERE id = 1")


def test_postgresql_queues_what_outside_writes_change_and_factcheck_folds_it(
    seeded_pg: str,
) -> None:
    """A write from psql gets its history (no actor) and queues the claim; `db check` reports
    the queue, and the next factcheck write folds it into the index."""
    engine = create_engine(seeded_pg)
    with engine.begin() as connection:
        connection.execute(text("UPDATE claims SET text = 'Ṣóme Ünicode wording' WHERE id = 1"))
    engine.dispose()
    conninfo = seeded_pg.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as connection:
        history = connection.execute(
            "SELECT actor, action, new_values::text FROM history ORDER BY id DESC LIMIT 1"
        ).fetchone()
        queued = connection.execute("SELECT claim_id FROM claim_search_pending").fetchall()
    assert history == (None, "update", '{ "text" : "Ṣóme Ünicode wording" }')
    assert queued == [(1,)]
    checked = run_cli("db", "check", "--json")
    assert checked.exit_code == 1
    assert {i["name"]: i["value"] for i in checked.json()["items"]}["search index"] == (
        "1 claims out of date"
    )
    ok("verdict", "set", "2", "true")
    assert ok("db", "check", "--json").json()["ok"] is True
    assert [c["id"] for c in ok("search", "some unicode", "--json").json()] == [1]


def test_postgresql_records_the_same_history_as_sqlite(pg_url: str, tmp_path: Path) -> None:
    """The seed and edits, on each backend, leave the same history (times aside), which `log`
    shows the same."""
    lite = str(tmp_path / "lite.db")
    moved = tmp_path / "moved.txt"
    logs = []
    for db in (lite, pg_url):
        ok("--db", db, "seed")
        ok("--db", db, "claim", "edit", "3", "--text", "Reworded", "--tag", "new")
        # A new text moves every quote of source 1: each appearance is re-anchored.
        text = ok("--db", db, "source", "show", "1", "--json").json()["text"]
        moved.write_text("A preface.\n" + text, encoding="utf-8")
        ok("--db", db, "source", "edit", "1", "--file", str(moved), "--outlet", "Elsewhere")
        ok("--db", db, "source", "add", "--title", "Added", "--file", str(moved))
        entries = ok("--db", db, "log", "--json", "--limit", "40").json()
        for entry in entries:
            entry.pop("at")
            for values in (entry["old"], entry["new"]):
                if values is not None:
                    values.pop("created_at", None)
                    values.pop("fetched_at", None)  # when a source's file was read
        logs.append(entries)
    assert logs[0] == logs[1]
    assert {(e["table"], e["action"]) for e in logs[0][:4]} == {
        ("source_versions", "insert"),
        ("sources", "insert"),
        ("appearances", "update"),
    }
    conninfo = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as connection:
        on_postgresql = connection.execute(
            "SELECT actor, table_name, row_id, action, old_values::text, new_values::text "
            "FROM history ORDER BY id"
        ).fetchall()
    with sqlite3.connect(lite) as connection:
        on_sqlite = connection.execute(
            "SELECT actor, table_name, row_id, action, old_values, new_values "
            "FROM history ORDER BY id"
        ).fetchall()

    def timeless(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        def values(document: str | None) -> Any:
            parsed = None if document is None else json.loads(document)
            if isinstance(parsed, dict):
                parsed.pop("created_at", None)
                parsed.pop("fetched_at", None)
            return parsed

        return [(*row[:4], values(row[4]), values(row[5])) for row in rows]

    assert len(on_sqlite) > 1000
    assert timeless(on_postgresql) == timeless(on_sqlite)
