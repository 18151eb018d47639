"""What the tests share besides fixtures (those are in the conftest.py files): running the CLI
in-process, the exit-and-output contract of a user error, databases as comparable values, and the
repository's paths. Import from here, never from a conftest or from another test module."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from factcheck.cli import main
from factcheck.db.engine import resolve_url

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"

# Search queries that must never break search, on either backend.
HOSTILE_QUERIES = [
    "",
    " ",
    '"',
    "'",
    "-",
    "--",
    "AND",
    "OR NOT",
    "NEAR(",
    "NEAR(a b",
    "*",
    ":",
    "%",
    "_",
    "a:b",
    "^x",
    "\\",
    "(((",
    ")",
    "{col}:x",
    "\x00",
    "😀",
    "ي ی",
    "'; DROP TABLE claims; --",
    "--help-me",
    "a" * 5000,
]


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


def can_take_write_lock(path: Path) -> bool:
    """Whether a writer can take the SQLite database's write lock at once."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


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


def listed(table: str) -> list[int]:
    """The ids in the first column of a table the CLI printed (a wrapped row's further lines
    start blank)."""
    return [int(line.split()[0]) for line in table.splitlines() if line[:1].isdigit()]


def more(count: int, noun: str, offset: int) -> str:
    """The line (on stderr) under a page that `count` more rows follow, from `offset` on."""
    return f"… {count} more {noun}: --offset {offset} for the next page, --all for every one.\n"


def run_bench_quick(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`python bench/SCRIPT --quick` from the repository, its databases cached under `tmp_path`
    (not the shared cache); fails with its stderr unless it exits 0."""
    env = {**os.environ, "FACTCHECK_BENCH_CACHE": str(tmp_path / "cache")}
    env.pop("FACTCHECK_DB", None)
    done = subprocess.run(
        [sys.executable, f"bench/{script}", "--quick"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done
