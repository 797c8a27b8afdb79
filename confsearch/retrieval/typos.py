"""Typo correction for query words: the nearest vocabulary term by edit distance.

A query term (5+ letters) that the lexical index does not know, and that is no compound of
known parts, is mapped to the nearest vocabulary term with the same first letter within
Levenshtein distance 1 (5-7 letters) or 2 (8+); ties go to the more frequent term.
Distances to all candidates of one first letter are computed at once with numpy, over a
code-point matrix built the first time that letter is needed (about 0.4 s for a 370k-term
vocabulary, then ~10 ms a look-up).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from confsearch.tuning import FUZZY_LONG_LEN, FUZZY_MIN_LEN

MAX_MEMO = 100_000  # corrected terms remembered per index


def levenshtein_many(query: str, cands: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Edit distance from ``query`` to each row of ``cands`` (code points, 0-padded)."""
    n, width = cands.shape
    cols = np.arange(width + 1, dtype=np.int32)
    prev = np.broadcast_to(cols, (n, width + 1)).copy()
    for i, ch in enumerate(query, start=1):
        sub = prev[:, :-1] + (cands != ord(ch))
        best = np.minimum(prev[:, 1:] + 1, sub)
        # cur[j] = min_k<=j (best'[k] + j - k), with best'[0] = i: a running minimum.
        row = np.empty_like(prev)
        row[:, 0] = i
        row[:, 1:] = best
        row = np.minimum.accumulate(row - cols, axis=1) + cols
        prev = row
    return prev[np.arange(n), lens]


class TypoIndex:
    """Vocabulary terms bucketed by first letter, for :meth:`nearest`."""

    def __init__(self, terms: list[str], df: np.ndarray) -> None:
        self._terms = terms  # term id -> term
        self._df = df  # term id -> document frequency (breaks ties)
        self._ids: dict[str, list[int]] | None = None
        self._buckets: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray] | None] = {}
        self._memo: dict[str, int | None] = {}

    def nearest(self, term: str) -> int | None:
        """Id of the closest vocabulary term, or None."""
        if term in self._memo:
            return self._memo[term]
        result = None
        maxd = 2 if len(term) >= FUZZY_LONG_LEN else 1
        bucket = self._bucket(term[0])
        if bucket is not None:
            ids, lens, mat = bucket
            ok = np.abs(lens - len(term)) <= maxd
            if ok.any():
                ids, lens, mat = ids[ok], lens[ok], mat[ok]
                width = int(lens.max())
                dist = levenshtein_many(term, mat[:, :width], lens)
                good = dist <= maxd
                if good.any():
                    cand = ids[good]
                    # closest first, then the most frequent, then the smallest id
                    order = np.lexsort((cand, -self._df[cand], dist[good]))
                    result = int(cand[order[0]])
        if len(self._memo) < MAX_MEMO:
            self._memo[term] = result
        return result

    def _bucket(self, first: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Vocabulary terms starting with ``first``: (ids, lengths, code point matrix)."""
        if self._ids is None:
            by_first: defaultdict[str, list[int]] = defaultdict(list)
            for i, t in enumerate(self._terms):
                if len(t) >= FUZZY_MIN_LEN - 1:
                    by_first[t[0]].append(i)
            self._ids = dict(by_first)
        if first not in self._buckets:
            ids = self._ids.get(first)
            if not ids:
                self._buckets[first] = None
            else:
                terms = [self._terms[i] for i in ids]
                lens = np.array([len(t) for t in terms], dtype=np.int64)
                codes = np.frombuffer("".join(terms).encode("utf-32-le"), dtype=np.int32)
                rows = np.repeat(np.arange(len(terms)), lens)
                cols = np.arange(codes.size) - np.repeat(np.cumsum(lens) - lens, lens)
                mat = np.zeros((len(terms), int(lens.max())), dtype=np.int32)
                mat[rows, cols] = codes
                self._buckets[first] = (np.array(ids, dtype=np.int64), lens, mat)
        return self._buckets[first]
