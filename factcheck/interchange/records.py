"""The records of the `jsonl` dump: one JSON object per line, each with a `type`.

A dump is self-contained: records refer to each other by the ids they carry in the file. The
first line is a header naming the format and its version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from factcheck.schemas import Name, NameText, NonBlank, NoteText, PartialDate, Text
from factcheck.vocab import (
    MAX_INT,
    AnchorStatus,
    ClaimKind,
    Decision,
    DocumentFormat,
    EntityKind,
    ExtractionDecision,
    Polarity,
    Relation,
    SourceKind,
    Stance,
)

Id = Annotated[int, Field(ge=1, le=MAX_INT)]
Offset = Annotated[int, Field(ge=0, le=MAX_INT)]  # into a text
Position = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]  # a label's place on its scale
# A schema.org type's name, as an import read it (NewsMediaOrganization).
SchemaType = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z][A-Za-z0-9]*$")]


class Record(BaseModel):
    # NaN and infinities (JSON has neither; 1e999 overflows to one) are refused, not stored.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class HeaderRecord(Record):
    type: Literal["factcheck"] = "factcheck"
    format: Literal["jsonl"] = "jsonl"
    version: Literal[1] = 1


class ScaleRecord(Record):
    type: Literal["rating_scale"] = "rating_scale"
    key: Name
    name: NonBlank
    best_value: float | None = None
    worst_value: float | None = None
    description: NoteText | None = None


class LabelRecord(Record):
    type: Literal["rating_label"] = "rating_label"
    scale: Name
    label: Name
    polarity: Polarity
    value: float | None = None
    position: Position = 0
    description: NoteText | None = None


class SourceRecord(Record):
    type: Literal["source"] = "source"
    id: Id
    key: Name
    title: NonBlank
    url: Text | None = None
    outlet: NameText | None = None
    author: NameText | None = None
    published: PartialDate = None
    kind: SourceKind = "article"
    language: NameText | None = None
    text: str | None = None
    text_sha256: str | None = None
    notes: NoteText | None = None
    created_at: datetime
    created_by: NameText | None = None


class SourceVersionRecord(Record):
    """One text a source has had (`number` 1 is the first; the highest is the source's text),
    with where and when it was fetched or read."""

    type: Literal["source_version"] = "source_version"
    id: Id
    source_id: Id
    number: Annotated[int, Field(ge=1, le=MAX_INT)]
    text: str
    text_sha256: str | None = None
    format: DocumentFormat = "text"
    origin: Text | None = None
    fetched_sha256: str | None = None
    fetched_at: datetime | None = None
    created_at: datetime
    created_by: NameText | None = None


class EntityRecord(Record):
    type: Literal["entity"] = "entity"
    id: Id
    name: Name
    kind: EntityKind = "other"
    schema_type: SchemaType | None = None
    aliases: list[Name] = Field(default_factory=list)
    notes: NoteText | None = None
    created_at: datetime
    created_by: NameText | None = None


class ClaimRecord(Record):
    type: Literal["claim"] = "claim"
    id: Id
    text: NonBlank
    kind: ClaimKind = "fact"
    tags: list[Name] = Field(default_factory=list)
    entities: list[Id] = Field(default_factory=list)
    notes: NoteText | None = None
    created_at: datetime
    created_by: NameText | None = None


class AppearanceRecord(Record):
    type: Literal["appearance"] = "appearance"
    id: Id
    claim_id: Id
    source_id: Id
    quote: Text | None = None
    quote_entered: Text | None = None
    start: Offset | None = None
    end: Offset | None = None
    prefix: Text | None = None
    suffix: Text | None = None
    anchor_status: AnchorStatus
    claimant: NameText | None = None
    stance: Stance = "asserts"
    created_at: datetime
    created_by: NameText | None = None


class EvidenceRecord(Record):
    source_id: Id | None = None
    url: Text | None = None
    quote: Text | None = None
    note: NoteText | None = None


class VerdictRecord(Record):
    type: Literal["verdict"] = "verdict"
    id: Id
    claim_id: Id
    scale: Name = "default"
    label: Name
    note: NoteText | None = None
    evidence: list[EvidenceRecord] = Field(default_factory=list)
    created_at: datetime
    created_by: NameText | None = None


class RetractionRecord(Record):
    """A verdict taken back (`verdict_id`: the verdict's id in the file): the claim's current
    verdict is then its newest verdict not retracted."""

    type: Literal["verdict_retraction"] = "verdict_retraction"
    id: Id
    verdict_id: Id
    note: NoteText | None = None
    created_at: datetime
    created_by: NameText | None = None


class LinkRecord(Record):
    type: Literal["link"] = "link"
    id: Id
    claim_a: Id
    claim_b: Id
    relation: Relation
    note: NoteText | None = None
    created_at: datetime
    created_by: NameText | None = None


class DecisionRecord(Record):
    """A researcher's decision on a pair `factcheck suggest` proposed (`link_id`: the link an
    acceptance made, if it is still there), so the pair is not suggested again."""

    type: Literal["suggestion_decision"] = "suggestion_decision"
    id: Id
    claim_a: Id
    claim_b: Id
    decision: Decision
    relation: Relation
    score: float | None = Field(default=None, ge=0, le=1)
    reasons: NoteText | None = None
    link_id: Id | None = None
    note: NoteText | None = None
    created_at: datetime
    created_by: NameText | None = None


class ExtractionDecisionRecord(Record):
    """A researcher's decision on a sentence `factcheck extract --review` proposed: `start` and
    `end` its offsets in the source's text, `text` the sentence, `claim_id` the claim an
    acceptance made; so the sentence is not proposed again."""

    type: Literal["extraction_decision"] = "extraction_decision"
    id: Id
    source_id: Id
    start: Offset
    end: Offset
    text: Text
    decision: ExtractionDecision
    claim_id: Id | None = None
    created_at: datetime
    created_by: NameText | None = None


AnyRecord = Annotated[
    HeaderRecord
    | ScaleRecord
    | LabelRecord
    | SourceRecord
    | SourceVersionRecord
    | EntityRecord
    | ClaimRecord
    | AppearanceRecord
    | VerdictRecord
    | RetractionRecord
    | LinkRecord
    | DecisionRecord
    | ExtractionDecisionRecord,
    Field(discriminator="type"),
]
