"""Which pairs of claims are worth comparing, without comparing every pair.

Each claim becomes a TF-IDF vector of its topic words and its entities (SciPy sparse rows).
Pairs are found through the words they share (blocking on an inverted index, done as a sparse
matrix product a block of rows at a time): only words that are neither unique nor common take
part, so a word in N claims costs N^2 and no word costs more than `common`^2. That keeps the
work about linear in the number of claims (no claim is compared with every other), and a
block's product is all the memory it needs. Every claim keeps its `neighbours` most similar
others.

The similarity of the pairs found is then measured on the whole vectors: cosine, the share of
the lighter claim's weight that the other covers (a short claim inside a long quote), and the
rarest entities both mention.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

# A word in more claims than this does not pair claims (it still counts in their similarity).
COMMON = 400
# How many neighbours each claim keeps.
NEIGHBOURS = 12
# Rows of the similarity product computed at once (memory: about BLOCK x neighbours found).
BLOCK = 2000
# Pairs measured at once (memory: about PAIRS x the words of two claims).
PAIRS = 100_000
# Entities are tokens too, spelt so that no text folds to one: an entity never meets a word.
_ENTITY = "\x00"


@dataclass
class Vectors:
    """The claims' TF-IDF vectors (rows L2-normalised), each claim's total idf weight (its
    mass), and each token's idf, rarity (see `rarity`), number of claims, and whether it is an
    entity."""

    tfidf: csr_matrix
    mass: np.ndarray[Any, Any]
    idf: np.ndarray[Any, Any]
    rarity: np.ndarray[Any, Any]
    frequency: np.ndarray[Any, Any]
    entity: np.ndarray[Any, Any]
    vocabulary: list[str]
    columns: dict[str, int]


def entity_token(entity_id: int) -> str:
    """The token that stands for an entity in the claims' vectors."""
    return f"{_ENTITY}{entity_id}"


def vectorise(documents: Sequence[Sequence[str]]) -> Vectors:
    """Vectors of token lists (topic stems and entity tokens): sublinear term frequency
    (1 + log tf) times the smoothed idf (1 + log((1 + claims) / (1 + claims with the token))),
    rows scaled to length 1, the weighting scikit-learn's TfidfVectorizer gives them."""
    import numpy as np
    from scipy.sparse import csr_matrix

    claims = len(documents)
    tokens = list(itertools.chain.from_iterable(documents))
    # Columns in the tokens' alphabetical order, so that ties between tokens break the same
    # way from one run (and one order of the claims) to the next.
    vocabulary = sorted(set(tokens))
    columns = {token: column for column, token in enumerate(vocabulary)}
    sizes = np.fromiter(map(len, documents), dtype=np.int64, count=claims)
    tfidf = csr_matrix(
        (
            np.ones(len(tokens), dtype=np.float32),
            np.fromiter(map(columns.__getitem__, tokens), dtype=np.int64, count=len(tokens)),
            np.concatenate([[0], sizes.cumsum()]),
        ),
        shape=(claims, len(vocabulary)),
    )
    tfidf.sum_duplicates()
    frequency = np.bincount(tfidf.indices, minlength=len(vocabulary))
    idf = np.log(np.float32(claims + 1) / (frequency + 1).astype(np.float32)) + np.float32(1.0)
    # From counts to weights.
    tfidf.data = (np.log(tfidf.data) + np.float32(1.0)) * idf[tfidf.indices]
    sizes = np.diff(tfidf.indptr)
    row = np.repeat(np.arange(claims), sizes)
    norms = np.sqrt(np.bincount(row, weights=tfidf.data**2, minlength=claims))
    # A claim without tokens keeps its empty row.
    tfidf.data /= np.where(norms > 0, norms, 1.0).astype(np.float32)[row]
    mass = _row_sums(tfidf, idf)
    # 1 for a token of one claim, 0 for one in every claim.
    rarity = (idf - 1.0).astype(np.float64) / max(math.log((1 + claims) / 2), 1e-9)
    entity = np.array([token.startswith(_ENTITY) for token in vocabulary], dtype=bool)
    return Vectors(tfidf, mass, idf, rarity, frequency, entity, vocabulary, columns)


def _row_sums(matrix: csr_matrix, weights: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Each row's sum of the weights of its columns."""
    import numpy as np

    marked = matrix.copy()
    marked.data = weights[marked.indices]
    return np.asarray(marked.sum(axis=1)).ravel()


def neighbours(
    vectors: Vectors,
    rows: Sequence[int] | None = None,
    *,
    common: int = COMMON,
    keep: int = NEIGHBOURS,
    block: int = BLOCK,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Candidate pairs (i, j) of row numbers, i < j: for each row of `rows` (all by default),
    the `keep` rows most similar to it by the words they share that are in at most `common`
    claims."""
    import numpy as np

    tfidf = vectors.tfidf
    claims = tfidf.shape[0]
    blocking = (vectors.frequency >= 2) & (vectors.frequency <= common)
    # The vectors restricted to the blocking words: the other words' weights dropped.
    mask = tfidf.copy()
    mask.data[~blocking[mask.indices]] = 0.0
    mask.eliminate_zeros()
    transposed = mask.T.tocsr()
    chosen = np.arange(claims) if rows is None else np.asarray(rows, dtype=np.int64)
    found: list[np.ndarray[Any, Any]] = []
    for start in range(0, len(chosen), block):
        part = chosen[start : start + block]
        product = (mask[part] @ transposed).tocsr()
        sizes = np.diff(product.indptr)
        row = np.repeat(part, sizes)
        # A claim is no neighbour of itself: ranked last (the others' products are positive).
        values = np.where(product.indices == row, np.float32(-1.0), product.data)
        # Rows with few enough others keep them all; the others their `keep` best.
        large = sizes > keep + 1
        picked = [np.flatnonzero(np.repeat(~large, sizes) & (values > 0))]
        for begin, end in zip(
            product.indptr[:-1][large].tolist(), product.indptr[1:][large].tolist(), strict=True
        ):
            picked.append(begin + np.argpartition(values[begin:end], -keep)[-keep:])
        entries = np.concatenate(picked)
        one, other = row[entries], product.indices[entries].astype(np.int64)
        # Each pair as one number, smaller row first, so that a pair found from both ends is one.
        found.append(np.minimum(one, other) * claims + np.maximum(one, other))
    pairs = np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    # Sorted, then each unlike the one before: several times faster than np.unique (NumPy 2).
    pairs = pairs[np.concatenate([pairs[:1] >= 0, pairs[1:] != pairs[:-1]])]
    return pairs // claims, pairs % claims


@dataclass
class Similarities:
    """For each pair: the cosine of the TF-IDF vectors; the share of the lighter claim's idf
    weight that the other claim's tokens cover; how many entities both mention, and the
    rarities of the rarest and the second rarest of them (0 when there are fewer)."""

    cosine: np.ndarray[Any, Any]
    cover: np.ndarray[Any, Any]
    entities: np.ndarray[Any, Any]
    rarest: np.ndarray[Any, Any]
    second_rarest: np.ndarray[Any, Any]


def similarities(
    vectors: Vectors,
    first: np.ndarray[Any, Any],
    second: np.ndarray[Any, Any],
    *,
    pairs: int = PAIRS,
) -> Similarities:
    """The similarities of the pairs (first[k], second[k]), `pairs` at a time."""
    import numpy as np

    parts = [
        _similarities(vectors, first[s : s + pairs], second[s : s + pairs])
        for s in range(0, len(first), pairs)
    ]
    if not parts:
        none = np.zeros(0)
        return Similarities(none, none, none.astype(np.int64), none, none)
    return Similarities(
        *(
            np.concatenate([getattr(part, name) for part in parts])
            for name in Similarities.__dataclass_fields__
        )
    )


def _similarities(
    vectors: Vectors, first: np.ndarray[Any, Any], second: np.ndarray[Any, Any]
) -> Similarities:
    import numpy as np

    # The tokens both claims of a pair have, with the product of their weights.
    both = vectors.tfidf[first].multiply(vectors.tfidf[second]).tocsr()
    both.eliminate_zeros()
    # Rounding may take a claim's cosine with its copy a little over 1.
    cosine = np.minimum(np.asarray(both.sum(axis=1)).ravel(), 1.0)
    shared = _row_sums(both, vectors.idf)
    lighter = np.minimum(vectors.mass[first], vectors.mass[second])
    cover = np.divide(shared, lighter, out=np.zeros_like(shared), where=lighter > 0)
    # The rarities of the entities both mention, each pair's rarest first.
    pair = np.repeat(np.arange(len(first)), np.diff(both.indptr))
    entity = vectors.entity[both.indices]
    pair, rarity = pair[entity], vectors.rarity[both.indices[entity]]
    order = np.lexsort((-rarity, pair))
    pair, rarity = pair[order], rarity[order]
    entities = np.bincount(pair, minlength=len(first))
    start = entities.cumsum() - entities
    # Pairs with fewer entities read the 0 put at the end.
    rarity = np.append(rarity, 0.0)
    end = len(rarity) - 1
    rarest = np.where(entities > 0, rarity[np.minimum(start, end)], 0.0)
    second_rarest = np.where(entities > 1, rarity[np.minimum(start + 1, end)], 0.0)
    return Similarities(cosine, cover, entities, rarest, second_rarest)


def shared_words(vectors: Vectors, i: int, j: int, most: int = 4) -> list[str]:
    """The words two claims share, rarest first (what both are about)."""
    tfidf = vectors.tfidf
    a = set(tfidf.indices[tfidf.indptr[i] : tfidf.indptr[i + 1]])
    b = set(tfidf.indices[tfidf.indptr[j] : tfidf.indptr[j + 1]])
    common = sorted(a & b, key=lambda c: (-vectors.idf[c], c))
    # Entities are shown by name in a reason of their own.
    shown = [vectors.vocabulary[c] for c in common if not vectors.entity[c]]
    return shown[:most]


def rarity(vectors: Vectors, word: str) -> float:
    """How rare a token is among the claims, in [0, 1]: 1 for a token of one claim, 0 for one
    in every claim."""
    column = vectors.columns.get(word)
    return 0.0 if column is None else float(vectors.rarity[column])
