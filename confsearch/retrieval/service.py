"""Opening the searcher and refreshing the index: one rule for every entry point.

The CLI, the page, ``embed.py`` and the HTTP API all come through here, so they agree on
what a searcher is (:class:`Opened`: the searcher, its index version and what went
wrong; made only by :func:`load_searcher`) and on:

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
import logging
import os
import resource
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from confsearch import messages
from confsearch.embedding import model  # called through the module: tests replace loaders
from confsearch.embedding.model import ModelError
from confsearch.fsutil import display_name, folder_label
from confsearch.messages import errno_text, os_error_text
from confsearch.retrieval.buildguard import CorpusShrank
from confsearch.retrieval.index import BuildReport, build_index, is_stale, load_index
from confsearch.retrieval.search import Searcher
from confsearch.retrieval.store import IndexError_, Manifest, Store, open_store
from confsearch.retrieval.store.files import FilesStore
from confsearch.retrieval.store.folder import NotAnIndexFolder, check_index_folder
from confsearch.settings import Settings

if TYPE_CHECKING:  # search.py loads the embedding code: the CLI's start-up path imports it late
    from confsearch.retrieval.search import Searcher

Progress = Callable[[str, int, int], None]


class WriteFailed(IndexError_):
    """The index could not be written; the message is Swedish and names the cause."""


def write_failure(where: str, exc: OSError) -> WriteFailed:
    code = exc.errno or _short_write_cause(where)
    cause = errno_text(code) or os_error_text(exc)
    return WriteFailed(f"Indexet i {where} kunde inte skrivas: {cause}.")


def _short_write_cause(where: str) -> int | None:
    """numpy reports a short write as "N requested and M written", without an errno:
    name the likely cause from the free space and the file size limit."""
    try:
        st = os.statvfs(where)
        if st.f_bavail * st.f_frsize < 1024 * 1024:
            return errno.ENOSPC
    except OSError:
        pass
    if resource.getrlimit(resource.RLIMIT_FSIZE)[0] != resource.RLIM_INFINITY:
        return errno.EFBIG
    return None


class ModelOwned(IndexError_):
    """A shared index belongs to another model; only ``embed.py --change-model`` may
    rebuild it with this one."""


def check_model_owner(settings: Settings, store: Store, manifest: Manifest | None) -> None:
    """A database index is shared by every instance and CLI run: one built with another
    model is never rebuilt (or searched) with this one, else two models flip-flop the
    corpus and instances holding the old version fail. Files indexes are private to
    their folder and are rebuilt as before."""
    if store.name != "postgres" or manifest is None or not settings.model:
        return
    if manifest.model != settings.model:
        raise ModelOwned(
            f"Det delade indexet i {store.location} är byggt med modellen "
            f"{manifest.model}, men den här körningen använder {settings.model}. Använd "
            f"samma modell (CONFSEARCH_MODEL={manifest.model}), eller byt indexets modell "
            "med avsikt: python embed.py --change-model (alla instanser som delar "
            "databasen behöver sedan den nya modellen)."
        )


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
    ours = manifest is None or manifest.corpus_dir == folder_label(corpus)
    stale = corpus.is_dir() and is_stale(manifest, corpus, settings.model)
    return IndexState(manifest, ours, stale)


def refresh_index(
    settings: Settings,
    *,
    embedder=None,
    progress: Progress | None = None,
    only_if_stale: bool = False,
    replace: bool = False,
    allow_shrink: bool = False,
    change_model: bool = False,
) -> BuildReport | None:
    """Build (or refresh) the index of the settings' corpus; None if it was current.

    ``replace``: the index may be unreadable and is replaced by a new one (the user asked);
    only a folder that is an index is emptied, and only of what the index wrote.
    ``allow_shrink``: the user confirms that the corpus really lost most of its documents
    (:mod:`confsearch.retrieval.buildguard`).
    ``change_model``: a shared (database) index built with another model may be rebuilt
    with this one (the user asked); else that is refused (:func:`check_model_owner`).
    Raises :class:`WriteFailed` when the index cannot be written; the previous version,
    if any, is left as it was.
    """
    store = open_store(settings)
    corpus = Path(settings.corpus_dir)
    if isinstance(store, FilesStore):  # refused before anything is removed or written
        check_index_folder(store.index_dir, corpus)
    if replace:
        store.remove_everything()
    else:
        state = index_state(settings, store)  # raises if an index is there but unreadable
        if only_if_stale and not corpus.is_dir() and state.manifest is not None:
            raise IndexError_(
                messages.CORPUS_MISSING_STALE.format(
                    corpus=display_name(str(corpus)), index=display_name(store.location)
                )
            )
        if not change_model:
            check_model_owner(settings, store, state.manifest)
        if only_if_stale and not state.stale:
            return None
    embedder = embedder or model.load_embedder(settings)
    where = store.location
    try:
        return build_index(
            settings.corpus_dir,
            store,
            embedder,
            batch_size=settings.batch_size,
            progress=progress,
            allow_shrink=allow_shrink,
        )
    except OSError as exc:
        raise write_failure(where, exc) from exc


@dataclass
class Opened:
    """A searcher and the index version it answers from: what every front end holds
    (the CLI from :func:`open_searcher`, the API from :meth:`LiveSearcher.get`, the page
    from :func:`confsearch.web.pagecache.searcher`)."""

    searcher: Searcher
    version: str
    warnings: list[str] = field(default_factory=list)
    report: BuildReport | None = None


def load_searcher(
    store: Store,
    embedder,
    *,
    warnings: list[str] | None = None,
    report: BuildReport | None = None,
) -> Opened:
    """The store's live index version loaded for questions encoded by ``embedder``: the
    one place a :class:`Searcher` is made for a front end (checks such as staleness are
    the caller's: :func:`open_searcher` for one-shot processes, the page's build worker)."""
    index = load_index(store, embedder)
    return Opened(Searcher(index, embedder), index.version, list(warnings or []), report)


def open_searcher(
    settings: Settings,
    *,
    refresh: bool = True,
    progress: Progress | None = None,
    query_embedder=None,
) -> Opened:
    """The searcher for the settings' index, refreshed first if it is stale and ours.

    The question path never needs torch for the default model (see
    :func:`confsearch.embedding.model.load_query_embedder`); only a refresh loads
    sentence-transformers. If the refresh cannot be written, the old index answers and
    the reason is in ``warnings``.
    """
    store = open_store(settings)
    state = index_state(settings, store)
    check_model_owner(settings, store, state.manifest)
    warnings: list[str] = []
    report = None
    if state.manifest is None:  # a question never creates an index (nor its folder)
        raise IndexError_(_no_index(settings, store))
    if refresh and state.ours and state.stale:
        try:
            report = refresh_index(settings, progress=progress)
        except (WriteFailed, NotAnIndexFolder, CorpusShrank) as exc:
            warnings.append(f"{exc} Svarar från det befintliga indexet (byggt {_built(state)}).")
    elif state.stale and not state.ours and state.manifest is not None:
        warnings.append(
            f"Indexet byggdes från {state.manifest.corpus_dir}, inte från "
            f"{folder_label(settings.corpus_dir)}; det används som det är."
        )
    embedder = query_embedder or model.load_query_embedder(settings)
    return load_searcher(store, embedder, warnings=warnings, report=report)


@contextlib.contextmanager
def scratch_store(settings: Settings, name: str) -> Iterator[Store | None]:
    """A temporary store of the settings' backend for an index that is not the corpus
    (evaluation on SweFAQ): a schema of its own in PostgreSQL, dropped afterwards; None
    for the files backend, whose indexes can live in memory."""
    if not settings.database_url:
        yield None
        return
    # psycopg (a heavy third-party import) only when a database is configured
    from confsearch.retrieval.store.postgres import PostgresStore  # noqa: PLC0415

    store = PostgresStore(settings.database_url, f"{settings.database_schema}_{name}")
    with store.build_lock():  # two evaluations at once take turns
        try:
            store.remove_everything()  # left over by an evaluation that was killed
            yield store
        finally:
            store.drop_schema()


def _no_index(settings: Settings, store: Store) -> str:
    """ "Det finns inget index i X. Bygg det med `python embed.py --index X`." """
    if store.name != "files":
        return messages.no_index(store.location)
    args = f" --corpus {display_name(str(settings.corpus_dir))}"
    args += f" --index {display_name(store.location)}"
    return messages.NO_INDEX_BUILD_IT.format(index=display_name(store.location), args=args)


def _built(state: IndexState) -> str:
    return state.manifest.built if state.manifest is not None else "okänt"


# ---------------------------------------------------------------- long-running processes

VERSION_CHECK_SECONDS = 2.0  # how often a server may look at the live index version
RETRY_SECONDS = 10.0  # how often a server without a searcher tries loading again


class LiveSearcher:
    """The searcher of a long-running process (the HTTP API), under the rules above.

    :meth:`start` opens it in a background thread, as the CLI would (a stale index of this
    corpus is refreshed first), so the server answers at once: "not ready" until then.
    Afterwards it follows the index: when the live *version* changes (a build by
    ``embed.py``, the page or another process), the new version is loaded in the background
    while the old searcher keeps answering, then swapped in. A version that cannot be
    loaded leaves the old one serving and the reason in :attr:`warnings`. A first load
    that failed (database down, missing grants, no index yet) is tried again every
    :data:`RETRY_SECONDS`, so the server recovers by itself once the cause is fixed. Never
    rebuilds after start except in such a retry of the first load: building is the job of
    ``embed.py`` and the page.

    Thread-safe: :meth:`get` may be called from any number of request threads.
    """

    def __init__(self, settings: Settings, *, check_seconds: float = VERSION_CHECK_SECONDS):
        self.settings = settings
        self.check_seconds = check_seconds
        self.store = open_store(settings)
        self._lock = threading.Lock()
        self._opened: Opened | None = None
        self._error: str | None = None
        self._warnings: list[str] = []
        self._loading: threading.Thread | None = None
        self._last_check = 0.0
        self._failed_version: str | None = None
        self._failed_at = 0.0
        self.started = threading.Event()  # the first load has finished (well or not)

    @property
    def error(self) -> str | None:
        """Why there is no searcher (Swedish), None while loading or when ready."""
        return self._error

    @property
    def warnings(self) -> list[str]:
        return list(self._warnings)

    @property
    def loading(self) -> bool:
        thread = self._loading
        return thread is not None and thread.is_alive()

    def start(self) -> None:
        """Open the searcher in the background (refreshing a stale index of this corpus)."""
        self._spawn(refresh=True)

    def get(self) -> Opened | None:
        """The current searcher (None: not loaded yet, or loading failed; see :attr:`error`).

        At most every ``check_seconds`` this compares the live index version with the one
        loaded and starts loading a new one in the background.
        """
        opened = self._opened
        now = time.monotonic()
        if opened is None and self.started.is_set() and not self.loading:
            if now - self._failed_at >= RETRY_SECONDS:
                self._spawn(refresh=True)  # the first load failed: try it again
            return None
        if self.started.is_set() and now - self._last_check >= self.check_seconds:
            with self._lock:
                if now - self._last_check < self.check_seconds or self.loading:
                    return self._opened
                self._last_check = now
            version = self.store.current_version()
            loaded = opened.version if opened is not None else None
            if version not in (None, loaded, self._failed_version):
                self._spawn(refresh=False)
        return opened

    def _spawn(self, *, refresh: bool) -> None:
        with self._lock:
            if self.loading:
                return
            thread = threading.Thread(
                target=self._load, args=(refresh,), name="confsearch-live", daemon=True
            )
            self._loading = thread
            thread.start()

    def _load(self, refresh: bool) -> None:
        old = self._opened
        version = self.store.current_version()
        try:
            embedder = old.searcher.embedder if old is not None else None
            opened = open_searcher(self.settings, refresh=refresh, query_embedder=embedder)
        except (IndexError_, ModelError, OSError) as exc:
            message = str(exc) or type(exc).__name__
            self._failed_version = version
            self._failed_at = time.monotonic()
            if old is None:
                self._error = message
            else:
                self._warnings = [f"En ny indexversion kunde inte laddas: {message}"]
        except Exception as exc:  # a server must say why it cannot answer, not go quiet
            logging.getLogger(__name__).exception("loading the index failed")
            self._failed_version = version
            self._failed_at = time.monotonic()
            if old is None:
                self._error = f"Indexet kunde inte laddas ({type(exc).__name__}: {exc})."
        else:
            self._opened, self._error, self._warnings = opened, None, list(opened.warnings)
            self._failed_version = None
        finally:
            self.started.set()
