"""The database in Datasette and sqlite-utils, with no configuration: their own full-text search
on claims finds what `factcheck search` finds, and SQL typed into them can call factcheck's SQL
functions (factcheck/plugins, registered through the package's entry points). Through a real
Datasette server on loopback and the real `sqlite-utils` command."""

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import HOSTILE_QUERIES, ok, run_cli

SQLITE_UTILS = str(Path(sys.executable).with_name("sqlite-utils"))

# Queries whose folding matters: apostrophes (straight and curly), case, a diacritic, words found
# through a quote rather than the claim's text, prefixes, words joined by punctuation, and queries
# with no word at all. None names an entity or a claimant: names are read by `factcheck search`
# only.
QUERIES = [
    "Soleimani",
    "Soleimani's",
    "SOLEIMANI\u2019S",
    "soleimani troops",
    "theres chance",
    "there's chance",
    "Kata\u2019ib",
    "Qāssem",
    "hezbollah avenge",
    "avenge",
    "assassinat",
    "al-Muhandis",
    "troops/withdraw",
    *HOSTILE_QUERIES,
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return bytes(response.read())


@contextmanager
def _datasette(db: Path, *options: str) -> Iterator[str]:
    """A Datasette server on loopback for `db`: its URL for the database."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", str(db), *options,
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/{db.stem}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}.json")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "Datasette did not start"
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _search_ids(db: Path, query: str) -> list[int]:
    return sorted(c["id"] for c in ok("--db", str(db), "search", "--json", "--", query).json())


def _rows(base: str, path: str, **params: str) -> list[dict[str, object]]:
    query = urllib.parse.urlencode({**params, "_shape": "array", "_size": "max"})
    found = json.loads(_get(f"{base}{path}?{query}"))
    assert isinstance(found, list), found
    return found


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Path:
    """The founding corpus, shared by the module's tests (which only read it)."""
    db = tmp_path_factory.mktemp("datasette") / "research.db"
    shutil.copyfile(seeded_template, db)
    return db


def test_datasette_search_finds_what_factcheck_search_finds(seeded: Path) -> None:
    expected = {query: _search_ids(seeded, query) for query in QUERIES}
    # Folding matters for these: an unfolded query would find nothing or fewer claims.
    assert len(expected["Soleimani's"]) > 10
    assert expected["Soleimani's"] == expected["SOLEIMANI\u2019S"]
    assert set(expected["Soleimani's"]) < set(expected["Soleimani"])
    assert expected["there's chance"] == expected["theres chance"] == [80]  # through its quote
    assert expected["Qāssem"] and expected["assassinat"]
    with _datasette(seeded) as base:  # no metadata, no option
        for query, ids in expected.items():
            rows = _rows(base, "/claims.json", _search=query) if query.strip() else None
            if rows is not None:
                assert sorted(int(str(r["id"])) for r in rows) == ids, query
        # The view of claims with their current verdicts is searched the same way.
        rows = _rows(base, "/claims_current.json", _search="Soleimani's")
        assert sorted(int(str(r["claim_id"])) for r in rows) == expected["Soleimani's"]
        # The search box is offered on claims.
        assert 'name="_search"' in _get(f"{base}/claims").decode()
        # Tables and views are described, the index and its queue hidden, as the metadata
        # file of `factcheck db metadata` would have them.
        assert "W3C TextQuote and TextPosition selectors" in _get(f"{base}/appearances").decode()
        assert "is_current" in _get(f"{base}/verdict_history").decode()
        tables = {t["name"]: t for t in json.loads(_get(f"{base}.json"))["tables"]}
        assert tables["claim_search_pending"]["hidden"] and tables["claim_search"]["hidden"]
        assert not tables["claims"]["hidden"]
        # SQL typed into Datasette can call factcheck's functions.
        sql = (
            "SELECT factcheck_fold('Kata\u2019ib HEZBOLLAH') AS key, (SELECT count(*) FROM "
            "claim_search WHERE claim_search MATCH factcheck_match('Soleimani''s')) AS found"
        )
        assert _rows(base, ".json", sql=sql) == [
            {"key": "kataib hezbollah", "found": len(expected["Soleimani's"])}
        ]


def test_datasette_search_of_another_database_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        connection.execute(
            'CREATE VIRTUAL TABLE notes_fts USING fts5(body, content="notes", content_rowid="id")'
        )
        connection.execute("INSERT INTO notes (body) VALUES ('Soleimani''s plan'), ('soleimanis')")
        connection.execute("INSERT INTO notes_fts (notes_fts) VALUES ('rebuild')")
    with _datasette(db) as base:
        # Datasette's own escaping: the phrase "soleimani s", no folding, no prefixes.
        assert [r["id"] for r in _rows(base, "/notes.json", _search="Soleimani's")] == [1]
        assert [r["id"] for r in _rows(base, "/notes.json", _search="soleimanis")] == [2]
        assert "One checkable proposition" not in _get(f"{base}/notes").decode()


def test_datasette_with_the_metadata_file(seeded: Path, tmp_path: Path) -> None:
    # For a Datasette without factcheck's plugin the file describes the tables; with it, the
    # two agree.
    metadata = tmp_path / "metadata.json"
    metadata.write_text(ok("--db", str(seeded), "db", "metadata").stdout, encoding="utf-8")
    with _datasette(seeded, "--metadata", str(metadata)) as base:
        found = _rows(base, "/claims.json", _search="soleimani troops")
        assert {int(str(row["id"])) for row in found} >= {32, 41, 44}
        found = _rows(base, "/claims.json", _search="Soleimani's")
        assert sorted(int(str(r["id"])) for r in found) == _search_ids(seeded, "Soleimani's")
        page = _get(f"{base}/appearances").decode()
        assert "W3C TextQuote and TextPosition selectors" in page
        view = _rows(base, "/contradiction_pairs.json", status="resolved")
        assert len(view) == 8


def _sqlite_utils(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SQLITE_UTILS, *args], capture_output=True, text=True, timeout=120)


def test_sqlite_utils_searches_claims_and_calls_factcheck_functions(seeded: Path) -> None:
    found = _sqlite_utils("search", str(seeded), "claims", "Soleimani", "--csv")
    assert found.returncode == 0, found.stderr
    ids = sorted(int(line.split(",")[0]) for line in found.stdout.splitlines()[1:])
    # sqlite-utils passes its query to FTS5 as it is: the word, not its prefixes.
    with sqlite3.connect(seeded) as connection:
        words = connection.execute(
            "SELECT rowid FROM claim_search WHERE claim_search MATCH 'soleimani' ORDER BY rowid"
        ).fetchall()
    assert ids == [row[0] for row in words] and len(ids) > 30
    assert set(ids) <= set(_search_ids(seeded, "Soleimani"))
    sql = (
        "SELECT factcheck_fold(:name) AS key, count(*) AS found FROM claim_search "
        "WHERE claim_search MATCH factcheck_match(:query)"
    )
    params = ["-p", "name", "Kata\u2019ib HEZBOLLAH", "-p", "query", "Soleimani's"]
    query = _sqlite_utils("query", str(seeded), sql, *params)
    assert query.returncode == 0, query.stderr
    assert json.loads(query.stdout) == [
        {"key": "kataib hezbollah", "found": len(_search_ids(seeded, "Soleimani's"))}
    ]


def test_sqlite_utils_still_cannot_write_past_the_history(seeded: Path) -> None:
    # The plugin registers the functions that read, not those that let a write through.
    before = ok("--db", str(seeded), "claim", "show", "1", "--json").json()
    write = _sqlite_utils("query", str(seeded), "UPDATE claims SET text = 'changed' WHERE id = 1")
    assert write.returncode != 0
    assert "no such function: factcheck_" in write.stderr + write.stdout
    assert ok("--db", str(seeded), "claim", "show", "1", "--json").json() == before


def test_an_index_dropped_by_sqlite_utils_is_found_and_recreated(
    tmp_path: Path, seeded_template: Path
) -> None:
    # Found as the claims' index, it is what `sqlite-utils disable-fts ... claims` drops.
    db = tmp_path / "research.db"
    shutil.copyfile(seeded_template, db)
    expected = _search_ids(db, "Soleimani's")
    dropped = _sqlite_utils("disable-fts", str(db), "claims")
    assert dropped.returncode == 0, dropped.stderr
    checked = run_cli("--db", str(db), "db", "check", "--json")
    assert checked.exit_code == 1
    items = {item["name"]: item for item in checked.json()["items"]}
    assert items["write rules"]["value"] == "1 missing or changed, first claim_search"
    assert items["write rules"]["advice"] == "run `factcheck db reindex`"
    assert "Indexed 121 claims" in ok("--db", str(db), "db", "reindex").stdout
    assert ok("--db", str(db), "db", "check", "--json").json()["ok"] is True
    assert _search_ids(db, "Soleimani's") == expected
    found = _sqlite_utils("search", str(db), "claims", "soleimanis", "--csv")
    assert found.returncode == 0 and len(found.stdout.splitlines()) > 10, found.stderr
