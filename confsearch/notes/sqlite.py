"""Saved notes in one SQLite file (the default; ``Settings.notes_db``).

Why SQLite and these settings: it is a real database in a single file with no server to
run. WAL mode lets the page and the API read while another process writes, and with
``synchronous=FULL`` a committed edit survives a crash of the machine, not only of the
process. Every edit is one ``BEGIN IMMEDIATE`` transaction (read, change, write): SQLite's
journal makes it all-or-nothing, so a process killed during a save loses at most that
edit. A connection is opened per operation: the page runs each browser session on its
own thread and the API on a pool of threads, and opening costs well under a millisecond.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from confsearch.answers.briefing import BriefingNote
from confsearch.notes.base import (
    NOTES_UNAVAILABLE,
    NoteNotFound,
    NotesError,
    NoteSummary,
    StoredNote,
    apply_change,
    encode_body,
    insert_values,
    new_stored_note,
    note_from_row,
    summaries,
    valid_id,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT = 30.0  # seconds to wait for another writer (a loaded machine)
SCHEMA = """
CREATE TABLE IF NOT EXISTS note (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    revision INTEGER NOT NULL,
    body TEXT NOT NULL
)
"""


class SqliteNotes:
    """Notes in the SQLite file ``path`` (created, with its folder, on first use)."""

    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ready = False

    @property
    def location(self) -> str:
        return str(self.path)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise self._error(exc) from exc
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            if not self._ready:
                conn.execute(SCHEMA)
                self._ready = True
            yield conn
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc
        finally:
            conn.close()

    def _error(self, exc: Exception) -> NotesError:
        """Swedish, without the file's path (the page shows it to users; the log has it)."""
        log.warning("notes database %s: %s", self.path, exc)
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            what = "är upptagen av ett annat program just nu. Försök igen om en stund."
        elif isinstance(exc, sqlite3.DatabaseError) and not isinstance(
            exc, sqlite3.OperationalError
        ):
            what = (
                "är skadad och kan inte läsas. Be den som driver tjänsten att flytta undan "
                "filen (CONFSEARCH_NOTES_DB)."
            )
        else:
            what = (
                "går inte att öppna eller skriva. Be den som driver tjänsten kontrollera "
                "mappen och rättigheterna (CONFSEARCH_NOTES_DB)."
            )
        return NotesError(f"{NOTES_UNAVAILABLE} Databasen med anteckningar {what}")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # ------------------------------------------------------------ reading

    def list(self) -> list[NoteSummary]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, name, created, updated, body FROM note ORDER BY updated DESC, id"
            ).fetchall()
        return summaries(rows)

    def get(self, note_id: str) -> StoredNote | None:
        if not valid_id(note_id):
            return None
        with self._connect() as conn:
            return _read(conn, note_id)

    # ------------------------------------------------------------ writing

    def create(self, name: str = "", note: BriefingNote | None = None) -> StoredNote:
        stored = new_stored_note(name, note)
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO note (id, name, created, updated, revision, body) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                insert_values(stored),
            )
        return stored

    def edit(self, note_id: str, change: Callable[[StoredNote], Any]) -> StoredNote:
        if not valid_id(note_id):
            raise NoteNotFound(note_id)
        with self._transaction() as conn:
            stored = _read(conn, note_id)
            if stored is None:
                raise NoteNotFound(note_id)
            apply_change(stored, change)
            conn.execute(
                "UPDATE note SET name = ?, updated = ?, revision = ?, body = ? WHERE id = ?",
                (stored.name, stored.updated, stored.revision, encode_body(stored.note), note_id),
            )
        return stored

    def delete(self, note_id: str) -> bool:
        if not valid_id(note_id):
            return False
        with self._transaction() as conn:
            return conn.execute("DELETE FROM note WHERE id = ?", (note_id,)).rowcount > 0

    def close(self) -> None:
        """Nothing stays open between operations."""


def _read(conn: sqlite3.Connection, note_id: str) -> StoredNote | None:
    row = conn.execute(
        "SELECT id, name, created, updated, revision, body FROM note WHERE id = ?", (note_id,)
    ).fetchone()
    return note_from_row(row)
