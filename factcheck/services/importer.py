"""The import engine: records (from a jsonl dump or a dataset's reader) checked and written.

Import is all-or-nothing and idempotent: every record is validated (and every reference checked)
as it is read and written in batches inside the caller's one transaction, so an error anywhere
leaves nothing written; records already in the database (same source key, entity name, claim
text, appearance, verdict or link) are recognised and not added twice. Ids from the file are
kept where they are free, so a dump loaded into an empty database exports byte for byte the
same. The import streams: its memory does not grow with the file.
"""

from __future__ import annotations

import gc
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from factcheck.db.bulk import insert_rows
from factcheck.db.ids import IdRuns, advance_sequences, highest_id_ever, lock_for_explicit_ids
from factcheck.errors import Conflict, FactcheckError, InvalidInput, NotFound, SetAside
from factcheck.interchange.jsonl import read_records
from factcheck.interchange.records import (
    AnyRecord,
    AppearanceRecord,
    ClaimRecord,
    DecisionRecord,
    EntityRecord,
    LabelRecord,
    LinkRecord,
    ScaleRecord,
    SourceRecord,
    VerdictRecord,
)
from factcheck.models import (
    Appearance,
    Base,
    Claim,
    ClaimEntity,
    ClaimTag,
    Entity,
    EntityAlias,
    Link,
    RatingLabel,
    RatingScale,
    Source,
    SuggestionDecision,
    Tag,
    Verdict,
)
from factcheck.schemas import Output
from factcheck.services.record_rows import row_of
from factcheck.services.sources import sha256
from factcheck.text import fold
from factcheck.vocab import SYMMETRIC_RELATIONS

# The order records are written in, and the order an import applies them in.
RECORD_ORDER = (
    "rating_scale",
    "rating_label",
    "source",
    "entity",
    "claim",
    "appearance",
    "verdict",
    "link",
    "suggestion_decision",
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
# Source texts kept for anchor checks, in characters; past it the least recently used go.
_TEXT_BUDGET = 32 * 1024 * 1024
# SQLite's page cache during an import, in KiB.
_PAGE_CACHE_KIB = 64 * 1024

# Every table an import writes. Each gets explicit ids (so history rows need no RETURNING), so
# on PostgreSQL each is locked against other inserts and its sequence moved on at the end.
IMPORT_TABLES: list[Table] = [
    Base.metadata.tables[name]
    for name in (
        "rating_scales",
        "rating_labels",
        "sources",
        "entities",
        "entity_aliases",
        "tags",
        "claims",
        "claim_tags",
        "claim_entities",
        "appearances",
        "verdicts",
        "verdict_evidence",
        "links",
        "suggestion_decisions",
    )
]
# The record types that carry ids of their own.
_WITH_IDS = ("source", "entity", "claim", "appearance", "verdict", "link", "suggestion_decision")
_RANK = {kind: rank for rank, kind in enumerate(RECORD_ORDER)}


def _check_record(number: int, record: AnyRecord) -> None:
    """The checks a record passes or fails on its own, before any other record is looked at."""
    if isinstance(record, SourceRecord):
        if record.text is not None and record.text_sha256 not in (None, sha256(record.text)):
            raise InvalidInput(f"line {number}: text_sha256 does not match the text")
    elif isinstance(record, AppearanceRecord):
        anchored = record.anchor_status in ("exact", "normalised")
        if anchored != (record.start is not None and record.end is not None):
            raise InvalidInput(
                f"line {number}: an appearance is {record.anchor_status} exactly when it has "
                "start and end"
            )
        if record.anchor_status == "none" and record.quote is not None:
            raise InvalidInput(f"line {number}: anchor_status none, but a quote is given")
        if record.anchor_status != "none" and record.quote is None:
            raise InvalidInput(f"line {number}: anchor_status {record.anchor_status} needs a quote")
    elif isinstance(record, VerdictRecord):
        for e in record.evidence:
            if e.source_id is None and e.url is None:
                raise InvalidInput(f"line {number}: evidence needs a source_id or a url")
    elif isinstance(record, LinkRecord) and record.claim_a == record.claim_b:
        raise InvalidInput(f"line {number}: a claim cannot be linked to itself")
    elif isinstance(record, DecisionRecord) and record.claim_a == record.claim_b:
        raise InvalidInput(f"line {number}: a suggestion pairs two different claims")


def _references(record: Any) -> list[tuple[str, int]]:
    """The records of the file this one refers to, by type and file id, in the order checked."""
    if isinstance(record, ClaimRecord):
        return [("entity", ref) for ref in record.entities]
    if isinstance(record, AppearanceRecord):
        return [("claim", record.claim_id), ("source", record.source_id)]
    if isinstance(record, VerdictRecord):
        sources = [("source", e.source_id) for e in record.evidence if e.source_id is not None]
        return [("claim", record.claim_id), *sources]
    if isinstance(record, LinkRecord):
        return [("claim", record.claim_a), ("claim", record.claim_b)]
    if isinstance(record, DecisionRecord):
        link = [] if record.link_id is None else [("link", record.link_id)]
        return [("claim", record.claim_a), ("claim", record.claim_b), *link]
    return []


class _Ids:
    """Ids for the new rows of one table: the file's own id when it is free and above every id
    the table has ever used (ids are never reused), else the next unused one."""

    def __init__(self, connection: Connection, table: Table) -> None:
        self.floor = highest_id_ever(connection, table)
        self.used = IdRuns()
        self.next = self.floor + 1
        self.high = self.floor  # the highest id the table has or was given

    def take(self, wanted: int | None = None) -> int:
        if wanted is None or (
            wanted <= self.high  # (usually it is above every id so far, so free)
            and (wanted <= self.floor or self.used.get(wanted) is not None)
        ):
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
            query = select(Source.id, Source.key, Source.text).where(Source.id.in_(chunk))
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
        lock_for_explicit_ids(connection, IMPORT_TABLES)
        self.ids = {table.name: _Ids(connection, table) for table in IMPORT_TABLES}
        self.old_claims = self.ids["claims"].floor  # claims up to this id were there before
        # Every file id seen (duplicates are errors), and those written or about to be.
        self.seen = {kind: IdRuns() for kind in _WITH_IDS}
        self.ready = {kind: IdRuns() for kind in ("source", "entity", "claim", "link")}
        # File id -> database id, for the records that are written.
        self.db_ids = {kind: IdRuns() for kind in ("source", "entity", "claim", "link")}
        # Old claims matched by a claim of the file: each is matched once.
        self.matched = IdRuns()
        self.buffers: dict[str, list[tuple[int, Any]]] = {kind: [] for kind in RECORD_ORDER}
        self.waiting: list[tuple[int, Any]] = []
        self.texts = _SourceTexts(connection)
        self.scales: dict[str, int] = {
            key: scale_id
            for scale_id, key in connection.execute(select(RatingScale.id, RatingScale.key))
        }
        labels = select(RatingLabel.id, RatingScale.key, RatingLabel.label).join(RatingScale)
        self.labels: dict[tuple[str, str], int] = {
            (key, label): label_id for label_id, key, label in connection.execute(labels)
        }
        self.tags: dict[str, int] = {
            name: tag_id for tag_id, name in connection.execute(select(Tag.id, Tag.name))
        }
        self.writers: dict[str, Callable[[list[tuple[int, Any]]], None]] = {
            "rating_scale": self._rating_scales,
            "rating_label": self._rating_labels,
            "source": self._sources,
            "entity": self._entities,
            "claim": self._claims,
            "appearance": self._appearances,
            "verdict": self._verdicts,
            "link": self._links,
            "suggestion_decision": self._decisions,
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
        try:
            _check_record(number, record)
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
        if isinstance(record, LabelRecord) and record.scale not in self.scales:
            return "scale"
        if isinstance(record, VerdictRecord) and (record.scale, record.label) not in self.labels:
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
        # Scales and labels are written at once: later records are checked against them.
        if len(buffer) >= _WRITE_BATCH or kind in ("rating_scale", "rating_label"):
            self._flush(kind)

    def _flush(self, last: str) -> None:
        """Write the queued records of `last` and of every type before it in RECORD_ORDER."""
        for kind in RECORD_ORDER[: _RANK[last] + 1]:
            if self.buffers[kind]:
                batch, self.buffers[kind] = self.buffers[kind], []
                if self.set_aside is not None:
                    batch = [(n, r) for n, r in batch if self._still_good(n, r, queued=True)]
                self.writers[kind](batch)

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

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        insert_rows(self.connection, Base.metadata.tables[table], rows)

    def _rating_scales(self, records: list[tuple[int, ScaleRecord]]) -> None:
        rows = []
        for _number, r in records:
            if r.key in self.scales:
                self.existing["rating_scale"] += 1
                continue
            scale_id = self.ids["rating_scales"].take()
            rows.append({"id": scale_id, **row_of(r)})
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
            rows.append({"id": label_id, "scale_id": self.scales[r.scale], **row_of(r)})
            self.labels[(r.scale, r.label)] = label_id
            self.added["rating_label"] += 1
        self._insert("rating_labels", rows)

    def _sources(self, records: list[tuple[int, SourceRecord]]) -> None:
        keys = [r.key for _n, r in records]
        known = {
            key: (source_id, digest)
            for key, source_id, digest in self.connection.execute(
                select(Source.key, Source.id, Source.text_sha256).where(Source.key.in_(keys))
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
                rows.append({**row_of(r), "id": source_id, "text_sha256": digest})
                known[r.key] = (source_id, digest)
                self.added["source"] += 1
            self.db_ids["source"].add(r.id, source_id)
            self.texts.put(source_id, r.key, r.text)
        self._insert("sources", rows)

    def _entities(self, records: list[tuple[int, EntityRecord]]) -> None:
        names = [r.name for _n, r in records]
        known = {
            name: entity_id
            for entity_id, name in self.connection.execute(
                select(Entity.id, Entity.name).where(Entity.name.in_(names))
            )
        }
        alias_keys: dict[int, set[str]] = {entity_id: set() for entity_id in known.values()}
        aliases = select(EntityAlias.entity_id, EntityAlias.alias_key).where(
            EntityAlias.entity_id.in_(list(known.values()))
        )
        for entity_id, key in self.connection.execute(aliases):
            alias_keys[entity_id].add(key)
        rows: list[dict[str, Any]] = []
        alias_rows: list[dict[str, Any]] = []
        for _number, r in records:
            if r.name not in known:
                entity_id = self.ids["entities"].take(r.id)
                rows.append({**row_of(r), "id": entity_id})
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
                    alias_rows.append(
                        {"id": alias_id, "entity_id": entity_id, "alias": alias, "alias_key": key}
                    )
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
                select(Claim.id, Claim.text, Claim.notes)
                .where(Claim.id <= self.old_claims, Claim.text.in_(texts))
                .order_by(Claim.id)
            )
            for claim_id, claim_text, notes in self.connection.execute(query):
                if claim_id not in self.matched:
                    before.setdefault((claim_text, notes), []).append(claim_id)
        claim_rows: list[dict[str, Any]] = []
        matches: list[tuple[ClaimRecord, int]] = []
        for _number, r in records:
            candidates = before.get((r.text, r.notes))
            if candidates:
                claim_id = candidates.pop(0)
                self.matched.add(claim_id)
                self.existing["claim"] += 1
            else:
                claim_id = self.ids["claims"].take(r.id)
                claim_rows.append({**row_of(r), "id": claim_id})
                self.added["claim"] += 1
            self.db_ids["claim"].add(r.id, claim_id)
            matches.append((r, claim_id))
        # The tags and entities the old claims already have.
        old = [claim_id for _r, claim_id in matches if claim_id <= self.old_claims]
        tagged: set[tuple[int, str]] = set()
        mentions: set[tuple[int, int]] = set()
        if old:
            tags = select(ClaimTag.claim_id, Tag.name).join(Tag).where(ClaimTag.claim_id.in_(old))
            tagged = {(claim_id, name) for claim_id, name in self.connection.execute(tags)}
            entities = select(ClaimEntity.claim_id, ClaimEntity.entity_id).where(
                ClaimEntity.claim_id.in_(old)
            )
            mentions = {(claim_id, ref) for claim_id, ref in self.connection.execute(entities)}
        tag_rows: list[dict[str, Any]] = []
        claim_tag_rows: list[dict[str, Any]] = []
        claim_entity_rows: list[dict[str, Any]] = []
        for r, claim_id in matches:
            for name in r.tags:
                if (claim_id, name) in tagged:
                    continue
                tagged.add((claim_id, name))
                if name not in self.tags:
                    self.tags[name] = self.ids["tags"].take()
                    tag_rows.append({"id": self.tags[name], "name": name})
                row_id = self.ids["claim_tags"].take()
                claim_tag_rows.append(
                    {"id": row_id, "claim_id": claim_id, "tag_id": self.tags[name]}
                )
            for ref in r.entities:
                entity_id = self.db_ids["entity"][ref]
                if (claim_id, entity_id) in mentions:
                    continue
                mentions.add((claim_id, entity_id))
                row_id = self.ids["claim_entities"].take()
                claim_entity_rows.append(
                    {"id": row_id, "claim_id": claim_id, "entity_id": entity_id}
                )
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
        claims = list({claim_id for _n, _r, claim_id, _s in resolved})
        present = {
            (claim_id, source_id, quote)
            for claim_id, source_id, quote in self.connection.execute(
                select(Appearance.claim_id, Appearance.source_id, Appearance.quote).where(
                    Appearance.claim_id.in_(claims)
                )
            )
        }
        rows = []
        for _number, r, claim_id, source_id in resolved:
            if (claim_id, source_id, r.quote) in present:
                self.existing["appearance"] += 1
                continue
            present.add((claim_id, source_id, r.quote))
            rows.append(
                {
                    **row_of(r),
                    "id": self.ids["appearances"].take(r.id),
                    "claim_id": claim_id,
                    "source_id": source_id,
                }
            )
            self.added["appearance"] += 1
        self._insert("appearances", rows)

    def _verdicts(self, records: list[tuple[int, VerdictRecord]]) -> None:
        claim_ids = self.db_ids["claim"]
        claims = list({claim_ids[r.claim_id] for _n, r in records})
        present = {
            (claim_id, label_id, note, created_at)
            for claim_id, label_id, note, created_at in self.connection.execute(
                select(Verdict.claim_id, Verdict.label_id, Verdict.note, Verdict.created_at).where(
                    Verdict.claim_id.in_(claims)
                )
            )
        }
        rows, evidence_rows = [], []
        for _number, r in records:
            claim_id = claim_ids[r.claim_id]
            label_id = self.labels[(r.scale, r.label)]
            key = (claim_id, label_id, r.note, r.created_at)
            if key in present:
                self.existing["verdict"] += 1
                continue
            present.add(key)
            verdict_id = self.ids["verdicts"].take(r.id)
            rows.append({**row_of(r), "id": verdict_id, "claim_id": claim_id, "label_id": label_id})
            for e in r.evidence:
                source_id = None if e.source_id is None else self.db_ids["source"][e.source_id]
                evidence_rows.append(
                    {
                        **row_of(e),
                        "id": self.ids["verdict_evidence"].take(),
                        "verdict_id": verdict_id,
                        "source_id": source_id,
                    }
                )
            self.added["verdict"] += 1
        self._insert("verdicts", rows)
        self._insert("verdict_evidence", evidence_rows)

    def _links(self, records: list[tuple[int, LinkRecord]]) -> None:
        claim_ids = self.db_ids["claim"]
        pairs = []
        for _number, r in records:
            a, b = claim_ids[r.claim_a], claim_ids[r.claim_b]
            if r.relation in SYMMETRIC_RELATIONS and a > b:
                a, b = b, a
            pairs.append((r, a, b))
        firsts = list({a for _r, a, _b in pairs})
        present = {
            (a, b, relation): link_id
            for link_id, a, b, relation in self.connection.execute(
                select(Link.id, Link.claim_a_id, Link.claim_b_id, Link.relation).where(
                    Link.claim_a_id.in_(firsts)
                )
            )
        }
        rows = []
        for r, a, b in pairs:
            link_id = present.get((a, b, r.relation))
            if link_id is not None:
                self.existing["link"] += 1
            else:
                link_id = present[(a, b, r.relation)] = self.ids["links"].take(r.id)
                rows.append({**row_of(r), "id": link_id, "claim_a_id": a, "claim_b_id": b})
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
        firsts = list({a for _r, a, _b in pairs})
        present = {
            (a, b)
            for a, b in self.connection.execute(
                select(SuggestionDecision.claim_a_id, SuggestionDecision.claim_b_id).where(
                    SuggestionDecision.claim_a_id.in_(firsts)
                )
            )
        }
        rows = []
        for r, a, b in pairs:
            if (a, b) in present:
                self.existing["suggestion_decision"] += 1
                continue
            present.add((a, b))
            link_id = None if r.link_id is None else self.db_ids["link"][r.link_id]
            decision_id = self.ids["suggestion_decisions"].take(r.id)
            rows.append(
                {
                    **row_of(r),
                    "id": decision_id,
                    "claim_a_id": a,
                    "claim_b_id": b,
                    "link_id": link_id,
                }
            )
            self.added["suggestion_decision"] += 1
        self._insert("suggestion_decisions", rows)


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


@contextmanager
def _collector_skips_what_exists() -> Iterator[None]:
    """Python's garbage collector leaves out the objects that exist before the import (modules,
    SQLAlchemy's and pydantic's machinery) while it runs: an import allocates so many objects
    that the collector runs over a thousand times, and its full passes would scan them all."""
    gc.freeze()
    try:
        yield
    finally:
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
        _collector_skips_what_exists(),
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
