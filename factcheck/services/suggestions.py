"""`factcheck suggest`: candidate links among the stored claims (factcheck/suggest does the
matching; this module reads what it needs and what must not be suggested again)."""

from __future__ import annotations

from collections.abc import Callable, Collection

from factcheck.db.store import Store, ids_list
from factcheck.errors import Conflict, InvalidInput
from factcheck.schemas import DecisionOut, LinkIn, ReasonOut, SuggestionOut, SuggestQuery
from factcheck.services.entities import find_entity
from factcheck.services.links import add_link
from factcheck.services.refs import as_id, find_claim, find_source, find_tag
from factcheck.suggest.features import ClaimInput, Features
from factcheck.suggest.finder import Suggestion, find, pair
from factcheck.suggest.scoring import SIGNALS, Reason
from factcheck.vocab import Decision, Relation


def load_claims(store: Store) -> list[ClaimInput]:
    """Every claim with its recorded entities and current verdict, in id order."""
    entities: dict[int, set[int]] = {}
    for claim_id, entity_id in store.rows("SELECT claim_id, entity_id FROM claim_entities"):
        entities.setdefault(claim_id, set()).add(entity_id)
    verdicts = {
        claim_id: (polarity, label)
        for claim_id, polarity, label in store.rows(
            "SELECT v.claim_id, l.polarity, l.label FROM current_verdicts cv "
            "JOIN verdicts v ON v.id = cv.verdict_id JOIN rating_labels l ON l.id = v.label_id"
        )
    }
    return [
        ClaimInput(
            id=claim_id,
            text=text,
            entities=frozenset(entities.get(claim_id, ())),
            polarity=verdicts.get(claim_id, (None, None))[0],
            label=verdicts.get(claim_id, (None, None))[1],
        )
        for claim_id, text in store.rows("SELECT id, text FROM claims ORDER BY id")
    ]


def settled_pairs(store: Store) -> set[tuple[int, int]]:
    """Pairs never to suggest: linked (whatever the relation or direction), or decided."""
    linked = {
        (min(a, b), max(a, b)) for a, b in store.rows("SELECT claim_a_id, claim_b_id FROM links")
    }
    return linked | set(_decisions(store))


def _decisions(store: Store) -> dict[tuple[int, int], tuple[str, int | None, str | None]]:
    """The decided pairs: (decision, link id, who)."""
    return {
        (a, b): (decision, link_id, who)
        for a, b, decision, link_id, who in store.rows(
            "SELECT claim_a_id, claim_b_id, decision, link_id, created_by FROM suggestion_decisions"
        )
    }


def parse_id(text: str) -> tuple[int, int]:
    """The pair of claim ids a suggestion id names ("12-45"; either order)."""
    first, dash, second = text.strip().partition("-")
    a, b = as_id(first), as_id(second)
    if not dash or a is None or b is None:
        raise InvalidInput(
            f"not a suggestion id: {text!r}",
            hint="a suggestion id is two claim ids, as `factcheck suggest` prints them: 12-45",
        )
    if a == b:
        raise InvalidInput(f"not a suggestion id: {text!r} (the same claim twice)")
    return min(a, b), max(a, b)


def decide(
    store: Store,
    ids: list[str],
    decision: Decision,
    relation: Relation | None = None,
    note: str | None = None,
) -> list[DecisionOut]:
    """Accept (link the pair: as suggested, or as `relation`; the note carries the reasons
    unless `note` is given) or reject suggestions by id; each is recorded and never suggested
    again. All or nothing: one id that cannot be decided and none is."""
    pairs = list(dict.fromkeys(parse_id(text) for text in ids))
    for a, b in pairs:
        find_claim(store, a)
        find_claim(store, b)
        _undecided(store, a, b)
    claims = load_claims(store)
    aliases = [(e, key) for e, key in store.rows("SELECT entity_id, alias_key FROM entity_aliases")]
    names = {e: name for e, name in store.rows("SELECT id, name FROM entities")}
    return [
        _record(store, pair(claims, a, b, aliases, names), decision, relation, note)
        for a, b in pairs
    ]


def decide_shown(
    store: Store,
    shown: SuggestionOut,
    decision: Decision,
    relation: Relation | None = None,
    note: str | None = None,
) -> DecisionOut:
    """Decide a suggestion as it was shown (`suggest review`: no scoring again)."""
    _undecided(store, shown.claim_a, shown.claim_b)
    suggestion = Suggestion(
        claim_a=shown.claim_a,
        claim_b=shown.claim_b,
        relation=shown.relation,
        score=shown.score,
        reasons=[Reason(r.kind, r.text) for r in shown.reasons],
    )
    return _record(store, suggestion, decision, relation, note)


def _undecided(store: Store, a: int, b: int) -> None:
    row = store.row(
        "SELECT decision, link_id, created_by FROM suggestion_decisions "
        "WHERE claim_a_id = :a AND claim_b_id = :b",
        {"a": a, "b": b},
    )
    if row is not None:
        earlier, link_id, who = row
        link = f" (link {link_id})" if link_id is not None else ""
        raise Conflict(
            f"suggestion {a}-{b} was already {earlier}{link} by {who or 'someone'}",
            hint="`factcheck log --table suggestion_decisions` shows the decisions",
        )


def _record(
    store: Store,
    suggestion: Suggestion,
    decision: Decision,
    relation: Relation | None,
    note: str | None,
) -> DecisionOut:
    chosen = relation or suggestion.relation
    link_id = None
    if decision == "accepted":
        reasons = "; ".join(f"{r.kind}: {r.text}" for r in suggestion.reasons)
        link_note = note or f"suggested {suggestion.relation} ({suggestion.score:.2f}): {reasons}"
        link_id = add_link(
            store,
            LinkIn(
                claim_a=suggestion.claim_a,
                claim_b=suggestion.claim_b,
                relation=chosen,
                note=link_note,
            ),
        ).id
    decision_id = store.insert(
        "suggestion_decisions",
        {
            "claim_a_id": suggestion.claim_a,
            "claim_b_id": suggestion.claim_b,
            "decision": decision,
            "relation": chosen,
            "score": suggestion.score,
            "reasons": "\n".join(f"{r.kind}: {r.text}" for r in suggestion.reasons),
            "link_id": link_id,
            "note": note,
            "created_at": store.now(),
            "created_by": store.actor,
        },
    )
    return DecisionOut(
        id=decision_id,
        suggestion=suggestion.id,
        claim_a=suggestion.claim_a,
        claim_b=suggestion.claim_b,
        decision=decision,
        relation=chosen,
        score=suggestion.score,
        link_id=link_id,
    )


def _check(query: SuggestQuery) -> None:
    if query.limit is not None and query.limit < 1:
        raise InvalidInput(f"--limit must be at least 1 (got {query.limit})")
    if not 0.0 <= query.min_score <= 1.0:
        raise InvalidInput(f"--min-score must be between 0 and 1 (got {query.min_score:g})")


def _focus(store: Store, query: SuggestQuery) -> Callable[[Features], bool] | None:
    """Which claims the suggestions must touch (one side of every pair passes every filter);
    unknown claims, sources, tags and entities are errors."""
    ids: set[int] | None = None

    def narrow(found: set[int]) -> None:
        nonlocal ids
        ids = found if ids is None else ids & found

    if query.claim is not None:
        narrow({find_claim(store, query.claim)})
    if query.source is not None:
        source = find_source(store, query.source)
        narrow(
            {
                claim_id
                for (claim_id,) in store.rows(
                    "SELECT claim_id FROM appearances WHERE source_id = :id", {"id": source.id}
                )
            }
        )
    if query.tag is not None:
        tag_id = find_tag(store, query.tag)
        narrow(
            {
                claim_id
                for (claim_id,) in store.rows(
                    "SELECT claim_id FROM claim_tags WHERE tag_id = :id", {"id": tag_id}
                )
            }
        )
    entity = find_entity(store, query.entity).id if query.entity is not None else None
    if ids is None and entity is None:
        return None
    chosen = ids

    def focus(claim: Features) -> bool:
        return (chosen is None or claim.id in chosen) and (
            entity is None or entity in claim.entities
        )

    return focus


def suggest(
    store: Store, query: SuggestQuery, enabled: Collection[str] = SIGNALS
) -> list[SuggestionOut]:
    """The best candidate links, best first (at most `query.limit`); `enabled` names the
    signals to use (all but for measuring what each adds, bench/suggest_eval.py)."""
    _check(query)
    focus = _focus(store, query)
    claims = load_claims(store)
    aliases = store.rows("SELECT entity_id, alias_key FROM entity_aliases ORDER BY id")
    names: dict[int, str] = {
        entity_id: name for entity_id, name in store.rows("SELECT id, name FROM entities")
    }
    found = find(
        claims,
        [(entity_id, key) for entity_id, key in aliases],
        names,
        focus=focus,
        skip=settled_pairs(store),
        relation=query.relation,
        min_score=query.min_score,
        limit=query.limit,
        enabled=enabled,
    )
    texts = {claim.id: claim.text for claim in claims}
    return _outputs(store, found, texts)


def _outputs(store: Store, found: list[Suggestion], texts: dict[int, str]) -> list[SuggestionOut]:
    shown = {s.claim_a for s in found} | {s.claim_b for s in found}
    marks, params = ids_list("c", sorted(shown))
    sources: dict[int, list[str]] = {}
    for claim_id, key in store.rows(
        "SELECT a.claim_id, s.key FROM appearances a JOIN sources s ON s.id = a.source_id "
        f"WHERE a.claim_id IN ({marks}) ORDER BY a.id",
        params,
    ):
        keys = sources.setdefault(claim_id, [])
        if key not in keys:
            keys.append(key)
    return [
        SuggestionOut(
            id=s.id,
            claim_a=s.claim_a,
            claim_b=s.claim_b,
            relation=s.relation,
            score=s.score,
            reasons=[ReasonOut(kind=r.kind, text=r.text) for r in s.reasons],
            text_a=texts[s.claim_a],
            text_b=texts[s.claim_b],
            sources_a=sources.get(s.claim_a, []),
            sources_b=sources.get(s.claim_b, []),
        )
        for s in found
    ]
