"""Saved notes in PostgreSQL (when ``CONFSEARCH_DATABASE_URL`` is set).

The notes get their own table, ``saved_note``, in the index's schema
(``CONFSEARCH_DATABASE_SCHEMA``), so every page and API instance on that database shares
them. Connections come from the index store's pool (:class:`PostgresStore`), which also
creates the schema. Every edit is one transaction holding the note's row lock
(``SELECT … FOR UPDATE``): two instances editing one note wait for each other instead of
overwriting each other, and a client killed mid-edit leaves the row as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from psycopg import sql

from confsearch.answers.briefing import BriefingNote
from confsearch.messages import DATABASE_NOT_ANSWERING
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
from confsearch.retrieval.store import IndexError_, pgschema
from confsearch.retrieval.store.postgres import PostgresStore

TABLE = "saved_note"
# Advisory lock (transaction level) for creating the table: instances starting at once.
_CREATE_LOCK = (0x43534B + 10, 0)


class PostgresNotes:
    """Notes in table ``saved_note`` of schema ``schema`` of the database at ``url``."""

    name = "postgres"

    def __init__(self, url: str, schema: str | None = None) -> None:
        self._store = PostgresStore(url, schema)
        self.schema = self._store.schema
        self._ready = False

    @property
    def location(self) -> str:
        return self._store.location

    def _table(self) -> sql.Composed:
        return sql.SQL("{}.{}").format(sql.Identifier(self.schema), sql.Identifier(TABLE))

    @contextlib.contextmanager
    def _connect(self) -> Iterator[psycopg.Connection]:
        try:
            with self._store.connection() as conn:
                if not self._ready:
                    with conn.transaction():
                        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", _CREATE_LOCK)
                        pgschema.set_search_path(conn, self.schema, local=True)
                        conn.execute(
                            sql.SQL(
                                "CREATE TABLE IF NOT EXISTS {} (id text PRIMARY KEY, "
                                "name text NOT NULL, created text NOT NULL, "
                                "updated text NOT NULL, revision integer NOT NULL, "
                                "body jsonb NOT NULL)"
                            ).format(self._table())
                        )
                    self._ready = True
                yield conn
        except IndexError_ as exc:
            raise NotesError(f"{NOTES_UNAVAILABLE} {exc}") from exc
        except psycopg.OperationalError as exc:
            raise NotesError(
                f"{NOTES_UNAVAILABLE} {DATABASE_NOT_ANSWERING.format(location=self.location)}"
            ) from exc

    def list(self) -> list[NoteSummary]:
        with self._connect() as conn:
            rows = conn.execute(
                sql.SQL(
                    "SELECT id, name, created, updated, body FROM {} ORDER BY updated DESC, id"
                ).format(self._table())
            ).fetchall()
        return summaries(rows)

    def get(self, note_id: str) -> StoredNote | None:
        if not valid_id(note_id):
            return None
        with self._connect() as conn:
            return self._read(conn, note_id, lock=False)

    def create(self, name: str = "", note: BriefingNote | None = None) -> StoredNote:
        stored = new_stored_note(name, note)
        with self._connect() as conn:
            conn.execute(
                sql.SQL(
                    "INSERT INTO {} (id, name, created, updated, revision, body) "
                    "VALUES (%s, %s, %s, %s, %s, %s::jsonb)"
                ).format(self._table()),
                insert_values(stored),
            )
        return stored

    def edit(self, note_id: str, change: Callable[[StoredNote], Any]) -> StoredNote:
        if not valid_id(note_id):
            raise NoteNotFound(note_id)
        with self._connect() as conn, conn.transaction():
            stored = self._read(conn, note_id, lock=True)
            if stored is None:
                raise NoteNotFound(note_id)
            apply_change(stored, change)
            conn.execute(
                sql.SQL(
                    "UPDATE {} SET name = %s, updated = %s, revision = %s, body = %s::jsonb "
                    "WHERE id = %s"
                ).format(self._table()),
                (stored.name, stored.updated, stored.revision, encode_body(stored.note), note_id),
            )
        return stored

    def delete(self, note_id: str) -> bool:
        if not valid_id(note_id):
            return False
        with self._connect() as conn:
            cur = conn.execute(
                sql.SQL("DELETE FROM {} WHERE id = %s").format(self._table()), (note_id,)
            )
            return cur.rowcount > 0

    def close(self) -> None:
        self._store.close()

    def _read(self, conn: psycopg.Connection, note_id: str, *, lock: bool) -> StoredNote | None:
        query = "SELECT id, name, created, updated, revision, body FROM {} WHERE id = %s"
        if lock:
            query += " FOR UPDATE"
        row = conn.execute(sql.SQL(query).format(self._table()), (note_id,)).fetchone()
        return note_from_row(row)
