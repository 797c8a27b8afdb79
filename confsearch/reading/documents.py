"""The corpus data model: documents made of sessions, and the passages search works on.

A conference text is a *document* (one file, or one line of a ``.jsonl`` file) made of
*sessions* (lärpass, seminars): a heading followed by paragraphs. Search works on
*passages*: roughly one paragraph each (see :mod:`confsearch.reading.passages`). Offsets
(``start``/``end``) index :attr:`Document.text`, the cleaned text of the file, so a hit can
be shown in context.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Person:
    """A named speaker; role and organisation as written next to the name, if at all."""

    name: str
    role: str | None = None
    organisation: str | None = None
    part: str | None = None  # "moderator", "panel" … when the text says so (else a speaker)


@dataclass(frozen=True)
class Session:
    """One session (lärpass): heading, body and what was extracted from it.

    ``regions`` is ordered, presenting organisation first (see :mod:`confsearch.reading.regions`).
    ``start``/``end`` are offsets into :attr:`Document.text` covering heading and body;
    ``paragraph_spans`` gives the offsets of each entry of ``paragraphs``.
    """

    title: str
    doc_id: str
    source: str
    regions: tuple[str, ...]
    speakers: tuple[Person, ...]
    paragraphs: tuple[str, ...]
    quotes: tuple[str, ...]
    links: tuple[str, ...]
    start: int
    end: int
    paragraph_spans: tuple[tuple[int, int], ...] = ()
    # What a programme says about the session beside its title: its label ("Pass 3",
    # "Seminarium A"), time ("10.15–11.00") and the organisations acting in it (speakers'
    # organisations, presenters) as written (confsearch.reading.programme).
    label: str | None = None
    time: str | None = None
    organisations: tuple[str, ...] = ()
    # "session": a programme item; "part": text around them (an introduction, practical
    # information, a day's heading) that is searched but is not a session of its own
    kind: str = "session"

    @property
    def region(self) -> str:
        return self.regions[0] if self.regions else ""

    @property
    def speaker_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.speakers)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Document:
    """One conference text. ``text`` is what all offsets of its sessions/passages index."""

    doc_id: str
    title: str
    source: str
    sessions: tuple[Session, ...]
    metadata: dict[str, Any] = field(default_factory=dict, hash=False)
    text: str = field(default="", repr=False)


@dataclass(frozen=True)
class Passage:
    """The unit that is embedded and retrieved.

    ``text`` excludes the session title (the indexer adds it as context). ``speakers``
    are the names of the session's speakers, ``links`` the session's links with those
    occurring in this passage first. ``document.text[start:end]`` is the passage's
    source span (for merged passages it spans all merged paragraphs).
    """

    id: str
    doc_id: str
    text: str
    session: str
    regions: tuple[str, ...]
    speakers: tuple[str, ...]
    source: str
    start: int
    end: int
    links: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def region(self) -> str:
        return self.regions[0] if self.regions else ""


@dataclass(frozen=True)
class ReadError:
    """A file (or part of one) that was not read; ``message`` is Swedish, for the user.

    ``kind`` is "error" (nothing read), "partial" (some lines skipped) or "duplicate"
    (identical to an earlier document, skipped on purpose). ``path`` is the file as shown
    to users (relative to the project, "corpus/x.pdf"); ``file`` is its path relative to
    the corpus folder ("sub/x.pdf"), which tells two files of the same name apart.
    """

    path: str
    message: str
    kind: str = "error"
    file: str = ""

    def __str__(self) -> str:
        return self.message

    def reason(self) -> str:
        """The message without its "Kunde inte läsa corpus/x.pdf: " opening, for a place
        that already names the file (the upload's "x.pdf lades inte till: …")."""
        opening = f"Kunde inte läsa {self.path}: "
        return self.message.removeprefix(opening) if self.path else self.message

    def for_user(self) -> str:
        """The message naming the file by its place in the corpus folder ("sub/x.pdf"),
        not the project's path ("corpus/sub/x.pdf")."""
        shown = self.file or self.path.rsplit("/", 1)[-1]
        return self.message.replace(self.path, shown) if self.path else self.message


@dataclass(frozen=True)
class CorpusResult:
    """Everything read from a corpus folder, plus what could not be read."""

    documents: tuple[Document, ...]
    passages: tuple[Passage, ...]
    errors: tuple[ReadError, ...]
    # (path relative to the corpus, size, mtime_ns) of every file as it was when read,
    # documents then sidecars: the index fingerprint of exactly what was read.
    files: tuple[tuple[str, int, int], ...] = ()
    listed: int = 0  # document files found when the reading started …
    vanished: int = 0  # … of which this many were gone by the time they were read

    @property
    def sessions(self) -> tuple[Session, ...]:
        return tuple(s for d in self.documents for s in d.sessions)

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)


def iter_sessions(result: CorpusResult | Iterable[Document]) -> Iterator[tuple[Document, Session]]:
    """(document, session) pairs in reading order."""
    docs = result.documents if isinstance(result, CorpusResult) else result
    for doc in docs:
        for session in doc.sessions:
            yield doc, session


def distinct_regions(items: Iterable[Any]) -> list[str]:
    """The regions of ``items`` (passages, sessions, note items …), each once, in order."""
    return list(dict.fromkeys(r for item in items for r in item.regions))
