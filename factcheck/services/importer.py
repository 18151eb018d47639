"""The import engine: records (from a jsonl dump or a dataset's reader) checked and written.

Import is all-or-nothing and idempotent: every record is validated (and every reference checked)
as it is read and written in batches inside the caller's one transaction, so an error anywhere
leaves nothing written; records already in the database (same source key, entity name, claim
text, appearance, verdict, retraction or link) are recognised and not added twice. Ids from the
file are kept where they are free, so a dump loaded into an empty database exports byte for byte
the same. The import streams: its memory does not grow with the file.
"""

from __future__ import annotations

import gc
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, TypeDecorator, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from factcheck.db.bulk import BulkWriter
from factcheck.db.ids import IdRuns, advance_sequences, highest_id_ever, lock_for_explicit_ids
from factcheck.errors import Conflict, FactcheckError, InvalidInput, NotFound, SetAside
from factcheck.interchange.jsonl import read_records
from factcheck.interchange.records import (
    AnyRecord,
    AppearanceRecord,
    ClaimRecord,
    DecisionRecord,
    EntityRecord,
    EvidenceRecord,
    ExtractionDecisionRecord,
    LabelRecord,
    LinkRecord,
    RetractionRecord,
    ScaleRecord,
    SourceRecord,
    SourceVersionRecord,
    VerdictRecord,
)
from factcheck.models import Base
from factcheck.schemas import Output
from factcheck.services.record_rows import row_maker
from factcheck.services.sources import sha256
from factcheck.text import fold
from factcheck.vocab import SYMMETRIC_RELATIONS

# The order records are written in, and the order an import applies them in.
RECORD_ORDER = (
    "rating_scale",
    "rating_label",
    "source",
    "source_version",
    "entity",
    "claim",
    "appearance",
    "verdict",
    "verdict_retraction",
    "link",
    "suggestion_decision",
    "extraction_decision",
)
_BATCH = 1000


class ImportSummary(Output):
    """How many records of each type were added, and how many were already there."""

    added: dict[str, int]
    existing: dict[str, int]
    dry_run: bool = False
    # With --rejects: rows in the file, and how many were set aside.
    rows: int | None = None
    rejected: int | None = None
    # What the file's format cannot carry, for the researcher to know (the CSV's limits).
    note: str | None = None


# --- import ---------------------------------------------------------------------------------
#
# The import streams: records are validated as they are read and written a batch at a time with
# multi-row Core inserts (the database's triggers add their history rows and search entries),
# all in the caller's one transaction, so a bad record anywhere still leaves nothing behind.
# Nothing proportional to the file is kept: file ids map to database ids as runs (IdRuns),
# natural keys are looked up in the database batch by batch, and source texts (for checking
# anchors) sit in a cache of bounded size. Only records that refer to a record further down the
# file wait in memory until the end.

# Records per batch: large enough that a statement's overhead is spread thin, small enough for
# SQLite's bound-parameter limit in the IN lists of the natural-key look-ups.
_WRITE_BATCH = 2000
# Characters of text (sources' and their versions', claims') per batch: a batch of 2,000 long
# articles would hold tens of megabytes at once, however short the rest of the file.
_WRITE_BATCH_TEXT = 8 * 1024 * 1024
# Source texts kept for anchor checks, in characters; past it the least recently used go.
_TEXT_BUDGET = 16 * 1024 * 1024
# SQLite's page cache during an import, in KiB.
_PAGE_CACHE_KIB = 64 * 1024
# Batches between two full runs of the garbage collector (see _collector_for_bulk_loads).
_COLLECT_EVERY = 10

# Every table an import writes. Each gets explicit ids (so history rows need no RETURNING), so
# on PostgreSQL each is locked against other inserts and its sequence moved on at the end.
IMPORT_TABLES: list[Table] = [
    Base.metadata.tables[name]
    for name in (
        "rating_scales",
        "rating_labels",
        "sources",
        "source_versions",
        "entities",
        "entity_aliases",
        "tags",
        "claims",
        "claim_tags",
        "claim_entities",
        "appearances",
        "verdicts",
        "verdict_evidence",
        "verdict_retractions",
        "links",
        "suggestion_decisions",
        "extraction_decisions",
    )
]
# The record types that carry ids of their own.
_WITH_IDS = tuple(kind for kind in RECORD_ORDER if kind not in ("rating_scale", "rating_label"))
# The record types others refer to by their file ids.
_REFERRED = ("source", "entity", "claim", "verdict", "link")
_RANK = {kind: rank for rank, kind in enumerate(RECORD_ORDER)}

# The columns the look-ups read: the tables' own (Core), not the ORM classes', whose first select
# configures every mapper and whose statements compile slower, for objects the import never loads.
_TABLES = Base.metadata.tables
_SCALES = _TABLES["rating_scales"].c
_LABELS = _TABLES["rating_labels"].c
_SOURCES = _TABLES["sources"].c
_TAGS = _TABLES["tags"].c
_CLAIMS = _TABLES["claims"].c
_CLAIM_TAGS = _TABLES["claim_tags"].c
_CLAIM_ENTITIES = _TABLES["claim_entities"].c

# The rows each table is written with: a record's fields and the ids the import gives it.
_SCALE_ROW = row_maker(ScaleRecord, ("id",))
_LABEL_ROW = row_maker(LabelRecord, ("id", "scale_id"))
_SOURCE_ROW = row_maker(SourceRecord, ("id", "text_sha256"))
_SOURCE_VERSION_ROW = row_maker(SourceVersionRecord, ("id", "source_id", "text_sha256"))
_ENTITY_ROW = row_maker(EntityRecord, ("id",))
_ALIAS_ROW = row_maker("entity_aliases", ("id", "entity_id", "alias", "alias_key"))
_TAG_ROW = row_maker("tags", ("id", "name"))
_CLAIM_ROW = row_maker(ClaimRecord, ("id",))
_CLAIM_TAG_ROW = row_maker("claim_tags", ("id", "claim_id", "tag_id"))
_CLAIM_ENTITY_ROW = row_maker("claim_entities", ("id", "claim_id", "entity_id"))
_APPEARANCE_ROW = row_maker(AppearanceRecord, ("id", "claim_id", "source_id"))
_VERDICT_ROW = row_maker(VerdictRecord, ("id", "claim_id", "label_id"))
_EVIDENCE_ROW = row_maker(EvidenceRecord, ("id", "verdict_id", "source_id"))
_LINK_ROW = row_maker(LinkRecord, ("id", "claim_a_id", "claim_b_id"))
_DECISION_ROW = row_maker(DecisionRecord, ("id", "claim_a_id", "claim_b_id", "link_id"))
_RETRACTION_ROW = row_maker(RetractionRecord, ("id", "verdict_id"))
_EXTRACTION_ROW = row_maker(ExtractionDecisionRecord, ("id", "source_id", "claim_id"))


def _check_source(number: int, record: SourceRecord | SourceVersionRecord) -> None:
    if record.text is not None and record.text_sha256 not in (None, sha256(record.text)):
        raise InvalidInput(f"line {number}: text_sha256 does not match the text")


def _check_appearance(number: int, record: AppearanceRecord) -> None:
    if (record.start is None) != (record.end is None):
        raise InvalidInput(f"line {number}: an appearance has both start and end, or neither")
    if record.start is not None and record.end is not None and record.end < record.start:
        raise InvalidInput(f"line {number}: end {record.end} is before start {record.start}")
    anchored = record.anchor_status in ("exact", "normalised")
    if anchored != (record.start is not None):
        raise InvalidInput(
            f"line {number}: an appearance is {record.anchor_status} exactly when it has "
            "start and end"
        )
    if record.anchor_status == "none" and record.quote is not None:
        raise InvalidInput(f"line {number}: anchor_status none, but a quote is given")
    if record.anchor_status != "none" and record.quote is None:
        raise InvalidInput(f"line {number}: anchor_status {record.anchor_status} needs a quote")


def _check_verdict(number: int, record: VerdictRecord) -> None:
    for e in record.evidence:
        if e.source_id is None and e.url is None:
            raise InvalidInput(f"line {number}: evidence needs a source_id or a url")


def _check_link(number: int, record: LinkRecord) -> None:
    if record.claim_a == record.claim_b:
        raise InvalidInput(f"line {number}: a claim cannot be linked to itself")


def _check_decision(number: int, record: DecisionRecord) -> None:
    if record.claim_a == record.claim_b:
        raise InvalidInput(f"line {number}: a suggestion pairs two different claims")


def _check_extraction(number: int, record: ExtractionDecisionRecord) -> None:
    if record.end <= record.start:
        raise InvalidInput(f"line {number}: end {record.end} is not after start {record.start}")
    if (record.decision == "accepted") != (record.claim_id is not None):
        raise InvalidInput(
            f"line {number}: an extraction decision has a claim_id exactly when accepted"
        )


# The checks a record passes or fails on its own, before any other record is looked at, by type
# (a look-up per record: the import checks every record).
_CHECKS: dict[str, Callable[[int, Any], None]] = {
    "source": _check_source,
    "source_version": _check_source,
    "appearance": _check_appearance,
    "verdict": _check_verdict,
    "link": _check_link,
    "suggestion_decision": _check_decision,
    "extraction_decision": _check_extraction,
}


def _verdict_references(record: VerdictRecord) -> list[tuple[str, int]]:
    sources = [("source", e.source_id) for e in record.evidence if e.source_id is not None]
    return [("claim", record.claim_id), *sources]


# The records of the file a record refers to, by type and file id, in the order checked.
_REFERENCES: dict[str, Callable[[Any], list[tuple[str, int]]]] = {
    "claim": lambda r: [("entity", ref) for ref in r.entities],
    "source_version": lambda r: [("source", r.source_id)],
    "appearance": lambda r: [("claim", r.claim_id), ("source", r.source_id)],
    "verdict": _verdict_references,
    "verdict_retraction": lambda r: [("verdict", r.verdict_id)],
    "link": lambda r: [("claim", r.claim_a), ("claim", r.claim_b)],
    "suggestion_decision": lambda r: [
        ("claim", r.claim_a),
        ("claim", r.claim_b),
        *([] if r.link_id is None else [("link", r.link_id)]),
    ],
    "extraction_decision": lambda r: [
        ("source", r.source_id),
        *([] if r.claim_id is None else [("claim", r.claim_id)]),
    ],
}


def _references(record: Any) -> list[tuple[str, int]]:
    """The records of the file this one refers to, by type and file id, in the order checked."""
    find = _REFERENCES.get(record.type)
    return [] if find is None else find(record)


class _Ids:
    """Ids for the new rows of one table: the file's own id when it is free and above every id
    the table has ever used (ids are never reused), else the next unused one."""

    def __init__(self, connection: Connection, table: Table) -> None:
        self.floor = highest_id_ever(connection, table)
        self.used = IdRuns()
        self.next = self.floor + 1
        self.high = self.floor  # the highest id the table has or was given

    def take(self, wanted: int | None = None) -> int:
        if wanted is not None and wanted > self.high:  # the usual case: above every id so far
            self.used.add(wanted)
            self.high = wanted
            return wanted
        if wanted is None or (wanted <= self.floor or self.used.get(wanted) is not None):
            # The next unused id: every id from the floor up to `next` is used.
            while self.next <= self.high and self.used.get(self.next) is not None:
                self.next += 1
            wanted = self.next
            self.next += 1
        self.used.add(wanted)
        self.high = max(self.high, wanted)
        return wanted


class _SourceTexts:
    """Source texts by database id, for checking anchors: this import's sources as they are
    written, others read when an appearance needs them; past a budget the least recently used
    are dropped (and read again if needed), so a file of many long texts does not fill memory."""

    def __init__(self, connection: Connection, budget: int | None = None) -> None:
        self.connection = connection
        self.budget = _TEXT_BUDGET if budget is None else budget
        self.size = 0
        self.texts: OrderedDict[int, tuple[str, str]] = OrderedDict()

    def put(self, source_id: int, key: str, text: str | None) -> None:
        if source_id in self.texts:
            self.size -= len(self.texts.pop(source_id)[1])
        self.texts[source_id] = (key, text or "")
        self.size += len(text or "")
        while self.size > self.budget and len(self.texts) > 1:
            self.size -= len(self.texts.popitem(last=False)[1][1])

    def get_many(self, source_ids: set[int]) -> dict[int, tuple[str, str]]:
        """(key, text) of each source; what is read is kept if the budget allows."""
        found: dict[int, tuple[str, str]] = {}
        missing = []
        for source_id in source_ids:
            if source_id in self.texts:
                found[source_id] = self.texts[source_id]
                self.texts.move_to_end(source_id)
            else:
                missing.append(source_id)
        for start in range(0, len(missing), _BATCH):
            chunk = missing[start : start + _BATCH]
            query = select(_SOURCES.id, _SOURCES.key, _SOURCES.text).where(_SOURCES.id.in_(chunk))
            for source_id, key, text in self.connection.execute(query):
                found[source_id] = (key, text or "")
                self.put(source_id, key, text)
        return found


class _Importer:
    """Writes records as they come, a batch per record type at a time, recognising what the
    database already holds (by natural key) and keeping the file's ids where they are free.

    A batch is written only after the batches of the types it can refer to (RECORD_ORDER), so
    what it refers to is already in the database. A record referring to one not seen yet waits
    until the end of the file; if that one never comes, the import fails naming the line.

    With `set_aside` (import --rejects), a record that fails is set aside instead, with the rest
    of its row and every record that refers to it, and the import goes on.
    """

    def __init__(self, session: Session, set_aside: SetAside | None = None) -> None:
        self.connection = connection = session.connection()
        self.dialect = connection.dialect
        self.set_aside = set_aside
        # With set_aside: the rows set aside, the file ids of their records, the rows that had a
        # record queued and those that had more than one (rows are numbered in file order).
        self.rejected_rows = IdRuns()
        self.refused = {kind: IdRuns() for kind in _WITH_IDS}
        self.queued_rows = IdRuns()
        self.multi_rows = IdRuns()
        self.last_queued = -1
        self.added: Counter[str] = Counter()
        self.existing: Counter[str] = Counter()
        self.records = 0
        self.flushes = 0
        self.buffered_text = 0  # characters of text in the batches being gathered
        lock_for_explicit_ids(connection, IMPORT_TABLES)
        self.ids = {table.name: _Ids(connection, table) for table in IMPORT_TABLES}
        self.old_claims = self.ids["claims"].floor  # claims up to this id were there before
        # Every file id seen (duplicates are errors), and those written or about to be.
        self.seen = {kind: IdRuns() for kind in _WITH_IDS}
        self.ready = {kind: IdRuns() for kind in _REFERRED}
        # File id -> database id, for the records that are written (or were there).
        self.db_ids = {kind: IdRuns() for kind in _REFERRED}
        # Old claims matched by a claim of the file: each is matched once.
        self.matched = IdRuns()
        self.buffers: dict[str, list[tuple[int, Any]]] = {kind: [] for kind in RECORD_ORDER}
        self.waiting: list[tuple[int, Any]] = []
        self.texts = _SourceTexts(connection)
        self.writer = BulkWriter(connection)
        # The rows of the batches being flushed, written once all of them are checked; then,
        # by table, those the writer may not have written when the next look-up is answered.
        self.rows: list[tuple[str, list[tuple[Any, ...]]]] = []
        self.unwritten: dict[str, list[tuple[Any, ...]]] = {}
        self.scales: dict[str, int] = {
            key: scale_id for scale_id, key in connection.execute(select(_SCALES.id, _SCALES.key))
        }
        labels = select(_LABELS.id, _SCALES.key, _LABELS.label).select_from(
            _TABLES["rating_labels"].join(_TABLES["rating_scales"])
        )
        self.labels: dict[tuple[str, str], int] = {
            (key, label): label_id for label_id, key, label in connection.execute(labels)
        }
        self.tags: dict[str, int] = {
            name: tag_id for tag_id, name in connection.execute(select(_TAGS.id, _TAGS.name))
        }
        self.writers: dict[str, Callable[[list[tuple[int, Any]]], None]] = {
            "rating_scale": self._rating_scales,
            "rating_label": self._rating_labels,
            "source": self._sources,
            "source_version": self._source_versions,
            "entity": self._entities,
            "claim": self._claims,
            "appearance": self._appearances,
            "verdict": self._verdicts,
            "verdict_retraction": self._retractions,
            "link": self._links,
            "suggestion_decision": self._decisions,
            "extraction_decision": self._extraction_decisions,
        }

    def refer_to_database_sources(self, source_ids: Iterable[int]) -> None:
        """Let records refer to these sources of the database by their database ids, as if the
        file carried them (the flat CSV names sources it does not carry)."""
        for source_id in sorted(set(source_ids)):
            self.ready["source"].add(source_id)
            self.db_ids["source"].add(source_id, source_id)

    # -- reading -------------------------------------------------------------------------------

    def add(self, number: int, record: AnyRecord) -> None:
        """Check one record and queue it for writing (or, if it refers ahead, for the end)."""
        self.records += 1
        kind = record.type
        seen = self.seen.get(kind)
        if seen is not None:
            file_id = record.id  # type: ignore[union-attr]
            if seen.get(file_id) is not None:
                error = InvalidInput(f"line {number}: a second {kind} with id {file_id}")
                self._refuse(number, record, error, queued=False, its_id=False)
                return
            seen.add(file_id)
        if self.set_aside is not None and not self._still_good(number, record, queued=False):
            return
        check = _CHECKS.get(kind)
        if check is not None:
            try:
                check(number, record)
            except FactcheckError as exc:
                self._refuse(number, record, exc, queued=False)
                return
        if self._blocked(record) is None:
            self._queue(number, record)
        else:
            self.waiting.append((number, record))

    def _blocked(self, record: Any) -> tuple[str, int] | str | None:
        """What the record refers to that is not written or queued yet: a (type, file id), or
        the rating scale or label it names; None when nothing."""
        for kind, ref in _references(record):
            if self.ready[kind].get(ref) is None:
                return kind, ref
        kind = record.type
        if kind == "rating_label" and record.scale not in self.scales:
            return "scale"
        if kind == "verdict" and (record.scale, record.label) not in self.labels:
            return "label"
        return None

    def _refuse(
        self, number: int, record: Any, error: FactcheckError, queued: bool, its_id: bool = True
    ) -> None:
        """Raise the error or, with set_aside, set the record's row aside. `queued`: the record
        was queued for writing; `its_id`: the file id is the record's own (not a duplicate's),
        so records referring to it go too."""
        if self.set_aside is None or number == 0:  # (0: a dataset's scale and labels)
            raise error
        if its_id and record.type in self.refused and record.id not in self.refused[record.type]:
            self.refused[record.type].add(record.id)
        if number in self.rejected_rows:
            return
        self.rejected_rows.add(number)
        error.row = number
        # Another record of the row may already be written (rows of datasets hold several).
        self.set_aside(error, number in (self.multi_rows if queued else self.queued_rows))

    def _still_good(self, number: int, record: Any, queued: bool) -> bool:
        """With set_aside: whether the record's row stands and nothing it refers to was set
        aside; if not, the record is set aside too."""
        if number in self.rejected_rows:
            if record.type in self.refused and record.id not in self.refused[record.type]:
                self.refused[record.type].add(record.id)
            return False
        for kind, ref in _references(record):
            if ref in self.refused[kind]:
                error = InvalidInput(f"line {number}: refers to {kind} {ref}, which was set aside")
                self._refuse(number, record, error, queued)
                return False
        return True

    def _queue(self, number: int, record: Any) -> None:
        if self.set_aside is not None:
            if number == self.last_queued and number not in self.multi_rows:
                self.multi_rows.add(number)
            elif number not in self.queued_rows:
                self.queued_rows.add(number)
            self.last_queued = number
        kind = record.type
        ready = self.ready.get(kind)
        if ready is not None:
            ready.add(record.id)
        buffer = self.buffers[kind]
        buffer.append((number, record))
        # Read from the record's fields: getattr with a default goes through pydantic's slow
        # __getattr__ for every type without a text.
        text = record.__dict__.get("text")
        if text is not None:
            self.buffered_text += len(text)
        # A full batch flushes every type's, so that the records of a file that interleaves
        # types (a dataset's row: source, claim, appearance, verdict) are checked and written
        # together, once per batch. Scales and labels are written at once: later records are
        # checked against them.
        if len(buffer) >= _WRITE_BATCH or self.buffered_text >= _WRITE_BATCH_TEXT:
            self._flush(RECORD_ORDER[-1])
        elif kind in ("rating_scale", "rating_label"):
            self._flush(kind)

    def _flush(self, last: str) -> None:
        """Write the queued records of `last` and of every type before it in RECORD_ORDER.

        Each type's batch is checked against the database (what it holds already) before any of
        the batches is written, then all are written in order: what one batch looks up was
        written by earlier flushes (or is this batch's own, kept in memory), so the look-ups
        need not wait for the writes of this flush. On PostgreSQL those go on in the
        background (BulkWriter) while the next records are read.
        """
        if last == RECORD_ORDER[-1]:
            self.buffered_text = 0
        for kind in RECORD_ORDER[: _RANK[last] + 1]:
            if self.buffers[kind]:
                batch, self.buffers[kind] = self.buffers[kind], []
                if self.set_aside is not None:
                    batch = [(n, r) for n, r in batch if self._still_good(n, r, queued=True)]
                self.writers[kind](batch)
        self._write_rows()
        self.flushes += 1
        if self.flushes % _COLLECT_EVERY == 0:
            gc.collect()

    def finish(self) -> None:
        """Write what is queued, then the records that waited for ones further down the
        file."""
        self._flush(RECORD_ORDER[-1])
        waiting = sorted(self.waiting, key=lambda item: (_RANK[item[1].type], item[0]))
        self.waiting = []
        for number, record in waiting:
            if self.set_aside is not None and not self._still_good(number, record, queued=False):
                continue
            blocked = self._blocked(record)
            error: FactcheckError | None = None
            if isinstance(blocked, tuple):
                kind, ref = blocked
                error = InvalidInput(
                    f"line {number}: refers to {kind} {ref}, which is not in the file"
                )
            elif blocked == "scale":
                error = InvalidInput(f"line {number}: no rating scale {record.scale!r}")
            elif blocked == "label":
                error = NotFound(
                    f"line {number}: no verdict label {record.label!r} in scale {record.scale!r}"
                )
            if error is not None:
                self._refuse(number, record, error, queued=False)
                continue
            # Queued in RECORD_ORDER, so what it refers to is written before it.
            self._queue(number, record)
        self._flush(RECORD_ORDER[-1])
        advance_sequences(self.connection, IMPORT_TABLES)

    # -- writing -------------------------------------------------------------------------------

    def _insert(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        """Rows to write when the batches being flushed are done (_write_rows)."""
        if rows:
            self.rows.append((table, rows))

    def _write_rows(self) -> None:
        """Write the rows of the batches flushed. A writer process may write them after it
        answers the next batch's look-ups, so that it has work while that batch is matched
        against the answers: `_look_up` adds them to its answers."""
        rows, self.rows = self.rows, []
        self.unwritten = {}
        with self.writer.held():
            for table, batch in rows:
                self.writer.insert(_TABLES[table], batch)
                self.unwritten.setdefault(table, []).extend(batch)

    def _look_up(
        self, table: str, columns: tuple[str, ...], key: str, keys: Collection[Any]
    ) -> list[tuple[Any, ...]]:
        """The `columns` of the rows of `table` whose `key` is one of `keys` (a batch's worth):
        those in the database, and those of the last flush that the writer may write after
        answering (`_write_rows`), as the database gives them back. A row may come twice: the
        callers keep what they read in sets and dicts."""
        t = _TABLES[table]
        query = select(*(t.c[name] for name in columns)).where(t.c[key].in_(list(keys)))
        with self.writer.overtaking():
            rows = [tuple(row) for row in self.connection.execute(query)]
        unwritten = self.unwritten.get(table)
        if unwritten:
            names = list(t.columns.keys())
            at = names.index(key)
            picked = [(names.index(name), _as_read(t.c[name], self.dialect)) for name in columns]
            wanted = set(keys)
            rows.extend(
                tuple(read(row[i]) for i, read in picked) for row in unwritten if row[at] in wanted
            )
        return rows

    def _rating_scales(self, records: list[tuple[int, ScaleRecord]]) -> None:
        rows = []
        for _number, r in records:
            if r.key in self.scales:
                self.existing["rating_scale"] += 1
                continue
            scale_id = self.ids["rating_scales"].take()
            rows.append(_SCALE_ROW(r, scale_id))
            self.scales[r.key] = scale_id
            self.added["rating_scale"] += 1
        self._insert("rating_scales", rows)

    def _rating_labels(self, records: list[tuple[int, LabelRecord]]) -> None:
        rows = []
        for _number, r in records:
            if (r.scale, r.label) in self.labels:
                self.existing["rating_label"] += 1
                continue
            label_id = self.ids["rating_labels"].take()
            rows.append(_LABEL_ROW(r, label_id, self.scales[r.scale]))
            self.labels[(r.scale, r.label)] = label_id
            self.added["rating_label"] += 1
        self._insert("rating_labels", rows)

    def _sources(self, records: list[tuple[int, SourceRecord]]) -> None:
        keys = [r.key for _n, r in records]
        known = {
            key: (source_id, digest)
            for key, source_id, digest in self._look_up(
                "sources", ("key", "id", "text_sha256"), "key", keys
            )
        }
        rows = []
        for number, r in records:
            digest = sha256(r.text) if r.text is not None else None
            if r.key in known:
                source_id, stored = known[r.key]
                if stored != digest:
                    error = Conflict(
                        f"line {number}: source {r.key!r} is already in the database with "
                        "another text",
                        hint="rename the key in the file, or compare the two texts first",
                    )
                    self._refuse(number, r, error, queued=True)
                    continue
                self.existing["source"] += 1
            else:
                source_id = self.ids["sources"].take(r.id)
                rows.append(_SOURCE_ROW(r, source_id, digest))
                known[r.key] = (source_id, digest)
                self.added["source"] += 1
            self.db_ids["source"].add(r.id, source_id)
            self.texts.put(source_id, r.key, r.text)
        self._insert("sources", rows)

    def _source_versions(self, records: list[tuple[int, SourceVersionRecord]]) -> None:
        # A source's version is its number: one already in the database is not added again.
        resolved = [(n, r, self.db_ids["source"][r.source_id]) for n, r in records]
        source_ids = {source_id for _n, _r, source_id in resolved}
        present = set(
            self._look_up("source_versions", ("source_id", "number"), "source_id", source_ids)
        )
        rows = []
        for _number, r, source_id in resolved:
            if (source_id, r.number) in present:
                self.existing["source_version"] += 1
                continue
            present.add((source_id, r.number))
            version_id = self.ids["source_versions"].take(r.id)
            rows.append(_SOURCE_VERSION_ROW(r, version_id, source_id, sha256(r.text)))
            self.added["source_version"] += 1
        self._insert("source_versions", rows)

    def _entities(self, records: list[tuple[int, EntityRecord]]) -> None:
        names = [r.name for _n, r in records]
        known = {
            name: entity_id
            for entity_id, name in self._look_up("entities", ("id", "name"), "name", names)
        }
        alias_keys: dict[int, set[str]] = {entity_id: set() for entity_id in known.values()}
        aliases = self._look_up(
            "entity_aliases", ("entity_id", "alias_key"), "entity_id", set(known.values())
        )
        for entity_id, key in aliases:
            alias_keys[entity_id].add(key)
        rows: list[tuple[Any, ...]] = []
        alias_rows: list[tuple[Any, ...]] = []
        for _number, r in records:
            if r.name not in known:
                entity_id = self.ids["entities"].take(r.id)
                rows.append(_ENTITY_ROW(r, entity_id))
                known[r.name] = entity_id
                alias_keys[entity_id] = set()
                self.added["entity"] += 1
            else:
                entity_id = known[r.name]
                self.existing["entity"] += 1
            keys = alias_keys[entity_id]
            for alias in (r.name, *r.aliases):
                key = fold(alias)
                if key not in keys:
                    keys.add(key)
                    alias_id = self.ids["entity_aliases"].take()
                    alias_rows.append(_ALIAS_ROW(alias_id, entity_id, alias, key))
            self.db_ids["entity"].add(r.id, entity_id)
        self._insert("entities", rows)
        self._insert("entity_aliases", alias_rows)

    def _claims(self, records: list[tuple[int, ClaimRecord]]) -> None:
        # A claim with the same wording and notes that was there before this import is the
        # same claim (so loading a dump twice adds nothing); claims of one file stay distinct.
        # Datasets keep each row's identity in the notes (e.g. "LIAR train statement 2635.json").
        before: dict[tuple[str, str | None], list[int]] = {}
        if self.old_claims:
            texts = list({r.text for _n, r in records})
            query = (
                select(_CLAIMS.id, _CLAIMS.text, _CLAIMS.notes)
                .where(_CLAIMS.id <= self.old_claims, _CLAIMS.text.in_(texts))
                .order_by(_CLAIMS.id)
            )
            for claim_id, claim_text, notes in self.connection.execute(query):
                if claim_id not in self.matched:
                    before.setdefault((claim_text, notes), []).append(claim_id)
        claim_rows: list[tuple[Any, ...]] = []
        matches: list[tuple[ClaimRecord, int]] = []
        for _number, r in records:
            candidates = before.get((r.text, r.notes))
            if candidates:
                claim_id = candidates.pop(0)
                self.matched.add(claim_id)
                self.existing["claim"] += 1
            else:
                claim_id = self.ids["claims"].take(r.id)
                claim_rows.append(_CLAIM_ROW(r, claim_id))
                self.added["claim"] += 1
            self.db_ids["claim"].add(r.id, claim_id)
            matches.append((r, claim_id))
        # The tags and entities the old claims already have.
        old = [claim_id for _r, claim_id in matches if claim_id <= self.old_claims]
        tagged: set[tuple[int, str]] = set()
        mentions: set[tuple[int, int]] = set()
        if old:
            tags = (
                select(_CLAIM_TAGS.claim_id, _TAGS.name)
                .select_from(_TABLES["claim_tags"].join(_TABLES["tags"]))
                .where(_CLAIM_TAGS.claim_id.in_(old))
            )
            tagged = {(claim_id, name) for claim_id, name in self.connection.execute(tags)}
            entities = select(_CLAIM_ENTITIES.claim_id, _CLAIM_ENTITIES.entity_id).where(
                _CLAIM_ENTITIES.claim_id.in_(old)
            )
            mentions = {(claim_id, ref) for claim_id, ref in self.connection.execute(entities)}
        tag_rows: list[tuple[Any, ...]] = []
        claim_tag_rows: list[tuple[Any, ...]] = []
        claim_entity_rows: list[tuple[Any, ...]] = []
        for r, claim_id in matches:
            for name in r.tags:
                if (claim_id, name) in tagged:
                    continue
                tagged.add((claim_id, name))
                if name not in self.tags:
                    self.tags[name] = self.ids["tags"].take()
                    tag_rows.append(_TAG_ROW(self.tags[name], name))
                row_id = self.ids["claim_tags"].take()
                claim_tag_rows.append(_CLAIM_TAG_ROW(row_id, claim_id, self.tags[name]))
            for ref in r.entities:
                entity_id = self.db_ids["entity"][ref]
                if (claim_id, entity_id) in mentions:
                    continue
                mentions.add((claim_id, entity_id))
                row_id = self.ids["claim_entities"].take()
                claim_entity_rows.append(_CLAIM_ENTITY_ROW(row_id, claim_id, entity_id))
        self._insert("tags", tag_rows)
        self._insert("claims", claim_rows)
        self._insert("claim_tags", claim_tag_rows)
        self._insert("claim_entities", claim_entity_rows)

    def _appearances(self, records: list[tuple[int, AppearanceRecord]]) -> None:
        claim_ids = self.db_ids["claim"]
        source_ids = self.db_ids["source"]
        resolved = [
            (number, r, claim_ids[r.claim_id], source_ids[r.source_id]) for number, r in records
        ]
        anchored = {source_id for _n, r, _c, source_id in resolved if r.start is not None}
        if not anchored.issubset(self.texts.texts):
            # A text to read back may be that of a source of this flush, not written yet.
            self._write_rows()
        texts = self.texts.get_many(anchored)
        misplaced = False
        for number, r, _claim_id, source_id in resolved:
            if r.start is not None and r.end is not None:
                key, text = texts[source_id]
                if text[r.start : r.end] != r.quote:
                    error = InvalidInput(
                        f"line {number}: the quote is not what source {key!r} has at "
                        f"{r.start}-{r.end}"
                    )
                    self._refuse(number, r, error, queued=True)
                    misplaced = True
        if misplaced:
            resolved = [item for item in resolved if item[0] not in self.rejected_rows]
        # The same claim, source and quote is the same appearance: in the database before, or
        # earlier in this file (written in an earlier batch, or in this one).
        claims = {claim_id for _n, _r, claim_id, _s in resolved}
        present = set(
            self._look_up("appearances", ("claim_id", "source_id", "quote"), "claim_id", claims)
        )
        rows = []
        for _number, r, claim_id, source_id in resolved:
            if (claim_id, source_id, r.quote) in present:
                self.existing["appearance"] += 1
                continue
            present.add((claim_id, source_id, r.quote))
            appearance_id = self.ids["appearances"].take(r.id)
            rows.append(_APPEARANCE_ROW(r, appearance_id, claim_id, source_id))
            self.added["appearance"] += 1
        self._insert("appearances", rows)

    def _verdicts(self, records: list[tuple[int, VerdictRecord]]) -> None:
        claim_ids = self.db_ids["claim"]
        claims = {claim_ids[r.claim_id] for _n, r in records}
        columns = ("id", "claim_id", "label_id", "note", "created_at")
        present = {
            (claim_id, label_id, note, created_at): verdict_id
            for verdict_id, claim_id, label_id, note, created_at in self._look_up(
                "verdicts", columns, "claim_id", claims
            )
        }
        rows, evidence_rows = [], []
        # A time given without an offset is UTC (models.UTCDateTime): the same verdict as one
        # read back from the database.
        as_read = _as_read(_TABLES["verdicts"].c.created_at, self.dialect)
        for _number, r in records:
            claim_id = claim_ids[r.claim_id]
            label_id = self.labels[(r.scale, r.label)]
            key = (claim_id, label_id, r.note, as_read(r.created_at))
            if key in present:
                self.existing["verdict"] += 1
                self.db_ids["verdict"].add(r.id, present[key])
                continue
            verdict_id = present[key] = self.ids["verdicts"].take(r.id)
            self.db_ids["verdict"].add(r.id, verdict_id)
            rows.append(_VERDICT_ROW(r, verdict_id, claim_id, label_id))
            for e in r.evidence:
                source_id = None if e.source_id is None else self.db_ids["source"][e.source_id]
                evidence_id = self.ids["verdict_evidence"].take()
                evidence_rows.append(_EVIDENCE_ROW(e, evidence_id, verdict_id, source_id))
            self.added["verdict"] += 1
        self._insert("verdicts", rows)
        self._insert("verdict_evidence", evidence_rows)

    def _retractions(self, records: list[tuple[int, RetractionRecord]]) -> None:
        # A verdict is retracted once: one retracted in the database already stays as it was.
        verdict_ids = self.db_ids["verdict"]
        resolved = [(r, verdict_ids[r.verdict_id]) for _number, r in records]
        verdicts = {verdict_id for _r, verdict_id in resolved}
        present = {
            verdict_id
            for (verdict_id,) in self._look_up(
                "verdict_retractions", ("verdict_id",), "verdict_id", verdicts
            )
        }
        rows = []
        for r, verdict_id in resolved:
            if verdict_id in present:
                self.existing["verdict_retraction"] += 1
                continue
            present.add(verdict_id)
            retraction_id = self.ids["verdict_retractions"].take(r.id)
            rows.append(_RETRACTION_ROW(r, retraction_id, verdict_id))
            self.added["verdict_retraction"] += 1
        self._insert("verdict_retractions", rows)

    def _links(self, records: list[tuple[int, LinkRecord]]) -> None:
        claim_ids = self.db_ids["claim"]
        pairs = []
        for _number, r in records:
            a, b = claim_ids[r.claim_a], claim_ids[r.claim_b]
            if r.relation in SYMMETRIC_RELATIONS and a > b:
                a, b = b, a
            pairs.append((r, a, b))
        firsts = {a for _r, a, _b in pairs}
        columns = ("id", "claim_a_id", "claim_b_id", "relation")
        present = {
            (a, b, relation): link_id
            for link_id, a, b, relation in self._look_up("links", columns, "claim_a_id", firsts)
        }
        rows = []
        for r, a, b in pairs:
            link_id = present.get((a, b, r.relation))
            if link_id is not None:
                self.existing["link"] += 1
            else:
                link_id = present[(a, b, r.relation)] = self.ids["links"].take(r.id)
                rows.append(_LINK_ROW(r, link_id, a, b))
                self.added["link"] += 1
            self.db_ids["link"].add(r.id, link_id)
        self._insert("links", rows)

    def _decisions(self, records: list[tuple[int, DecisionRecord]]) -> None:
        # One decision a pair: a pair decided in the database already keeps its decision.
        claim_ids = self.db_ids["claim"]
        pairs = []
        for _number, r in records:
            a, b = sorted((claim_ids[r.claim_a], claim_ids[r.claim_b]))
            pairs.append((r, a, b))
        firsts = {a for _r, a, _b in pairs}
        columns = ("claim_a_id", "claim_b_id")
        present = set(self._look_up("suggestion_decisions", columns, "claim_a_id", firsts))
        rows = []
        for r, a, b in pairs:
            if (a, b) in present:
                self.existing["suggestion_decision"] += 1
                continue
            present.add((a, b))
            link_id = None if r.link_id is None else self.db_ids["link"][r.link_id]
            decision_id = self.ids["suggestion_decisions"].take(r.id)
            rows.append(_DECISION_ROW(r, decision_id, a, b, link_id))
            self.added["suggestion_decision"] += 1
        self._insert("suggestion_decisions", rows)

    def _extraction_decisions(self, records: list[tuple[int, ExtractionDecisionRecord]]) -> None:
        # One decision a sentence: one decided in the database already keeps its decision.
        claim_ids = self.db_ids["claim"]
        resolved = [(r, self.db_ids["source"][r.source_id]) for _n, r in records]
        source_ids = {source_id for _r, source_id in resolved}
        columns = ("source_id", "sentence_start", "sentence_end")
        present = set(self._look_up("extraction_decisions", columns, "source_id", source_ids))
        rows = []
        for r, source_id in resolved:
            if (source_id, r.start, r.end) in present:
                self.existing["extraction_decision"] += 1
                continue
            present.add((source_id, r.start, r.end))
            claim_id = None if r.claim_id is None else claim_ids[r.claim_id]
            decision_id = self.ids["extraction_decisions"].take(r.id)
            rows.append(_EXTRACTION_ROW(r, decision_id, source_id, claim_id))
            self.added["extraction_decision"] += 1
        self._insert("extraction_decisions", rows)


def _as_read(column: Any, dialect: Any) -> Callable[[Any], Any]:
    """A column's value as the database gives it back from the value a row was written with
    (a timestamp written naive is read back in UTC: models.UTCDateTime)."""
    kind = column.type
    if not isinstance(kind, TypeDecorator):
        return lambda value: value
    return lambda value: kind.process_result_value(kind.process_bind_param(value, dialect), dialect)


@contextmanager
def _page_cache(connection: Connection) -> Iterator[None]:
    """SQLite: a larger page cache while importing. The default 2 MB is far less than the pages a
    bulk insert keeps touching (the ends of every table and index, and the index on appearances'
    sources, which a dump fills out of order); once it is full, SQLite spills pages to the WAL
    and reads them back."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{_PAGE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


# Objects the garbage collector lets accumulate before it looks at the youngest (Python: 700).
_YOUNG_OBJECTS = 100_000


@contextmanager
def _collector_for_bulk_loads() -> Iterator[None]:
    """Python's garbage collector, while an import runs, leaves out the objects that exist
    before it (modules, SQLAlchemy's and pydantic's machinery), and looks at new objects after
    100,000 instead of 700: an import's records and rows live for one batch and hold no cycles,
    so the collector's thousands of passes found next to nothing (4% of a 100k-claim import),
    and its full passes would scan everything loaded.

    The importer runs a full collection itself every few batches (_COLLECT_EVERY): left to its
    own schedule, the collector ran one in a whole 300k-claim import, so the reference cycles of
    every batch's look-up statements (SQLAlchemy's, each holding its list of ids) piled up until
    the end and the peak memory grew with the file. Those passes see only the import's own
    objects (the rest are frozen): about 3 ms each."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_YOUNG_OBJECTS, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def import_records(
    session: Session,
    numbered: Iterable[tuple[int, AnyRecord]],
    on_checked: Callable[[int], None] | None = None,
    set_aside: SetAside | None = None,
    database_sources: Iterable[int] = (),
) -> ImportSummary:
    """Check and write the records as they are read, a batch at a time, in the caller's
    transaction (which commits all of it, or on any error nothing; with `set_aside`, the good
    rows, the others given to it).

    `on_checked` is told how many records there are once the last one is read and checked;
    what remains then is the last batches. Records may refer to the `database_sources` (ids of
    sources in the database) by their ids.
    """
    importer = _Importer(session, set_aside)
    importer.refer_to_database_sources(database_sources)
    with (
        _page_cache(importer.connection),
        _collector_for_bulk_loads(),
        importer.writer,
    ):
        for number, record in numbered:
            importer.add(number, record)
        if on_checked is not None:
            on_checked(importer.records)
        importer.finish()
    return ImportSummary(
        added={k: importer.added[k] for k in RECORD_ORDER},
        existing={k: importer.existing[k] for k in RECORD_ORDER},
    )


def import_jsonl(session: Session, lines: Iterable[bytes]) -> ImportSummary:
    return import_records(session, read_records(lines))
