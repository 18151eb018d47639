"""Schema migrations: the fast up-to-date check every command makes, and running Alembic.

The check reads `alembic_version` with one query and imports nothing from Alembic; Alembic is
imported only when a database actually needs creating or migrating.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

from factcheck.db.connection import HEAD_REVISION as HEAD_REVISION  # re-exported
from factcheck.db.engine import READONLY, set_migration_mode
from factcheck.errors import DatabaseProblem
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


def run_in_transaction(connection: Connection, migrate: Callable[[], None]) -> None:
    """Run `migrate` in one transaction in migration mode, foreign keys checked before commit."""
    set_migration_mode(connection, True)
    try:
        with connection.begin():
            migrate()
            problems = foreign_key_problems(connection)
            if problems:
                raise DatabaseProblem(
                    f"migration would leave {len(problems)} rows with broken foreign keys "
                    f"(first: {problems[0]}); nothing was changed"
                )
    finally:
        set_migration_mode(connection, False)


def current_revision(engine: Engine) -> str | None:
    with engine.connect().execution_options(**{READONLY: True}) as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_current(engine: Engine) -> None:
    """Create or upgrade the database unless it is already at the head revision."""
    if current_revision(engine) != HEAD_REVISION:
        upgrade(engine, "head")


def _config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    return config


def _run(engine: Engine, command_name: str, revision: str) -> None:
    from alembic import command
    from alembic.util import CommandError

    with engine.connect() as connection:
        try:
            getattr(command, command_name)(_config(connection), revision)
        except CommandError as exc:
            raise DatabaseProblem(
                f"cannot {command_name} to {revision!r}: {exc}",
                hint="`factcheck db current` shows the schema revision; "
                "a database written by a newer factcheck needs that version",
            ) from exc


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, "downgrade", revision)
