"""Importing the real datasets in ../shared/data: every row, with its label mapped."""

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import REPO, dump, fails, ok

DATA = REPO.parent / "shared" / "data"
LIAR = DATA / "liar"
AVERITEC = DATA / "averitec" / "dev.json"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not beside the repo")


def _rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line]


def _current_labels(db: Path, scale: str) -> Counter[str]:
    with sqlite3.connect(db) as connection:
        return Counter(
            label
            for (label,) in connection.execute(
                "SELECT l.label FROM verdict_history h JOIN rating_labels l ON l.label = h.label "
                "JOIN rating_scales s ON s.id = l.scale_id AND s.key = h.scale "
                "WHERE h.is_current AND h.scale = ?",
                (scale,),
            )
        )


@pytest.mark.slow  # all 12,836 rows of LIAR
@needs_data
def test_all_of_liar_imports(db_path: Path) -> None:
    expected: Counter[str] = Counter()
    total = 0
    for split in ("train", "valid", "test"):
        rows = _rows(LIAR / f"{split}.tsv")
        expected.update(row[1] for row in rows)
        total += len(rows)
        summary = ok("import", str(LIAR / f"{split}.tsv"), "--json").json()
        assert summary["added"]["claim"] == len(rows)
        assert summary["added"]["verdict"] == len(rows)
    assert total == 12_836
    assert _current_labels(db_path, "liar") == expected
    labels = {(lab["scale"], lab["label"]): lab for lab in ok("verdict", "labels", "--json").json()}
    assert labels[("liar", "pants-fire")]["polarity"] == "refuted"
    assert labels[("liar", "half-true")]["polarity"] == "mixed"
    # A second import recognises every row.
    again = ok("import", str(LIAR / "valid.tsv"), "--json").json()
    assert set(again["added"].values()) == {0}
    claim = ok("claim", "list", "--tag", "liar", "--limit", "1", "--json").json()[0]
    assert claim["notes"] == "LIAR train statement 2635.json"
    assert claim["appearances"][0]["claimant"] == "Dwayne Bohac"
    assert claim["appearances"][0]["source_key"] == "liar-a-mailer"
    assert claim["entities"] == ["Dwayne Bohac"]
    assert "abortion" in claim["tags"]
    assert claim["verdict"]["label"] == "false"
    assert "politifact.com/api/v/2/statement/2635/" in claim["verdict"]["evidence"][0]["url"]
    assert ok("db", "check", "--json").json()["ok"]


@needs_data
def test_all_of_averitec_imports(db_path: Path) -> None:
    items = json.loads(AVERITEC.read_text(encoding="utf-8"))
    summary = ok("import", str(AVERITEC), "--json").json()
    # A claim checked by the same article again is a second annotation: one claim, two
    # verdicts (the last is the current one).
    claims = {(item["claim"], item["fact_checking_article"]): item["label"] for item in items}
    assert summary["added"]["verdict"] == len(items) == 500
    assert summary["added"]["claim"] == len(claims) < 500
    assert _current_labels(db_path, "averitec") == Counter(claims.values())
    first = ok("claim", "list", "--tag", "averitec", "--limit", "1", "--json").json()[0]
    assert first["text"] == items[0]["claim"]
    evidence = ok("verdict", "history", str(first["id"]), "--json").json()[0]["evidence"]
    answers = [a for q in items[0]["questions"] for a in q["answers"]]
    assert len(evidence) == len(answers) + 1  # plus the fact-checking article
    assert evidence[1]["note"] == items[0]["questions"][0]["question"]
    assert evidence[1]["quote"] == answers[0]["answer"]
    assert first["appearances"][0]["source_published"] == "2020-10-31"
    assert set(ok("import", str(AVERITEC), "--json").json()["added"].values()) == {0}


LIAR_ROW = b"1.json\tfalse\tThe sky is green.\tscience\tjane-doe\t\t\tnone\t0\t0\t0\t0\t0\ta talk\n"
REVIEW = (
    b'{"@type":"ClaimReview","claimReviewed":"The sky is green","url":"https://example.org/r",'
    b'"reviewRating":{"@type":"Rating","alternateName":"False"}}'
)


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.tsv", b"1.json\tfalse\tonly three", "row 1: expected 14 tab-separated columns"),
        ("bad.tsv", b"1.json\tsort-of\ts\t\t\t\t\t\t0\t0\t0\t0\t0\tctx", "unknown LIAR label"),
        ("bad.tsv", b"1.json\tfalse\t\xff\t\t\t\t\t\t0\t0\t0\t0\t0\tctx", "row 1: not valid UTF-8"),
        ("bad.tsv", b"1.json\tfalse\t \t\t\t\t\t\t0\t0\t0\t0\t0\tctx", "row 1: text"),
        ("bad.json", b'{"claim": "x"}', "cannot tell the format"),
        ("bad.json", b'[{"claim": "x", "label": "Maybe"}]', "unknown AVeriTeC label"),
        (
            "bad.json",
            b'[{"claim": "x", "label": "Refuted", "claim_date": "2020-10-31"}]',
            "not DD-MM-YYYY",
        ),
        ("bad.json", b"[1]", "claim 1: expected an object"),
        ("bad.json", b'[{"claim": ', "not valid JSON"),
        ("bad.txt", b"just some words", "cannot tell the format of"),
        ("dup.tsv", LIAR_ROW * 2, "row 2: statement 1.json again (first at row 1)"),
        (
            "dup.json",
            b"[" + REVIEW + b"," + REVIEW + b"]",
            "review 2: the same review of the same claim again (first at review 1)",
        ),
    ],
)
def test_malformed_datasets_change_nothing(
    tmp_path: Path, db_path: Path, name: str, content: bytes, message: str
) -> None:
    ok("init")
    before = dump(db_path)
    path = tmp_path / name
    path.write_bytes(content)
    assert message in fails("import", str(path)).stderr
    assert dump(db_path) == before


def test_format_is_detected_and_the_option_wins(tmp_path: Path) -> None:
    row = "9.json\ttrue\tThe sky is blue.\tscience\tjane-doe\t\t\tnone\t0\t0\t0\t0\t0\ta tweet\n"
    path = tmp_path / "sample.txt"
    path.write_text(row, encoding="utf-8")
    assert "added 1 rating scale" in ok("import", str(path)).stdout  # 13 tabs: LIAR
    path.write_text(row.replace("9.json", "10.json"), encoding="utf-8")
    assert "added 1 claim" in ok("import", "--format", "liar", "-", input=path.read_text()).stdout
    assert "not valid JSON" in fails("import", "--format", "jsonl", str(path)).stderr


@pytest.mark.parametrize(("name", "fmt"), [("empty.tsv", "liar"), ("empty.json", "averitec")])
def test_a_dataset_without_rows_adds_nothing(
    tmp_path: Path, db_path: Path, name: str, fmt: str
) -> None:
    ok("init")
    before = dump(db_path)
    path = tmp_path / name
    path.write_text("[]" if fmt == "averitec" else "", encoding="utf-8")
    assert ok("import", str(path), "--format", fmt, "--json").json()["added"]["rating_scale"] == 0
    assert dump(db_path) == before
