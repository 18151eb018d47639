"""Importing the flat CSV a researcher fills in a spreadsheet, or an export of one (see
factcheck.interchange.flatcsv).

The import runs in two passes over the rows, in the caller's one transaction. The first takes
what the rows define that the database lacks: sources (a row whose source key is new, with its
`source_*` details), rating scales and labels (a verdict with a label its scale lacks, given
with its polarity and value). The second checks each row as `claim add`, `claim cite`, `claim
edit --add-tag` and `verdict set` check their input, by the same services (the source looked up
and the quote anchored by claims.appearance_columns, the label found by refs.find_label, the
evidence by verdicts.evidence_columns), so the sources and labels of the first pass are there to
be found. Both passes become the import engine's records (services/importer.py), written in
batches as every other import's are. (Written a row at a time by the commands' own inserts, the
CSV took twice as long as the jsonl import of the same claims: each statement has a cost of its
own, above all the search index's, which a multi-row insert pays once.)

A row names its claim by wording: the oldest claim of the database with that wording, else the
one an earlier row added, else a new one (with the row's kind, notes, creation and the id in its
`id` cell when the database has no claim of that id); every row adds its tags to it. A row's
verdict given with its time (`verdict_at`, as an export writes it) is recorded unless the claim
already has that verdict (label, note and time); one without, when it differs (scale, label and
note) from the claim's current one. Rows are taken in file order, so a claim's verdicts are its
history in the order of the rows.

A row is checked whole before it counts, so with `import --rejects` a failing row is set aside
with nothing of it kept (a row whose source the first pass wrote is tried again without it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from factcheck.db.store import Store
from factcheck.errors import FactcheckError, InvalidInput, SetAside
from factcheck.interchange.flatcsv import NOT_CARRIED, CsvRow, read_rows
from factcheck.interchange.records import (
    AnyRecord,
    AppearanceRecord,
    ClaimRecord,
    EvidenceRecord,
    LabelRecord,
    ScaleRecord,
    SourceRecord,
    VerdictRecord,
)
from factcheck.schemas import (
    AppearanceIn,
    ClaimEdit,
    ClaimIn,
    LabelIn,
    SourceIn,
    VerdictIn,
    first_error,
)
from factcheck.services.claims import appearance_columns
from factcheck.services.importer import ImportSummary, import_records
from factcheck.services.record_rows import fields_from
from factcheck.services.refs import LabelRef, find_label
from factcheck.services.verdicts import evidence_columns
from factcheck.vocab import ClaimKind

_KINDS = ("rating_scale", "rating_label", "source", "claim", "appearance", "verdict")
_TICK = timedelta(microseconds=1)
# Source keys looked up at a time.
_CHUNK = 500


def _row_error(
    number: int, exc: ValidationError | FactcheckError, prefix: str = ""
) -> FactcheckError:
    """The error of row `number`, in the row's terms (a field of a checked model named as the
    column it came from, with `prefix`)."""
    if isinstance(exc, ValidationError):
        return InvalidInput(f"row {number}: {prefix}{first_error(exc)}", row=number)
    return type(exc)(f"row {number}: {exc.message}", exc.hint, row=number)


def _describes_source(row: CsvRow) -> bool:
    """Whether the row gives details of its source (to add it, a title among them)."""
    return any(
        value is not None
        for value in (row.source_title, row.source_url, row.source_outlet, row.source_author,
                      row.source_published, row.source_kind, row.source_language,
                      row.source_notes)
    )  # fmt: skip


def _definitions(
    store: Store, rows: list[tuple[int, CsvRow]], set_aside: SetAside | None, defined: set[int]
) -> Iterator[tuple[int, AnyRecord]]:
    """The sources, scales and labels the rows define that the database lacks (the first row
    naming each defines it); the numbers of those rows go into `defined`."""
    keys = list({row.source for _n, row in rows if row.source and _describes_source(row)})
    present: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        params = {f"key{i}": key for i, key in enumerate(chunk)}
        marks = ", ".join(f":{name}" for name in params)
        found = store.rows(f"SELECT key FROM sources WHERE key IN ({marks})", params)
        present.update(key for (key,) in found)
    scales = {key for (key,) in store.rows("SELECT key FROM rating_scales")}
    labels = {
        (scale, label)
        for scale, label in store.rows(
            "SELECT r.key, l.label FROM rating_labels l JOIN rating_scales r ON r.id = l.scale_id"
        )
    }
    now = datetime.now(UTC)
    for number, row in rows:
        records: list[AnyRecord] = []
        try:
            if row.source and _describes_source(row) and row.source not in present:
                # Checked as `source add` checks it, the error naming the row's column.
                try:
                    source = SourceIn(
                        key=row.source, title=row.source_title, url=row.source_url,
                        outlet=row.source_outlet, author=row.source_author,
                        published=row.source_published, kind=row.source_kind or "article",
                        language=row.source_language, notes=row.source_notes,
                    )  # fmt: skip
                except ValidationError as exc:
                    raise _row_error(number, exc, "source_") from exc
                records.append(SourceRecord(
                    id=len(present) + 1, key=row.source, title=source.title, url=source.url,
                    outlet=source.outlet, author=source.author, published=source.published,
                    kind=source.kind, language=source.language, notes=source.notes,
                    created_at=now, created_by=store.actor,
                ))  # fmt: skip
            new_label = (row.verdict_scale, row.verdict or "")
            if row.verdict and row.verdict_polarity and new_label not in labels:
                if row.verdict_scale not in scales:
                    records.append(ScaleRecord(key=row.verdict_scale, name=row.verdict_scale))
                label = LabelIn(label=row.verdict, polarity=row.verdict_polarity,
                                value=row.verdict_value, scale=row.verdict_scale)  # fmt: skip
                if label.scale in scales:
                    position = store.value(
                        "SELECT coalesce(max(l.position), -1) + 1 FROM rating_labels l "
                        "JOIN rating_scales r ON r.id = l.scale_id WHERE r.key = :scale",
                        {"scale": label.scale},
                    )
                else:
                    position = sum(1 for scale, _label in labels if scale == label.scale)
                records.append(LabelRecord(
                    scale=label.scale, label=label.label, polarity=label.polarity,
                    value=label.value, position=int(position),
                ))  # fmt: skip
        except ValidationError as exc:
            error = _row_error(number, exc, "verdict_")
        except FactcheckError as exc:
            error = exc if exc.row is not None else _row_error(number, exc)
        else:
            for record in records:
                if isinstance(record, SourceRecord):
                    present.add(record.key)
                elif isinstance(record, ScaleRecord):
                    scales.add(record.key)
                elif isinstance(record, LabelRecord):
                    labels.add((record.scale, record.label))
                defined.add(number)
                yield number, record
            continue
        if set_aside is None:
            raise error
        set_aside(error)


@dataclass
class _Claim:
    """A claim the rows name: its record's id, and what its record and verdicts need."""

    id: int
    number: int  # the first row naming it
    new: bool  # not in the database before
    kind: ClaimKind
    notes: str | None  # an existing claim's, by which the import engine recognises it
    created_at: datetime
    created_by: str | None
    tags: list[str] = field(default_factory=list)
    # The current verdict: scale, label and note.
    verdict: tuple[str, str, str | None] | None = None


class _Sheet:
    """The records of the rows, checked one row at a time, in the order of the file."""

    def __init__(self, store: Store, wanted_ids: set[int]) -> None:
        self.store = store
        self.claims: dict[str, _Claim] = {}
        # The file ids of claims: a row's `id` when no earlier claim of the file took it, else
        # the next one no row asks for.
        self.wanted_ids = wanted_ids
        self.taken_ids: set[int] = set()
        self.next_id = 1
        self.appearances: list[tuple[int, AppearanceRecord]] = []
        self.verdicts: list[tuple[int, VerdictRecord]] = []
        self.sources: set[int] = set()
        self.labels: dict[tuple[str, str], LabelRef] = {}
        self.existing = {"claim": 0, "verdict": 0}
        self.now = datetime.now(UTC)

    def add(self, number: int, row: CsvRow) -> None:
        """Check the row, then take its records: a row that fails leaves nothing behind."""
        if row.claim is None:
            if row.source is None or row.source_title is None:
                raise InvalidInput("a row needs a claim, or a source with its source_title")
            return  # a source alone: the first pass took it
        # Each row's time is later than the row's before: the import engine recognises a verdict
        # by its claim, label, note and time, and a clock can repeat (verdicts A, B, A again).
        now = self.now = max(datetime.now(UTC), self.now + _TICK)
        appearance = None
        if row.source is not None:
            appearance = AppearanceIn(
                source=row.source, quote=row.quote, claimant=row.claimant, stance=row.stance
            )
        elif row.quote is not None or row.claimant is not None:
            raise InvalidInput("a quote or claimant needs the source it is in")
        claim = self.claims.get(row.claim) or self._claim(number, row, appearance, now)
        columns = None if appearance is None else appearance_columns(self.store, appearance, [])
        adds_claim = claim.new and claim.number == number
        if not adds_claim and row.tags:
            ClaimEdit(add_tags=row.tags)  # checked as `claim edit --add-tag` checks them
        verdict = label = None
        evidence: list[dict[str, Any]] = []
        if row.verdict is not None and (
            row.verdict_at is not None
            or claim.verdict != (row.verdict_scale, row.verdict, row.verdict_note)
        ):
            verdict = VerdictIn(claim_id=claim.id, label=row.verdict, note=row.verdict_note,
                                scale=row.verdict_scale, evidence=row.evidence)  # fmt: skip
            label = self.labels.get((verdict.label, verdict.scale))
            if label is None:
                label = find_label(self.store, verdict.label, verdict.scale)
                self.labels[(verdict.label, verdict.scale)] = label
            evidence = evidence_columns(self.store, verdict.evidence)
        elif row.verdict is None and (row.verdict_at or row.verdict_by or row.evidence):
            raise InvalidInput("verdict_at, verdict_by and evidence need a verdict")
        # Checked: the row's records are taken (a claim's file id only now, so that a row that
        # fails leaves no gap in the ids of new claims).
        if claim.id == 0:
            claim.id = self._file_id(row.id if claim.new else None)
        self.claims[row.claim] = claim
        if not adds_claim:
            self.existing["claim"] += 1
        claim.tags += row.tags
        if columns is not None:
            record = fields_from(AppearanceRecord, columns)
            self.sources.add(columns["source_id"])
            self.appearances.append((number, AppearanceRecord(
                **{**record, "id": len(self.appearances) + 1, "claim_id": claim.id},
                created_at=now, created_by=self.store.actor,
            )))  # fmt: skip
        if verdict is not None and label is not None:
            verdict_record = VerdictRecord(
                id=len(self.verdicts) + 1, claim_id=claim.id, scale=verdict.scale,
                label=label.label, note=verdict.note,
                evidence=[EvidenceRecord(**e) for e in evidence],
                created_at=row.verdict_at or now, created_by=row.verdict_by or self.store.actor,
            )  # fmt: skip
            self.sources.update(e["source_id"] for e in evidence if e["source_id"])
            self.verdicts.append((number, verdict_record))
            claim.verdict = (verdict_record.scale, verdict_record.label, verdict_record.note)
        elif row.verdict is not None:
            self.existing["verdict"] += 1

    def _claim(
        self, number: int, row: CsvRow, appearance: AppearanceIn | None, now: datetime
    ) -> _Claim:
        """The claim of a wording no earlier row named: the database's oldest with that
        wording, else a new one (checked as `claim add` checks it); `add` keeps it once the
        row is checked."""
        assert row.claim is not None
        found = self.store.row(
            "SELECT id, notes FROM claims WHERE text = :text ORDER BY id LIMIT 1",
            {"text": row.claim},
        )
        if found is None:
            if appearance is None:  # (a claim that appears nowhere, as an export writes it)
                ClaimEdit(text=row.claim, kind=row.kind, notes=row.notes, add_tags=row.tags)
            else:
                ClaimIn(text=row.claim, kind=row.kind, tags=row.tags, notes=row.notes,
                        appearance=appearance)  # fmt: skip
            # Its id is given once the row is checked (`add`).
            return _Claim(0, number, True, row.kind, row.notes, row.created_at or now,
                          row.created_by or self.store.actor)  # fmt: skip
        claim = _Claim(0, number, False, row.kind, found[1], now, None)
        current = self.store.row(
            "SELECT r.key, l.label, v.note FROM current_verdicts cv "
            "JOIN verdicts v ON v.id = cv.verdict_id JOIN rating_labels l "
            "ON l.id = v.label_id JOIN rating_scales r ON r.id = l.scale_id "
            "WHERE cv.claim_id = :claim",
            {"claim": found[0]},
        )
        claim.verdict = None if current is None else (current[0], current[1], current[2])
        return claim

    def _file_id(self, wanted: int | None) -> int:
        if wanted is not None and wanted not in self.taken_ids:
            self.taken_ids.add(wanted)
            return wanted
        while self.next_id in self.wanted_ids or self.next_id in self.taken_ids:
            self.next_id += 1
        self.taken_ids.add(self.next_id)
        return self.next_id

    def records(self) -> Iterator[tuple[int, AnyRecord]]:
        for claim_text, c in self.claims.items():
            yield c.number, ClaimRecord(
                id=c.id, text=claim_text, kind=c.kind, tags=c.tags, notes=c.notes,
                created_at=c.created_at, created_by=c.created_by,
            )  # fmt: skip
        yield from self.appearances
        yield from self.verdicts


def import_csv(
    session: Session,
    lines: Iterable[str],
    on_checked: Callable[[int], None] | None = None,
    set_aside: SetAside | None = None,
) -> ImportSummary:
    """Flat CSV rows (see factcheck.interchange.flatcsv): each adds a claim, or an appearance
    of the claim with the same wording, and its verdict (see the module's docstring); the
    sources, scales and labels they define come first. With `set_aside`, a row that fails is
    given to it and the others go on."""
    rows = list(read_rows(lines, set_aside))
    store = Store.of(session)
    defined: set[int] = set()
    first = import_records(session, _definitions(store, rows, set_aside, defined),
                           set_aside=set_aside)  # fmt: skip
    sheet = _Sheet(store, {row.id for _n, row in rows if row.id is not None})
    for number, row in rows:
        try:
            sheet.add(number, row)
        except (ValidationError, FactcheckError) as exc:
            error = _row_error(number, exc)
            if set_aside is None:
                raise error from exc
            # A row whose source, scale or label the first pass wrote is tried again without it.
            set_aside(error, number in defined)
    written = import_records(
        session, sheet.records(), on_checked, set_aside, database_sources=sheet.sources
    )
    existing = {
        **first.existing,
        "claim": sheet.existing["claim"],
        "appearance": written.existing["appearance"],
        "verdict": sheet.existing["verdict"] + written.existing["verdict"],
    }
    return ImportSummary(
        added={kind: first.added[kind] + written.added[kind] for kind in _KINDS},
        existing={kind: existing[kind] for kind in _KINDS},
        note=NOT_CARRIED,
    )
