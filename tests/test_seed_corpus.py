"""The founding corpus: its quotes anchor in the articles, its verdicts name their evidence and
its links say why, it loads idempotently, and every report format on it matches its snapshot
(UPDATE_SNAPSHOTS=1 rewrites them)."""

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from factcheck.interchange.jsonl import read_records
from factcheck.text import anchor
from tests.helpers import REPO, SEEDS, dump, ok

CORPUS = SEEDS / "corpus.jsonl"
SNAPSHOTS = Path(__file__).parent / "snapshots"


def _records() -> dict[str, list]:
    grouped: dict[str, list] = {}
    with CORPUS.open("rb") as lines:
        for _number, record in read_records(lines):
            grouped.setdefault(record.type, []).append(record)
    return grouped


def test_sources_are_the_five_articles_unchanged() -> None:
    """The sources with a text are the five articles; the others are reports that verdicts cite
    as evidence (their text is not ours to store)."""
    records = _records()
    files = sorted(SEEDS.glob("*.txt"))
    articles = [s for s in records["source"] if s.text is not None]
    assert len(articles) == len(files) == 5
    assert {s.text for s in articles} == {f.read_text(encoding="utf-8") for f in files}
    cited = {e.source_id for v in records["verdict"] for e in v.evidence}
    assert all(s.id in cited for s in records["source"] if s.text is None)


def test_every_quote_anchors_in_its_article() -> None:
    records = _records()
    sources = {s.id: s for s in records["source"]}
    for a in records["appearance"]:
        assert a.anchor_status in ("exact", "normalised"), a
        text = sources[a.source_id].text
        assert text[a.start : a.end] == a.quote
        found = anchor(text, a.quote_entered or a.quote)
        assert (found.start, found.end, found.status) == (a.start, a.end, a.anchor_status)


def test_the_curated_set_is_complete() -> None:
    records = _records()
    claims = records["claim"]
    assert len(claims) > 50
    appearances = Counter(a.claim_id for a in records["appearance"])
    assert all(appearances[c.id] >= 1 for c in claims)
    sources_of: dict[int, set[int]] = {}
    for a in records["appearance"]:
        sources_of.setdefault(a.claim_id, set()).add(a.source_id)
    assert sum(1 for s in sources_of.values() if len(s) > 1) >= 3  # said in several articles
    assert {c.kind for c in claims} == {"fact", "prediction", "opinion"}
    assert all(c.tags for c in claims)
    assert all(a.claimant for a in records["appearance"])
    verdicts = records["verdict"]
    assert len({v.claim_id for v in verdicts}) >= 0.9 * len(claims)
    assert all(v.note and len(v.note) > 20 for v in verdicts)
    relations = Counter(link.relation for link in records["link"])
    assert relations["contradicts"] >= 8
    assert relations["supports"] >= 5
    assert relations["refines"] >= 1
    entities = records["entity"]
    assert sum(1 for e in entities if len(e.aliases) > 1) >= 4


# --- the guards of the corpus review: what a careful fact-checker would not sign --------------


def _current_verdicts(records: dict[str, list]) -> dict[int, object]:
    """Each claim's current verdict: the newest (highest id)."""
    current: dict[int, object] = {}
    for verdict in sorted(records["verdict"], key=lambda v: v.id):
        current[verdict.claim_id] = verdict
    return current


def test_every_verdict_but_unverifiable_names_its_evidence() -> None:
    missing = [
        v.claim_id
        for v in _current_verdicts(_records()).values()
        if v.label != "unverifiable" and not v.evidence
    ]
    assert missing == [], f"claims whose verdict names no evidence: {missing}"


def test_no_verdict_cites_the_article_its_claim_comes_from() -> None:
    """An article is not evidence for what it says itself: the appearance already records it."""
    records = _records()
    said_in: dict[int, set[int]] = {}
    for a in records["appearance"]:
        said_in.setdefault(a.claim_id, set()).add(a.source_id)
    circular = [
        (v.claim_id, e.source_id)
        for v in records["verdict"]
        for e in v.evidence
        if e.source_id in said_in.get(v.claim_id, set())
    ]
    assert circular == [], f"(claim, source) cited as evidence for itself: {circular}"


def test_every_link_and_evidence_item_says_why() -> None:
    records = _records()
    links = [link.id for link in records["link"] if not (link.note and link.note.strip())]
    assert links == [], f"links without a note: {links}"
    silent = [v.id for v in records["verdict"] for e in v.evidence if not (e.note or "").strip()]
    assert silent == [], f"verdicts with an evidence item that says nothing of it: {silent}"


def test_contradictions_rated_both_true_are_reported_inconsistent(seeded: Path) -> None:
    """`contradicts` means the two claims cannot both be true, so a pair whose current verdicts
    are both in the supported group is the database contradicting itself: the report must say
    `inconsistent`, and say it of no other pair."""
    records = _records()
    polarity = {label.label: label.polarity for label in records["rating_label"]}
    current = _current_verdicts(records)

    def supported(claim_id: int) -> bool:
        verdict = current.get(claim_id)
        return verdict is not None and polarity[verdict.label] == "supported"

    both_supported = {
        link.id
        for link in records["link"]
        if link.relation == "contradicts" and supported(link.claim_a) and supported(link.claim_b)
    }
    report = ok("--db", str(seeded), "report", "contradictions", "--format", "json").json()
    status = {pair["link_id"]: pair["status"] for pair in report["pairs"]}
    unmarked = sorted(i for i in both_supported if status.get(i) != "inconsistent")
    assert unmarked == [], f"contradictions rated true on both sides, not inconsistent: {unmarked}"
    marked = {i for i, s in status.items() if s == "inconsistent"}
    assert marked == both_supported


def test_the_readme_tour_quotes_the_corpus_counts() -> None:
    records = _records()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    tour = " ".join(readme.split())
    found = re.search(
        r"with (\d+) claims anchored to (\d+) quotes, (\d+) entities .*? and (\d+) links between "
        r"them \((\d+) contradictions, (\d+) supports, (\d+) refinements\)",
        tour,
    )
    assert found, "the README's tour no longer states the corpus counts"
    relations = Counter(link.relation for link in records["link"])
    assert [int(n) for n in found.groups()] == [
        len(records["claim"]),
        len(records["appearance"]),
        len(records["entity"]),
        len(records["link"]),
        relations["contradicts"],
        relations["supports"],
        relations["refines"],
    ]


def test_seed_loads_once(db_path: Path) -> None:
    first = ok("seed", "--json").json()
    assert first["added"]["claim"] > 50
    before = dump(db_path)
    second = ok("seed", "--json").json()
    assert set(second["added"].values()) == {0}
    assert dump(db_path) == before
    assert ok("db", "check", "--json").json()["ok"] is True
    exported = ok("export").stdout
    assert exported == CORPUS.read_text(encoding="utf-8")


FORMATS = {
    "text": "contradictions.txt",
    "markdown": "contradictions.md",
    "html": "contradictions.html",
    "json": "contradictions.json",
    "csv": "contradictions.csv",
    "dot": "contradictions.dot",
}


def _snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}: run with UPDATE_SNAPSHOTS=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_report_formats_match_snapshots(seeded: Path, fmt: str, tmp_path: Path) -> None:
    out = ok("--db", str(seeded), "report", "contradictions", "--format", fmt).stdout
    _snapshot(FORMATS[fmt], out)
    written = tmp_path / f"report.{fmt}"
    ok("--db", str(seeded), "report", "contradictions", "--format", fmt, "--output", str(written))
    assert written.read_text(encoding="utf-8") == out


def test_sources_scorecard_snapshot(seeded: Path) -> None:
    for fmt, name in (("text", "sources.txt"), ("json", "sources.json")):
        _snapshot(name, ok("--db", str(seeded), "report", "sources", "--format", fmt).stdout)


def test_formats_say_the_same_thing(seeded: Path) -> None:
    report = json.loads((SNAPSHOTS / "contradictions.json").read_text(encoding="utf-8"))
    link_ids = [str(p["link_id"]) for p in report["pairs"]]
    csv_rows = (SNAPSHOTS / "contradictions.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(link_ids) == report["summary"]["pairs"] > 0
    md = (SNAPSHOTS / "contradictions.md").read_text(encoding="utf-8")
    page = (SNAPSHOTS / "contradictions.html").read_text(encoding="utf-8")
    graph = (SNAPSHOTS / "contradictions.dot").read_text(encoding="utf-8")
    text = (SNAPSHOTS / "contradictions.txt").read_text(encoding="utf-8")
    for link_id in link_ids:
        assert f"### Link {link_id}:" in md
        assert f'id="link-{link_id}"' in page
        assert f"link {link_id} (contradicts)" in text
    assert sorted(row.split(",")[1] for row in csv_rows) == sorted(link_ids)
    for pair in report["pairs"]:
        assert f"c{pair['claim_a']['id']} -> c{pair['claim_b']['id']} [dir=none" in graph


def test_html_is_self_contained() -> None:
    page = (SNAPSHOTS / "contradictions.html").read_text(encoding="utf-8")
    assert "<style>" in page
    for external in ("<script", "<link", "src=", "@import", "url("):
        assert external not in page
