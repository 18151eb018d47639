"""`factcheck init`: create or upgrade the database."""

import typer

from factcheck.cli import render
from factcheck.cli.options import JsonOpt
from factcheck.cli.state import state


def init(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Create the database, or upgrade it, and print where it is and its schema revision.

    Example: factcheck --db research.db init
    """
    from factcheck.db import migrate

    database = state(ctx).database()
    revision = migrate.current_revision(database.engine)
    if json_:
        render.print_json({"database": database.location, "revision": revision})
    else:
        render.console.print(f"Database {database.location} is at revision {revision} (newest).")
