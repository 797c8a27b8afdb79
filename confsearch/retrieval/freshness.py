"""Whether an index still describes the corpus: the corpus fingerprint and the staleness check.

Cheap enough for every page start (names, sizes and modification times, never contents),
and apart from building so a caller that only asks "is it stale?" reads no model code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from confsearch.fsutil import name_bytes
from confsearch.reading.corpus import (
    READ_RULES,
    corpus_files,
    file_stats,
    sidecar_files,
)
from confsearch.retrieval.store import (
    FORMAT_VERSION,
    Manifest,
)


def corpus_fingerprint(corpus_dir: Path) -> str:
    """Hash of the name, size and mtime of every file the reader reads, documents and
    their metadata sidecars (cheap enough for every page start), and of the reading rules
    (:data:`confsearch.reading.corpus.READ_RULES`); files it ignores (lock files, ``.git/``, other
    types) do not count."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        return hashlib.sha256().hexdigest()
    paths = [*corpus_files(corpus_dir), *sidecar_files(corpus_dir)]
    return fingerprint_of(file_stats(corpus_dir, paths))


def fingerprint_of(files) -> str:
    """The fingerprint of (relative path, size, mtime_ns) entries: of the corpus as it is
    now (:func:`corpus_fingerprint`) or as a build read it (``CorpusResult.files``), so
    a build that read a corpus changing under it is stale afterwards. Names are hashed
    as the bytes the file system holds, whatever their encoding."""
    h = hashlib.sha256()
    h.update(f"rules {READ_RULES}\n".encode())
    for rel, size, mtime_ns in files:
        h.update(name_bytes(rel) + f"\x00{size}\x00{mtime_ns}\n".encode())
    return h.hexdigest()


def is_stale(manifest: Manifest | None, corpus_dir: Path, model: str | None = None) -> bool:
    """Whether ``manifest`` (None: no index) no longer describes the corpus and model."""
    if manifest is None or manifest.format_version != FORMAT_VERSION:
        return True
    if model and manifest.model != model:
        return True
    return manifest.corpus_fingerprint != corpus_fingerprint(corpus_dir)
