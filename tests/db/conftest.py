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
from typing import Protocol

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url

from factcheck.db.engine import make_engine


class FreshUrl(Protocol):
    """The `fresh_url` fixture's function (see there)."""

    def __call__(self, name: str, migrated: bool = False) -> URL: ...


def pytest_configure(config: pytest.Config) -> None:
    # pytest-alembic's tests carry this mark; its plugin (disabled) would have registered it.
    config.addinivalue_line("markers", "alembic: pytest-alembic's standard migration tests")


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FreshUrl]:
    """A new, empty database for each name, on each backend (dropped after the test on a
    server); with `migrated`, one at the head revision instead, a copy of the test process's
    migrated template (`migrated_template`, `migrated_pg_template`)."""
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres_server")
        urls: dict[str, str] = {}

        def make_pg(name: str, migrated: bool = False) -> URL:
            if name not in urls:
                template = request.getfixturevalue("migrated_pg_template") if migrated else None
                urls[name] = server.create_database(template)
            return make_url(urls[name])

        yield make_pg
        for url in urls.values():
            server.drop_database(url)
        return

    def make(name: str, migrated: bool = False) -> URL:
        path = tmp_path / f"{name}.db"
        if migrated and not path.exists():
            shutil.copyfile(request.getfixturevalue("migrated_template"), path)
        return URL.create("sqlite", database=str(path))

    yield make


@pytest.fixture
def migrated_url(fresh_url: FreshUrl) -> Callable[[str], URL]:
    """A new database at the head revision for each name, on each backend."""
    return lambda name: fresh_url(name, migrated=True)


@pytest.fixture
def engine_for(fresh_url: FreshUrl) -> Iterator[Callable[[str], Engine]]:
    """factcheck's own engine (make_engine: its pragmas and transaction modes) on a fresh database;
    disposed at the end of the test."""
    engines: list[Engine] = []

    def make(name: str) -> Engine:
        engines.append(make_engine(fresh_url(name)))
        return engines[-1]

    yield make
    for engine in engines:
        engine.dispose()
