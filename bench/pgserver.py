"""A throwaway PostgreSQL server for the tests: initdb and pg_ctl in a temporary directory.

`initdb` refuses to run as root, and CI runs as root, so there the server runs as the
unprivileged `postgres` system user (through `runuser`) in a directory that user owns (for the
tests, in memory when there is room: see MEMORY_DIR). It listens on loopback at a free port and on
a socket in its own directory, with fsync off: the tests need a real server, not a durable one.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def find_bin_dir() -> Path | None:
    """Debian installs the server under /usr/lib/postgresql/VERSION/bin; else look on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def _version_key(path: str) -> int:
    version = Path(path).parts[-3]
    return int(version) if version.isdigit() else 0


# A memory file system for a server's files (PostgresServer's `in_memory`), when it has room:
# the tests' server is thrown away, and there creating a database from a template takes 20 ms
# rather than 150 to 300 (on ext4 here). Docker's default /dev/shm (64 MB) is too small, and then
# the temporary directory is used.
MEMORY_DIR = Path("/dev/shm")
MEMORY_DIR_ROOM = 4 * 2**30


def _memory_dir() -> Path | None:
    try:
        room = shutil.disk_usage(MEMORY_DIR).free
    except OSError:
        return None
    return MEMORY_DIR if room >= MEMORY_DIR_ROOM and os.access(MEMORY_DIR, os.W_OK) else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    def __init__(self, bin_dir: Path, in_memory: bool = False) -> None:
        """`in_memory`: the server's files in MEMORY_DIR when it has room (for the tests; the
        benchmarks measure a server on disk)."""
        self.bin_dir = bin_dir
        where = _memory_dir() if in_memory else None
        self.root = Path(tempfile.mkdtemp(prefix="factcheck-pg-", dir=where))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        self._version_num: int | None = None
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.root / "server.log"
            detail = log.read_text() if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}\n{detail}")

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-k {self.root} -p {self.port} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"),
            "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, template: str | None = None) -> str:
        """A new database, empty or a copy of the `template` database (a name `seal` gave);
        returns its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._create(name, template)
        return self.url(name)

    def replace_database(self, url: str, template: str) -> None:
        """Make the database `create_database` made at `url` a copy of `template` (a name `seal`
        gave), under the same name, whoever was connected to it."""
        self.drop_database(url)
        self._create(url.rsplit("/", 1)[1], template)

    def _create(self, name: str, template: str | None) -> None:
        copy = ""
        if template is not None:
            # Copied file by file (a third of the time of PostgreSQL 15's default, which writes
            # every page to the WAL); before 15 that was the only way, and had no keyword.
            copy = f' TEMPLATE "{template}"'
            if self._version() >= 150000:
                copy += " STRATEGY FILE_COPY"
        self._admin(f'CREATE DATABASE "{name}"{copy}')

    def _version(self) -> int:
        if self._version_num is None:
            self._version_num = int(self._admin("SHOW server_version_num") or 0)
        return self._version_num

    def seal(self, url: str) -> str:
        """Make the database `create_database` made at `url` a template for others: nobody may
        connect to it any more (PostgreSQL copies a database only while no session is open on
        it, and a template is never changed). Returns its name, for `create_database`."""
        name = url.rsplit("/", 1)[1]
        self._admin(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        return name

    def drop_database(self, url: str) -> None:
        """Drop a database `create_database` made, whoever is still connected to it. Dropped
        when done with, a test's database is gone before its files are written back to disk:
        a suite's hundreds of databases (a gigabyte) otherwise are, then deleted at the end."""
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, sql: str) -> str | None:
        """Run `sql` as the server's superuser; the first column of its first row, if any."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as connection:
            cursor = connection.execute(sql)
            row = cursor.fetchone() if cursor.description is not None else None
            return None if row is None else str(row[0])
