"""A database as the commands see it: where it is, who is acting, and its transactions.

Opening a SQLite file that is already at the current schema imports no SQLAlchemy: `store()`
transactions run on a sqlite3 connection from db/connection.py. SQLAlchemy (the engine, ORM
sessions, Alembic) is loaded when something needs it: a PostgreSQL URL, a file to create or
migrate, or a command that works through `write()`/`read()` sessions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.db.connection import (
    Connection,
    connect,
    current_revision,
    resolve_path,
    transaction,
)
from factcheck.db.store import Store

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL
    from sqlalchemy.orm import Session


class Database:
    """One database, as the CLI sees it: where it is, who is acting, and its transactions."""

    def __init__(self, url: URL | str, actor: str | None) -> None:
        """`url`: a SQLAlchemy URL, or what `--db` gives (a file path, or a URL with `://`)."""
        self.actor = actor
        self._url: URL | None = None
        self._path: Path | None = None
        if isinstance(url, str) and "://" not in url:
            self._path = resolve_path(url)
        elif isinstance(url, str):
            from factcheck.db.engine import resolve_url

            self._url = resolve_url(url)
        elif url.get_backend_name() == "sqlite" and url.database:
            self._path, self._url = Path(url.database), url
        else:
            self._url = url
        self._engine: Engine | None = None
        self._sqlite: Connection | None = None

    @property
    def url(self) -> URL:
        if self._url is None:
            from sqlalchemy.engine import URL

            self._url = URL.create("sqlite", database=str(self._path))
        return self._url

    @property
    def location(self) -> str:
        if self._path is not None:
            return str(self._path)
        from factcheck.db.engine import describe

        return describe(self.url)

    @property
    def file(self) -> Path | None:
        """The SQLite file (None for a server database)."""
        return self._path

    @property
    def dialect(self) -> str:
        return "sqlite" if self._path is not None else self.url.get_backend_name()

    def exists(self) -> bool:
        """False only for a SQLite file that has not been created yet."""
        return self._path is None or self._path.exists()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from factcheck.db.engine import make_engine

            self._engine = make_engine(self.url)
        return self._engine

    def ensure_schema(self) -> None:
        """Create or upgrade the database unless it is already at the head revision: on an
        existing SQLite file, checked without SQLAlchemy, on the connection that `store()`
        transactions then use (each new connection reads the whole schema: a few milliseconds
        of every command)."""
        if self._path is not None and self._path.is_file():
            from factcheck.db.connection import HEAD_REVISION

            try:
                connection = self._sqlite or connect(self._path, create=False)
            except sqlite3.Error:
                connection = None  # not a usable SQLite file: the SQLAlchemy path explains
            if connection is not None and current_revision(connection) == HEAD_REVISION:
                self._sqlite = connection
                return
            if connection is not None and connection is not self._sqlite:
                connection.close()
        from factcheck.db import migrate

        migrate.ensure_current(self.engine)

    @contextmanager
    def store(self, write: bool = False) -> Iterator[Store]:
        """One transaction for the services that run SQL through a `Store`: on SQLite a sqlite3
        connection (BEGIN IMMEDIATE to write, a deferred BEGIN to read), committed whole or not
        at all; on PostgreSQL the connection of a `write()` or `read()` session."""
        if self._path is None:
            with self.write() if write else self.read() as session:
                yield Store(session.connection(), self.dialect, self.actor)
            return
        if self._sqlite is None:
            self._sqlite = connect(self._path)
        self._sqlite.writer.actor = self.actor
        with transaction(self._sqlite, write) as connection:
            yield Store(connection, "sqlite", self.actor)

    @contextmanager
    def write(self, dry_run: bool = False, writer_process: bool = False) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE on SQLite): committed whole or not at all.

        The database's triggers record the history (as `actor`) and keep the search index; on
        PostgreSQL the claims they queued are folded into the index before the commit.
        With `dry_run`, everything is done and checked, then rolled back. With `writer_process`,
        a SQLite transaction's statements run in a process of their own (a large import's:
        db/writer_process.py); on PostgreSQL the server is that process already.
        """
        from sqlalchemy.orm import Session

        from factcheck.db.engine import ACTOR, make_engine
        from factcheck.db.write_rules import refresh_search

        own = writer_process and self._path is not None
        base = make_engine(self.url, writer_process=True) if own else self.engine
        engine = base.execution_options(**{ACTOR: self.actor})
        try:
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
        finally:
            if own:  # its writer process ends
                base.dispose()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot that never takes the write lock."""
        from sqlalchemy.orm import Session

        from factcheck.db.engine import READONLY

        options: dict[str, Any] = {READONLY: True}
        if self.dialect == "postgresql":
            # One snapshot for every query of the session, as SQLite's read transaction gives.
            options.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        engine = self.engine.execution_options(**options)
        with Session(engine, info={"actor": self.actor}) as session:
            yield session

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
