"""`claim add`'s direct sqlite3 path writes exactly what the ORM path writes.

The same claims go through `claims.add_claim` (ORM, history from the mapper hooks) on one copy
of a seeded database and through `quick_add.add_claim_quickly` on another. Every table, the
history (as stored text, key order included) and the search index must come out the same, bar
the timestamps; and so must what the command reports.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.db.connection import HEAD_REVISION, open_current
from factcheck.db.database import Database
from factcheck.db.engine import resolve_url
from factcheck.errors import QuoteNotAnchored
from factcheck.schemas import AppearanceIn, ClaimIn
from factcheck.services.anchoring import AppearanceCreated
from factcheck.services.claims import add_claim
from factcheck.services.quick_add import add_claim_quickly
from factcheck.services.transfer import load_seed
from tests.helpers import dump

# Timestamps differ between any two runs: ISO (in history JSON) and stored forms.
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?(\+00:00)?")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "seed.db"
    database = Database(resolve_url(str(path)), "loader")
    database.ensure_schema()
    with database.write() as session:
        load_seed(session)
    database.close()
    return path


def _masked(path: Path) -> list[str]:
    """The database as SQL text (history JSON as stored, key order and all), timestamps masked."""
    return [_TIMESTAMP.sub("T", line) for line in dump(path)]


def _orm(path: Path, data: ClaimIn, actor: str) -> AppearanceCreated | Exception:
    database = Database(resolve_url(str(path)), actor)
    try:
        with database.write() as session:
            return add_claim(session, data)
    except Exception as exc:  # the error itself is compared
        return exc
    finally:
        database.close()


def _quick(path: Path, data: ClaimIn, actor: str) -> AppearanceCreated | Exception | None:
    connection = open_current(str(path))
    assert connection is not None
    try:
        return add_claim_quickly(connection, data, actor)
    except Exception as exc:
        return exc
    finally:
        connection.close()


def _same_outcome(seeded: Path, tmp: Path, claims: list[ClaimIn]) -> None:
    orm_db, quick_db = tmp / "orm.db", tmp / "quick.db"
    shutil.copy(seeded, orm_db)
    shutil.copy(seeded, quick_db)
    for data in claims:
        expected = _orm(orm_db, data, "someone")
        got = _quick(quick_db, data, "someone")
        assert got is not None, "a claim without entities and with a known source goes direct"
        assert type(got) is type(expected)
        if isinstance(expected, Exception):
            assert str(got) == str(expected)
        else:
            assert got == expected
    assert _masked(quick_db) == _masked(orm_db)


# Text a claim may hold (a NUL is refused before either path runs).
_NO_NUL = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
SOURCE_REFS = ["1", "000-analysis", " 2 ", "3", "004-hard-revenge"]
QUOTES = [
    None,
    "Soleimani",  # occurs twice: a warning
    "soleimani",  # anchored ignoring case
    "Iran launched missile attacks",
    "words that are in no source at all",
    "“quoted”  differently",
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    claims=st.lists(
        st.builds(
            ClaimIn,
            text=st.sampled_from(["A claim.", "Soleimani was killed by a drone.", "Ünïcödé 🙂"])
            | st.text(_NO_NUL, min_size=1, max_size=30).filter(str.strip),
            kind=st.sampled_from(["fact", "prediction", "opinion"]),
            notes=st.none() | st.text(_NO_NUL, max_size=20).filter(str.strip),
            tags=st.lists(st.sampled_from(["iran", "new-tag", "Iran", "drone"]), max_size=4),
            appearance=st.builds(
                AppearanceIn,
                source=st.sampled_from(SOURCE_REFS),
                quote=st.sampled_from(QUOTES),
                claimant=st.none() | st.sampled_from(["Someone Quoted", "Ünïcödé"]),
                stance=st.sampled_from(["asserts", "reports", "denies"]),
                unanchored=st.booleans(),
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_direct_path_writes_what_the_orm_writes(
    seeded: Path, tmp_path_factory: pytest.TempPathFactory, claims: list[ClaimIn]
) -> None:
    _same_outcome(seeded, tmp_path_factory.mktemp("pair"), claims)


def test_history_text_is_the_same_key_for_key(seeded: Path, tmp_path: Path) -> None:
    claim = ClaimIn(
        text="Iran launched missile attacks on two Iraqi bases.",
        tags=["iran", "fresh"],
        appearance=AppearanceIn(source="004-hard-revenge", quote="Iran launched missile attacks"),
    )
    _same_outcome(seeded, tmp_path, [claim, claim])  # the second: a same-text warning
    with sqlite3.connect(tmp_path / "quick.db") as quick:
        tables = [
            r[0]
            for r in quick.execute("SELECT table_name FROM history WHERE actor = ?", ("someone",))
        ]
    # Neither tag is in the seed: both are new the first time.
    first = ["claims", "tags", "tags", "appearances", "claim_tags", "claim_tags"]
    second = ["claims", "appearances", "claim_tags", "claim_tags"]
    assert tables == first + second


@pytest.mark.parametrize(
    "data",
    [
        ClaimIn(
            text="Names an entity",
            entities=["Qassem Soleimani"],
            appearance=AppearanceIn(source="1"),
        ),
        ClaimIn(text="Unknown source", appearance=AppearanceIn(source="no-such-source")),
        ClaimIn(text="Unknown source id", appearance=AppearanceIn(source="999")),
    ],
)
def test_declined_claims_write_nothing(seeded: Path, tmp_path: Path, data: ClaimIn) -> None:
    path = tmp_path / "copy.db"
    shutil.copy(seeded, path)
    before = dump(path)
    assert _quick(path, data, "someone") is None
    assert dump(path) == before


def test_a_quote_not_in_the_source_fails_with_nothing_written(seeded: Path, tmp_path: Path) -> None:
    path = tmp_path / "copy.db"
    shutil.copy(seeded, path)
    before = dump(path)
    data = ClaimIn(
        text="X", tags=["new"], appearance=AppearanceIn(source="1", quote="not there at all")
    )
    assert isinstance(_quick(path, data, "someone"), QuoteNotAnchored)
    assert dump(path) == before


def test_only_a_current_sqlite_file_is_opened_directly(seeded: Path, tmp_path: Path) -> None:
    assert open_current(str(tmp_path / "missing.db")) is None
    assert open_current("postgresql+psycopg://nobody@localhost/none") is None
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database" * 100)
    assert open_current(str(garbage)) is None
    old = tmp_path / "old.db"
    shutil.copy(seeded, old)
    with sqlite3.connect(old) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    assert open_current(str(old)) is None
    rollback_journal = tmp_path / "delete-mode.db"
    shutil.copy(seeded, rollback_journal)
    with sqlite3.connect(rollback_journal) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    # The one connection module sets WAL for both paths, so such a file is opened, in WAL.
    opened = open_current(str(rollback_journal))
    assert opened is not None
    assert opened.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    opened.close()
    current = open_current(str(seeded))
    assert current is not None
    assert current.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert current.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)
    current.close()
