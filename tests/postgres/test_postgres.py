"""The same models, migrations and CLI on a real PostgreSQL server (started by the tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from factcheck.db.migrate import HEAD_REVISION
from factcheck.db.sql_functions import index_words
from tests.helpers import HOSTILE_QUERIES, SEEDS, dump, fails, ok, run_cli, table_rows


def _psql(url: str, sql: str) -> None:
    """Run SQL as a user of the server would (outside factcheck)."""
    parsed = make_url(url)
    with psycopg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, dbname=parsed.database
    ) as connection:
        connection.execute(sql)


def test_seed_report_and_export_match_sqlite(pg_url: str, tmp_path: Path) -> None:
    ok("seed")
    assert ok("export").stdout.encode() == (SEEDS / "corpus.jsonl").read_bytes(), (
        "export from PostgreSQL differs from the seed corpus"
    )
    on_postgres = {
        fmt: ok("report", "contradictions", "--format", fmt).stdout
        for fmt in ("json", "markdown", "csv")
    }
    sources = ok("report", "sources", "--format", "json").stdout

    lite = str(tmp_path / "lite.db")
    ok("--db", lite, "seed")
    for fmt, text in on_postgres.items():
        assert ok("--db", lite, "report", "contradictions", "--format", fmt).stdout == text, fmt
    assert ok("--db", lite, "report", "sources", "--format", "json").stdout == sources
    assert ok("db", "check").exit_code == 0
    # The search index holds the same claims, on PostgreSQL as the words SQLite's index reads.
    assert table_rows(pg_url)["claim_search"] == [
        (claim_id, index_words(body)) for claim_id, body in table_rows(lite)["claim_search"]
    ]


def test_sequences_advance_after_imports_with_explicit_ids(pg_url: str, tmp_path: Path) -> None:
    ok("seed")
    before = ok("claim", "list", "--json").json()
    new_source = int(ok("source", "add", "--title", "After the import", "--key", "after").stdout)
    new_claim = int(ok("claim", "add", "A claim after the import", "--source", "after").stdout)
    assert new_source == 9
    assert new_claim == max(c["id"] for c in before) + 1

    # A file whose ids are far above anything the database has: they are kept, and the
    # sequences move past them.
    seed = [json.loads(line) for line in (SEEDS / "corpus.jsonl").read_text().splitlines()]
    source = next(r for r in seed if r["type"] == "source" and r["id"] == 2)
    claim = next(r for r in seed if r["type"] == "claim" and r["id"] == 1)
    appearance = next(r for r in seed if r["type"] == "appearance" and r["id"] == 1)
    records = [
        seed[0],
        {**source, "id": 500, "key": "far"},
        {**claim, "id": 9000, "text": "A claim with a high id", "entities": []},
        {**appearance, "id": 7000, "claim_id": 9000, "source_id": 500},
        {**claim, "id": 8000, "text": "Another claim with a high id", "entities": []},
        {
            "type": "suggestion_decision",
            "id": 600,
            "claim_a": 8000,
            "claim_b": 9000,
            "decision": "rejected",
            "relation": "supports",
            "created_at": "2026-01-01T00:00:00Z",
        },
    ]
    path = tmp_path / "far.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    ok("import", str(path))
    assert ok("claim", "show", "9000", "--json").json()["id"] == 9000
    assert int(ok("claim", "add", "Next one", "--source", "far").stdout) == 9001
    assert int(ok("source", "add", "--title", "Next source").stdout) == 501
    assert ok("suggest", "reject", "1-9001", "--json").json()[0]["id"] == 601


@pytest.mark.slow  # a new database per query (tests/cli runs them all on SQLite)
@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_any_string_is_a_valid_query(pg_url: str, query: str) -> None:
    ok("source", "add", "--title", "S", "--key", "s")
    ok("claim", "add", "It's the Quds Force's commander (NEAR: 50%)", "--source", "s")
    assert isinstance(ok("search", "--json", "--", query).json(), list)


@pytest.mark.usefixtures("seeded_pg")
def test_search_uses_full_text_with_prefixes() -> None:
    hits = {c["id"] for c in ok("search", "--json", "soleiman drone").json()}
    assert 3 in hits
    assert all("drone" in ok("claim", "show", str(i)).stdout.lower() for i in hits)
    # Quotes are searched as well as the claim's wording, as on SQLite.
    assert ok("search", "--json", "revenge").json() == ok("search", "--json", "REVENGE").json()
    assert ok("search", "--json", "qu'ds").json() == ok("search", "--json", "quds").json()


def test_append_only_tables_refuse_changes(seeded_pg: str) -> None:
    for sql in (
        "UPDATE history SET actor = 'x'",
        "DELETE FROM history",
        "UPDATE verdicts SET note = 'x'",
        "DELETE FROM verdict_evidence",
        "TRUNCATE history",
        "TRUNCATE verdict_evidence",
        "TRUNCATE claims CASCADE",
    ):
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            _psql(seeded_pg, sql)


def test_failures_leave_the_database_unchanged(seeded_pg: str, tmp_path: Path) -> None:
    before = table_rows(seeded_pg)
    fails("claim", "add", "x", "--source", "no-such-source")
    fails("link", "1", "1", "--relation", "contradicts")
    fails("verdict", "set", "1", "no-such-label")
    fails("source", "add", "--title", "Dup", "--key", "001-khan")
    # A file that is valid until its last line refers to a record that does not exist.
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"type": "source", "id": 1, "key": "fresh", "title": "Fresh"})
        + "\n"
        + json.dumps({"type": "appearance", "id": 1, "claim_id": 424242, "source_id": 1})
        + "\n"
    )
    fails("import", str(bad))
    assert table_rows(seeded_pg) == before


def test_an_error_of_the_driver_is_a_database_error_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A batch that fails in the import's writer thread raises psycopg's own error, not
    # SQLAlchemy's (db/bulk.py): it is told as a database error, not as a bug.
    from factcheck.cli.errors import report

    with pytest.raises(SystemExit) as exited:
        report(psycopg.errors.CheckViolation('new row for relation "appearances" violates'))
    assert exited.value.code == 1
    error = capsys.readouterr().err
    assert error.startswith('Error: database error: new row for relation "appearances"')
    assert "bug" not in error


@pytest.mark.new_database  # the copy creates the schema in a new database on the server
def test_copy_sqlite_to_postgresql_and_back_loses_nothing(pg_url: str, tmp_path: Path) -> None:
    lite = str(tmp_path / "team.db")
    ok("--db", lite, "seed")
    ok("--db", lite, "claim", "edit", "3", "--notes", "checked twice")
    ok("--db", lite, "claim", "edit", "3", "--clear", "notes")
    ok("--db", lite, "verdict", "set", "3", "mostly-true", "--note", "hedged wording")
    original = table_rows(lite)

    ok("--db", lite, "db", "copy", pg_url)
    # The search index holds, on PostgreSQL, the words of SQLite's bodies (revision 0015).
    words = [(claim_id, index_words(body)) for claim_id, body in original["claim_search"]]
    expected = {**original, "claim_search": words, "alembic_version": [(HEAD_REVISION,)]}
    assert table_rows(pg_url) == expected
    assert ok("db", "check").exit_code == 0
    assert ok("export").stdout == ok("--db", lite, "export").stdout
    # The copy is a working database: new ids continue after the copied ones.
    assert int(ok("claim", "add", "Added on the server", "--source", "001-khan").stdout) == 122

    back = str(tmp_path / "back.db")
    ok("db", "copy", back)
    copied = table_rows(back)
    server = table_rows(pg_url)
    assert [(i, index_words(body)) for i, body in copied["claim_search"]] == server["claim_search"]
    assert {k: v for k, v in copied.items() if k not in ("claims", "claim_search")} == {
        k: v for k, v in server.items() if k not in ("claims", "claim_search")
    }
    assert copied["claims"] == table_rows(pg_url)["claims"]


def test_copy_into_a_database_with_data_is_refused(pg_url: str, tmp_path: Path) -> None:
    ok("source", "add", "--title", "Already here")
    lite = tmp_path / "lite.db"
    ok("--db", str(lite), "seed")
    before = table_rows(pg_url)
    lite_before = dump(lite)
    assert "already holds data" in fails("--db", str(lite), "db", "copy", pg_url).stderr
    assert table_rows(pg_url) == before
    assert dump(lite) == lite_before


def test_migrations_round_trip_with_data(seeded_pg: str) -> None:
    ok("claim", "edit", "5", "--notes", "edited before the downgrade")
    before = table_rows(seeded_pg)
    for revision in ("0006", "0005", "0004", "0003", "0002", "0001"):
        ok("db", "downgrade", revision)
        ok("db", "upgrade")
        assert table_rows(seeded_pg) == before, revision
    ok("db", "downgrade", "base", "--yes")
    ok("db", "upgrade")
    assert ok("db", "current", "--json").json()["revision"] == HEAD_REVISION
    assert ok("verdict", "labels", "--json").json()[0]["label"] == "true"


WRITER = """
import sys
from factcheck.cli import main
writer, count = int(sys.argv[1]), int(sys.argv[2])
failures = 0
for n in range(count):
    try:
        main(["claim", "add", f"writer {writer} claim {n}", "--source", "shared"])
    except SystemExit as exc:
        failures += exc.code != 0
sys.exit(failures)
"""


@pytest.mark.slow  # writer processes at once
def test_concurrent_writers_and_an_import(pg_url: str, tmp_path: Path) -> None:
    """Claim adds (server-side ids) racing an import (explicit ids) never collide."""
    ok("source", "add", "--title", "Shared", "--key", "shared")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes((SEEDS / "corpus.jsonl").read_bytes())
    env = {**os.environ, "FACTCHECK_DB": pg_url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(w), "8"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    procs.append(
        subprocess.Popen(
            [sys.executable, "-m", "factcheck", "import", str(corpus)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    )
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    claims = ok("claim", "list", "--json", "--limit", "1000").json()
    ids = [c["id"] for c in claims]
    assert len(ids) == len(set(ids)) == 32 + 121
    writer_texts = {c["text"] for c in claims if c["text"].startswith("writer ")}
    assert writer_texts == {f"writer {w} claim {n}" for w in range(4) for n in range(8)}
    assert ok("db", "check").exit_code == 0


def test_db_commands_on_postgresql(seeded_pg: str, tmp_path: Path) -> None:
    report = ok("db", "check", "--json").json()
    assert report["ok"]
    assert [i["name"] for i in report["items"]] == [
        "schema revision",
        "server",
        "constraints",
        "write rules",
        "search index",
    ]
    # A claim edited behind factcheck's back: check says so and reindex repairs it.
    _psql(seeded_pg, "UPDATE claims SET text = 'changed by hand' WHERE id = 7")
    result = run_cli("db", "check", "--json")
    assert result.exit_code == 1
    assert "1 claims out of date" in result.stdout
    assert ok("db", "reindex").stdout.strip() == "Indexed 121 claims."
    assert ok("search", "--json", "changed by hand").json()[0]["id"] == 7
    assert "pg_dump" in fails("db", "backup", str(tmp_path / "copy.db")).stderr
    assert "Datasette serves SQLite files" in fails("db", "metadata").stderr


_CLAIM_COMMANDS = [
    ["entity", "add", "Qasem Soleimani", "--kind", "person", "--alias", "Haj Qasem"],
    ["entity", "add", "Iran"],
    ["entity", "add", "Bad", "--alias", "'''"],
    ["entity", "alias", "Iran", "Persia", "IRAN", "Islamic Republic"],
    ["entity", "add", "Iranian", "--alias", "persia"],
    ["entity", "show", "persia"],
    ["entity", "show", "Iranian", "--json"],
    ["entity", "list", "--json", "--limit", "2", "--offset", "1"],
    ["claim", "add", "New claim", "--source", "004-hard-revenge", "--quote",
     "Iran launched missile attacks", "--tag", "fresh", "--tag", "iran", "--tag", "fresh",
     "--entity", "Haj Qasem", "--entity", "Iran", "--json"],
    ["claim", "add", "New claim", "--source", "2", "--quote", "Soleimani", "--claimant", "X",
     "--stance", "denies", "--kind", "opinion", "--notes", "nn", "--json"],
    ["claim", "add", "Other", "--source", "nosuch"],
    ["claim", "add", "Other", "--source", "1", "--entity", "nobody"],
    ["claim", "add", "Other", "--source", "2", "--quote", "nowhere at all in it"],
    ["claim", "cite", "1", "--source", "3", "--quote", "Soleimani", "--json"],
    ["claim", "cite", "1", "--source", "3", "--quote", "Soleimani"],
    ["claim", "cite", "999", "--source", "3"],
    ["claim", "edit", "122", "--untag", "fresh", "--tag", "fresh", "--tag", "brand",
     "--unentity", "Iran", "--entity", "Iranian", "--text", "Edited", "--json"],
    ["claim", "edit", "122", "--untag", "nope"],
    ["claim", "edit", "122", "--unentity", "Iran"],
    ["claim", "show", "1", "--json"],
    ["claim", "show", "122"],
    ["claim", "list", "--json", "--limit", "3", "--offset", "2"],
    ["claim", "list", "--json", "--offset", "117"],
    ["claim", "list", "--source", "004-hard-revenge", "--tag", "fresh", "--json"],
    ["claim", "list", "--entity", "Iranian", "--kind", "fact", "--json"],
    ["claim", "list", "--tag", "nope"],
    ["claim", "list", "--verdict", "false", "--limit", "5"],
    ["claim", "list", "--verdict", "nope"],
    ["claim", "list", "--unreviewed", "--json"],
    ["log", "--json", "--limit", "40"],
]  # fmt: skip


def test_claim_and_entity_commands_match_sqlite(pg_url: str, tmp_path: Path) -> None:
    """The claim and entity services run the same SQL through a Store on both backends: the
    same output, the same rows and history."""
    import re

    stamp = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?(\+00:00|Z)?")
    lite = str(tmp_path / "lite.db")
    for db in (pg_url, lite):
        ok("--db", db, "seed")
    for args in _CLAIM_COMMANDS:
        on_postgres, on_sqlite = (run_cli("--db", db, *args) for db in (pg_url, lite))
        assert on_postgres.exit_code == on_sqlite.exit_code, args
        assert stamp.sub("T", on_postgres.stdout) == stamp.sub("T", on_sqlite.stdout), args
        assert on_postgres.stderr == on_sqlite.stderr, args
