"""The page's note, kept in the notes store instead of the browser session.

``app.py`` calls :func:`load` once per run (before any widget) and routes every edit
through :func:`edit`. The note's id is in the address (``?note=<id>``), so a reload, a
lost connection, a second tab or a colleague with the link on the same server open the
same note (and "Mina anteckningar" lists every saved note, for an address without it);
the question is there too (``?q=``) and is asked again when the page opens with it.
``st.session_state["note"]`` stays the :class:`BriefingNote` the page shows: after each
save it is the stored note, so what is shown is what was saved. Code that changes the
note must do it through :func:`edit`, or the change is not saved.

No note is created by merely opening the page: the first edit (a pin, a heading, a
comment) creates it and puts its id in the address. Every edit is one transaction of the
store (read, change, write), so edits from two tabs never overwrite each other; text
fields write only what this tab changed (:func:`fields_changed`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from confsearch.answers.briefing import BriefingNote, export_filename
from confsearch.markup import esc
from confsearch.messages import count_noun
from confsearch.notes import (
    NoteNotFound,
    NotesError,
    NotesStore,
    StoredNote,
    default_name,
    duplicate,
    missing_passages,
    open_notes,
    rename,
    swedish_time,
)
from confsearch.retrieval.search import Searcher
from confsearch.settings import Settings

log = logging.getLogger(__name__)

NOTE_PARAM = "note"
QUESTION_PARAM = "q"
# The question box's limit (app.py): a longer question is not put into the address, and
# one from the address is cut to it.
MAX_URL_QUESTION = 2000
QUESTION_KEYS = ("query", "query_regions")  # app.py's question boxes
GONE = (
    "Anteckningen i adressen finns inte längre (den kan ha tagits bort). "
    "Du har en ny, tom anteckning."
)
NOT_SAVED = "Ändringen kunde inte sparas: {reason} Den finns kvar i den här fliken tills vidare."
MISSING_PASSAGE = (
    "Stycket finns inte längre i sökindexet (texterna har ändrats). Texten ovan är den som "
    "sparades när du fäste det."
)
COMMENT_KEY = "kommentar-{pid}"
MAX_LISTED = 50  # the most recently changed; older ones stay saved (and open by their link)
NO_SAVED_NOTES = "Inga sparade anteckningar ännu. Den första sparas när du fäster ett stycke."


@st.cache_resource(show_spinner=False)
def _store(notes_db: str, database_url: str | None, schema: str) -> NotesStore:
    settings = Settings().with_(notes_db=Path(notes_db), database_url=database_url)
    return open_notes(settings.with_(database_schema=schema))


def store(settings: Settings) -> NotesStore:
    """One store object per server process and database."""
    return _store(str(settings.notes_db), settings.database_url, settings.database_schema)


# ---------------------------------------------------------------- loading


def load(settings: Settings, heading: str, set_question: Callable[[str], None]) -> None:
    """Once per run, before any widget: the note of the address (or this tab's), the
    question of the address on the first run, and the save error of the last edit."""
    state = st.session_state
    state["_notes_settings"] = settings
    state["_notes_heading"] = heading
    follow_address(set_question)
    wanted = st.query_params.get(NOTE_PARAM) or state.get("note_id")
    if wanted:
        try:
            stored = store(settings).get(wanted)
        except NotesError as exc:
            st.error(str(exc))
            stored = None
            wanted = None  # keep this tab's copy
        if stored is not None:
            _show(stored)
        elif wanted:
            st.warning(GONE)
            state.pop("note_id", None)
            state["note"] = BriefingNote(heading=heading)
            st.query_params.pop(NOTE_PARAM, None)
    state.setdefault("note", BriefingNote(heading=heading))
    reason = state.pop("_notes_error", None)
    if reason:
        st.error(NOT_SAVED.format(reason=reason))


def follow_address(set_question: Callable[[str], None]) -> None:
    """Ask the question of the address when it differs from what this tab last put there
    or read from it: on opening a link, and on Back/Forward (the browser changes the
    address, Streamlit reruns with it). Each asked question is a new history entry
    (:func:`remember_question`), so Back steps to the search before. An address without a
    question after one with it (Back to the first page) clears the question."""
    state = st.session_state
    question = " ".join(str(st.query_params.get(QUESTION_PARAM, "")).split())
    question = question[:MAX_URL_QUESTION]
    first = "_url_question" not in state
    if not first and question == state["_url_question"]:
        return
    state["_url_question"] = question
    if question:
        set_question(question)
    elif not first:
        for key in QUESTION_KEYS:
            state[key] = ""
        state["asked"] = False


def _show(stored: StoredNote, *, own_edit: bool = False) -> None:
    """Make ``stored`` the note this tab shows. If it changed since this tab last saw it
    and not by this tab's own edit (another tab, a colleague), the text fields show the
    stored text; after an own edit they are left alone, so a field typed in and committed
    by the same click as a button keeps its text for its own callback."""
    state = st.session_state
    seen = (state.get("note_id"), state.get("_note_revision"))
    _adopt(stored.note)
    state["note_id"] = stored.id
    state["_note_name"] = stored.name
    state["_note_file_stem"] = file_stem(stored)
    state["_note_revision"] = stored.revision
    if st.query_params.get(NOTE_PARAM) != stored.id:
        st.query_params[NOTE_PARAM] = stored.id
    if not own_edit and seen != (stored.id, stored.revision):
        state["note_heading"] = stored.note.heading
        state["note_intro"] = stored.note.intro
        for item in stored.note.items:
            state[COMMENT_KEY.format(pid=item.passage_id)] = item.comment


def _adopt(note: BriefingNote) -> None:
    """Make the session's note object equal ``note`` in place: a download drawn before
    the edit holds that object and makes its file after the click's edit was saved
    (:mod:`confsearch.web.exportgate`), so it must see the saved note."""
    current = st.session_state.get("note")
    if not isinstance(current, BriefingNote):
        st.session_state["note"] = note
        return
    for f in dataclasses.fields(BriefingNote):
        setattr(current, f.name, getattr(note, f.name))


def remember_question(question: str) -> None:
    """The question asked goes into the address (a link reproduces the search)."""
    q = " ".join((question or "").split())
    if q and len(q) <= MAX_URL_QUESTION:
        st.query_params[QUESTION_PARAM] = q
    else:
        st.query_params.pop(QUESTION_PARAM, None)
        q = ""
    st.session_state["_url_question"] = q


# ---------------------------------------------------------------- saving


def edit(change: Callable[[BriefingNote], Any]) -> None:
    """Apply ``change`` to the note and save it at once (creating the note on its first
    edit). If the database cannot be reached the edit stays in this tab and the next run
    says so; if the note was deleted meanwhile, the edit starts a new note."""
    state = st.session_state
    settings: Settings = state.get("_notes_settings") or Settings.from_env()
    heading = state.get("_notes_heading") or BriefingNote().heading
    notes = store(settings)
    try:
        note_id = state.get("note_id")
        if note_id is not None:
            try:
                _show(notes.edit(note_id, lambda s: change(s.note)), own_edit=True)
                return
            except NoteNotFound:
                pass  # deleted meanwhile (another tab): this edit starts a new note
        current = state.get("note") or BriefingNote(heading=heading)
        fresh = BriefingNote.from_dict(current.to_dict())
        change(fresh)
        _show(notes.create(note=fresh), own_edit=True)
    except NotesError as exc:
        log.warning("note not saved: %s", exc)
        change(state.setdefault("note", BriefingNote(heading=heading)))
        state["_notes_error"] = str(exc)


def fields_changed(before: BriefingNote) -> Callable[[BriefingNote], None]:
    """An edit writing the heading, own line and comments this tab's fields changed
    (compared with ``before``, the note as this tab last saw it), and nothing else."""
    state = st.session_state
    changes: dict[str, Any] = {}
    if "note_heading" in state and state["note_heading"] != before.heading:
        changes["heading"] = state["note_heading"]
    if "note_intro" in state and state["note_intro"] != before.intro:
        changes["intro"] = state["note_intro"]
    comments = {}
    for item in before.items:
        key = COMMENT_KEY.format(pid=item.passage_id)
        if key in state and state[key] != item.comment:
            comments[item.passage_id] = state[key]

    def change(note: BriefingNote) -> None:
        if "heading" in changes:
            note.heading = changes["heading"]
        if "intro" in changes:
            note.intro = changes["intro"]
        for pid, comment in comments.items():
            note.set_comment(pid, comment)

    change.empty = not changes and not comments  # type: ignore[attr-defined]
    return change


def sync_fields() -> None:
    """The note's text fields' callback: save what this tab typed."""
    change = fields_changed(st.session_state.get("note") or BriefingNote())
    if not getattr(change, "empty", False):
        edit(change)


# ---------------------------------------------------------------- showing


def missing_note(searcher: Searcher) -> set[str]:
    """Pinned passages the current index no longer has (marked under their cards)."""
    note = st.session_state.get("note")
    return missing_passages(note, searcher.index.passage) if note else set()


def mark_missing(passage_id: str, missing: set[str]) -> None:
    if passage_id in missing:
        st.caption(MISSING_PASSAGE)


# ---------------------------------------------------------------- several notes


def _open(note_id: str | None) -> None:
    state = st.session_state
    for key in [k for k in state if str(k).startswith("kommentar-")]:
        del state[key]
    state.pop("_note_revision", None)
    if note_id is None:
        state.pop("note_id", None)
        state["note"] = BriefingNote(heading=state.get("_notes_heading") or "")
        state["note_heading"] = state["note"].heading
        state["note_intro"] = ""
        st.query_params.pop(NOTE_PARAM, None)
    else:
        state["note_id"] = note_id
        st.query_params[NOTE_PARAM] = note_id


def file_stem(stored: StoredNote) -> str:
    """What the note's downloads are named after: the name the user gave it, or nothing
    for a note still under its default name ("Anteckning 6 december …"). Not the heading:
    a download's name is fixed when its button is drawn, so a heading just typed would
    trail it by one edit, while a rename redraws the whole page."""
    return "" if stored.name == default_name(stored.created) else stored.name


def download_name(extension: str) -> str:
    """The file name of a download of the open note: "cykling-i-skane-2026-12-06.docx",
    or "anteckning-2026-12-06.docx" for a note without a name of its own."""
    stem = st.session_state.get("_note_file_stem") or "anteckning"
    return export_filename(stem, extension, dt.date.today())


def _rename() -> None:
    state = st.session_state
    note_id, name = state.get("note_id"), state.get("anteckning-namn", "")
    if note_id and name.strip():
        try:
            stored = rename(store(state["_notes_settings"]), note_id, name)
            state["_note_name"] = stored.name
            state["_note_file_stem"] = file_stem(stored)
        except (NotesError, NoteNotFound) as exc:
            state["_notes_error"] = str(exc) if isinstance(exc, NotesError) else GONE


def _duplicate() -> None:
    state = st.session_state
    try:
        copy = duplicate(store(state["_notes_settings"]), state["note_id"])
    except (NotesError, NoteNotFound) as exc:
        state["_notes_error"] = str(exc) if isinstance(exc, NotesError) else GONE
        return
    _open(copy.id)


def _delete() -> None:
    state = st.session_state
    try:
        store(state["_notes_settings"]).delete(state["note_id"])
    except NotesError as exc:
        state["_notes_error"] = str(exc)
        return
    _open(None)


def manager() -> None:
    """Mina anteckningar: open another saved note, start a new one, rename, copy, delete."""
    state = st.session_state
    try:
        saved = store(state["_notes_settings"]).list()
    except NotesError as exc:
        st.error(str(exc))
        return
    current = state.get("note_id")
    with st.expander("Mina anteckningar", icon=":material/folder_open:"):
        if not saved:
            st.caption(NO_SAVED_NOTES)
        for s in saved[:MAX_LISTED]:
            count = count_noun(s.items, "stycke", "stycken")
            # The name is the user's text: rendered as such (escaped, never translated).
            name = f'<strong class="ks-text">{esc(s.name, newlines=False)}</strong>'
            line = f"{name} · ändrad {swedish_time(s.updated)} · {count}"
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(line, unsafe_allow_html=True)
                if s.id == current:
                    st.caption("Öppen nu")
                else:
                    st.button("Öppna", key=f"oppna-{s.id}", on_click=_open, args=(s.id,))
        with st.container(horizontal=True):
            st.button("Ny anteckning", key="anteckning-ny", icon=":material/add:",
                      on_click=_open, args=(None,))  # fmt: skip
            if current is not None:
                st.button("Kopiera", key="anteckning-kopiera", icon=":material/content_copy:",
                          on_click=_duplicate)  # fmt: skip
                with st.popover("Ta bort anteckningen", icon=":material/delete:"):
                    st.markdown("Anteckningen tas bort för gott, även för den som har länken.")
                    st.button("Ja, ta bort den", key="anteckning-bort", on_click=_delete)
        if current is not None:
            state["anteckning-namn"] = state.get("_note_name", "")
            st.text_input("Namn", key="anteckning-namn", max_chars=200, on_change=_rename)
