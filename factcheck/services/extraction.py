"""Candidate claims from a source's text (`factcheck extract`), and accepting one as a claim.

The text is cut into sentences and scored by factcheck/extract, knowing the project's entities
and their spellings; sentences that claims already quote in this source are marked and left
out of the proposals, and so are those a researcher already decided on in a review
(`extraction_decisions`: accepted or skipped). An accepted proposal becomes a claim through
`add_claim`, the same write as `claim add`, its quote the sentence as the source has it.
"""

from __future__ import annotations

from factcheck.db.store import Store
from factcheck.errors import InvalidInput
from factcheck.extract.names import Lexicon
from factcheck.extract.scoring import Proposal, Scorer, rank
from factcheck.extract.sentences import Sentence, split
from factcheck.schemas import (
    AppearanceIn,
    ClaimIn,
    ExtractOut,
    ExtractQuery,
    ProposalOut,
    ReasonOut,
)
from factcheck.services.anchoring import AppearanceCreated
from factcheck.services.claims import add_claim
from factcheck.services.refs import find_source
from factcheck.text import fold
from factcheck.vocab import ClaimKind, ExtractionDecision


def lexicon(store: Store) -> Lexicon:
    """Every spelling of every entity, to find them in sentences."""
    return Lexicon(
        (entity_id, name, alias, key)
        for entity_id, name, alias, key in store.rows(
            "SELECT e.id, e.name, a.alias, a.alias_key FROM entity_aliases a "
            "JOIN entities e ON e.id = a.entity_id ORDER BY e.id, a.id"
        )
    )


def _logged(store: Store, source_id: int, sentences: list[Sentence]) -> list[list[int]]:
    """For each sentence, the claims whose quote in this source overlaps it (by offsets, or,
    for a quote kept unanchored, by its folded words)."""
    found: list[list[int]] = [[] for _ in sentences]
    rows = store.rows(
        "SELECT claim_id, quote, quote_start, quote_end FROM appearances "
        "WHERE source_id = :source AND quote IS NOT NULL ORDER BY claim_id",
        {"source": source_id},
    )
    folded: list[str] | None = None
    for claim_id, quote, start, end in rows:
        for i, sentence in enumerate(sentences):
            if start is not None and end is not None:
                hit = start < sentence.end and sentence.start < end
            else:
                if folded is None:
                    folded = [fold(s.text) for s in sentences]
                key = fold(quote)
                hit = bool(key) and (key in folded[i] or folded[i] in key)
            if hit and claim_id not in found[i]:
                found[i].append(claim_id)
    return found


def _decided(store: Store, source_id: int, sentences: list[Sentence]) -> list[str | None]:
    """For each sentence, the decision a review stored on it: at its offsets and with its text,
    so a decision on a text the source no longer has (refreshed, edited) does not apply."""
    decisions = {
        (start, end): (text, decision)
        for start, end, text, decision in store.rows(
            "SELECT sentence_start, sentence_end, text, decision FROM extraction_decisions "
            "WHERE source_id = :source",
            {"source": source_id},
        )
    }
    found: list[str | None] = []
    for sentence in sentences:
        text, decision = decisions.get((sentence.start, sentence.end), (None, None))
        found.append(decision if text == sentence.text else None)
    return found


def _new(query: ExtractQuery, logged: list[int], decided: str | None) -> bool:
    """Whether to propose a sentence: a sentence claims quote only with `logged` (decided on
    or not: an accepted sentence is quoted), another one only if no review decided on it."""
    return query.logged if logged else decided is None


def _out(
    position: int, number: int, logged: list[int], decided: str | None, proposal: Proposal
) -> ProposalOut:
    sentence = proposal.sentence
    return ProposalOut(
        rank=position,
        sentence=number,
        start=sentence.start,
        end=sentence.end,
        text=sentence.text,
        score=proposal.score,
        reasons=[ReasonOut(kind=r.kind, text=r.text) for r in proposal.reasons],
        kind=proposal.kind,
        claimant=proposal.claimant,
        attribution=proposal.attribution,
        entities=[e.name for e in proposal.entities],
        entity_ids=[e.id for e in proposal.entities],
        logged=logged,
        decided=decided,
    )


def extract(store: Store, query: ExtractQuery) -> ExtractOut:
    source = find_source(store, query.source)
    text = store.value("SELECT text FROM sources WHERE id = :id", {"id": source.id})
    if not text:
        raise InvalidInput(
            f"source {source.key!r} has no text to extract claims from",
            hint="`factcheck source edit` can give it its text (--file)",
        )
    sentences = split(text)
    logged = _logged(store, source.id, sentences)
    decided = _decided(store, source.id, sentences)
    proposals = Scorer(sentences, lexicon(store)).propose()
    # The sentence number, the claims quoting it and the decision on it, by proposal (one per
    # sentence, in order).
    about = {
        id(p): (number, claims, decision)
        for number, (p, claims, decision) in enumerate(
            zip(proposals, logged, decided, strict=True), start=1
        )
    }
    ranked = [p for p in rank(proposals) if query.all or _new(query, *about[id(p)][1:])]
    kept = [p for p in ranked if p.score >= query.min_score]
    shown = kept if query.limit is None else kept[: query.limit]
    return ExtractOut(
        source_id=source.id,
        source_key=source.key,
        author=source.author,
        sentences=len(sentences),
        logged=sum(1 for claims in logged if claims),
        decided=sum(1 for decision in decided if decision is not None),
        below_score=len(ranked) - len(kept),
        more=len(kept) - len(shown),
        proposals=[_out(position, *about[id(p)], p) for position, p in enumerate(shown, start=1)],
    )


def accept(
    store: Store,
    source: str,
    proposal: ProposalOut,
    claimant: str | None,
    text: str | None = None,
    kind: ClaimKind | None = None,
) -> AppearanceCreated:
    """Add the proposal as a claim said by `claimant` (None: the source's author), reworded as
    `text` and of `kind` when given, its quote the sentence anchored in the source, naming the
    entities the sentence names; and record the sentence as accepted, with that claim."""
    data = ClaimIn(
        text=text if text is not None else " ".join(proposal.text.split()),
        kind=kind or proposal.kind,
        entities=[str(entity_id) for entity_id in proposal.entity_ids],
        appearance=AppearanceIn(source=source, quote=proposal.text, claimant=claimant),
    )
    created = add_claim(store, data)
    _record(store, find_source(store, source).id, proposal, "accepted", created.id)
    return created


def skip(store: Store, source_id: int, proposal: ProposalOut) -> None:
    """Record the sentence as skipped, so that it is not proposed again."""
    _record(store, source_id, proposal, "skipped", None)


def _record(
    store: Store,
    source_id: int,
    proposal: ProposalOut,
    decision: ExtractionDecision,
    claim_id: int | None,
) -> None:
    """Store the decision on the sentence; one decided again (shown by `--all`) keeps only its
    latest decision, the history the earlier ones."""
    values = {
        "source_id": source_id,
        "sentence_start": proposal.start,
        "sentence_end": proposal.end,
        "text": proposal.text,
        "decision": decision,
        "claim_id": claim_id,
        "created_at": store.now(),
        "created_by": store.actor,
    }
    earlier = store.value(
        "SELECT id FROM extraction_decisions WHERE source_id = :source_id "
        "AND sentence_start = :sentence_start AND sentence_end = :sentence_end",
        values,
    )
    if earlier is None:
        store.insert("extraction_decisions", values)
        return
    store.run(
        "UPDATE extraction_decisions SET text = :text, decision = :decision, "
        "claim_id = :claim_id, created_at = :created_at, created_by = :created_by "
        "WHERE id = :id",
        {**values, "id": earlier},
    )
