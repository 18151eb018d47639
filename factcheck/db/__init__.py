"""Persistence: the engine, sessions, migrations and what every write records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from factcheck.db import hooks, migrate
from factcheck.db.engine import READONLY, describe, make_engine
from factcheck.models import Base


class FactcheckSession(Session):
    """A session whose flushes also write history rows and keep the search index current."""


event.listen(Base, "after_insert", hooks.after_insert, propagate=True)
event.listen(Base, "after_update", hooks.after_update, propagate=True)
event.listen(Base, "after_delete", hooks.after_delete, propagate=True)
event.listen(FactcheckSession, "after_flush", hooks.reindex_search)


class Database:
    """One database, as the CLI sees it: where it is, who is acting, and its transactions."""

    def __init__(self, url: URL, actor: str | None) -> None:
        self.url = url
        self.actor = actor
        self._engine: Engine | None = None

    @property
    def location(self) -> str:
        return describe(self.url)

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def exists(self) -> bool:
        """False only for a SQLite file that has not been created yet."""
        return self.dialect != "sqlite" or Path(self.location).exists()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.url)
        return self._engine

    def ensure_schema(self) -> None:
        migrate.ensure_current(self.engine)

    @contextmanager
    def write(self, dry_run: bool = False) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE on SQLite): committed whole or not at all.

        With `dry_run`, everything is done and checked, then rolled back.
        """
        with FactcheckSession(self.engine, info={"actor": self.actor}) as session:
            session.begin()
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            if dry_run:
                session.rollback()
            else:
                session.commit()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot that never takes the write lock."""
        options: dict[str, Any] = {READONLY: True}
        if self.dialect == "postgresql":
            # One snapshot for every query of the session, as SQLite's read transaction gives.
            options.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        engine = self.engine.execution_options(**options)
        with FactcheckSession(engine, info={"actor": self.actor}) as session:
            yield session

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
