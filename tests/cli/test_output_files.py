"""Files a command writes (`--output`, `--rejects`, `db backup DEST`) and downgrades that delete
rows: an existing file only with --force, never the database or a file being read, never anything
but a regular file, written whole or not at all; rows and rejects file all or nothing; no rows
deleted unless someone agreed.

The battery of every target against every command, on both backends, is
tests/reliability/test_hostile_files.py."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench import hostile_files
from tests.helpers import dump, fails, ok, run_cli, table_rows

# Each command that writes a file, as typed with the file's path.
WRITERS: dict[str, Callable[[str], list[str]]] = {
    "report contradictions": lambda t: ["report", "contradictions", "--format", "csv", "-o", t],
    "report sources": lambda t: ["report", "sources", "--output", t],
    "export": lambda t: ["export", "--format", "claimreview", "--output", t],
    "import --rejects": lambda t: ["import", "input.tsv", "--rejects", t],
    "db backup": lambda t: ["db", "backup", t],
}
GOOD_AND_BAD = hostile_files.IMPORT_ROWS

# Careless paths and answers: tallied with the other hostile-input batteries (bench/reliability.py).
pytestmark = pytest.mark.hostile


@pytest.fixture
def workdir(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeded database's directory, made the current one, with a file to import."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "input.tsv").write_text(GOOD_AND_BAD, encoding="utf-8")
    return tmp_path


def _unchanged(workdir: Path) -> Callable[[], None]:
    """A check that the database and every file in `workdir` are as they are now."""
    files, rows = hostile_files.tree(workdir), dump(workdir / "factcheck.db")

    def check() -> None:
        assert dump(workdir / "factcheck.db") == rows
        assert hostile_files.tree(workdir) == files

    return check


@pytest.mark.parametrize("writer", WRITERS)
def test_an_existing_file_is_replaced_only_with_force(workdir: Path, writer: str) -> None:
    target = workdir / "kept.txt"
    target.write_text("the user's notes\n", encoding="utf-8")
    target.chmod(0o640)
    unchanged = _unchanged(workdir)
    error = fails(*WRITERS[writer]("kept.txt"))
    assert error.stderr == "Error: kept.txt already exists\nHint: pass --force to replace it\n"
    unchanged()
    ok(*WRITERS[writer]("kept.txt"), "--force")
    assert target.read_bytes() != b"the user's notes\n"
    # A replaced file keeps its permissions, and nothing is left beside it.
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not list(workdir.glob("*.partial"))


def test_a_new_file_gets_the_usual_permissions(workdir: Path) -> None:
    umask = os.umask(0o027)
    try:
        ok("export", "--output", "new.jsonl")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((workdir / "new.jsonl").stat().st_mode) == 0o640


def _hard_link(workdir: Path) -> str:
    os.link(workdir / "factcheck.db", workdir / "same.db")
    return "same.db"


def _symlink(workdir: Path) -> str:
    (workdir / "latest.csv").symlink_to(workdir / "input.tsv")
    return "latest.csv"


def _journal(workdir: Path) -> str:
    (workdir / "notes.txt").write_bytes(bytes.fromhex("d9d505f920a163d7") + bytes(504))
    return "notes.txt"


def _sqlite(workdir: Path) -> str:
    with sqlite3.connect(workdir / "report.html") as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    return "report.html"


def _fifo(workdir: Path) -> str:
    os.mkfifo(workdir / "pipe")
    return "pipe"


def _directory(workdir: Path) -> str:
    (workdir / "out").mkdir()
    return "out"


def _under_a_file(workdir: Path) -> str:
    return "input.tsv/out.csv"


def _another_spelling(workdir: Path) -> str:
    (workdir / "sub").mkdir()
    return "./sub/../factcheck.db"


# Paths no command may write, even with --force, and the error each gets.
REFUSED: dict[str, tuple[Callable[[Path], str], str]] = {
    "the database": (lambda d: "factcheck.db", "factcheck.db is the database in use"),
    "the database, spelled another way": (
        _another_spelling,
        "sub/../factcheck.db is the database in use",
    ),
    "a hard link to the database": (
        _hard_link,
        "same.db is the database in use, under another name",
    ),
    "the database's write-ahead log": (
        lambda d: "factcheck.db-wal",
        "factcheck.db-wal belongs to the database in use",
    ),
    "a SQLite database": (
        _sqlite,
        "report.html is a SQLite database file; factcheck never writes over one",
    ),
    "a SQLite journal": (_journal, "notes.txt is a SQLite database file"),
    "a symbolic link": (_symlink, "latest.csv is a symbolic link; factcheck does not write"),
    "a directory": (_directory, "out is a directory; give a file name"),
    "a named pipe": (_fifo, "pipe is a named pipe, not a regular file"),
    "a device": (lambda d: "/dev/null", "/dev/null is a character device, not a regular file"),
    "a missing directory": (lambda d: "no/out.csv", "directory no does not exist"),
    "a path under a file": (_under_a_file, "cannot write input.tsv/out.csv: Not a directory"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_what_no_command_writes_over(workdir: Path, case: str) -> None:
    make, message = REFUSED[case]
    target = make(workdir)
    unchanged = _unchanged(workdir)
    error = fails("export", "--output", target, "--force")
    assert error.stderr.startswith(f"Error: {message}"), error.stderr
    unchanged()


def test_rejects_never_replace_the_file_being_imported(workdir: Path) -> None:
    unchanged = _unchanged(workdir)
    error = fails("import", "input.tsv", "--rejects", "./input.tsv", "--force")
    assert error.stderr.startswith("Error: input.tsv is the file being read\n")
    unchanged()


def test_a_backup_may_replace_an_older_backup_but_not_the_database(workdir: Path) -> None:
    ok("db", "backup", "old.db")
    older = (workdir / "old.db").read_bytes()
    ok("suggest", "reject", "1-10")
    assert "already exists" in fails("db", "backup", "old.db").stderr
    ok("db", "backup", "old.db", "--force")
    assert (workdir / "old.db").read_bytes() != older
    error = fails("db", "backup", "factcheck.db-wal", "--force").stderr
    assert "belongs to the database being backed up" in error


@pytest.fixture
def failing_sync(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up as the file is flushed: where a full disk often shows first."""

    def full(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)


@pytest.mark.parametrize("writer", WRITERS)
def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(
    workdir: Path, writer: str, failing_sync: None
) -> None:
    (workdir / "kept.txt").write_text("the user's notes\n", encoding="utf-8")
    unchanged = _unchanged(workdir)
    error = fails(*WRITERS[writer]("kept.txt"), "--force")
    assert error.stderr == "Error: cannot write kept.txt: No space left on device\n"
    unchanged()


def _interrupted_after_a_line(*_args: Any) -> Iterator[str]:
    yield '{"type":"factcheck"}\n'
    raise KeyboardInterrupt


def test_ctrl_c_while_writing_leaves_the_old_file(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "dump.jsonl").write_text("yesterday's dump\n", encoding="utf-8")
    monkeypatch.setattr("factcheck.services.export.export_jsonl", _interrupted_after_a_line)
    unchanged = _unchanged(workdir)
    result = run_cli("export", "--output", "dump.jsonl", "--force")
    assert result.exit_code == 130
    unchanged()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_the_rejects_file_is_open_leaves_nothing(
    workdir: Path, number: signal.Signals
) -> None:
    battery = hostile_files.Battery("SQLite", str(workdir / "factcheck.db"), workdir / "cases")
    battery.workdir.mkdir()
    try:
        run = battery.interrupted(number, force=True)
    finally:
        battery.close()
    assert run.code == 130, run.problem()
    assert run.ok, run.problem()


# --- import --rejects: the rows and the rejects file, all or nothing ----------------------------


@pytest.fixture
def importing(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An initialised database on either backend, and a file with a good row and a bad one."""
    monkeypatch.chdir(tmp_path)
    ok("init")
    (tmp_path / "input.tsv").write_text(GOOD_AND_BAD, encoding="utf-8")
    return backend


def test_an_unwritable_rejects_path_is_refused_before_importing(importing: str) -> None:
    before = table_rows(importing)
    for target, message in (
        ("missing/rejects.jsonl", "directory missing does not exist"),
        ("input.tsv", "input.tsv is the file being read"),
        (".", ". is a directory"),
    ):
        error = fails("import", "input.tsv", "--rejects", target, "--force")
        assert error.stderr.startswith(f"Error: {message}"), error.stderr
    assert table_rows(importing) == before


def test_a_rejects_file_that_cannot_be_written_rolls_the_import_back(
    importing: str, tmp_path: Path, failing_sync: None
) -> None:
    before = table_rows(importing)
    error = fails("import", "input.tsv", "--rejects", "rejects.jsonl")
    assert error.stderr == "Error: cannot write rejects.jsonl: No space left on device\n"
    assert table_rows(importing) == before
    left = [p.name for p in tmp_path.iterdir() if not p.name.startswith("factcheck.db")]
    assert left == ["input.tsv"]


def test_a_rejects_file_taken_after_the_commit_is_reported_truthfully(
    importing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck.services import partial_import

    real = partial_import.import_good_rows

    def meanwhile(*args: Any) -> Any:
        # Another program creates the file while the import runs.
        (tmp_path / "rejects.jsonl").write_text("someone else's\n", encoding="utf-8")
        return real(*args)

    monkeypatch.setattr(partial_import, "import_good_rows", meanwhile)
    error = fails("import", "input.tsv", "--rejects", "rejects.jsonl").stderr
    assert error.startswith(
        "Error: the rows were imported, but the rejects file was not written: "
        "rejects.jsonl already exists\nHint: import the same file again with --rejects"
    )
    assert (tmp_path / "rejects.jsonl").read_text(encoding="utf-8") == "someone else's\n"
    assert [c["text"] for c in ok("claim", "list", "--json").json()] == [
        "Says the hostile battery ran."
    ]


# --- db downgrade: rows are deleted only when someone agreed ------------------------------------


@pytest.fixture
def decided(seeded_backend: str) -> str:
    """The founding corpus and one suggestion decision (so even the newest table has a row)."""
    ok("suggest", "reject", "1-10")
    return seeded_backend


def test_a_downgrade_that_deletes_rows_needs_yes_when_nobody_can_be_asked(decided: str) -> None:
    before = table_rows(decided)
    error = fails("db", "downgrade", "0009").stderr
    assert error == (
        "Error: not removed: 1 row with the downgrade to 0009 (suggestion_decisions 1); nobody "
        "here to confirm it\nHint: --yes removes without asking\n"
    )
    # Every table goes with `base`: the error line names the largest and sums the others.
    base = fails("db", "downgrade", "base").stderr
    assert "with the downgrade to base (history " in base
    assert " other tables); nobody here to confirm it" in base
    assert table_rows(decided) == before
    result = ok("db", "downgrade", "0009", "--yes")
    assert result.stdout.endswith(
        "revision 0009\nRemoved 1 row with the downgrade to 0009 (suggestion_decisions 1).\n"
    )


def test_a_downgrade_asks_on_a_terminal(decided: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("factcheck.cli.removal.interactive", lambda: True)
    before = table_rows(decided)
    declined = run_cli("db", "downgrade", "base", input="n\n")
    assert declined.exit_code == 1
    assert declined.stderr.startswith("This removes ")
    assert "rows with the downgrade to base (history " in declined.stderr
    assert "Remove? [y/N]:" in declined.stderr
    assert declined.stderr.endswith("Error: nothing removed\n")
    assert table_rows(decided) == before
    accepted = run_cli("db", "downgrade", "base", input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert "revision base (empty)\nRemoved " in accepted.stdout
    assert "claims 121" in accepted.stdout


def test_rows_added_while_the_question_waits_are_not_deleted(
    decided: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer

    monkeypatch.setattr("factcheck.cli.removal.interactive", lambda: True)

    def answer_after_another_decision(*_args: Any, **_kwargs: Any) -> bool:
        hostile_files.harness.run_factcheck(decided, "suggest", "reject", "2-17")
        return True

    monkeypatch.setattr(typer, "confirm", answer_after_another_decision)
    before = table_rows(decided)
    refused = run_cli("db", "downgrade", "0009")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[1:] == [
        "Error: downgrading to 0009 would delete 1 row nobody agreed to; nothing was changed",
        "Hint: --yes removes without asking",
    ]
    assert len(table_rows(decided)["suggestion_decisions"]) == 2
    assert table_rows(decided)["claims"] == before["claims"]


def test_a_downgrade_that_deletes_nothing_is_not_questioned(seeded_backend: str) -> None:
    before = table_rows(seeded_backend)
    result = ok("db", "downgrade", "0009")
    assert result.stderr == ""
    assert "revision 0009" in result.stdout
    ok("db", "upgrade")
    assert table_rows(seeded_backend) == before
