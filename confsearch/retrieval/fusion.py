"""Fusion methods: how a passage's dense and lexical scores become one score, one function each.

Every function takes the candidates' dense cosines and BM25 scores (same order) and returns
their fused scores; :func:`fuse` picks one by the name in
:class:`confsearch.retrieval.search.FusionConfig`. ``weighted`` is the product's method,
chosen by measurement (``python -m confsearch eval``, docs/evaluation.md); the others exist
for evaluation and comparison.
"""

from __future__ import annotations

import numpy as np


def dense_only(dense: np.ndarray, lex: np.ndarray) -> np.ndarray:
    """The cosine alone (evaluation: what the embedding model finds by itself)."""
    return dense


def lexical_only(dense: np.ndarray, lex: np.ndarray) -> np.ndarray:
    """BM25 alone (evaluation: what the lexical index finds by itself)."""
    return lex


def reciprocal_rank(dense: np.ndarray, lex: np.ndarray, rrf_k: int) -> np.ndarray:
    """Reciprocal rank fusion; a passage without any lexical match gets no lexical part."""
    d_rank = np.argsort(np.argsort(-dense))
    l_rank = np.argsort(np.argsort(-lex))
    return 1.0 / (rrf_k + d_rank + 1) + np.where(lex > 0, 1.0 / (rrf_k + l_rank + 1), 0.0)


def weighted(
    dense: np.ndarray,
    lex: np.ndarray,
    hub: np.ndarray,
    *,
    dense_weight: float,
    dense_floor: float,
    hub_penalty: float,
) -> np.ndarray:
    """``w * dense + (1 - w) * lexical``: the cosine, less the passage's hubness discount,
    mapped from [floor, 1] to [0, 1]; BM25 divided by the best BM25 among the candidates."""
    adjusted = dense - hub_penalty * hub
    d_norm = np.clip((adjusted - dense_floor) / (1.0 - dense_floor), 0.0, 1.0)
    top = float(lex.max()) if len(lex) else 0.0
    l_norm = lex / top if top > 0 else np.zeros_like(lex)
    return dense_weight * d_norm + (1.0 - dense_weight) * l_norm


def fuse(
    method: str,
    dense: np.ndarray,
    lex: np.ndarray,
    hub: np.ndarray,
    *,
    dense_weight: float,
    dense_floor: float,
    hub_penalty: float,
    rrf_k: int,
) -> np.ndarray:
    """The fused scores of the candidates by ``method`` (raises ValueError if unknown)."""
    if method == "dense":
        return dense_only(dense, lex)
    if method == "lexical":
        return lexical_only(dense, lex)
    if method == "rrf":
        return reciprocal_rank(dense, lex, rrf_k)
    if method == "weighted":
        return weighted(
            dense,
            lex,
            hub,
            dense_weight=dense_weight,
            dense_floor=dense_floor,
            hub_penalty=hub_penalty,
        )
    raise ValueError(f"unknown fusion method {method!r}")
