"""Files the user did not mean to destroy: every command that writes a file, pointed at every file
it must not write over or cannot write, run as real processes on SQLite and on a PostgreSQL
server. Each run must end in a clean error (exit 1, `Error:`/`Hint:` lines only) with the database
and every file around it unchanged and nothing left behind. So must writes that fail at the end
(a file size limit), imports interrupted while their rejects file is open (SIGINT, SIGTERM,
SIGHUP), and downgrades that would drop tables holding rows, with nobody there to say yes.

Prints a markdown section (the tally docs/reliability.md keeps); exits 1 on any violation.

    .venv/bin/python bench/hostile_files.py [--no-postgres]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

# Run as `python bench/NAME.py`, this file's folder is on sys.path but the repository root, where
# the `bench` package is, may not be.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness
from bench.launcher import Child, Launcher
from bench.pgserver import PostgresServer, find_bin_dir

SQLITE, POSTGRESQL = "SQLite", "PostgreSQL"
# Files SQLite makes and removes beside a database as it is opened and closed.
_COMES_AND_GOES = ("-wal", "-shm")
# A LIAR file with a good row and a bad one: an import that wrongly went ahead would add a claim.
IMPORT_ROWS = (
    "1.json\tfalse\tSays the hostile battery ran.\tx\tjane\t\t\tnone\t0\t0\t0\t0\t0\tctx\n"
    "2.json\tmaybe\tSays b.\tx\tjane\t\t\tnone\t0\t0\t0\t0\t0\tctx\n"
)
# A file size limit for the late failures: above the 32 KiB a SQLite reader's -shm takes, below
# every output tried with it. An import writes to the database too (its journal and temporary
# files), so it gets more room, and a rejects file three times that.
SIZE_LIMIT = 64 * 1024
IMPORT_SIZE_LIMIT = 4 * 1024 * 1024


@dataclass(frozen=True)
class Writer:
    """A command that writes a file, as a user types it: its arguments for a target path, run in
    the case's directory."""

    name: str
    args: Callable[[str], list[str]]
    backends: tuple[str, ...] = (SQLITE, POSTGRESQL)


WRITERS = (
    Writer(
        "report contradictions --output",
        lambda t: ["report", "contradictions", "--format", "json", "--output", t],
    ),
    Writer("report sources --output", lambda t: ["report", "sources", "--output", t]),
    Writer("export --output", lambda t: ["export", "--output", t]),
    Writer("import --rejects", lambda t: ["import", "input.tsv", "--rejects", t]),
    Writer("db backup", lambda t: ["db", "backup", t], backends=(SQLITE,)),
)


def _file(path: Path, content: bytes = b"notes the user keeps\n") -> str:
    path.write_bytes(content)
    return str(path)


def _sqlite_file(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE kept (note TEXT)")
        connection.execute("INSERT INTO kept VALUES ('a database named like a report')")
    connection.close()
    return str(path)


def _link(path: Path, to: Path) -> str:
    path.symlink_to(to)
    return str(path)


def _hard_link(path: Path, to: Path) -> str:
    os.link(to, path)
    return str(path)


def _directory(path: Path) -> str:
    path.mkdir()
    _file(path / "inside.txt")
    return str(path)


def _fifo(path: Path) -> str:
    os.mkfifo(path)
    return str(path)


def _socket(path: Path) -> str:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
    return str(path)


@dataclass(frozen=True)
class Target:
    """A path a writing command is given, made in the case's directory `d`; `db` is the SQLite
    file (None on PostgreSQL: the targets that need it do not apply)."""

    name: str
    make: Callable[[Path, Path | None], str | None]
    # Also tried with --force, which must not make a difference.
    force_too: bool = True
    # Writers for which --force makes this an ordinary replacement (not tried with --force).
    replaceable_by: tuple[str, ...] = ()
    # Only for this writer (a target that means something to it alone).
    only: str | None = None


def on_sqlite(make: Callable[[Path, Path], str]) -> Callable[[Path, Path | None], str | None]:
    """A target made from the SQLite file: none on PostgreSQL."""
    return lambda d, db: None if db is None else make(d, db)


TARGETS = (
    Target("an existing file", lambda d, db: _file(d / "notes.txt"), force_too=False),
    Target("the database", on_sqlite(lambda d, db: str(db))),
    Target("the database, by a relative path", on_sqlite(lambda d, db: os.path.relpath(db, d))),
    Target("a symbolic link to the database", on_sqlite(lambda d, db: _link(d / "db-link", db))),
    Target("a hard link to the database", on_sqlite(lambda d, db: _hard_link(d / "db-copy", db))),
    Target("the database's write-ahead log", on_sqlite(lambda d, db: f"{db}-wal")),
    Target("the database's shared-memory file", on_sqlite(lambda d, db: f"{db}-shm")),
    Target(
        "another SQLite database, named .json",
        lambda d, db: _sqlite_file(d / "old.json"),
        replaceable_by=("db backup",),
    ),
    Target(
        "a SQLite journal, named .txt",
        lambda d, db: _file(d / "journal.txt", bytes.fromhex("d9d505f920a163d7") + b"\0" * 504),
    ),
    Target("the file being imported", lambda d, db: "input.tsv", only="import --rejects"),
    Target("a symbolic link to a file", lambda d, db: _link(d / "link.txt", Path(_file(d / "a")))),
    Target("a dangling symbolic link", lambda d, db: _link(d / "dangling.txt", d / "absent")),
    Target("a directory", lambda d, db: _directory(d / "out")),
    Target("an empty name (the current directory)", lambda d, db: ""),
    Target("a character device (/dev/null)", lambda d, db: "/dev/null"),
    Target("a named pipe", lambda d, db: _fifo(d / "pipe")),
    Target("a socket", lambda d, db: _socket(d / "sock")),
    Target("a file in a missing directory", lambda d, db: str(d / "missing" / "out.txt")),
    Target("a file under a regular file", lambda d, db: str(Path(_file(d / "notes.txt")) / "out")),
    Target("a name too long for the file system", lambda d, db: str(d / ("x" * 300))),
    Target("a directory nobody may write (/proc)", lambda d, db: "/proc/factcheck-out.txt"),
)

# Commands whose output the size limit cuts short (each also over an existing file, which must
# survive whole).
LATE = (WRITERS[0], WRITERS[2], WRITERS[3], WRITERS[4])
# Downgrades that drop tables holding rows (the setup records a suggestion decision, so even
# the newest table has one).
DOWNGRADES = ("base", "0001", "0009")
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass
class Run:
    """One command of the battery and how it ended."""

    category: str
    what: str
    backend: str
    argv: list[str]
    code: int | None = None
    stdout: str = ""
    stderr: str = ""
    clean: bool = False
    database_unchanged: bool = False
    files_unchanged: bool = False
    rows_lost: int = 0
    rows_added: int = 0
    left_behind: list[str] = field(default_factory=list)
    # What the run must end with besides a clean error (exit 130 for an interruption).
    expected_code: int = 1

    @property
    def ok(self) -> bool:
        return (
            self.clean
            and self.database_unchanged
            and self.files_unchanged
            and not self.left_behind
            and self.rows_lost == self.rows_added == 0
        )

    def problem(self) -> str:
        return (
            f"{self.backend}: {self.category}: {self.what}: `factcheck {' '.join(self.argv)}` "
            f"exit {self.code}, clean {self.clean}, database unchanged {self.database_unchanged}, "
            f"files unchanged {self.files_unchanged}, left {self.left_behind}, rows lost "
            f"{self.rows_lost}, added {self.rows_added}: {self.stderr.strip()[:500]}"
        )


# --- what must not change ---------------------------------------------------------------------


def tree(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under `root`, links not followed: kind, and content, link target or mode.
    A database's -wal and -shm, which come and go as it is opened, are left out."""
    entries: dict[str, tuple[object, ...]] = {}
    for path in sorted(root.rglob("*")):
        if path.name.endswith(_COMES_AND_GOES):
            continue
        name = str(path.relative_to(root))
        info = path.lstat()
        if path.is_symlink():
            entries[name] = ("link", os.readlink(path))
        elif path.is_dir():
            entries[name] = ("directory", info.st_mode)
        elif path.is_file():
            entries[name] = ("file", info.st_mode, path.read_bytes())
        else:
            entries[name] = ("special", info.st_mode)
    return entries


def database_rows(location: str) -> dict[str, list[str]]:
    """Every row of every table, sorted, read without factcheck (stdlib sqlite3, or plain
    SQLAlchemy on a server), so that a bug in factcheck cannot hide its own damage."""
    if "://" not in location:
        with harness.opened(Path(location)) as connection:
            names = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                )
            ]
            return {
                name: sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{name}"'))
                for name in names
            }
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(location)
    try:
        with engine.connect() as connection:
            return {
                name: sorted(
                    repr(tuple(row)) for row in connection.execute(text(f'SELECT * FROM "{name}"'))
                )
                for name in inspect(connection).get_table_names()
            }
    finally:
        engine.dispose()


# --- running one command ----------------------------------------------------------------------


def _clean(code: int | None, stdout: str, stderr: str, expected: int) -> bool:
    """Exit 1 with `Error:` (and `Hint:`) lines only; an interruption exits 130, as a shell
    expects, its message optional."""
    lines = stderr.strip().splitlines()
    return (
        code == expected
        and (bool(lines) or expected == 130)
        and (not lines or lines[0].startswith("Error: "))
        and all(line.startswith(("Error: ", "Hint: ")) for line in lines)
        and "Traceback" not in stderr
        and "unexpected" not in stderr
        and stdout == ""
    )


@dataclass
class Battery:
    """One database (a seeded SQLite file or PostgreSQL database) and the directory the cases
    make their files in; every run is checked against the state before it."""

    backend: str
    location: str
    workdir: Path
    runs: list[Run] = field(default_factory=list)
    _cases: int = 0
    # Each command a process of its own, forked from one that has imported factcheck: a hundred
    # start-ups (importing SQLAlchemy, Alembic, the driver) took most of the battery's time.
    _launcher: Launcher | None = None

    def start(self, args: Sequence[str], cwd: Path, limit: int | None = None) -> Child:
        """`factcheck ARGS` run in `cwd` on the battery's database, with a file size limit."""
        if self._launcher is None:
            self._launcher = Launcher()
        return self._launcher.start(list(args), cwd, harness.env_for(self.location), limit)

    def close(self) -> None:
        if self._launcher is not None:
            self._launcher.close()
            self._launcher = None

    @property
    def db_file(self) -> Path | None:
        return None if "://" in self.location else Path(self.location)

    def case_dir(self) -> Path:
        self._cases += 1
        directory = self.workdir / f"case-{self._cases}"
        directory.mkdir()
        (directory / "input.tsv").write_text(IMPORT_ROWS, encoding="utf-8")
        return directory

    @contextmanager
    def checked(self, run: Run) -> Iterator[None]:
        """Compare the database and the files before and after the run."""
        files, rows = tree(self.workdir), database_rows(self.location)
        yield
        after = database_rows(self.location)
        run.database_unchanged = after == rows
        for name in set(rows) | set(after):
            before_count, after_count = len(rows.get(name, [])), len(after.get(name, []))
            run.rows_lost += max(0, before_count - after_count)
            run.rows_added += max(0, after_count - before_count)
        now = tree(self.workdir)
        run.left_behind = [name for name in now if ".partial" in name and name not in files]
        run.files_unchanged = {k: v for k, v in now.items() if k not in run.left_behind} == files
        run.clean = _clean(run.code, run.stdout, run.stderr, run.expected_code)
        self.runs.append(run)

    def run(
        self,
        category: str,
        what: str,
        args: Sequence[str],
        cwd: Path,
        limit: int | None = None,
    ) -> Run:
        run = Run(category, what, self.backend, list(args))
        with self.checked(run):
            child = self.start(args, cwd, limit)
            try:
                run.code, run.stdout, run.stderr = child.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                run.stderr = "hung (a write to a pipe nobody reads?)"
        return run

    def interrupted(self, number: signal.Signals, force: bool) -> Run:
        """`import - --rejects FILE` reading from a pipe that stays open: once its temporary
        rejects file exists, the signal arrives while the command waits for its input."""
        directory = self.case_dir()
        target = directory / "rejects.jsonl"
        if force:
            _file(target)
        args = ["import", "-", "--format", "liar", "--rejects", target.name]
        args += ["--force"] if force else []
        over = " over an existing file" if force else ""
        run = Run("interrupted", f"{number.name}{over}", self.backend, args, expected_code=130)
        with self.checked(run):
            # Started as from a terminal: the signals' default actions (nohup ignores SIGHUP).
            process = self.start(args, directory)
            process.write(IMPORT_ROWS.encode())
            deadline = time.monotonic() + 60
            while not list(directory.glob("rejects.jsonl.*.partial")):
                if process.poll() is not None or time.monotonic() > deadline:
                    break
                time.sleep(0.01)
            process.send_signal(number)
            try:
                run.code, run.stdout, run.stderr = process.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                run.code, run.stderr = process.returncode, "hung after the signal"
        # Exit 130 with "interrupted; nothing was changed" on stderr, as for Ctrl-C.
        return run


def prepare(location: str, template: Path | None) -> None:
    """The founding corpus, and a suggestion decision (so that every table holds a row)."""
    if template is not None:
        harness.copy_database(template, Path(location))
    else:
        harness.run_factcheck_sequence(location, ["seed"])
    harness.run_factcheck_sequence(location, ["suggest", "reject", "1-10"])


def run_battery(battery: Battery, sample: bool = False) -> list[Run]:
    """Every case on one database; returns the runs (the battery keeps them too). A `sample`
    tries each target with one writer, in turn, instead of with all of them."""
    try:
        refusals(battery, sample)
        late_failures(battery)
        interruptions(battery)
        downgrades(battery)
    finally:
        battery.close()
    return battery.runs


def refusals(battery: Battery, sample: bool) -> None:
    writers = [writer for writer in WRITERS if battery.backend in writer.backends]
    for number, target in enumerate(TARGETS):
        if target.only is not None:
            chosen = [writer for writer in writers if writer.name == target.only]
        else:
            chosen = [writers[number % len(writers)]] if sample else writers
        for writer in chosen:
            for force in (False, True) if target.force_too else (False,):
                if force and writer.name in target.replaceable_by:
                    continue
                directory = battery.case_dir()
                path = target.make(directory, battery.db_file)
                if path is None:
                    continue
                args = [*writer.args(path), *(["--force"] if force else [])]
                what = f"{target.name}{' (--force)' if force else ''}"
                battery.run(writer.name, what, args, directory)


def late_failures(battery: Battery) -> None:
    for writer in LATE:
        if battery.backend not in writer.backends:
            continue
        for force in (False, True):
            directory = battery.case_dir()
            target = directory / "out"
            if force:
                _file(target)
            limit = SIZE_LIMIT
            if writer.name == "import --rejects":
                limit = IMPORT_SIZE_LIMIT
                # Rejected rows with long content: a rejects file well past the limit.
                bad = IMPORT_ROWS.splitlines(keepends=True)[1].replace("Says b.", "x" * 2000)
                (directory / "input.tsv").write_text(
                    IMPORT_ROWS + bad * (3 * limit // 2000), encoding="utf-8"
                )
            args = [*writer.args(target.name), *(["--force"] if force else [])]
            what = f"{writer.name}{' over an existing file' if force else ''}"
            battery.run("file size limit reached while writing", what, args, directory, limit)


def interruptions(battery: Battery) -> None:
    for number in SIGNALS:
        for force in (False, True):
            battery.interrupted(number, force)


def downgrades(battery: Battery) -> None:
    for revision in DOWNGRADES:
        args = ["db", "downgrade", revision]
        battery.run("downgrade dropping rows, no --yes", revision, args, battery.case_dir())


# --- the tally --------------------------------------------------------------------------------


def _message(run: Run, workdir: Path) -> str:
    first = run.stderr.strip().splitlines()[0] if run.stderr.strip() else ""
    first = first.replace(str(workdir) + "/", "").removeprefix("Error: ")
    # The name too long, and what the error line kept of it.
    first = re.sub(r"x{20,}( … \(\d+ characters cut\) … x+)?", "xxx…", first)
    return re.sub(r"case-\d+/", "", first)


def section(batteries: Sequence[Battery]) -> str:
    """The markdown the reliability page keeps."""
    runs = [run for battery in batteries for run in battery.runs]
    lines = [
        "## Files the user did not mean to destroy",
        "",
        "`python bench/hostile_files.py`: every command that writes a file, given a path it "
        "must not write over or cannot write, as real processes; each must end in a clean error "
        "(exit 1, `Error:`/`Hint:` lines only; 130 when interrupted) with the database and "
        "every file around it unchanged and no temporary file left.",
        "",
        "| what was tried | backend | runs | clean errors | database unchanged "
        "| files unchanged, none left | rows lost |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    keys = sorted({(r.category, r.backend) for r in runs}, key=lambda k: _order(runs, k))
    for category, backend in keys:
        group = [r for r in runs if (r.category, r.backend) == (category, backend)]
        lines.append(
            f"| {category} | {backend} | {len(group)} | {sum(r.clean for r in group)} "
            f"| {sum(r.database_unchanged for r in group)} "
            f"| {sum(r.files_unchanged and not r.left_behind for r in group)} "
            f"| {sum(r.rows_lost for r in group)} |"
        )
    lines += [
        f"| **all** | | **{len(runs)}** | **{sum(r.clean for r in runs)}** "
        f"| **{sum(r.database_unchanged for r in runs)}** "
        f"| **{sum(r.files_unchanged and not r.left_behind for r in runs)}** "
        f"| **{sum(r.rows_lost for r in runs)}** |",
        "",
        "What each case gets (the first run's message, with and without --force alike; paths "
        "relative to the case's directory):",
        "",
        "| path given | message |",
        "|---|---|",
    ]
    shown: set[str] = set()
    workdirs = {battery.backend: battery.workdir for battery in batteries}
    writers = {writer.name for writer in WRITERS}
    for run in runs:
        # A refusal reads the same from every command, with --force or without.
        name = run.what.removesuffix(" (--force)")
        label = name if run.category in writers else f"{run.category}: {name}"
        if label in shown:
            continue
        shown.add(label)
        message = _message(run, workdirs[run.backend]).replace("|", "\\|")
        lines.append(f"| {label} | {message or f'(exit {run.code}, nothing printed)'} |")
    failed = [run for run in runs if not run.ok]
    lines += ["", f"Violations: {len(failed)}.", *(f"- {run.problem()}" for run in failed)]
    return "\n".join([*lines, "", *LIMITS]) + "\n"


LIMITS = (
    "Limits:",
    "",
    "- SIGKILL or a power cut while a file is written can leave `NAME.XXXXXXXX.partial` beside "
    "it (never a half-written NAME); nothing else can.",
    "- `import --rejects`: the rejects file is written and synced before the import commits, "
    "renamed into place after. Should another program take its name in that instant, the "
    "import stands and the error says so (importing again writes the file: the rows already "
    "imported are recognised).",
    "- The checks look at the path when the command starts and again just before the rename; on "
    "a file system without hard links a file created in between is replaced.",
    "- `--force` replaces by rename: the new file keeps the old one's permissions but belongs to "
    "whoever ran the command, and other hard links to the old file keep the old content.",
    "- A downgrade counts the rows it deletes, not the values of a column it drops (none does).",
    "- These runs are as root, whom permissions do not stop: /proc stands in for a directory "
    "nobody may write.",
)


def _order(runs: list[Run], key: tuple[str, str]) -> int:
    return next(i for i, r in enumerate(runs) if (r.category, r.backend) == key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args()
    bin_dir = None if args.no_postgres else find_bin_dir()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        template = root / "template.db"
        harness.run_factcheck_sequence(template, ["seed"])
        batteries = []
        workdir = root / "sqlite"
        (workdir / "db").mkdir(parents=True)
        db = workdir / "db" / "factcheck.db"
        prepare(str(db), template)
        batteries.append(Battery(SQLITE, str(db), workdir))
        server = PostgresServer(bin_dir) if bin_dir is not None else None
        try:
            if server is not None:
                server.start()
                url = server.create_database()
                prepare(url, None)
                (root / "postgresql").mkdir()
                batteries.append(Battery(POSTGRESQL, url, root / "postgresql"))
            for battery in batteries:
                started = time.monotonic()
                run_battery(battery)
                print(
                    f"{battery.backend}: {len(battery.runs)} runs in "
                    f"{time.monotonic() - started:.0f} s",
                    file=sys.stderr,
                )
        finally:
            if server is not None:
                server.stop()
        print(section(batteries), end="")
        if server is None:
            print("\nPostgreSQL was not tried: no server binaries on this machine.")
        shutil.rmtree(root, ignore_errors=True)
        return 0 if all(run.ok for battery in batteries for run in battery.runs) else 1


if __name__ == "__main__":
    sys.exit(main())
