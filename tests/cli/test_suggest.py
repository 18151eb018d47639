"""`factcheck suggest`: ranked candidate links with reasons, on the seed corpus and on small
databases of the tests' own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import dump, fails, ok


def _suggest(*args: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = ok("suggest", "--json", *args).json()
    return found


def test_json_shape_and_order(seeded: Path) -> None:
    found = _suggest("--limit", "15")
    assert 0 < len(found) <= 15
    for item in found:
        assert set(item) >= {"id", "claim_a", "claim_b", "relation", "score", "reasons"}
        assert item["id"] == f"{item['claim_a']}-{item['claim_b']}"
        assert item["claim_a"] < item["claim_b"]  # type: ignore[operator]
        assert item["relation"] in ("contradicts", "supports", "duplicates")
        assert 0.0 <= item["score"] <= 1.0  # type: ignore[operator]
        assert item["reasons"] and all(set(r) == {"kind", "text"} for r in item["reasons"])  # type: ignore[union-attr]
    scores = [item["score"] for item in found]
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]


def test_ids_are_stable_between_runs(seeded: Path) -> None:
    assert _suggest("--limit", "10") == _suggest("--limit", "10")


def test_linked_pairs_are_never_suggested(seeded: Path) -> None:
    import sqlite3

    with sqlite3.connect(seeded) as connection:
        linked = {
            (min(a, b), max(a, b))
            for a, b in connection.execute("SELECT claim_a_id, claim_b_id FROM links")
        }
    connection.close()
    found = _suggest("--limit", "500")
    assert not {(s["claim_a"], s["claim_b"]) for s in found} & linked
    first = found[0]
    ok("link", str(first["claim_a"]), str(first["claim_b"]), "--relation", "refines")
    assert first["id"] not in {s["id"] for s in _suggest("--limit", "500")}


def test_filters(seeded: Path) -> None:
    for item in _suggest("--relation", "supports", "--limit", "5"):
        assert item["relation"] == "supports"
    for item in _suggest("--min-score", "0.4"):
        assert item["score"] >= 0.4  # type: ignore[operator]
    for item in _suggest("--claim", "101"):
        assert 101 in (item["claim_a"], item["claim_b"])
    sourced = {s["claim_a"] for s in _suggest("--source", "004-hard-revenge", "--limit", "50")} | {
        s["claim_b"] for s in _suggest("--source", "004-hard-revenge", "--limit", "50")
    }
    assert sourced
    # Any spelling of an entity's name finds it.
    assert _suggest("--entity", "Suleimani", "--limit", "5") == _suggest(
        "--entity", "Qassem Soleimani", "--limit", "5"
    )
    tagged = _suggest("--tag", "strike", "--limit", "5")
    assert tagged


def test_text_view(seeded: Path) -> None:
    out = ok("suggest", "--limit", "3").stdout
    first = out.splitlines()[0].split()
    assert first[1] in ("contradicts", "supports", "duplicates")
    assert "    - similarity: both about" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--claim", "9999"), "Error: no claim 9999"),
        (("--source", "nope"), "Error: no source 'nope'"),
        (("--tag", "nope"), "Error: no claim has the tag 'nope'"),
        (("--entity", "Nobody At All"), "Error: no entity 'Nobody At All'"),
        (("--limit", "0"), "Error: --limit must be at least 1 (got 0)"),
        (("--limit", "-3"), "Error: --limit must be at least 1 (got -3)"),
        (("--min-score", "1.5"), "Error: --min-score must be between 0 and 1 (got 1.5)"),
        (("--min-score", "-0.1"), "Error: --min-score must be between 0 and 1 (got -0.1)"),
    ],
)
def test_bad_input_changes_nothing(seeded: Path, args: tuple[str, ...], message: str) -> None:
    before = dump(seeded)
    result = fails("suggest", *args)
    assert result.stderr.splitlines()[0] == message
    assert dump(seeded) == before


def test_empty_database_and_one_claim(db_path: Path) -> None:
    assert ok("suggest", "--json").json() == []
    result = ok("suggest")
    assert result.stdout == "" and result.stderr == "No suggestions.\n"
    ok("source", "add", "--title", "One", "--key", "one")
    ok("claim", "add", "Only one claim here", "--source", "one")
    assert ok("suggest", "--json").json() == []


def test_accept_links_the_pair_with_the_reasons_and_remembers(seeded: Path) -> None:
    first, second = _suggest("--limit", "2")
    done = ok("suggest", "accept", str(first["id"]), "--json").json()
    assert done[0]["decision"] == "accepted" and done[0]["relation"] == first["relation"]
    link = next(
        item
        for item in ok("claim", "show", str(first["claim_a"]), "--json").json()["links"]
        if item["id"] == done[0]["link_id"]
    )
    assert link["relation"] == first["relation"] and link["claim_id"] == first["claim_b"]
    assert first["reasons"][0]["text"] in link["note"]  # type: ignore[index]
    # Overrides; and the other id order names the same suggestion.
    b, a = str(second["id"]).split("-")
    ok("suggest", "accept", f"{a}-{b}", "--relation", "refines", "--note", "read again")
    shown = ok("claim", "show", str(second["claim_a"]), "--json").json()["links"]
    assert {(x["relation"], x["note"]) for x in shown} >= {("refines", "read again")}
    remaining = {s["id"] for s in _suggest("--limit", "500")}
    assert first["id"] not in remaining and second["id"] not in remaining
    logged = ok("log", "--table", "suggestion_decisions", "--json").json()
    assert [entry["new"]["decision"] for entry in logged] == ["accepted", "accepted"]
    assert logged[0]["actor"] == "tester"


def test_reject_is_remembered(seeded: Path) -> None:
    first = _suggest("--limit", "1")[0]
    assert ok("suggest", "reject", str(first["id"]), "--note", "no").stdout == (
        f"Rejected {first['id']}.\n"
    )
    assert first["id"] not in {s["id"] for s in _suggest("--limit", "500")}
    links = ok("claim", "show", str(first["claim_a"]), "--json").json()["links"]
    assert first["claim_b"] not in {x["claim_id"] for x in links}
    logged = ok("log", "--table", "suggestion_decisions", "--json").json()
    assert logged[0]["new"]["decision"] == "rejected" and logged[0]["new"]["note"] == "no"


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (("foo",), "Error: not a suggestion id: 'foo'"),
        (("7-7",), "Error: not a suggestion id: '7-7' (the same claim twice)"),
        (("1-9999",), "Error: no claim 9999"),
        (("1-10", "1-9999"), "Error: no claim 9999"),
        (("32-33",), "Error: claims 32 and 33 are already linked: link 1 (contradicts)"),
    ],
)
def test_bad_decisions_change_nothing(seeded: Path, ids: tuple[str, ...], message: str) -> None:
    before = dump(seeded)
    assert fails("suggest", "accept", *ids).stderr.splitlines()[0] == message
    assert dump(seeded) == before


def test_a_decided_suggestion_cannot_be_decided_again(seeded: Path) -> None:
    ok("suggest", "reject", "1-10")
    before = dump(seeded)
    for verb in ("accept", "reject"):
        result = fails("suggest", verb, "10-1")
        assert result.stderr.startswith("Error: suggestion 1-10 was already rejected by tester")
    assert dump(seeded) == before


def test_decisions_on_both_backends(backend: str) -> None:
    ok("source", "add", "--title", "Wire", "--key", "wire")
    texts = [
        "The army withdrew its troops from the border region in May.",
        "The army did not withdraw its troops from the border region.",
        "The harvest was poor in the northern provinces this year.",
    ]
    for text in texts:
        ok("claim", "add", text, "--source", "wire")
    found = _suggest()
    assert found[0]["id"] == "1-2" and found[0]["relation"] == "contradicts"
    ok("suggest", "accept", "1-2")
    assert "1-2" not in {s["id"] for s in _suggest()}
    fails("suggest", "reject", "1-2")
    ok("suggest", "reject", "2-3")
    assert ok("db", "check", "--json").json()["ok"] is True


def test_review_walks_through_and_keeps_decisions_when_stopped(
    seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("factcheck.cli.commands.suggest.interactive", lambda: True)
    first, second, third, fourth = _suggest("--limit", "4")
    # accept; accept as another relation with a note; skip; reject; then quit.
    answers = "a\no\nr\nread as a refinement\ns\nx\nr\nq\n"
    result = ok("suggest", "review", "--limit", "5", input=answers)
    assert f"Accepted {first['id']}: link" in result.stdout
    assert f"Accepted {second['id']}: link" in result.stdout and "(refines)" in result.stdout
    assert f"Rejected {fourth['id']}." in result.stdout
    assert result.stderr.endswith("2 accepted, 1 rejected, 1 skipped.\n")
    logged = ok("log", "--table", "suggestion_decisions", "--json").json()
    assert [e["new"]["decision"] for e in reversed(logged)] == ["accepted", "accepted", "rejected"]
    assert logged[1]["new"]["note"] == "read as a refinement"
    remaining = [s["id"] for s in _suggest("--limit", "3")]
    assert remaining[0] == third["id"]  # skipped: suggested again
    assert not {first["id"], second["id"], fourth["id"]} & set(remaining)
    # The end of the input stops the review like `q`, keeping what was decided.
    assert ok("suggest", "review", input="r\n").stderr.endswith(
        "0 accepted, 1 rejected, 0 skipped.\n"
    )


def test_review_needs_a_terminal(seeded: Path) -> None:
    before = dump(seeded)
    assert fails("suggest", "review").stderr.startswith("Error: suggest review asks questions")
    assert dump(seeded) == before
