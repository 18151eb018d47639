"""Every test gets its own database file through FACTCHECK_DB, and a way to run the CLI."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from factcheck.cli import main
from factcheck.db.database import Database
from factcheck.db.engine import resolve_url
from tests.pgserver import PostgresServer, find_bin_dir

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(*args: str, input: str | None = None) -> Result:
    """Run `factcheck ARGS` in-process, exactly as the console script does (same error path)."""
    with CliRunner().isolation(input=input) as (out, err, _):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        return Result(code, out.getvalue().decode(), err.getvalue().decode())


@pytest.fixture(autouse=True)
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "factcheck.db"
    monkeypatch.setenv("FACTCHECK_DB", str(path))
    monkeypatch.setenv("FACTCHECK_USER", "tester")
    monkeypatch.delenv("FACTCHECK_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server per test worker, started on first use."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        message = "no PostgreSQL server binaries (Debian package postgresql) on this machine"
        if os.environ.get("FACTCHECK_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(bin_dir)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(db_path: Path, postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new empty PostgreSQL database, made the test's database through FACTCHECK_DB."""
    url = postgres_server.create_database()
    monkeypatch.setenv("FACTCHECK_DB", url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, db_path: Path) -> str:
    """Run the test on both backends; returns the database's URL or path (also FACTCHECK_DB)."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return str(db_path)


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    """The test's database, opened directly (actor "auditor"), for tests below the CLI."""
    database = Database(resolve_url(), "auditor")
    database.ensure_schema()
    yield database
    database.close()


@pytest.fixture
def cli() -> Any:
    return run_cli


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands print as to a terminal (lists come a page at a time), though tests capture it."""
    monkeypatch.setattr("factcheck.cli.paging.on_terminal", lambda: True)


def listed(table: str) -> list[int]:
    """The ids in the first column of a table the CLI printed (a wrapped row's further lines
    start blank)."""
    return [int(line.split()[0]) for line in table.splitlines() if line[:1].isdigit()]


def more(count: int, noun: str, offset: int) -> str:
    """The line (on stderr) under a page that `count` more rows follow, from `offset` on."""
    return f"… {count} more {noun}: --offset {offset} for the next page, --all for every one.\n"


def ok(*args: str, input: str | None = None) -> Result:
    """Run a command that must succeed."""
    result = run_cli(*args, input=input)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def fails(*args: str, input: str | None = None) -> Result:
    """Run a command that must fail as a user error: exit 1, one `Error:` line, no traceback."""
    result = run_cli(*args, input=input)
    assert result.exit_code == 1, (args, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines and lines[0].startswith("Error: "), result.stderr
    assert all(line.startswith(("Error: ", "Hint: ")) for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    return result


def dump(path: Path) -> list[str]:
    """The whole database as SQL, to show that a failed command changed nothing."""
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def table_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (and the search index), on either backend, in primary key order:
    what `dump` shows for SQLite, for comparing databases across backends."""
    from sqlalchemy import select, text

    from factcheck.db.engine import make_engine
    from factcheck.models import Base

    engine = make_engine(resolve_url(url))
    try:
        with engine.connect() as connection:
            rows = {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in Base.metadata.sorted_tables
            }
            rows["claim_search"] = [
                tuple(row)
                for row in connection.execute(
                    text("SELECT rowid, body FROM claim_search ORDER BY rowid")
                )
            ]
            rows["alembic_version"] = [
                tuple(row) for row in connection.execute(text("SELECT * FROM alembic_version"))
            ]
    finally:
        engine.dispose()
    return rows


def seed_path(name: str) -> Path:
    matches = sorted(SEEDS.glob(f"{name}_*.txt"))
    if not matches:
        raise FileNotFoundError(f"seed article {name} missing from {SEEDS}")
    return matches[0]


@pytest.fixture
def corpus() -> dict[str, int]:
    """Two real articles as sources, a claim in each, linked as a contradiction."""
    ids = {
        "politico": int(
            ok(
                "source",
                "add",
                "--title",
                "Soleimani killed",
                "--published",
                "2020-01-03",
                "--key",
                "politico",
                "--file",
                str(seed_path("003")),
            ).stdout
        ),
        "revenge": int(
            ok(
                "source",
                "add",
                "--title",
                "Iran Fails to Execute the 'Hard Revenge'",
                "--author",
                "Editorial Team",
                "--published",
                "2021-01",
                "--key",
                "revenge",
                "--file",
                str(seed_path("004")),
            ).stdout
        ),
    }
    ids["respond"] = int(
        ok(
            "claim",
            "add",
            "Iran will respond to the killing of Soleimani",
            "--source",
            "politico",
            "--quote",
            "There's no chance in hell Iran won't respond",
            "--claimant",
            "Afshon Ostovar",
            "--kind",
            "prediction",
            "--tag",
            "retaliation",
        ).stdout
    )
    ids["no_revenge"] = int(
        ok(
            "claim",
            "add",
            "Iran did not carry out the hard revenge it vowed",
            "--source",
            "revenge",
            "--quote",
            'Iran did not deliver the "hard revenge" it had promised',
            "--tag",
            "retaliation",
        ).stdout
    )
    return ids
