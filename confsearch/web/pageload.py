"""The page's loading and corpus changes: the shared searcher (built first if there is no
index yet), index builds in a worker process with a progress bar, and uploads that are
indexed or rolled back.

Streamlit glue over :mod:`confsearch.web.pagecache` (the per-process state) and
:mod:`confsearch.reading.uploads`; ``app.py`` only calls these from its widgets.
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from confsearch import markup, messages
from confsearch.errors import ConfsearchError
from confsearch.reading import corpusfiles, uploads
from confsearch.retrieval.service import Opened
from confsearch.settings import Settings
from confsearch.web import pagecache, pagestate


def run_build(settings: Settings, text: str, since: float | None = None):
    """Run an index build in a worker process and wait for it here, with a progress bar.

    Only this session waits; every other session keeps searching the current index.
    ``since``: when this session's files were saved; the build must have started later.
    """
    if since is None:
        job = pagecache.start_build(settings)
    else:
        with st.spinner("Väntar på en indexering som redan pågår …"):
            job = pagecache.build_after(settings, since)
    bar = st.progress(0.0, text=text)

    def progress(done: int, total: int) -> None:
        if total:
            share = min(1.0, done / total)
            bar.progress(share, text=f"{text} Bäddar in stycken: {done} av {total}.")

    try:
        outcome = job.wait(on_progress=progress)
    finally:
        bar.empty()
    pagecache.build_finished(settings, outcome.ok, job)
    return outcome


def load_searcher(settings: Settings) -> Opened:
    """The shared searcher of this server process (loaded once per index version).

    A missing index is built first (this visitor waits, with progress). A stale one keeps
    serving while a worker builds the new version in the background.
    """
    try:
        if pagecache.needs_build(settings):
            if pagecache.current_version(settings) is None:
                outcome = run_build(settings, "Bygger sökindexet första gången …")
                if not outcome.ok:
                    st.error(markup.md_escape(outcome.message))
                    st.stop()
            else:
                pagecache.start_build(settings)
                st.caption("Konferenstexterna har ändrats – sökindexet uppdateras i bakgrunden.")
        if pagecache.is_warming():
            with st.spinner("Laddar språkmodellen och sökindexet …"):
                pagecache.wait_until_warm(300)
        return pagecache.searcher(settings)
    except ConfsearchError as exc:  # no index, no model: its message, nothing else
        st.error(markup.md_escape(exc.message))
        st.stop()


def add_files(settings: Settings, files) -> None:
    """Save uploads, index them in a worker, and undo the uploads if that fails.

    One batch at a time per index (:func:`confsearch.web.pagecache.upload_lock`): a second
    session uploading meanwhile waits, then saves its files and gets a build of its own.
    """
    lock = pagecache.upload_lock(settings)
    if not lock.acquire(blocking=False):
        with st.spinner("En annan uppladdning indexeras just nu – dina filer läggs till sedan …"):
            lock.acquire()
    try:
        notes = _save_and_index(settings, files)
    finally:
        lock.release()
        _release(files)
    st.session_state["flash"] = notes
    st.session_state["upload_n"] = st.session_state.get("upload_n", 0) + 1
    pagestate.forget_results()
    st.rerun()


def _release(files) -> None:
    """Drop the uploads from Streamlit's memory: they are in the corpus folder now (or were
    refused), and Streamlit would otherwise hold them until the browser tab closes."""
    ctx = get_script_run_ctx()
    remove = getattr(getattr(ctx, "uploaded_file_mgr", None), "remove_file", None)
    if ctx is None or remove is None:
        return
    for f in files:
        remove(session_id=ctx.session_id, file_id=f.file_id)


def _save_and_index(settings: Settings, files) -> list[tuple[str, str]]:
    notes: list[tuple[str, str]] = []
    saved: list[Path] = []
    for f in files:
        shown = markup.md_escape(f.name)
        try:
            corpusfiles.check_upload(settings.corpus_dir, f.name, f.getvalue())
            path = uploads.save_upload(settings.corpus_dir, f.name, f.getvalue())
        except uploads.UploadError as exc:
            notes.append(("error", f"{shown} lades inte till: {markup.md_escape(exc)}"))
            continue
        saved.append(path)
        if path.name != f.name:
            notes.append(("info", f"{shown} sparades som {markup.md_escape(path.name)}."))
    if saved:  # a build started from now on reads every file saved above
        notes = _index_uploads(settings, saved, time.monotonic()) + notes
    return notes


def _index_uploads(settings: Settings, saved: list[Path], since: float) -> list[tuple[str, str]]:
    outcome = run_build(settings, messages.UPDATING_INDEX, since)
    if not outcome.ok:
        for path in saved:
            uploads.quarantine(settings.corpus_dir, path)
        return [("error", uploads.rolled_back_message(saved, outcome.message))]
    rejected, notes = uploads.judge_uploads(settings.corpus_dir, saved, outcome.report)
    report = outcome.report
    if rejected:
        outcome = run_build(settings, messages.UPDATING_INDEX, time.monotonic())
        report = outcome.report if outcome.ok else report
    added = [p for p in saved if p not in rejected]
    if added:
        notes.insert(0, ("success", uploads.added_message(added, report)))
    return notes
