"""`source refresh`: a page edited after publication is fetched again, its new text kept as a
new version, every anchored quote re-verified, and the edit report says what moved, changed or
vanished; the contradiction report marks quotes gone from the current text; versions survive a
jsonl round trip byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.helpers import REPO, fails, ok, run_cli
from tests.helpers.pages import Article, news_page, serving

MOVED = "Theres no chance in hell Iran wont respond"
CHANGED = "even astonished some members of the Trump administration"
VANISHED = "spiking oil prices and leading to instant assessments of the potential fallout"
KEPT = "paramilitary and terrorist mastermind"


def _edited(page: Article) -> Article:
    """The same article after a silent edit: a paragraph added at the top, a phrase reworded,
    a sentence cut."""
    body = [p.replace("even astonished some members", "even astonished a few members")
            for p in page.body]  # fmt: skip
    body[0] = body[0].replace(
        ", spiking oil prices and leading to instant assessments of the potential fallout", ""
    )
    return Article(**{**page.__dict__, "body": ["Updated at 10:42 with new details.", *body]})


def _claims(source: str) -> dict[str, int]:
    ids = {}
    for quote in (MOVED, CHANGED, VANISHED, KEPT):
        ids[quote] = ok(
            "claim", "add", f"Claim on {quote[:20]}", "--source", source, "--quote", quote,
            "--json",
        ).json()["id"]  # fmt: skip
    return ids


def test_refresh_reports_moved_changed_and_vanished_quotes(backend: str) -> None:
    page = news_page("003")
    with serving() as site:
        url = site.page("/story", page.html())
        ok("source", "add", "--url", url, "--key", "politico")
        ids = _claims("politico")
        unchanged = ok("source", "refresh", "politico", "--json").json()
        assert unchanged["changed"] is False and unchanged["quotes"] == []
        site.page("/story", _edited(page).html())
        report = ok("source", "refresh", "politico", "--json").json()
    assert report["changed"] is True
    assert (report["old_version"], report["new_version"]) == (1, 2)
    fates = {q["claim_id"]: q for q in report["quotes"]}
    assert fates[ids[MOVED]]["fate"] == "moved"
    assert fates[ids[MOVED]]["start"] != fates[ids[MOVED]]["old_start"]
    assert fates[ids[KEPT]]["fate"] == "moved"  # the new first paragraph pushed it on
    assert fates[ids[CHANGED]]["fate"] == "changed"
    assert "a few members" in fates[ids[CHANGED]]["passage"]
    assert fates[ids[VANISHED]]["fate"] == "vanished"
    # Moved quotes are re-anchored in the new text; the others keep their words, unanchored.
    claim = ok("claim", "show", str(ids[MOVED]), "--json").json()
    [appearance] = claim["appearances"]
    text = ok("source", "show", "politico", "--json").json()["text"]
    assert text[appearance["start"] : appearance["end"]] == MOVED
    vanished = ok("claim", "show", str(ids[VANISHED]), "--json").json()["appearances"][0]
    assert (vanished["anchor_status"], vanished["quote"]) == ("unanchored", VANISHED)
    # Both texts are kept, oldest first.
    versions = ok("source", "show", "politico", "--json").json()["versions"]
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[0]["text_sha256"] != versions[1]["text_sha256"]
    assert versions[1]["origin"] == url


def test_edit_report_formats_and_the_contradiction_report(tmp_path: Path) -> None:
    page = news_page("003")
    with serving() as site:
        url = site.page("/story", page.html())
        ok("source", "add", "--url", url, "--key", "politico")
        ids = _claims("politico")
        site.page("/story", _edited(page).html())
        text = ok("source", "refresh", "politico").stdout
    assert "Text changed: version 1" in text
    assert f"vanished: claim {ids[VANISHED]}" in text
    assert "changed" in text and "moved" in text
    # The report again, as Markdown, from a file given again (no change: no new version).
    path = tmp_path / "story.html"
    path.write_text(_edited(page).html(), encoding="utf-8")
    markdown = ok("source", "refresh", "politico", "--file", str(path), "--format", "markdown")
    assert markdown.stdout.startswith("## Edit report")
    assert "No change" in markdown.stdout
    ok("source", "add", "--title", "Other", "--key", "other", "--file", str(path))
    other = ok("claim", "add", "No respond", "--source", "other", "--quote", "new details",
               "--json").json()["id"]  # fmt: skip
    ok("link", str(ids[MOVED]), str(other), "--relation", "contradicts")
    # The quote that vanished is of a claim the report does not show (yet): not listed.
    assert ok("report", "contradictions", "--format", "json").json()["vanished_quotes"] == []
    ok("link", str(ids[VANISHED]), str(other), "--relation", "contradicts")
    report = ok("report", "contradictions", "--format", "json").json()
    [gone] = report["vanished_quotes"]
    assert (gone["claim_id"], gone["source_key"], gone["version"]) == (ids[VANISHED], "politico", 1)
    for fmt in ("text", "markdown", "html"):
        shown = ok("report", "contradictions", "--format", fmt).stdout
        assert "no longer in the current text of politico" in shown, fmt


def test_versions_round_trip_through_jsonl(new_db: Callable[[str], Path], tmp_path: Path) -> None:
    page = news_page("003")
    with serving() as site:
        url = site.page("/story", page.html())
        ok("source", "add", "--url", url, "--key", "politico")
        _claims("politico")
        site.page("/story", _edited(page).html())
        ok("source", "refresh", "politico")
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    ok("export", "--output", str(first))
    assert first.read_text(encoding="utf-8").count('"type":"source_version"') == 2
    other = new_db("other")
    ok("--db", str(other), "import", str(first))
    ok("--db", str(other), "export", "--output", str(second))
    assert first.read_bytes() == second.read_bytes()
    # Importing again adds nothing.
    again = ok("--db", str(other), "import", str(first)).stdout + ""
    assert "added nothing" in (again or run_cli("--db", str(other), "log", "--limit", "1").stdout)


def test_edit_with_a_file_is_a_version_too(tmp_path: Path) -> None:
    seeded = REPO / "seeds" / "003_51eeafe18e35ddad.txt"
    ok("source", "add", "--title", "Politico", "--key", "p", "--file", str(seeded))
    ok("claim", "add", "No chance", "--source", "p", "--quote", MOVED)
    edited = tmp_path / "edited.txt"
    edited.write_text("Correction appended.\n\n" + seeded.read_text(encoding="utf-8"), "utf-8")
    ok("source", "edit", "p", "--file", str(edited))
    versions = ok("source", "show", "p", "--json").json()["versions"]
    assert [v["number"] for v in versions] == [1, 2]
    assert ok("source", "refresh", "p", "--file", str(edited), "--json").json()["changed"] is False


def test_refresh_all_and_its_errors(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Text.", encoding="utf-8")
    ok("source", "add", "--title", "File only", "--key", "file-only", "--file", str(path))
    error = fails("source", "refresh", "file-only").stderr
    assert "has no web address" in error
    with serving() as site:
        ok("source", "add", "--url", site.page("/a", news_page("004").html()), "--key", "a")
        ok("source", "add", "--url", site.page("/b", news_page("001").html()), "--key", "b")
        site.page("/b", "gone", status=404)
        result = run_cli("source", "refresh", "--all", "--json")
    assert result.exit_code == 1
    assert "Error: b: cannot fetch" in result.stderr and "404" in result.stderr
    [report] = __import__("json").loads(result.stdout)
    assert (report["source_key"], report["changed"]) == ("a", False)
    assert run_cli("source", "refresh").exit_code == 2
    assert run_cli("source", "refresh", "a", "--all").exit_code == 2
