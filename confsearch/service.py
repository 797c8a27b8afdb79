"""Opening the searcher and refreshing the index: one rule for every entry point.

The CLI, the page, ``embed.py`` and the HTTP API all come through here, so they agree on:

* **Belongs to this corpus**: an index belongs to the corpus folder its manifest names
  (or there is no index yet). An index of another corpus is used as it is and never
  rebuilt from this one.
* **Stale**: its model, format or corpus fingerprint no longer match (:func:`is_stale`).
* **Unreadable**: an index whose pointer or manifest cannot be read is never touched;
  the message says how to replace it deliberately (``embed.py --replace``).
* **Write failures** (read-only folder, disk full, file size limit): the build fails with
  a Swedish message and the old index, if valid, still answers.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from confsearch.index import BuildReport, build_index, is_stale, load_index
from confsearch.settings import Settings
from confsearch.store import IndexError_, Manifest, Store, open_store

Progress = Callable[[str, int, int], None]


class WriteFailed(IndexError_):
    """The index could not be written; the message is Swedish and names the cause."""


_CAUSES = {
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EROFS: "mappen är skrivskyddad",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EFBIG: "filen blev större än tillåtet",
}


def write_failure(where: str, exc: OSError) -> WriteFailed:
    cause = _CAUSES.get(exc.errno or 0) or exc.strerror or str(exc) or type(exc).__name__
    return WriteFailed(f"Indexet i {where} kunde inte skrivas: {cause}.")


@dataclass(frozen=True)
class IndexState:
    manifest: Manifest | None
    ours: bool  # built from this corpus folder (or no index yet)
    stale: bool


def index_state(settings: Settings, store: Store | None = None) -> IndexState:
    """What the index is relative to the settings' corpus and model. Raises
    :class:`IndexError_` if an index is there but cannot be read."""
    store = store or open_store(settings)
    manifest = store.read_manifest()
    corpus = Path(settings.corpus_dir)
    ours = manifest is None or manifest.corpus_dir == str(corpus.resolve())
    stale = corpus.is_dir() and is_stale(manifest, corpus, settings.model)
    return IndexState(manifest, ours, stale)


def refresh_index(
    settings: Settings,
    *,
    embedder=None,
    progress: Progress | None = None,
    only_if_stale: bool = False,
    replace: bool = False,
) -> BuildReport | None:
    """Build (or refresh) the index of the settings' corpus; None if it was current.

    ``replace``: the index may be unreadable and is replaced by a new one (the user asked).
    Raises :class:`WriteFailed` when the index cannot be written; the previous version,
    if any, is left as it was.
    """
    from confsearch.model import load_embedder

    store = open_store(settings)
    if replace:
        store.remove_everything()
    else:
        state = index_state(settings, store)  # raises if an index is there but unreadable
        if only_if_stale and not state.stale:
            return None
    embedder = embedder or load_embedder(settings)
    where = store.location
    try:
        return build_index(
            settings.corpus_dir,
            store,
            embedder,
            batch_size=settings.batch_size,
            progress=progress,
        )
    except OSError as exc:
        raise write_failure(where, exc) from exc


@dataclass
class Opened:
    searcher: object  # confsearch.search.Searcher
    version: str
    warnings: list[str] = field(default_factory=list)
    report: BuildReport | None = None


def open_searcher(
    settings: Settings,
    *,
    refresh: bool = True,
    progress: Progress | None = None,
    query_embedder=None,
) -> Opened:
    """The searcher for the settings' index, refreshed first if it is stale and ours.

    The question path never needs torch for the default model (see
    :func:`confsearch.model.load_query_embedder`); only a refresh loads
    sentence-transformers. If the refresh cannot be written, the old index answers and
    the reason is in ``warnings``.
    """
    from confsearch.model import load_query_embedder
    from confsearch.search import Searcher

    store = open_store(settings)
    state = index_state(settings, store)
    warnings: list[str] = []
    report = None
    if refresh and state.ours and state.stale:
        try:
            report = refresh_index(settings, progress=progress)
        except WriteFailed as exc:
            if state.manifest is None:
                raise
            warnings.append(f"{exc} Svarar från det befintliga indexet (byggt {_built(state)}).")
    elif state.stale and not state.ours and state.manifest is not None:
        warnings.append(
            f"Indexet byggdes från {state.manifest.corpus_dir}, inte från "
            f"{Path(settings.corpus_dir).resolve()}; det används som det är."
        )
    if state.manifest is None and report is None:
        raise IndexError_(
            f"Det finns inget index i {store.location} och ingen "
            f"korpusmapp att bygga det från ({settings.corpus_dir})."
        )
    embedder = query_embedder or load_query_embedder(settings)
    index = load_index(store, embedder)
    return Opened(Searcher(index, embedder), index.version, warnings, report)


@contextlib.contextmanager
def scratch_store(settings: Settings, name: str) -> Iterator[Store | None]:
    """A temporary store of the settings' backend for an index that is not the corpus
    (evaluation on SweFAQ): a schema of its own in PostgreSQL, dropped afterwards; None
    for the files backend, whose indexes can live in memory."""
    if not settings.database_url:
        yield None
        return
    from confsearch.store.postgres import PostgresStore

    store = PostgresStore(settings.database_url, f"{settings.database_schema}_{name}")
    with store.build_lock():  # two evaluations at once take turns
        try:
            store.remove_everything()  # left over by an evaluation that was killed
            yield store
        finally:
            store.drop_schema()


def _built(state: IndexState) -> str:
    return state.manifest.built if state.manifest is not None else "okänt"
