"""`factcheck extract`: proposals from a source's text, and the review that adds claims."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import fails, ok, run_cli, table_rows

ARTICLE = """Dam Talks Stall
By Ana Lima

The river authority said on Monday that the new dam had cost 2.4 billion euros, nearly twice \
the 2019 estimate. "The reservoir will be full by June. Farmers will get water again," said \
Maria Kovacs, the authority's chief engineer.

Is anyone surprised?

According to the Finance Ministry, exports of grain fell 12% last year, the largest drop since \
2009. A former ministry official who worked on the project said the contracts were never put \
out to tender.

The weather was mild.
"""


@pytest.fixture
def article(backend: str, tmp_path: Path) -> str:
    """The article as source `dam`, on SQLite and on PostgreSQL."""
    path = tmp_path / "dam.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    ok("source", "add", "--title", "Dam talks stall", "--key", "dam", "--author", "Ana Lima",
       "--file", str(path))  # fmt: skip
    return ARTICLE


def _extract(*args: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ok("extract", "dam", "--json", *args).json()
    return found


def test_proposals_are_ranked_with_reasons_kind_claimant_and_offsets(article: str) -> None:
    found = _extract()
    assert [p["rank"] for p in found] == list(range(1, len(found) + 1))
    assert [p["score"] for p in found] == sorted((p["score"] for p in found), reverse=True)
    for p in found:
        assert article[p["start"] : p["end"]] == p["text"]
    by_text = {p["text"][:20]: p for p in found}
    quote = by_text['"The reservoir will ']
    assert quote["text"].endswith("chief engineer.")  # the quotation is one sentence
    assert quote["kind"] == "prediction" and quote["claimant"] == "Maria Kovacs"
    grain = by_text["According to the Fin"]
    assert grain["claimant"] == "Finance Ministry" and grain["kind"] == "fact"
    assert {r["kind"] for r in grain["reasons"]} >= {"quantity", "date", "comparison"}
    assert by_text["A former ministry of"]["claimant"] == "a former ministry official"
    # The author speaks where nobody is quoted; questions and bylines come last.
    assert by_text["The river authority "]["score"] >= 0.5
    assert found[0]["score"] > by_text["Is anyone surprised?"]["score"]
    assert by_text["Is anyone surprised?"]["rank"] > len(found) - 4


def test_limit_and_min_score(article: str) -> None:
    everything = _extract("--limit", "100")
    assert [p["text"] for p in _extract("--limit", "2")] == [p["text"] for p in everything[:2]]
    strong = _extract("--min-score", "0.5")
    assert strong and all(p["score"] >= 0.5 for p in strong)
    assert len(strong) < len(everything)
    table = ok("extract", "dam", "--limit", "3")
    assert "Maria Kovacs" in table.stdout or "Finance Ministry" in table.stdout
    assert "sentences in dam" in table.stderr and "more: --limit for them" in table.stderr


def test_sentences_already_logged_are_marked_and_not_proposed_again(article: str) -> None:
    ok("claim", "add", "Grain exports fell 12% last year", "--source", "dam",
       "--quote", "exports of grain fell 12% last year")  # fmt: skip
    texts = [p["text"] for p in _extract()]
    assert not any("exports of grain" in t for t in texts)
    marked = [p for p in _extract("--logged") if p["logged"]]
    assert [p["logged"] for p in marked] == [[1]] and "exports of grain" in marked[0]["text"]
    assert "1 already logged as quotes" in ok("extract", "dam").stderr


def test_review_accepts_edits_skips_and_keeps_what_was_accepted_when_stopped(
    article: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("factcheck.cli.commands.extract.interactive", lambda: True)
    first, second, third, fourth = _extract("--limit", "4")
    # accept the first; edit the second (reworded, claimant, kind); skip the third; a wrong
    # answer is asked again; accept the fourth with the author as claimant; then stop.
    answers = (
        "a\ne\nThe dam cost 2.4 billion euros\nRiver authority\nnonsense\nfact\ns\nx\ne\n\n-\n\nq\n"
    )
    result = ok("extract", "dam", "--review", "--limit", "5", input=answers)
    assert result.stdout.count("Added claim") == 3
    assert result.stderr.endswith("3 accepted, 1 skipped.\n")
    claims = ok("claim", "list", "--json").json()
    assert [c["text"] for c in claims] == [
        " ".join(first["text"].split()),
        "The dam cost 2.4 billion euros",
        " ".join(fourth["text"].split()),
    ]
    for claim, proposal in zip(claims, (first, second, fourth), strict=True):
        (appearance,) = claim["appearances"]
        assert (appearance["start"], appearance["end"]) == (proposal["start"], proposal["end"])
        assert appearance["quote"] == proposal["text"]
    assert claims[0]["kind"] == first["kind"]
    assert claims[0]["appearances"][0]["claimant"] == (first["claimant"] or "Ana Lima")
    assert claims[1]["kind"] == "fact"
    assert claims[1]["appearances"][0]["claimant"] == "River authority"
    assert claims[2]["appearances"][0]["claimant"] == "Ana Lima"
    # Neither what was accepted nor what was skipped is proposed again.
    remaining = [p["text"] for p in _extract()]
    assert not {first["text"], second["text"], third["text"], fourth["text"]} & set(remaining)
    # The end of the input stops the review like `q`, keeping what was accepted.
    assert ok("extract", "dam", "--review", input="a\n").stderr.endswith("1 accepted, 0 skipped.\n")
    assert len(ok("claim", "list", "--json").json()) == 4
    # ...and so does the end of the input while a proposal is being edited.
    assert ok("extract", "dam", "--review", input="a\ne\nReworded").stderr.endswith(
        "1 accepted, 0 skipped.\n"
    )
    assert len(ok("claim", "list", "--json").json()) == 5


def test_review_decisions_are_stored_and_not_proposed_again_but_all_shows_them(
    article: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("factcheck.cli.commands.extract.interactive", lambda: True)
    first, second, third = _extract("--limit", "3")
    # Skip the first, accept the second, stop.
    result = ok("extract", "dam", "--review", input="s\na\nq\n")
    assert result.stderr.endswith("1 accepted, 1 skipped.\n")
    (claim,) = ok("claim", "list", "--json").json()
    logged_rows = ok("log", "--table", "extraction_decisions", "--json").json()
    decisions = [entry["new"] for entry in logged_rows]
    assert {
        (d["sentence_start"], d["sentence_end"]): (d["decision"], d["claim_id"], d["text"])
        for d in decisions
    } == {
        (first["start"], first["end"]): ("skipped", None, first["text"]),
        (second["start"], second["end"]): ("accepted", claim["id"], second["text"]),
    }
    # Run again: the skipped sentence is not proposed, nor the accepted one; the review starts
    # with the third.
    again = ok("extract", "dam", "--review", input="q\n")
    assert " ".join(third["text"].split()) in again.stdout
    assert " ".join(first["text"].split()) not in again.stdout
    assert [p["text"] for p in _extract("--limit", "1")] == [third["text"]]
    assert "2 decided in a review (--all for them)" in ok("extract", "dam").stderr
    # --logged keeps its meaning: the quoted sentence, not the skipped one.
    logged = [p["text"] for p in _extract("--logged")]
    assert second["text"] in logged and first["text"] not in logged
    # --all shows both, marked, in JSON and in the table.
    shown = {p["text"]: p for p in _extract("--all")}
    assert shown[first["text"]]["decided"] == "skipped"
    assert shown[second["text"]]["decided"] == "accepted"
    assert shown[second["text"]]["logged"] == [claim["id"]]
    assert shown[third["text"]]["decided"] is None
    table = ok("extract", "dam", "--all", "--limit", "1").stdout
    assert "[skipped]" in table
    # A review with --all decides anew: the skipped sentence accepted now, the history keeps
    # both decisions.
    ok("extract", "dam", "--review", "--all", input="a\nq\n")
    assert {p["text"]: p["decided"] for p in _extract("--all")}[first["text"]] == "accepted"
    logged_rows = ok("log", "--table", "extraction_decisions", "--json").json()
    assert sorted(e["action"] for e in logged_rows) == ["insert", "insert", "update"]
    # A claim removed takes its decision with it: its sentence is proposed again.
    ok("claim", "delete", str(claim["id"]), "--yes")
    assert second["text"] in [p["text"] for p in _extract()]


def test_a_decision_on_a_text_the_source_no_longer_has_does_not_apply(
    article: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("factcheck.cli.commands.extract.interactive", lambda: True)
    (first,) = _extract("--limit", "1")
    ok("extract", "dam", "--review", input="s\nq\n")
    assert first["text"] not in [p["text"] for p in _extract()]
    # The same sentence, moved: decided on where it was, it is proposed again where it is.
    moved = tmp_path / "moved.txt"
    moved.write_text("Breaking. " + article, encoding="utf-8")
    ok("source", "edit", "dam", "--file", str(moved))
    assert first["text"] in [p["text"] for p in _extract()]


def test_removing_a_source_counts_its_decisions(
    article: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("factcheck.cli.commands.extract.interactive", lambda: True)
    ok("extract", "dam", "--review", input="s\na\nq\n")
    removal = ok("source", "delete", "dam", "--cascade", "--yes", "--json").json()
    assert removal["rows"]["extraction_decisions"] == 2
    logged = ok("log", "--table", "extraction_decisions", "--json").json()
    assert sorted(e["action"] for e in logged) == ["delete", "delete", "insert", "insert"]


def test_accepted_claims_name_the_entities_the_sentence_names(
    article: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("factcheck.cli.commands.extract.interactive", lambda: True)
    ok("entity", "add", "Maria Kovacs", "--alias", "M. Kovacs", "--kind", "person")
    (proposal,) = [p for p in _extract() if "Kovacs" in p["text"]]
    assert proposal["entities"] == ["Maria Kovacs"] and proposal["claimant"] == "Maria Kovacs"
    rank = proposal["rank"]
    ok("extract", "dam", "--review", input="s\n" * (rank - 1) + "a\nq\n")
    (claim,) = ok("claim", "list", "--json").json()
    assert ok("claim", "show", str(claim["id"]), "--json").json()["entities"] == ["Maria Kovacs"]


def test_review_needs_a_terminal_and_bad_input_changes_nothing(article: str, backend: str) -> None:
    ok("source", "add", "--title", "No text", "--key", "empty")
    before = table_rows(backend)
    assert fails("extract", "dam", "--review").stderr.startswith(
        "Error: extract --review asks questions"
    )
    assert fails("extract", "nosuch").stderr.startswith("Error: no source 'nosuch'")
    assert "has no text" in fails("extract", "empty").stderr
    assert run_cli("extract", "dam", "--review", "--json").exit_code == 2
    assert run_cli("extract", "dam", "--min-score", "2").exit_code == 2
    assert table_rows(backend) == before
