"""Database-level fixtures and helpers shared by the tests of tests/db.

`fresh_url` is the one place that decides which backend these tests run against: every test that
needs a database of its own (migrations, round trips, the audit state machine) asks it for one.
Parametrizing it (e.g. over a PostgreSQL server) is meant to be enough to run them elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.engine import URL, Connection, make_url

from factcheck.db import migrate
from factcheck.db.engine import make_engine

# Tables that hold no user data: Alembic's bookkeeping, SQLite's AUTOINCREMENT counters and the
# search index (compared through `db check`, which knows how it should look).
NOT_DATA = ("alembic_version", "sqlite_sequence", "claim_search")


def pytest_configure(config: pytest.Config) -> None:
    # pytest-alembic's tests carry this mark; its plugin (disabled) would have registered it.
    config.addinivalue_line("markers", "alembic: pytest-alembic's standard migration tests")


def revisions() -> list[str]:
    """Every revision of migrations/versions, oldest first (read at collection time, so a new
    revision is covered without touching the tests)."""
    script = ScriptDirectory(str(migrate.migrations_dir()))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], URL]:
    """A new, empty database for each name, on each backend."""
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres_server")
        urls: dict[str, URL] = {}

        def make_pg(name: str) -> URL:
            if name not in urls:
                urls[name] = make_url(server.create_database())
            return urls[name]

        return make_pg

    def make(name: str) -> URL:
        return URL.create("sqlite", database=str(tmp_path / f"{name}.db"))

    return make


@pytest.fixture
def engine_for(fresh_url: Callable[[str], URL]) -> Iterator[Callable[[str], Engine]]:
    """factcheck's own engine (make_engine: its pragmas and transaction modes) on a fresh database;
    disposed at the end of the test."""
    engines: list[Engine] = []

    def make(name: str) -> Engine:
        engines.append(make_engine(fresh_url(name)))
        return engines[-1]

    yield make
    for engine in engines:
        engine.dispose()


def cli_db(engine: Engine) -> str:
    """The `--db` value naming the same database as `engine`."""
    return engine.url.render_as_string(hide_password=False)


def data_tables(connection: Connection) -> list[str]:
    names = inspect(connection).get_table_names()
    return sorted(n for n in names if not n.startswith(NOT_DATA))


def table_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table, by id: what a migration must never lose or alter."""
    with engine.connect() as connection:
        return {
            name: [
                tuple(row)
                for row in connection.exec_driver_sql(f'SELECT * FROM "{name}" ORDER BY id')
            ]
            for name in data_tables(connection)
        }


def foreign_key_problems(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return migrate.foreign_key_problems(connection)
