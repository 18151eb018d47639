"""Schema migrations: the fast up-to-date check every command makes, and running Alembic.

The check reads `alembic_version` with one query and imports nothing from Alembic; Alembic is
imported only when a database actually needs creating or migrating.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from factcheck.db.connection import HEAD_REVISION as HEAD_REVISION  # re-exported
from factcheck.db.engine import READONLY, set_migration_mode
from factcheck.errors import DatabaseProblem, WouldDelete
from factcheck.resources import resource_dir

if TYPE_CHECKING:
    from alembic.config import Config


# Tables that are not in the models: the search index (FTS5 and its shadow tables on SQLite).
_UNMODELLED_PREFIXES = ("claim_search",)


def migrations_dir() -> Path:
    return resource_dir("migrations", "env.py")


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    """Keep Alembic's autogenerate (and `alembic check`) to the tables the models define."""
    return not (type_ == "table" and name is not None and name.startswith(_UNMODELLED_PREFIXES))


def foreign_key_problems(connection: Connection) -> list[tuple[Any, ...]]:
    if connection.dialect.name != "sqlite":
        return []
    return [tuple(row) for row in connection.exec_driver_sql("PRAGMA foreign_key_check")]


@dataclass
class RowGuard:
    """How many rows of each table a migration may delete (None: any number), and how many it
    deleted, counted in its own transaction."""

    allowed: Mapping[str, int] | None
    deleted: dict[str, int] = field(default_factory=dict)


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows in each table that holds data (not the search index, which is rebuilt from the
    claims, nor Alembic's own table)."""
    quote = connection.dialect.identifier_preparer.quote
    names = [
        name
        for name in inspect(connection).get_table_names()
        if include_name(name, "table", None) and name != "alembic_version"
    ]
    return {
        name: connection.execute(text(f"SELECT count(*) FROM {quote(name)}")).scalar_one()
        for name in names
    }


def run_in_transaction(
    connection: Connection, migrate: Callable[[], None], guard: RowGuard | None = None
) -> None:
    """Run `migrate` in one transaction in migration mode, foreign keys checked before commit,
    and with a `guard`, the rows it deletes (a dropped table's among them) counted and refused
    (WouldDelete) beyond what the guard allows."""
    set_migration_mode(connection, True)
    try:
        with connection.begin():
            before = row_counts(connection) if guard is not None else {}
            migrate()
            problems = foreign_key_problems(connection)
            if problems:
                raise DatabaseProblem(
                    f"migration would leave {len(problems)} rows with broken foreign keys "
                    f"(first: {problems[0]}); nothing was changed"
                )
            if guard is not None:
                after = row_counts(connection)
                guard.deleted = {
                    name: rows - after.get(name, 0)
                    for name, rows in before.items()
                    if rows > after.get(name, 0)
                }
                allowed = guard.allowed
                if allowed is not None and any(
                    rows > allowed.get(name, 0) for name, rows in guard.deleted.items()
                ):
                    raise WouldDelete(guard.deleted, allowed)
    finally:
        set_migration_mode(connection, False)


def current_revision(engine: Engine) -> str | None:
    """The revision in `alembic_version`; None when there is no such table yet. Read first and
    looked up in the catalog only when that fails: the catalog query (has_table) cost every
    command on PostgreSQL some 6 ms more."""
    with engine.connect().execution_options(**{READONLY: True}) as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            connection.rollback()
            if inspect(connection).has_table("alembic_version"):
                raise
            return None


def ensure_current(engine: Engine) -> None:
    """Create or upgrade the database unless it is already at the head revision."""
    if current_revision(engine) != HEAD_REVISION:
        upgrade(engine, "head")


def _config(connection: Connection, guard: RowGuard | None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    # migrations/env.py hands it to run_in_transaction.
    config.attributes["row_guard"] = guard
    return config


def _run(engine: Engine, command_name: str, revision: str, guard: RowGuard | None = None) -> None:
    from alembic import command
    from alembic.util import CommandError

    with engine.connect() as connection:
        try:
            getattr(command, command_name)(_config(connection, guard), revision)
        except CommandError as exc:
            raise DatabaseProblem(
                f"cannot {command_name} to {revision!r}: {exc}",
                hint="`factcheck db current` shows the schema revision; "
                "a database written by a newer factcheck needs that version",
            ) from exc


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str, allowed: Mapping[str, int] | None) -> dict[str, int]:
    """Downgrade the schema; returns the rows it deleted, by table. It refuses (WouldDelete,
    nothing changed) to delete more rows of any table than `allowed` gives (None: any): a
    revision's data goes with the tables it added."""
    guard = RowGuard(allowed)
    try:
        _run(engine, "downgrade", revision, guard)
    except WouldDelete as exc:
        raise WouldDelete(exc.rows, exc.allowed, f"downgrading to {revision}") from exc
    return guard.deleted
