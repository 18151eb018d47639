"""The streaming bulk import: what it writes (every table, history that replays, the search
index), what it recognises, the order of records it accepts, and that it streams."""

from __future__ import annotations

import io
import json
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from bench import synth
from factcheck.db.database import Database
from factcheck.db.ids import IdRuns
from factcheck.errors import InvalidInput
from factcheck.interchange.jsonl import dumps, parse_line, read_records
from factcheck.interchange.records import AnyRecord, ClaimRecord
from factcheck.models import AUDITED_TABLES, Claim, HistoryEntry
from factcheck.services import importer
from factcheck.services.export import export_jsonl
from factcheck.services.importer import import_jsonl, import_records
from tests.helpers import dump, fails, ok

HEADER = {"type": "factcheck", "format": "jsonl", "version": 1}
CREATED = "2026-01-01T00:00:00+00:00"


def synth_lines(claims: int, links: int = 0, contradictions: int = 0) -> list[bytes]:
    return [
        json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        for r in synth.records(claims, links, contradictions)
    ]


def exported(database: Database) -> str:
    with database.read() as session:
        return "".join(export_jsonl(session))


def replayed(database: Database) -> dict[tuple[str, int], dict[str, Any] | None]:
    rows: dict[tuple[str, int], dict[str, Any] | None] = {}
    with database.read() as session:
        for entry in session.scalars(select(HistoryEntry).order_by(HistoryEntry.id)):
            key = (entry.table_name, entry.row_id)
            if entry.action == "insert":
                rows[key] = dict(entry.new_values or {})
            elif entry.action == "update":
                rows[key] = {**(rows[key] or {}), **(entry.new_values or {})}
            else:
                rows[key] = None
    return rows


def test_a_synthetic_corpus_writes_every_table_with_history_and_index(
    database: Database, tmp_path: Path
) -> None:
    lines = synth_lines(700, links=120, contradictions=60)  # several batches of appearances
    with database.write() as session:
        summary = import_jsonl(session, lines)
    assert summary.added["claim"] == 700
    assert summary.added["link"] == 120
    # History replays to every row of every audited table (created_at compared as stored).
    rows = replayed(database)
    with database.read() as session:
        # (The default rating scale comes with the schema, from a migration, without history.)
        for table in sorted(AUDITED_TABLES - {"rating_scales", "rating_labels"}):
            current = session.execute(text(f"SELECT * FROM {table}")).mappings().all()
            assert len(current) == sum(1 for (t, _id), v in rows.items() if t == table and v)
            for row in current:
                history = rows[(table, row["id"])]
                assert history is not None
                assert {k: v for k, v in row.items() if k not in ("created_at", "at")} == {
                    k: v for k, v in history.items() if k != "created_at"
                }, (table, row["id"])
        actors = set(session.scalars(select(HistoryEntry.actor).distinct()))
        assert actors == {"auditor"}
    # The search index: consistent with the claims, and it finds an imported quote's words.
    assert "search index: consistent" in ok("db", "check").stdout
    found = ok("search", "Claim 345", "--json").json()
    assert 345 in [c["id"] for c in found]
    # Exported, imported into an empty database, exported again: the same bytes.
    first = exported(database)
    other = Database(database.url.set(database=str(tmp_path / "other.db")), "auditor")
    other.ensure_schema()
    with other.write() as session:
        import_jsonl(session, first.encode().splitlines(keepends=True))
    assert exported(other) == first
    other.close()


def test_a_second_import_adds_nothing_across_batches(database: Database) -> None:
    lines = synth_lines(2500, links=300, contradictions=100)
    with database.write() as session:
        import_jsonl(session, lines)
    before = exported(database)
    with database.write() as session:
        again = import_jsonl(session, lines)
    assert set(again.added.values()) == {0}
    assert again.existing["claim"] == 2500
    assert exported(database) == before


def test_claims_with_the_same_wording_stay_distinct_and_each_matches_once(
    database: Database,
) -> None:
    claim = {"type": "claim", "text": "Same words", "created_at": CREATED}
    records = [HEADER, *({**claim, "id": n} for n in range(1, 2501))]  # more than one batch
    lines = [json.dumps(r).encode() + b"\n" for r in records]
    with database.write() as session:
        assert import_jsonl(session, lines).added["claim"] == 2500
    with database.write() as session:
        second = import_jsonl(session, [*lines, json.dumps({**claim, "id": 9999}).encode()])
    assert (second.added["claim"], second.existing["claim"]) == (1, 2500)


def test_ids_taken_are_remapped_and_references_follow(database: Database) -> None:
    ok("source", "add", "--title", "Other", "--key", "other", "--file", "-", input="Other text.")
    ok("claim", "add", "Someone else's claim", "--source", "other")
    with database.write() as session:
        import_jsonl(session, synth_lines(30, links=10))
    with database.read() as session:
        claim = session.scalars(select(Claim).where(Claim.text.like("Claim 1:%"))).one()
        assert claim.id == 2  # id 1 was taken
        quotes = [a.quote for a in claim.appearances]
        assert quotes and all(q == claim.text for q in quotes)


def _record_lines(records: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in [HEADER, *records])


SOURCE = {"type": "source", "id": 7, "key": "s", "title": "S", "text": "Alpha beta.",
          "created_at": CREATED}  # fmt: skip
CLAIM = {"type": "claim", "id": 3, "text": "Alpha", "created_at": CREATED}
APPEARANCE = {"type": "appearance", "id": 1, "claim_id": 3, "source_id": 7, "quote": "Alpha",
              "start": 0, "end": 5, "anchor_status": "exact", "created_at": CREATED}  # fmt: skip
LINK = {"type": "link", "id": 1, "claim_a": 3, "claim_b": 4, "relation": "contradicts",
        "created_at": CREATED}  # fmt: skip
OTHER = {"type": "claim", "id": 4, "text": "Beta", "created_at": CREATED}


def test_records_may_refer_to_records_further_down_the_file(tmp_path: Path) -> None:
    # Any order is accepted, as when the whole file was planned before writing: a link before
    # its claims, an appearance before its claim and source.
    path = tmp_path / "any-order.jsonl"
    path.write_bytes(_record_lines([LINK, APPEARANCE, CLAIM, SOURCE, OTHER]))
    out = ok("import", str(path), "--json").json()
    assert out["added"]["link"] == 1 and out["added"]["appearance"] == 1
    shown = ok("claim", "show", "3", "--json").json()
    assert shown["appearances"][0]["quote"] == "Alpha"
    assert "search index: consistent" in ok("db", "check").stdout
    assert [c["id"] for c in ok("search", "alpha", "--json").json()] == [3]


def test_a_reference_to_nothing_names_its_line_and_writes_nothing(
    tmp_path: Path, db_path: Path
) -> None:
    ok("init")
    before = dump(db_path)
    claims = [{**CLAIM, "id": n, "text": f"Claim {n}"} for n in range(1, 4001)]
    bad = {**LINK, "claim_a": 1, "claim_b": 99999}
    path = tmp_path / "bad.jsonl"
    path.write_bytes(_record_lines([*claims, bad, {**OTHER, "id": 5000}]))
    message = fails("import", str(path)).stderr
    assert "line 4002: refers to claim 99999, which is not in the file" in message
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("offsets", "message"),
    [
        ({"start": 5, "end": 3}, "line 4: end 3 is before start 5"),
        ({"start": 5, "anchor_status": "none", "quote": None}, "line 4: an appearance has both"),
    ],
)
def test_appearance_offsets_out_of_order_name_their_line(
    tmp_path: Path, db_path: Path, offsets: dict[str, Any], message: str
) -> None:
    # Checked before writing: the database's own check would refuse them with its wording.
    ok("init")
    before = dump(db_path)
    source = {"type": "source", "id": 1, "key": "s1", "title": "S", "text": "hello world",
              "created_at": CREATED}  # fmt: skip
    claim = {"type": "claim", "id": 1, "text": "A claim", "created_at": CREATED}
    appearance = {"type": "appearance", "id": 1, "claim_id": 1, "source_id": 1, "quote": "",
                  "anchor_status": "exact", "created_at": CREATED, **offsets}  # fmt: skip
    path = tmp_path / "offsets.jsonl"
    path.write_bytes(_record_lines([source, claim, appearance]))
    error = fails("import", str(path)).stderr
    assert error.startswith(f"Error: {message}") and len(error.splitlines()) == 1
    assert dump(db_path) == before


def test_an_error_on_the_last_line_rolls_back_the_batches_written(
    tmp_path: Path, db_path: Path
) -> None:
    ok("init")
    before = dump(db_path)
    path = tmp_path / "late.jsonl"
    lines = synth_lines(2500)
    path.write_bytes(b"".join(lines) + b'{"type":"claim"\n')
    message = fails("import", str(path)).stderr
    assert f"line {len(lines) + 1}: not valid JSON" in message
    assert dump(db_path) == before
    # --dry-run writes as it goes too, and rolls it all back.
    path.write_bytes(b"".join(lines))
    assert "would add" in ok("import", str(path), "--dry-run").stdout
    assert dump(db_path) == before


def test_the_file_is_read_as_it_is_written(database: Database) -> None:
    """Streaming: the first batches are in the database before the file is read to its end."""
    lines = synth_lines(5000)
    seen_in_database: list[int] = []

    with database.write() as session:

        def records() -> Iterator[tuple[int, AnyRecord]]:
            for number, record in read_records(lines):
                if number == len(lines):  # the last line: look at what is written so far
                    count = session.connection().scalar(select(func.count()).select_from(Claim))
                    seen_in_database.append(int(count or 0))
                yield number, record

        import_records(session, records())
    assert seen_in_database and seen_in_database[0] >= 4000


def test_source_texts_are_kept_within_a_budget(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A tiny budget: texts are dropped and read back, and every anchor is still checked.
    monkeypatch.setattr(importer, "_TEXT_BUDGET", 100)
    sizes: list[int] = []
    original = importer._SourceTexts.put

    def put(self: importer._SourceTexts, source_id: int, key: str, body: str | None) -> None:
        original(self, source_id, key, body)
        sizes.append(self.size)

    monkeypatch.setattr(importer._SourceTexts, "put", put)
    lines = synth_lines(1200)  # 6 sources of about 20,000 characters
    with database.write() as session:
        assert import_jsonl(session, lines).added["appearance"] > 1200
    assert max(sizes) < 30_000  # one text at a time, not all of them
    # A quote that is not where it says is still found out.
    bad = [json.loads(line) for line in lines]
    appearance = next(r for r in reversed(bad) if r["type"] == "appearance" and r.get("quote"))
    appearance["quote"] = "x" + appearance["quote"][1:]
    with pytest.raises(InvalidInput, match="the quote is not what source"), database.write() as s:
        import_jsonl(s, [json.dumps(r).encode() for r in bad])


def test_long_texts_are_written_a_few_at_a_time(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A batch is written once its texts reach the limit, not only after 2,000 records: a file
    # of long articles never holds all of them in memory at once.
    monkeypatch.setattr(importer, "_WRITE_BATCH_TEXT", 30_000)
    written: list[int] = []
    original = importer._Importer._sources

    def sources(self: importer._Importer, records: list[tuple[int, Any]]) -> None:
        written.append(len(records))
        original(self, records)

    monkeypatch.setattr(importer._Importer, "_sources", sources)
    lines = synth_lines(1200)  # 6 sources of about 20,000 characters
    with database.write() as session:
        summary = import_jsonl(session, lines)
    assert summary.added["source"] == 6 and summary.added["appearance"] > 1200
    assert written and max(written) <= 2 and sum(written) == 6


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.integers(1, 60)), max_size=80))
def test_id_runs_map_like_a_dict(pairs: list[tuple[int, int]]) -> None:
    runs, model = IdRuns(), {}
    for key, value in pairs:
        if key in model:
            continue
        runs.add(key, value)
        model[key] = value
    assert len(runs) == len(model)
    for key in range(0, 62):
        assert runs.get(key) == model.get(key)


def test_id_runs_of_consecutive_ids_stay_few() -> None:
    runs = IdRuns()
    keys = list(range(1, 100_001))
    head = keys[:1000]
    random.Random(1).shuffle(head)  # a little disorder at the start
    keys[:1000] = head
    for key in keys:
        runs.add(key)
    assert runs.runs == 1 and len(runs) == 100_000


def test_a_bad_stream_from_a_reader_is_refused() -> None:
    with pytest.raises(InvalidInput, match="the file is empty"):
        list(read_records(io.BytesIO(b"")))


def _guards(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%replace'"
            " ORDER BY name"
        ).fetchall()
    connection.close()
    return rows


def test_the_replace_guards_are_never_missing_outside_the_import(
    database: Database, db_path: Path
) -> None:
    """The import drops the triggers refusing INSERT OR REPLACE for its own inserts and puts
    them back in the same transaction: a reader (WAL) sees them all along, they are there after
    the import, and after a failed one."""
    guards = _guards(db_path)
    assert [name for name, _sql in guards] == [
        "history_no_replace", "verdict_evidence_no_replace", "verdict_retractions_no_replace",
        "verdicts_no_replace",
    ]  # fmt: skip
    seen_by_reader: list[list[tuple[str, str]]] = []
    lines = synth_lines(3000)

    def records() -> Iterator[tuple[int, AnyRecord]]:
        for number, record in read_records(lines):
            if number == len(lines):  # batches are written, the import's transaction is open
                seen_by_reader.append(_guards(db_path))
            yield number, record

    with database.write() as session:
        import_records(session, records())
    assert seen_by_reader == [guards]
    assert _guards(db_path) == guards
    with pytest.raises(InvalidInput), database.write() as session:
        import_jsonl(session, [*lines, b'{"type":"claim"}\n'])
    assert _guards(db_path) == guards
    with sqlite3.connect(db_path) as connection, pytest.raises(sqlite3.IntegrityError):
        connection.execute("INSERT OR REPLACE INTO history (id, table_name, row_id, action) "
                           "VALUES (1, 'claims', 1, 'delete')")  # fmt: skip
    connection.close()


CANONICAL_CLAIM = (
    b'{"type":"claim","id":1,"text":"A \\"quoted\\": claim","created_at":"2026-01-01"}'
)


@pytest.mark.parametrize(
    "line",
    [
        b'{"type":"claim","id":1,"id":2,"text":"x","created_at":"2026-01-01"}',
        b'{"type":"claim","id":1,"id" :2,"text":"x","created_at":"2026-01-01"}',
        b'{"type":"claim","id":1,"id"\t:2,"text":"x \\":","created_at":"2026-01-01"}',
        b'{"type":"claim","id":1,"i\\u0064":2,"text":"x","created_at":"2026-01-01"}',
        b'{"type":"verdict","id":1,"claim_id":1,"label":"x","evidence":[{"url":"a","url":"b"}],'
        b'"created_at":"2026-01-01"}',
    ],
)
def test_a_duplicate_key_is_refused_however_the_line_is_written(line: bytes) -> None:
    with pytest.raises(InvalidInput, match="duplicate key"):
        parse_line(line, 2)


@pytest.mark.parametrize(
    "line",
    [
        CANONICAL_CLAIM,  # as dumps() writes it: keys counted from the bytes
        CANONICAL_CLAIM.replace(b'"id":', b'"id" : '),  # keys counted by tokenising
        CANONICAL_CLAIM.replace(b"A ", b"\\u0041 "),  # strings checked for NUL
    ],
)
def test_a_line_reads_the_same_however_it_is_written(line: bytes) -> None:
    assert parse_line(line, 2) == parse_line(CANONICAL_CLAIM, 2)
    assert parse_line(line, 2).text == 'A "quoted": claim'


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.text(alphabet='a:"\\ ,{}[]', max_size=8), min_size=1, max_size=3),
    duplicate=st.sampled_from(["", '"id":2,', '"id" :2,', '"id"  :2,']),
)
def test_a_duplicate_key_is_found_whatever_the_texts_hold(texts: list[str], duplicate: str) -> None:
    # Texts of the characters that could fool counting keys from the bytes (quotes, colons,
    # backslashes, brackets, commas, spaces), and a key given twice, maybe with a space before
    # its colon, which the count misses.
    fields = {"type": "claim", "id": 1, "text": "x" + texts[0],
              "tags": ["t" + t for t in texts], "created_at": "2026-01-01T00:00:00Z"}  # fmt: skip
    line = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
    line = line.replace("{", "{" + duplicate, 1).encode()
    if duplicate:
        with pytest.raises(InvalidInput, match="duplicate key 'id'"):
            parse_line(line, 2)
    else:
        assert parse_line(line, 2).tags == [("t" + t).strip() for t in texts]


@pytest.mark.parametrize(
    "text",
    [
        "ends in a backslash \\",
        'a \\": b',
        'a \\\\": b',
        '"quoted":',
        'key\\" : value',
        ":a",
        '":',
        ",",
    ],
)
def test_texts_that_look_like_keys_are_read_back_as_written(text: str) -> None:
    record = ClaimRecord(id=1, text=text, tags=[text, ":b"], created_at="2026-01-01T00:00:00Z")
    line = dumps(record).encode()
    assert parse_line(line, 2) == record
    assert parse_line(line.replace(b'"id":', b'"id" :'), 2) == record
