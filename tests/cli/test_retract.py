"""Retracting a verdict: a new entry in the claim's history, never a deletion; afterwards every
reader (claim show and list, verdict history, reports, suggest, the SQL views, the exports)
takes the verdict before it as current, or none."""

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from factcheck.db.engine import make_engine, resolve_url
from tests.helpers import dump, fails, ok, run_cli


def _views(url: str, claim: str) -> tuple[object, list[tuple[object, ...]]]:
    """What the database's own views say: the claim's current label (claims_current), and its
    verdicts with is_current and the retraction note (verdict_history)."""
    engine = make_engine(resolve_url(url))
    try:
        with engine.connect() as connection:
            label = connection.execute(
                sa.text("SELECT verdict FROM claims_current WHERE claim_id = :c"), {"c": claim}
            ).scalar_one()
            history = connection.execute(
                sa.text(
                    "SELECT verdict_id, label, is_current, retraction_note FROM verdict_history "
                    "WHERE claim_id = :c ORDER BY verdict_id"
                ),
                {"c": claim},
            ).all()
    finally:
        engine.dispose()
    return label, [(v, lab, bool(cur), note) for v, lab, cur, note in history]


def _listed(*filters: str) -> list[int]:
    return [c["id"] for c in ok("claim", "list", *filters, "--json").json()]


def _status() -> str:
    pairs = ok("report", "contradictions", "--format", "json").json()["pairs"]
    return str(pairs[0]["status"])


def test_retracting_brings_back_the_verdict_before_then_none(
    backend: str, corpus: dict[str, int]
) -> None:
    claim, other = str(corpus["respond"]), str(corpus["no_revenge"])
    ok("link", claim, other, "--relation", "contradicts")
    ok("verdict", "set", other, "true")
    first = int(ok("verdict", "set", claim, "true", "--note", "it did respond").stdout)
    second = int(ok("verdict", "set", claim, "false", "--note", "typed on the wrong claim").stdout)
    assert _status() == "resolved"

    done = ok(
        "--as", "alice", "verdict", "retract", claim, "--note", "wrong claim", "--yes", "--json"
    ).json()
    assert done["verdict"]["id"] == second and done["current"]["id"] == first
    assert done["verdict"]["retraction"]["note"] == "wrong claim"
    assert done["verdict"]["retraction"]["created_by"] == "alice"

    shown = ok("claim", "show", claim, "--json").json()["verdict"]
    assert (shown["id"], shown["label"], shown["retraction"]) == (first, "true", None)
    history = ok("verdict", "history", claim, "--json").json()
    assert [(v["id"], v["retraction"] and v["retraction"]["note"]) for v in history] == [
        (first, None),
        (second, "wrong claim"),
    ]
    text = ok("verdict", "history", claim).stdout
    assert "retracted  by alice" in text and "wrong claim" in text
    assert text.index("current") < text.index("typed on the wrong claim")
    assert int(claim) in _listed("--verdict", "true")
    assert int(claim) not in _listed("--verdict", "false")
    assert int(claim) not in _listed("--unreviewed")
    assert _status() == "inconsistent"  # both sides true again
    assert _views(backend, claim) == (
        "true",
        [(first, "true", True, None), (second, "false", False, "wrong claim")],
    )
    logged = ok("log", "--table", "verdict_retractions", "--json").json()
    assert [(c["action"], c["new"]["verdict_id"], c["actor"]) for c in logged] == [
        ("insert", second, "alice")
    ]

    # Again: the first goes too, and the claim is unreviewed.
    again = ok("verdict", "retract", claim, "-m", "not checked yet", "--yes")
    assert (
        again.stdout == f"Retracted verdict #{first} (true) of claim {claim}: it is unreviewed.\n"
    )
    assert ok("claim", "show", claim, "--json").json()["verdict"] is None
    assert "unreviewed" in ok("claim", "show", claim).stdout
    assert int(claim) in _listed("--unreviewed")
    assert int(claim) not in _listed("--verdict", "true")
    assert _status() == "open"
    assert _views(backend, claim)[0] is None
    # Nothing was deleted: both verdicts are still there, each with its retraction.
    assert len(ok("verdict", "history", claim, "--json").json()) == 2

    error = fails("verdict", "retract", claim, "--yes").stderr
    assert error.startswith(f"Error: claim {claim} has no verdict to retract\n")
    # A new verdict is current at once.
    ok("verdict", "set", claim, "mixed")
    assert ok("claim", "show", claim, "--json").json()["verdict"]["label"] == "mixed"


def test_suggest_and_claimreview_read_the_same_current_verdict(corpus: dict[str, int]) -> None:
    from factcheck.db.database import Database
    from factcheck.services.suggestions import load_claims

    claim = corpus["respond"]
    ok("verdict", "set", str(claim), "false")
    ok("verdict", "set", str(claim), "true")
    ok("verdict", "retract", str(claim), "--yes")
    database = Database(resolve_url(), "reader")
    try:
        with database.store() as store:
            found = {c.id: (c.polarity, c.label) for c in load_claims(store)}
    finally:
        database.close()
    assert found[claim] == ("refuted", "false")
    ok("verdict", "retract", str(claim), "--yes")
    feed = ok("export", "--format", "claimreview").json()
    assert feed["dataFeedElement"] == []  # no current verdict, no review
    csv = ok("export", "--format", "csv").stdout
    assert ",false," not in csv and ",true," not in csv


def test_without_a_terminal_nothing_is_retracted_without_yes(
    db_path: Path, corpus: dict[str, int]
) -> None:
    claim = str(corpus["respond"])
    verdict = ok("verdict", "set", claim, "false").stdout.strip()
    before = dump(db_path)
    error = fails("verdict", "retract", claim, "--note", "why").stderr
    assert error == (
        f"Error: not retracted: verdict #{verdict} (false) of claim {claim}; nobody here to "
        "confirm it\nHint: --yes retracts without asking\n"
    )
    assert fails("verdict", "retract", "999").stderr.startswith("Error: no claim 999")
    assert dump(db_path) == before


def test_on_a_terminal_it_says_which_verdict_and_asks(
    monkeypatch: pytest.MonkeyPatch, db_path: Path, corpus: dict[str, int]
) -> None:
    monkeypatch.setattr("factcheck.cli.removal.interactive", lambda: True)
    claim = str(corpus["respond"])
    verdict = ok("verdict", "set", claim, "false").stdout.strip()
    before = dump(db_path)
    declined = run_cli("verdict", "retract", claim, input="n\n")
    assert declined.exit_code == 1
    assert f"This retracts verdict #{verdict} (false) of claim {claim}." in declined.stderr
    assert "Error: nothing retracted" in declined.stderr
    assert dump(db_path) == before
    accepted = ok("verdict", "retract", claim, input="y\n")
    assert accepted.stdout.endswith(f"of claim {claim}: it is unreviewed.\n")


def test_retractions_are_append_only_and_go_with_their_claim(
    backend: str, corpus: dict[str, int]
) -> None:
    claim = str(corpus["respond"])
    ok("verdict", "set", claim, "false")
    ok("verdict", "retract", claim, "--yes", "--note", "why")
    engine = make_engine(resolve_url(backend))
    try:
        for statement in (
            "UPDATE verdict_retractions SET note = 'rewritten'",
            "DELETE FROM verdict_retractions",
        ):
            refused = pytest.raises(sa.exc.DatabaseError, match="verdict_retractions is append")
            with refused, engine.begin() as connection:
                connection.execute(sa.text(statement))
    finally:
        engine.dispose()
    assert "verdict_retractions 1" in ok("claim", "delete", claim, "--yes").stdout
    logged = ok("log", "--table", "verdict_retractions", "--json").json()
    assert [(c["action"], (c["old"] or c["new"])["note"]) for c in logged] == [
        ("delete", "why"),
        ("insert", "why"),
    ]


def test_a_retraction_survives_the_jsonl_round_trip(
    new_db: Callable[[str], Path], tmp_path: Path, corpus: dict[str, int]
) -> None:
    claim = str(corpus["respond"])
    ok("verdict", "set", claim, "false", "--evidence", "revenge")
    ok("verdict", "set", claim, "true")
    ok("--as", "bob", "verdict", "retract", claim, "--note", "too hasty", "--yes")
    first = tmp_path / "first.jsonl"
    ok("export", "--output", str(first))
    lines = first.read_text(encoding="utf-8").splitlines()
    assert sum('"type":"verdict_retraction"' in line for line in lines) == 1
    fresh = str(new_db("fresh"))
    imported = ok("--db", fresh, "import", str(first)).stdout
    assert "1 verdict retraction" in imported
    second = tmp_path / "second.jsonl"
    ok("--db", fresh, "export", "--output", str(second))
    assert second.read_bytes() == first.read_bytes()
    assert ok("--db", fresh, "claim", "show", claim, "--json").json()["verdict"]["label"] == "false"
    # Imported again: recognised, nothing added.
    again = ok("--db", fresh, "import", str(first)).stdout
    assert "added nothing" in again


def test_a_retraction_of_a_verdict_not_in_the_file_is_refused(
    tmp_path: Path, db_path: Path
) -> None:
    dump_file = tmp_path / "bad.jsonl"
    dump_file.write_text(
        '{"type":"factcheck","format":"jsonl","version":1}\n'
        '{"type":"verdict_retraction","id":1,"verdict_id":7,"note":null,'
        '"created_at":"2026-01-01T00:00:00Z","created_by":null}\n',
        encoding="utf-8",
    )
    ok("init")
    before = dump(db_path)
    assert fails("import", str(dump_file)).stderr.startswith(
        "Error: line 2: refers to verdict 7, which is not in the file"
    )
    assert dump(db_path) == before
