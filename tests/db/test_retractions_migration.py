"""Revision 0014: verdict retractions, and the views reading the current verdict through
`current_verdicts`. Up from 0013 the data and what the views say stay the same; a retraction
changes what they say; down again, the retractions go (asked first) and the views of 0003
come back."""

import pytest
import sqlalchemy as sa

from factcheck.db.engine import make_engine, resolve_url
from tests.helpers import fails, ok
from tests.helpers.migrations import table_rows


def _views() -> tuple[list[tuple[object, ...]], ...]:
    engine = make_engine(resolve_url())
    try:
        with engine.connect() as connection:
            return tuple(
                [tuple(row) for row in connection.execute(sa.text(sql)).all()]
                for sql in (
                    "SELECT claim_id, verdict, verdict_note FROM claims_current ORDER BY 1",
                    "SELECT link_id, status FROM contradiction_pairs ORDER BY 1",
                    "SELECT verdict_id, is_current FROM verdict_history ORDER BY 1",
                )
            )
    finally:
        engine.dispose()


def _rows() -> dict[str, list[tuple[object, ...]]]:
    engine = make_engine(resolve_url())
    try:
        return table_rows(engine)
    finally:
        engine.dispose()


@pytest.mark.usefixtures("backend")
def test_upgrade_keeps_what_the_views_say_and_downgrade_drops_retractions(
    corpus: dict[str, int],
) -> None:
    claim, other = str(corpus["respond"]), str(corpus["no_revenge"])
    ok("link", claim, other, "--relation", "contradicts")
    ok("verdict", "set", other, "true")
    ok("verdict", "set", claim, "false", "--evidence", "revenge")
    ok("verdict", "set", claim, "true", "--note", "newest")
    # --yes: the revisions above 0014 drop rows of their own (the seed sources' versions).
    ok("db", "downgrade", "0013", "--yes")
    rows, views = _rows(), _views()
    assert [(c, v) for c, v, _n in views[0]] == [(1, "true"), (2, "true")]
    assert [(v, bool(cur)) for v, cur in views[2]] == [(1, True), (2, False), (3, True)]

    ok("db", "upgrade")
    assert _rows() == rows
    normalised = (views[0], views[1], [(v, bool(c)) for v, c in views[2]])
    now = _views()
    assert (now[0], now[1], [(v, bool(c)) for v, c in now[2]]) == normalised

    ok("verdict", "retract", claim, "--note", "too quick", "--yes")
    after = _views()
    assert after[0][0] == (1, "false", None)
    assert after[1] == [(1, "resolved")]
    assert [(v, bool(c)) for v, c in after[2]] == [(1, True), (2, True), (3, False)]

    # Down again: the retraction would be lost, so it asks; with --yes it goes, and the
    # views of 0003 take the newest verdict as current again.
    error = fails("db", "downgrade", "0013").stderr
    assert "verdict_retractions 1" in error
    ok("db", "downgrade", "0013", "--yes")
    left = _rows()
    # The history keeps the retraction's insert (and is append-only: nothing of it goes).
    assert [r[3:6] for r in left.pop("history")[len(rows["history"]) :]] == [
        ("verdict_retractions", 1, "insert")
    ]
    assert left == {table: found for table, found in rows.items() if table != "history"}
    again = _views()
    assert again[0] == views[0] and again[1] == views[1]
