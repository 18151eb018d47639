"""`claim add` through a Store writes the same, on sqlite3 or on a SQLAlchemy session.

The same claims go through `claims.add_claim` on a Store of sqlite3 (`Database.store`, what the
CLI uses on a SQLite file, without SQLAlchemy) on one copy of a seeded database, and on the Store
of an ORM session (`Store.of`, what the CSV import uses) on another. Every table, the history (as
stored text, key order included) and the search index must come out the same, bar the
timestamps; and so must what the command reports. The rows are written in the order the ORM
wrote them, so the history reads as it did.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.db.connection import HEAD_REVISION
from factcheck.db.database import Database
from factcheck.db.engine import resolve_url
from factcheck.db.store import Store
from factcheck.errors import NotFound, QuoteNotAnchored
from factcheck.schemas import AppearanceIn, ClaimEdit, ClaimIn
from factcheck.services.anchoring import AppearanceCreated
from factcheck.services.claims import add_claim, edit_claim
from tests.helpers import dump

# Timestamps differ between any two runs: ISO (in history JSON) and stored forms.
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?(\+00:00)?")


def _masked(path: Path) -> list[str]:
    """The database as SQL text (history JSON as stored, key order and all), timestamps masked."""
    return [_TIMESTAMP.sub("T", line) for line in dump(path)]


def _session(path: Path, data: ClaimIn, actor: str) -> AppearanceCreated | Exception:
    database = Database(resolve_url(str(path)), actor)
    try:
        with database.write() as session:
            return add_claim(Store.of(session), data)
    except Exception as exc:  # the error itself is compared
        return exc
    finally:
        database.close()


def _sqlite3(path: Path, data: ClaimIn, actor: str) -> AppearanceCreated | Exception:
    database = Database(str(path), actor)
    try:
        with database.store(write=True) as store:
            assert isinstance(store.connection, sqlite3.Connection)
            return add_claim(store, data)
    except Exception as exc:
        return exc
    finally:
        database.close()


def _same_outcome(seeded: Path, tmp: Path, claims: list[ClaimIn]) -> None:
    orm_db, direct_db = tmp / "orm.db", tmp / "direct.db"
    shutil.copy(seeded, orm_db)
    shutil.copy(seeded, direct_db)
    for data in claims:
        expected = _session(orm_db, data, "someone")
        got = _sqlite3(direct_db, data, "someone")
        assert type(got) is type(expected)
        if isinstance(expected, Exception):
            assert str(got) == str(expected)
        else:
            assert got == expected
    assert _masked(direct_db) == _masked(orm_db)


# Text a claim may hold (a NUL is refused before either path runs).
_NO_NUL = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
SOURCE_REFS = ["1", "000-analysis", " 2 ", "3", "004-hard-revenge", "no-such-source", "999"]
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
            entities=st.lists(
                st.sampled_from(["Qassem Soleimani", "suleimani", "1", "Iran", "nobody"]),
                max_size=3,
            ),
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
def test_sqlite3_and_a_session_write_the_same(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory, claims: list[ClaimIn]
) -> None:
    _same_outcome(seeded_template, tmp_path_factory.mktemp("pair"), claims)


def test_history_is_written_in_the_orms_order(seeded_template: Path, tmp_path: Path) -> None:
    claim = ClaimIn(
        text="Iran launched missile attacks on two Iraqi bases.",
        tags=["iran", "fresh"],
        entities=["Iran"],
        appearance=AppearanceIn(source="004-hard-revenge", quote="Iran launched missile attacks"),
    )
    _same_outcome(seeded_template, tmp_path, [claim, claim])  # the second: a same-text warning
    with sqlite3.connect(tmp_path / "direct.db") as direct:
        tables = [
            r[0]
            for r in direct.execute("SELECT table_name FROM history WHERE actor = ?", ("someone",))
        ]
    # Neither tag is in the seed: both are new the first time.
    first = ["claims", "tags", "tags", "appearances", "claim_entities", "claim_tags", "claim_tags"]
    second = ["claims", "appearances", "claim_entities", "claim_tags", "claim_tags"]
    assert tables == first + second


def test_an_edit_writes_in_the_orms_order(seeded_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "copy.db"
    shutil.copy(seeded_template, path)
    database = Database(str(path), "editor")
    with database.store(write=True) as store:
        before = store.rows("SELECT t.name FROM claim_tags ct JOIN tags t ON t.id = ct.tag_id "
                            "WHERE ct.claim_id = 2 ORDER BY ct.id")  # fmt: skip
        (removed,) = before[0]
        edit = ClaimEdit(text="Edited.", remove_tags=[removed], add_tags=[removed, "brand-new"],
                         add_entities=["Iraq"])  # fmt: skip
        shown = edit_claim(store, 2, edit)
        with pytest.raises(NotFound, match="does not mention 'Iran'"):
            edit_claim(store, 2, ClaimEdit(add_entities=["Iran"], remove_entities=["Iran"]))
    database.close()
    assert shown.text == "Edited."
    assert shown.tags[-2:] == [removed, "brand-new"]
    with sqlite3.connect(path) as connection:
        changes = connection.execute(
            "SELECT table_name, action FROM history WHERE actor = 'editor' ORDER BY id"
        ).fetchall()
    assert changes == [
        ("claims", "update"),
        ("claim_tags", "delete"),
        ("tags", "insert"),
        ("claim_entities", "insert"),
        ("claim_tags", "insert"),
        ("claim_tags", "insert"),
    ]


def test_a_quote_not_in_the_source_fails_with_nothing_written(
    seeded_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "copy.db"
    shutil.copy(seeded_template, path)
    before = dump(path)
    data = ClaimIn(
        text="X", tags=["new"], appearance=AppearanceIn(source="1", quote="not there at all")
    )
    assert isinstance(_sqlite3(path, data, "someone"), QuoteNotAnchored)
    assert dump(path) == before


def test_a_store_on_a_current_file_has_the_connection_settings(
    seeded_template: Path, tmp_path: Path
) -> None:
    rollback_journal = tmp_path / "delete-mode.db"
    shutil.copy(seeded_template, rollback_journal)
    with sqlite3.connect(rollback_journal) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    # The one connection module sets WAL for every connection, so such a file is opened, in WAL.
    database = Database(str(rollback_journal), None)
    database.ensure_schema()
    with database.store() as store:
        assert isinstance(store.connection, sqlite3.Connection)
        assert store.row("PRAGMA journal_mode") == ("wal",)
        assert store.row("PRAGMA foreign_keys") == (1,)
        assert store.value("SELECT version_num FROM alembic_version") == HEAD_REVISION
    database.close()
