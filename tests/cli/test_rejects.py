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


def test_the_file_is_imported_in_one_pass_however_many_rows_fail(
    tmp_path: Path, corpus: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck.services import partial_import

    passes = []
    real = partial_import.import_stream
    monkeypatch.setattr(
        partial_import, "import_stream", lambda *a, **k: passes.append(1) or real(*a, **k)
    )
    good = "{n}.json\tfalse\tSays {n}.\tx\tjane\t\t\tnone\t0\t0\t0\t0\t0\tctx\n"
    bad = "{n}.json\tmaybe\tSays {n}.\tx\tjane\t\t\tnone\t0\t0\t0\t0\t0\tctx\n"
    path = tmp_path / "liar.tsv"
    path.write_text("".join((bad if n % 3 == 0 else good).format(n=n) for n in range(1, 31)))
    rejects = tmp_path / "rejects.jsonl"
    ok("import", str(path), "--rejects", str(rejects))
    written = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert [r["row"] for r in written] == list(range(3, 31, 3))
    assert len(passes) == 1


def test_a_failed_row_gives_back_the_source_it_would_have_added(
    tmp_path: Path, corpus: dict[str, int]
) -> None:
    # Row 1 is the first of its venue and fails (no statement); row 2, of the same venue, must
    # still bring the venue's source along.
    rows = (
        "1.json\tfalse\t\tx\tjane\t\t\tnone\t0\t0\t0\t0\t0\ta new venue\n"
        "2.json\ttrue\tSays two.\tx\tjane\t\t\tnone\t0\t0\t0\t0\t0\ta new venue\n"
    )
    path = tmp_path / "liar.tsv"
    path.write_text(rows, encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    summary = ok("import", str(path), "--rejects", str(rejects), "--json").json()
    assert summary["added"]["claim"] == 1 and summary["added"]["source"] == 1
    assert [json.loads(line)["row"] for line in rejects.read_text().splitlines()] == [1]
    claim = ok("claim", "list", "--source", "liar-a-new-venue", "--json").json()
    assert [c["text"] for c in claim] == ["Says two."]


def test_no_part_of_a_rejected_dataset_row_lands(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The venue's source key exists with another text: its rows fail on the source, when other
    # records of theirs are queued for writing, so the import is tried again without them.
    from factcheck.services import partial_import

    passes = []
    real = partial_import.import_stream
    monkeypatch.setattr(
        partial_import, "import_stream", lambda *a, **k: passes.append(1) or real(*a, **k)
    )
    ok("init")
    text = tmp_path / "venue.txt"
    text.write_text("Another text under the same key.", encoding="utf-8")
    ok("source", "add", "--title", "Taken", "--key", "liar-taken-venue", "--file", str(text))
    before = dump(db_path)
    rows = (
        "1.json\tfalse\tSays one.\tx\tnew-speaker\t\t\tnone\t0\t0\t0\t0\t0\ttaken venue\n"
        "2.json\ttrue\tSays two.\tx\tjane\t\t\tnone\t0\t0\t0\t0\t0\tfree venue\n"
        "3.json\ttrue\tSays three.\tx\tjane\t\t\tnone\t0\t0\t0\t0\t0\ttaken venue\n"
    )
    path = tmp_path / "liar.tsv"
    path.write_text(rows, encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    summary = ok("import", str(path), "--rejects", str(rejects), "--json").json()
    written = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert [r["row"] for r in written] == [1, 3]
    assert "already in the database with another text" in written[0]["reason"]
    assert summary["added"]["claim"] == 1 and summary["rows"] == 3
    texts = [c["text"] for c in ok("claim", "list", "--json").json()]
    assert texts == ["Says two."]
    assert "New Speaker" not in ok("entity", "list", "--json").stdout
    assert dump(db_path) != before
    assert len(passes) == 2


def test_a_csv_row_that_fails_on_its_verdict_adds_no_claim(
    tmp_path: Path, corpus: dict[str, int]
) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(
        "claim,source,verdict\n"
        '"A new claim",politico,no-such-label\n'
        '"Another new claim",politico,false\n',
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.jsonl"
    summary = ok("import", str(path), "--rejects", str(rejects), "--json").json()
    written = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert [r["row"] for r in written] == [2]
    texts = {c["text"] for c in ok("claim", "list", "--json").json()}
    assert "A new claim" not in texts and "Another new claim" in texts
    assert summary["added"]["claim"] == 1 and summary["added"]["appearance"] == 1
