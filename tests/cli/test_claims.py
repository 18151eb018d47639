from pathlib import Path

import pytest

from tests.helpers import dump, fails, listed, more, ok, seed_path


def test_claim_add_anchors_lost_apostrophes(corpus: dict[str, int]) -> None:
    claim = ok("claim", "show", str(corpus["respond"]), "--json").json()
    (appearance,) = claim["appearances"]
    text = seed_path("003").read_text(encoding="utf-8")
    assert appearance["anchor_status"] == "normalised"
    assert (
        text[appearance["start"] : appearance["end"]]
        == "Theres no chance in hell Iran wont respond"
    )
    # Stored verbatim as in the source; what the researcher typed is kept beside it.
    assert appearance["quote"] == "Theres no chance in hell Iran wont respond"
    assert appearance["quote_entered"] == "There's no chance in hell Iran won't respond"
    assert appearance["claimant"] == "Afshon Ostovar"
    assert appearance["source_id"] == corpus["politico"]
    assert claim["kind"] == "prediction"
    assert claim["tags"] == ["retaliation"]
    assert claim["verdict"] is None
    assert claim["links"] == []


def test_curly_quotes_and_double_spaces_anchor(corpus: dict[str, int]) -> None:
    claim = ok("claim", "show", str(corpus["no_revenge"]), "--json").json()
    appearance = claim["appearances"][0]
    text = seed_path("004").read_text(encoding="utf-8")
    assert appearance["anchor_status"] == "normalised"
    passage = text[appearance["start"] : appearance["end"]]
    assert "\u201chard revenge\u201d" in passage  # curly in the source, straight in the quote
    assert "  " in passage or "\xa0" in passage  # the source's double space
    assert (
        " ".join(passage.split())
        == "Iran did not deliver the \u201chard revenge\u201d it had promised"
    )
    # The claimant defaults to the source's author.
    assert appearance["claimant"] == "Editorial Team"


def test_exact_quote_and_json_created(corpus: dict[str, int]) -> None:
    created = ok(
        "claim",
        "add",
        "Soleimani was killed by a US rocket strike",
        "--source",
        "revenge",
        "--quote",
        "Soleimani was killed by a US rocket strike",
        "--json",
    ).json()
    assert created["anchor_status"] == "exact"
    text = seed_path("004").read_text(encoding="utf-8")
    assert created["start"] == text.index("Soleimani was killed by a US rocket strike")
    appearance = ok("claim", "show", str(created["id"]), "--json").json()["appearances"][0]
    assert appearance["quote_entered"] is None


def test_quote_not_in_source_names_closest_passage(db_path: Path, corpus: dict[str, int]) -> None:
    before = dump(db_path)
    result = fails(
        "claim",
        "add",
        "Iran will respond",
        "--source",
        "politico",
        "--quote",
        "There is no chance in heaven Iran won't respond",
    )
    assert "quote not found in source 'politico'" in result.stderr
    assert "closest passage" in result.stderr
    assert "Theres no chance in hell Iran wont respond" in result.stderr
    assert "--unanchored" in result.stderr
    assert dump(db_path) == before


def test_unanchored_quote_is_kept_when_asked(corpus: dict[str, int]) -> None:
    out = ok(
        "claim",
        "add",
        "A paraphrase",
        "--source",
        "politico",
        "--quote",
        "words the article never used",
        "--unanchored",
        "--json",
    )
    assert "stored unanchored" in out.stderr
    claim = ok("claim", "show", str(out.json()["id"]), "--json").json()
    appearance = claim["appearances"][0]
    assert appearance["anchor_status"] == "unanchored"
    assert appearance["quote"] == "words the article never used"
    assert appearance["start"] is None and appearance["end"] is None


def test_cite_adds_appearance(corpus: dict[str, int]) -> None:
    claim_id = str(corpus["no_revenge"])
    out = ok(
        "claim",
        "cite",
        claim_id,
        "--source",
        "politico",
        "--quote",
        "the killing was an escalatory move",
        "--claimant",
        "U.S. officials",
        "--stance",
        "reports",
    )
    assert out.stdout.strip() == claim_id
    appearances = ok("claim", "show", claim_id, "--json").json()["appearances"]
    assert [(a["source_id"], a["stance"]) for a in appearances] == [
        (corpus["revenge"], "asserts"),
        (corpus["politico"], "reports"),
    ]
    duplicate = fails(
        "claim",
        "cite",
        claim_id,
        "--source",
        "politico",
        "--quote",
        "the killing was an escalatory move",
    )
    assert "already cites" in duplicate.stderr


def test_claim_without_quote_and_source_without_text() -> None:
    ok(
        "source",
        "add",
        "--title",
        "Broadcast",
        "--url",
        "https://example.org/tv",
        "--no-fetch",
        "--key",
        "tv",
    )
    created = ok("claim", "add", "Something was said on TV", "--source", "tv", "--json").json()
    assert created["anchor_status"] == "none"
    created = ok(
        "claim", "add", "Another", "--source", "tv", "--quote", "exact words", "--json"
    ).json()
    assert created["anchor_status"] == "unanchored"
    assert any("no text snapshot" in w for w in created["warnings"])


def test_same_text_warns_but_adds(corpus: dict[str, int]) -> None:
    out = ok("claim", "add", "Iran will respond to the killing of Soleimani", "--source", "revenge")
    assert "has the same text" in out.stderr
    assert len(ok("claim", "list", "--json").json()) == 3


def test_list_filters(corpus: dict[str, int]) -> None:
    def ids(*args: str) -> list[int]:
        return [c["id"] for c in ok("claim", "list", *args, "--json").json()]

    assert ids() == [corpus["respond"], corpus["no_revenge"]]
    assert ids("--source", "politico") == [corpus["respond"]]
    assert ids("--source", str(corpus["revenge"])) == [corpus["no_revenge"]]
    assert ids("--tag", "retaliation") == [corpus["respond"], corpus["no_revenge"]]
    assert ids("--kind", "prediction") == [corpus["respond"]]
    assert ids("--limit", "1") == [corpus["respond"]]
    ok("verdict", "set", str(corpus["respond"]), "false")
    assert ids("--verdict", "false") == [corpus["respond"]]
    assert ids("--unreviewed") == [corpus["no_revenge"]]
    ok("verdict", "set", str(corpus["respond"]), "mostly-true")
    assert ids("--verdict", "false") == []
    assert ids("--verdict", "mostly-true") == [corpus["respond"]]
    table = ok("claim", "list").stdout
    assert "mostly-true" in table and "unreviewed" in table


@pytest.mark.usefixtures("terminal")
@pytest.mark.usefixtures("seeded_backend")
def test_list_pages_on_a_terminal() -> None:
    """The seed corpus's 121 claims: a page of 50 on a terminal, every claim with --json, and
    filters counted as they are listed."""
    claims = [c["id"] for c in ok("claim", "list", "--json").json()]
    assert len(claims) == 121
    first = ok("claim", "list")
    assert (listed(first.stdout), first.stderr) == (claims[:50], more(71, "claims", 50))
    last = ok("claim", "list", "--offset", "100")
    assert (listed(last.stdout), last.stderr) == (claims[100:], "")
    assert listed(ok("claim", "list", "--all").stdout) == claims
    assert [c["id"] for c in ok("claim", "list", "--json", "--offset", "110").json()] == claims[
        110:
    ]
    predictions = [c["id"] for c in ok("claim", "list", "--kind", "prediction", "--json").json()]
    assert 3 < len(predictions) < 50
    page = ok("claim", "list", "--kind", "prediction", "--limit", "2", "--offset", "1", "--json")
    assert [c["id"] for c in page.json()] == predictions[1:3]
    assert page.stderr == more(len(predictions) - 3, "claims", 3)


def test_list_errors(corpus: dict[str, int]) -> None:
    assert "unknown verdict label 'bogus'" in fails("claim", "list", "--verdict", "bogus").stderr
    assert "no claim has the tag 'nope'" in fails("claim", "list", "--tag", "nope").stderr
    assert "no source 'x'" in fails("claim", "list", "--source", "x").stderr


def test_claim_errors_leave_database_unchanged(db_path: Path, corpus: dict[str, int]) -> None:
    before = dump(db_path)
    assert "must not be empty" in fails("claim", "add", "   ", "--source", "politico").stderr
    assert "no source 'nope'" in fails("claim", "add", "X", "--source", "nope").stderr
    assert "no claim 99" in fails("claim", "cite", "99", "--source", "politico").stderr
    assert "no claim 99" in fails("claim", "show", "99").stderr
    assert dump(db_path) == before


def test_edit_records_old_values(corpus: dict[str, int]) -> None:
    claim_id = str(corpus["respond"])
    edited = ok(
        "claim",
        "edit",
        claim_id,
        "--text",
        "Iran will retaliate",
        "--untag",
        "retaliation",
        "--tag",
        "iran",
        "--json",
    ).json()
    assert (edited["text"], edited["tags"]) == ("Iran will retaliate", ["iran"])
    log = ok("log", "--table", "claims", "--row", claim_id, "--json").json()
    assert log[0]["action"] == "update"
    assert log[0]["old"] == {"text": "Iran will respond to the killing of Soleimani"}
    assert log[0]["new"] == {"text": "Iran will retaliate"}
    assert log[0]["actor"] == "tester"
    tag_changes = [(e["action"], e["table"]) for e in ok("log", "--json").json()[:3]]
    assert ("delete", "claim_tags") in tag_changes


def test_missing_text_without_terminal_is_usage_error(cli) -> None:
    result = cli("claim", "add", "--source", "x")
    assert result.exit_code == 2
    assert "Missing argument 'TEXT'" in result.stderr


def test_prompts_for_missing_arguments(monkeypatch, corpus: dict[str, int]) -> None:
    monkeypatch.setattr("factcheck.cli.commands.claim.interactive", lambda: True)
    answers = "Iran was astonished\npolitico\neven astonished some members\n\nfact\n"
    created = ok("claim", "add", input=answers)
    claim = ok("claim", "show", created.stdout.strip().splitlines()[-1], "--json").json()
    assert claim["text"] == "Iran was astonished"
    assert claim["appearances"][0]["anchor_status"] == "exact"


@pytest.mark.hostile
def test_arguments_that_are_not_utf8_are_refused(db_path: Path, corpus: dict[str, int]) -> None:
    before = dump(db_path)
    bad = "bad \udcff text"  # how Python passes on argv bytes that are not UTF-8
    assert "TEXT: is not valid UTF-8" in fails("claim", "add", bad, "--source", "politico").stderr
    assert "not valid UTF-8" in fails("source", "show", bad).stderr
    assert "not valid UTF-8" in fails("--as", bad, "claim", "edit", "1", "--kind", "fact").stderr
    assert dump(db_path) == before


def test_a_quote_of_only_invisible_characters_is_not_found(corpus: dict[str, int]) -> None:
    result = fails("claim", "add", "X", "--source", "politico", "--quote", "\u200c")
    assert "quote not found in source 'politico'" in result.stderr
    created = ok("claim", "add", "X", "--source", "politico", "--quote", "\u200c", "--unanchored",
                 "--json").json()  # fmt: skip
    assert created["anchor_status"] == "unanchored"
