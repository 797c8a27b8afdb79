"""What every notes backend shares: the NotesStore protocol, the stored note and its rows.

The backends import these from here, so the package's ``__init__`` only opens a backend
and no backend imports the package that opens it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from confsearch.answers.briefing import BriefingNote, is_answer
from confsearch.errors import ConfsearchError
from confsearch.patterns import MONTHS

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_NAME = 200
# The name a new note gets: "Anteckning 6 december 2026 kl. 05.15".
DEFAULT_NAME_PREFIX = "Anteckning"
NOTES_UNAVAILABLE = "Anteckningarna kan inte läsas eller sparas just nu."
NOTE_NOT_FOUND = "Anteckningen finns inte (den kan ha tagits bort). Kontrollera adressen."


class NotesError(ConfsearchError, RuntimeError):
    """The notes database cannot be used; the message (Swedish) says what to do."""

    http_status = 503


class NoteNotFound(ConfsearchError, KeyError):
    """No note has this id (never existed, or was deleted); ``args[0]`` is the id."""

    http_status = 404

    @property
    def message(self) -> str:
        return NOTE_NOT_FOUND


def new_note_id() -> str:
    """URL-safe and unguessable: the link is what gives access to a note."""
    return secrets.token_urlsafe(12)


def valid_id(note_id: object) -> bool:
    return isinstance(note_id, str) and ID_PATTERN.fullmatch(note_id) is not None


def now_iso() -> str:
    """UTC to the microsecond: "updated" orders the list, several edits a second apart."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def swedish_time(iso: str) -> str:
    """ "6 december 2026 kl. 05.15" in local time (how the list shows a note's date)."""
    try:
        t = dt.datetime.fromisoformat(iso).astimezone()
    except (TypeError, ValueError):
        return ""
    return f"{t.day} {MONTHS[t.month - 1]} {t.year} kl. {t.hour:02d}.{t.minute:02d}"


def default_name(created: str | None = None) -> str:
    return f"{DEFAULT_NAME_PREFIX} {swedish_time(created or now_iso())}".strip()


def clean_name(name: object) -> str:
    """One line, at most :data:`MAX_NAME` characters ("" if nothing is left)."""
    return " ".join(str(name or "").split())[:MAX_NAME]


@dataclass
class NoteSummary:
    """A line of the note list."""

    id: str
    name: str
    created: str
    updated: str
    items: int


@dataclass
class StoredNote:
    """A saved note: the briefing note and what the list shows about it."""

    id: str
    name: str
    created: str
    updated: str
    note: BriefingNote = field(default_factory=BriefingNote)
    revision: int = 1  # +1 per saved edit

    def summary(self) -> NoteSummary:
        return NoteSummary(self.id, self.name, self.created, self.updated, len(self.note))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "created": self.created,
            "updated": self.updated,
            "revision": self.revision,
            **self.note.to_dict(),
        }


def encode_body(note: BriefingNote) -> str:
    """The note as stored: JSON of :meth:`BriefingNote.to_dict` (items in order)."""
    return json.dumps(note.to_dict(), ensure_ascii=False, sort_keys=True)


def decode_body(text: str | bytes | dict) -> BriefingNote:
    data = text if isinstance(text, dict) else json.loads(text)
    return BriefingNote.from_dict(data)


class NotesStore(Protocol):
    """Where saved notes live. Every method is one transaction."""

    name: str  # "sqlite" or "postgres"

    @property
    def location(self) -> str:
        """Where the notes are, for messages (a file, or a database without password)."""
        ...

    def list(self) -> list[NoteSummary]:
        """Every note, the most recently changed first."""
        ...

    def create(self, name: str = "", note: BriefingNote | None = None) -> StoredNote: ...

    def get(self, note_id: str) -> StoredNote | None: ...

    def edit(self, note_id: str, change: Callable[[StoredNote], Any]) -> StoredNote:
        """Read the note, let ``change`` modify it, save it: atomically, so two tabs or
        processes editing one note never lose each other's edits. Raises
        :class:`NoteNotFound`; if ``change`` raises, nothing is saved."""
        ...

    def delete(self, note_id: str) -> bool: ...

    def close(self) -> None: ...


# ------------------------------------------------------------------ use cases


def rename(store: NotesStore, note_id: str, name: str) -> StoredNote:
    new = clean_name(name)

    def change(stored: StoredNote) -> None:
        stored.name = new or stored.name

    return store.edit(note_id, change)


def duplicate(store: NotesStore, note_id: str, name: str = "") -> StoredNote:
    """A copy with its own id (the original is untouched)."""
    original = store.get(note_id)
    if original is None:
        raise NoteNotFound(note_id)
    copy = BriefingNote.from_dict(original.note.to_dict())
    return store.create(clean_name(name) or f"Kopia av {original.name}"[:MAX_NAME], copy)


def missing_passages(note: BriefingNote, known: Callable[[str], object]) -> set[str]:
    """Ids of the note's passages the current index no longer has (``known(id)`` is
    ``LoadedIndex.passage``: None for an unknown id). Their copied text is still shown."""
    return {
        item.passage_id
        for item in note.items
        if not is_answer(item) and known(item.passage_id) is None
    }


def summaries(rows: Iterable[tuple]) -> list[NoteSummary]:
    """(id, name, created, updated, body) rows as list lines."""
    return [NoteSummary(i, n, c, u, len(decode_body(b))) for i, n, c, u, b in rows]


# What the backends do alike around their SQL (placeholders and locking differ).


def new_stored_note(name: str = "", note: BriefingNote | None = None) -> StoredNote:
    """A note about to be inserted: a fresh id, a cleaned or default name, now as both times."""
    created = now_iso()
    return StoredNote(
        id=new_note_id(),
        name=clean_name(name) or default_name(created),
        created=created,
        updated=created,
        note=note if note is not None else BriefingNote(),
    )


def insert_values(stored: StoredNote) -> tuple:
    """(id, name, created, updated, revision, body): the columns in the backends' order."""
    return (
        stored.id,
        stored.name,
        stored.created,
        stored.updated,
        stored.revision,
        encode_body(stored.note),
    )


def apply_change(stored: StoredNote, change: Callable[[StoredNote], Any]) -> StoredNote:
    """One edit of a note read inside the backend's transaction: ``change``, then a clean
    name, a new update time and the next revision."""
    change(stored)
    stored.name = clean_name(stored.name) or default_name(stored.created)
    stored.updated = now_iso()
    stored.revision += 1
    return stored


def note_from_row(row: tuple | None) -> StoredNote | None:
    """An (id, name, created, updated, revision, body) row as a note; None for no row."""
    if row is None:
        return None
    i, name, created, updated, revision, body = row
    return StoredNote(i, name, created, updated, decode_body(body), int(revision))
