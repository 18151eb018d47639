"""Revision 0017: source versions. Upgrade, downgrade and the data round trip on both backends:
going back past 0017 drops the versions (and says so), keeps everything else as it was, and
coming back lets the next new text record the text a source had as its version 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factcheck.db.engine import make_engine, resolve_url
from tests.helpers import fails, ok
from tests.helpers.migrations import table_rows as database_rows


def table_rows(backend: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the database's own tables (before 0017: without source_versions)."""
    engine = make_engine(resolve_url(backend))
    try:
        return database_rows(engine)
    finally:
        engine.dispose()


def _versions(key: str) -> list[int]:
    return [v["number"] for v in ok("source", "show", key, "--json").json()["versions"]]


def test_round_trip_with_data(backend: str, corpus: dict[str, int], tmp_path: Path) -> None:
    text = ok("source", "show", "politico", "--json").json()["text"]
    edited = tmp_path / "edited.txt"
    edited.write_text("Correction: a preface.\n\n" + text, encoding="utf-8")
    ok("source", "edit", "politico", "--file", str(edited))
    assert _versions("politico") == [1, 2]
    before = table_rows(backend)
    # Rows would go: refused without --yes, the database unchanged.
    assert "source_versions" in fails("db", "downgrade", "0016").stderr
    assert table_rows(backend) == before
    ok("db", "downgrade", "0016", "--yes")
    assert "source_versions" in before
    assert table_rows(backend) == {k: v for k, v in before.items() if k != "source_versions"}
    ok("db", "upgrade")
    assert _versions("politico") == []
    assert ok("db", "check", "--json").json()["ok"] is True
    # The next new text keeps the text the source had as version 1.
    ok("source", "edit", "politico", "--file", str(tmp_path / "edited.txt"))  # the same: nothing
    assert _versions("politico") == []
    edited.write_text(text + "\n\nUpdate: a postscript.", encoding="utf-8")
    ok("source", "edit", "politico", "--file", str(edited))
    assert _versions("politico") == [1, 2]
    versions = ok("source", "show", "politico", "--json").json()["versions"]
    assert versions[0]["fetched_at"] is None and versions[1]["fetched_sha256"] is not None
