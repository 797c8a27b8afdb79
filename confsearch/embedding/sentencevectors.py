"""Passage-side vectors of single sentences, each encoded once per process.

Search judges its confidence by the best sentence of its top hits, and an answer compares
the question with a few dozen sentences of them; the same sentences come back question
after question, so each is encoded once and kept (up to :data:`MAX_CACHED`, then the
cache starts over).
"""

from __future__ import annotations

import numpy as np

from confsearch.embedding.model import Embedder


def sentence_vectors(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Passage-side vectors of sentences, each encoded once per process: the seed corpus's
    few hundred sentences are all cached after a few questions, so a search or an answer
    costs the question's own encoding and a dot product."""
    key = getattr(embedder, "name", "")
    todo = [t for t in dict.fromkeys(texts) if (key, t) not in _VECTORS]
    if todo:
        if len(_VECTORS) + len(todo) > MAX_CACHED:
            _VECTORS.clear()
        for t, v in zip(todo, embedder.encode_passages(todo), strict=True):
            _VECTORS[(key, t)] = np.asarray(v, dtype=np.float32)
    return np.stack([_VECTORS[(key, t)] for t in texts])


_VECTORS: dict[tuple[str, str], np.ndarray] = {}
MAX_CACHED = 20_000
