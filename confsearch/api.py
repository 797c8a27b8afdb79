"""HTTP API: ``python -m confsearch serve`` answers JSON for other tools.

The same answers as the command line, from the same code: ``/search`` returns exactly the
objects of ``search --json``, ``/ask`` the answer of ``ask`` (and its text), ``/regions``
those of ``regions``, ``POST /brief`` the note of ``brief``. Queries are checked by the
same rule (:func:`confsearch.search.clean_query`, ``--k`` by :func:`confsearch.cli.hits_count`)
with the same Swedish messages, and the searcher comes from the one service layer
(:class:`confsearch.service.LiveSearcher`), so the API works on either backend and follows
new index versions without a restart.

Errors are Swedish JSON (``{"error": "…"}``) with a 4xx/5xx status, never a traceback and
never FastAPI's English validation bodies. Limits: the query's length, ``k`` in 1–100, the
request body's size (:data:`MAX_BODY_BYTES`), and a time limit per request
(``Settings.api_timeout``, waiting for a free worker included) answered with 504.

Searching runs on a small pool of threads (:data:`WORKERS`); the event loop only waits.
The docs at ``/docs`` and ``/redoc`` load Swagger UI and ReDoc from files shipped by the
PyPI package ``fastapi-offline``: no CDN, nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from confsearch import apidocs
from confsearch.apidocs import MAX_QUERY_INPUT, BriefIn
from confsearch.briefing import (
    BriefingNote,
    brief,
    note_from_passage,
    to_markdown,
)
from confsearch.cli import MAX_K, hits_count
from confsearch.messages import INDEX_LOADING, NO_REGIONS_WITH_EVIDENCE
from confsearch.notes import api as notes_api
from confsearch.search import QueryError, clean_query
from confsearch.service import LiveSearcher, Opened
from confsearch.settings import Settings
from confsearch.wordnote import to_docx

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
# Request line and headers: a query at the length limit made of 4-byte characters is 12 bytes
# a character once percent-encoded; with room for the filters and headers. Anything longer
# gets uvicorn's own plain-text 400 before the app (and its Swedish 422) could see it.
MAX_REQUEST_HEAD = 12 * MAX_QUERY_INPUT + 64 * 1024
WORKERS = 4  # search threads: a few, the machine has two cores
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

NOT_READY = INDEX_LOADING
TOO_LARGE = f"Förfrågan är för stor (högst {MAX_BODY_BYTES // 1024} KiB)."
INTERNAL = (
    "Ett internt fel uppstod och förfrågan kunde inte besvaras. Försök igen; om felet "
    "kvarstår, kontakta den som driver tjänsten."
)
UNKNOWN_PASSAGES = "Stycket finns inte i sökindexet (sök igen och fäst det på nytt): {ids}."
NOT_JSON = "Skicka innehållet som JSON (Content-Type: application/json)."
NOTHING_TO_BRIEF = "Ange minst en fråga eller ett fäst stycke."


class ApiError(Exception):
    """An answer other than 200: HTTP status, Swedish message, extra JSON fields."""

    def __init__(self, status: int, message: str, headers: dict | None = None, **extra) -> None:
        super().__init__(message)
        self.status, self.message, self.headers, self.extra = status, message, headers, extra


def error_response(status: int, message: str, headers: dict | None = None, **extra) -> Response:
    return JSONResponse({**extra, "error": message}, status_code=status, headers=headers)


# ---------------------------------------------------------------- Swedish validation errors


def _field(loc: tuple) -> str:
    """("query", "k") -> "k"; ("body", "pinned", 0, "comment") -> "pinned[0].comment"."""
    out = ""
    for part in loc[1:]:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


K_ERRORS = ("int_parsing", "int_type", "int_from_float", "greater_than_equal", "less_than_equal")


def _problem(err: dict) -> str:
    """One pydantic error in Swedish."""
    kind, loc, ctx = err.get("type", ""), tuple(err.get("loc", ())), err.get("ctx") or {}
    name = _field(loc)
    where = "Parametern" if loc[:1] in (("query",), ("path",)) else "Fältet"
    if name == "k" and kind in K_ERRORS:
        try:
            hits_count(str(err.get("input")))
        except Exception as exc:  # argparse.ArgumentTypeError: the CLI's own message
            return f"{where} k: {exc}."
    if kind == "json_invalid":
        return "Innehållet är inte giltig JSON."
    if kind == "missing":
        return "Förfrågan saknar innehåll (JSON)." if not name else f"{where} «{name}» saknas."
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return (
            "Innehållet måste vara ett JSON-objekt."
            if not name
            else f"«{name}» måste vara ett objekt."
        )
    if kind == "string_too_long" and (name == "q" or name.startswith("questions[")):
        return f"Frågan är för lång (högst {ctx.get('max_length', MAX_QUERY_INPUT)} tecken)."
    if kind == "string_too_long":
        return f"«{name}» är för lång (högst {ctx.get('max_length')} tecken)."
    if kind == "too_long":
        return f"«{name}» har för många värden (högst {ctx.get('max_length')})."
    if kind == "list_type":
        return f"«{name}» måste vara en lista."
    if kind == "string_type":
        return f"«{name}» måste vara text."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"«{name}» måste vara ett heltal."
    if kind == "extra_forbidden":
        return f"Okänt fält: «{name}»."
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"{where} «{name}» måste vara ett av: {expected}."
    return f"Ogiltigt värde för «{name or 'innehållet'}»."


def validation_response(exc: RequestValidationError) -> Response:
    problems = list(dict.fromkeys(_problem(e) for e in exc.errors()))
    return error_response(422, " ".join(problems))


# ---------------------------------------------------------------- body size


class BodyLimit:
    """Refuses a request body over ``limit`` bytes with 413, before the app sees it: by
    Content-Length at once, else while reading (chunked bodies are counted too)."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.limit:
            return await error_response(413, TOO_LARGE)(scope, receive, send)
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                return await error_response(413, TOO_LARGE)(scope, receive, send)
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


# ---------------------------------------------------------------- running a request


async def _run(request: Request, work: Callable[[Any], Any]) -> Any:
    """``work(searcher)`` on a search thread, within the time limit (503/504/500 else)."""
    app = request.app
    live: LiveSearcher = app.state.live
    timeout = app.state.settings.api_timeout

    def job():
        opened = live.get()
        if opened is None:
            raise ApiError(503, live.error or NOT_READY, {"Retry-After": "5"})
        return work(opened.searcher)

    future = app.state.executor.submit(job)
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout)
    except TimeoutError:
        raise ApiError(
            504,
            f"Förfrågan tog längre tid än {_decimal(timeout)} s och avbröts. Försök igen om en "
            "stund.",
        ) from None
    except (ApiError, QueryError):
        raise
    except Exception as exc:
        log.exception("request failed")
        raise ApiError(500, INTERNAL) from exc


def _decimal(x: float) -> str:
    return f"{x:g}".replace(".", ",")  # Swedish decimal comma


def _query(q: str) -> str:
    """The CLI's rule; a refused query is a 400 with the CLI's ``--json`` error object."""
    try:
        return clean_query(q)
    except QueryError as exc:
        raise ApiError(400, str(exc), query=q, hits=[]) from None


# ---------------------------------------------------------------- the app

Q = Annotated[str, Query(max_length=MAX_QUERY_INPUT, description=apidocs.Q)]
K5 = Annotated[int, Query(ge=1, le=MAX_K, description=apidocs.K.format(default=5))]
K10 = Annotated[int, Query(ge=1, le=MAX_K, description=apidocs.K.format(default=10))]
Region = Annotated[str | None, Query(max_length=200, description=apidocs.REGION)]
SessionTitle = Annotated[str | None, Query(max_length=300, description=apidocs.SESSION)]
Format = Annotated[Literal["markdown", "docx"], Query(alias="format", description=apidocs.FORMAT)]


def create_app(settings: Settings | None = None, *, live: LiveSearcher | None = None) -> FastAPI:
    """The API over the settings' index (``live``: a searcher source, for tests/serve)."""
    from fastapi_offline import FastAPIOffline

    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.live = live or LiveSearcher(settings)
        app.state.executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="confsearch-api")
        if not app.state.live.started.is_set() and not app.state.live.loading:
            app.state.live.start()
        try:
            yield
        finally:
            app.state.executor.shutdown(wait=False, cancel_futures=True)

    app = FastAPIOffline(
        title="Konferenssök API",
        version="1",
        description=apidocs.DESCRIPTION,
        openapi_tags=apidocs.TAGS,
        lifespan=lifespan,
        swagger_ui_parameters={"validatorUrl": None, "defaultModelsExpandDepth": 0},
    )
    app.state.settings = settings
    app.add_middleware(BodyLimit)
    notes_api.install(app)  # /notes: saved notes (confsearch.notes.api)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.message, exc.headers, **exc.extra)

    @app.exception_handler(QueryError)
    async def _query_error(request: Request, exc: QueryError) -> Response:
        return error_response(400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        content_type = request.headers.get("content-type", "").lower()
        body_refused = any(tuple(e.get("loc", ())) == ("body",) for e in exc.errors())
        if body_refused and request.method == "POST" and "json" not in content_type:
            return error_response(415, NOT_JSON)
        return validation_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(exc.status_code, apidocs.http_message(exc, request), exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        return error_response(500, INTERNAL)

    @app.get("/search", tags=["sök"], **apidocs.SEARCH)
    async def search(
        request: Request,
        q: Q,
        k: K5 = 5,
        region: Region = None,
        session: SessionTitle = None,
    ) -> Response:
        query = _query(q)

        def work(searcher):
            try:
                resp = searcher.search(query, k=k, region=region, session=session)
            except QueryError as exc:  # unknown region or session: the --json error object
                raise ApiError(400, str(exc), query=query, hits=[]) from None
            return resp.to_json()

        return JSONResponse(await _run(request, work))

    @app.get("/ask", tags=["sök"], **apidocs.ASK)
    async def ask(request: Request, q: Q, k: K5 = 5) -> Response:
        from confsearch.answer import answer, format_answer
        from confsearch.citation import sources

        query = _query(q)

        def work(searcher):
            resp = searcher.search(query, k=k)
            ans = answer(resp, embedder=searcher.embedder)
            # Cited as `ask` cites: by document title, organiser and year from the manifest.
            cited = sources(searcher.index.manifest.documents)
            return {
                "query": resp.query,
                "confident": ans.confident,
                "message": ans.message,
                "missing": list(resp.missing),
                "sentences": [{"text": s.text, "citation": s.citation} for s in ans.sentences],
                "hits": [h.to_json() for h in resp.hits],
                "text": format_answer(ans, cited),
            }

        return JSONResponse(await _run(request, work))

    @app.get("/regions", tags=["sök"], **apidocs.REGIONS)
    async def regions(request: Request, q: Q, k: K10 = 10) -> Response:
        query = _query(q)

        def work(searcher):
            found = searcher.regions(query, k=k)
            return {
                "query": query,
                "message": None if found else NO_REGIONS_WITH_EVIDENCE,
                "regions": [
                    {
                        "region": r.region,
                        "score": round(float(r.score), 4),
                        "passages": r.passages,
                        "sessions": list(r.sessions),
                        "best": r.best.to_json(),
                    }
                    for r in found
                ],
            }

        return JSONResponse(await _run(request, work))

    @app.post("/brief", tags=["anteckning"], **apidocs.BRIEF)
    async def brief_note(
        request: Request,
        body: BriefIn,
        fmt: Format = "markdown",
    ) -> Response:
        if not body.questions and not body.pinned:
            raise ApiError(422, NOTHING_TO_BRIEF)
        questions = []
        for i, q in enumerate(body.questions, 1):
            try:
                questions.append(clean_query(q))
            except QueryError as exc:
                raise ApiError(400, f"Fråga {i}: {exc}") from None

        def work(searcher) -> Response:
            note = _note(searcher, body, questions)
            if fmt == "docx":
                return Response(
                    to_docx(note),
                    media_type=DOCX_TYPE,
                    headers={"Content-Disposition": 'attachment; filename="anteckning.docx"'},
                )
            return JSONResponse({**note.to_dict(), "markdown": to_markdown(note)})

        return await _run(request, work)

    @app.get("/health", tags=["drift"], **apidocs.HEALTH)
    def health(request: Request) -> Response:
        live: LiveSearcher = request.app.state.live
        opened = live.get()
        body = _health(live, opened)
        return JSONResponse(body, status_code=200 if opened is not None else 503)

    apidocs.finish_openapi(app)
    return app


def _note(searcher, body: BriefIn, questions: list[str]) -> BriefingNote:
    """Pinned passages first (in the given order, with comments), then the best passages of
    each question as ``brief`` picks them."""
    index = searcher.index
    missing = [p.passage_id for p in body.pinned if index.passage(p.passage_id) is None]
    if missing:
        ids = ", ".join(f"«{i}»" for i in dict.fromkeys(missing))
        raise ApiError(404, UNKNOWN_PASSAGES.format(ids=ids))
    auto = brief(searcher, questions, k=body.k) if questions else BriefingNote()
    note = BriefingNote(heading=body.heading, intro=body.intro)
    for q in auto.questions:
        note.add_question(q)
    for pin in body.pinned:
        p = index.passage(pin.passage_id)
        note.add_item(note_from_passage(p, " ".join(pin.question.split()), comment=pin.comment))
    for item in auto.items:
        note.add_item(item)
    return note


def _health(live: LiveSearcher, opened: Opened | None) -> dict:
    manifest = opened.searcher.index.manifest if opened is not None else None
    return {
        "ready": opened is not None,
        "backend": live.store.name,
        "version": opened.version if opened is not None else None,
        "passages": len(opened.searcher.passages) if opened is not None else None,
        "model": manifest.model if manifest is not None else None,
        "built": manifest.built if manifest is not None else None,
        "error": None if opened is not None else (live.error or NOT_READY),
        "warnings": live.warnings,
    }


# ---------------------------------------------------------------- serve


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8600) -> int:
    """Run the API with uvicorn until Ctrl-C; Swedish lines on stderr, no access log."""
    import socket
    import sys
    import threading

    import uvicorn

    from confsearch.cli import UserError

    try:
        sock = socket.create_server((host, port))
    except OSError as exc:
        raise UserError(
            f"Kan inte lyssna på {host}:{port}: {_bind_cause(exc)}. Välj en annan adress "
            "eller port med --host/--port."
        ) from exc
    host_shown = f"[{host}]" if ":" in host else host
    url = f"http://{host_shown}:{sock.getsockname()[1]}"
    live = LiveSearcher(settings)
    app = create_app(settings, live=live)

    def report() -> None:
        live.started.wait()
        opened = live.get()
        if opened is None:
            print(f"Fel: {live.error}", file=sys.stderr, flush=True)
            return
        for warning in live.warnings:
            print(f"Varning: {warning}", file=sys.stderr, flush=True)
        print(
            f"Indexet är laddat ({len(opened.searcher.passages)} stycken, version "
            f"{opened.version}, {live.store.name}). Redo på {url}",
            file=sys.stderr,
            flush=True,
        )

    print(
        f"Konferenssök-API på {url} – dokumentation på {url}/docs. Avsluta med Ctrl-C.\n"
        "Laddar modellen och sökindexet …",
        file=sys.stderr,
        flush=True,
    )
    threading.Thread(target=report, name="confsearch-report", daemon=True).start()
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=5,
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
    )
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def _bind_cause(exc: OSError) -> str:
    import errno
    import socket

    if isinstance(exc, socket.gaierror):
        return "okänd värd"
    return {
        errno.EADDRINUSE: "porten används redan",
        errno.EACCES: "behörighet saknas",
        errno.EADDRNOTAVAIL: "adressen finns inte på den här datorn",
    }.get(exc.errno or 0, exc.strerror or str(exc))
