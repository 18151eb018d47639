from pathlib import Path

from tests.helpers import dump, fails, ok


def test_verdicts_are_append_only_history(corpus: dict[str, int]) -> None:
    claim = str(corpus["respond"])
    first = ok(
        "verdict",
        "set",
        claim,
        "false",
        "--note",
        "Iran did respond, with missiles",
        "--evidence",
        "revenge",
        "--evidence",
        "https://example.org/report",
    )
    second = ok(
        "--as", "alice", "verdict", "set", claim, "mixed", "-m", "measured response", "--json"
    ).json()
    assert int(first.stdout) < second["id"]
    history = ok("verdict", "history", claim, "--json").json()
    assert [(v["label"], v["polarity"], v["created_by"]) for v in history] == [
        ("false", "refuted", "tester"),
        ("mixed", "mixed", "alice"),
    ]
    assert [(e["source_key"], e["url"]) for e in history[0]["evidence"]] == [
        ("revenge", None),
        (None, "https://example.org/report"),
    ]
    current = ok("claim", "show", claim, "--json").json()["verdict"]
    assert (current["label"], current["note"]) == ("mixed", "measured response")
    assert "measured response" in ok("verdict", "history", claim).stdout


def test_labels_listed_with_polarity_and_value() -> None:
    labels = {lab["label"]: lab for lab in ok("verdict", "labels", "--json").json()}
    assert set(labels) >= {
        "true",
        "mostly-true",
        "mixed",
        "mostly-false",
        "false",
        "misleading",
        "unverifiable",
    }
    assert (labels["true"]["polarity"], labels["true"]["value"]) == ("supported", 5.0)
    assert (labels["false"]["polarity"], labels["false"]["value"]) == ("refuted", 1.0)
    assert (labels["unverifiable"]["polarity"], labels["unverifiable"]["value"]) == ("none", None)


def test_scale_is_extensible(corpus: dict[str, int]) -> None:
    ok("verdict", "define", "unproven", "--polarity", "none", "--description", "Pending")
    assert "unproven" in [lab["label"] for lab in ok("verdict", "labels", "--json").json()]
    ok("verdict", "set", str(corpus["respond"]), "unproven")
    assert (
        "already has a label" in fails("verdict", "define", "unproven", "--polarity", "none").stderr
    )


def test_verdict_errors_change_nothing(db_path: Path, corpus: dict[str, int]) -> None:
    before = dump(db_path)
    result = fails("verdict", "set", str(corpus["respond"]), "bogus")
    assert "unknown verdict label 'bogus'" in result.stderr
    assert "Hint: labels: true, mostly-true" in result.stderr
    assert "no claim 404" in fails("verdict", "set", "404", "false").stderr
    assert (
        "no source 'nowhere'"
        in fails("verdict", "set", str(corpus["respond"]), "false", "--evidence", "nowhere").stderr
    )
    assert "no rating scale 'x'" in fails("verdict", "set", "1", "false", "--scale", "x").stderr
    assert "no claim 404" in fails("verdict", "history", "404").stderr
    assert dump(db_path) == before


def test_link_and_unlink(corpus: dict[str, int]) -> None:
    a, b = str(corpus["respond"]), str(corpus["no_revenge"])
    link_id = ok(
        "link", b, a, "--relation", "contradicts", "--note", "predicted vs happened"
    ).stdout
    links = ok("claim", "show", a, "--json").json()["links"]
    assert links == [
        {
            **links[0],
            "id": int(link_id),
            "relation": "contradicts",
            "claim_id": int(b),
            "note": "predicted vs happened",
            "direction": "both",
        }
    ]
    assert ok("claim", "show", b, "--json").json()["links"][0]["claim_id"] == int(a)
    ok("unlink", link_id.strip())
    assert ok("claim", "show", a, "--json").json()["links"] == []
    assert [e["action"] for e in ok("log", "--table", "links", "--json").json()] == [
        "delete",
        "insert",
    ]


def test_directed_links(corpus: dict[str, int]) -> None:
    a, b = str(corpus["respond"]), str(corpus["no_revenge"])
    ok("link", a, b, "--relation", "refines")
    ok("link", b, a, "--relation", "refines")
    directions = {link["direction"] for link in ok("claim", "show", a, "--json").json()["links"]}
    assert directions == {"outgoing", "incoming"}


def test_link_errors_change_nothing(db_path: Path, corpus: dict[str, int]) -> None:
    a, b = str(corpus["respond"]), str(corpus["no_revenge"])
    ok("link", a, b, "--relation", "contradicts")
    before = dump(db_path)
    assert "cannot be linked to itself" in fails("link", a, a, "--relation", "supports").stderr
    assert "already linked" in fails("link", a, b, "--relation", "contradicts").stderr
    assert "already linked" in fails("link", b, a, "--relation", "contradicts").stderr
    assert "cannot also be 'supports'" in fails("link", a, b, "--relation", "supports").stderr
    assert "no claim 77" in fails("link", a, "77", "--relation", "supports").stderr
    assert "no link 99" in fails("unlink", "99").stderr
    assert dump(db_path) == before


def test_link_relation_is_checked_by_the_parser(cli, corpus: dict[str, int]) -> None:
    result = cli("link", "1", "2", "--relation", "agrees")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_labels_match_ignoring_case(corpus: dict[str, int]) -> None:
    ok("verdict", "set", str(corpus["respond"]), "Mostly-True")
    assert ok("claim", "show", str(corpus["respond"]), "--json").json()["verdict"]["label"] == (
        "mostly-true"
    )


def test_claim_show_names_each_evidence_item(seeded: Path) -> None:
    """A URL or a source key alone does not say what it is; the evidence note does."""
    shown = ok("claim", "show", "59").stdout
    assert "evidence: cissm-2019-maximum-pressure\n" in shown
    assert "    CISSM/IranPoll, October 2019: Soleimani had the highest favourability" in shown
    assert "evidence: https://en.farsnews.com/newstext.aspx?nn=13980724000928\n" in shown
