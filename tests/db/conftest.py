"""Database-level fixtures of the tests of tests/db (their helpers: tests/helpers/migrations.py).

`fresh_url` is the one place that decides which backend these tests run against: every test that
needs a database of its own (migrations, round trips, the audit state machine) asks it for one.
Parametrizing it (e.g. over a PostgreSQL server) is meant to be enough to run them elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url

from factcheck.db.engine import make_engine


def pytest_configure(config: pytest.Config) -> None:
    # pytest-alembic's tests carry this mark; its plugin (disabled) would have registered it.
    config.addinivalue_line("markers", "alembic: pytest-alembic's standard migration tests")


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
