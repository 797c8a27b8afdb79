"""Where the index lives: one small protocol, two backends.

* :mod:`confsearch.retrieval.store.files` — the embedded default: a folder of immutable versions
  (FAISS for dense search, bm25s arrays for lexical search) behind an atomic pointer.
* :mod:`confsearch.retrieval.store.postgres` — PostgreSQL + pgvector, for several page and API
  instances sharing one database (``CONFSEARCH_DATABASE_URL``).

Modelled on txtai's split between ``ann/`` backends and ``database/`` content: a backend
stores and serves a *build* — passages with their metadata, their vectors, the lexical
index, per-passage statistics computed at build time (hubness) and a typed
:class:`Manifest` — and a loaded snapshot answers dense search (with an optional filter),
lexical search and look-ups of passages by id. Everything else (reading the corpus,
embedding, fusion, answers) is the same for every backend, and one contract test suite
(``tests/retrieval/test_store_contract.py``) runs against each.
"""

from __future__ import annotations

from confsearch.retrieval.store.base import (
    FORMAT_VERSION,
    BuildData,
    BuildLocked,
    DenseIndex,
    DocumentInfo,
    Filter,
    IndexError_,
    LoadedIndex,
    Manifest,
    Store,
    new_version_name,
)
from confsearch.retrieval.store.files import FilesStore

__all__ = [
    "FORMAT_VERSION",
    "BuildData",
    "BuildLocked",
    "DenseIndex",
    "DocumentInfo",
    "Filter",
    "IndexError_",
    "LoadedIndex",
    "Manifest",
    "Store",
    "new_version_name",
    "open_store",
]


def open_store(settings) -> Store:
    """The backend the settings ask for: PostgreSQL if a database URL is set, else files."""
    if getattr(settings, "database_url", None):
        # psycopg is imported only by a deployment that asks for PostgreSQL.
        from confsearch.retrieval.store.postgres import PostgresStore  # noqa: PLC0415

        return PostgresStore(settings.database_url, settings.database_schema)
    return FilesStore(settings.index_dir)
