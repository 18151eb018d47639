"""Database health checks, the search index rebuild, and consistent online backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from factcheck.db.migrate import HEAD_REVISION, foreign_key_problems
from factcheck.db.write_rules import (
    SQLITE_SEARCH_INDEX,
    create_triggers,
    expected_bodies,
    missing_rules,
    pending_count,
    rebuild_search,
)
from factcheck.errors import DatabaseProblem, FactcheckError, InvalidInput
from factcheck.outputs import OutputFile
from factcheck.schemas import Output


class CheckItem(Output):
    name: str
    ok: bool
    value: str
    advice: str | None = None


class CheckReport(Output):
    ok: bool
    items: list[CheckItem]


class BackupOut(Output):
    path: str
    bytes: int
    integrity: str


def _raw(session: Session) -> sqlite3.Connection:
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def search_index_mismatches(session: Session) -> list[int]:
    """Claims whose search row is missing, stale, or left over from a deleted claim (on
    PostgreSQL, also claims queued by a write from outside factcheck and not yet folded in)."""
    connection = session.connection()
    indexed: dict[int, str] = {
        rowid: body
        for rowid, body in connection.execute(text("SELECT rowid, body FROM claim_search"))
    }
    stale = set()
    for claim_id, body in expected_bodies(connection):
        if indexed.pop(claim_id, None) != body:
            stale.add(claim_id)
    stale.update(indexed)
    if pending_count(connection):
        stale.update(
            connection.execute(text("SELECT claim_id FROM claim_search_pending")).scalars()
        )
    return sorted(stale)


def check(session: Session) -> CheckReport:
    items: list[CheckItem] = []
    revision = session.scalar(text("SELECT version_num FROM alembic_version"))
    items.append(
        CheckItem(
            name="schema revision",
            ok=revision == HEAD_REVISION,
            value=f"{revision} (head {HEAD_REVISION})",
            advice=None if revision == HEAD_REVISION else "run `factcheck db upgrade`",
        )
    )
    if session.get_bind().dialect.name == "postgresql":
        items.extend(_postgresql_items(session))
    else:
        items.extend(_sqlite_items(session))
    missing = missing_rules(session.connection()) if revision == HEAD_REVISION else []
    items.append(
        CheckItem(
            name="write rules",
            ok=not missing,
            value="history and search triggers in place"
            if not missing
            else f"{len(missing)} missing or changed, first {missing[0]}",
            advice=None if not missing else "run `factcheck db reindex`",
        )
    )
    if "claim_search" in missing:
        # No index to compare: the write rules' item says so, and `db reindex` recreates it.
        return CheckReport(ok=False, items=items)
    stale = search_index_mismatches(session)
    items.append(
        CheckItem(
            name="search index",
            ok=not stale,
            value="consistent" if not stale else f"{len(stale)} claims out of date",
            advice=None if not stale else "run `factcheck db reindex`",
        )
    )
    return CheckReport(ok=all(i.ok for i in items), items=items)


def _postgresql_items(session: Session) -> list[CheckItem]:
    items = [CheckItem(name="server", ok=True, value=str(session.scalar(text("SELECT version()"))))]
    # The server enforces constraints; one created NOT VALID (by hand) is not checked on old rows.
    unvalidated = list(
        session.scalars(
            text(
                "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                "WHERE n.nspname = current_schema() AND NOT c.convalidated ORDER BY conname"
            )
        )
    )
    items.append(
        CheckItem(
            name="constraints",
            ok=not unvalidated,
            value="all validated" if not unvalidated else ", ".join(unvalidated),
            advice=None
            if not unvalidated
            else "run ALTER TABLE ... VALIDATE CONSTRAINT for each one and fix the rows it reports",
        )
    )
    return items


def _sqlite_items(session: Session) -> list[CheckItem]:
    items: list[CheckItem] = []
    items.append(CheckItem(name="SQLite version", ok=True, value=sqlite3.sqlite_version))
    options = set(session.scalars(text("PRAGMA compile_options")))
    fts5 = "ENABLE_FTS5" in options
    items.append(
        CheckItem(
            name="FTS5",
            ok=fts5,
            value="available" if fts5 else "missing",
            advice=None if fts5 else "search needs an SQLite built with FTS5",
        )
    )
    mode = session.scalar(text("PRAGMA journal_mode"))
    items.append(
        CheckItem(
            name="journal mode",
            ok=mode == "wal",
            value=str(mode),
            advice=None if mode == "wal" else "run any factcheck command to switch it to WAL",
        )
    )
    integrity = [row for (row,) in session.execute(text("PRAGMA integrity_check"))]
    items.append(
        CheckItem(
            name="integrity",
            ok=integrity == ["ok"],
            value="; ".join(integrity[:5]),
            advice=None
            if integrity == ["ok"]
            else "restore from a backup (`factcheck db backup` makes them)",
        )
    )
    problems = foreign_key_problems(session.connection())
    items.append(
        CheckItem(
            name="foreign keys",
            ok=not problems,
            value="ok"
            if not problems
            else f"{len(problems)} broken references, first {problems[0]}",
            advice=None
            if not problems
            else "rows were edited outside factcheck; fix or delete them",
        )
    )
    return items


def reindex(session: Session) -> int:
    """Re-create the write rules' triggers and, on SQLite, the search index table (should one be
    missing or changed), then rebuild the whole search index; returns the number of claims
    indexed."""
    connection = session.connection()
    dialect = connection.dialect.name
    missing = missing_rules(connection)
    if missing:
        create_triggers(lambda ddl: connection.exec_driver_sql(ddl), dialect)
    if "claim_search" in missing:
        connection.exec_driver_sql("DROP TABLE IF EXISTS claim_search")
        connection.exec_driver_sql(SQLITE_SEARCH_INDEX)
    return rebuild_search(connection)


def backup(session: Session, destination: Path, force: bool = False) -> BackupOut:
    """Copy the database through SQLite's backup API: a consistent snapshot while others write."""
    if session.get_bind().dialect.name != "sqlite":
        raise FactcheckError(
            "`db backup` copies SQLite databases", hint="back up PostgreSQL with pg_dump"
        )
    database_file = session.connection().engine.url.database
    keep = {Path(database_file): "the database being backed up"} if database_file else {}
    source = _raw(session)
    with OutputFile(destination, force, keep, database=True).writing() as path:
        target = sqlite3.connect(path)
        try:
            source.backup(target)
            problems = [row for (row,) in target.execute("PRAGMA integrity_check")]
            target.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as exc:
            # The copy's side (a full disk, a file size limit): the database itself is fine.
            raise InvalidInput(f"cannot write {destination}: {exc}") from exc
        finally:
            target.close()
        if problems != ["ok"]:
            # Never let a damaged copy replace a good backup.
            raise DatabaseProblem(
                f"the copy failed its integrity check ({'; '.join(problems[:3])}); "
                f"{destination} was not written",
                hint="`factcheck db check` examines the database itself",
            )
    return BackupOut(path=str(destination), bytes=destination.stat().st_size, integrity=problems[0])
