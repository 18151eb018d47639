"""Real fact-check datasets read as interchange records, so they import like a dump.

- LIAR (Wang, ACL 2017): PolitiFact statements in tab-separated files, one per split. Labels
  map onto a `liar` rating scale (the Truth-O-Meter); speakers become claimants and entities;
  contexts ("a mailer", "a floor speech") become sources; subjects become tags.
- AVeriTeC (Schlichtkrull et al., 2023): a JSON list of real-world claims with a label,
  justification and question/answer evidence. Labels map onto an `averitec` scale; speakers
  become claimants and entities; each claim's reporting source becomes a source; every evidence
  answer becomes a verdict evidence item (its URL, the answer as quote, the question as note).

Each dataset row keeps its identity in the claim's notes (the statement or claim number), which
is what makes a second import recognise it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import ValidationError

from factcheck.errors import FactcheckError, InvalidInput, SetAside, refuse
from factcheck.interchange.jsonl import check_strings
from factcheck.interchange.records import (
    AnyRecord,
    AppearanceRecord,
    ClaimRecord,
    EntityRecord,
    EvidenceRecord,
    LabelRecord,
    ScaleRecord,
    SourceRecord,
    VerdictRecord,
)
from factcheck.schemas import first_error
from factcheck.vocab import EntityKind

Numbered = Iterator[tuple[int, AnyRecord]]
# What one numbered row of a dataset is before it is read: a line of bytes, a JSON item.
_Unit = TypeVar("_Unit")
# Stands in for an item of a JSON list that an import set aside (see --rejects), so that the
# items after it keep their numbers.
REJECTED = {"@factcheck": "rejected"}


def slug(value: str, limit: int = 80) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", value.lower()))[:limit].strip("-")


class Builder:
    """Synthetic file ids for the records a dataset turns into, shared sources, entities and
    labels emitted once. A row's records are built before any is given out (`rows`), and a row
    that fails takes back what it registered, so that a later row sharing a source or entity
    with it still emits that record.

    Each type counts its own ids, 1, 2, 3...: the import keeps a file's ids where they are free,
    so a dataset imported into an empty database gets consecutive ids of each type (not those of
    one count shared by every type), and the engine's maps of them stay a run each (IdRuns).
    """

    def __init__(self, created_at: datetime, created_by: str | None) -> None:
        self.created_at = created_at
        self.created_by = created_by
        # (kind, key) -> file id of every source, entity or label emitted so far.
        self.known: dict[tuple[str, str], int] = {}
        self.counters: dict[str, int] = {}

    def next_id(self, kind: str) -> int:
        self.counters[kind] = file_id = self.counters.get(kind, 0) + 1
        return file_id

    def stamp(self) -> dict[str, Any]:
        return {"created_at": self.created_at, "created_by": self.created_by}

    def first(self, kind: str, key: str) -> tuple[int, bool]:
        """The file id of the `kind` record with this key, and whether it is new (its record is
        to be emitted now)."""
        found = self.known.get((kind, key))
        if found is not None:
            return found, False
        self.known[(kind, key)] = file_id = self.next_id(kind)
        return file_id, True

    def source(self, key: str, **fields: Any) -> tuple[int, SourceRecord | None]:
        """The id of the source with this key, and its record the first time it is seen."""
        source_id, new = self.first("source", key)
        if not new:
            return source_id, None
        return source_id, SourceRecord(id=source_id, key=key, **{**self.stamp(), **fields})

    def entity(
        self,
        name: str,
        kind: EntityKind,
        aliases: list[str],
        notes: str | None,
        schema_type: str | None = None,
    ) -> tuple[int, EntityRecord | None]:
        entity_id, new = self.first("entity", name)
        if not new:
            return entity_id, None
        record = EntityRecord(
            id=entity_id, name=name, kind=kind, schema_type=schema_type, aliases=aliases,
            notes=notes, **self.stamp(),
        )  # fmt: skip
        return entity_id, record

    def once(self, what: str, identity: str, number: int, where: str) -> None:
        """Refuse a row that repeats an earlier row of the file: the same `identity` (a
        dataset's statement id, a review's URL and claim), which would add the claim twice."""
        earlier = self.known.setdefault(("row", identity), number)
        if earlier != number:
            raise InvalidInput(
                f"{where} {number}: {what} again (first at {where} {earlier})",
                hint="remove the repeat, or import with --rejects FILE to set it aside",
            )

    def rows(
        self,
        units: Iterable[tuple[int, _Unit]],
        read_row: Callable[[int, _Unit], list[AnyRecord]],
        where: str,
        set_aside: SetAside | None,
        first: Iterable[AnyRecord] = (),
    ) -> Numbered:
        """Each unit's records, numbered; a unit that fails is an error naming it (`where` and
        its number), or with `set_aside` is set aside while the others go on. The `first`
        records (a dataset's rating scale) come before the first unit that is kept, numbered
        0, so that a file with no rows adds nothing."""
        pending = list(first)
        for number, unit in units:
            counters, known = dict(self.counters), len(self.known)
            try:
                try:
                    records = read_row(number, unit)
                except ValidationError as exc:
                    raise InvalidInput(f"{where} {number}: {first_error(exc)}") from exc
            except FactcheckError as exc:
                self.counters = counters
                while len(self.known) > known:
                    self.known.popitem()
                exc.row = number
                refuse(exc, set_aside)
                continue
            for record in pending:
                yield 0, record
            pending = []
            for record in records:
                yield number, record


Labels = Sequence[tuple[str, str, float | None, str]]


def _scale(key: str, name: str, best: float, worst: float, description: str,
           labels: Labels) -> Iterator[AnyRecord]:  # fmt: skip
    yield ScaleRecord(key=key, name=name, best_value=best, worst_value=worst,
                      description=description)  # fmt: skip
    for position, (label, polarity, value, meaning) in enumerate(labels):
        yield LabelRecord(
            scale=key, label=label, polarity=polarity,
            value=value, position=position, description=meaning,
        )  # fmt: skip


def load_json(data: bytes, name: str) -> Any:
    """A whole JSON document (UTF-8, a BOM allowed), or a one-line error naming the file."""
    try:
        text = data.decode("utf-8-sig")
        document = json.loads(text, parse_constant=_no_constant)
        # A NUL or a lone surrogate can only come from a \u escape; neither can be stored.
        if "\\u" in text:
            check_strings(document)
    except RecursionError as exc:
        raise InvalidInput(f"{name} is nested too deeply to be a dataset") from exc
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"{name}: text contains a lone surrogate ({exc.reason})") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(f"{name} is not valid JSON ({exc})") from exc
    return document


def _no_constant(value: str) -> Any:
    raise ValueError(f"{value} is not a number JSON allows")


# --- LIAR -----------------------------------------------------------------------------------

LIAR_LABELS = [
    ("pants-fire", "refuted", 0.0, "Not accurate and makes a ridiculous claim."),
    ("false", "refuted", 1.0, "Not accurate."),
    ("barely-true", "refuted", 2.0, "Contains an element of truth but ignores critical facts."),
    ("half-true", "mixed", 3.0, "Partially accurate but leaves out important details."),
    ("mostly-true", "supported", 4.0, "Accurate but needs clarification or additional detail."),
    ("true", "supported", 5.0, "Accurate; nothing significant missing."),
]
LIAR_COLUMNS = 14
# The dataset's publication (ACL 2017); its rows carry no dates of their own.
LIAR_RELEASED = datetime(2017, 7, 30, tzinfo=UTC)


def _speaker(slug: str, job: str, state: str, party: str) -> tuple[str, EntityKind, str]:
    name = " ".join(part.capitalize() for part in slug.split("-"))
    kind: EntityKind = "organisation" if party == "organization" else (
        "person" if job else "other"
    )  # fmt: skip
    details = [f"{label}: {value}" for label, value in
               (("job", job), ("state", state), ("party", party)) if value]  # fmt: skip
    notes = "LIAR speaker" + (f" ({'; '.join(details)})" if details else "")
    return name, kind, notes


def read_liar(lines: Iterable[bytes], split: str, set_aside: SetAside | None = None) -> Numbered:
    """LIAR TSV rows as records; `split` (train, valid, test) is kept in each claim's notes."""
    build = Builder(LIAR_RELEASED, "LIAR dataset (Wang 2017)")
    scale = _scale("liar", "LIAR / PolitiFact Truth-O-Meter", 5.0, 0.0,
                   "PolitiFact's six ratings as labelled in the LIAR dataset.",
                   LIAR_LABELS)  # fmt: skip
    labels = {label for label, *_ in LIAR_LABELS}

    def read_row(number: int, raw: bytes) -> list[AnyRecord]:
        try:
            line = raw.decode("utf-8").removeprefix("\ufeff").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"row {number}: not valid UTF-8 (byte offset {exc.start})") from exc
        if "\x00" in line:  # (no format the project writes can carry it)
            raise InvalidInput(f"row {number}: contains a NUL character")
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) != LIAR_COLUMNS:
            raise InvalidInput(
                f"row {number}: expected {LIAR_COLUMNS} tab-separated columns, found {len(fields)}"
            )
        statement_id, label, statement, subjects, speaker, job, state, party = fields[:8]
        context = fields[13]
        build.once(f"statement {statement_id}", statement_id, number, "row")
        if label not in labels:
            raise InvalidInput(f"row {number}: unknown LIAR label {label!r}")
        records: list[AnyRecord] = []
        source_key = f"liar-{slug(context) or 'context-not-given'}"
        source_id, source = build.source(
            source_key, title=context or "(context not given)", kind="other",
            notes="A context (venue) of statements in the LIAR dataset.",
        )  # fmt: skip
        if source:
            records.append(source)
        entity_ids = []
        claimant = None
        if speaker:
            name, kind, notes = _speaker(speaker, job, state, party)
            entity_id, entity = build.entity(name, kind, [speaker], notes)
            if entity:
                records.append(entity)
            entity_ids.append(entity_id)
            claimant = name
        claim_id = build.next_id("claim")
        tags = [t.strip() for t in subjects.split(",") if t.strip()]
        number_only = statement_id.removesuffix(".json")
        records += [
            ClaimRecord(
                id=claim_id, text=statement, kind="fact", tags=[*tags, "liar"],
                entities=entity_ids, notes=f"LIAR {split} statement {statement_id}",
                **build.stamp(),
            ),
            AppearanceRecord(
                id=build.next_id("appearance"), claim_id=claim_id, source_id=source_id,
                anchor_status="none", claimant=claimant, **build.stamp(),
            ),
            VerdictRecord(
                id=build.next_id("verdict"), claim_id=claim_id, scale="liar", label=label,
                note=f"PolitiFact rating as labelled in LIAR ({split} split, statement "
                f"{statement_id}).",
                evidence=[EvidenceRecord(
                    url=f"https://www.politifact.com/api/v/2/statement/{number_only}/?format=json",
                    note="PolitiFact's verdict report for this statement",
                )],
                **build.stamp(),
            ),
        ]  # fmt: skip
        return records

    rows = ((number, raw) for number, raw in enumerate(lines, start=1) if raw.strip())
    yield from build.rows(rows, read_row, "row", set_aside, first=scale)


# --- AVeriTeC -------------------------------------------------------------------------------

AVERITEC_LABELS = [
    ("Supported", "supported", 1.0, "The evidence supports the claim."),
    ("Refuted", "refuted", 0.0, "The evidence refutes the claim."),
    ("Not Enough Evidence", "none", None, "The evidence neither supports nor refutes it."),
    ("Conflicting Evidence/Cherrypicking", "mixed", None,
     "The evidence conflicts, or the claim is technically true but misleads."),
]  # fmt: skip
AVERITEC_RELEASED = datetime(2023, 5, 22, tzinfo=UTC)


def _claim_date(value: Any, number: int) -> str | None:
    if value in (None, ""):
        return None
    try:
        day, month, year = (int(part) for part in str(value).split("-"))
        return date(year, month, day).isoformat()
    except ValueError as exc:
        raise InvalidInput(f"claim {number}: claim_date {value!r} is not DD-MM-YYYY") from exc


def _text(item: dict[str, Any], key: str, number: int) -> str | None:
    value = item.get(key)
    if value is None or isinstance(value, str):
        return value.strip() or None if isinstance(value, str) else None
    raise InvalidInput(f"claim {number}: {key} should be text, found {type(value).__name__}")


def read_averitec(data: bytes, name: str, set_aside: SetAside | None = None) -> Numbered:
    """AVeriTeC's JSON list of claims as records."""
    items = load_json(data, name)
    if not isinstance(items, list):
        raise InvalidInput(f"{name}: AVeriTeC data is a JSON list of claims")
    build = Builder(AVERITEC_RELEASED, "AVeriTeC dataset (Schlichtkrull et al. 2023)")
    scale = _scale("averitec", "AVeriTeC", 1.0, 0.0,
                   "The four verdicts of the AVeriTeC shared task.",
                   AVERITEC_LABELS)  # fmt: skip
    labels = {label for label, *_ in AVERITEC_LABELS}

    def read_row(number: int, item: Any) -> list[AnyRecord]:
        if not isinstance(item, dict):
            raise InvalidInput(f"claim {number}: expected an object")
        claim_text = _text(item, "claim", number)
        label = item.get("label")
        if not claim_text:
            raise InvalidInput(f"claim {number}: no claim text")
        if label not in labels:
            raise InvalidInput(f"claim {number}: unknown AVeriTeC label {label!r}")
        published = _claim_date(item.get("claim_date"), number)
        speaker = _text(item, "speaker", number)
        reporting = _text(item, "reporting_source", number)
        article = _text(item, "fact_checking_article", number)
        records: list[AnyRecord] = []
        # The same claim checked by the same article again is another annotation of it (the
        # dev set has a few): one claim, with a verdict from each annotation.
        identity = f"{claim_text}\n{article}"
        claim_id = build.known.get(("claim", identity))
        if claim_id is None:
            source_id, source = build.source(
                f"averitec-{number}",
                title=f"{reporting or 'Unknown outlet'}: claim {number} of the AVeriTeC set",
                url=_text(item, "original_claim_url", number), outlet=reporting,
                author=speaker, published=published, kind="other",
                notes="Where the claim was reported, as given by AVeriTeC.",
            )  # fmt: skip
            assert source is not None
            records.append(source)
            entity_ids = []
            if speaker:
                entity_id, entity = build.entity(speaker, "other", [], "AVeriTeC speaker")
                if entity:
                    records.append(entity)
                entity_ids.append(entity_id)
            claim_id, _new = build.first("claim", identity)
            types = [t for t in item.get("claim_types") or [] if isinstance(t, str)]
            location = _text(item, "location_ISO_code", number)
            notes = f"AVeriTeC dev claim {number}" + (f"; location {location}" if location else "")
            records.append(ClaimRecord(
                id=claim_id, text=claim_text, kind="fact", tags=[*types, "averitec"],
                entities=entity_ids, notes=notes, **build.stamp(),
            ))  # fmt: skip
            records.append(AppearanceRecord(
                id=build.next_id("appearance"), claim_id=claim_id, source_id=source_id,
                anchor_status="none", claimant=speaker, **build.stamp(),
            ))  # fmt: skip
        evidence = (
            [EvidenceRecord(url=article, note="the fact-checking article")] if article else []
        )
        for question in item.get("questions") or []:
            asked = question.get("question") if isinstance(question, dict) else None
            for answer in (question.get("answers") or []) if isinstance(question, dict) else []:
                if not isinstance(answer, dict):
                    continue
                url = answer.get("source_url") or answer.get("cached_source_url") or article
                if url:
                    evidence.append(EvidenceRecord(url=url, quote=answer.get("answer"), note=asked))
        records.append(VerdictRecord(
            id=build.next_id("verdict"), claim_id=claim_id, scale="averitec", label=label,
            note=_text(item, "justification", number), evidence=evidence, **build.stamp(),
        ))  # fmt: skip
        return records

    rows = ((number, item) for number, item in enumerate(items, start=1) if item != REJECTED)
    yield from build.rows(rows, read_row, "claim", set_aside, first=scale)
