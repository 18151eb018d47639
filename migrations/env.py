"""Alembic environment, shared by `alembic ...` at the repository root and by factcheck itself.

Migrations run in one transaction with SQLite foreign keys off, so a batch table rebuild (copy,
drop, rename) can never cascade-delete child rows; `PRAGMA foreign_key_check` must come back empty
before the transaction commits.
"""

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from factcheck.db.engine import make_engine, resolve_url
from factcheck.db.migrate import include_name, run_in_transaction
from factcheck.models import Base

config = context.config
if config.config_file_name is not None and not config.attributes.get("connection"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def run(connection: Connection) -> None:
    def migrate() -> None:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_name=include_name,
        )
        context.run_migrations()

    run_in_transaction(connection, migrate, config.attributes.get("row_guard"))


if context.is_offline_mode():
    context.configure(
        url=resolve_url(),
        target_metadata=Base.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    given = config.attributes.get("connection")
    if given is not None:
        run(given)
    else:
        engine = make_engine(resolve_url())
        try:
            with engine.connect() as connection:
                run(connection)
        finally:
            engine.dispose()
