"""Export and import of the lossless `jsonl` dump, and the seed corpus that ships in that format.

Import is all-or-nothing and idempotent: every record is validated (and every reference checked)
before anything is written; records already in the database (same source key, entity name,
claim text, appearance, verdict or link) are recognised and not added twice. Ids from the file
are kept where they are free, so a dump loaded into an empty database exports byte for byte the
same.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload, undefer

from factcheck.db.ids import advance_sequences, highest_id_ever, lock_for_explicit_ids
from factcheck.errors import Conflict, FactcheckError, InvalidInput, NotFound
from factcheck.interchange.claimreview import data_feed, read_claimreview, review
from factcheck.interchange.datasets import LIAR_COLUMNS, read_averitec, read_liar
from factcheck.interchange.flatcsv import read_rows, write_rows
from factcheck.interchange.jsonl import dumps, read_records
from factcheck.interchange.records import (
    AnyRecord,
    AppearanceRecord,
    ClaimRecord,
    EntityRecord,
    EvidenceRecord,
    HeaderRecord,
    LabelRecord,
    LinkRecord,
    Record,
    ScaleRecord,
    SourceRecord,
    VerdictRecord,
)
from factcheck.models import (
    Appearance,
    Claim,
    ClaimEntity,
    ClaimTag,
    Entity,
    EntityAlias,
    Evidence,
    Link,
    RatingLabel,
    RatingScale,
    Source,
    Tag,
    Verdict,
)
from factcheck.resources import resource_dir
from factcheck.schemas import AppearanceIn, ClaimEdit, ClaimIn, Output, VerdictIn, first_error
from factcheck.services.claims import add_claim, cite_claim, claims_by_id, edit_claim
from factcheck.services.sources import sha256
from factcheck.services.verdicts import set_verdict
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


# --- export ---------------------------------------------------------------------------------


def export_records(session: Session) -> Iterator[Record]:
    yield HeaderRecord()
    for scale in session.scalars(select(RatingScale).order_by(RatingScale.id)):
        yield ScaleRecord(
            key=scale.key,
            name=scale.name,
            best_value=scale.best_value,
            worst_value=scale.worst_value,
            description=scale.description,
        )
    labels = select(RatingLabel).join(RatingScale).order_by(RatingScale.id, RatingLabel.id)
    for label in session.scalars(labels):
        yield LabelRecord(
            scale=label.scale.key,
            label=label.label,
            polarity=label.polarity,
            value=label.value,
            position=label.position,
            description=label.description,
        )
    for source in _stream(session, select(Source).options(undefer(Source.text))):
        yield SourceRecord(
            id=source.id,
            key=source.key,
            title=source.title,
            url=source.url,
            outlet=source.outlet,
            author=source.author,
            published=source.published,
            kind=source.kind,
            language=source.language,
            text=source.text,
            text_sha256=source.text_sha256,
            notes=source.notes,
            created_at=source.created_at,
            created_by=source.created_by,
        )
    for entity in _stream(session, select(Entity).options(selectinload(Entity.aliases))):
        yield EntityRecord(
            id=entity.id,
            name=entity.name,
            kind=entity.kind,
            aliases=[a.alias for a in entity.aliases],
            notes=entity.notes,
            created_at=entity.created_at,
            created_by=entity.created_by,
        )
    claims = select(Claim).options(
        selectinload(Claim.tags).joinedload(ClaimTag.tag), selectinload(Claim.entities)
    )
    for claim in _stream(session, claims):
        yield ClaimRecord(
            id=claim.id,
            text=claim.text,
            kind=claim.kind,
            tags=[ct.tag.name for ct in claim.tags],
            entities=[ce.entity_id for ce in claim.entities],
            notes=claim.notes,
            created_at=claim.created_at,
            created_by=claim.created_by,
        )
    for a in _stream(session, select(Appearance)):
        yield AppearanceRecord(
            id=a.id,
            claim_id=a.claim_id,
            source_id=a.source_id,
            quote=a.quote,
            quote_entered=a.quote_entered,
            start=a.quote_start,
            end=a.quote_end,
            prefix=a.prefix,
            suffix=a.suffix,
            anchor_status=a.anchor_status,
            claimant=a.claimant,
            stance=a.stance,
            created_at=a.created_at,
            created_by=a.created_by,
        )
    verdicts = select(Verdict).options(
        selectinload(Verdict.label).joinedload(RatingLabel.scale), selectinload(Verdict.evidence)
    )
    for v in _stream(session, verdicts):
        yield VerdictRecord(
            id=v.id,
            claim_id=v.claim_id,
            scale=v.label.scale.key,
            label=v.label.label,
            note=v.note,
            evidence=[
                EvidenceRecord(source_id=e.source_id, url=e.url, quote=e.quote, note=e.note)
                for e in v.evidence
            ],
            created_at=v.created_at,
            created_by=v.created_by,
        )
    for link in _stream(session, select(Link)):
        yield LinkRecord(
            id=link.id,
            claim_a=link.claim_a_id,
            claim_b=link.claim_b_id,
            relation=link.relation,
            note=link.note,
            created_at=link.created_at,
            created_by=link.created_by,
        )


def _stream(session: Session, query: Any) -> Iterator[Any]:
    """Rows in id order, fetched in batches so memory does not grow with the database."""
    entity = query.column_descriptions[0]["entity"]
    ordered = query.order_by(entity.id).execution_options(yield_per=_BATCH)
    yield from session.scalars(ordered)


def export_jsonl(session: Session) -> Iterator[str]:
    for record in export_records(session):
        yield dumps(record) + "\n"


# --- import ---------------------------------------------------------------------------------


class _Plan:
    """The validated contents of a dump, grouped by type, with every reference checked."""

    def __init__(self, numbered: Iterable[tuple[int, AnyRecord]]) -> None:
        self.records: dict[str, list[tuple[int, Any]]] = {t: [] for t in RECORD_ORDER}
        for number, record in numbered:
            self.records[record.type].append((number, record))
        self.sources = self._by_id("source")
        self.entities = self._by_id("entity")
        self.claims = self._by_id("claim")
        self._by_id("appearance")
        self._by_id("verdict")
        self._by_id("link")
        self._check_references()

    def _by_id(self, kind: str) -> dict[int, Any]:
        found: dict[int, Any] = {}
        for number, record in self.records[kind]:
            if record.id in found:
                raise InvalidInput(f"line {number}: a second {kind} with id {record.id}")
            found[record.id] = record
        return found

    def _check_references(self) -> None:
        def need(number: int, kind: str, table: dict[int, Any], ref: int | None) -> None:
            if ref is not None and ref not in table:
                raise InvalidInput(
                    f"line {number}: refers to {kind} {ref}, which is not in the file"
                )

        for number, claim in self.records["claim"]:
            for ref in claim.entities:
                need(number, "entity", self.entities, ref)
        for number, a in self.records["appearance"]:
            need(number, "claim", self.claims, a.claim_id)
            need(number, "source", self.sources, a.source_id)
            _check_anchor(number, a, self.sources[a.source_id])
        for number, v in self.records["verdict"]:
            need(number, "claim", self.claims, v.claim_id)
            for e in v.evidence:
                need(number, "source", self.sources, e.source_id)
                if e.source_id is None and e.url is None:
                    raise InvalidInput(f"line {number}: evidence needs a source_id or a url")
        for number, link in self.records["link"]:
            need(number, "claim", self.claims, link.claim_a)
            need(number, "claim", self.claims, link.claim_b)
            if link.claim_a == link.claim_b:
                raise InvalidInput(f"line {number}: a claim cannot be linked to itself")
        for number, s in self.records["source"]:
            if s.text is not None and s.text_sha256 not in (None, sha256(s.text)):
                raise InvalidInput(f"line {number}: text_sha256 does not match the text")


def _check_anchor(number: int, a: AppearanceRecord, source: SourceRecord) -> None:
    anchored = a.anchor_status in ("exact", "normalised")
    if anchored != (a.start is not None and a.end is not None):
        raise InvalidInput(
            f"line {number}: an appearance is {a.anchor_status} exactly when it has start and end"
        )
    if a.anchor_status == "none" and a.quote is not None:
        raise InvalidInput(f"line {number}: anchor_status none, but a quote is given")
    if a.anchor_status != "none" and a.quote is None:
        raise InvalidInput(f"line {number}: anchor_status {a.anchor_status} needs a quote")
    if anchored:
        assert a.start is not None and a.end is not None
        passage = (source.text or "")[a.start : a.end]
        if passage != a.quote:
            raise InvalidInput(
                f"line {number}: the quote is not what source {source.key!r} has at "
                f"{a.start}-{a.end}"
            )


# The record types whose rows keep the file's ids where they can.
EXPLICIT_ID_MODELS: tuple[type[Any], ...] = (Source, Entity, Claim, Appearance, Verdict, Link)
EXPLICIT_ID_TABLES = [model.__table__ for model in EXPLICIT_ID_MODELS]


class _Ids:
    """Ids for the new rows of one table: the file's own id when it is free and above every id
    the table has ever used (ids are never reused), else the next unused one."""

    def __init__(self, session: Session, model: type[Any]) -> None:
        highest = highest_id_ever(session.connection(), model.__table__)
        self.floor = highest
        self.used: set[int] = set()
        self.next = highest + 1

    def take(self, wanted: int) -> int:
        if wanted > self.floor and wanted not in self.used:
            chosen = wanted
        else:
            while self.next in self.used or self.next <= self.floor:
                self.next += 1
            chosen = self.next
        self.used.add(chosen)
        return chosen


class _Importer:
    """Applies a validated plan, recognising what the database already holds.

    Natural keys are loaded once up front and new rows get their ids before they are written,
    so each record type is written in one flush.
    """

    def __init__(self, session: Session, plan: _Plan) -> None:
        self.session = session
        self.plan = plan
        self.added: Counter[str] = Counter()
        self.existing: Counter[str] = Counter()
        self.source_ids: dict[int, int] = {}
        self.entity_ids: dict[int, int] = {}
        self.claim_ids: dict[int, int] = {}
        # Claims that were in the database before this import, by the file's id.
        self.old_claims: set[int] = set()
        lock_for_explicit_ids(session.connection(), EXPLICIT_ID_TABLES)
        self.ids = {model: _Ids(session, model) for model in EXPLICIT_ID_MODELS}
        self.scales = {s.key: s for s in session.scalars(select(RatingScale))}
        self.labels = {
            (lab.scale.key, lab.label): lab
            for lab in session.scalars(select(RatingLabel).options(joinedload(RatingLabel.scale)))
        }
        self.tags = {t.name: t for t in session.scalars(select(Tag))}

    def run(self) -> None:
        steps: dict[str, Callable[[list[tuple[int, Any]]], None]] = {
            "rating_scale": self._rating_scales,
            "rating_label": self._rating_labels,
            "source": self._sources,
            "entity": self._entities,
            "claim": self._claims,
            "appearance": self._appearances,
            "verdict": self._verdicts,
            "link": self._links,
        }
        with self.session.no_autoflush:
            for kind in RECORD_ORDER:
                records = self.plan.records[kind]
                if records:
                    steps[kind](records)
                    self.session.flush()

    def _new(self, kind: str, obj: Any) -> Any:
        self.session.add(obj)
        self.added[kind] += 1
        return obj

    def _rating_scales(self, records: list[tuple[int, ScaleRecord]]) -> None:
        for _number, r in records:
            if r.key in self.scales:
                self.existing["rating_scale"] += 1
                continue
            scale = RatingScale(**r.model_dump(exclude={"type"}))
            self.scales[r.key] = self._new("rating_scale", scale)

    def _rating_labels(self, records: list[tuple[int, LabelRecord]]) -> None:
        for number, r in records:
            if (r.scale, r.label) in self.labels:
                self.existing["rating_label"] += 1
                continue
            scale = self.scales.get(r.scale)
            if scale is None:
                raise InvalidInput(f"line {number}: no rating scale {r.scale!r}")
            label = RatingLabel(scale=scale, **r.model_dump(exclude={"type", "scale"}))
            self.labels[(r.scale, r.label)] = self._new("rating_label", label)

    def _sources(self, records: list[tuple[int, SourceRecord]]) -> None:
        keys = [r.key for _n, r in records]
        known = {
            key: (source_id, digest)
            for key, source_id, digest in self.session.execute(
                select(Source.key, Source.id, Source.text_sha256).where(Source.key.in_(keys))
            )
        }
        for number, r in records:
            digest = sha256(r.text) if r.text is not None else None
            if r.key in known:
                source_id, stored = known[r.key]
                if stored != digest:
                    raise Conflict(
                        f"line {number}: source {r.key!r} is already in the database with "
                        "another text",
                        hint="rename the key in the file, or compare the two texts first",
                    )
                self.existing["source"] += 1
            else:
                source_id = self.ids[Source].take(r.id)
                fields = r.model_dump(exclude={"type", "id", "text_sha256"})
                self._new("source", Source(id=source_id, text_sha256=digest, **fields))
                known[r.key] = (source_id, digest)
            self.source_ids[r.id] = source_id

    def _entities(self, records: list[tuple[int, EntityRecord]]) -> None:
        names = [r.name for _n, r in records]
        known = {
            e.name: e
            for e in self.session.scalars(
                select(Entity).where(Entity.name.in_(names)).options(selectinload(Entity.aliases))
            )
        }
        for _number, r in records:
            entity = known.get(r.name)
            if entity is None:
                fields = r.model_dump(exclude={"type", "id", "aliases"})
                entity = Entity(id=self.ids[Entity].take(r.id), **fields)
                known[r.name] = self._new("entity", entity)
            else:
                self.existing["entity"] += 1
            keys = {a.alias_key for a in entity.aliases}
            for alias in (r.name, *r.aliases):
                if fold(alias) not in keys:
                    keys.add(fold(alias))
                    entity.aliases.append(EntityAlias(alias=alias, alias_key=fold(alias)))
            self.entity_ids[r.id] = entity.id

    def _tag(self, name: str) -> Tag:
        if name not in self.tags:
            self.tags[name] = Tag(name=name)
        return self.tags[name]

    def _claims(self, records: list[tuple[int, ClaimRecord]]) -> None:
        # A claim with the same wording and notes that was there before this import is the
        # same claim (so loading a dump twice adds nothing); claims of one file stay distinct.
        # Datasets keep each row's identity in the notes (e.g. "LIAR train statement 2635.json").
        texts = {r.text for _n, r in records}
        before: dict[tuple[str, str | None], list[int]] = {}
        for claim_id, claim_text, notes in self.session.execute(
            select(Claim.id, Claim.text, Claim.notes)
            .where(Claim.text.in_(texts))
            .order_by(Claim.id)
        ):
            before.setdefault((claim_text, notes), []).append(claim_id)
        for _number, r in records:
            candidates = before.get((r.text, r.notes))
            if candidates:
                claim = self.session.get(Claim, candidates.pop(0))
                assert claim is not None
                self.existing["claim"] += 1
                self.old_claims.add(r.id)
            else:
                fields = r.model_dump(exclude={"type", "id", "tags", "entities"})
                claim = self._new("claim", Claim(id=self.ids[Claim].take(r.id), **fields))
            tags = {ct.tag.name for ct in claim.tags}
            for name in r.tags:
                if name not in tags:
                    tags.add(name)
                    claim.tags.append(ClaimTag(tag=self._tag(name)))
            entities = {ce.entity_id for ce in claim.entities}
            for ref in r.entities:
                entity_id = self.entity_ids[ref]
                if entity_id not in entities:
                    entities.add(entity_id)
                    claim.entities.append(ClaimEntity(entity_id=entity_id))
            self.claim_ids[r.id] = claim.id

    def _appearances(self, records: list[tuple[int, AppearanceRecord]]) -> None:
        old = [self.claim_ids[r.claim_id] for _n, r in records if r.claim_id in self.old_claims]
        present = {
            (claim_id, source_id, quote)
            for claim_id, source_id, quote in self.session.execute(
                select(Appearance.claim_id, Appearance.source_id, Appearance.quote).where(
                    Appearance.claim_id.in_(old)
                )
            )
        }
        for _number, r in records:
            claim_id, source_id = self.claim_ids[r.claim_id], self.source_ids[r.source_id]
            if (claim_id, source_id, r.quote) in present:
                self.existing["appearance"] += 1
                continue
            present.add((claim_id, source_id, r.quote))
            fields = r.model_dump(exclude={"type", "id", "claim_id", "source_id", "start", "end"})
            appearance = Appearance(
                id=self.ids[Appearance].take(r.id),
                claim_id=claim_id,
                source_id=source_id,
                quote_start=r.start,
                quote_end=r.end,
                **fields,
            )
            self._new("appearance", appearance)

    def _verdicts(self, records: list[tuple[int, VerdictRecord]]) -> None:
        old = [self.claim_ids[r.claim_id] for _n, r in records if r.claim_id in self.old_claims]
        present = {
            (claim_id, label_id, note, created_at)
            for claim_id, label_id, note, created_at in self.session.execute(
                select(Verdict.claim_id, Verdict.label_id, Verdict.note, Verdict.created_at).where(
                    Verdict.claim_id.in_(old)
                )
            )
        }
        for number, r in records:
            label = self.labels.get((r.scale, r.label))
            if label is None:
                raise NotFound(f"line {number}: no verdict label {r.label!r} in scale {r.scale!r}")
            claim_id = self.claim_ids[r.claim_id]
            key = (claim_id, label.id, r.note, r.created_at)
            if key in present:
                self.existing["verdict"] += 1
                continue
            present.add(key)
            verdict = Verdict(
                id=self.ids[Verdict].take(r.id),
                claim_id=claim_id,
                label_id=label.id,
                note=r.note,
                created_at=r.created_at,
                created_by=r.created_by,
            )
            for e in r.evidence:
                source_id = self.source_ids[e.source_id] if e.source_id is not None else None
                verdict.evidence.append(
                    Evidence(source_id=source_id, url=e.url, quote=e.quote, note=e.note)
                )
            self._new("verdict", verdict)

    def _links(self, records: list[tuple[int, LinkRecord]]) -> None:
        old = [self.claim_ids[r.claim_a] for _n, r in records if r.claim_a in self.old_claims]
        present = {
            (a, b, relation)
            for a, b, relation in self.session.execute(
                select(Link.claim_a_id, Link.claim_b_id, Link.relation).where(
                    Link.claim_a_id.in_(old) | Link.claim_b_id.in_(old)
                )
            )
        }
        for _number, r in records:
            a, b = self.claim_ids[r.claim_a], self.claim_ids[r.claim_b]
            if r.relation in SYMMETRIC_RELATIONS and a > b:
                a, b = b, a
            if (a, b, r.relation) in present:
                self.existing["link"] += 1
                continue
            present.add((a, b, r.relation))
            fields = r.model_dump(exclude={"type", "id", "claim_a", "claim_b"})
            link = Link(id=self.ids[Link].take(r.id), claim_a_id=a, claim_b_id=b, **fields)
            self._new("link", link)


def import_records(
    session: Session,
    numbered: Iterable[tuple[int, AnyRecord]],
    on_checked: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Validate all the records, then write them (the caller's transaction commits or not).

    `on_checked` is told how many records there are once they are all read and checked.
    """
    plan = _Plan(numbered)
    if on_checked is not None:
        on_checked(sum(len(group) for group in plan.records.values()))
    importer = _Importer(session, plan)
    importer.run()
    advance_sequences(session.connection(), EXPLICIT_ID_TABLES)
    return ImportSummary(
        added={k: importer.added[k] for k in RECORD_ORDER},
        existing={k: importer.existing[k] for k in RECORD_ORDER},
    )


def import_jsonl(session: Session, lines: Iterable[bytes]) -> ImportSummary:
    return import_records(session, read_records(lines))


IMPORT_FORMATS = ("jsonl", "csv", "claimreview", "liar", "averitec")


def import_csv(session: Session, lines: Iterable[str]) -> ImportSummary:
    """Flat CSV rows (see factcheck.interchange.flatcsv): each adds a claim, or an appearance
    of the claim with the same wording, and its verdict when that differs from the current one."""
    rows = list(read_rows(lines))
    added: Counter[str] = Counter()
    existing: Counter[str] = Counter()
    known: dict[str, int] = {}
    for number, row in rows:
        try:
            claim_id = known.get(row.claim) or session.scalar(
                select(Claim.id).where(Claim.text == row.claim).order_by(Claim.id).limit(1)
            )
            appearance = AppearanceIn(
                source=row.source, quote=row.quote, claimant=row.claimant, stance=row.stance
            )
            if claim_id is None:
                claim = ClaimIn(text=row.claim, kind=row.kind, tags=row.tags, appearance=appearance)
                claim_id = add_claim(session, claim).id
                added.update(["claim", "appearance"])
            else:
                existing["claim"] += 1
                try:
                    cite_claim(session, claim_id, appearance)
                    added["appearance"] += 1
                except Conflict:
                    existing["appearance"] += 1
                edit_claim(session, claim_id, ClaimEdit(add_tags=row.tags))
            known[row.claim] = claim_id
            if row.verdict is not None:
                current = session.scalar(
                    select(Verdict).where(Verdict.claim_id == claim_id).order_by(Verdict.id.desc())
                )
                if current is not None and (current.label.label, current.note) == (
                    row.verdict,
                    row.verdict_note,
                ):
                    existing["verdict"] += 1
                else:
                    verdict = VerdictIn(claim_id=claim_id, label=row.verdict,
                                        note=row.verdict_note, evidence=row.evidence)  # fmt: skip
                    set_verdict(session, verdict)
                    added["verdict"] += 1
        except ValidationError as exc:
            raise InvalidInput(f"row {number}: {first_error(exc)}") from exc
        except FactcheckError as exc:
            raise type(exc)(f"row {number}: {exc.message}", exc.hint) from exc
    kinds = ("claim", "appearance", "verdict")
    return ImportSummary(
        added={k: added[k] for k in kinds}, existing={k: existing[k] for k in kinds}
    )


def export_claimreview(session: Session) -> Iterator[str]:
    """A schema.org DataFeed with a ClaimReview for every claim that has a verdict."""
    scales = {
        key: (best, worst)
        for key, best, worst in session.execute(
            select(RatingScale.key, RatingScale.best_value, RatingScale.worst_value)
        )
    }
    reviewed = select(Verdict.claim_id).distinct().order_by(Verdict.claim_id)
    ids = list(session.scalars(reviewed))
    items = [
        review(claim, scales)
        for start in range(0, len(ids), _BATCH)
        for claim in claims_by_id(session, ids[start : start + _BATCH])
    ]
    yield data_feed(items)


def export_csv(session: Session) -> Iterator[str]:
    """One row per appearance of each claim, with the claim's current verdict."""

    def rows() -> Iterator[dict[str, str]]:
        ids = list(session.scalars(select(Claim.id).order_by(Claim.id)))
        for start in range(0, len(ids), _BATCH):
            for claim in claims_by_id(session, ids[start : start + _BATCH]):
                verdict = claim.verdict
                evidence = (
                    [e.source_key or e.url or "" for e in verdict.evidence] if verdict else []
                )
                for a in claim.appearances:
                    yield {
                        "id": str(claim.id),
                        "claim": claim.text,
                        "source": a.source_key,
                        "quote": a.quote or "",
                        "claimant": a.claimant or "",
                        "stance": a.stance,
                        "kind": claim.kind,
                        "tags": "; ".join(claim.tags),
                        "verdict": verdict.label if verdict else "",
                        "verdict_polarity": verdict.polarity if verdict else "",
                        "verdict_note": (verdict.note or "") if verdict else "",
                        "evidence": "; ".join(evidence),
                        "created_at": claim.created_at.isoformat(),
                        "created_by": claim.created_by or "",
                    }

    return write_rows(rows())


def detect_format(name: str, head: bytes) -> str:
    """The format of a file from its name, else from its first bytes; unclear is an error."""
    lower = name.lower()
    for ending, fmt in ((".tsv", "liar"), (".jsonl", "jsonl"), (".csv", "csv")):
        if lower.endswith(ending):
            return fmt
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if b"ClaimReview" in head or b"claimReviewed" in head or b"dataFeedElement" in head:
        return "claimreview"
    if start.startswith(b"["):
        return "averitec"
    if start.startswith(b'{"type"'):
        return "jsonl"
    first_line = head.split(b"\n", 1)[0]
    if first_line.count(b"\t") == LIAR_COLUMNS - 1:
        return "liar"
    if b"claim" in first_line.lower() and b"," in first_line:
        return "csv"
    raise InvalidInput(
        f"cannot tell the format of {name}",
        hint="pass --format jsonl, csv, claimreview, liar or averitec",
    )


def import_stream(
    session: Session,
    stream: BinaryIO,
    name: str,
    fmt: str,
    on_checked: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import a file in a format (or "auto"): all of it, or on any error nothing."""
    if fmt == "auto":
        fmt = detect_format(name, stream.peek(4096) if hasattr(stream, "peek") else b"")
    if fmt == "csv":
        text_lines = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        try:
            return import_csv(session, text_lines)
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{name} is not valid UTF-8 ({exc.reason})") from exc
        finally:
            text_lines.detach()
    if fmt == "liar":
        split = Path(name).stem
        return import_records(session, read_liar(stream, split), on_checked)
    if fmt == "claimreview":
        return import_records(session, read_claimreview(stream.read(), name), on_checked)
    if fmt == "averitec":
        return import_records(session, read_averitec(stream.read(), name), on_checked)
    return import_records(session, read_records(stream), on_checked)


def seed_file() -> Path:
    return resource_dir("seeds", "corpus.jsonl") / "corpus.jsonl"


def load_seed(session: Session) -> ImportSummary:
    """Load the bundled founding corpus (idempotent: a second load adds nothing)."""
    with seed_file().open("rb") as lines:
        return import_jsonl(session, lines)
