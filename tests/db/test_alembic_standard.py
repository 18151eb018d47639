"""The migrations, tested two ways.

1. pytest-alembic's four standard tests, imported explicitly (its plugin's collection hook fails on
   pytest 9, so it is disabled in pyproject): a single head, base -> head works, the models match
   the DDL the migrations build (an autogenerate against the upgraded database finds nothing), and
   every revision goes down and up again. `test_models_and_migrations_build_the_same_tables` adds
   what autogenerate does not compare: CHECK constraints, server defaults and nullability of every
   column, against a database built from the models with `create_all`.
2. A round trip with real data at every revision: the seed corpus (plus edits that leave updates
   and deletes in the history) is taken down to the revision, more data is written there, then
   down to the oldest revision and back up to head: every row of every table is still there and
   unchanged, no foreign key is broken and the search index matches the claims.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import alembic.config
import pytest
import sqlalchemy as sa
from pytest_alembic.plugin.fixtures import alembic_runner
from pytest_alembic.tests import (
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Engine, inspect
from sqlalchemy.engine import Connection

from factcheck.db import migrate
from factcheck.models import Base
from tests.helpers import ok
from tests.helpers.migrations import (
    cli_db,
    data_tables,
    foreign_key_problems,
    revisions,
    table_rows,
)

# Slow: every revision down and up again, with data, on both backends.
pytestmark = pytest.mark.slow

# Imported names are what pytest collects and injects; listed so linters see them used.
__all__ = [
    "alembic_runner",
    "test_model_definitions_match_ddl",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]

REVISIONS = revisions()
OLDEST = REVISIONS[0]  # the lowest revision that still has tables: "base" drops everything


@pytest.fixture
def alembic_config() -> alembic.config.Config:
    """The repository's migrations, configured as factcheck.db.migrate configures them (no ini
    file: nothing depends on the directory pytest runs in)."""
    config = alembic.config.Config()
    config.set_main_option("script_location", str(migrate.migrations_dir()))
    return config


@pytest.fixture
def alembic_engine(engine_for: Callable[[str], Engine]) -> Iterator[Connection]:
    """A connection from factcheck's own engine.

    pytest-alembic hands this object to env.py as `config.attributes["connection"]`; env.py (like
    factcheck.db.migrate) expects a Connection there, which it runs the migration transaction on.
    """
    with engine_for("alembic").connect() as connection:
        yield connection


# --- what autogenerate does not compare --------------------------------------------------------


def _normalise_default(value: Any) -> Any:
    # "(CURRENT_TIMESTAMP)" from op.create_table, "CURRENT_TIMESTAMP" from create_all: one value.
    if isinstance(value, str):
        while value.startswith("(") and value.endswith(")"):
            value = value[1:-1]
    return value


def _shape(engine: Engine) -> dict[str, dict[str, Any]]:
    """Columns, keys, indexes and named constraints of every table the models describe."""
    with engine.connect() as connection:
        found = inspect(connection)
        return {
            table: {
                "columns": [
                    (
                        c["name"],
                        str(c["type"]),
                        c["nullable"],
                        _normalise_default(c.get("default")),
                    )
                    for c in found.get_columns(table)
                ],
                "primary key": found.get_pk_constraint(table),
                "foreign keys": sorted(
                    (
                        fk["name"] or "",
                        fk["constrained_columns"],
                        fk["referred_table"],
                        fk["referred_columns"],
                        fk.get("options", {}),
                    )
                    for fk in found.get_foreign_keys(table)
                ),
                "unique": sorted(
                    (u["name"] or "", u["column_names"])
                    for u in found.get_unique_constraints(table)
                ),
                "checks": sorted(
                    (c["name"] or "", " ".join(c["sqltext"].split()))
                    for c in found.get_check_constraints(table)
                ),
                "indexes": sorted(
                    (i["name"] or "", i["column_names"], bool(i["unique"]))
                    for i in found.get_indexes(table)
                ),
            }
            for table in data_tables(connection)
        }


def test_models_and_migrations_build_the_same_tables(
    engine_for: Callable[[str], Engine],
) -> None:
    migrated = engine_for("migrated")
    migrate.upgrade(migrated, "head")
    modelled = engine_for("modelled")
    Base.metadata.create_all(modelled)
    expected = _shape(modelled)
    assert set(expected) == set(Base.metadata.tables)  # every model, and nothing else
    assert sum(len(t["checks"]) for t in expected.values()) >= 10  # CHECKs really reflected
    assert _shape(migrated) == expected


# --- data through every revision -------------------------------------------------------------


def _edit(db: str) -> None:
    """Changes on top of the seed corpus, so the history holds updates and deletes too."""
    ok("--db", db, "--as", "editor", "claim", "edit", "1", "--notes", "round trip", "--tag", "rt")
    ok("--db", db, "claim", "edit", "2", "--text", "Edited wording, before the round trip")
    ok("--db", db, "verdict", "set", "1", "false", "--note", "why", "--evidence", "https://x.org/")
    link = ok("--db", db, "link", "1", "3", "--relation", "refines", "--json").json()["id"]
    ok("--db", db, "unlink", str(link))
    ok("--db", db, "entity", "alias", "1", "Round-Trip Spelling")


def _write_at_old_revision(engine: Engine, revision: str) -> int:
    """A claim, an appearance and a tag written with plain SQL, as software at `revision` could
    have written them (no search index row: downgrading to the oldest revision drops the index,
    and upgrading must rebuild it from the claims)."""
    claims = sa.table("claims", sa.column("id"), sa.column("text"), sa.column("kind"))
    appearances = sa.table(
        "appearances",
        sa.column("claim_id"),
        sa.column("source_id"),
        sa.column("quote"),
        sa.column("anchor_status"),
        sa.column("stance"),
    )
    claim_tags = sa.table("claim_tags", sa.column("claim_id"), sa.column("tag_id"))
    with engine.begin() as connection:
        claim_id = connection.execute(
            claims.insert()
            .values(text=f"Zebracorn claim written at revision {revision}", kind="fact")
            .returning(claims.c.id)
        ).scalar_one()
        connection.execute(
            appearances.insert().values(
                claim_id=claim_id,
                source_id=1,
                quote=f"quokka quote {revision}",
                anchor_status="unanchored",
                stance="reports",
            )
        )
        connection.execute(claim_tags.insert().values(claim_id=claim_id, tag_id=1))
    return claim_id


def _revision(db: str) -> str:
    return ok("--db", db, "db", "current", "--json").json()["revision"]


@pytest.mark.parametrize("revision", REVISIONS)
def test_data_survives_down_to_the_oldest_revision_and_back(
    engine_for: Callable[[str], Engine], revision: str
) -> None:
    engine = engine_for(f"data-{revision}")
    db = cli_db(engine)
    ok("--db", db, "seed")
    _edit(db)
    seeded = table_rows(engine)
    assert len(seeded["claims"]) == 121 and len(seeded["history"]) > 121
    assert {"update", "delete"} <= {row[5] for row in seeded["history"]}  # action column

    ok("--db", db, "db", "downgrade", revision)
    assert _revision(db) == revision
    assert table_rows(engine) == seeded
    claim_id = _write_at_old_revision(engine, revision)
    expected = table_rows(engine)
    assert len(expected["claims"]) == 122

    ok("--db", db, "db", "downgrade", OLDEST)
    assert _revision(db) == OLDEST
    assert table_rows(engine) == expected
    assert foreign_key_problems(engine) == []

    ok("--db", db, "db", "upgrade")
    assert _revision(db) == migrate.HEAD_REVISION
    assert table_rows(engine) == expected
    assert foreign_key_problems(engine) == []
    report = ok("--db", db, "db", "check", "--json").json()
    assert report["ok"] is True, report
    items = {item["name"]: item for item in report["items"]}
    if engine.dialect.name == "sqlite":
        assert items["search index"]["value"] == "consistent"
        assert items["foreign keys"]["ok"] is True
    # The index was rebuilt from the data: the claim written at the old revision is found by its
    # text and by its quote, and the edited wording replaced the seeded one.
    for query in ("zebracorn", f"quokka {revision}"):
        found = ok("--db", db, "search", query, "--json").json()
        assert [c["id"] for c in found] == [claim_id], query
    assert ok("--db", db, "search", "before the round trip", "--json").json()[0]["id"] == 2
