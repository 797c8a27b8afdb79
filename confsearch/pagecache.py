"""Streamlit glue: the model and the searcher, loaded once per server process.

``st.cache_resource`` shares them between every browser session; the searcher is keyed on
the index *version*, so a re-index is picked up by every session without a restart.
Importing this module imports Streamlit; everything else the page needs is in modules that
do not.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from confsearch.settings import Settings

# Torch threads for answering questions in the page (override: CONFSEARCH_PAGE_THREADS).
# One short query does not parallelise, and on a small machine shared with the browser two
# spinning OpenMP threads made query encoding 10-25x slower (275 ms instead of 10 ms on the
# 2-core test machine under load); index builds still use every core.
PAGE_THREADS = 1


def index_version(index_dir: Path) -> str | None:
    from confsearch.index import current_version_dir

    folder = current_version_dir(Path(index_dir))
    return folder.name if folder is not None else None


def needs_build(settings: Settings, model_name: str) -> bool:
    from confsearch.index import is_stale

    if not settings.corpus_dir.is_dir():
        # No corpus to build from: use whatever index exists (the load reports problems).
        return False
    return is_stale(settings.index_dir, settings.corpus_dir, model_name)


def _cache_resource(**kwargs):
    import streamlit as st

    return st.cache_resource(**kwargs)


def page_threads() -> int:
    try:
        return max(1, int(os.environ.get("CONFSEARCH_PAGE_THREADS", PAGE_THREADS)))
    except ValueError:
        return PAGE_THREADS


def _set_threads(n: int) -> None:
    import torch

    torch.set_num_threads(max(1, n))


@_cache_resource(show_spinner="Laddar språkmodellen …")
def get_embedder(model: str, dtype: str, cache_dir: str):
    """The embedding model, loaded once per process (shared by every session)."""
    from confsearch.model import load_embedder

    embedder = load_embedder(Settings(model=model, dtype=dtype, cache_dir=Path(cache_dir)))
    _set_threads(page_threads())
    return embedder


def embedder_for(settings: Settings):
    return get_embedder(settings.model, settings.dtype, str(settings.cache_dir))


@_cache_resource(show_spinner="Laddar sökindexet …", max_entries=4)
def get_searcher(index_dir: str, version: str, model: str, dtype: str, cache_dir: str):
    """Index + searcher for one index *version*; a re-index gives a new version and key."""
    from confsearch.index import load_index
    from confsearch.search import Searcher

    embedder = get_embedder(model, dtype, cache_dir)
    return Searcher(load_index(Path(index_dir), embedder), embedder)


def searcher_for(settings: Settings, version: str):
    return get_searcher(
        str(settings.index_dir), version, settings.model, settings.dtype, str(settings.cache_dir)
    )


def build(settings: Settings, embedder, progress: Callable[[str, int, int], None] | None = None):
    """Build (or refresh) the index; unchanged passages reuse their stored vectors."""
    from confsearch.index import build_index

    _set_threads(os.cpu_count() or 1)  # embedding many passages does parallelise
    try:
        return build_index(
            settings.corpus_dir,
            settings.index_dir,
            embedder,
            batch_size=settings.batch_size,
            progress=progress,
        )
    finally:
        _set_threads(page_threads())
