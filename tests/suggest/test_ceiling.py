"""The ceiling finder prunes pairs with: no pair may score above it, whatever its cues.

If a change to scoring lets some evidence score higher than `scoring.ceiling` allows, the
suggestions would silently lose pairs; these tests fail first.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.suggest import scoring
from factcheck.suggest.quantities import Quantity
from factcheck.suggest.scoring import Evidence

_unit = st.floats(min_value=0.0, max_value=1.0)
# Each cue in a quarter of the pairs, so that pairs without any conflict are common too.
_sometimes = st.sampled_from([False, False, False, True])
_quantity = Quantity(1.0, 1.0, None, frozenset(), frozenset(), "1")


@st.composite
def evidence(draw: st.DrawFn) -> Evidence:
    cosine = draw(_unit)
    shared = draw(st.lists(_unit, max_size=4))
    return Evidence(
        cosine=cosine,
        cover=draw(_unit),
        # assess compares the wording only from this cosine on (scoring._WORDING).
        wording=draw(_unit) if cosine >= scoring._WORDING else 0.0,
        entities=frozenset(range(len(shared))),
        entity_rarity=tuple(sorted(shared, reverse=True)),
        statement=draw(st.none() | _unit),
        negated=("not x",) if draw(_sometimes) else (),
        negation_weight=draw(_unit),
        antonyms=[("win", "lose")] * draw(st.sampled_from([0, 0, 0, 1, 2])),
        denied=("hoax",) if draw(_sometimes) else (),
        denial_weight=draw(_unit),
        quantities_agree=[(_quantity, _quantity)] if draw(_sometimes) else [],
        quantities_conflict=[(_quantity, _quantity)] if draw(_sometimes) else [],
        dates_shared=["2020"] if draw(_sometimes) else [],
        dates_conflict=[("2019", "2020")] if draw(_sometimes) else [],
        verdicts=draw(st.sampled_from([None, "agree", "disagree"])),
    )


@settings(max_examples=500)
@given(evidence())
def test_no_evidence_scores_above_its_ceiling(found: Evidence) -> None:
    relation, score = scoring.judge(found, floor=0.0)
    rarest = (*found.entity_rarity[:2], 0.0, 0.0)
    strength = scoring.related(
        np.array([(found.cosine + found.cover) / 2]),
        np.array([rarest[0]]),
        np.array([rarest[1]]),
    )
    assert strength[0] == scoring.topic(found)
    cosine = np.array([found.cosine])
    # Whatever the relation, and for the relation judged.
    assert score <= scoring.ceiling(strength, cosine)[0] + 1e-9
    assert score <= scoring.ceiling(strength, cosine, relation)[0] + 1e-9


def test_the_ceiling_is_not_loose_where_it_matters() -> None:
    # Unrelated words, no entity: nothing can be suggested, so nothing need be assessed.
    assert scoring.ceiling(np.array([0.1]), np.array([0.1]))[0] < scoring.FLOOR
    # Wording that may be a duplicate's cannot be bounded without comparing it.
    assert scoring.ceiling(np.array([0.4]), np.array([0.6]))[0] == 1.0
    # Duplicates need alike words, and only a contradiction scores above its topic.
    assert scoring.ceiling(np.array([0.8]), np.array([0.3]), "duplicates")[0] == 0.0
    assert scoring.ceiling(np.array([0.4]), np.array([0.6]), "supports")[0] == 0.4
    assert scoring.ceiling(np.array([0.4]), np.array([0.6]), "contradicts")[0] > 0.4
