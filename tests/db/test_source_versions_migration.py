"""Revision 0017: source versions. Upgrade, downgrade and the data round trip on both backends:
going back past 0017 drops the versions (and says so), keeps everything else as it was, and
coming back lets the next new text record the text a source had as its version 1."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import fails, ok
from tests.helpers.migrations import rows_at


def _versions(key: str) -> list[int]:
    return [v["number"] for v in ok("source", "show", key, "--json").json()["versions"]]


def test_round_trip_with_data(backend: str, corpus: dict[str, int], tmp_path: Path) -> None:
    text = ok("source", "show", "politico", "--json").json()["text"]
    edited = tmp_path / "edited.txt"
    edited.write_text("Correction: a preface.\n\n" + text, encoding="utf-8")
    ok("source", "edit", "politico", "--file", str(edited))
    assert _versions("politico") == [1, 2]
    before = rows_at(backend)
    # Rows would go: refused without --yes, the database unchanged.
    assert "source_versions" in fails("db", "downgrade", "0016").stderr
    assert rows_at(backend) == before
    ok("db", "downgrade", "0016", "--yes")
    assert "source_versions" in before
    assert rows_at(backend) == {k: v for k, v in before.items() if k != "source_versions"}
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
