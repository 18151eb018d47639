"""What every write does besides the write itself, done by the database: triggers.

- History: each insert, update or delete of a row of an audited table (every table but `history`)
  adds a `history` row in the same statement: the table, the row id, the action, the actor, the
  time, and the row's values as JSON (every column, in the table's order, for an insert or a
  delete; the changed columns, old and new, for an update). Timestamps appear as ISO 8601 in UTC.
- Search index: `claim_search` holds one row per claim (rowid = claim id) whose body is the
  folded text of the claim followed by its quotes in appearance order.

Because the database runs the rules, a row written by one command, by a bulk import, by
`db copy` or on PostgreSQL gets the same history and search entry, with no code of factcheck's
in between to forget it. On SQLite the triggers call the SQL functions db/connection.py gives
every factcheck connection (`factcheck_actor`, `factcheck_recording`); a connection without them
cannot write an audited table at all. On PostgreSQL they are PL/pgSQL: the actor is the
transaction's `factcheck.actor` setting. On both, changed claims are queued in
`claim_search_pending` and folded into the index by factcheck before its write transaction
commits (`refresh_search`), each claim once however many of its rows the transaction wrote;
`db check` reports a queue that a write from outside left behind, and any factcheck write or
`db reindex` empties it.

The migration that creates the triggers (0008) and every later migration that changes an audited
table's columns call `create_triggers`; tests/db/test_write_rules.py checks that the database's
triggers are the ones the models give.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection

from factcheck.db.connection import REFRESH_SQLITE_SEARCH, search_text
from factcheck.models import APPEND_ONLY_TABLES, AUDITED_TABLES, Base, UTCDateTime
from factcheck.text import fold

_PAGE = 1000


def _audited() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name in AUDITED_TABLES]


def _is_timestamp(column: Any) -> bool:
    return isinstance(column.type, UTCDateTime)


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_value(ref: str, column: Any) -> str:
    """A column's value as the history's JSON holds it: timestamps (stored as naive UTC text)
    in ISO 8601 with the UTC offset, as Python's isoformat() writes them."""
    if not _is_timestamp(column):
        return ref
    return (
        f"CASE WHEN {ref} IS NULL THEN NULL WHEN {ref} LIKE '%.000000' "
        f"THEN replace(substr({ref}, 1, 19), ' ', 'T') || '+00:00' "
        f"ELSE replace({ref}, ' ', 'T') || '+00:00' END"
    )


def _sqlite_row(ref: str, table: Table) -> str:
    pairs = ", ".join(f"'{c.name}', {_sqlite_value(f'{ref}.{c.name}', c)}" for c in table.columns)
    return f"json_object({pairs})"


_SQLITE_HISTORY = (
    "INSERT INTO history (at, actor, table_name, row_id, action, old_values, new_values) "
)
_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"


def _sqlite_history(table: Table) -> dict[str, str]:
    name = table.name
    head = f"{_SQLITE_HISTORY}VALUES ({_SQLITE_NOW}, factcheck_actor(), '{name}'"
    changed = " OR ".join(f"OLD.{c.name} IS NOT NEW.{c.name}" for c in table.columns)
    diffs = " UNION ALL ".join(
        f"SELECT '{c.name}' AS name, {_sqlite_value(f'OLD.{c.name}', c)} AS old, "
        f"{_sqlite_value(f'NEW.{c.name}', c)} AS new WHERE OLD.{c.name} IS NOT NEW.{c.name}"
        for c in table.columns
    )
    insert = {
        f"{name}_history_insert": (
            f"CREATE TRIGGER {name}_history_insert AFTER INSERT ON {name} "
            f"WHEN factcheck_recording() BEGIN {head}, NEW.id, 'insert', NULL, "
            f"{_sqlite_row('NEW', table)}); END"
        )
    }
    delete = {
        f"{name}_history_delete": (
            f"CREATE TRIGGER {name}_history_delete AFTER DELETE ON {name} "
            f"WHEN factcheck_recording() BEGIN {head}, OLD.id, 'delete', "
            f"{_sqlite_row('OLD', table)}, NULL); END"
        )
    }
    if name in APPEND_ONLY_TABLES:
        # Updates are refused (revision 0002), and deletes but for the cascade of the parent's
        # delete (0013): no update trigger to prepare, so that is what any connection is told.
        return {**insert, **delete}
    return {
        **insert,
        f"{name}_history_update": (
            f"CREATE TRIGGER {name}_history_update AFTER UPDATE ON {name} "
            f"WHEN factcheck_recording() AND ({changed}) BEGIN {_SQLITE_HISTORY}"
            f"SELECT {_SQLITE_NOW}, factcheck_actor(), '{name}', NEW.id, 'update', "
            f"json_group_object(name, old), json_group_object(name, new) FROM ({diffs}); END"
        ),
        **delete,
    }


# Claims whose search text a row's change may have changed, queued for refresh_search: the
# triggers only queue (no fold, no index write), so a statement of many rows, or a transaction of
# many statements, indexes each claim once, when factcheck folds the queue before it commits.
_SQLITE_QUEUED = {
    ("claims", "insert", ""): ("NEW.id",),
    ("claims", "update", " OF id, text"): ("OLD.id", "NEW.id"),
    ("claims", "delete", ""): ("OLD.id",),
    ("appearances", "insert", ""): ("NEW.claim_id",),
    ("appearances", "update", " OF id, claim_id, quote"): ("OLD.claim_id", "NEW.claim_id"),
    ("appearances", "delete", ""): ("OLD.claim_id",),
}
_SQLITE_WHEN = {("appearances", "insert"): "NEW.quote", ("appearances", "delete"): "OLD.quote"}


def _sqlite_search() -> dict[str, str]:
    ddl = {
        "claim_search_pending": ("CREATE TABLE claim_search_pending (claim_id INTEGER PRIMARY KEY)")
    }
    for (table, event, columns), claims in _SQLITE_QUEUED.items():
        when = _SQLITE_WHEN.get((table, event))
        condition = f"WHEN {when} IS NOT NULL " if when else ""
        values = ", ".join(f"({claim})" for claim in claims)
        ddl[f"{table}_search_{event}"] = (
            f"CREATE TRIGGER {table}_search_{event} AFTER {event.upper()}{columns} ON {table} "
            f"{condition}BEGIN INSERT OR IGNORE INTO claim_search_pending (claim_id) "
            f"VALUES {values}; END"
        )
    return ddl


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_value(ref: str, column: Any) -> str:
    if not _is_timestamp(column):
        return f"to_json({ref})"
    iso = (
        f"regexp_replace(to_char({ref} AT TIME ZONE 'UTC', "
        f"'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '\\.000000$', '') || '+00:00'"
    )
    return f"to_json({iso})"


def _pg_row(ref: str, table: Table) -> str:
    pairs = ", ".join(f"'{c.name}', {_pg_value(f'{ref}.{c.name}', c)}" for c in table.columns)
    return f"json_build_object({pairs})"


_PG_ACTOR = "nullif(current_setting('factcheck.actor', true), '')"
_PG_HISTORY = "INSERT INTO history (at, actor, table_name, row_id, action, old_values, new_values)"


def _pg_history(table: Table) -> dict[str, str]:
    """Statement-level triggers over the statement's transition tables: one INSERT of history
    rows per statement, however many rows it wrote (a bulk import's batch is one statement)."""
    name = table.name
    diffs = ", ".join(
        f"({i}, '{c.name}', {_pg_value(f'o.{c.name}', c)}, {_pg_value(f'n.{c.name}', c)}, "
        f"o.{c.name} IS DISTINCT FROM n.{c.name})"
        for i, c in enumerate(table.columns)
    )
    head = f"    {_PG_HISTORY}\n    SELECT clock_timestamp(), {_PG_ACTOR}, '{name}', "
    function = (
        f"CREATE FUNCTION {name}_history() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  IF current_setting('factcheck.recording', true) = 'off' THEN RETURN NULL; END IF;\n"
        "  IF TG_OP = 'INSERT' THEN\n"
        f"{head}n.id, 'insert', NULL, {_pg_row('n', table)}\n"
        "    FROM new_rows n ORDER BY n.id;\n"
        "  ELSIF TG_OP = 'DELETE' THEN\n"
        f"{head}o.id, 'delete', {_pg_row('o', table)}, NULL\n"
        "    FROM old_rows o ORDER BY o.id;\n"
        "  ELSE\n"
        f"{head}n.id, 'update', d.old_values, d.new_values\n"
        "    FROM new_rows n JOIN old_rows o ON o.id = n.id CROSS JOIN LATERAL (\n"
        "      SELECT json_object_agg(c.name, c.old ORDER BY c.n) AS old_values,\n"
        "             json_object_agg(c.name, c.new ORDER BY c.n) AS new_values\n"
        f"      FROM (VALUES {diffs}) AS c(n, name, old, new, changed) WHERE c.changed) d\n"
        "    WHERE d.new_values IS NOT NULL ORDER BY n.id;\n"
        "  END IF;\n"
        "  RETURN NULL;\n"
        "END $$"
    )
    events = {
        "insert": "INSERT ON {t} REFERENCING NEW TABLE AS new_rows",
        "update": "UPDATE ON {t} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "DELETE ON {t} REFERENCING OLD TABLE AS old_rows",
    }
    if name in APPEND_ONLY_TABLES:  # updates are refused (0002), deletes but in a cascade (0013)
        del events["update"]
    ddl = {f"{name}_history()": function}
    for event, clause in events.items():
        ddl[f"{name}_history_{event}"] = (
            f"CREATE TRIGGER {name}_history_{event} AFTER {clause.format(t=name)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_history()"
        )
    return ddl


# Claims whose search text a statement may have changed, queued for refresh_search.
_PG_QUEUE = (
    "INSERT INTO claim_search_pending SELECT DISTINCT claim_id FROM ({ids}) AS q(claim_id) "
    "ON CONFLICT DO NOTHING"
)
_PG_QUEUED = {
    ("claims", "INSERT"): "SELECT id FROM new_rows",
    ("claims", "DELETE"): "SELECT id FROM old_rows",
    ("claims", "UPDATE"): (
        "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "WHERE n.text IS DISTINCT FROM o.text"
    ),
    ("appearances", "INSERT"): "SELECT claim_id FROM new_rows WHERE quote IS NOT NULL",
    ("appearances", "DELETE"): "SELECT claim_id FROM old_rows WHERE quote IS NOT NULL",
    ("appearances", "UPDATE"): (
        "SELECT x.claim_id FROM new_rows n JOIN old_rows o ON o.id = n.id, "
        "LATERAL (VALUES (n.claim_id), (o.claim_id)) AS x(claim_id) "
        "WHERE n.quote IS DISTINCT FROM o.quote OR n.claim_id IS DISTINCT FROM o.claim_id"
    ),
}


def _pg_search() -> dict[str, str]:
    branches = "\n".join(
        f"  {'IF' if i == 0 else 'ELSIF'} TG_TABLE_NAME = '{table}' AND TG_OP = '{op}' THEN\n"
        f"    {_PG_QUEUE.format(ids=ids)};"
        for i, ((table, op), ids) in enumerate(_PG_QUEUED.items())
    )
    ddl = {
        "claim_search_pending": "CREATE TABLE claim_search_pending (claim_id integer PRIMARY KEY)",
        "claim_search_queue()": (
            "CREATE FUNCTION claim_search_queue() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{branches}\n  END IF;\n  RETURN NULL;\nEND $$"
        ),
    }
    for table in ("claims", "appearances"):
        for event, clause in (
            ("insert", "INSERT ON {t} REFERENCING NEW TABLE AS new_rows"),
            ("update", "UPDATE ON {t} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("delete", "DELETE ON {t} REFERENCING OLD TABLE AS old_rows"),
        ):
            ddl[f"{table}_search_{event}"] = (
                f"CREATE TRIGGER {table}_search_{event} AFTER {clause.format(t=table)} "
                "FOR EACH STATEMENT EXECUTE FUNCTION claim_search_queue()"
            )
    return ddl


# --- creating and dropping ------------------------------------------------------------------


def search_statements(dialect: str) -> dict[str, str]:
    """The DDL of the search index's rules: the queue, and the triggers that fill it."""
    return _sqlite_search() if dialect == "sqlite" else _pg_search()


def statements(
    dialect: str, tables: Iterable[Table] | None = None, existing: Collection[str] | None = None
) -> dict[str, str]:
    """The DDL of the write rules, by the name of what each creates: the history triggers of
    `tables` (default: every audited table, or those of them named in `existing`: a migration
    creates the rules of the tables there are at its revision), then the search index's."""
    chosen = _audited() if tables is None else list(tables)
    if existing is not None:
        chosen = [table for table in chosen if table.name in existing]
    history = _sqlite_history if dialect == "sqlite" else _pg_history
    ddl: dict[str, str] = {}
    for table in chosen:
        ddl.update(history(table))
    if tables is None:
        ddl.update(search_statements(dialect))
    return ddl


def _drop(dialect: str, name: str) -> str:
    if name == "claim_search_pending":
        return "DROP TABLE IF EXISTS claim_search_pending"
    if dialect == "sqlite":
        return f"DROP TRIGGER IF EXISTS {name}"
    if name.endswith("()"):
        return f"DROP FUNCTION IF EXISTS {name} CASCADE"
    return ""  # a trigger goes with its function


def create_triggers(
    execute: Callable[[str], Any],
    dialect: str,
    tables: Any = None,
    existing: Collection[str] | None = None,
) -> None:
    """Create (or re-create) the write rules through `execute` (a migration's op.execute)."""
    for name, ddl in statements(dialect, tables, existing).items():
        drop = _drop(dialect, name)
        if drop:
            execute(drop)
        execute(ddl)


def drop_triggers(execute: Callable[[str], Any], dialect: str, tables: Any = None) -> None:
    for name in reversed(statements(dialect, tables)):
        drop = _drop(dialect, name)
        if drop:
            execute(drop)


# --- the search index from Python: checking, rebuilding, PostgreSQL's queue -------------------


def expected_bodies(
    connection: Connection, claim_ids: list[int] | None = None
) -> Iterator[tuple[int, str]]:
    """(claim id, body) for what the search index should hold, a page at a time in id order."""
    dialect = connection.dialect.name
    after = 0
    while True:
        where = "c.id > :after"
        params: dict[str, Any] = {"after": after, "page": _PAGE}
        if claim_ids is not None:
            chunk = [i for i in sorted(set(claim_ids)) if i > after][:_PAGE]
            if not chunk:
                return
            where += " AND c.id IN (" + ", ".join(str(int(i)) for i in chunk) + ")"
        rows = connection.execute(
            text(
                f"SELECT c.id, {search_text(dialect)} FROM claims AS c "
                f"WHERE {where} ORDER BY c.id LIMIT :page"
            ),
            params,
        ).all()
        if not rows:
            return
        for claim_id, body in rows:
            yield claim_id, fold(body)
        after = rows[-1][0]


def rebuild_search(connection: Connection) -> int:
    """Write the whole search index again from the claims; how many claims it holds."""
    connection.execute(text("DELETE FROM claim_search"))
    connection.execute(text("DELETE FROM claim_search_pending"))
    written = 0
    batch: list[dict[str, Any]] = []
    for claim_id, body in expected_bodies(connection):
        batch.append({"id": claim_id, "body": body})
        if len(batch) == _PAGE:
            written += _insert_bodies(connection, batch)
            batch = []
    return written + _insert_bodies(connection, batch)


def _insert_bodies(connection: Connection, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    if connection.dialect.name == "sqlite":
        connection.execute(text("INSERT INTO claim_search (rowid, body) VALUES (:id, :body)"), rows)
    else:
        # One statement for the page: executemany sends the server a statement per row.
        connection.execute(
            text(
                "INSERT INTO claim_search (rowid, body) "
                "SELECT * FROM unnest(CAST(:ids AS integer[]), CAST(:bodies AS text[]))"
            ),
            {"ids": [row["id"] for row in rows], "bodies": [row["body"] for row in rows]},
        )
    return len(rows)


def refresh_search(connection: Connection) -> None:
    """Fold the claims queued by the triggers into the search index, and empty the queue: on
    SQLite in SQL (factcheck_fold), on PostgreSQL in Python."""
    if connection.dialect.name == "sqlite":
        for statement in REFRESH_SQLITE_SEARCH:
            connection.exec_driver_sql(statement)
        return
    queued = list(
        connection.execute(text("DELETE FROM claim_search_pending RETURNING claim_id")).scalars()
    )
    if not queued:
        return
    for start in range(0, len(queued), _PAGE):
        chunk = queued[start : start + _PAGE]
        connection.execute(text("DELETE FROM claim_search WHERE rowid = ANY(:ids)"), {"ids": chunk})
        _insert_bodies(
            connection,
            [{"id": c, "body": b} for c, b in expected_bodies(connection, chunk)],
        )


def pending_count(connection: Connection) -> int:
    """Claims changed by writes from outside factcheck and not yet in the index."""
    return int(connection.scalar(text("SELECT count(*) FROM claim_search_pending")) or 0)


@contextmanager
def unrecorded(connection: Connection) -> Iterator[None]:
    """Within the connection's transaction, writes add no history rows: for `db copy`, whose
    rows bring the history they already have."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config('factcheck.recording', 'off', true)"))
        try:
            yield
        finally:
            connection.execute(text("SELECT set_config('factcheck.recording', 'on', true)"))
        return
    writer = connection.connection.driver_connection.writer  # type: ignore[union-attr]
    writer.recording = False
    try:
        yield
    finally:
        writer.recording = True


# The SQLite search index as migration 0012 defines it: `content="claims"` in its comment is the
# mark by which Datasette and sqlite-utils know it as the index of claims (their detect_fts). A
# tool told to drop or replace the claims' index (`sqlite-utils disable-fts`) drops it:
# `db check` finds it missing and `db reindex` creates it again.
SQLITE_SEARCH_INDEX = (
    "CREATE VIRTUAL TABLE claim_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2'"
    " /* the folded text and quotes of each claim, rowid = claims.id; the index of "
    'content="claims" for Datasette and sqlite-utils */)'
)


def missing_rules(connection: Connection) -> list[str]:
    """The write rules this database lacks or has in another form than the models give (a
    trigger dropped or edited by hand; on SQLite, also the search index table): by name."""
    dialect = connection.dialect.name
    expected = statements(dialect)
    if dialect == "sqlite":
        expected["claim_search"] = SQLITE_SEARCH_INDEX
        present: dict[str, str] = dict(
            connection.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                    "OR name IN ('claim_search_pending', 'claim_search')"
                )
            ).all()
        )
        return [name for name, ddl in expected.items() if present.get(name) != ddl]
    present_names = set(
        connection.execute(
            text(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "UNION SELECT proname || '()' FROM pg_proc "
                "WHERE pronamespace = 'public'::regnamespace "
                "UNION SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        ).scalars()
    )
    return [name for name in expected if name not in present_names]
