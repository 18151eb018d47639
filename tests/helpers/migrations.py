"""Helpers of the migration tests (tests/db): the revisions, and a database's data as a value a
migration must leave unchanged."""

from __future__ import annotations

from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.engine import Connection

from factcheck.db import migrate

# Tables that hold no user data: Alembic's bookkeeping, SQLite's AUTOINCREMENT counters and the
# search index (compared through `db check`, which knows how it should look).
NOT_DATA = ("alembic_version", "sqlite_sequence", "claim_search")


def revisions() -> list[str]:
    """Every revision of migrations/versions, oldest first (read at collection time, so a new
    revision is covered without touching the tests)."""
    script = ScriptDirectory(str(migrate.migrations_dir()))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def cli_db(engine: Engine) -> str:
    """The `--db` value naming the same database as `engine`."""
    return engine.url.render_as_string(hide_password=False)


def data_tables(connection: Connection) -> list[str]:
    names = inspect(connection).get_table_names()
    return sorted(n for n in names if not n.startswith(NOT_DATA))


def table_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table that has rows, by id: what a migration must never lose or
    alter (read through the database's own tables, which at an old revision are not the
    models'). Empty tables are left out: a table a later revision adds is dropped, empty, when
    the database goes back past it; so are columns empty (NULL) in every row, for the same
    reason: a column a later revision adds is dropped, empty, too."""
    with engine.connect() as connection:
        tables = {
            name: connection.exec_driver_sql(f'SELECT * FROM "{name}" ORDER BY id').all()
            for name in data_tables(connection)
        }
    return {name: _filled(rows) for name, rows in tables.items() if rows}


def rows_at(url: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """`table_rows` of the database a `--db` value (None: the test's database) names."""
    from factcheck.db.engine import make_engine, resolve_url

    engine = make_engine(resolve_url(url))
    try:
        return table_rows(engine)
    finally:
        engine.dispose()


def _filled(rows: list[Any]) -> list[tuple[Any, ...]]:
    """The rows without the columns that are NULL in all of them."""
    filled = [i for i in range(len(rows[0])) if any(row[i] is not None for row in rows)]
    return [tuple(row[i] for i in filled) for row in rows]


def foreign_key_problems(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return migrate.foreign_key_problems(connection)
