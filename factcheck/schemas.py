"""The records that cross a boundary: what the CLI hands to services, and what services return.

`--json` output is exactly these models dumped; the terminal tables render the same objects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from factcheck.errors import InvalidInput
from factcheck.limits import NAME, NOTES, TEXT, limit_of_length
from factcheck.vocab import (
    AnchorStatus,
    ClaimClearable,
    ClaimKind,
    Decision,
    DocumentFormat,
    EntityClearable,
    EntityKind,
    ExtractionDecision,
    HistoryAction,
    PairStatus,
    Polarity,
    Relation,
    SourceClearable,
    SourceKind,
    Stance,
    SuggestedRelation,
)

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _partial_date(value: str | None) -> str | None:
    """ISO 8601 calendar date, possibly partial: YYYY, YYYY-MM or YYYY-MM-DD."""
    if value is None:
        return None
    value = value.strip()
    match = _PARTIAL_DATE.match(value)
    if match:
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            date(year or 1, month or 1, day or 1)
        except ValueError:
            match = None
    if not match:
        raise ValueError(f"invalid date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _nonblank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _source_key(value: str | None) -> str | None:
    if value is None:
        return None
    if not _KEY.match(value) or value.isdigit() or len(value) > 100:
        raise ValueError(
            f"invalid key {value!r}: use lower-case letters, digits, '.', '_' and '-', "
            "not only digits (digits name ids)"
        )
    return value


def web_url(value: str | None) -> str | None:
    """A page a reader can open: an absolute http or https URL. Other schemes are refused: a
    `javascript:` or `data:` URL would run in the HTML report's links, and `file:` or `ftp:`
    name nothing a colleague can open or `factcheck` can fetch."""
    value = _blank_to_none(value)
    if value is None:
        return None
    try:
        parts = urlsplit(value) if not any(c.isspace() for c in value) else None
    except ValueError:  # "http://[" (an IPv6 address not closed)
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"{value!r} is not a web address: give an http:// or https:// URL, "
            "e.g. https://example.org/article"
        )
    return value


PartialDate = Annotated[str | None, AfterValidator(_partial_date)]
# Strings as they are stored, each within its limit (factcheck/limits.py): a text (a claim, a
# title, a quote, a URL), a name (an entity, alias, tag, label, claimant, author), a note.
Text = Annotated[str, Field(max_length=TEXT.value)]
NameText = Annotated[str, Field(max_length=NAME.value)]
NoteText = Annotated[str, Field(max_length=NOTES.value)]
# Input as typed: surrounding whitespace dropped, blank refused (NonBlank) or taken as no value.
NonBlank = Annotated[Text, AfterValidator(_nonblank)]
Name = Annotated[NameText, AfterValidator(_nonblank)]
Optional = Annotated[Text | None, AfterValidator(_blank_to_none)]
OptionalName = Annotated[NameText | None, AfterValidator(_blank_to_none)]
Notes = Annotated[NoteText | None, AfterValidator(_blank_to_none)]
SourceKey = Annotated[str | None, AfterValidator(_source_key)]
WebUrl = Annotated[Text | None, AfterValidator(web_url)]


def _encodable(value: Any) -> Any:
    """Arguments that were not valid UTF-8 reach Python as lone surrogates: refuse them here,
    with the field named, rather than fail when they are stored; likewise NUL characters,
    which no interchange format carries."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError("is not valid UTF-8 text") from exc
            if "\x00" in item:
                raise ValueError("contains a NUL character")
    return value


def first_error(exc: ValidationError) -> str:
    """A validation failure in one line: `field: message` for its first error, the field as
    it is named in a file (`appearance.quote`, `tags.0` for the first tag)."""
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"])
    message = plain_message(error)
    return f"{field}: {message}" if field else message


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def plain_message(error: Any) -> str:
    """What is wrong with a value, in words rather than pydantic's ("Input should be a valid
    integer, unable to parse string as an integer"; "Value error, ..."), without the field: the
    caller names it as the user knows it (an option, or a field of a file)."""
    kind, context, value = error["type"], error.get("ctx") or {}, error.get("input")
    limit = limit_of_length(context.get("max_length", -1))
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    if kind == "string_too_long" and limit is not None:
        return f"over the limit of {limit.describe()}"
    if kind == "literal_error":
        return f"{_shown(value)} is not one of {context['expected']}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{_shown(value)} is not a whole number"
    if kind in ("float_parsing", "float_type"):
        return f"{_shown(value)} is not a number"
    if kind == "bool_parsing":
        return f"{_shown(value)} is not true or false"
    if kind == "finite_number":
        return "must be a finite number"
    bounds = {"greater_than_equal": ("at least", "ge"), "greater_than": ("more than", "gt"),
              "less_than_equal": ("at most", "le"), "less_than": ("less than", "lt")}  # fmt: skip
    if kind in bounds:
        words, key = bounds[kind]
        return f"must be {words} {context[key]} (not {_shown(value)})"
    if kind == "missing":
        return "is missing"
    if kind == "extra_forbidden":
        return "is not a field this record has"
    message = str(error["msg"]).removeprefix("Value error, ")
    return message.replace("Input should be", "must be", 1)


# defer_build: a model's validator is built when the model is first used, not when this module
# is imported. A command uses two or three of the models here; building all of them made every
# command that validates anything start some 40 ms later.
class Input(BaseModel):
    # NaN and infinities (`--value inf`) are refused: no interchange format can carry them.
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=False, defer_build=True, allow_inf_nan=False
    )

    _utf8 = field_validator("*", mode="before")(_encodable)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True, defer_build=True)


# --- inputs ---------------------------------------------------------------------------------


class SourceIn(Input):
    title: NonBlank
    key: SourceKey = None
    url: WebUrl = None
    outlet: OptionalName = None
    author: OptionalName = None
    published: PartialDate = None
    kind: SourceKind = "article"
    language: OptionalName = None
    text: str | None = None
    notes: Notes = None


class Edit(Input):
    """Changes to a record: a field left None stays as it is (a blank value too, as typed), and
    `clear` names the optional fields to empty (each edit model says which it can)."""

    clear: Sequence[str] = ()

    @model_validator(mode="after")
    def _set_or_clear(self) -> Edit:
        for field in self.clear:
            if getattr(self, field) is not None:
                raise ValueError(f"{field} is given a new value and cleared: choose one")
        return self

    def require_change(self) -> None:
        """Refuse an edit that names nothing to change (a command run with no option)."""
        if all(value is None or value == [] for value in dict(self).values()):
            raise InvalidInput(
                "nothing to change",
                hint="give a new value, or --clear FIELD to empty one (see the command's --help)",
            )


class SourceEdit(Edit):
    """Changes to a source."""

    title: Annotated[Text | None, AfterValidator(lambda v: None if v is None else _nonblank(v))] = (
        None
    )
    key: SourceKey = None
    url: WebUrl = None
    outlet: OptionalName = None
    author: OptionalName = None
    published: PartialDate = None
    kind: SourceKind | None = None
    language: OptionalName = None
    text: str | None = None
    notes: Notes = None
    clear: list[SourceClearable] = Field(default_factory=list)


class AppearanceIn(Input):
    """Where a claim appears: the source (id or key), the quote and who said it."""

    source: Name
    quote: Optional = None
    claimant: OptionalName = None
    stance: Stance = "asserts"
    # Record a quote that cannot be found in the source text (the user said so explicitly).
    unanchored: bool = False


class ClaimIn(Input):
    text: NonBlank
    kind: ClaimKind = "fact"
    appearance: AppearanceIn
    tags: list[Name] = Field(default_factory=list)
    # Entity ids, names or aliases.
    entities: list[Name] = Field(default_factory=list)
    notes: Notes = None


class ClaimEdit(Edit):
    text: Annotated[Text | None, AfterValidator(lambda v: None if v is None else _nonblank(v))] = (
        None
    )
    kind: ClaimKind | None = None
    notes: Notes = None
    add_tags: list[Name] = Field(default_factory=list)
    remove_tags: list[Name] = Field(default_factory=list)
    add_entities: list[Name] = Field(default_factory=list)
    remove_entities: list[Name] = Field(default_factory=list)
    clear: list[ClaimClearable] = Field(default_factory=list)


class EvidenceIn(Input):
    """What a verdict rests on: a source (id or key) or a URL, optionally the passage of it
    that matters (anchored in the source's text) and a note."""

    source: NonBlank
    quote: Optional = None
    note: Notes = None


def _evidence_items(value: Any) -> Any:
    """A bare string is the source of an evidence item with no quote nor note."""
    if isinstance(value, list):
        return [{"source": item} if isinstance(item, str) else item for item in value]
    return value


class VerdictIn(Input):
    claim_id: int
    label: Name
    scale: Name = "default"
    note: Notes = None
    # Each a source id or key, or the URL of evidence not logged as a source.
    evidence: Annotated[list[EvidenceIn], BeforeValidator(_evidence_items)] = Field(
        default_factory=list
    )


class RetractionIn(Input):
    """Take back a claim's current verdict, saying why."""

    claim_id: int
    note: Notes = None


class LabelIn(Input):
    label: Name
    polarity: Polarity
    value: float | None = None
    scale: Name = "default"
    description: Notes = None


class LinkIn(Input):
    claim_a: int
    claim_b: int
    relation: Relation
    note: Notes = None


class EntityIn(Input):
    name: Name
    kind: EntityKind = "other"
    aliases: list[Name] = Field(default_factory=list)
    notes: Notes = None


class EntityEdit(Edit):
    kind: EntityKind | None = None
    notes: Notes = None
    clear: list[EntityClearable] = Field(default_factory=list)


class ReportFilter(Input):
    source: str | None = None
    tag: str | None = None
    entity: str | None = None
    status: list[PairStatus] = Field(default_factory=list)


class ClaimFilter(Input):
    """Which claims: those passing every filter given. `since` and `until` are the published
    dates of the sources the claim appears in (any one of them)."""

    source: str | None = None
    tag: str | None = None
    entity: str | None = None
    claimant: str | None = None
    verdict: str | None = None
    unreviewed: bool = False
    kind: ClaimKind | None = None
    since: PartialDate = None
    until: PartialDate = None


class SuggestQuery(Input):
    """Which suggestions: of one relation, touching claims that pass every filter given."""

    relation: SuggestedRelation | None = None
    limit: int | None = None
    min_score: float = 0.0
    claim: int | None = None
    source: str | None = None
    tag: str | None = None
    entity: str | None = None


class ExtractQuery(Input):
    """Which candidate claims of a source: at most `limit` (every one when None), scoring at
    least `min_score`; with `logged`, the sentences already logged as quotes too (marked); with
    `all`, every sentence, those already logged or decided in a review too (marked)."""

    source: str
    limit: int | None = Field(default=None, ge=1)
    min_score: float = 0.0
    logged: bool = False
    all: bool = False


class HistoryFilter(Input):
    table: str | None = None
    row_id: int | None = None
    actor: str | None = None


class PageIn(Input):
    """Which rows of a list: at most `limit` (every one when None) after the first `offset`."""

    limit: int | None = Field(default=None, ge=1)
    offset: int = Field(default=0, ge=0)


# --- outputs --------------------------------------------------------------------------------


class Created(Output):
    id: int


class VerdictCreated(Created):
    """A new verdict, and what the user should know about its evidence."""

    warnings: list[str] = Field(default_factory=list)


class Removal(Output):
    """What a removal takes away (or would): `what` in words ("claim 12"), and how many rows of
    each table go with it, the row itself included; tables with none are left out."""

    what: str
    rows: dict[str, int]


class SourceSummary(Output):
    id: int
    key: str
    title: str
    outlet: str | None
    author: str | None
    published: str | None
    kind: str
    claims: int = 0


class VersionOut(Output):
    """One text a source has had (services/versions.py)."""

    number: int
    text_sha256: str
    text_length: int
    format: DocumentFormat
    origin: str | None
    fetched_sha256: str | None
    fetched_at: datetime | None
    created_at: datetime
    created_by: str | None


class SourceOut(SourceSummary):
    url: str | None
    language: str | None
    notes: str | None
    text_sha256: str | None
    text_length: int | None
    created_at: datetime
    created_by: str | None
    text: str | None = None
    # Every text the source has had, oldest first; the last is `text`.
    versions: list[VersionOut] = Field(default_factory=list)


class AppearanceOut(Output):
    id: int
    source_id: int
    source_key: str
    source_title: str | None = None
    source_published: str | None = None
    # The rest of what a reader needs to find the source and to know who speaks when no
    # claimant was recorded (the author, else the outlet).
    source_url: str | None = None
    source_outlet: str | None = None
    source_author: str | None = None
    # Verbatim from the source; `quote_entered` is what was typed, when that differed.
    quote: str | None
    quote_entered: str | None = None
    claimant: str | None
    start: int | None
    end: int | None
    anchor_status: AnchorStatus
    stance: Stance
    prefix: str | None = None
    suffix: str | None = None


class EvidenceOut(Output):
    source_id: int | None
    source_key: str | None
    url: str | None
    quote: str | None
    note: str | None


class RetractionOut(Output):
    """A verdict taken back: why, who and when (`id` is the retraction's own)."""

    id: int
    note: str | None
    created_at: datetime
    created_by: str | None


class VerdictOut(Output):
    id: int
    label: str
    scale: str
    polarity: Polarity
    value: float | None
    note: str | None
    created_at: datetime
    created_by: str | None
    evidence: list[EvidenceOut] = Field(default_factory=list)
    # Set when the verdict was retracted (never for a claim's current verdict).
    retraction: RetractionOut | None = None


class Retracted(Created):
    """A retraction (`id`), the verdict it took back, and the claim's verdict now: the one
    before it, or None (unreviewed)."""

    claim_id: int
    verdict: VerdictOut
    current: VerdictOut | None


class LinkOut(Output):
    id: int
    relation: Relation
    claim_id: int
    # "outgoing": this claim is claim_a (it supports/refines the other); "incoming": the
    # reverse; "both" for symmetric relations.
    direction: str
    note: str | None
    text: str | None = None
    created_at: datetime
    created_by: str | None


class ClaimOut(Output):
    id: int
    text: str
    kind: ClaimKind
    verdict: VerdictOut | None
    appearances: list[AppearanceOut]
    tags: list[str]
    entities: list[str] = Field(default_factory=list)
    notes: str | None = None
    created_at: datetime
    created_by: str | None


class ClaimDetail(ClaimOut):
    links: list[LinkOut]


class EntityOut(Output):
    id: int
    name: str
    kind: EntityKind
    aliases: list[str]
    notes: str | None
    claims: int = 0
    claim_ids: list[int] = Field(default_factory=list)


class LabelOut(Output):
    label: str
    polarity: Polarity
    value: float | None
    scale: str
    description: str | None


Item = TypeVar("Item")
Other = TypeVar("Other")


class Page(Output, Generic[Item]):
    """Rows of a list, from the `offset`th on, and how many `more` follow them."""

    items: list[Item]
    offset: int = 0
    more: int = 0

    def with_items(self, items: list[Other]) -> Page[Other]:
        """The same page with its rows made into others (ids into the records they name)."""
        return Page.model_construct(items=items, offset=self.offset, more=self.more)


class ReasonOut(Output):
    kind: str
    text: str


class SuggestionOut(Output):
    """A candidate link: `id` is derived from the pair (the same pair, the same id)."""

    id: str
    claim_a: int
    claim_b: int
    relation: SuggestedRelation
    score: float
    reasons: list[ReasonOut]
    text_a: str
    text_b: str
    sources_a: list[str]
    sources_b: list[str]


class ProposalOut(Output):
    """A sentence of a source proposed as a claim: `start` and `end` are its offsets in the
    source's text, `claimant` None means the source's author, `logged` the claims that already
    quote it in this source, `decided` what a review decided on it (accepted, skipped)."""

    rank: int
    sentence: int
    start: int
    end: int
    text: str
    score: float
    reasons: list[ReasonOut]
    kind: ClaimKind
    claimant: str | None
    attribution: str | None
    entities: list[str]
    entity_ids: list[int]
    logged: list[int]
    decided: ExtractionDecision | None = None


class ExtractOut(Output):
    """The proposals of one source, best first, and how many sentences there were, were
    already logged, or fell below the score or the limit."""

    source_id: int
    source_key: str
    author: str | None
    sentences: int
    logged: int
    decided: int = 0
    below_score: int
    more: int
    proposals: list[ProposalOut]


class DecisionOut(Output):
    """A decision on a suggestion: the pair, what was decided, the link an acceptance made."""

    id: int
    suggestion: str
    claim_a: int
    claim_b: int
    decision: Decision
    relation: Relation
    score: float | None
    link_id: int | None


class HistoryOut(Output):
    id: int
    at: datetime
    actor: str | None
    table: str
    row_id: int
    action: HistoryAction
    old: dict[str, Any] | None
    new: dict[str, Any] | None
