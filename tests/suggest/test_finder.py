"""The matching from claims to ranked suggestions, without a database."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from factcheck.suggest.features import ClaimInput
from factcheck.suggest.finder import find, pair_id
from factcheck.suggest.scoring import SIGNALS

TOPICS = [
    "The city council approved the new stadium budget in March 2021.",
    "A drought cut the wheat harvest in the northern provinces.",
    "The central bank raised interest rates to curb inflation.",
    "Flooding closed the coastal highway for two weeks.",
    "The museum reopened after a long renovation of its east wing.",
]


def _claims(*texts: str) -> list[ClaimInput]:
    return [ClaimInput(id=n, text=t) for n, t in enumerate([*TOPICS, *texts], start=1)]


def _pairs(claims: list[ClaimInput], **options: object) -> dict[str, str]:
    return {s.id: s.relation for s in find(claims, **options)}  # type: ignore[arg-type]


def test_a_negated_claim_is_a_contradiction() -> None:
    claims = _claims(
        "The army withdrew its troops from the border region in May.",
        "The army did not withdraw its troops from the border region.",
    )
    found = find(claims)
    assert found[0].id == "6-7" and found[0].relation == "contradicts"
    kinds = {r.kind for r in found[0].reasons}
    assert {"similarity", "negation"} <= kinds
    assert all(0.0 <= s.score <= 1.0 for s in found)


def test_a_debunk_is_a_contradiction() -> None:
    claims = _claims(
        "A photo shows sharks swimming on a flooded highway in Houston.",
        "The photo of sharks swimming on a flooded Houston highway is a hoax.",
    )
    found = find(claims)
    assert (found[0].id, found[0].relation) == ("6-7", "contradicts")
    assert any(r.kind == "denial" and "hoax" in r.text for r in found[0].reasons)


def test_a_debunk_that_also_negates_is_still_a_contradiction() -> None:
    # The negation inside a debunk is part of its denial, not a second turn that undoes it.
    claims = _claims(
        "An Amber Alert was issued for the licence plate Q72B381.",
        "Hoax: no Amber Alert was issued for the licence plate Q72B381.",
        "The claim that the city council approved the stadium budget is false; it was not voted.",
    )
    relations = _pairs(claims)
    assert relations["6-7"] == "contradicts"
    assert relations["1-8"] == "contradicts"


def test_a_negation_about_something_else_is_no_contradiction() -> None:
    claims = _claims(
        "US forces killed the general in a drone strike in Baghdad in January.",
        "The Iraqi government was not informed about the strike in Baghdad.",
        "The Iraqi government was informed about the strike in Baghdad.",
    )
    found = {s.id: s for s in find(claims)}
    assert found["7-8"].relation == "contradicts"
    assert "6-7" not in found


def test_sharing_names_is_sharing_a_topic_not_a_statement() -> None:
    claims = _claims(
        "Reports say that Hunter Biden has died in Delaware.",
        "The FBI seized a laptop of Hunter Biden in Delaware.",
        "In Delaware Hunter Biden has died, reports say.",
    )
    assert _pairs(claims)["6-8"] in ("supports", "duplicates")
    # Only the names are shared: the same topic, nothing said alike.
    assert "6-7" not in _pairs(claims)
    assert "6-7" in _pairs(claims, enabled=[s for s in SIGNALS if s != "statement"])


def test_conflicting_and_agreeing_quantities() -> None:
    claims = _claims(
        "At least 100 people died in the factory fire in Dhaka.",
        "Only 40 people died in the factory fire in Dhaka.",
        "The bridge collapse in Lagos killed two dozen commuters.",
        "The Lagos bridge collapse killed 24 commuters.",
    )
    relations = _pairs(claims)
    assert relations["6-7"] == "contradicts"
    assert relations["8-9"] in ("supports", "duplicates")


def test_near_identical_wording_is_a_duplicate() -> None:
    claims = _claims(
        "The Senate passed the farm subsidy bill on Tuesday.",
        "The Senate passed the farm-subsidy bill on Tuesday!",
    )
    assert _pairs(claims)["6-7"] == "duplicates"


def test_entities_join_spellings_the_text_does_not() -> None:
    claims = [
        ClaimInput(1, "Qassem Soleimani commanded the Quds Force for two decades."),
        ClaimInput(2, "Suleimani never commanded the Quds Force."),
        ClaimInput(3, "The harvest was poor this year."),
    ]
    aliases = [(7, "qassem soleimani"), (7, "suleimani")]
    found = find(claims, aliases, {7: "Qassem Soleimani"})
    assert found[0].id == "1-2"
    assert "both mention Qassem Soleimani" in [r.text for r in found[0].reasons]


def test_skipped_pairs_filters_and_focus() -> None:
    claims = _claims(
        "The army withdrew its troops from the border region in May.",
        "The army did not withdraw its troops from the border region.",
    )
    assert "6-7" not in _pairs(claims, skip={(6, 7)})
    assert _pairs(claims, relation="supports") == {}
    assert _pairs(claims, min_score=0.99) == {}
    assert _pairs(claims, focus=lambda f: f.id == 1) == {}
    assert "6-7" in _pairs(claims, focus=lambda f: f.id == 7)


def test_nothing_to_pair() -> None:
    assert find([]) == []
    assert find([ClaimInput(1, "One claim alone.")]) == []
    assert find([ClaimInput(1, "!!!"), ClaimInput(2, "???")]) == []


def test_ids_are_the_pair() -> None:
    assert pair_id(12, 3) == pair_id(3, 12) == "3-12"


# Words that make pairs of every kind: negations, antonyms, denials, numbers, years, names of
# two entities, and topic words enough that pairs range from unrelated to alike.
_CUES = ["not", "never", "won", "lost", "at", "least", "only", "100", "40", "2019", "2020", "hoax"]
_WORDS = [*_CUES, "Soleimani", "Qaani", *(f"topic{n}" for n in range(40))]
_TEXT = st.lists(st.sampled_from(_WORDS), min_size=2, max_size=10)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(_TEXT, min_size=2, max_size=30),
    st.lists(st.sampled_from([None, "supported", "refuted"]), min_size=30, max_size=30),
    st.integers(1, 8),
    st.sampled_from([None, "contradicts", "supports", "duplicates"]),
    st.sampled_from([0.0, 0.3, 0.6]),
)
def test_the_best_few_are_the_first_of_all(
    texts: list[list[str]],
    polarities: list[str | None],
    limit: int,
    relation: str | None,
    min_score: float,
) -> None:
    # finder stops assessing pairs once none left can make the cut: what it leaves out must
    # be what a full ranking would have cut.
    claims = [
        ClaimInput(n, " ".join(words), polarity=polarity, label=polarity)
        for n, (words, polarity) in enumerate(zip(texts, polarities, strict=False), start=1)
    ]
    aliases = [(1, "soleimani"), (2, "qaani")]
    everything = find(claims, aliases)
    # Scores are shown rounded: none on the edge of the cut.
    assume(all(abs(s.score - min_score) > 0.001 for s in everything))
    chosen = [s for s in everything if (relation in (None, s.relation)) and s.score >= min_score]
    best = find(claims, aliases, relation=relation, min_score=min_score, limit=limit)
    assert [s.id for s in best] == [s.id for s in chosen[:limit]]
    assert best == chosen[:limit]
