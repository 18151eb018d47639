import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import dump, fails, ok


def _export(tmp_path: Path, name: str, *db: str) -> bytes:
    target = tmp_path / name
    ok(*db, "export", "--output", str(target))
    return target.read_bytes()


def test_export_import_export_gives_the_same_bytes(
    new_db: Callable[[str], Path],
    tmp_path: Path,
    corpus: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ok("entity", "add", "Qassem Soleimani", "--kind", "person", "--alias", "Suleimani")
    notes = "RTL: \u0633\u0644\u06cc\u0645\u0627\u0646\u06cc \u200c emoji \U0001f600\nline two"
    ok("claim", "edit", str(corpus["respond"]), "--entity", "suleimani", "--notes", notes)
    ok("verdict", "set", str(corpus["respond"]), "mostly-true", "--evidence", "revenge",
       "--evidence", "https://example.org/record", "--note", "Iran fired missiles")  # fmt: skip
    ok("link", "1", "2", "--relation", "contradicts", "--note", "predicted vs happened")
    ok("verdict", "define", "unproven", "--polarity", "none")
    # Decisions on suggested pairs are user data too: one made a link, one did not.
    ok("claim", "add", "Iran vowed hard revenge for Soleimani", "--source", "revenge")
    ok("suggest", "accept", "2-3", "--relation", "supports", "--note", "same vow")
    ok("suggest", "reject", "1-3")
    # So are the decisions of an extraction review: one sentence skipped, one accepted.
    monkeypatch.setattr("factcheck.cli.commands.extract.interactive", lambda: True)
    ok("extract", "politico", "--review", input="s\na\nq\n")
    first = _export(tmp_path, "first.jsonl")
    empty = str(new_db("empty"))
    ok("--db", empty, "import", str(tmp_path / "first.jsonl"))
    assert _export(tmp_path, "second.jsonl", "--db", empty) == first
    # Importing again adds nothing.
    again = ok("--db", empty, "import", str(tmp_path / "first.jsonl"), "--json").json()
    assert set(again["added"].values()) == {0}
    assert _export(tmp_path, "third.jsonl", "--db", empty) == first
    lines = first.decode().splitlines()
    assert json.loads(lines[0]) == {"type": "factcheck", "format": "jsonl", "version": 1}
    assert {json.loads(line)["type"] for line in lines} >= {
        "rating_scale", "rating_label", "source", "entity", "claim", "appearance", "verdict",
        "link", "suggestion_decision", "extraction_decision"}  # fmt: skip
    # Imported decisions still keep their pairs out of the suggestions.
    decided = ok("--db", empty, "log", "--table", "suggestion_decisions", "--json").json()
    assert len(decided) == 2
    pairs = [{s["claim_a"], s["claim_b"]} for s in ok("--db", empty, "suggest", "--json").json()]
    assert {1, 3} not in pairs and {2, 3} not in pairs
    # ...and imported extraction decisions their sentences out of the proposals.
    proposed = ok("extract", "politico", "--json", "--limit", "1000").json()
    imported = ok("--db", empty, "extract", "politico", "--json", "--limit", "1000").json()
    assert imported == proposed
    assert sum(1 for p in ok("--db", empty, "extract", "politico", "--json", "--all",
                             "--limit", "1000").json() if p["decided"]) == 2  # fmt: skip


def test_stdout_export_and_dry_run(tmp_path: Path, db_path: Path, corpus: dict[str, int]) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(ok("export").stdout, encoding="utf-8")
    other = tmp_path / "other.db"
    ok("--db", str(other), "init")
    before = dump(other)
    out = ok("--db", str(other), "import", str(path), "--dry-run")
    assert "would add 2 sources" in out.stdout
    assert dump(other) == before


HEADER = '{"type":"factcheck","format":"jsonl","version":1}'
SOURCE = ('{"type":"source","id":1,"key":"s","title":"S","text":"Some text here.",'
          '"created_at":"2026-01-01T00:00:00Z"}')  # fmt: skip
CLAIM = '{"type":"claim","id":1,"text":"C","created_at":"2026-01-01T00:00:00Z"}'


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe not utf8", "line 1: not valid UTF-8"),
        (b"[1, 2]", "line 1: expected a JSON object"),
        (b'{"type": "claim"', "line 1: not valid JSON"),
        (CLAIM.encode(), "line 1: a factcheck jsonl dump starts with its header"),
        (f"{HEADER}\n{HEADER}".encode(), "line 2: a second header"),
        (f'{HEADER}\n{{"type":"spaceship"}}'.encode(), "line 2"),
        (f'{HEADER}\n{{"type":"claim","type":"claim"}}'.encode(), "duplicate key 'type'"),
        (
            f'{HEADER}\n{{"type":"rating_label","scale":"default","label":"x","polarity":"none",'
            f'"value":NaN}}'.encode(),
            "NaN is not a number JSON allows",
        ),
        (
            f'{HEADER}\n{{"type":"claim","id":1,"text":"\\ud800","created_at":"2026-01-01"}}'.encode(),
            "lone surrogate",
        ),
        (f"{HEADER}\n".encode() + b"[" * 100_000 + b"]" * 100_000, "line 2"),
        (f"{HEADER}\n{CLAIM}\n{CLAIM}".encode(), "line 3: a second claim with id 1"),
        (
            f"{HEADER}\n{CLAIM.replace(chr(34) + 'C' + chr(34), chr(34) + ' ' + chr(34))}".encode(),
            "text: must not be empty",
        ),
        (
            f'{HEADER}\n{{"type":"link","id":1,"claim_a":1,"claim_b":2,"relation":"contradicts",'
            f'"created_at":"2026-01-01T00:00:00Z"}}'.encode(),
            "refers to claim 1, which is not in",
        ),
        (
            f'{HEADER}\n{SOURCE}\n{CLAIM}\n{{"type":"appearance","id":1,"claim_id":1,"source_id":1,'
            f'"quote":"Some","start":5,"end":9,"anchor_status":"exact",'
            f'"created_at":"2026-01-01T00:00:00Z"}}'.encode(),
            "line 4: the quote is not what",
        ),
        (
            f'{HEADER}\n{SOURCE}\n{CLAIM}\n{{"type":"verdict","id":1,"claim_id":1,"label":"nope",'
            f'"created_at":"2026-01-01T00:00:00Z"}}'.encode(),
            "no verdict label 'nope'",
        ),
        (
            f"{HEADER}\n{CLAIM}\n{CLAIM.replace(':1,', ':2,').replace('C', 'D')}\n"
            f'{{"type":"suggestion_decision","id":1,"claim_a":1,"claim_b":2,"link_id":7,'
            f'"decision":"accepted","relation":"contradicts","created_at":"2026-01-01"}}'.encode(),
            "line 4: refers to link 7, which is not in the file",
        ),
        (
            f'{HEADER}\n{CLAIM}\n{{"type":"suggestion_decision","id":1,"claim_a":1,"claim_b":1,'
            f'"decision":"rejected","relation":"supports","created_at":"2026-01-01"}}'.encode(),
            "line 3: a suggestion pairs two different claims",
        ),
    ],
)
def test_malformed_input_is_refused_and_changes_nothing(
    tmp_path: Path, db_path: Path, content: bytes, message: str
) -> None:
    ok("init")
    before = dump(db_path)
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    result = fails("import", str(path))
    assert message in result.stderr
    assert dump(db_path) == before


def test_a_known_key_with_other_text_is_a_conflict(tmp_path: Path, db_path: Path) -> None:
    ok("source", "add", "--title", "S", "--key", "s", "--file", "-", input="Other text.")
    before = dump(db_path)
    path = tmp_path / "dump.jsonl"
    path.write_text(f"{HEADER}\n{SOURCE}\n", encoding="utf-8")
    assert "already in the database with another text" in fails("import", str(path)).stderr
    assert dump(db_path) == before


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\r\n{SOURCE}\r\n".encode())
    assert "added 1 source" in ok("import", str(path)).stdout


def test_unreadable_file() -> None:
    assert "cannot read /nonexistent.jsonl" in fails("import", "/nonexistent.jsonl").stderr
