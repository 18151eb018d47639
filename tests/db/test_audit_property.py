"""The history is a complete audit trail, and nobody rewrites it.

A Hypothesis state machine makes random sequences of edits through the services (what every
command calls) and, for what no command can do (setting an optional column back to NULL), through
a factcheck session directly: sources added and edited (new texts re-anchor quotes), claims added,
cited and edited, tags and entities attached and removed, verdicts, links and unlinks, entities
and aliases, rating labels, refused edits, and removals (claims, appearances, sources with or
without their claims, entities, merges, spellings) with all that goes with them. After every
step, replaying `history` in id order from the freshly migrated database reproduces every audited
table's current rows exactly, each update's old values are the values it replaced, and a refused
edit leaves no history behind.

Then the append-only guards: raw SQL, through a connection of its own (sqlite3, Datasette,
sqlite-utils), can neither update, delete nor REPLACE a row of history, verdicts or verdict
evidence; it can still append.
"""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from factcheck.db.connection import connect
from factcheck.db.database import Database
from factcheck.db.engine import resolve_url
from factcheck.db.store import Store
from factcheck.errors import FactcheckError
from factcheck.models import (
    AUDITED_TABLES,
    Appearance,
    Base,
    Claim,
    Entity,
    HistoryEntry,
    Link,
    Source,
)
from factcheck.schemas import (
    AppearanceIn,
    ClaimEdit,
    ClaimIn,
    EntityIn,
    LabelIn,
    LinkIn,
    RetractionIn,
    SourceEdit,
    SourceIn,
    VerdictIn,
)
from factcheck.services import claims, entities, links, removal, sources, verdicts
from tests.helpers import dump, ok

TEXTS = [
    "Iran said it would respond. The strike killed Qassem Soleimani near Baghdad airport.",
    "Officials denied the report; US troops stayed in Iraq after the strike.",
    "Iran's response came on 8 January: missiles hit Ain al-Asad, and nobody was killed.",
]
# Passages of TEXTS (anchored exactly or normalised), and one that is in none of them.
QUOTES = ["Iran said it would respond", "the strike", "IRANS RESPONSE", "troops stayed", "zebra"]
ODD = [
    "",
    "  ",
    "O'Brien",
    'say "hi"',
    "'); DROP TABLE claims;--",
    "%_*",
    "\u202eevil",
    "a\nb",
    "\U0001f600",
    "e\u0301",
    "x" * 300,
]
WORDS = st.sampled_from(["Iran", "troops", "Soleimani", "Baghdad", "strike", "Qa'ani", "\u0251"])
SHORT = st.one_of(
    st.sampled_from(ODD),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12),
)
MAYBE = st.one_of(st.none(), SHORT)
NAMES = st.sampled_from(["Qassem Soleimani", "Qasem Suleimani", "Esmail Qaani", "IRGC", "Iraq"])
TAGS = st.lists(st.sampled_from(["start", "iran", "Iran", " x ", "ünï"]), max_size=3)
LABELS = st.sampled_from(["true", "false", "mixed", "FALSE", "unverifiable", "nope"])
INDEX = st.integers(min_value=0, max_value=50)
DATES = st.sampled_from(["2020", "2020-01", "2020-01-03", "2020-12-31", "2020-02-30"])
# Entities a claim mentions: mostly existing ones (an index into them), sometimes a bare name.
ENTITY_REFS = st.lists(st.one_of(INDEX, INDEX, INDEX, NAMES), max_size=2)

# Optional columns the commands can set but never clear (`--notes ""` means "leave it"), with
# values to set them to: the NULL transitions are made on the row itself, as any session can.
NULLABLE: list[tuple[type[Base], str, st.SearchStrategy[Any]]] = [
    (Source, "url", SHORT),
    (Source, "outlet", SHORT),
    (Source, "author", SHORT),
    (Source, "published", DATES),
    (Source, "language", st.sampled_from(["en", "fa"])),
    (Source, "notes", SHORT),
    (Claim, "notes", SHORT),
    (Appearance, "claimant", SHORT),
    (Link, "note", SHORT),
    (Entity, "notes", SHORT),
]


def jsonable(value: Any) -> Any:
    """A column's value as the history's JSON holds it: timestamps in ISO 8601."""
    return value.isoformat() if isinstance(value, datetime | date) else value


def replay(session: Session, baseline: dict[str, dict[int, dict[str, Any]]]) -> dict[str, Any]:
    """The audited tables as the history says they are, checking each entry against the row it
    changes: inserts take fresh ids, updates and deletes name the values they replace."""
    rows = {table: dict(baseline.get(table, {})) for table in AUDITED_TABLES}
    for entry in session.scalars(select(HistoryEntry).order_by(HistoryEntry.id)):
        table = rows[entry.table_name]
        where = (entry.id, entry.table_name, entry.row_id)
        if entry.action == "insert":
            assert entry.row_id not in table, where
            assert entry.old_values is None and entry.new_values is not None, where
            assert entry.new_values["id"] == entry.row_id, where
            table[entry.row_id] = dict(entry.new_values)
        elif entry.action == "update":
            assert entry.old_values is not None and entry.new_values is not None, where
            assert set(entry.old_values) == set(entry.new_values), where
            current = table[entry.row_id]
            assert {k: current[k] for k in entry.old_values} == entry.old_values, where
            assert entry.old_values != entry.new_values, where
            current.update(entry.new_values)
        else:
            assert entry.new_values is None, where
            assert table.pop(entry.row_id) == entry.old_values, where
    return rows


def current_rows(session: Session) -> dict[str, dict[int, dict[str, Any]]]:
    """Every audited table as stored, with values as the history records them (JSON-ready)."""
    found: dict[str, dict[int, dict[str, Any]]] = {}
    for name in AUDITED_TABLES:
        table = Base.metadata.tables[name]
        found[name] = {
            row["id"]: {k: jsonable(v) for k, v in row.items()}
            for row in session.execute(select(table)).mappings()
        }
    return found


class AuditMachine(RuleBasedStateMachine):
    """Random edits; the history must account for every one of them."""

    make_url: Callable[[], URL]  # set by the test: a new database per example

    def __init__(self) -> None:
        super().__init__()
        self.db = Database(self.make_url(), "auditor")
        self.db.ensure_schema()
        with self.db.read() as session:
            # Rows the migrations create (the default rating scale) have no history: they are
            # where the replay starts. Nothing else may exist before the first command.
            self.baseline = current_rows(session)
        assert {t for t, rows in self.baseline.items() if rows} == {
            "rating_scales",
            "rating_labels",
        }
        self.refused = 0
        self.steps = 0

    def teardown(self) -> None:
        self.db.close()

    # --- helpers ---------------------------------------------------------------------------

    def _count(self) -> int:
        with self.db.read() as session:
            return session.scalar(select(func.count(HistoryEntry.id))) or 0

    def _ids(self, model: type[Base]) -> list[int]:
        with self.db.read() as session:
            return list(session.scalars(select(model.id).order_by(model.id)))  # type: ignore[attr-defined]

    def _pick(self, model: type[Base], index: int) -> int | None:
        ids = self._ids(model)
        return ids[index % len(ids)] if ids else None

    def _entities(self, refs: list[int | str]) -> list[str]:
        """Names pass as typed; an index names an existing entity by id (none yet: left out)."""
        found = [ref if isinstance(ref, str) else self._pick(Entity, ref) for ref in refs]
        return [str(ref) for ref in found if ref is not None]

    def _write(self, change: Callable[[Session], object]) -> None:
        """Run one change as a command does; a refused one must leave no history behind."""
        self.steps += 1
        before = self._count()
        try:
            with self.db.write() as session:
                change(session)
        except (FactcheckError, ValidationError):
            self.refused += 1
            assert self._count() == before

    # --- rules -----------------------------------------------------------------------------

    @initialize()
    def start(self) -> None:
        """Two sources with texts, an entity and two claims, so that every edit has material."""
        for number, text in enumerate(TEXTS[:2]):
            source = SourceIn(title=f"S{number}", text=text)
            self._write(lambda s, source=source: sources.add_source(Store.of(s), source))
        self._write(lambda s: entities.add_entity(Store.of(s), EntityIn(name="Iran", kind="place")))
        for number, quote in enumerate(["Iran said", "troops stayed"]):
            claim = ClaimIn(
                text=f"Claim {number}",
                entities=["1"],
                tags=["start"],
                appearance=AppearanceIn(source=str(number + 1), quote=quote),
            )
            self._write(lambda s, claim=claim: claims.add_claim(Store.of(s), claim))
        assert self.refused == 0

    @rule(
        title=SHORT,
        url=MAYBE,
        author=MAYBE,
        published=st.one_of(st.none(), DATES),
        text=st.one_of(st.none(), st.sampled_from(TEXTS)),
        key=st.sampled_from([None, None, "src", "iran-1"]),
    )
    def add_source(
        self,
        title: str,
        url: str | None,
        author: str | None,
        published: str | None,
        text: str | None,
        key: str | None,
    ) -> None:
        self._write(
            lambda s: sources.add_source(
                Store.of(s),
                SourceIn(
                    title=title, url=url, author=author, published=published, text=text, key=key
                ),
            )
        )

    @rule(
        index=INDEX,
        title=st.one_of(st.none(), SHORT),
        outlet=MAYBE,
        text=st.one_of(st.none(), st.sampled_from(TEXTS)),
        kind=st.sampled_from([None, "report", "post"]),
    )
    def edit_source(
        self, index: int, title: str | None, outlet: str | None, text: str | None, kind: str | None
    ) -> None:
        source_id = self._pick(Source, index)
        if source_id is not None:
            self._write(
                lambda s: sources.edit_source(
                    Store.of(s),
                    str(source_id),
                    SourceEdit(title=title, outlet=outlet, text=text, kind=kind),
                )
            )

    @rule(
        index=INDEX,
        text=st.one_of(WORDS, SHORT),
        quote=st.one_of(st.none(), st.sampled_from(QUOTES)),
        claimant=MAYBE,
        tags=TAGS,
        entity_refs=ENTITY_REFS,
        notes=MAYBE,
        unanchored=st.booleans(),
    )
    def add_claim(
        self,
        index: int,
        text: str,
        quote: str | None,
        claimant: str | None,
        tags: list[str],
        entity_refs: list[int | str],
        notes: str | None,
        unanchored: bool,
    ) -> None:
        source_id = self._pick(Source, index)
        if source_id is not None:
            self._write(
                lambda s: claims.add_claim(
                    Store.of(s),
                    ClaimIn(
                        text=text,
                        notes=notes,
                        tags=tags,
                        entities=self._entities(entity_refs),
                        appearance=AppearanceIn(
                            source=str(source_id),
                            quote=quote,
                            claimant=claimant,
                            unanchored=unanchored,
                        ),
                    ),
                )
            )

    @rule(
        claim=INDEX,
        source=INDEX,
        quote=st.one_of(st.none(), st.sampled_from(QUOTES)),
        claimant=MAYBE,
        stance=st.sampled_from(["asserts", "reports", "denies"]),
    )
    def cite_claim(
        self, claim: int, source: int, quote: str | None, claimant: str | None, stance: str
    ) -> None:
        claim_id, source_id = self._pick(Claim, claim), self._pick(Source, source)
        if claim_id is not None and source_id is not None:
            self._write(
                lambda s: claims.cite_claim(
                    Store.of(s),
                    claim_id,
                    AppearanceIn(
                        source=str(source_id),
                        quote=quote,
                        claimant=claimant,
                        stance=stance,
                        unanchored=True,
                    ),
                )
            )

    @rule(
        index=INDEX,
        text=st.one_of(st.none(), WORDS),
        kind=st.sampled_from([None, "opinion"]),
        notes=MAYBE,
        add=TAGS,
        remove=TAGS,
        add_entities=ENTITY_REFS,
        remove_entities=st.lists(st.one_of(INDEX, NAMES), max_size=1),
    )
    def edit_claim(
        self,
        index: int,
        text: str | None,
        kind: str | None,
        notes: str | None,
        add: list[str],
        remove: list[str],
        add_entities: list[int | str],
        remove_entities: list[int | str],
    ) -> None:
        claim_id = self._pick(Claim, index)
        if claim_id is not None:
            self._write(
                lambda s: claims.edit_claim(
                    Store.of(s),
                    claim_id,
                    ClaimEdit(
                        text=text,
                        kind=kind,
                        notes=notes,
                        add_tags=add,
                        remove_tags=remove,
                        add_entities=self._entities(add_entities),
                        remove_entities=self._entities(remove_entities),
                    ),
                )
            )

    @rule(
        index=INDEX,
        label=LABELS,
        note=MAYBE,
        evidence=st.lists(
            st.sampled_from(["1", "2", "iran-1", "https://x.org/a", "nope"]), max_size=2
        ),
    )
    def set_verdict(self, index: int, label: str, note: str | None, evidence: list[str]) -> None:
        claim_id = self._pick(Claim, index)
        if claim_id is not None:
            self._write(
                lambda s: verdicts.set_verdict(
                    Store.of(s),
                    VerdictIn(claim_id=claim_id, label=label, note=note, evidence=evidence),
                )
            )

    @rule(index=INDEX, note=MAYBE)
    def retract_verdict(self, index: int, note: str | None) -> None:
        claim_id = self._pick(Claim, index)
        if claim_id is not None:
            self._write(
                lambda s: verdicts.retract_verdict(
                    Store.of(s), RetractionIn(claim_id=claim_id, note=note)
                )
            )

    @rule(
        a=INDEX,
        b=INDEX,
        note=MAYBE,
        relation=st.sampled_from(["contradicts", "supports", "refines", "duplicates"]),
    )
    def link(self, a: int, b: int, note: str | None, relation: str) -> None:
        claim_a, claim_b = self._pick(Claim, a), self._pick(Claim, b)
        if claim_a is not None and claim_b is not None:
            self._write(
                lambda s: links.add_link(
                    Store.of(s),
                    LinkIn(claim_a=claim_a, claim_b=claim_b, relation=relation, note=note),
                )
            )

    @rule(index=INDEX)
    def unlink(self, index: int) -> None:
        link_id = self._pick(Link, index)
        if link_id is not None:
            self._write(lambda s: links.remove_link(Store.of(s), link_id))

    @rule(
        name=NAMES,
        aliases=st.lists(st.one_of(NAMES, SHORT), max_size=2),
        notes=MAYBE,
        kind=st.sampled_from(["person", "place", "other"]),
    )
    def add_entity(self, name: str, aliases: list[str], notes: str | None, kind: str) -> None:
        self._write(
            lambda s: entities.add_entity(
                Store.of(s), EntityIn(name=name, aliases=aliases, notes=notes, kind=kind)
            )
        )

    @rule(ref=st.one_of(INDEX, NAMES), aliases=st.lists(st.one_of(NAMES, SHORT), max_size=2))
    def alias(self, ref: int | str, aliases: list[str]) -> None:
        found = self._entities([ref])
        if found:
            self._write(lambda s: entities.add_aliases(Store.of(s), found[0], aliases))

    # Removals: the history must hold every row they take, the cascaded ones included.
    @rule(index=INDEX)
    def delete_claim(self, index: int) -> None:
        claim_id = self._pick(Claim, index)
        if claim_id is not None:
            self._write(lambda s: removal.delete_claim(Store.of(s), claim_id))

    @rule(index=INDEX)
    def uncite(self, index: int) -> None:
        appearance_id = self._pick(Appearance, index)
        if appearance_id is not None:
            with self.db.read() as session:
                claim_id = session.get_one(Appearance, appearance_id).claim_id
            self._write(lambda s: removal.uncite_claim(Store.of(s), claim_id, appearance_id))

    @rule(index=INDEX, cascade=st.booleans())
    def delete_source(self, index: int, cascade: bool) -> None:
        source_id = self._pick(Source, index)
        if source_id is not None:
            self._write(lambda s: removal.delete_source(Store.of(s), str(source_id), cascade))

    @rule(index=INDEX)
    def delete_entity(self, index: int) -> None:
        found = self._entities([index])
        if found:
            self._write(lambda s: entities.delete_entity(Store.of(s), found[0]))

    @rule(a=INDEX, b=INDEX)
    def merge_entities(self, a: int, b: int) -> None:
        found = self._entities([a, b])
        if len(found) == 2:
            self._write(lambda s: entities.merge_entities(Store.of(s), found[0], found[1]))

    @rule(ref=INDEX, aliases=st.lists(st.one_of(NAMES, SHORT), min_size=1, max_size=2))
    def unalias(self, ref: int, aliases: list[str]) -> None:
        found = self._entities([ref])
        if found:
            self._write(lambda s: entities.remove_aliases(Store.of(s), found[0], aliases))

    @rule(label=st.sampled_from(["unproven", "satire", "true"]), description=MAYBE)
    def define_label(self, label: str, description: str | None) -> None:
        # Each label can be defined once ("true" never): later attempts are refused edits.
        self._write(
            lambda s: verdicts.define_label(
                Store.of(s), LabelIn(label=label, polarity="none", description=description)
            )
        )

    @rule(column=st.sampled_from(NULLABLE), index=INDEX, data=st.data())
    def null_transition(
        self, column: tuple[type[Base], str, st.SearchStrategy[Any]], index: int, data: Any
    ) -> None:
        """An optional column to NULL, or from NULL (or anything) to a value."""
        model, name, values = column
        row_id = self._pick(model, index)
        if row_id is None:
            return
        value = data.draw(st.one_of(st.none(), values))

        def change(session: Session) -> None:
            setattr(session.get(model, row_id), name, value)

        self._write(change)

    # --- the property ----------------------------------------------------------------------

    @invariant()
    def history_replays_to_the_current_rows(self) -> None:
        with self.db.read() as session:
            assert replay(session, self.baseline) == current_rows(session)


@pytest.mark.slow  # a hypothesis state machine, on both backends
def test_history_replays_to_every_current_row(migrated_url: Callable[[str], URL]) -> None:
    numbers = itertools.count()

    class Machine(AuditMachine):
        def make_url(self) -> URL:
            return migrated_url(f"audit-{next(numbers)}")

    run_state_machine_as_test(
        Machine,
        # Bounded for the suite (about 8 s here). Run by hand with max_examples=200,
        # stateful_step_count=50 it found the untag-and-tag-again bug (now fixed, see
        # test_a_tag_removed_and_added_back_in_one_edit); after the fix, 100 x 40: no failure.
        settings=settings(
            max_examples=20,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    assert next(numbers) >= 10  # examples really ran, each on its own database


# --- append-only tables ----------------------------------------------------------------------

APPEND_ONLY = ("history", "verdicts", "verdict_evidence", "verdict_retractions")

# Each rewrites or removes row 1 (which exists) of {table}; {columns} are its column names.
REWRITES = {
    "update a column": "UPDATE {table} SET {column} = {column} || '' WHERE id = 1",
    "update the id": "UPDATE {table} SET id = 1000 WHERE id = 1",
    "delete one row": "DELETE FROM {table} WHERE id = 1",
    "delete every row": "DELETE FROM {table}",
    "insert or replace": "INSERT OR REPLACE INTO {table} SELECT * FROM {table} WHERE id = 1",
    "replace into": "REPLACE INTO {table} SELECT * FROM {table} WHERE id = 1",
    "upsert": "INSERT INTO {table} SELECT * FROM {table} WHERE id = 1 "
    "ON CONFLICT (id) DO UPDATE SET id = excluded.id",
}
# A text column of each table to rewrite.
TEXT_COLUMN = {
    "history": "actor",
    "verdicts": "note",
    "verdict_evidence": "url",
    "verdict_retractions": "note",
}


def _verdict(db: str) -> None:
    """A database with a claim, a verdict and its evidence, and a second verdict retracted,
    built once for the tests below."""
    ok("--db", db, "source", "add", "--title", "S", "--key", "s")
    ok("--db", db, "claim", "add", "C", "--source", "s")
    ok("--db", db, "verdict", "set", "1", "false", "--evidence", "https://x.org/", "--note", "n")
    ok("--db", db, "verdict", "set", "1", "true")
    ok("--db", db, "verdict", "retract", "1", "--note", "why", "--yes")


@pytest.fixture
def with_verdict(db_path: Path, template: Callable[[Callable[[str], None]], Path]) -> Path:
    shutil.copyfile(template(_verdict), db_path)
    return db_path


def test_the_append_only_tables_are_the_ones_guarded(with_verdict: Path) -> None:
    with sqlite3.connect(with_verdict) as connection:
        triggers = {
            (table, name)
            for name, table in connection.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE '%\\_no\\_%' ESCAPE '\\'"
            )
        }
    assert triggers == {
        (table, f"{table}_no_{what}")
        for table in APPEND_ONLY
        for what in ("update", "delete", "replace")
    }


@pytest.mark.parametrize("rewrite", sorted(REWRITES))
@pytest.mark.parametrize("table", APPEND_ONLY)
def test_raw_sql_cannot_rewrite_an_append_only_table(
    with_verdict: Path, table: str, rewrite: str
) -> None:
    before = dump(with_verdict)
    statement = REWRITES[rewrite].format(table=table, column=TEXT_COLUMN[table])
    # A connection with factcheck's SQL functions, which may write (plain sqlite3 may not write
    # audited tables at all: tests/cli/test_db_commands.py), is still refused.
    with connect(with_verdict) as connection:
        assert connection.execute(f"SELECT count(*) FROM {table} WHERE id = 1").fetchone()[0] == 1
        with pytest.raises(sqlite3.DatabaseError, match=f"{table} is append-only"):
            connection.execute(statement)
    assert dump(with_verdict) == before


def test_append_only_tables_still_take_new_rows(with_verdict: Path) -> None:
    with connect(with_verdict) as connection:
        connection.execute(
            "INSERT INTO verdicts (claim_id, label_id, note, created_at) "
            "VALUES (1, 1, 'by hand', '2026-01-01 00:00:00')"
        )
        connection.execute(
            "INSERT OR REPLACE INTO verdict_evidence (verdict_id, url) VALUES (2, 'u')"
        )
    assert ok("claim", "show", "1", "--json").json()["verdict"]["note"] == "by hand"
    with connect(with_verdict) as connection:
        connection.execute(
            "INSERT INTO verdict_retractions (verdict_id, note, created_at) "
            "VALUES (3, 'by hand too', '2026-01-01 00:00:00')"
        )
    assert ok("claim", "show", "1", "--json").json()["verdict"]["note"] == "n"


def test_a_tag_removed_and_added_back_in_one_edit(db_path: Path, corpus: dict[str, int]) -> None:
    """Found by the state machine: the new claim_tags row was inserted before the old one was
    deleted, and the edit failed on the unique (claim, tag) pair."""
    claim = str(corpus["respond"])
    edited = ok("claim", "edit", claim, "--untag", "retaliation", "--tag", "retaliation", "--json")
    assert edited.json()["tags"] == ["retaliation"]
    database = Database(resolve_url(), "auditor")
    with database.read() as session:
        assert replay(session, {}) == {
            **current_rows(session),
            "rating_scales": {},
            "rating_labels": {},
        }
    database.close()
