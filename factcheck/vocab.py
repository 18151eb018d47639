"""The closed vocabularies of the domain model, shared by the schema, the services and the CLI."""

from typing import Literal, get_args

ClaimKind = Literal["fact", "prediction", "opinion"]
Stance = Literal["asserts", "reports", "denies"]
AnchorStatus = Literal["exact", "normalised", "unanchored", "none"]
Relation = Literal["contradicts", "supports", "refines", "duplicates"]
# The relations `factcheck suggest` proposes (a refinement is for a person to see).
SuggestedRelation = Literal["contradicts", "supports", "duplicates"]
Polarity = Literal["supported", "refuted", "mixed", "none"]
SourceKind = Literal["article", "report", "transcript", "post", "dataset", "other"]
# What a source's text was read from: plain text, HTML (reduced to its main text), Markdown.
DocumentFormat = Literal["text", "html", "markdown"]
EntityKind = Literal["person", "organisation", "place", "other"]
HistoryAction = Literal["insert", "update", "delete"]
# What a researcher decided about a suggested pair of claims.
Decision = Literal["accepted", "rejected"]
# What a researcher decided about a sentence `extract --review` proposed.
ExtractionDecision = Literal["accepted", "skipped"]
# The state of a contradiction, from its two sides' current verdicts; to-do items first.
PairStatus = Literal["inconsistent", "open", "mixed", "both-refuted", "resolved"]
# The optional fields an edit command can clear (`--clear FIELD`); the required ones (a title, a
# claim's text, kinds) can only be changed, and a source's text is replaced, never cleared.
SourceClearable = Literal["url", "outlet", "author", "published", "language", "notes"]
ClaimClearable = Literal["notes"]
EntityClearable = Literal["notes"]

CLAIM_KINDS: tuple[str, ...] = get_args(ClaimKind)
STANCES: tuple[str, ...] = get_args(Stance)
ANCHOR_STATUSES: tuple[str, ...] = get_args(AnchorStatus)
RELATIONS: tuple[str, ...] = get_args(Relation)
POLARITIES: tuple[str, ...] = get_args(Polarity)
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)
DOCUMENT_FORMATS: tuple[str, ...] = get_args(DocumentFormat)
ENTITY_KINDS: tuple[str, ...] = get_args(EntityKind)
HISTORY_ACTIONS: tuple[str, ...] = get_args(HistoryAction)
DECISIONS: tuple[str, ...] = get_args(Decision)
EXTRACTION_DECISIONS: tuple[str, ...] = get_args(ExtractionDecision)
PAIR_STATUSES: tuple[str, ...] = get_args(PairStatus)

# The largest integer the project takes in: ids, offsets, limits, positions. It is the widest
# integer column both backends share (PostgreSQL's `integer`); a number beyond it would fail
# deep inside the database driver instead of where it was typed or read.
MAX_INT = 2_147_483_647

# Symmetric relations are stored once, with the smaller claim id first.
SYMMETRIC_RELATIONS: tuple[str, ...] = ("contradicts", "duplicates")
