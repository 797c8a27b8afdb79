"""Dense search in memory with FAISS: which index a corpus size gets, and search with filters.

The files backend stores what :func:`make_faiss_index` builds and serves it through
:class:`FaissDense`; evaluation and benchmarks use :func:`in_memory_index` without any
store. The sizes and search settings below were chosen by measurement.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from confsearch.reading.documents import Passage
from confsearch.retrieval.store.base import (
    Filter,
    LoadedIndex,
    Manifest,
)

# Up to this many passages exact search costs a query little: at one thread (the page's
# and bench/peers.py's setting), k = 100, CPU time per query on the synthetic sets (real
# passage vectors + noise): exact 1.1 ms at 20k, 2.9 ms at 50k, 5.6 ms at 100k, where IVF
# (nprobe 64 of ~sqrt(n) lists) took 0.7 / 0.9 / 1.7 ms with recall@10 1.000 and a build of
# a few seconds. Above it an IVF index, as txtai switches by size too: on the synthetic 1M
# set IVF gave recall@10 0.99 at ~4 ms and a 13 s build, where HNSW (M 32, efSearch 4096)
# reached only 0.66 at 12 ms after a 209 s build. HNSW stays available as an explicit
# choice. (Was 200k, set on 2 threads; at 100k exact search was most of the gap to txtai
# in bench/peers.py.)
FLAT_MAX = 50_000
IVF_NPROBE = 64
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 4096


# ---------------------------------------------------------------- FAISS


def choose_index_type(n: int) -> str:
    return "flat" if n <= FLAT_MAX else "ivf"


def ivf_nlist(n: int) -> int:
    """About sqrt(n) inverted lists, as a power of two (1M passages → 1024)."""
    return max(16, 2 ** round(math.log2(math.sqrt(max(n, 1)))))


def make_faiss_index(vectors: np.ndarray, index_type: str | None = None):
    """Exact inner product for small corpora, IVF above ``FLAT_MAX`` (as txtai does)."""
    import faiss

    n, dim = vectors.shape
    kind = index_type or choose_index_type(n)
    index: faiss.Index
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "ivf":
        quantizer = faiss.IndexFlatIP(dim)
        index = ivf = faiss.IndexIVFFlat(quantizer, dim, ivf_nlist(n), faiss.METRIC_INNER_PRODUCT)
        ivf.cp.max_points_per_centroid = 64  # k-means on a sample: seconds, not minutes
        ivf.train(np.ascontiguousarray(vectors, dtype=np.float32))
        ivf.nprobe = IVF_NPROBE
    elif kind == "hnsw":
        index = graph = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        graph.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        raise ValueError(f"unknown index type {kind!r}")
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


class FaissDense:
    """Dense search over in-memory vectors: FAISS without a filter, exact within a filter.

    ``mask`` gives the passages a filter keeps (:meth:`LoadedIndex.mask`).
    """

    def __init__(self, vectors: np.ndarray, index, mask: Callable[[Filter], np.ndarray]) -> None:
        self.vectors = vectors
        self.index = index
        self._mask = mask

    def search(
        self, qvec: np.ndarray, k: int, flt: Filter | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        qvec = np.ascontiguousarray(qvec, dtype=np.float32)
        if flt:
            idx = np.flatnonzero(self._mask(flt))
            scores = np.asarray(self.vectors[idx] @ qvec, dtype=np.float32)
            order = np.argsort(-scores, kind="stable")[:k]
            return idx[order].astype(np.int64), scores[order]
        k = min(k, len(self.vectors))
        if k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        scores, ids = self.index.search(qvec[None, :], k)
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), scores[0][keep].astype(np.float32)

    def scores(self, qvec: np.ndarray, positions: np.ndarray) -> np.ndarray:
        return np.asarray(self.vectors[positions] @ qvec, dtype=np.float32)


def in_memory_index(
    passages: list[Passage],
    vectors: np.ndarray,
    lexical,
    hub: np.ndarray,
    manifest: Manifest,
    index_type: str | None = None,
    vocabulary=None,
) -> LoadedIndex:
    """A searchable index that never touches disk (evaluation on other data, benchmarks)."""
    index = LoadedIndex(
        manifest=manifest,
        passages=passages,
        lexical=lexical,
        hub=hub,
        vocabulary=vocabulary,
    )
    index.dense = FaissDense(vectors, make_faiss_index(vectors, index_type), index.keeps)
    return index
