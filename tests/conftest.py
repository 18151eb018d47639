"""Every test gets its own database file through FACTCHECK_DB, and a way to run the CLI.

Fixtures only: what tests share besides fixtures is in tests/helpers.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, overload

import pytest

# The helpers assert (ok, fails): rewritten like a test's asserts, to show the values that differ.
pytest.register_assert_rewrite("tests.helpers")

from bench.pgserver import PostgresServer, find_bin_dir  # noqa: E402
from factcheck.db.database import Database  # noqa: E402
from factcheck.db.engine import resolve_url  # noqa: E402
from tests.helpers import ok, run_cli, seed_path  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long batteries (marked slow) first: with `-n 2` each worker starts on them while the
    other runs the many short tests, instead of one worker finishing a long one alone at the
    end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def db_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Path:
    """The test's database (FACTCHECK_DB): an empty database at the head revision, copied from
    `migrated_template` (migrating a new file for every test was most of the suite's time); for
    a test marked `new_database`, a path where no file exists yet."""
    path = tmp_path / "factcheck.db"
    monkeypatch.setenv("FACTCHECK_DB", str(path))
    monkeypatch.setenv("FACTCHECK_USER", "tester")
    monkeypatch.delenv("FACTCHECK_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    if request.node.get_closest_marker("new_database") is None:
        shutil.copyfile(request.getfixturevalue("migrated_template"), path)
    return path


class Template(Protocol):
    """The `template` fixture's function (see there)."""

    @overload
    def __call__(self, build: Callable[[str], None]) -> Path: ...

    @overload
    def __call__(self, build: Callable[[str], None], server: PostgresServer) -> str: ...


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """Databases built once per test process (each xdist worker), for tests to copy:
    `template(build)` is the SQLite file that `build(db)` filled, `db` being the `--db` of a new
    database; `template(build, server)` the same built in a new database of that PostgreSQL
    server, then sealed (no session may open it again, so it can be copied at any time and is
    never changed): its name, for `server.create_database(template)`. Built on first use, by
    user "tester" as in every test."""
    built: dict[tuple[Callable[[str], None], PostgresServer | None], Any] = {}

    def template(build: Callable[[str], None], server: PostgresServer | None = None) -> Any:
        if (build, server) not in built:
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("FACTCHECK_USER", "tester")
                patch.delenv("FACTCHECK_DEBUG", raising=False)
                if server is None:
                    path = tmp_path_factory.mktemp("template") / "template.db"
                    patch.setenv("FACTCHECK_DB", str(path))
                    build(str(path))
                    assert not path.with_name("template.db-wal").exists()  # checkpointed
                    built[build, server] = path
                else:
                    url = server.create_database()
                    patch.setenv("FACTCHECK_DB", url)
                    # Every command closes its connections when it ends (PostgreSQL copies a
                    # database only while nobody is connected to it).
                    build(url)
                    built[build, server] = server.seal(url)
        return built[build, server]

    return template  # type: ignore[return-value]


def _init(db: str) -> None:
    ok("--db", db, "init")


@pytest.fixture(scope="session")
def migrated_template(template: Template) -> Path:
    """An empty SQLite database at the head revision, built once per test process: copy it
    where a test needs many new databases and is not about creating them (copying costs a
    fraction of running the migrations); never change it."""
    return template(_init)


@pytest.fixture(scope="session")
def migrated_pg_template(template: Template, postgres_server: PostgresServer) -> str:
    """`migrated_template` on this test process's PostgreSQL server: the name of the template
    database, for `postgres_server.create_database`."""
    return template(_init, postgres_server)


@pytest.fixture
def new_db(tmp_path: Path, migrated_template: Path) -> Callable[[str], Path]:
    """Other databases beside the test's own: `new_db(name)` is a new empty database at the
    head revision (a copy of `migrated_template`), for a test about what goes from one database
    to another rather than about creating one."""

    def new_db(name: str) -> Path:
        path = tmp_path / f"{name}.db"
        shutil.copyfile(migrated_template, path)
        return path

    return new_db


def _seed(db: str) -> None:
    ok("--db", db, "seed")


@pytest.fixture(scope="session")
def seeded_template(template: Template) -> Path:
    """The founding corpus in a migrated SQLite database, built once per test process: copy it
    (as `seeded` does), never change it."""
    return template(_seed)


@pytest.fixture
def seeded(db_path: Path, seeded_template: Path) -> Path:
    """The test's database (FACTCHECK_DB) holding the founding corpus."""
    shutil.copyfile(seeded_template, db_path)
    return db_path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server per test worker, started on first use."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        message = "no PostgreSQL server binaries (Debian package postgresql) on this machine"
        if os.environ.get("FACTCHECK_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(bin_dir, in_memory=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(
    db_path: Path,
    postgres_server: PostgresServer,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[str]:
    """The test's PostgreSQL database, made its database through FACTCHECK_DB: as `db_path`, an
    empty database at the head revision (a copy of one migrated once per test process), or for
    a test marked `new_database`, one without any schema yet; dropped after the test."""
    if request.node.get_closest_marker("new_database") is None:
        url = postgres_server.create_database(request.getfixturevalue("migrated_pg_template"))
    else:
        url = postgres_server.create_database()
    monkeypatch.setenv("FACTCHECK_DB", url)
    yield url
    postgres_server.drop_database(url)


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


@pytest.fixture
def filled(
    request: pytest.FixtureRequest, template: Template, db_path: Path
) -> Callable[[Callable[[str], None]], None]:
    """`filled(build)` makes the test's database (FACTCHECK_DB, on either backend) what
    `build(db)` makes of a new one: a copy of the `template` built once per test process, for
    fixtures that fill it with the same records for many tests."""

    def filled(build: Callable[[str], None]) -> None:
        url = os.environ["FACTCHECK_DB"]  # db_path, or pg_url when the test asked for it
        if "://" not in url:
            shutil.copyfile(template(build), url)
            return
        server = request.getfixturevalue("postgres_server")
        server.replace_database(url, template(build, server))

    return filled


@pytest.fixture
def seeded_backend(backend: str, filled: Callable[[Callable[[str], None]], None]) -> str:
    """`backend` (the test's database, on each backend) holding the founding corpus: a copy of
    a template seeded once per test process and backend."""
    filled(_seed)
    return backend


@pytest.fixture
def seeded_pg(pg_url: str, filled: Callable[[Callable[[str], None]], None]) -> str:
    """`pg_url` holding the founding corpus, as `seeded_backend`."""
    filled(_seed)
    return pg_url


# What `corpus` adds, by the ids a new database gives it.
CORPUS = {"politico": 1, "revenge": 2, "respond": 1, "no_revenge": 2}


def _corpus(db: str) -> None:
    added = {
        "politico": ok(
            "--db",
            db,
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
        ).stdout,
        "revenge": ok(
            "--db",
            db,
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
        ).stdout,
        "respond": ok(
            "--db",
            db,
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
        ).stdout,
        "no_revenge": ok(
            "--db",
            db,
            "claim",
            "add",
            "Iran did not carry out the hard revenge it vowed",
            "--source",
            "revenge",
            "--quote",
            'Iran did not deliver the "hard revenge" it had promised',
            "--tag",
            "retaliation",
        ).stdout,
    }
    assert {name: int(out) for name, out in added.items()} == CORPUS


@pytest.fixture
def corpus(filled: Callable[[Callable[[str], None]], None]) -> dict[str, int]:
    """Two real articles as sources and a claim quoted from each (their ids by name)."""
    filled(_corpus)
    return dict(CORPUS)
