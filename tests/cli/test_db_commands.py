import ast
import functools
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from factcheck.db.migrate import HEAD_REVISION
from tests.helpers import dump, fails, ok, run_cli


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "factcheck", "--version"], capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert done.stdout.startswith("factcheck ")


def test_backup_is_a_consistent_complete_copy(
    db_path: Path, tmp_path: Path, corpus: dict[str, int]
) -> None:
    target = tmp_path / "backup.db"
    result = ok("db", "backup", str(target), "--json").json()
    assert result["integrity"] == "ok"
    assert dump(target) == dump(db_path)
    assert not Path(str(target) + "-wal").exists()
    # The copy is a working factcheck database.
    assert len(ok("--db", str(target), "claim", "list", "--json").json()) == 2
    assert "already exists" in fails("db", "backup", str(target)).stderr
    ok("claim", "add", "After the backup", "--source", "politico")
    ok("db", "backup", str(target), "--force")
    assert len(ok("--db", str(target), "claim", "list", "--json").json()) == 3
    assert "does not exist" in fails("db", "backup", str(tmp_path / "no" / "x.db")).stderr
    # Backing up onto the live file would lose every commit made after the snapshot.
    before = dump(db_path)
    assert (
        "is the database being backed up" in fails("db", "backup", str(db_path), "--force").stderr
    )
    assert dump(db_path) == before


class _DamagedCopy(sqlite3.Connection):
    """A backup target whose integrity check fails, as a copy from a damaged file would."""

    def execute(self, sql: str, *args: Any) -> Any:
        if "integrity_check" in sql:
            return iter([("*** in database main ***",), ("Page 7: never used",)])
        return super().execute(sql, *args)


def test_a_damaged_copy_never_replaces_a_backup(
    tmp_path: Path, corpus: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "backup.db"
    ok("db", "backup", str(target))
    good = target.read_bytes()
    connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", functools.partial(connect, factory=_DamagedCopy))
    error = fails("db", "backup", str(target), "--force").stderr
    monkeypatch.undo()
    assert "failed its integrity check (*** in database main ***; Page 7: never used)" in error
    assert target.read_bytes() == good
    assert not list(tmp_path.glob("backup.db.partial*"))


def test_check_finds_a_stale_search_index_and_reindex_repairs_it(
    db_path: Path, corpus: dict[str, int]
) -> None:
    assert "search index: consistent" in ok("db", "check").stdout
    with sqlite3.connect(db_path) as connection:  # the index written behind factcheck's back
        connection.execute("UPDATE claim_search SET body = 'edited directly' WHERE rowid = 1")
    assert [c["id"] for c in ok("search", "directly", "--json").json()] == [1]
    checked = run_cli("db", "check", "--json")
    assert checked.exit_code == 1
    items = {item["name"]: item for item in checked.json()["items"]}
    assert not items["search index"]["ok"]
    assert items["search index"]["advice"] == "run `factcheck db reindex`"
    assert items["integrity"]["ok"] and items["foreign keys"]["ok"]
    assert "Indexed 2 claims" in ok("db", "reindex").stdout
    assert ok("db", "check", "--json").json()["ok"] is True
    assert ok("search", "directly", "--json").json() == []


def test_plain_sqlite3_cannot_write_without_history_and_search(
    db_path: Path, corpus: dict[str, int]
) -> None:
    """A connection without factcheck's SQL functions (sqlite3, sqlite-utils, Datasette) reads
    everything, but a write to an audited table fails as a whole: it can never leave the history
    or the search index silently stale."""
    before = dump(db_path)
    for statement in (
        "UPDATE claims SET text = 'edited directly' WHERE id = 1",
        "INSERT INTO tags (name) VALUES ('new')",
        "DELETE FROM links",
        "UPDATE claim_search SET body = body WHERE rowid = 0",  # no trigger: allowed, a no-op
    ):
        connection = sqlite3.connect(db_path)
        try:
            connection.execute(statement)
            connection.commit()
        except sqlite3.OperationalError as exc:
            assert str(exc).startswith("no such function: factcheck_"), exc
        finally:
            connection.close()
    assert dump(db_path) == before
    assert len(sqlite3.connect(db_path).execute("SELECT * FROM claims").fetchall()) == 2


@pytest.mark.new_database
def test_current_and_upgrade_report_revisions(db_path: Path) -> None:
    assert "none (not created yet)" in ok("db", "current").stdout
    assert not db_path.exists()
    assert f"revision {HEAD_REVISION}" in ok("db", "upgrade").stdout
    assert ok("db", "current", "--json").json()["revision"] == HEAD_REVISION


def test_help_does_not_import_the_database_stack() -> None:
    """Nor rich: the help is click's plain layout, as `sqlite-utils --help` is (Typer's rich
    formatter alone costs more than the whole of sqlite-utils' start-up)."""
    code = (
        "import sys\nfrom factcheck.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'pydantic', 'factcheck.models',"
        " 'factcheck.schemas', 'factcheck.services', 'rich', 'markdown_it') if m in sys.modules),"
        " file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"


def _imported_by(args: list[str], modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` one `factcheck ARGS` loads, run in a fresh interpreter."""
    return _run_importing(args, modules)[1]


def _run_importing(args: list[str], modules: tuple[str, ...]) -> tuple[object, list[str]]:
    """The exit code of one `factcheck ARGS` run in a fresh interpreter, and which of `modules`
    it loads."""
    code = (
        "import sys\nfrom factcheck.cli import main\ncode = 0\n"
        f"try:\n    main({args!r})\nexcept SystemExit as exc:\n    code = exc.code\n"
        f"print(repr((code, sorted(m for m in {modules!r} if m in sys.modules))), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result: tuple[object, list[str]] = ast.literal_eval(done.stderr.strip().splitlines()[-1])
    return result


def test_claim_add_imports_only_what_it_uses(db_path: Path) -> None:
    """`claim add` on a current SQLite file: no SQLAlchemy (its Store runs on sqlite3), no
    Alembic, no rich (it prints an id), and none of the other commands' modules."""
    db = str(db_path)
    assert ok("--db", db, "source", "add", "--title", "A source", "--key", "src").stdout == "1\n"
    unwanted = (
        "sqlalchemy",
        "factcheck.models",
        "factcheck.db.engine",
        "alembic",
        "rich",
        "factcheck.cli.commands.report",
        "factcheck.cli.commands.interchange",
        "factcheck.cli.commands.source",
        "factcheck.interchange",
        "factcheck.reports",
        "factcheck.services.report",
        "factcheck.services.importer",
        "factcheck.services.export",
    )
    assert _imported_by(["--db", db, "claim", "add", "A claim", "--source", "src"], unwanted) == []
    assert ok("--db", db, "claim", "list", "--json").json()[0]["text"] == "A claim"


def test_sources_search_and_log_import_no_sqlalchemy(tmp_path: Path, db_path: Path) -> None:
    """`source add/list/show/edit`, `search` and `log` on a current SQLite file run on sqlite3
    through a Store: no SQLAlchemy, no ORM models, no Alembic."""
    db = str(db_path)
    ok("--db", db, "source", "add", "--title", "A source", "--key", "src")
    ok("--db", db, "claim", "add", "A drone strike", "--source", "src")
    unwanted = ("sqlalchemy", "factcheck.models", "factcheck.db.engine", "alembic")
    text = tmp_path / "text.txt"
    text.write_text("The drone strike was reported.", encoding="utf-8")
    for args in (
        ["source", "add", "--title", "Another source", "--file", str(text)],
        ["source", "list", "--limit", "20"],
        ["source", "show", "src", "--json"],
        ["source", "edit", "src", "--file", str(text), "--outlet", "Outlet"],
        ["search", "drone", "--limit", "20"],
        ["log", "--limit", "20"],
        ["log", "--table", "sources", "--json"],
    ):
        assert _imported_by(["--db", db, *args], unwanted) == [], args
    assert ok("--db", db, "source", "show", "src", "--json").json()["outlet"] == "Outlet"
    assert [c["text"] for c in ok("--db", db, "search", "drone", "--json").json()] == [
        "A drone strike"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["claim", "add", "Another claim", "--source", "src", "--entity", "Iran", "--tag", "t"],
        ["claim", "cite", "1", "--source", "other", "--claimant", "Someone"],
        ["claim", "edit", "1", "--text", "Edited", "--tag", "u", "--untag", "t"],
        ["claim", "show", "1"],
        ["claim", "list", "--limit", "20"],
        ["claim", "list", "--tag", "t", "--entity", "Iran", "--source", "src", "--unreviewed"],
        ["entity", "add", "Iraq", "--alias", "Irak"],
        ["entity", "alias", "Iran", "Persia"],
        ["entity", "list"],
        ["entity", "show", "Iran"],
    ],
)
def test_claim_and_entity_commands_import_no_sqlalchemy(db_path: Path, args: list[str]) -> None:
    """The claim and entity commands on a current SQLite file run through a Store on sqlite3."""
    db = str(db_path)
    ok("--db", db, "source", "add", "--title", "A source", "--key", "src")
    ok("--db", db, "source", "add", "--title", "Another source", "--key", "other")
    ok("--db", db, "entity", "add", "Iran")
    ok("--db", db, "claim", "add", "A claim", "--source", "src", "--tag", "t", "--entity", "Iran")
    unwanted = ("sqlalchemy", "factcheck.models", "factcheck.db.engine", "alembic")
    # It succeeds (a failure could exit before importing what the work needs).
    assert _run_importing(["--db", db, *args], unwanted) in [(0, []), (None, [])]


def test_a_database_error_on_the_direct_path_is_one_line(tmp_path: Path) -> None:
    """`claim add`'s sqlite3 path fails as the ORM path does: one line, nothing changed."""
    db = tmp_path / "broken.db"
    ok("--db", str(db), "source", "add", "--title", "A source", "--key", "src")
    with sqlite3.connect(db) as connection:
        connection.execute("DROP TABLE claim_search")
    before = dump(db)
    result = fails("--db", str(db), "claim", "add", "A claim", "--source", "src")
    assert re.search(
        r"database error: no such table: (main\.)?claim_search; nothing was changed", result.stderr
    )
    assert dump(db) == before


@pytest.mark.parametrize(
    "args",
    [
        ["claim", "add", "--help"],
        ["claim", "--help"],
        ["claim"],
        ["--db", "x.db", "--as", "me", "verdict", "set", "--help"],
        ["--db=x.db", "report", "nonsense"],
        ["seed", "--help"],
        ["claim", "add", "--no-such-option"],
    ],
)
def test_a_command_run_alone_behaves_as_in_the_whole_application(args: list[str]) -> None:
    """`main` builds only the invoked command's part of the application: same output, same
    errors, same exit status as the whole application gives."""
    from typer.testing import CliRunner

    from factcheck.cli import app, build, invoked

    command = invoked(args)
    assert command is not None
    runner = CliRunner()
    alone = runner.invoke(build([command]), args, prog_name="factcheck")
    whole = runner.invoke(app, args, prog_name="factcheck")
    assert (alone.exit_code, alone.stdout, alone.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["claim", "add", "x"], "claim"),
        (["--db", "a.db", "--as", "me", "claim", "add"], "claim"),
        (["--db=a.db", "import", "f.jsonl"], "import"),
        (["--as", "claim", "log"], "log"),
        (["--help"], None),
        (["--version"], None),
        (["--db", "a.db"], None),
        (["--db"], None),
        (["clam", "add"], None),
        ([], None),
    ],
)
def test_invoked_names_the_command_only_when_certain(args: list[str], command: str | None) -> None:
    from factcheck.cli import invoked

    assert invoked(args) == command
