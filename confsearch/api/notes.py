"""``/notes`` in the HTTP API: the saved notes the page uses, for other tools.

List, create, fetch, update (name, heading, intro, order), delete and duplicate notes;
pin a passage (its text and citation are copied from the index), change a pin's comment
or place, unpin; download a note as Markdown or Word. The routes live here, on their
own router, and :func:`install` adds them and their error handling to the app made by
:func:`confsearch.api.app.create_app`. Errors have the API's shape, ``{"error": "…"}`` in
Swedish. Handlers are plain functions: FastAPI runs them on its thread pool, so a save
waiting for the database never blocks the event loop.
"""

from __future__ import annotations

import urllib.parse
from typing import Annotated, Literal

from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from confsearch import qa
from confsearch.answers.briefing import (
    BriefingNote,
    export_filename,
    note_from_passage,
    to_markdown,
)
from confsearch.answers.citation import sources
from confsearch.answers.wordnote import DOCX_MIME as DOCX_TYPE
from confsearch.answers.wordnote import to_docx
from confsearch.api import notesdocs as docs
from confsearch.errors import ConfsearchError
from confsearch.messages import INDEX_LOADING
from confsearch.notes import (
    NOTE_NOT_FOUND,
    NoteNotFound,
    NotesError,
    NotesStore,
    StoredNote,
    duplicate,
    open_notes,
)
from confsearch.retrieval.search import Searcher

PIN_NOT_FOUND = "Stycket «{pid}» finns inte i anteckningen."
ALREADY_PINNED = "Stycket «{pid}» finns redan i anteckningen."
NOT_IN_INDEX = "Stycket «{pid}» finns inte i sökindexet (sök igen och fäst det på nytt)."
BAD_ORDER = (
    "Ordningen måste innehålla varje stycke i anteckningen exakt en gång "
    "(saknas: {missing}; okända eller dubbla: {extra})."
)

NoteId = Annotated[str, Path(max_length=64, description=docs.NOTE_ID)]
PinId = Annotated[str, Path(max_length=docs.PASSAGE_ID, description=docs.PIN_ID)]
Format = Annotated[Literal["markdown", "docx"], Query(alias="format", description=docs.FORMAT)]

router = APIRouter(prefix="/notes")


class NotesApiError(ConfsearchError):
    """An answer other than 200 from ``/notes``: HTTP status and Swedish message."""

    def __init__(self, status: int, message: str, headers: dict | None = None) -> None:
        super().__init__(message, http_status=status)
        self.status, self.headers = status, headers


def _error(status: int, message: str, headers: dict | None = None) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Add ``/notes`` to the API app (its settings say where the notes are)."""
    app.state.notes = open_notes(app.state.settings)
    app.include_router(router)
    if docs.TAG not in (app.openapi_tags or []):
        app.openapi_tags = [*(app.openapi_tags or []), docs.TAG]

    @app.exception_handler(NotesApiError)
    async def api_error(request: Request, exc: NotesApiError) -> Response:
        return _error(exc.status, exc.message, exc.headers)

    @app.exception_handler(NoteNotFound)
    async def not_found(request: Request, exc: NoteNotFound) -> Response:
        return _error(404, NOTE_NOT_FOUND)

    @app.exception_handler(NotesError)
    async def unavailable(request: Request, exc: NotesError) -> Response:
        return _error(503, str(exc), {"Retry-After": "5"})


def _store(request: Request) -> NotesStore:
    return request.app.state.notes


def _searcher(request: Request) -> Searcher | None:
    """The loaded searcher, or None while the index loads."""
    live = getattr(request.app.state, "live", None)
    opened = live.get() if live is not None else None
    return opened.searcher if opened is not None else None


def _answer(request: Request, stored: StoredNote, status: int = 200) -> Response:
    return JSONResponse(
        qa.SavedNoteResult(stored, _searcher(request)).to_json(), status_code=status
    )


def _place(note: BriefingNote, pid: str, position: int | None) -> None:
    """Move a pin to ``position`` (1 first; past the end: last)."""
    if position is None:
        return
    i = note.index_of(pid)
    if i is not None:
        note.move(pid, min(position, len(note.items)) - 1 - i)


def _pin_index(note: BriefingNote, pid: str) -> int:
    i = note.index_of(pid)
    if i is None:
        raise NotesApiError(404, PIN_NOT_FOUND.format(pid=pid))
    return i


def _disposition(name: str, extension: str) -> str:
    fallback = export_filename(name, extension)
    wanted = " ".join(name.replace("/", "-").replace("\\", "-").split())[:120] or "anteckning"
    quoted = urllib.parse.quote(f"{wanted}.{extension}", safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quoted}"


# ---------------------------------------------------------------- routes


@router.get("", **docs.LIST)
def list_notes(request: Request) -> Response:
    rows = _store(request).list()
    return JSONResponse(qa.NotesListResult(rows).to_json())


@router.post("", **docs.CREATE)
def create_note(request: Request, body: docs.NoteCreateIn | None = None) -> Response:
    body = body or docs.NoteCreateIn()
    note = BriefingNote(intro=body.intro)
    if body.heading is not None and body.heading.strip():
        note.heading = body.heading
    return _answer(request, _store(request).create(body.name, note), 201)


@router.get("/{note_id}", **docs.GET)
def get_note(request: Request, note_id: NoteId) -> Response:
    stored = _store(request).get(note_id)
    if stored is None:
        raise NoteNotFound(note_id)
    return _answer(request, stored)


@router.put("/{note_id}", **docs.UPDATE)
def update_note(request: Request, note_id: NoteId, body: docs.NoteUpdateIn) -> Response:
    def change(stored: StoredNote) -> None:
        note = stored.note
        if body.name is not None:
            stored.name = body.name or stored.name
        if body.heading is not None:
            note.heading = body.heading
        if body.intro is not None:
            note.intro = body.intro
        if body.order is not None:
            have = [item.passage_id for item in note.items]
            missing = [p for p in have if p not in body.order]
            extra = [p for p in body.order if p not in have]
            extra += [p for p in dict.fromkeys(body.order) if body.order.count(p) > 1]
            if missing or extra:
                raise NotesApiError(
                    400,
                    BAD_ORDER.format(
                        missing=", ".join(missing) or "inga", extra=", ".join(extra) or "inga"
                    ),
                )
            by_id = {item.passage_id: item for item in note.items}
            note.items = [by_id[p] for p in body.order]

    return _answer(request, _store(request).edit(note_id, change))


@router.delete("/{note_id}", **docs.DELETE)
def delete_note(request: Request, note_id: NoteId) -> Response:
    if not _store(request).delete(note_id):
        raise NoteNotFound(note_id)
    return Response(status_code=204)


@router.post("/{note_id}/duplicate", **docs.DUPLICATE)
def duplicate_note(
    request: Request, note_id: NoteId, body: docs.DuplicateIn | None = None
) -> Response:
    copy = duplicate(_store(request), note_id, body.name if body else "")
    return _answer(request, copy, 201)


@router.post("/{note_id}/pins", **docs.PIN)
def add_pin(request: Request, note_id: NoteId, body: docs.PinAddIn) -> Response:
    searcher = _searcher(request)
    if searcher is None:
        live = request.app.state.live
        raise NotesApiError(503, live.error or INDEX_LOADING, {"Retry-After": "5"})
    passage = searcher.index.passage(body.passage_id)
    if passage is None:
        raise NotesApiError(404, NOT_IN_INDEX.format(pid=body.passage_id))
    source = sources(searcher.index.manifest.documents).get(passage.doc_id)
    item = note_from_passage(passage, " ".join(body.question.split()), source)
    item.comment = body.comment

    def change(stored: StoredNote) -> None:
        if not stored.note.add_item(item):
            raise NotesApiError(409, ALREADY_PINNED.format(pid=body.passage_id))
        _place(stored.note, item.passage_id, body.position)

    stored = _store(request).edit(note_id, change)
    return JSONResponse(qa.SavedNoteResult(stored, searcher).to_json(), status_code=201)


@router.put("/{note_id}/pins/{passage_id}", **docs.PIN_UPDATE)
def update_pin(
    request: Request, note_id: NoteId, passage_id: PinId, body: docs.PinUpdateIn
) -> Response:
    def change(stored: StoredNote) -> None:
        _pin_index(stored.note, passage_id)
        if body.comment is not None:
            stored.note.set_comment(passage_id, body.comment)
        _place(stored.note, passage_id, body.position)

    return _answer(request, _store(request).edit(note_id, change))


@router.delete("/{note_id}/pins/{passage_id}", **docs.UNPIN)
def remove_pin(request: Request, note_id: NoteId, passage_id: PinId) -> Response:
    def change(stored: StoredNote) -> None:
        _pin_index(stored.note, passage_id)
        stored.note.remove(passage_id)

    return _answer(request, _store(request).edit(note_id, change))


@router.get("/{note_id}/export", **docs.EXPORT)
def export_note(request: Request, note_id: NoteId, fmt: Format = "markdown") -> Response:
    stored = _store(request).get(note_id)
    if stored is None:
        raise NoteNotFound(note_id)
    if fmt == "docx":
        data, media, ext = to_docx(stored.note), DOCX_TYPE, "docx"
    else:
        data, media, ext = to_markdown(stored.note).encode(), "text/markdown; charset=utf-8", "md"
    headers = {"Content-Disposition": _disposition(stored.name, ext)}
    return Response(data, media_type=media, headers=headers)
