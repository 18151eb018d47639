"""A database as the commands see it: where it is, who is acting, and its transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from factcheck.db import migrate
from factcheck.db.engine import ACTOR, READONLY, describe, make_engine
from factcheck.db.write_rules import refresh_search


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

        The database's triggers record the history (as `actor`) and keep the search index; on
        PostgreSQL the claims they queued are folded into the index before the commit.
        With `dry_run`, everything is done and checked, then rolled back.
        """
        engine = self.engine.execution_options(**{ACTOR: self.actor})
        with Session(engine, info={"actor": self.actor}) as session:
            session.begin()
            try:
                yield session
                session.flush()
                refresh_search(session.connection())
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
        with Session(engine, info={"actor": self.actor}) as session:
            yield session

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
