"""Verdict evidence with the passage that matters and a note: `--evidence-quote` and
`--evidence-note`, paired with `--evidence` by position, the quote anchored in the source's text
as a claim's quote is; shown by claim show, verdict history and the JSON report, and kept by
the jsonl round trip."""

from collections.abc import Callable
from pathlib import Path

from tests.helpers import dump, fails, ok, run_cli

TYPED = 'Iran did not deliver the "hard revenge" it had promised'


def test_evidence_with_passage_and_note(
    new_db: Callable[[str], Path], tmp_path: Path, corpus: dict[str, int]
) -> None:
    claim, other = str(corpus["respond"]), str(corpus["no_revenge"])
    ok("link", claim, other, "--relation", "contradicts")
    created = run_cli(
        "verdict", "set", claim, "false",
        "--evidence", "revenge", "--evidence-quote", TYPED, "--evidence-note", "004, a year on",
        "--evidence", "https://example.org/report", "--evidence-note", "the US assessment",
        "--evidence", "politico",
    )  # fmt: skip
    assert created.exit_code == 0 and created.stderr == ""
    # The passage as the source has it (its own quote marks), as the claim's appearance has it.
    verbatim = ok("claim", "show", other, "--json").json()["appearances"][0]["quote"]
    assert verbatim != TYPED
    evidence = ok("claim", "show", claim, "--json").json()["verdict"]["evidence"]
    assert [(e["source_key"], e["url"], e["quote"], e["note"]) for e in evidence] == [
        ("revenge", None, verbatim, "004, a year on"),
        (None, "https://example.org/report", None, "the US assessment"),
        ("politico", None, None, None),
    ]
    history = ok("verdict", "history", claim).stdout
    # A passage holding double marks of its own is set in single ones (text.quoted).
    assert f"evidence: revenge\n    \u2018{verbatim}\u2019\n    004, a year on\n" in history
    assert "evidence: https://example.org/report\n    the US assessment\n" in history
    report = ok("report", "contradictions", "--format", "json").json()
    side = report["pairs"][0]["claim_a"]
    assert side["verdict"]["evidence"][0]["quote"] == verbatim

    first = tmp_path / "first.jsonl"
    ok("export", "--output", str(first))
    fresh = str(new_db("fresh"))
    ok("--db", fresh, "import", str(first))
    second = tmp_path / "second.jsonl"
    ok("--db", fresh, "export", "--output", str(second))
    assert second.read_bytes() == first.read_bytes()
    shown = ok("--db", fresh, "claim", "show", claim, "--json").json()["verdict"]["evidence"]
    assert shown == evidence


def test_an_empty_quote_skips_an_item_and_a_url_quote_is_unchecked(
    corpus: dict[str, int],
) -> None:
    claim = str(corpus["respond"])
    result = run_cli(
        "verdict", "set", claim, "mixed",
        "--evidence", "politico", "--evidence", "https://example.org/",
        "--evidence-quote", "", "--evidence-quote", "anything at all",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: evidence https://example.org/ is not a logged source: its quote is kept as "
        "given, unchecked\n"
    )
    evidence = ok("claim", "show", claim, "--json").json()["verdict"]["evidence"]
    assert [(e["quote"]) for e in evidence] == [None, "anything at all"]


def test_a_quote_not_in_the_source_is_refused(db_path: Path, corpus: dict[str, int]) -> None:
    claim = str(corpus["respond"])
    before = dump(db_path)
    error = fails(
        "verdict", "set", claim, "false", "--evidence", "revenge",
        "--evidence-quote", "Iran flew to the moon",
    ).stderr  # fmt: skip
    first, hint = error.splitlines()
    assert first.startswith("Error: evidence quote not found in source 'revenge'; closest passage")
    assert hint == "Hint: copy the passage from `factcheck source show revenge --text`"
    assert dump(db_path) == before


def test_more_quotes_or_notes_than_evidence_is_wrong_usage(
    db_path: Path, corpus: dict[str, int]
) -> None:
    claim = str(corpus["respond"])
    before = dump(db_path)
    for option in ("--evidence-quote", "--evidence-note"):
        result = run_cli(
            "verdict", "set", claim, "false", "--evidence", "revenge",
            option, "one", option, "two",
        )  # fmt: skip
        assert result.exit_code == 2
        assert f"Invalid value for '{option}': 2 given for 1 --evidence" in result.stderr
    assert dump(db_path) == before
