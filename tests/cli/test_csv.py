"""The flat CSV format: export, re-import, bulk entry from a spreadsheet, malformed files."""

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path

import pytest

from factcheck.services import spreadsheet
from tests.helpers import dump, fails, ok

NOTHING = {"rating_scale": 0, "rating_label": 0, "source": 0}
HEADER = "claim,source,quote,claimant,kind,tags,verdict,verdict_note,evidence\n"


def test_export_then_import_adds_nothing(tmp_path: Path, seeded: Path) -> None:
    exported = tmp_path / "claims.csv"
    ok("export", "--format", "csv", "--output", str(exported))
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,claim,source,quote,claimant")
    before = dump(seeded)
    summary = ok("import", str(exported), "--json").json()
    assert set(summary["added"].values()) == {0}
    assert summary["existing"]["appearance"] == 141
    assert dump(seeded) == before


def test_bulk_entry_from_a_spreadsheet(tmp_path: Path, corpus: dict[str, int]) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "\ufeff" + HEADER
        + '"Iran will respond",politico,"There\'s no chance in hell Iran won\'t respond",'
        'Afshon Ostovar,prediction,retaliation;iran,mostly-true,"It did, on 8 January 2020",'
        "revenge;https://example.org/x\r\n"
        '"A new claim",revenge,"Iran did not deliver",,fact,,,,\r\n'
        '"A new claim",politico,,,fact,,false,"No",\r\n',
        encoding="utf-8",
    )  # fmt: skip
    summary = ok("import", str(sheet), "--json").json()
    assert summary["added"] == {**NOTHING, "claim": 2, "appearance": 3, "verdict": 2}
    new = ok("claim", "list", "--json").json()[-1]
    assert new["text"] == "A new claim"
    assert [a["source_key"] for a in new["appearances"]] == ["revenge", "politico"]
    assert new["verdict"]["label"] == "false"
    respond = ok("search", "Iran will respond", "--json").json()[0]
    assert respond["appearances"][0]["anchor_status"] == "normalised"
    assert [e["source_key"] or e["url"] for e in respond["verdict"]["evidence"]] == [
        "revenge", "https://example.org/x"]  # fmt: skip
    again = ok("import", str(sheet), "--json").json()
    assert set(again["added"].values()) == {0}


class _StoppedClock(datetime):
    """A clock that gives the same time however often it is read."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> "_StoppedClock":
        return cls(2026, 1, 1, tzinfo=UTC)


def test_rows_of_one_claim_add_its_tags_and_each_changed_verdict(
    tmp_path: Path, corpus: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows naming one claim cite it again, add their tags and record their verdict when it
    differs from the current one, even when the clock repeats (the import engine recognises a
    verdict by its claim, label, note and time)."""
    monkeypatch.setattr(spreadsheet, "datetime", _StoppedClock)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        HEADER
        + '"A claim",politico,,,fact,a,false,No,\n'
        '"A claim",revenge,,,fact,b,false,No,\n'
        '"A claim",politico,"an escalatory move",,fact,a,true,Yes,\n'
        '"A claim",revenge,,,fact,,false,No,\n',
        encoding="utf-8",
    )  # fmt: skip
    summary = ok("import", str(sheet), "--json").json()
    assert summary["added"] == {**NOTHING, "claim": 1, "appearance": 3, "verdict": 3}
    assert summary["existing"] == {**NOTHING, "claim": 3, "appearance": 1, "verdict": 1}
    claim = ok("claim", "list", "--json").json()[-1]
    assert claim["tags"] == ["a", "b"]
    history = ok("verdict", "history", str(claim["id"]), "--json").json()
    assert [v["label"] for v in history] == ["false", "true", "false"]


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (HEADER.encode() + b"a,politico,x\n", "row 2: expected 9 fields, found 3"),
        (b"claim,source,colour\nx,politico,red\n", "row 1: unknown column 'colour'"),
        (b"claim,quote\nx,y\n", "the header has no 'source' column"),
        (b"claim,source\n\xff,politico\n", "not valid UTF-8"),
        (b"claim,source,kind\nx,politico,rumour\n", "row 2: kind"),
        (b"claim,source\nx,nowhere\n", "row 2: no source 'nowhere'"),
        (
            b"claim,source,quote\nx,politico,not in the article at all\n",
            "row 2: quote not found in source 'politico'",
        ),
        (b"claim,source,verdict\nx,politico,bogus\n", "row 2: unknown verdict label 'bogus'"),
        (
            b'claim,source\n"' + b"x" * (1024 * 1024 + 1) + b'",politico\n',
            "20,000 characters for a text",
        ),
        (b'claim,source\n"unclosed,politico\n', "row"),
    ],
)
def test_malformed_csv_changes_nothing(
    tmp_path: Path, db_path: Path, corpus: dict[str, int], content: bytes, message: str
) -> None:
    before = dump(db_path)
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    assert message in fails("import", str(path)).stderr
    assert dump(db_path) == before


# Texts a spreadsheet would run as formulas, texts the import must not take for neutralised
# ones, and cells a CSV writer must quote.
FORMULAS = ["=1+2", "+1", "-5", "@SUM(A1)", "'=1+2", "''", "'", "'Tis", 'a "b", c', "x\ry\nz"]


def test_formulas_are_neutralised_and_the_round_trip_is_exact(
    tmp_path: Path, db_path: Path, corpus: dict[str, int]
) -> None:
    """Each text goes out as a cell no spreadsheet runs (a quote in front where needed) and
    comes back as it was: imported into the same database it adds nothing, and the cells of
    a new export are the same."""
    for text in FORMULAS:
        ok("claim", "add", "--source=politico", f"--claimant={text}", f"--tag={text}", "--", text)
    ok("claim", "edit", "1", "--tag=esc \x1b]0;title\x07; sep")
    ok("verdict", "set", "1", "false", "--evidence=https://example.org/a;b=1", "--note=-1")
    exported = tmp_path / "claims.csv"
    ok("export", "--format=csv", f"--output={exported}")
    content = exported.read_bytes().decode()
    rows = {row["claim"]: row for row in csv.DictReader(io.StringIO(content, newline=""))}
    assert rows["'=1+2"]["claimant"] == "'=1+2" and rows["''=1+2"]["tags"] == "''=1+2"
    assert {"'-5", "'@SUM(A1)", "'''", "'", "'Tis", 'a "b", c', "x\ry\nz"} <= set(rows)
    respond = rows["Iran will respond to the killing of Soleimani"]
    assert respond["evidence"] == "https://example.org/a;;b=1"
    assert respond["verdict_note"] == "'-1"
    assert respond["tags"] == "retaliation; esc \x1b]0;;title\x07;; sep"
    before = dump(db_path)
    assert set(ok("import", str(exported), "--json").json()["added"].values()) == {0}
    assert dump(db_path) == before
    ok("export", "--format=csv", f"--output={tmp_path / 'again.csv'}")
    assert (tmp_path / "again.csv").read_bytes() == exported.read_bytes()
    claims = {c["text"]: c for c in ok("claim", "list", "--json").json()}
    assert set(FORMULAS) <= set(claims)
    assert claims["Iran will respond to the killing of Soleimani"]["tags"] == [
        "retaliation", "esc \x1b]0;title\x07; sep"]  # fmt: skip


def test_report_csv_cells_are_not_formulas(corpus: dict[str, int]) -> None:
    ok("claim", "edit", str(corpus["respond"]), "--text=-2+3 more")
    ok("link", str(corpus["respond"]), str(corpus["no_revenge"]), "--relation=contradicts",
       "--note=@cmd")  # fmt: skip
    row = next(csv.DictReader(io.StringIO(ok("report", "contradictions", "-f", "csv").stdout)))
    assert (row["note"], row["claim_a_text"]) == ("'@cmd", "'-2+3 more")
    assert row["claim_a_id"] == str(corpus["respond"])  # numbers as they are
    sources = list(csv.DictReader(io.StringIO(ok("report", "sources", "-f", "csv").stdout)))
    assert [s["claims"] for s in sources] == ["1", "1"]


REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://checker.example/review",
    "claimReviewed": "Reviewed on a scale of its own",
    "author": {"@type": "Organization", "name": "Checker"},
    "reviewRating": {"@type": "Rating", "alternateName": "Falso", "ratingValue": "4",
                     "bestRating": "6", "worstRating": "1"},
}  # fmt: skip


def test_an_export_imports_into_an_empty_database_and_exports_again_the_same(
    new_db: Callable[[str], Path], backend: str, tmp_path: Path, corpus: dict[str, int]
) -> None:
    """What a CSV carries comes back from an empty database: sources with their details (one
    cited only as evidence, one cited by nothing), a custom label with its value, a publisher's
    own scale, a verdict history A, B, A, a claim left with no appearance, claim ids with a gap,
    texts that start like formulas; and the import says what a CSV leaves behind. From either
    backend into a new SQLite file."""
    respond, revenge = str(corpus["respond"]), str(corpus["no_revenge"])
    ok("source", "add", "--key=report", "--title=-An evidence report", "--outlet=@Outlet",
       "--url=https://example.org/report", "--no-fetch", "--published=2020-02", "--kind=report",
       "--language=en", "--author=Ann Author", "--notes=+cited only as evidence")  # fmt: skip
    ok("source", "add", "--key=unused", "--title=Cited by nothing")
    ok("verdict", "define", "unproven", "--polarity=none", "--value=2.5")
    ok("verdict", "set", respond, "false", "--note==A", "--evidence=report")
    ok("verdict", "set", respond, "unproven", "--note=B", "--evidence=https://example.org/b")
    ok("verdict", "set", respond, "false", "--note==A")
    doomed = ok("claim", "add", "Soon deleted", "--source=politico").stdout.strip()
    ok("claim", "delete", doomed, "--yes")
    alone = ok("claim", "add", "Appears nowhere", "--source=politico", "--json").json()
    ok("claim", "uncite", str(alone["id"]), str(alone["appearance_id"]), "--yes")
    ok("verdict", "set", str(alone["id"]), "unproven")
    ok("claim", "cite", revenge, "--source=politico", "--claimant=-Someone")
    review = tmp_path / "review.json"
    review.write_text(json.dumps(REVIEW), encoding="utf-8")
    ok("import", str(review), "--format=claimreview")
    exported = tmp_path / "claims.csv"
    ok("export", "--format=csv", f"--output={exported}")

    other = new_db("other")
    imported = ok("--db", str(other), "import", str(exported))
    assert "does not carry" in imported.stdout and "jsonl" in imported.stdout
    again = tmp_path / "again.csv"
    ok("--db", str(other), "export", "--format=csv", f"--output={again}")
    assert again.read_bytes() == exported.read_bytes()

    history = ok("--db", str(other), "verdict", "history", respond, "--json").json()
    assert [(v["label"], v["note"]) for v in history] == [
        ("false", "=A"), ("unproven", "B"), ("false", "=A")]  # fmt: skip
    assert [e["source_key"] or e["url"] for e in history[0]["evidence"]] == ["report"]
    labels = ok("--db", str(other), "verdict", "labels", "--json").json()
    assert {"label": "unproven", "polarity": "none", "value": 2.5} in [
        {k: label[k] for k in ("label", "polarity", "value")} for label in labels]  # fmt: skip
    assert ("Falso", 4.0) in [(label["label"], label["value"]) for label in labels]
    report = ok("--db", str(other), "source", "show", "report", "--json").json()
    assert (report["title"], report["outlet"], report["url"], report["published"]) == (
        "-An evidence report", "@Outlet", "https://example.org/report", "2020-02")  # fmt: skip
    assert ok("--db", str(other), "claim", "show", str(alone["id"]), "--json").json()[
        "appearances"] == []  # fmt: skip
    # Into the database it came from, the export adds nothing.
    assert set(ok("import", str(exported), "--json").json()["added"].values()) == {0}


def test_a_new_label_needs_its_polarity(
    tmp_path: Path, db_path: Path, corpus: dict[str, int]
) -> None:
    before = dump(db_path)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("claim,source,verdict,verdict_value\nx,politico,pending,3\n", encoding="utf-8")
    assert "row 2: unknown verdict label 'pending'" in fails("import", str(sheet)).stderr
    assert dump(db_path) == before
    sheet.write_text("claim,source,source_title,source_url\nx,new-source,,https://a.example\n",
                     encoding="utf-8")  # fmt: skip
    assert "row 2: source_title:" in fails("import", str(sheet)).stderr
    assert dump(db_path) == before


def test_rejected_rows_leave_no_source_and_no_gap_in_the_ids(tmp_path: Path, db_path: Path) -> None:
    """With --rejects, a row whose source details are bad is set aside, and so is a later row
    naming that source; the rows that stand add their source and label, and the claims get the
    ids they would have had without the rejected rows."""
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "claim,source,source_title,source_published,verdict,verdict_polarity,verdict_value\n"
        "A,new-one,A title,2020-13,,,\n"
        "B,new-one,,,,,\n"
        "C,good,Good,2020-01,made-up,mixed,2\n"
        "D,good,,,made-up,,\n",
        encoding="utf-8",
    )
    summary = ok("import", str(sheet), f"--rejects={tmp_path / 'rejects.jsonl'}", "--json").json()
    assert (summary["rows"], summary["rejected"]) == (4, 2)
    reasons = [json.loads(line)["reason"] for line in (tmp_path / "rejects.jsonl").open()]
    assert reasons == ["row 2: source_published: invalid date '2020-13': use YYYY, YYYY-MM or "
                       "YYYY-MM-DD", "row 3: no source 'new-one'"]  # fmt: skip
    assert [s["key"] for s in ok("source", "list", "--json").json()] == ["good"]
    claims = ok("claim", "list", "--json").json()
    assert [(c["id"], c["text"], c["verdict"]["label"]) for c in claims] == [
        (1, "C", "made-up"), (2, "D", "made-up")]  # fmt: skip
