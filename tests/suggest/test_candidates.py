"""Vectors, candidate pairs and their similarities (factcheck/suggest/candidates.py)."""

from __future__ import annotations

import math

import numpy as np

from factcheck.suggest import candidates
from factcheck.suggest.candidates import entity_token, neighbours, similarities, vectorise


def test_weights_are_sublinear_tf_times_smoothed_idf_scaled_to_length_one() -> None:
    vectors = vectorise([["war", "war", "iran"], ["iran"], []])
    idf = {word: 1 + math.log(4 / (1 + claims)) for word, claims in (("war", 1), ("iran", 2))}
    war, iran = (1 + math.log(2)) * idf["war"], idf["iran"]
    row = dict(zip(vectors.vocabulary, vectors.tfidf.toarray()[0].tolist(), strict=True))
    assert math.isclose(row["war"], war / math.hypot(war, iran), rel_tol=1e-6)
    assert math.isclose(row["iran"], iran / math.hypot(war, iran), rel_tol=1e-6)
    assert vectors.tfidf.toarray()[1].tolist() == [1.0, 0.0]
    # A claim without words keeps an empty row.
    assert vectors.tfidf[2].nnz == 0
    assert vectors.vocabulary == ["iran", "war"]
    assert math.isclose(candidates.rarity(vectors, "war"), 1.0, rel_tol=1e-6)
    assert candidates.rarity(vectors, "x") == 0.0


def test_each_claim_keeps_its_best_neighbours_and_a_pair_is_found_once() -> None:
    # Claim 0 shares a word with 1, 2 and 3, and two words with 1.
    vectors = vectorise([["a", "b"], ["a", "b"], ["a", "c"], ["a", "d"], ["c", "d"]])
    first, second = neighbours(vectors, common=10)
    pairs = list(zip(first.tolist(), second.tolist(), strict=True))
    assert len(set(pairs)) == len(pairs) and all(i < j for i, j in pairs)
    first, second = neighbours(vectors, rows=[0], keep=1, common=10)
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == [(0, 1)]
    # A word in more claims than `common` pairs no claims.
    first, second = neighbours(vectors, common=2)
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == [(0, 1), (2, 4), (3, 4)]


def test_pairs_of_far_rows_are_named_right() -> None:
    # Row numbers times the number of claims overflow 32 bits here.
    documents = [[f"w{n // 2}"] for n in range(50_000)]
    first, second = neighbours(vectorise(documents), rows=[48_000, 49_999])
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == [
        (48_000, 48_001),
        (49_998, 49_999),
    ]


def test_similarities_and_the_rarest_entities_a_pair_shares() -> None:
    e = entity_token
    documents = [
        ["stadium", "budget", e(1), e(2), e(3)],
        ["stadium", "budget", e(1), e(2), e(3)],
        ["stadium", e(1)],
        ["harvest", e(2)],
        ["harvest"],
    ]
    vectors = vectorise(documents)
    first, second = np.array([0, 0, 0, 3]), np.array([1, 2, 3, 4])
    found = similarities(vectors, first, second, pairs=2)
    assert found.cosine[0] == 1.0 and found.cover[0] == 1.0
    assert found.cosine[3] > 0 and found.cover[3] == 1.0
    assert found.entities.tolist() == [3, 1, 1, 0]
    rarity = {n: candidates.rarity(vectors, e(n)) for n in (1, 2, 3)}
    assert rarity[3] > rarity[2] == rarity[1]
    assert found.rarest.tolist() == [rarity[3], rarity[1], rarity[2], 0.0]
    assert found.second_rarest.tolist() == [rarity[2], 0.0, 0.0, 0.0]
    # The words shown are the topic's, rarest first, not the entities.
    assert candidates.shared_words(vectors, 0, 1) == ["budget", "stadium"]
