"""Revision 0015: PostgreSQL's search index holds the words SQLite's reads (and held the folded
text as it was before), and appearances are indexed by claimant; data unchanged both ways."""

from __future__ import annotations

from sqlalchemy import inspect, text

from factcheck.db.engine import make_engine, resolve_url
from tests.helpers import ok
from tests.helpers.migrations import table_rows

TEXT = "Florida.And you did this and/or that, see http://www.Example.com/a_b."


def _state(url: str) -> tuple[list[str], bool]:
    """The search index's bodies, and whether appearances have the claimant index."""
    engine = make_engine(resolve_url(url))
    try:
        with engine.connect() as connection:
            bodies = list(
                connection.execute(text("SELECT body FROM claim_search ORDER BY rowid")).scalars()
            )
            indexes = {ix["name"] for ix in inspect(connection).get_indexes("appearances")}
    finally:
        engine.dispose()
    return bodies, "ix_appearances_claimant" in indexes


def _data(url: str) -> dict[str, object]:
    """Every row of the data tables (read as the database has them at its revision, not as the
    models say): what a migration must not change."""
    engine = make_engine(resolve_url(url))
    try:
        return dict(table_rows(engine))
    finally:
        engine.dispose()


def test_downgrade_and_upgrade_rewrite_the_index_and_keep_the_data(backend: str) -> None:
    ok("source", "add", "--title", "An article", "--key", "a")
    claim = ok("claim", "add", TEXT, "--source", "a", "--claimant", "Someone").stdout.strip()
    ok("claim", "add", "Nothing of the sort.", "--source", "a")
    data = _data(backend)
    folded = [
        "florida.and you did this and/or that, see http://www.example.com/a_b.",
        "nothing of the sort.",
    ]
    words = [
        "florida and you did this and or that see http www example com a b",
        "nothing of the sort",
    ]
    postgresql = backend.startswith("postgresql")
    assert _state(backend) == (words if postgresql else folded, True)

    ok("db", "downgrade", "0014", "--yes")
    assert _state(backend) == (folded, False)
    assert _data(backend) == data

    ok("db", "upgrade")
    assert _state(backend) == (words if postgresql else folded, True)
    assert _data(backend) == data
    ok("db", "check")
    for query in ("florida.and", "and/or", "example.com", "a_b"):
        assert [c["id"] for c in ok("search", "--json", query).json()] == [int(claim)], query
