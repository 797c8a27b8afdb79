"""Saved notes: briefing notes kept on the server, not in a browser session.

A note survives a reload, a second tab, a lost connection and a server restart because
every edit (pin, order, comment, heading) is written to a database as it happens, in one
transaction: after a crash the note is as it was before or after the edit in flight,
never half of it. The page and the HTTP API use the same store.

Each saved note is a :class:`~confsearch.answers.briefing.BriefingNote` (heading, own line, the
questions asked, the pinned items in order with comments) plus an id, a name and its
times. A pinned item keeps a copy of its passage's text and citation next to the passage
id, so a note stays readable after a re-index; :func:`missing_passages` tells which items
the current index no longer has (they are marked when shown).

Backends behind one small protocol (:class:`NotesStore`), one contract test module
(``tests/notes/test_notes_contract.py``) run against each:

* :mod:`confsearch.notes.sqlite` — the default: one SQLite file in the user's data folder
  (``Settings.notes_db``), WAL mode, no server.
* :mod:`confsearch.notes.postgres` — its own table in the index's schema when
  ``CONFSEARCH_DATABASE_URL`` is set, so page and API instances share the notes.

Notes are not tied to a login (there is none): whoever has a note's link on the same
server opens the same note, as a shared folder would.
"""

from __future__ import annotations

from confsearch.notes.base import (
    DEFAULT_NAME_PREFIX,
    ID_PATTERN,
    MAX_NAME,
    NOTE_NOT_FOUND,
    NOTES_UNAVAILABLE,
    NoteNotFound,
    NotesError,
    NotesStore,
    NoteSummary,
    StoredNote,
    apply_change,
    clean_name,
    decode_body,
    default_name,
    duplicate,
    encode_body,
    insert_values,
    missing_passages,
    new_note_id,
    new_stored_note,
    note_from_row,
    now_iso,
    rename,
    summaries,
    swedish_time,
    valid_id,
)
from confsearch.notes.sqlite import SqliteNotes

__all__ = [
    "DEFAULT_NAME_PREFIX",
    "ID_PATTERN",
    "MAX_NAME",
    "NOTES_UNAVAILABLE",
    "NOTE_NOT_FOUND",
    "NoteNotFound",
    "NoteSummary",
    "NotesError",
    "NotesStore",
    "StoredNote",
    "apply_change",
    "clean_name",
    "decode_body",
    "default_name",
    "duplicate",
    "encode_body",
    "insert_values",
    "missing_passages",
    "new_note_id",
    "new_stored_note",
    "note_from_row",
    "now_iso",
    "open_notes",
    "rename",
    "summaries",
    "swedish_time",
    "valid_id",
]


def open_notes(settings) -> NotesStore:
    """The backend the settings ask for: PostgreSQL if a database URL is set, else SQLite."""
    if getattr(settings, "database_url", None):
        # psycopg is imported only by a deployment that asks for PostgreSQL.
        from confsearch.notes.postgres import PostgresNotes  # noqa: PLC0415

        return PostgresNotes(settings.database_url, settings.database_schema)
    return SqliteNotes(settings.notes_db)
