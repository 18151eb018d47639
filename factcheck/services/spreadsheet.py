"""Importing the flat CSV a researcher fills in a spreadsheet (see factcheck.interchange.flatcsv).

Each row is checked as `claim add`, `claim cite`, `claim edit --add-tag` and `verdict set`
check their input, by the same services (the source looked up and the quote anchored by
claims.appearance_columns, the label found by refs.find_label, the evidence by
verdicts.evidence_columns), and becomes the import engine's records (services/importer.py),
written in batches as every other import's are. (Written a row at a time by the commands' own
inserts, the CSV took twice as long as the jsonl import of the same claims: each statement has a
cost of its own, above all the search index's, which a multi-row insert pays once.)

A row names its claim by wording: the oldest claim of the database with that wording, else the
one an earlier row added, else a new one (with the row's kind); every row adds its tags to it.
A row's verdict is recorded when it differs (label and note) from the claim's current one.

A row is checked whole before it counts, so with `import --rejects` a failing row is set aside
with nothing of it kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError
from sqlalchemy.orm import Session

from factcheck.db.store import Store
from factcheck.errors import FactcheckError, InvalidInput, SetAside
from factcheck.interchange.flatcsv import CsvRow, read_rows
from factcheck.interchange.records import (
    AnyRecord,
    AppearanceRecord,
    ClaimRecord,
    EvidenceRecord,
    VerdictRecord,
)
from factcheck.schemas import AppearanceIn, ClaimEdit, ClaimIn, VerdictIn, first_error
from factcheck.services.claims import appearance_columns
from factcheck.services.importer import ImportSummary, import_records
from factcheck.services.record_rows import fields_from
from factcheck.services.refs import LabelRef, find_label
from factcheck.services.verdicts import evidence_columns
from factcheck.vocab import ClaimKind

_KINDS = ("claim", "appearance", "verdict")
_TICK = timedelta(microseconds=1)


@dataclass
class _Claim:
    """A claim the rows name: its record's id, and what its record and verdicts need."""

    id: int
    number: int  # the first row naming it
    new: bool  # not in the database before
    kind: ClaimKind
    notes: str | None  # an existing claim's, by which the import engine recognises it
    created_at: datetime
    tags: list[str] = field(default_factory=list)
    verdict: tuple[str, str | None] | None = None  # the current one: label and note


class _Sheet:
    """The records of the rows, checked one row at a time, in the order of the file."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.claims: dict[str, _Claim] = {}
        self.appearances: list[tuple[int, AppearanceRecord]] = []
        self.verdicts: list[tuple[int, VerdictRecord]] = []
        self.sources: set[int] = set()
        self.labels: dict[tuple[str, str], LabelRef] = {}
        self.existing = {"claim": 0, "verdict": 0}
        self.now = datetime.now(UTC)

    def add(self, number: int, row: CsvRow) -> None:
        """Check the row, then take its records: a row that fails leaves nothing behind."""
        # Each row's time is later than the row's before: the import engine recognises a verdict
        # by its claim, label, note and time, and a clock can repeat (verdicts A, B, A again).
        now = self.now = max(datetime.now(UTC), self.now + _TICK)
        appearance = AppearanceIn(
            source=row.source, quote=row.quote, claimant=row.claimant, stance=row.stance
        )
        claim = self.claims.get(row.claim) or self._claim(number, row, appearance, now)
        columns = appearance_columns(self.store, appearance, [])
        adds_claim = claim.new and claim.number == number
        if not adds_claim and row.tags:
            ClaimEdit(add_tags=row.tags)  # checked as `claim edit --add-tag` checks them
        stamp = {"created_at": now, "created_by": self.store.actor}
        record = fields_from(AppearanceRecord, columns)
        appearance_record = AppearanceRecord(
            **{**record, "id": len(self.appearances) + 1, "claim_id": claim.id}, **stamp
        )
        verdict_record = None
        if row.verdict is not None and claim.verdict != (row.verdict, row.verdict_note):
            verdict = VerdictIn(claim_id=claim.id, label=row.verdict, note=row.verdict_note,
                                evidence=row.evidence)  # fmt: skip
            label = self.labels.get((verdict.label, verdict.scale))
            if label is None:
                label = find_label(self.store, verdict.label, verdict.scale)
                self.labels[(verdict.label, verdict.scale)] = label
            found = evidence_columns(self.store, verdict.evidence)
            verdict_record = VerdictRecord(
                id=len(self.verdicts) + 1, claim_id=claim.id, scale=verdict.scale,
                label=label.label, note=verdict.note,
                evidence=[EvidenceRecord(**e) for e in found], **stamp,
            )  # fmt: skip
        # Checked: the row's records are taken.
        self.claims[row.claim] = claim
        if not adds_claim:
            self.existing["claim"] += 1
        claim.tags += row.tags
        self.sources.add(columns["source_id"])
        self.appearances.append((number, appearance_record))
        if verdict_record is not None:
            evidence_sources = (e.source_id for e in verdict_record.evidence)
            self.sources.update(source_id for source_id in evidence_sources if source_id)
            self.verdicts.append((number, verdict_record))
            claim.verdict = (verdict_record.label, verdict_record.note)
        elif row.verdict is not None:
            self.existing["verdict"] += 1

    def _claim(self, number: int, row: CsvRow, appearance: AppearanceIn, now: datetime) -> _Claim:
        """The claim of a wording no earlier row named: the database's oldest with that
        wording, else a new one (checked as `claim add` checks it); `add` keeps it once the
        row is checked."""
        found = self.store.row(
            "SELECT id, notes FROM claims WHERE text = :text ORDER BY id LIMIT 1",
            {"text": row.claim},
        )
        claim = _Claim(len(self.claims) + 1, number, found is None, row.kind, None, now)
        if found is None:
            ClaimIn(text=row.claim, kind=row.kind, tags=row.tags, appearance=appearance)
        else:
            claim.notes = found[1]
            current = self.store.row(
                "SELECT l.label, v.note FROM current_verdicts cv "
                "JOIN verdicts v ON v.id = cv.verdict_id JOIN rating_labels l "
                "ON l.id = v.label_id WHERE cv.claim_id = :claim",
                {"claim": found[0]},
            )
            claim.verdict = None if current is None else (current[0], current[1])
        return claim

    def records(self) -> Iterator[tuple[int, AnyRecord]]:
        for claim_text, c in self.claims.items():
            yield c.number, ClaimRecord(
                id=c.id, text=claim_text, kind=c.kind, tags=c.tags, notes=c.notes,
                created_at=c.created_at, created_by=self.store.actor,
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
    of the claim with the same wording, and its verdict when that differs from the current one.
    With `set_aside`, a row that fails is given to it and the others go on."""
    rows = list(read_rows(lines, set_aside))
    sheet = _Sheet(Store.of(session))
    for number, row in rows:
        try:
            sheet.add(number, row)
        except (ValidationError, FactcheckError) as exc:
            error = (
                InvalidInput(f"row {number}: {first_error(exc)}", row=number)
                if isinstance(exc, ValidationError)
                else type(exc)(f"row {number}: {exc.message}", exc.hint, row=number)
            )
            if set_aside is None:
                raise error from exc
            set_aside(error)
    written = import_records(
        session, sheet.records(), on_checked, set_aside, database_sources=sheet.sources
    )
    existing = {**sheet.existing, "appearance": written.existing["appearance"]}
    return ImportSummary(
        added={kind: written.added[kind] for kind in _KINDS},
        existing={kind: existing[kind] for kind in _KINDS},
    )
