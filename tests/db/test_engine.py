from pathlib import Path

import pytest
from sqlalchemy import text

from factcheck.db.connection import BUSY_TIMEOUT_MS
from factcheck.db.database import Database
from factcheck.db.engine import READONLY, resolve_url
from factcheck.errors import DatabaseProblem
from tests.helpers import can_take_write_lock


def test_every_connection_is_configured(database: Database) -> None:
    engine = database.engine.execution_options(**{READONLY: True})
    connections = [engine.connect() for _ in range(3)]  # distinct pooled connections
    try:
        for connection in connections:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
    finally:
        for connection in connections:
            connection.close()


def test_write_transactions_begin_immediate(database: Database, db_path: Path) -> None:
    with database.write() as session:
        session.execute(text("SELECT 1"))  # only a read, yet the write lock is already held
        assert not can_take_write_lock(db_path)
    assert can_take_write_lock(db_path)


def test_read_sessions_do_not_block_writers(database: Database, db_path: Path) -> None:
    with database.read() as session:
        session.execute(text("SELECT count(*) FROM claims")).scalar()
        assert can_take_write_lock(db_path)


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), database.write() as session:
        session.execute(
            text(
                "INSERT INTO appearances (claim_id, source_id, anchor_status, stance) "
                "VALUES (999, 999, 'none', 'asserts')"
            )
        )


def test_ids_are_never_reused(database: Database) -> None:
    with database.write() as session:
        session.execute(text("INSERT INTO tags (name) VALUES ('a'), ('b')"))
        session.execute(text("DELETE FROM tags WHERE name = 'b'"))
    with database.write() as session:
        session.execute(text("INSERT INTO tags (name) VALUES ('c')"))
        assert session.execute(text("SELECT id FROM tags WHERE name = 'c'")).scalar() == 3


def test_database_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_DB", str(tmp_path / "env.db"))
    assert resolve_url().database == str(tmp_path / "env.db")
    assert resolve_url(str(tmp_path / "flag.db")).database == str(tmp_path / "flag.db")
    assert resolve_url("postgresql+psycopg://u:p@localhost/x").get_backend_name() == "postgresql"
    monkeypatch.delenv("FACTCHECK_DB")
    monkeypatch.chdir(tmp_path)
    assert resolve_url().database == str(tmp_path / "factcheck.db")
    with pytest.raises(DatabaseProblem, match="does not exist"):
        resolve_url(str(tmp_path / "missing" / "x.db"))
    with pytest.raises(DatabaseProblem, match="is a directory"):
        resolve_url(str(tmp_path))


def test_unusable_urls_are_clean_errors() -> None:
    from tests.helpers import fails

    assert (
        "unsupported database URL scheme 'nosuch'" in fails("--db", "nosuch://x/y", "init").stderr
    )
    assert "not a valid database URL" in fails("--db", "://", "init").stderr
