"""`import --rejects FILE`: the good rows are imported, the others written with their reasons,
and accepted + rejected = total."""

import json
from pathlib import Path

import pytest

from tests.helpers import SEEDS, dump, fails, ok

LIAR_ROWS = (
    "1.json\tfalse\tSays a.\tx\tjane\t\t\tnone\t0\t0\t0\t0\t0\tctx\n"
    "2.json\tmaybe\tSays b.\tx\tjane\t\t\tnone\t0\t0\t0\t0\t0\tctx\n"
    "only\tthree\tcols\n"
    "4.json\ttrue\tSays d.\tx\tjohn\t\t\tnone\t0\t0\t0\t0\t0\tctx\n"
)
CSV_ROWS = (
    "claim,source,quote\n"
    '"First",politico,"an escalatory move"\n'
    '"Second",nowhere,\n'
    '"Third",politico,"words that are not there at all"\n'
    '"Fourth",revenge,\n'
)
AVERITEC_ITEMS = json.dumps([
    {"claim": "Good", "label": "Refuted"},
    {"claim": "Bad label", "label": "Perhaps"},
    {"claim": "", "label": "Supported"},
    {"claim": "Also good", "label": "Supported", "claim_date": "01-02-2021"},
])  # fmt: skip
CLAIMREVIEW = json.dumps({"@type": "DataFeed", "dataFeedElement": [
    {"@type": "ClaimReview", "claimReviewed": "Good", "reviewRating": {"alternateName": "False"}},
    {"@type": "ClaimReview", "claimReviewed": "", "reviewRating": {"alternateName": "True"}},
]})  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "accepted", "rejected_rows"),
    [
        ("liar.tsv", LIAR_ROWS, 2, [2, 3]),
        ("sheet.csv", CSV_ROWS, 2, [3, 4]),
        ("averitec.json", AVERITEC_ITEMS, 2, [2, 3]),
        ("reviews.json", CLAIMREVIEW, 1, [2]),
    ],
)
def test_good_rows_land_and_bad_ones_are_written_with_reasons(
    tmp_path: Path, corpus: dict[str, int], name: str, content: str, accepted: int,
    rejected_rows: list[int],
) -> None:  # fmt: skip
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    before = len(ok("claim", "list", "--json").json())
    summary = ok("import", str(path), "--rejects", str(rejects), "--json").json()
    written = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert [r["row"] for r in written] == rejected_rows
    assert all(r["reason"].split(":")[0].endswith(str(r["row"])) for r in written)
    assert all(r["content"] for r in written)
    assert summary["rejected"] == len(rejected_rows)
    assert summary["rows"] == accepted + len(rejected_rows)
    assert len(ok("claim", "list", "--json").json()) - before == accepted


def test_a_broken_claim_takes_what_refers_to_it_along(tmp_path: Path) -> None:
    lines = (SEEDS / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    first = '{"type":"claim","id":1,'
    broken = [
        line.replace('"text":"US forces', '"text":" ","note":"US forces')
        if line.startswith(first)
        else line
        for line in lines
    ]
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    summary = ok("import", str(path), "--rejects", str(rejects), "--json").json()
    written = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert written[0]["reason"].startswith(f"line {written[0]['row']} (claim)")
    assert all("refers to claim 1" in r["reason"] for r in written[1:])
    assert summary["rows"] == len(lines) - 1  # the header is not a row
    assert (
        sum(summary["added"].values()) + sum(summary["existing"].values()) + len(written)
        == (summary["rows"])
    )


def test_whole_file_errors_still_stop_everything(tmp_path: Path, db_path: Path) -> None:
    ok("init")
    before = dump(db_path)
    path = tmp_path / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    assert "the file is empty" in fails("import", str(path), "--rejects",
                                        str(tmp_path / "r.jsonl")).stderr  # fmt: skip
    dry = tmp_path / "liar.tsv"
    dry.write_text(LIAR_ROWS, encoding="utf-8")
    ok("import", str(dry), "--rejects", str(tmp_path / "r.jsonl"), "--dry-run")
    assert dump(db_path) == before
