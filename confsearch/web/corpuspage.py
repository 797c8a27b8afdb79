"""The Korpus tab's "Ta bort ett dokument" and "Ersätt ett dokument med en ny version":
pick a document (and its new version), confirm, and the index is updated (every stored
embedding reused, see :mod:`confsearch.reading.corpusfiles`); a chosen upload the corpus
cannot take is named with its reason at once (:func:`refused_uploads`).

Kept out of ``app.py`` (already long); the page passes its own ``run_build`` (the worker
build with a progress bar) so that removing and uploading update the index the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

import streamlit as st

from confsearch import markup
from confsearch.messages import UPDATING_INDEX, index_size
from confsearch.reading import uploads
from confsearch.reading.corpusfiles import CorpusFileError, remove_document, replace_document
from confsearch.reading.uploads import UploadError, sanitize_filename
from confsearch.settings import Settings
from confsearch.web.pagestate import forget_results

KEY = "ta-bort-dokument"
REPLACE_KEY = "ersatt-dokument"


def corpus_name(source: str) -> str:
    """An index's source "corpus/sub/x.pdf" as the file in the corpus folder ("sub/x.pdf")."""
    parts = PurePosixPath(source).parts
    return "/".join(parts[1:]) if len(parts) > 1 else source


def refused_uploads(files) -> tuple[list, list[str]]:
    """The chosen files the corpus can take, and a Swedish line for each other one.

    The uploader takes every file type: Streamlit's own refusal is a red icon whose
    reason shows only on hover, which a phone has not. The page says it as text instead,
    as soon as the file is chosen, and never sends that file to the index."""
    accepted, refused = [], []
    for f in files or []:
        try:
            sanitize_filename(f.name)
        except UploadError as exc:
            refused.append(
                f"{markup.md_escape(f.name)} kan inte läggas till: {markup.md_escape(exc)}"
            )
            continue
        accepted.append(f)
    return accepted, refused


def _documents(index) -> dict[str, str]:
    """The index's documents: corpus file name → title."""
    files: dict[str, str] = {}
    for d in index.manifest.documents:
        name = corpus_name(d.source)
        files.setdefault(name, d.title or name)
    return files


def _label(name: str, title: str) -> str:
    """A document as the page names it: "Title (file.md)", or the file name alone."""
    return f"{title} ({name})" if title != name else name


def _finish(flash: list[tuple[str, str]], choice_key: str) -> None:
    """After a replacement or removal: the message, a cleared choice, no answers of the
    old index (:func:`forget_results`), and the page drawn again."""
    st.session_state["flash"] = flash
    st.session_state.pop(choice_key, None)
    forget_results()
    st.rerun()


def _choose(files: dict[str, str], key: str) -> str | None:
    return st.selectbox(
        "Dokument",
        sorted(files, key=lambda n: files[n].casefold()),
        index=None,
        placeholder="Välj ett dokument",
        format_func=lambda n: _label(n, files[n]),
        key=key,
    )


def replace_control(settings: Settings, index, run_build: Callable) -> None:
    """Ersätt ett dokument: choose a document and its new version, press the button
    (the confirmation); the old passages go and the new ones are indexed. If the new file
    cannot be read or the index cannot be updated, the old file is put back."""
    files = _documents(index)
    if not files:
        return
    with st.expander("Ersätt ett dokument med en ny version", icon=":material/sync:"):
        st.caption(
            "Den nya versionen får det gamla dokumentets namn och uppgifter. Den gamla "
            "flyttas till mappen .borttagna i korpusmappen. Går något fel finns den gamla "
            "kvar som förut."
        )
        choice = _choose(files, REPLACE_KEY)
        n = st.session_state.setdefault("replace_n", 0)
        new = st.file_uploader(
            "Den nya versionen",
            max_upload_size=uploads.MAX_UPLOAD_MB,
            key=f"ny-version-{n}",
        )
        if (
            choice
            and new
            and st.button(
                "Ersätt dokumentet och uppdatera sökindexet", key="ersatt", icon=":material/sync:"
            )
        ):
            _replace(settings, choice, files[choice], new, run_build)


def _replace(settings: Settings, name: str, title: str, new, run_build: Callable) -> None:
    shown = markup.md_escape(_label(name, title))
    outcome = None

    def rebuild() -> bool:
        nonlocal outcome
        outcome = run_build(settings, UPDATING_INDEX)
        return outcome.ok

    try:
        done = replace_document(settings.corpus_dir, name, new.name, new.getvalue(), rebuild)
    except (CorpusFileError, uploads.UploadError) as exc:
        flash = [("error", f"{shown} ersattes inte: {markup.md_escape(exc)}")]
    else:
        if done.ok and outcome is not None:  # ok: the rebuild ran and succeeded
            flash = [
                (
                    "success",
                    f"{shown} är ersatt av {markup.md_escape(new.name)}. Sökindexet har nu "
                    f"{index_size(outcome.report)}.",
                )
            ]
        else:
            reason = markup.md_escape(outcome.message if outcome else "")
            flash = [("error", f"{shown} ersattes inte, den gamla versionen finns kvar. {reason}")]
    st.session_state["replace_n"] = st.session_state.get("replace_n", 0) + 1
    _finish(flash, REPLACE_KEY)


def remove_control(settings: Settings, index, run_build: Callable) -> None:
    """An expander listing the index's documents by title and file; removing one moves
    its file out of the corpus and rebuilds the index here, with progress."""
    files = _documents(index)
    if not files:
        return
    with st.expander("Ta bort ett dokument", icon=":material/delete:"):
        st.caption(
            "Dokumentet tas bort ur sökningen. Filen flyttas till mappen .borttagna i "
            "korpusmappen, så den kan läggas tillbaka. Fästa stycken finns kvar i dina "
            "anteckningar."
        )
        choice = _choose(files, KEY)
        if choice and st.button(
            "Ta bort dokumentet och uppdatera sökindexet", key="ta-bort", icon=":material/delete:"
        ):
            _remove(settings, choice, files[choice], run_build)


def _remove(settings: Settings, name: str, title: str, run_build: Callable) -> None:
    shown = markup.md_escape(_label(name, title))
    try:
        remove_document(settings.corpus_dir, name)
    except CorpusFileError as exc:
        st.session_state["flash"] = [("error", markup.md_escape(exc))]
        st.rerun()
    outcome = run_build(settings, UPDATING_INDEX)
    if outcome.ok:
        message = f"{shown} är borttaget. Sökindexet har nu {index_size(outcome.report)}."
        flash = [("success", message)]
    else:
        flash = [
            (
                "error",
                f"{shown} är borttaget ur korpusmappen, men sökindexet kunde inte uppdateras: "
                f"{markup.md_escape(outcome.message)}",
            )
        ]
    _finish(flash, KEY)
