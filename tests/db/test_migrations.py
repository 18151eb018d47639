import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory

from factcheck.db import migrate
from factcheck.db.database import Database
from factcheck.db.engine import resolve_url, set_migration_mode
from factcheck.errors import DatabaseProblem
from tests.helpers import REPO, dump, fails, ok


def test_single_head_matching_the_fast_check_constant() -> None:
    heads = ScriptDirectory(str(migrate.migrations_dir())).get_heads()
    assert heads == [migrate.HEAD_REVISION]


def _alembic(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FACTCHECK_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_alembic_from_the_repository_uses_factcheck_db(db_path: Path) -> None:
    upgraded = _alembic("upgrade", "head", db=db_path)
    assert upgraded.returncode == 0, upgraded.stderr
    current = _alembic("current", db=db_path)
    assert migrate.HEAD_REVISION in current.stdout
    checked = _alembic("check", db=db_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No new upgrade operations detected" in checked.stdout + checked.stderr


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every regular table that has rows (the FTS index is compared through `db
    check`; a table a later revision adds is dropped, empty, when the database goes back)."""
    with sqlite3.connect(path) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'claim_search%' AND name != 'alembic_version'"
            )
        ]
        tables = {n: connection.execute(f"SELECT * FROM {n} ORDER BY 1").fetchall() for n in names}
    return {name: rows for name, rows in tables.items() if rows}


def _without_versions(tables: dict[str, list[tuple[object, ...]]]) -> dict[str, Any]:
    """The tables less 0017's source versions, which a downgrade past it drops (with --yes):
    tests/db/test_source_versions_migration.py covers them."""
    kept = {name: rows for name, rows in tables.items() if name != "source_versions"}
    if "sqlite_sequence" in kept:
        kept["sqlite_sequence"] = [r for r in kept["sqlite_sequence"] if r[0] != "source_versions"]
    return kept


def test_downgrade_and_upgrade_round_trip_keeps_data(db_path: Path, corpus: dict[str, int]) -> None:
    ok("verdict", "set", str(corpus["respond"]), "false", "--evidence", "revenge")
    ok("link", "1", "2", "--relation", "contradicts", "--note", "round trip")
    ok("db", "downgrade", "-1", "--yes")
    ok("db", "upgrade")
    before = _tables(db_path)
    assert migrate.HEAD_REVISION in ok("db", "current").stdout
    ok("db", "downgrade", "-1")
    script = ScriptDirectory(str(migrate.migrations_dir()))
    previous = script.get_revision(migrate.HEAD_REVISION).down_revision
    assert f"{previous} (head is {migrate.HEAD_REVISION})" in ok("db", "current").stdout
    assert _tables(db_path) == before
    ok("db", "upgrade")
    assert "up to date" in ok("db", "current").stdout
    assert _tables(db_path) == before
    assert ok("db", "check", "--json").json()["ok"] is True
    assert [c["id"] for c in ok("search", "hell", "--json").json()] == [corpus["respond"]]
    # Down to nothing and back: any command brings the database to the newest schema.
    ok("db", "downgrade", "base", "--yes")
    with sqlite3.connect(db_path) as connection:
        left = {
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert left <= {"alembic_version", "sqlite_sequence"}
    assert "none" in ok("db", "current").stdout
    assert ok("claim", "list", "--json").json() == []
    assert ok("db", "check").exit_code == 0


def test_alembic_round_trip_from_the_repository(db_path: Path, corpus: dict[str, int]) -> None:
    before = _without_versions(_tables(db_path))
    assert _alembic("downgrade", "-1", db=db_path).returncode == 0
    assert _alembic("upgrade", "head", db=db_path).returncode == 0
    assert _without_versions(_tables(db_path)) == before
    assert ok("db", "check", "--json").json()["ok"] is True


def _index(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT rowid, body FROM claim_search ORDER BY rowid").fetchall()


def test_datasette_and_sqlite_utils_find_the_index_from_0012(
    db_path: Path, corpus: dict[str, int]
) -> None:
    from sqlite_utils import Database as Tables  # the introspection Datasette shares

    index = _index(db_path)
    assert len(index) == 2 and any("hell" in str(body) for _, body in index)  # a quote's word
    assert Tables(db_path)["claims"].detect_fts() == "claim_search"
    ok("db", "downgrade", "0011", "--yes")  # (0017's source versions go)
    assert Tables(db_path)["claims"].detect_fts() is None
    assert _index(db_path) == index
    ok("db", "upgrade")
    assert Tables(db_path)["claims"].detect_fts() == "claim_search"
    assert _index(db_path) == index
    assert ok("db", "check", "--json").json()["ok"] is True
    assert [c["id"] for c in ok("search", "HELL", "--json").json()] == [corpus["respond"]]


def _rebuild_claims(connection: sa.Connection) -> None:
    context = MigrationContext.configure(connection, opts={"render_as_batch": True})
    with Operations(context).batch_alter_table("claims", recreate="always") as batch:
        batch.alter_column("notes", existing_type=sa.Text(), nullable=True)


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_table_rebuild_keeps_child_rows(db_path: Path, corpus: dict[str, int]) -> None:
    database = Database(resolve_url(), "tester")
    before = _count(db_path, "appearances")
    assert before == 2
    with database.engine.connect() as connection:
        migrate.run_in_transaction(connection, lambda: _rebuild_claims(connection))
    assert _count(db_path, "appearances") == before
    assert _count(db_path, "claims_current") == 2  # the views over the rebuilt table still work
    # The hazard this guards against: with foreign keys on, the same rebuild cascades.
    with database.engine.connect() as connection:
        set_migration_mode(connection, True)
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")
        with connection.begin():
            _rebuild_claims(connection)
        set_migration_mode(connection, False)
    assert _count(db_path, "appearances") == 0
    database.close()


def test_broken_foreign_keys_abort_the_migration(db_path: Path, corpus: dict[str, int]) -> None:
    database = Database(resolve_url(), "tester")
    before = dump(db_path)

    def orphan() -> None:
        connection.exec_driver_sql(
            "INSERT INTO appearances (claim_id, source_id, anchor_status, stance) "
            "VALUES (999, 999, 'none', 'asserts')"
        )

    with database.engine.connect() as connection, pytest.raises(DatabaseProblem, match="broken"):
        migrate.run_in_transaction(connection, orphan)
    assert dump(db_path) == before
    database.close()


def _imports_alembic(db: Path, *args: str) -> bool:
    code = (
        "import sys\nfrom factcheck.cli import main\n"
        f"try:\n    main({list(args)!r})\nexcept SystemExit:\n    pass\n"
        "print('alembic' in sys.modules)"
    )
    env = {**os.environ, "FACTCHECK_DB": str(db)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1] == "True"


@pytest.mark.new_database
def test_up_to_date_database_is_detected_without_alembic(db_path: Path) -> None:
    assert _imports_alembic(db_path, "claim", "list")  # creates the database
    assert not _imports_alembic(db_path, "claim", "list")
    assert not _imports_alembic(db_path, "source", "add", "--title", "T")


def test_unknown_revision_is_a_clean_error(db_path: Path) -> None:
    ok("init")
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
    before = dump(db_path)
    result = fails("claim", "list")
    assert "cannot upgrade" in result.stderr and "ffff" in result.stderr
    assert dump(db_path) == before


def test_not_a_database_is_a_clean_error(db_path: Path) -> None:
    db_path.write_bytes(b"this is not a database, just text" * 100)
    before = db_path.read_bytes()
    result = fails("claim", "list")
    assert "not a database" in result.stderr
    assert db_path.read_bytes() == before


def test_init_prints_location_and_revision(db_path: Path) -> None:
    out = ok("init", "--json").json()
    assert out == {"database": str(db_path), "revision": migrate.HEAD_REVISION}
    assert str(db_path) in ok("init").stdout
