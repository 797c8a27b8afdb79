"""The page's shared state: the question model, the searcher and index builds, per process.

Plain Python (a lock and two dictionaries), not Streamlit's cache: the launcher
(``python -m confsearch.page``, what ``make run`` starts) loads the model and the index in
a background thread as soon as the server starts, before the first visitor, and every
browser session shares them. The searcher is keyed on the index *version*, so a new
version published by a build (in a separate process, :mod:`confsearch.web.worker`) is picked
up by every session on its next interaction, while the old one keeps serving until then.
Nothing here imports Streamlit or torch.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from confsearch import wordclass
from confsearch.embedding import model  # called through the module: tests replace loaders
from confsearch.messages import NO_INDEX_YET
from confsearch.retrieval.index import corpus_fingerprint
from confsearch.retrieval.service import Opened, index_state, load_searcher
from confsearch.retrieval.store import IndexError_, open_store
from confsearch.settings import Settings
from confsearch.web import worker

if TYPE_CHECKING:  # loaded when the page first needs it (see searcher)
    pass

STALE_CHECK_SECONDS = 20.0  # how often a page run may re-hash the corpus folder


@dataclass
class _State:
    """Everything the sessions of one server process share."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    embedders: dict = field(default_factory=dict)  # model key -> question embedder
    searchers: dict = field(default_factory=dict)  # (store, version) -> Opened
    warmed: threading.Event = field(default_factory=threading.Event)
    warm_started: bool = False
    last_stale_check: dict = field(default_factory=dict)  # store -> (time, stale)
    jobs: dict = field(default_factory=dict)  # store -> running BuildJob
    upload_locks: dict = field(default_factory=dict)  # store -> lock held by one upload batch
    failed_fingerprint: dict = field(default_factory=dict)  # store -> corpus fingerprint


_STATE = _State()


def _model_key(settings: Settings) -> tuple:
    return (settings.model, settings.dtype, str(settings.cache_dir), settings.query_threads)


def _store_key(settings: Settings) -> str:
    if settings.database_url:
        return f"{settings.database_url}#{settings.database_schema}"
    return str(settings.index_dir.resolve())


def query_embedder(settings: Settings):
    """The model that encodes questions (no torch for the default model), loaded once."""
    key = _model_key(settings)
    with _STATE.lock:
        if key not in _STATE.embedders:
            _STATE.embedders[key] = model.load_query_embedder(settings)
        return _STATE.embedders[key]


def current_version(settings: Settings) -> str | None:
    return open_store(settings).current_version()


def searcher(settings: Settings) -> Opened:
    """The live index version's searcher (:func:`confsearch.retrieval.service.load_searcher`,
    the shape every front end holds), loaded once per version and shared by every session.
    Never builds: builds run in a worker process (:func:`start_build`).

    Raises :class:`confsearch.retrieval.store.IndexError_` (Swedish) if there is no usable index.
    """
    store = open_store(settings)
    version = store.current_version()
    if version is None:
        store.read_manifest()  # raises a precise message if an index is there but unreadable
        raise IndexError_(NO_INDEX_YET)
    key = (_store_key(settings), version)
    embedder = query_embedder(settings)
    with _STATE.lock:
        found = _STATE.searchers.get(key)
    if found is None:
        found = load_searcher(store, embedder)
        key = (_store_key(settings), found.version)
        with _STATE.lock:
            # keep the newest two versions: sessions that are mid-run still hold the old
            for old in [k for k in _STATE.searchers if k[0] == key[0]][:-1]:
                del _STATE.searchers[old]
            _STATE.searchers[key] = found
    return found


def warm(settings: Settings) -> None:
    """Load the model and the index (launcher thread). A failure is not kept: the page's
    own :func:`searcher` call then fails the same way and shows that error, in Swedish."""
    try:
        query_embedder(settings)
        searcher(settings)
        wordclass.preload()
    except Exception:  # the page's own searcher() call fails alike and shows it
        pass
    finally:
        _STATE.warmed.set()


def warm_in_background(settings: Settings) -> threading.Thread:
    _STATE.warm_started = True
    thread = threading.Thread(target=warm, args=(settings,), name="confsearch-warm", daemon=True)
    thread.start()
    return thread


def wait_until_warm(timeout: float) -> bool:
    return _STATE.warmed.wait(timeout)


def is_warming() -> bool:
    """Whether the launcher's warm-up thread is still loading (False without a launcher)."""
    return _STATE.warm_started and not _STATE.warmed.is_set()


# ---------------------------------------------------------------- builds


def needs_build(settings: Settings) -> bool:
    """Whether this corpus's index is missing or stale (checked at most every few seconds;
    a build that failed is not retried until the corpus changes again)."""
    key = _store_key(settings)
    now = time.monotonic()
    last = _STATE.last_stale_check.get(key)
    if last is not None and now - last[0] < STALE_CHECK_SECONDS:
        return last[1]
    if not settings.corpus_dir.is_dir():
        result = False
    else:
        state = index_state(settings)
        result = state.ours and state.stale
        if result and _STATE.failed_fingerprint.get(key) == corpus_fingerprint(settings.corpus_dir):
            result = False
    _STATE.last_stale_check[key] = (now, result)
    return result


def start_build(settings: Settings):
    """The running build job for this index, starting one if none runs."""
    with _STATE.lock:
        return _running_or_new(_store_key(settings), settings)


def _running_or_new(key: str, settings: Settings) -> worker.BuildJob:
    """The running job for ``key``, or a new one started now (hold ``_STATE.lock``)."""
    job = _STATE.jobs.get(key)
    if job is None or not job.running():
        job = worker.BuildJob(settings)
        _STATE.jobs[key] = job
    return job


def upload_lock(settings: Settings) -> threading.Lock:
    """The lock one upload batch holds from saving its files to judging its build.

    Two sessions uploading at once are served one after the other, each batch with a
    build of its own: a session is told the outcome of the build that read its files,
    never another session's (and never a half-read job's files).
    """
    key = _store_key(settings)
    with _STATE.lock:
        return _STATE.upload_locks.setdefault(key, threading.Lock())


def build_after(settings: Settings, since: float):
    """A build job that started after ``since`` (``time.monotonic()``), so it reads every
    file saved before then: the running job if it started later, else a new job once the
    running one (a background rebuild that may have listed the corpus already) ends."""
    key = _store_key(settings)
    while True:
        with _STATE.lock:
            running = _STATE.jobs.get(key)
            job = _running_or_new(key, settings)
            if job is not running or job.started >= since:
                return job
        job.wait()


def build_finished(settings: Settings, ok: bool, job=None) -> None:
    """Remember the outcome: a failed build is not retried for the same corpus. ``job``:
    the job that ended (a newer job another session started is left running)."""
    key = _store_key(settings)
    with _STATE.lock:
        if job is None or _STATE.jobs.get(key) is job:
            _STATE.jobs.pop(key, None)
        _STATE.last_stale_check.pop(key, None)
        if ok:
            _STATE.failed_fingerprint.pop(key, None)
        else:
            _STATE.failed_fingerprint[key] = corpus_fingerprint(settings.corpus_dir)
