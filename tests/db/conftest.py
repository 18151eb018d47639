"""Database-level fixtures of the tests of tests/db (their helpers: tests/helpers/migrations.py).

`fresh_url` is the one place that decides which backend these tests run against: every test that
needs a database of its own (migrations, round trips, the audit state machine) asks it for one
(`migrated_url` asks it too, for one at the head revision).
Parametrizing it (e.g. over a PostgreSQL server) is meant to be enough to run them elsewhere.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url

from factcheck.db.database import Database
from factcheck.db.engine import make_engine


def pytest_configure(config: pytest.Config) -> None:
    # pytest-alembic's tests carry this mark; its plugin (disabled) would have registered it.
    config.addinivalue_line("markers", "alembic: pytest-alembic's standard migration tests")


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], URL]]:
    """A new, empty database for each name, on each backend (dropped after the test on a
    server)."""
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres_server")
        urls: dict[str, str] = {}

        def make_pg(name: str) -> URL:
            if name not in urls:
                urls[name] = server.create_database()
            return make_url(urls[name])

        yield make_pg
        for url in urls.values():
            server.drop_database(url)
        return

    def make(name: str) -> URL:
        return URL.create("sqlite", database=str(tmp_path / f"{name}.db"))

    yield make


@pytest.fixture
def migrated_url(fresh_url: Callable[[str], URL], migrated_template: Path) -> Callable[[str], URL]:
    """A new database at the head revision for each name, on each backend: on SQLite a copy of
    `migrated_template`, elsewhere migrated."""

    def make(name: str) -> URL:
        url = fresh_url(name)
        if url.get_backend_name() == "sqlite":
            shutil.copyfile(migrated_template, str(url.database))
        else:
            database = Database(url, None)
            database.ensure_schema()
            database.close()
        return url

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
