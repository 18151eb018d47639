"""Export and import of the lossless `jsonl` dump, and the seed corpus that ships in that format.

Import is all-or-nothing and idempotent: every record is validated (and every reference checked)
before anything is written; records already in the database (same source key, entity name,
claim text, appearance, verdict or link) are recognised and not added twice. Ids from the file
are kept where they are free, so a dump loaded into an empty database exports byte for byte the
same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, undefer

from factcheck.errors import Conflict, InvalidInput, NotFound
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
from factcheck.schemas import Output
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
)
_BATCH = 1000


class ImportSummary(Output):
    """How many records of each type were added, and how many were already there."""

    added: dict[str, int]
    existing: dict[str, int]
    dry_run: bool = False


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


class _Importer:
    def __init__(self, session: Session, plan: _Plan) -> None:
        self.session = session
        self.plan = plan
        self.added: Counter[str] = Counter()
        self.existing: Counter[str] = Counter()
        self.source_ids: dict[int, int] = {}
        self.entity_ids: dict[int, int] = {}
        self.claim_ids: dict[int, int] = {}
        self.new_claims: set[int] = set()

    def run(self) -> None:
        with self.session.no_autoflush:
            for kind in RECORD_ORDER:
                step = getattr(self, f"_{kind}")
                for number, record in self.plan.records[kind]:
                    step(number, record)
                self.session.flush()

    def _id(self, model: type[Any], wanted: int) -> int | None:
        """Keep the file's id when it is free in the database."""
        return wanted if self.session.get(model, wanted) is None else None

    def _new(self, kind: str, obj: Any) -> Any:
        self.session.add(obj)
        self.added[kind] += 1
        return obj

    def _rating_scale(self, _number: int, r: ScaleRecord) -> None:
        if self.session.scalar(select(RatingScale).where(RatingScale.key == r.key)) is not None:
            self.existing["rating_scale"] += 1
            return
        self._new("rating_scale", RatingScale(**r.model_dump(exclude={"type"})))
        self.session.flush()

    def _rating_label(self, number: int, r: LabelRecord) -> None:
        scale = self.session.scalar(select(RatingScale).where(RatingScale.key == r.scale))
        if scale is None:
            raise InvalidInput(f"line {number}: no rating scale {r.scale!r}")
        if any(lab.label == r.label for lab in scale.labels):
            self.existing["rating_label"] += 1
            return
        fields = r.model_dump(exclude={"type", "scale"})
        scale.labels.append(self._new("rating_label", RatingLabel(**fields)))

    def _source(self, number: int, r: SourceRecord) -> None:
        found = self.session.scalar(
            select(Source).where(Source.key == r.key).options(undefer(Source.text))
        )
        if found is not None:
            if found.text != r.text:
                raise Conflict(
                    f"line {number}: source {r.key!r} is already in the database with another text",
                    hint="rename the key in the file, or compare the two texts first",
                )
            self.existing["source"] += 1
        else:
            fields = r.model_dump(exclude={"type", "id", "text_sha256"})
            text_sha = sha256(r.text) if r.text is not None else None
            found = self._new(
                "source", Source(id=self._id(Source, r.id), text_sha256=text_sha, **fields)
            )
            self.session.flush()
        self.source_ids[r.id] = found.id

    def _entity(self, _number: int, r: EntityRecord) -> None:
        found = self.session.scalar(select(Entity).where(Entity.name == r.name))
        if found is None:
            fields = r.model_dump(exclude={"type", "id", "aliases"})
            found = self._new("entity", Entity(id=self._id(Entity, r.id), **fields))
        else:
            self.existing["entity"] += 1
        keys = {a.alias_key for a in found.aliases}
        for alias in (r.name, *r.aliases):
            if fold(alias) not in keys:
                keys.add(fold(alias))
                found.aliases.append(EntityAlias(alias=alias, alias_key=fold(alias)))
        self.session.flush()
        self.entity_ids[r.id] = found.id

    def _claim(self, _number: int, r: ClaimRecord) -> None:
        # A claim with the same wording that was there before this import is the same claim;
        # two claims of the file with the same wording stay two claims.
        found = self.session.scalar(
            select(Claim)
            .where(Claim.text == r.text, Claim.id.not_in(self.new_claims))
            .order_by(Claim.id)
            .limit(1)
        )
        if found is not None:
            self.existing["claim"] += 1
        else:
            fields = r.model_dump(exclude={"type", "id", "tags", "entities"})
            found = self._new("claim", Claim(id=self._id(Claim, r.id), **fields))
            self.session.flush()
            self.new_claims.add(found.id)
        tags = {ct.tag.name for ct in found.tags}
        for name in r.tags:
            if name not in tags:
                tags.add(name)
                tag = self.session.scalar(select(Tag).where(Tag.name == name)) or Tag(name=name)
                found.tags.append(ClaimTag(tag=tag))
                self.session.flush()
        entities = {ce.entity_id for ce in found.entities}
        for ref in r.entities:
            entity_id = self.entity_ids[ref]
            if entity_id not in entities:
                entities.add(entity_id)
                found.entities.append(ClaimEntity(entity_id=entity_id))
        self.session.flush()
        self.claim_ids[r.id] = found.id

    def _appearance(self, _number: int, r: AppearanceRecord) -> None:
        claim_id, source_id = self.claim_ids[r.claim_id], self.source_ids[r.source_id]
        same_quote = Appearance.quote.is_(None) if r.quote is None else Appearance.quote == r.quote
        exists = self.session.scalar(
            select(Appearance.id).where(
                Appearance.claim_id == claim_id, Appearance.source_id == source_id, same_quote
            )
        )
        if exists is not None:
            self.existing["appearance"] += 1
            return
        fields = r.model_dump(exclude={"type", "id", "claim_id", "source_id", "start", "end"})
        self._new(
            "appearance",
            Appearance(
                id=self._id(Appearance, r.id),
                claim_id=claim_id,
                source_id=source_id,
                quote_start=r.start,
                quote_end=r.end,
                **fields,
            ),
        )

    def _verdict(self, number: int, r: VerdictRecord) -> None:
        label = self.session.scalar(
            select(RatingLabel)
            .join(RatingScale)
            .where(RatingScale.key == r.scale, RatingLabel.label == r.label)
        )
        if label is None:
            raise NotFound(f"line {number}: no verdict label {r.label!r} in scale {r.scale!r}")
        claim_id = self.claim_ids[r.claim_id]
        exists = self.session.scalar(
            select(Verdict.id).where(
                Verdict.claim_id == claim_id,
                Verdict.label_id == label.id,
                Verdict.created_at == r.created_at,
                Verdict.note.is_(None) if r.note is None else Verdict.note == r.note,
            )
        )
        if exists is not None:
            self.existing["verdict"] += 1
            return
        verdict = Verdict(
            id=self._id(Verdict, r.id),
            claim_id=claim_id,
            label=label,
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

    def _link(self, _number: int, r: LinkRecord) -> None:
        a, b = self.claim_ids[r.claim_a], self.claim_ids[r.claim_b]
        if r.relation in SYMMETRIC_RELATIONS and a > b:
            a, b = b, a
        exists = self.session.scalar(
            select(Link.id).where(
                Link.claim_a_id == a, Link.claim_b_id == b, Link.relation == r.relation
            )
        )
        if exists is not None:
            self.existing["link"] += 1
            return
        fields = r.model_dump(exclude={"type", "id", "claim_a", "claim_b"})
        self._new("link", Link(id=self._id(Link, r.id), claim_a_id=a, claim_b_id=b, **fields))


def import_jsonl(session: Session, lines: Iterable[bytes]) -> ImportSummary:
    plan = _Plan(read_records(lines))
    importer = _Importer(session, plan)
    importer.run()
    return ImportSummary(
        added={k: importer.added[k] for k in RECORD_ORDER},
        existing={k: importer.existing[k] for k in RECORD_ORDER},
    )


def seed_file() -> Path:
    return resource_dir("seeds", "corpus.jsonl") / "corpus.jsonl"


def load_seed(session: Session) -> ImportSummary:
    """Load the bundled founding corpus (idempotent: a second load adds nothing)."""
    with seed_file().open("rb") as lines:
        return import_jsonl(session, lines)
