"""Process-level harness of the SQLite reliability battery: the `bench/` scripts run it at full size
(`make reliability`), tests/reliability small.

Everything here drives factcheck the way users do: real processes running the CLI entry point
against one database file, killed with SIGKILL where a crash is wanted, and checked afterwards
with the stdlib `sqlite3` module rather than factcheck itself, so a bug in factcheck cannot hide
its own damage.
"""

from __future__ import annotations

import glob
import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

# Tables whose row counts must move all together or not at all when an import is interrupted.
COUNTED_TABLES = (
    "sources",
    "claims",
    "appearances",
    "verdicts",
    "verdict_evidence",
    "links",
    "tags",
    "claim_tags",
    "history",
)
# From revision 0002 on, the search index is written in the same transaction as the claims.
IMPORT_TABLES = (*COUNTED_TABLES, "claim_search")

# A writer process: M `claim add` commands through the real entry point, one JSON line each,
# flushed as soon as the command returns so that a reader of the stream knows what was
# acknowledged and when. time.monotonic() is CLOCK_MONOTONIC on Linux, comparable across
# processes, so the parent can order these against its own events.
WRITER = r"""
import contextlib, io, json, sys, time
from factcheck.cli import main
# Commands import their modules lazily; load them now so the first command's time is its wait.
import factcheck.db, factcheck.services.claims, factcheck.schemas, factcheck.cli.render
writer, count, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for n in range(count):
    out, err = io.StringIO(), io.StringIO()
    start = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["claim", "add", f"{prefix} writer {writer} claim {n}",
                  "--source", "shared", "--tag", f"w{writer}"])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    end = time.monotonic()
    sys.stdout.write(json.dumps({
        "writer": writer, "n": n, "code": code, "id": out.getvalue().strip(),
        "start": start, "end": end, "wall": time.time(), "stderr": err.getvalue(),
    }) + "\n")
    sys.stdout.flush()
"""


def env_for(db: Path | str) -> dict[str, str]:
    """The environment of a factcheck child process: its database (a file or a URL), its user."""
    env = {**os.environ, "FACTCHECK_DB": str(db), "FACTCHECK_USER": "reliability"}
    env.pop("FACTCHECK_DEBUG", None)
    return env


def factcheck_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "factcheck", *args]


def run_factcheck(
    db: Path | str, *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`factcheck ARGS` in a child process; raises with its stderr unless it exits 0."""
    result = subprocess.run(
        factcheck_cmd(*args),
        env=env_for(db),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(f"factcheck {' '.join(args)} exited {result.returncode}: {result}")
    return result


SEQUENCE = r"""
import json, sys
from factcheck.cli import main
for args in json.loads(sys.argv[1]):
    try:
        main(args)
    except SystemExit as exc:
        if exc.code not in (0, None):
            sys.exit(f"factcheck {' '.join(args)} exited {exc.code}")
"""


def run_factcheck_sequence(db: Path | str, *commands: Sequence[str], timeout: float = 300) -> None:
    """Several commands one after another in one child process (one interpreter start-up)."""
    result = subprocess.run(
        [sys.executable, "-c", SEQUENCE, json.dumps([list(c) for c in commands])],
        env=env_for(db),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(f"{commands} failed: {result.stdout} {result.stderr}")


# --- writers ----------------------------------------------------------------------------------


@dataclass
class Command:
    """One `claim add` as a writer saw it."""

    writer: int
    n: int
    code: int
    id: str
    start: float
    end: float
    wall: float
    stderr: str

    @property
    def wait(self) -> float:
        return self.end - self.start


@dataclass
class WriterRun:
    commands: list[Command] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Command]:
        return [c for c in self.commands if c.code != 0]

    @property
    def locked(self) -> int:
        text = [c.stderr for c in self.commands] + self.stderr
        return sum("database is locked" in t for t in text)

    @property
    def ids(self) -> set[int]:
        return {int(c.id) for c in self.commands if c.code == 0}

    def summary(self) -> str:
        waits = sorted(c.wait for c in self.commands)
        longest = waits[-1] if waits else 0.0
        median = statistics.median(waits) if waits else 0.0
        p95 = waits[int(0.95 * (len(waits) - 1))] if waits else 0.0
        return (
            f"{len(self.commands)} claim adds, {len(self.failed)} failed, "
            f"{self.locked} 'database is locked', longest wait {longest:.3f} s, "
            f"median {median:.3f} s, 95th percentile {p95:.3f} s"
        )


def prepare_shared_source(db: Path) -> None:
    run_factcheck(db, "source", "add", "--title", "Shared source", "--key", "shared")


@dataclass
class Writers:
    """Running writer processes. Their output goes to files, not pipes: a pipe nobody drains
    while the parent waits on another writer would stall the writer behind it."""

    procs: list[subprocess.Popen[bytes]]
    outputs: Sequence[tuple[IO[bytes], IO[bytes]]]

    def running(self) -> bool:
        return any(p.poll() is None for p in self.procs)


def start_writers(db: Path, processes: int, claims: int, prefix: str) -> Writers:
    procs, outputs = [], []
    for w in range(processes):
        # Closed by collect_writers, after the writer has exited.
        out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115
        outputs.append((out, err))
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", WRITER, str(w), str(claims), prefix],
                env=env_for(db),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
        )
    return Writers(procs, outputs)


def collect_writers(writers: Writers, timeout: float = 900) -> WriterRun:
    run = WriterRun()
    deadline = time.monotonic() + timeout
    for proc, (out, err) in zip(writers.procs, writers.outputs, strict=True):
        proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        run.exit_codes.append(proc.returncode)
        for stream in (out, err):
            stream.seek(0)
        run.stderr.append(err.read().decode(errors="replace"))
        for line in out.read().decode().splitlines():
            run.commands.append(Command(**json.loads(line)))
        out.close()
        err.close()
    return run


def expected_texts(prefix: str, processes: int, claims: int) -> set[str]:
    return {f"{prefix} writer {w} claim {n}" for w in range(processes) for n in range(claims)}


# --- inspecting a database file ---------------------------------------------------------------


@contextmanager
def opened(db: Path) -> Iterator[sqlite3.Connection]:
    """A plain stdlib connection, as `sqlite3` or Datasette would open the file."""
    connection = sqlite3.connect(db, timeout=60)
    try:
        yield connection
    finally:
        connection.close()


def integrity(db: Path) -> list[str]:
    with opened(db) as connection:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]


def foreign_key_problems(db: Path) -> list[tuple[object, ...]]:
    with opened(db) as connection:
        return [tuple(row) for row in connection.execute("PRAGMA foreign_key_check")]


def counts(db: Path, tables: Sequence[str] = COUNTED_TABLES) -> dict[str, int]:
    with opened(db) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in tables
        }


def schema(db: Path) -> list[tuple[str, str, str | None]]:
    with opened(db) as connection:
        return list(connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name"))


def claim_count(db: Path) -> int:
    with opened(db) as connection:
        count: int = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
    return count


def revision(db: Path) -> str | None:
    with opened(db) as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def remove_database(db: Path) -> None:
    # A -wal or -shm left by a killed process belongs to the old file; beside a new file of the
    # same name SQLite would take it for its own.
    for suffix in ("", "-wal", "-shm", "-journal"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)


def copy_database(source: Path, destination: Path) -> None:
    """A test fixture copy through the backup API (a closed WAL file may still have a -wal)."""
    remove_database(destination)
    with opened(source) as src, opened(destination) as dst:
        src.backup(dst)


# --- killing processes ------------------------------------------------------------------------


def timed_run(db: Path, *args: str) -> float:
    """Run a command uninterrupted; its wall time, start to exit, as the kill window."""
    start = time.monotonic()
    run_factcheck(db, *args)
    return time.monotonic() - start


def run_and_kill(db: Path, delay: float, *args: str) -> bool:
    """Start `factcheck ARGS`, SIGKILL it after `delay` s; True if it was killed, False if it
    had already exited (0, else an AssertionError)."""
    proc = subprocess.Popen(
        factcheck_cmd(*args),
        env=env_for(db),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
    _out, err = proc.communicate(timeout=60)
    if proc.returncode == -signal.SIGKILL:
        return True
    if proc.returncode != 0:
        raise AssertionError(f"factcheck {' '.join(args)} exited {proc.returncode}: {err}")
    return False


# --- an import file big enough to be interrupted ----------------------------------------------


def write_import_file(path: Path, tag: str, claims: int) -> None:
    """A jsonl dump (docs/design.md) of one source and `claims` claims, each with an anchored
    quote, a verdict with evidence and a tag; every tenth pair is linked. `tag` makes every
    record new to a database that holds earlier files, so each import adds the same rows."""
    when = datetime(2026, 1, 1, tzinfo=UTC).isoformat().replace("+00:00", "Z")
    sentences = [f"Bulk {tag} sentence number {i} says something checkable." for i in range(claims)]
    text = " ".join(sentences)
    records: list[dict[str, object]] = [
        {"type": "factcheck", "format": "jsonl", "version": 1},
        {
            "type": "source",
            "id": 1,
            "key": f"bulk-{tag}",
            "title": f"Bulk source {tag}",
            "text": text,
            "created_at": when,
        },
    ]
    offset = 0
    appearances: list[dict[str, object]] = []
    verdicts: list[dict[str, object]] = []
    links: list[dict[str, object]] = []
    for i, sentence in enumerate(sentences):
        claim_id = i + 1
        records.append(
            {
                "type": "claim",
                "id": claim_id,
                "text": f"Bulk {tag} claim {i}",
                "tags": [f"bulk-{tag}"],
                "created_at": when,
            }
        )
        appearances.append(
            {
                "type": "appearance",
                "id": claim_id,
                "claim_id": claim_id,
                "source_id": 1,
                "quote": sentence,
                "start": offset,
                "end": offset + len(sentence),
                "anchor_status": "exact",
                "created_at": when,
            }
        )
        offset += len(sentence) + 1
        verdicts.append(
            {
                "type": "verdict",
                "id": claim_id,
                "claim_id": claim_id,
                "label": ("true", "false", "mixed")[i % 3],
                "note": f"checked {i}",
                "evidence": [{"source_id": 1}],
                "created_at": when,
            }
        )
        if i % 10 == 1:
            links.append(
                {
                    "type": "link",
                    "id": len(links) + 1,
                    "claim_a": claim_id - 1,
                    "claim_b": claim_id,
                    "relation": "contradicts",
                    "created_at": when,
                }
            )
    records += appearances + verdicts + links
    with path.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(r) + "\n" for r in records)


def delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {table: after[table] - before[table] for table in before}


# --- crash loops ------------------------------------------------------------------------------


@dataclass
class CrashOutcomes:
    what: str
    window: float
    runs: list[tuple[float, str]] = field(default_factory=list)

    def add(self, delay: float, outcome: str) -> None:
        self.runs.append((delay, outcome))

    def summary(self) -> str:
        tally: dict[str, int] = {}
        for _delay, outcome in self.runs:
            tally[outcome] = tally.get(outcome, 0) + 1
        shown = ", ".join(f"{n} {outcome}" for outcome, n in sorted(tally.items()))
        return (
            f"{self.what}: {len(self.runs)} runs, kill delays uniform over "
            f"0-{self.window:.2f} s; {shown}; integrity ok after every one"
        )


def wal_stamp(db: Path) -> tuple[int, int] | None:
    """Size and modification time of the WAL, to tell whether a killed command wrote to it."""
    try:
        stat = db.with_name(db.name + "-wal").stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def wrote_wal(before: tuple[int, int] | None, after: tuple[int, int] | None) -> bool:
    """Whether frames were written: the command was killed inside its write transaction after
    spilling pages (readers and crash recovery touch only the -shm). Opening the database
    creates an empty -wal when the last connection had removed it; that is no write. False
    does not mean the kill came before the transaction: its pages may have been in memory."""
    return after is not None and after[0] > 0 and after != before


def check_intact(db: Path, context: str) -> None:
    problems = integrity(db)
    if problems != ["ok"]:
        raise AssertionError(f"{context}: integrity_check {problems[:5]}")
    broken = foreign_key_problems(db)
    if broken:
        raise AssertionError(f"{context}: foreign_key_check {broken[:5]}")


def crash_imports(
    db: Path, workdir: Path, runs: int, claims: int, rng: random.Random
) -> CrashOutcomes:
    """Import files of `claims` claims into `db`, each killed at a random moment.

    Every file holds new records, so each import that lands adds exactly what the first,
    uninterrupted one added; a killed one must have added exactly that or nothing.
    """
    reference = workdir / "import-reference.jsonl"
    write_import_file(reference, "reference", claims)
    before = counts(db, IMPORT_TABLES)
    window = timed_run(db, "import", str(reference))
    whole = delta(counts(db, IMPORT_TABLES), before)
    outcomes = CrashOutcomes(f"import of {claims} claims ({whole['history']} history rows)", window)
    for run in range(runs):
        path = workdir / f"import-{run}.jsonl"
        write_import_file(path, f"run{run}", claims)
        before = counts(db, IMPORT_TABLES)
        wal = wal_stamp(db)
        delay = rng.uniform(0, window)
        killed = run_and_kill(db, delay, "import", str(path))
        wrote = wrote_wal(wal, wal_stamp(db))
        context = f"import run {run}, killed after {delay:.3f} s"
        check_intact(db, context)
        added = delta(counts(db, IMPORT_TABLES), before)
        if added == dict.fromkeys(added, 0):
            outcome = "rolled back" + (", uncommitted WAL frames" if wrote else ", WAL untouched")
        elif added == whole:
            outcome = "committed"
        else:
            raise AssertionError(f"{context}: partial import {added}, whole is {whole}")
        if not killed:
            outcome = "finished first"
        outcomes.add(delay, outcome)
        path.unlink()
    return outcomes


def crash_migrations(
    db: Path, workdir: Path, runs: int, extra_claims: int, rng: random.Random
) -> CrashOutcomes:
    """`db upgrade` from revision 0001, killed at a random moment, on copies of one database.

    `db` holds data (the seed, say); `extra_claims` more are imported so the search index
    rebuild gives the migration some length.
    """
    if extra_claims:
        extra = workdir / "migration-extra.jsonl"
        write_import_file(extra, "migration", extra_claims)
        run_factcheck(db, "import", str(extra))
    run_factcheck(db, "db", "downgrade", "0001")
    old = revision(db)
    base = workdir / "at-0001.db"
    copy_database(db, base)
    old_counts, old_schema = counts(base), schema(base)
    work = workdir / "migrating.db"
    copy_database(base, work)
    window = timed_run(work, "db", "upgrade")
    new = revision(work)
    new_counts, new_schema = counts(work), schema(work)
    if old_counts != new_counts:
        raise AssertionError(f"an uninterrupted upgrade changed rows: {old_counts} {new_counts}")
    outcomes = CrashOutcomes(
        f"db upgrade {old} -> {new} with {old_counts['claims']} claims", window
    )
    for run in range(runs):
        copy_database(base, work)
        wal = wal_stamp(work)
        delay = rng.uniform(0, window)
        killed = run_and_kill(work, delay, "db", "upgrade")
        wrote = wrote_wal(wal, wal_stamp(work))
        context = f"upgrade run {run}, killed after {delay:.3f} s"
        check_intact(work, context)
        reached = revision(work)
        if reached not in (old, new):
            raise AssertionError(f"{context}: revision {reached}, neither {old} nor {new}")
        # Not only the version row: every table, index, trigger and view is the one or the other.
        if schema(work) != (old_schema if reached == old else new_schema):
            raise AssertionError(f"{context}: at {reached} but the schema is a mixture")
        if counts(work) != old_counts:
            raise AssertionError(f"{context}: rows changed {delta(counts(work), old_counts)}")
        # Whatever was left, the next upgrade must finish the job and the result check clean.
        run_factcheck_sequence(work, ("db", "upgrade"), ("db", "check"))
        if revision(work) != new or counts(work) != old_counts or schema(work) != new_schema:
            raise AssertionError(f"{context}: after a fresh upgrade {revision(work)}")
        if not killed:
            outcome = "finished first"
        elif reached == old:
            outcome = f"left at {old}" + (
                ", uncommitted WAL frames" if wrote else ", WAL untouched"
            )
        else:
            outcome = f"left at {new} (killed after commit)"
        outcomes.add(delay, outcome)
    return outcomes


# --- backups under load -----------------------------------------------------------------------


@dataclass
class Backup:
    path: Path
    started: float
    seconds: float
    bytes: int
    first_seen_bytes: int | None
    claims: int = 0
    acknowledged_before: int = 0

    def summary(self) -> str:
        return (
            f"{self.path.name}: {self.bytes} bytes in {self.seconds:.2f} s, {self.claims} claims, "
            f"holding all {self.acknowledged_before} acknowledged before it began"
        )


def _watch_for(path: Path, stop: threading.Event, seen: list[int]) -> None:
    # The size of DEST when it first appears: with write-then-rename it is already whole. One
    # look after `stop` too, so a backup that finished between two looks is still seen.
    while True:
        try:
            seen.append(path.stat().st_size)
            return
        except FileNotFoundError:
            if stop.is_set():
                return
            time.sleep(0.002)


def take_backup(db: Path, destination: Path, force: bool = False) -> Backup:
    """`factcheck db backup DEST` in a child process, watching DEST appear meanwhile."""
    stop, seen = threading.Event(), list[int]()
    watcher = threading.Thread(target=_watch_for, args=(destination, stop, seen))
    watcher.start()
    started = time.monotonic()
    try:
        force_option = ["--force"] if force else []
        result = run_factcheck(db, "db", "backup", str(destination), "--json", *force_option)
    finally:
        seconds = time.monotonic() - started
        stop.set()
        watcher.join()
    reported = json.loads(result.stdout)
    if reported["integrity"] != "ok":
        raise AssertionError(f"backup reported integrity {reported['integrity']}")
    return Backup(
        destination, started, seconds, destination.stat().st_size, seen[0] if seen else None
    )


def check_backup(backup: Backup, acknowledged: dict[int, float], final_ids: set[int]) -> None:
    """The copy is whole, consistent, and holds every claim acknowledged before it began."""
    path = backup.path
    # The copy is made as NAME.XXXXXXXX.partial beside it (factcheck/outputs.py).
    left = sorted(path.parent.glob(f"{glob.escape(path.name)}.*.partial*"))
    if left:
        raise AssertionError(f"{left[0]} left behind")
    if backup.first_seen_bytes != backup.bytes:
        raise AssertionError(
            f"{path.name} appeared with {backup.first_seen_bytes} bytes, ended {backup.bytes}"
        )
    check_intact(path, path.name)
    with opened(path) as connection:
        ids = {row[0] for row in connection.execute("SELECT id FROM claims")}
        # A torn copy would show a claim without the rows its transaction wrote with it.
        orphans = connection.execute(
            "SELECT count(*) FROM claims c WHERE NOT EXISTS "
            "(SELECT 1 FROM appearances a WHERE a.claim_id = c.id) OR NOT EXISTS "
            "(SELECT 1 FROM history h WHERE h.table_name = 'claims' AND h.row_id = c.id)"
        ).fetchone()[0]
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    backup.claims = len(ids)
    before = {cid for cid, acked in acknowledged.items() if acked < backup.started}
    backup.acknowledged_before = len(before)
    if before - ids:
        raise AssertionError(f"{path.name} lacks acknowledged claims {sorted(before - ids)[:10]}")
    if ids - final_ids:
        raise AssertionError(
            f"{path.name} has claims the source never had {sorted(ids - final_ids)}"
        )
    if orphans:
        raise AssertionError(f"{path.name}: {orphans} claims without their appearance or history")
    if mode != "delete":
        raise AssertionError(f"{path.name} is in journal mode {mode}: a lone file needs no -wal")


def backups_under_load(
    db: Path, workdir: Path, processes: int, claims: int, backups: int
) -> tuple[WriterRun, list[Backup]]:
    """Writers add claims while `backups` backups are taken one after another; every backup is
    checked against the writers' acknowledgements once they have all finished."""
    prepare_shared_source(db)
    writers = start_writers(db, processes, claims, "backup-load")
    taken: list[Backup] = []
    try:
        # Start backing up once writes are flowing, not while the writers are still starting.
        wanted = claim_count(db) + processes
        while claim_count(db) < wanted and writers.running():
            time.sleep(0.05)
        for number in range(backups):
            if not writers.running():
                break
            taken.append(take_backup(db, workdir / f"backup-{number}.db"))
    finally:
        run = collect_writers(writers)
    with opened(db) as connection:
        final_ids = {row[0] for row in connection.execute("SELECT id FROM claims")}
    acknowledged = {int(c.id): c.end for c in run.commands if c.code == 0}
    for backup in taken:
        check_backup(backup, acknowledged, final_ids)
    return run, taken


def kill_backups(db: Path, workdir: Path, runs: int, rng: random.Random) -> CrashOutcomes:
    """`db backup` killed at random moments never leaves a DEST that is not a whole copy."""
    window = take_backup(db, workdir / "timed.db").seconds
    outcomes = CrashOutcomes("db backup", window)
    for run in range(runs):
        destination = workdir / f"killed-{run}.db"
        delay = rng.uniform(0, window)
        killed = run_and_kill(db, delay, "db", "backup", str(destination))
        context = f"backup run {run}, killed after {delay:.3f} s"
        if destination.exists():
            check_intact(destination, context)
            outcome = "whole copy" if killed else "finished first"
        else:
            outcome = "no copy"
        # Whatever a killed backup left (DEST.XXXXXXXX.partial, its journal) must not leak into
        # the next backup to the same place.
        again = take_backup(db, destination, force=destination.exists())
        if again.first_seen_bytes is None:
            raise AssertionError(f"{context}: the next backup never appeared")
        check_intact(destination, f"{context}, backed up again")
        outcomes.add(delay, outcome)
    return outcomes
