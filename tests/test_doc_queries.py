"""Every example query of the documentation (docs/schema.md, the README) runs against the seed
corpus, and its result is checked against the same answer found another way: from the tables
read whole in Python, or from a factcheck command."""

from __future__ import annotations

import re
import shlex
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from factcheck.docs import schema as schema_docs
from factcheck.text import fold
from tests.helpers import REPO, ok

SQL_BLOCK = re.compile(r"```sql\n(.*?)\n```", re.S)
SH_BLOCK = re.compile(r"```sh\n(.*?)\n```", re.S)


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return schema_docs.seeded_database(tmp_path_factory.mktemp("doc_queries"))


class Corpus:
    """The seed corpus's tables, read whole."""

    def __init__(self, db: Path) -> None:
        with sqlite3.connect(db) as connection:
            self.claims = {r[0]: r for r in connection.execute("SELECT id, text, kind FROM claims")}
            self.sources = dict(connection.execute("SELECT id, key FROM sources"))
            self.source_texts = dict(connection.execute("SELECT id, text FROM sources"))
            self.appearances = connection.execute(
                "SELECT id, claim_id, source_id, quote, quote_start, quote_end, anchor_status, "
                "prefix, suffix FROM appearances ORDER BY id"
            ).fetchall()
            self.labels = {
                r[0]: r for r in connection.execute("SELECT id, label, polarity FROM rating_labels")
            }
            self.verdicts = connection.execute(
                "SELECT id, claim_id, label_id, note FROM verdicts ORDER BY id"
            ).fetchall()
            self.links = connection.execute(
                "SELECT id, claim_a_id, claim_b_id, relation FROM links ORDER BY id"
            ).fetchall()
            self.entities = dict(connection.execute("SELECT id, name FROM entities"))
            self.aliases = connection.execute(
                "SELECT entity_id, alias FROM entity_aliases ORDER BY id"
            ).fetchall()
            self.mentions = connection.execute(
                "SELECT claim_id, entity_id FROM claim_entities"
            ).fetchall()

    def current(self, claim_id: int) -> tuple[str, str] | None:
        """The label and polarity of the claim's latest verdict."""
        latest = [v for v in self.verdicts if v[1] == claim_id]
        if not latest:
            return None
        _, label, polarity = self.labels[latest[-1][2]]
        return label, polarity

    def source_keys(self, claim_id: int) -> set[str]:
        return {self.sources[a[2]] for a in self.appearances if a[1] == claim_id}


def _run(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def _query(title: str) -> str:
    return next(sql for t, sql in schema_docs.QUERIES if t.startswith(title))


def test_the_docs_show_exactly_the_checked_queries() -> None:
    shown = SQL_BLOCK.findall((REPO / "docs" / "schema.md").read_text(encoding="utf-8"))
    assert shown == [sql for _, sql in schema_docs.QUERIES]
    assert len(CHECKS) == len(schema_docs.QUERIES)
    for title, _ in schema_docs.QUERIES:
        assert any(title.startswith(prefix) for prefix in CHECKS), title


def check_refuted(db: Path, corpus: Corpus, rows: list[tuple[Any, ...]]) -> None:
    expected = []
    for claim_id, text, _ in sorted(corpus.claims.values()):
        current = corpus.current(claim_id)
        if current and current[1] == "refuted":
            expected.append((claim_id, current[0], text[:70]))
    assert rows == expected and len(rows) > 5


def check_open_contradictions(db: Path, corpus: Corpus, rows: list[tuple[Any, ...]]) -> None:
    pairs = ok("--db", str(db), "report", "contradictions", "--format", "json").json()["pairs"]
    assert len(pairs) > 5
    expected = [p["link_id"] for p in pairs if p["status"] != "resolved"]
    assert [row[0] for row in rows] == sorted(expected)


def check_article_pairs(db: Path, corpus: Corpus, rows: list[tuple[Any, ...]]) -> None:
    # From the tables: each contradiction between a claim of one article and one of another.
    found: dict[tuple[str, str], set[int]] = defaultdict(set)
    for link_id, a, b, relation in corpus.links:
        if relation != "contradicts":
            continue
        for sa in corpus.source_keys(a):
            for sb in corpus.source_keys(b):
                if sa != sb:
                    found[(min(sa, sb), max(sa, sb))].add(link_id)
    expected = sorted(((*pair, len(ids)) for pair, ids in found.items()),
                      key=lambda r: (-r[2], r[0], r[1]))  # fmt: skip
    assert rows == expected
    # And as the contradiction report counts them.
    report = ok("--db", str(db), "report", "contradictions", "--format", "json").json()
    pairs = report["summary"]["source_pairs"]
    assert sorted(rows) == sorted((p["source_a"], p["source_b"], p["pairs"]) for p in pairs)


def check_verdicts_per_source(db: Path, corpus: Corpus, rows: list[tuple[Any, ...]]) -> None:
    counts: Counter[tuple[str, str | None]] = Counter()
    for source_id, claim_id in {(a[2], a[1]) for a in corpus.appearances}:
        current = corpus.current(claim_id)
        counts[(corpus.sources[source_id], current[0] if current else None)] += 1
    expected = sorted(((s, v, n) for (s, v), n in counts.items()),
                      key=lambda r: (r[0], -r[2], r[1] is not None, r[1] or ""))  # fmt: skip
    assert rows == expected


def check_repeated_claims(db: Path, corpus: Corpus, rows: list[tuple[Any, ...]]) -> None:
    expected = []
    for claim_id, text, _ in corpus.claims.values():
        keys = corpus.source_keys(claim_id)
        if len(keys) > 1:
            count = sum(1 for a in corpus.appearances if a[1] == claim_id)
            expected.append((claim_id, count, keys, text[:50]))
    expected.sort(key=lambda r: (-r[1], r[0]))
    assert [(r[0], r[1], set(r[2].split(", ")), r[3]) for r in rows] == expected
    assert len(rows) > 5


def check_predictions(db: Path, corpus: Corpus, rows: list[tuple[Any, ...]]) -> None:
    expected = [
        (claim_id, (corpus.current(claim_id) or (None,))[0], text[:70])
        for claim_id, text, kind in sorted(corpus.claims.values())
        if kind == "prediction"
    ]
    assert rows == expected and len(rows) > 5


def check_verdict_history(db: Path, corpus: Corpus, rows: list[tuple[Any, ...]]) -> None:
    history = [v for v in corpus.verdicts if v[1] == 43]
    expected = [
        (v[0], corpus.labels[v[2]][1], corpus.labels[v[2]][2], int(v is history[-1]), v[3][:70])
        for v in history
    ]
    assert rows == expected and rows


def check_search(db: Path, corpus: Corpus, rows: list[tuple[Any, ...]]) -> None:
    # The claims whose text or quotes, folded, have the word "hezbollah" and a word starting
    # with "avenge" (the query's `avenge*`).
    expected = set()
    for claim_id, text, _ in corpus.claims.values():
        quotes = [a[3] for a in corpus.appearances if a[1] == claim_id and a[3] is not None]
        words = re.findall(r"\w+", fold("\n".join([text, *quotes])))
        if "hezbollah" in words and any(w.startswith("avenge") for w in words):
            expected.add(claim_id)
    assert {row[0] for row in rows} == expected and expected
    assert all(row[1] == corpus.claims[row[0]][1][:70] for row in rows)
    found = {c["id"] for c in ok("--db", str(db), "search", "hezbollah avenge", "--json").json()}
    assert expected <= found


def check_spellings(db: Path, corpus: Corpus, rows: list[tuple[Any, ...]]) -> None:
    names = ("Qassem Soleimani", "Esmail Qaani", "Kata'ib Hezbollah")
    expected = []
    for entity_id, name in corpus.entities.items():
        if name in names:
            spellings = {alias for e, alias in corpus.aliases if e == entity_id}
            claims = sum(1 for _, e in corpus.mentions if e == entity_id)
            expected.append((name, spellings, claims))
    assert [(r[0], set(r[1].split(" / ")), r[2]) for r in rows] == sorted(expected)
    assert len(rows) == 3


def check_quote_positions(db: Path, corpus: Corpus, rows: list[tuple[Any, ...]]) -> None:
    expected = []
    for _, claim_id, source_id, quote, start, end, status, prefix, suffix in corpus.appearances:
        if claim_id == 1:
            # The offsets point at the quote in the source's text.
            assert corpus.source_texts[source_id][start:end] == quote
            passage = f"{prefix[-25:]}[{quote}]{suffix[:25]}"
            expected.append((corpus.sources[source_id], start, end, status, passage))
    assert rows == expected and len(rows) == 3


CHECKS = {
    "Claims whose current verdict": check_refuted,
    "Contradictions that still need work": check_open_contradictions,
    "Which articles contradict which": check_article_pairs,
    "Verdicts per source": check_verdicts_per_source,
    "Claims made in more than one article": check_repeated_claims,
    "Predictions and how they turned out": check_predictions,
    "A claim's verdict history": check_verdict_history,
    "Full-text search": check_search,
    "Every spelling of a name": check_spellings,
    "Where a claim's quotes stand": check_quote_positions,
}


@pytest.mark.parametrize("title", list(CHECKS))
def test_schema_example_query(seed_db: Path, title: str) -> None:
    CHECKS[title](seed_db, Corpus(seed_db), _run(seed_db, _query(title)))


def test_article_pairs_count_links_stored_either_way(seed_db: Path) -> None:
    # Keeping one order of the join (`sa.key < sb.key`) lost the links whose first claim is in
    # the later article: the seed corpus has one.
    old = _query("Which articles contradict which").replace(
        "min(sa.key, sb.key)", "sa.key").replace("max(sa.key, sb.key)", "sb.key").replace(
        "sa.key <> sb.key", "sa.key < sb.key")  # fmt: skip
    assert sum(r[2] for r in _run(seed_db, old)) < sum(
        r[2] for r in _run(seed_db, _query("Which articles contradict which"))
    )


def _readme_commands() -> list[list[str]]:
    """The README's shell examples that query the database with sqlite3 or sqlite-utils."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in SH_BLOCK.findall(readme):
        for command in re.split(r"\n(?=\S)", block):
            words = shlex.split(command, comments=True)
            if words and words[0] in ("sqlite3", "sqlite-utils") and "factcheck.db" in words:
                commands.append(words)
    return commands


def test_readme_queries(seed_db: Path) -> None:
    commands = _readme_commands()
    assert [c[:2] for c in commands] == [
        ["sqlite3", "-header"], ["sqlite-utils", "search"], ["sqlite-utils", "query"]
    ]  # fmt: skip
    corpus = Corpus(seed_db)
    refuted, search, query = commands
    # sqlite3's command line may be missing: its SQL runs through Python's sqlite3.
    rows = _run(seed_db, refuted[-1])
    expected = [(claim_id, label, text[:60]) for claim_id, label, text
                in _run(seed_db, _query("Claims whose current verdict"))]  # fmt: skip
    assert rows == [(claim_id, label, text[:60]) for claim_id, label, text in expected]
    assert all(corpus.current(r[0]) == (r[1], "refuted") for r in rows) and rows

    def sqlite_utils(words: list[str]) -> str:
        at = words.index("factcheck.db")
        argv = [str(Path(sys.executable).with_name("sqlite-utils")), *words[1:at], str(seed_db),
                *words[at + 1 :], "--csv"]  # fmt: skip
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    found = [int(line.split(",")[0]) for line in sqlite_utils(search).splitlines()[1:]]
    words = {cid for cid, text, _ in corpus.claims.values() if "soleimani" in fold(text).split()}
    assert words <= set(found) and len(found) > 30
    matched = sorted(int(line) for line in sqlite_utils(query).splitlines()[1:])
    term = query[query.index("-p") + 2]
    assert matched == sorted(c["id"] for c in ok("--db", str(seed_db), "search", term,
                                                  "--json").json())  # fmt: skip
    assert len(matched) > 10
