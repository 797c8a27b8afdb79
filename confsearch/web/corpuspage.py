"""The Korpus tab's "Ta bort ett dokument": pick a document, confirm, and the index is
updated (every stored embedding reused, see :mod:`confsearch.reading.corpusfiles`).

Kept out of ``app.py`` (already long); the page passes its own ``run_build`` (the worker
build with a progress bar) so that removing and uploading update the index the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

import streamlit as st

from confsearch import markup
from confsearch.messages import UPDATING_INDEX, count_noun
from confsearch.reading.corpusfiles import CorpusFileError, remove_document
from confsearch.settings import Settings

KEY = "ta-bort-dokument"


def corpus_name(source: str) -> str:
    """An index's source "corpus/sub/x.pdf" as the file in the corpus folder ("sub/x.pdf")."""
    parts = PurePosixPath(source).parts
    return "/".join(parts[1:]) if len(parts) > 1 else source


def remove_control(settings: Settings, index, run_build: Callable) -> None:
    """An expander listing the index's documents by title and file; removing one moves
    its file out of the corpus and rebuilds the index here, with progress."""
    files: dict[str, str] = {}
    for d in index.manifest.documents:
        name = corpus_name(d.source)
        files.setdefault(name, d.title or name)
    if not files:
        return
    with st.expander("Ta bort ett dokument", icon=":material/delete:"):
        st.caption(
            "Dokumentet tas bort ur sökningen. Filen flyttas till mappen .borttagna i "
            "korpusmappen, så den kan läggas tillbaka. Fästa stycken finns kvar i dina "
            "anteckningar."
        )
        choice = st.selectbox(
            "Dokument",
            sorted(files, key=lambda n: files[n].casefold()),
            index=None,
            placeholder="Välj ett dokument",
            format_func=lambda n: f"{files[n]} ({n})" if files[n] != n else n,
            key=KEY,
        )
        if choice and st.button(
            "Ta bort dokumentet och uppdatera sökindexet", key="ta-bort", icon=":material/delete:"
        ):
            _remove(settings, choice, files[choice], run_build)


def _remove(settings: Settings, name: str, title: str, run_build: Callable) -> None:
    shown = markup.md_escape(title if title == name else f"{title} ({name})")
    try:
        remove_document(settings.corpus_dir, name)
    except CorpusFileError as exc:
        st.session_state["flash"] = [("error", markup.md_escape(exc))]
        st.rerun()
    outcome = run_build(settings, UPDATING_INDEX)
    if outcome.ok:
        report = outcome.report
        message = (
            f"{shown} är borttaget. Sökindexet har nu "
            f"{count_noun(report['passages'], 'stycke', 'stycken')} från "
            f"{count_noun(report['documents'], 'dokument', 'dokument')}."
        )
        flash = [("success", message)]
    else:
        flash = [
            (
                "error",
                f"{shown} är borttaget ur korpusmappen, men sökindexet kunde inte uppdateras: "
                f"{markup.md_escape(outcome.message)}",
            )
        ]
    st.session_state["flash"] = flash
    st.session_state.pop(KEY, None)
    st.session_state.pop("memo", None)
    st.session_state.pop("region_memo", None)
    st.rerun()
