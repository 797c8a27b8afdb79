"""Named bytes: how the lexical index and the vocabulary travel through a store.

A store keeps named blobs (and numpy arrays) without knowing what they mean; the index
layer (:mod:`confsearch.retrieval.index`) turns them into objects. A ``.npy`` blob holds
exactly the bytes ``np.save`` writes to a file, so indexes written as files before load
unchanged.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np


def npy_bytes(array: np.ndarray) -> bytes:
    """The bytes ``np.save`` writes for ``array`` (no pickles)."""
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def npy_array(data: bytes) -> np.ndarray:
    """The array of :func:`npy_bytes`'s bytes (a writable copy, no pickles)."""
    return np.load(io.BytesIO(data), allow_pickle=False)


def read_blobs(directory: Path, prefix: str) -> dict[str, bytes]:
    """The files in ``directory`` whose names start with ``prefix``, by name."""
    return {
        p.name: p.read_bytes()
        for p in sorted(Path(directory).iterdir())
        if p.name.startswith(prefix) and p.is_file()
    }
