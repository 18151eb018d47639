from pathlib import Path

from tests.helpers import fails, ok, seed_path


def test_new_text_re_verifies_quotes(tmp_path: Path, corpus: dict[str, int]) -> None:
    original = seed_path("003").read_text(encoding="utf-8")
    changed = "A correction notice.\n\n" + original.replace(
        "Theres no chance in hell Iran wont respond", "There's no chance in hell Iran won't respond"
    )
    path = tmp_path / "corrected.txt"
    path.write_text(changed, encoding="utf-8")
    out = ok("source", "edit", "politico", "--file", str(path), "--json")
    assert out.json()["reanchored"] == 1 and out.json()["unanchored"] == []
    appearance = ok("claim", "show", str(corpus["respond"]), "--json").json()["appearances"][0]
    assert appearance["anchor_status"] == "exact"  # the apostrophes are back in the text
    assert changed[appearance["start"] : appearance["end"]] == appearance["quote"]
    assert appearance["quote"] == "There's no chance in hell Iran won't respond"
    assert ok("db", "check", "--json").json()["ok"]

    path.write_text("An unrelated text.", encoding="utf-8")
    out = ok("source", "edit", "politico", "--file", str(path), "--json")
    assert out.json()["unanchored"] == [appearance["id"]]
    assert "no longer found" in out.stderr
    lost = ok("claim", "show", str(corpus["respond"]), "--json").json()["appearances"][0]
    assert (lost["anchor_status"], lost["start"]) == ("unanchored", None)
    assert lost["quote"] == "There's no chance in hell Iran won't respond"
    updates = ok("log", "--table", "appearances", "--json").json()
    assert updates[0]["action"] == "update"


def test_metadata_edits_and_errors(corpus: dict[str, int]) -> None:
    ok("source", "edit", "politico", "--title", "Soleimani killed in U.S. strike", "--key", "pol")
    shown = ok("source", "show", "pol", "--json").json()
    assert shown["title"] == "Soleimani killed in U.S. strike"
    assert "already exists" in fails("source", "edit", "pol", "--key", "revenge").stderr
    assert "invalid date" in fails("source", "edit", "pol", "--published", "2020-99").stderr
    assert "no source 'nope'" in fails("source", "edit", "nope", "--title", "x").stderr
