"""Each status rule of the contradiction report, on small constructed cases."""

import sqlite3
from pathlib import Path

import pytest

from factcheck.services.report import agreement_status, pair_status
from tests.helpers import fails, ok


@pytest.mark.parametrize(
    ("a", "b", "status"),
    [
        (None, None, "open"),
        ("supported", None, "open"),
        ("none", "refuted", "open"),
        ("supported", "refuted", "resolved"),
        ("refuted", "supported", "resolved"),
        ("supported", "supported", "inconsistent"),
        ("refuted", "refuted", "both-refuted"),
        ("mixed", "supported", "mixed"),
        ("refuted", "mixed", "mixed"),
        ("mixed", "mixed", "mixed"),
    ],
)
def test_pair_status(a: str | None, b: str | None, status: str) -> None:
    assert pair_status(a, b) == status
    assert pair_status(b, a) == status


@pytest.mark.parametrize(
    ("a", "b", "status"),
    [
        ("supported", "refuted", "inconsistent"),
        ("supported", "supported", "consistent"),
        ("refuted", "refuted", "consistent"),
        ("supported", None, "open"),
        ("mixed", "supported", "mixed"),
    ],
)
def test_agreement_status(a: str | None, b: str | None, status: str) -> None:
    assert agreement_status(a, b) == status


def _claims(n: int, source: str) -> list[str]:
    return [ok("claim", "add", f"claim {source} {i}", "--source", source).stdout.strip()
            for i in range(n)]  # fmt: skip


@pytest.fixture
def constructed() -> dict[str, str]:
    ok("source", "add", "--title", "A", "--key", "src-a", "--published", "2020-01")
    ok("source", "add", "--title", "B", "--key", "src-b")
    a = _claims(6, "src-a")
    b = _claims(6, "src-b")
    verdicts = {a[0]: "true", b[0]: "false",  # resolved
                a[1]: "true", b[1]: "mostly-true",  # inconsistent
                a[2]: "false", b[2]: "false",  # both-refuted
                a[3]: "mixed", b[3]: "true",  # mixed
                a[4]: "unverifiable",  # open (b[4] unreviewed too)
                a[5]: "true", b[5]: "false"}  # fmt: skip
    for claim, label in verdicts.items():
        ok("verdict", "set", claim, label)
    links = {}
    for i, name in enumerate(["resolved", "inconsistent", "both-refuted", "mixed", "open"]):
        links[name] = ok("link", a[i], b[i], "--relation", "contradicts", "--note", name).stdout
    # a second contradiction of b[0] joins the cluster of the resolved pair
    links["chain"] = ok("link", b[0], a[4], "--relation", "contradicts").stdout
    links["agree"] = ok("link", a[5], b[5], "--relation", "supports", "--note", "agree").stdout
    ok("claim", "edit", a[1], "--tag", "focus")
    return {**{k: v.strip() for k, v in links.items()}, "a1": a[1]}


def test_statuses_clusters_and_order(constructed: dict[str, str]) -> None:
    report = ok("report", "contradictions", "--format", "json").json()
    statuses = {str(p["link_id"]): p["status"] for p in report["pairs"]}
    for name in ("resolved", "inconsistent", "both-refuted", "mixed", "open"):
        assert statuses[constructed[name]] == name
    assert statuses[constructed["chain"]] == "open"
    # To-do items first: clusters ordered by their worst status.
    order = [p["status"] for p in report["pairs"]]
    assert order[0] == "inconsistent"
    assert order[-1] == "both-refuted"
    chain_cluster = {
        p["cluster"]
        for p in report["pairs"]
        if str(p["link_id"]) in (constructed["resolved"], constructed["chain"])
    }
    assert len(chain_cluster) == 1  # fmt: skip
    assert report["summary"]["clusters"] == 4  # the chain joins the resolved and open pairs
    assert report["summary"]["by_status"] == {
        "inconsistent": 1,
        "open": 2,
        "mixed": 1,
        "both-refuted": 1,
        "resolved": 1,
    }
    assert report["summary"]["source_pairs"] == [
        {"source_a": "src-a", "source_b": "src-b", "pairs": 6}
    ]
    (conflict,) = report["agreement_conflicts"]
    assert (str(conflict["link_id"]), conflict["status"]) == (constructed["agree"], "inconsistent")
    pair = report["pairs"][0]
    assert {"link_id", "status", "note", "claim_a", "claim_b"} <= set(pair)
    assert {"id", "text", "kind", "verdict", "appearances"} <= set(pair["claim_a"])


def test_the_contradiction_pairs_view_agrees_with_the_report(
    constructed: dict[str, str], db_path: Path
) -> None:
    report = ok("report", "contradictions", "--format", "json").json()
    with sqlite3.connect(db_path) as connection:
        view = dict(connection.execute("SELECT link_id, status FROM contradiction_pairs"))
    assert view == {p["link_id"]: p["status"] for p in report["pairs"]}


def test_filters(constructed: dict[str, str]) -> None:
    def links(*args: str) -> list[str]:
        report = ok("report", "contradictions", "--format", "json", *args).json()
        return sorted(str(p["link_id"]) for p in report["pairs"])

    assert links("--status", "open") == sorted([constructed["open"], constructed["chain"]])
    assert links("--status", "resolved", "--status", "mixed") == sorted(
        [constructed["resolved"], constructed["mixed"]]
    )
    assert links("--tag", "focus") == [constructed["inconsistent"]]
    assert len(links("--source", "src-b")) == 6
    assert "no source 'nope'" in fails("report", "contradictions", "--source", "nope").stderr
    assert "no entity 'x'" in fails("report", "contradictions", "--entity", "x").stderr


def test_sources_scorecard(constructed: dict[str, str]) -> None:
    scores = {s["key"]: s for s in ok("report", "sources", "--format", "json").json()}
    assert scores["src-a"]["claims"] == 6
    assert scores["src-a"]["contradicted_by"] == {"src-b": 6}
    assert scores["src-b"]["supported_by"] == {"src-a": 1}
    assert scores["src-b"]["unreviewed"] == 1
    assert scores["src-a"]["verdicts"]["true"] == 3
