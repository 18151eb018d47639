"""Which pairs of claims are worth comparing, without comparing every pair.

Each claim becomes a TF-IDF vector of its topic words and its entities (scikit-learn). Pairs
are found through the words they share (blocking on an inverted index, done as a sparse matrix
product a block of rows at a time): only words that are neither unique nor common take part,
so a word in N claims costs N^2 and no word costs more than `common`^2. That keeps the work
about linear in the number of claims (no claim is compared with every other), and a block's
product is all the memory it needs. Every claim keeps its `neighbours` most similar others.

The similarity of the pairs found is then measured on the whole vectors: cosine, and the share
of the shorter claim's weight that the longer one covers (a short claim inside a long quote).
"""

from __future__ import annotations

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


@dataclass
class Vectors:
    """The claims' TF-IDF vectors (rows L2-normalised), idf-weighted word sets, each claim's
    total idf weight, and each word's rarity (see `rarity`)."""

    tfidf: csr_matrix
    binary: csr_matrix
    weighted: csr_matrix
    mass: np.ndarray[Any, Any]
    idf: np.ndarray[Any, Any]
    rarity: np.ndarray[Any, Any]
    vocabulary: list[str]
    columns: dict[str, int]


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


def vectorise(documents: Sequence[Sequence[str]]) -> Vectors:
    """Vectors of token lists (topic stems and entity tokens)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, norm="l2", dtype=np.float32)
    if not any(documents):
        # scikit-learn refuses an empty vocabulary; no words, no pairs.
        documents = [*documents[:-1], ["\x00"]] if documents else [["\x00"]]
    tfidf = vectoriser.fit_transform(documents).tocsr()
    binary = tfidf.copy()
    binary.data[:] = 1.0
    idf = vectoriser.idf_.astype(np.float32)
    weighted = binary.multiply(idf).tocsr()
    mass = np.asarray(weighted.sum(axis=1)).ravel()
    vocabulary = [""] * len(vectoriser.vocabulary_)
    for word, column in vectoriser.vocabulary_.items():
        vocabulary[column] = word
    # 1 for a token of one claim, 0 for one in every claim.
    claims = tfidf.shape[0]
    rarity = (idf - 1.0).astype(np.float64) / max(math.log((1 + claims) / 2), 1e-9)
    return Vectors(tfidf, binary, weighted, mass, idf, rarity, vocabulary, vectoriser.vocabulary_)


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
    frequency = np.asarray(vectors.binary.sum(axis=0)).ravel()
    blocking = (frequency >= 2) & (frequency <= common)
    # The vectors restricted to the blocking words: columns of other words zeroed.
    mask = tfidf @ _diagonal(blocking.astype(np.float32))
    mask.eliminate_zeros()
    transposed = mask.T.tocsr()
    chosen = np.arange(tfidf.shape[0]) if rows is None else np.asarray(rows, dtype=np.int64)
    firsts: list[np.ndarray[Any, Any]] = []
    seconds: list[np.ndarray[Any, Any]] = []
    for start in range(0, len(chosen), block):
        part = chosen[start : start + block]
        product = (mask[part] @ transposed).tocsr()
        for offset, row in enumerate(part):
            begin, end = product.indptr[offset], product.indptr[offset + 1]
            columns = product.indices[begin:end]
            values = product.data[begin:end]
            others = columns != row
            columns, values = columns[others], values[others]
            if len(columns) > keep:
                top = np.argpartition(-values, keep)[:keep]
                columns = columns[top]
            firsts.append(np.minimum(columns, row))
            seconds.append(np.maximum(columns, row))
    if not firsts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    pairs = np.unique(
        np.stack([np.concatenate(firsts), np.concatenate(seconds)], axis=1).astype(np.int64),
        axis=0,
    )
    return pairs[:, 0], pairs[:, 1]


def _diagonal(values: np.ndarray[Any, Any]) -> csr_matrix:
    from scipy.sparse import diags

    return diags(values, format="csr")


def similarities(
    vectors: Vectors, first: np.ndarray[Any, Any], second: np.ndarray[Any, Any]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """For each pair: the cosine of the TF-IDF vectors, and the share of the lighter claim's
    idf weight that the other claim's words cover."""
    import numpy as np

    if len(first) == 0:
        return np.zeros(0), np.zeros(0)
    cosine = np.asarray(vectors.tfidf[first].multiply(vectors.tfidf[second]).sum(axis=1)).ravel()
    shared = np.asarray(
        vectors.weighted[first].multiply(vectors.binary[second]).sum(axis=1)
    ).ravel()
    lighter = np.minimum(vectors.mass[first], vectors.mass[second])
    cover = np.divide(shared, lighter, out=np.zeros_like(shared), where=lighter > 0)
    return cosine, cover


def shared_words(vectors: Vectors, i: int, j: int, most: int = 4) -> list[str]:
    """The words two claims share, rarest first (what both are about)."""
    binary = vectors.binary
    a = set(binary.indices[binary.indptr[i] : binary.indptr[i + 1]])
    b = set(binary.indices[binary.indptr[j] : binary.indptr[j + 1]])
    common = sorted(a & b, key=lambda c: -vectors.idf[c])
    # Entities are tokens too (see finder), shown by name in a reason of their own.
    shown = [vectors.vocabulary[c] for c in common if not vectors.vocabulary[c].startswith("\x00")]
    return shown[:most]


def rarity(vectors: Vectors, word: str) -> float:
    """How rare a token is among the claims, in [0, 1]: 1 for a token of one claim, 0 for one
    in every claim."""
    column = vectors.columns.get(word)
    return 0.0 if column is None else float(vectors.rarity[column])


def rarest_shared(
    vectors: Vectors,
    first: np.ndarray[Any, Any],
    second: np.ndarray[Any, Any],
    tokens: np.ndarray[Any, Any],
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """For each pair: how many of the `tokens` (a mask of columns) both claims have, and the
    rarities of the rarest and the second rarest of them (0 when there are fewer)."""
    import numpy as np

    none = np.zeros(len(first))
    if len(first) == 0 or not tokens.any():
        return none.astype(np.int64), none, none
    mine = (vectors.binary @ _diagonal(tokens.astype(np.float32))).tocsr()
    mine.eliminate_zeros()
    both = mine[first].multiply(mine[second]).tocsr()
    both.eliminate_zeros()
    count = np.diff(both.indptr)
    if both.nnz == 0:
        return count, none, none
    rows = np.repeat(np.arange(len(first)), count)
    values = vectors.rarity[both.indices]
    values = values[np.lexsort((-values, rows))]
    # Rows without a shared token point past the end: clipped, and their values not used.
    last = len(values) - 1
    starts = both.indptr[:-1]
    rarest = np.where(count > 0, values[np.minimum(starts, last)], 0.0)
    second_rarest = np.where(count > 1, values[np.minimum(starts + 1, last)], 0.0)
    return count, rarest, second_rarest
