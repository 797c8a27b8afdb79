"""HTTP API: ``python -m confsearch serve`` answers JSON for other tools.

The same answers as the command line, from the same code: the routes parse the request
and call the use cases of :mod:`confsearch.qa`, whose results' ``to_json()`` are the
bodies. ``/search`` returns exactly the objects of ``search --json``, ``/ask`` the answer
of ``ask`` (and its text), ``/regions`` those of ``regions``, ``POST /brief`` the note of
``brief``, each with the same ``region``/``session`` filters. Queries are checked by the
same rule (:func:`confsearch.query.clean_query`, ``k`` by
:func:`confsearch.query.hits_count`) with the same Swedish messages, and the searcher
comes from the one service layer (:class:`confsearch.retrieval.service.LiveSearcher`), so
the API works on either backend and follows new index versions without a restart.
Refused requests (Swedish validation errors, the body limit): :mod:`confsearch.api.requests`.

Errors are Swedish JSON (``{"error": "…"}``) with a 4xx/5xx status, never a traceback and
never FastAPI's English validation bodies. Limits: the query's length, ``k`` in 1–100, the
request body's size (:data:`MAX_BODY_BYTES`), and a time limit per request
(``Settings.api_timeout``, waiting for a free worker included) answered with 504.
Admission control (:mod:`confsearch.api.guard`): a cost budget for ``/brief``, work that
stops when its client has gone or its time is up, a per-client limit on expensive
requests (429), and a ``/health`` that reports "degraded" under overload or when the
database fails. Database errors are a Swedish 503, never a 500. ``serve`` reads requests
through :mod:`confsearch.api.server` (time limits for headers and body, Swedish 400).

Searching runs on a small pool of threads (:data:`WORKERS`); the event loop only waits.
The docs at ``/docs`` and ``/redoc`` load Swagger UI and ReDoc from files shipped by the
PyPI package ``fastapi-offline``: no CDN, nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from confsearch import qa
from confsearch.answers.wordnote import DOCX_MIME as DOCX_TYPE
from confsearch.api import docs as apidocs
from confsearch.api import guard as apiguard
from confsearch.api import notes as notes_api
from confsearch.api.docs import MAX_QUERY_INPUT, BriefIn
from confsearch.api.requests import (
    ApiError,
    BodyLimit,
    error_response,
    validation_response,
)
from confsearch.errors import ConfsearchError
from confsearch.messages import INDEX_LOADING
from confsearch.query import MAX_K, QueryError, clean_query
from confsearch.retrieval.search import Searcher
from confsearch.retrieval.service import LiveSearcher, Opened
from confsearch.retrieval.store import IndexError_
from confsearch.settings import Settings

log = logging.getLogger(__name__)

# Request line and headers: a query at the length limit made of 4-byte characters is 12 bytes
# a character once percent-encoded; with room for the filters and headers. Anything longer
# gets uvicorn's own plain-text 400 before the app (and its Swedish 422) could see it.
MAX_REQUEST_HEAD = 12 * MAX_QUERY_INPUT + 64 * 1024
WORKERS = 4  # search threads: a few, the machine has two cores

NOT_READY = INDEX_LOADING
INTERNAL = (
    "Ett internt fel uppstod och förfrågan kunde inte besvaras. Försök igen; om felet "
    "kvarstår, kontakta den som driver tjänsten."
)
NOT_JSON = "Skicka innehållet som JSON (Content-Type: application/json)."
NOTHING_TO_BRIEF = "Ange minst en fråga eller ett fäst stycke."
DATABASE_HANGS = "Databasen svarar inte just nu. Försök igen om en stund."


# ---------------------------------------------------------------- running a request


POLL_SECONDS = 0.25  # how often a waiting request looks whether its client is still there
RETRY = {"Retry-After": str(apiguard.RETRY_AFTER)}


async def _run(
    request: Request,
    work: Callable[[Searcher], Any],
    *,
    cancel: threading.Event | None = None,
    expensive: bool = False,
) -> Any:
    """``work(searcher)`` on a search thread, within the time limit (503/504/500 else).

    ``expensive`` work takes a slot of :class:`confsearch.api.guard.Admission` (429 when
    none is free) until it has really stopped. ``cancel`` is set when the client goes away
    or the time is up; long work checks it between steps (:func:`apiguard.check`)."""
    app = request.app
    live: LiveSearcher = app.state.live
    timeout = app.state.settings.api_timeout
    pressure: apiguard.Pressure = app.state.pressure
    cancel = cancel or threading.Event()
    client = request.client.host if request.client else "?"
    if expensive:
        refused = app.state.admission.enter(client)
        if refused:
            raise ApiError(429, refused, RETRY)

    def job():
        apiguard.check(cancel)  # its client left while it waited for a thread
        opened = live.get()
        if opened is None:
            raise ApiError(503, live.error or NOT_READY, RETRY)
        return work(opened.searcher)

    def done(f) -> None:
        ok = not f.cancelled() and f.exception() is None
        pressure.finished(ok)
        if expensive:
            app.state.admission.leave(client)

    pressure.started()
    future = app.state.executor.submit(job)
    future.add_done_callback(done)
    waiting = asyncio.wrap_future(future)
    deadline = asyncio.get_running_loop().time() + timeout
    try:
        while True:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise TimeoutError
            finished, _ = await asyncio.wait({waiting}, timeout=min(POLL_SECONDS, left))
            if finished:
                return waiting.result()
            if await request.is_disconnected():
                cancel.set()
                waiting.cancel()  # and the thread's future, if it has not started
                raise ApiError(499, "Klienten avbröt förfrågan.")
    except TimeoutError:
        cancel.set()
        waiting.cancel()
        pressure.timed_out()
        raise ApiError(
            504,
            f"Förfrågan tog längre tid än {_decimal(timeout)} s och avbröts. Försök igen om en "
            "stund.",
        ) from None
    except ApiError:
        raise
    except IndexError_ as exc:  # the database failed or the index changed under us
        log.warning("request failed: %s", exc)
        pressure.index_failed(str(exc))
        raise ApiError(503, str(exc), RETRY) from exc
    except ConfsearchError:  # a refusal in Swedish (QueryError: 400): its own status
        raise
    except Exception as exc:
        log.exception("request failed")
        raise ApiError(500, INTERNAL) from exc


def _decimal(x: float) -> str:
    return f"{x:g}".replace(".", ",")  # Swedish decimal comma


def _refused(query: str, exc: QueryError) -> ApiError:
    """400 with the body of :func:`confsearch.qa.refused_json` (the CLI's --json error)."""
    body = qa.refused_json(query, str(exc))
    return ApiError(400, body.pop("error"), **body)


def _query(q: str) -> str:
    """The CLI's rule; a refused query is a 400 with the CLI's ``--json`` error object."""
    try:
        return clean_query(q)
    except QueryError as exc:
        raise _refused(q, exc) from None


# ---------------------------------------------------------------- the app

Q = Annotated[str, Query(max_length=MAX_QUERY_INPUT, description=apidocs.Q)]
K5 = Annotated[int, Query(ge=1, le=MAX_K, description=apidocs.K.format(default=5))]
K10 = Annotated[int, Query(ge=1, le=MAX_K, description=apidocs.K.format(default=10))]
Region = Annotated[str | None, Query(max_length=200, description=apidocs.REGION)]
SessionTitle = Annotated[str | None, Query(max_length=300, description=apidocs.SESSION)]
Format = Annotated[Literal["markdown", "docx"], Query(alias="format", description=apidocs.FORMAT)]


def create_app(settings: Settings | None = None, *, live: LiveSearcher | None = None) -> FastAPI:
    """The API over the settings' index (``live``: a searcher source, for tests/serve)."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.live = live or LiveSearcher(settings)
        app.state.executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="confsearch-api")
        app.state.admission = apiguard.Admission()
        app.state.pressure = apiguard.Pressure(WORKERS)
        app.state.probe = _database_probe(app.state.live)
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
    notes_api.install(app)  # /notes: saved notes (confsearch.api.notes)

    @app.exception_handler(ConfsearchError)
    async def _error(request: Request, exc: ConfsearchError) -> Response:
        """Every error meant for the user: its status and message (ApiError: with headers
        and extra fields)."""
        if isinstance(exc, ApiError):
            return error_response(exc.status, exc.message, exc.headers, **exc.extra)
        return error_response(exc.http_status, exc.message)

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

        def work(searcher: Searcher):
            try:
                result = qa.search(searcher, qa.Question(query, k, region, session))
            except QueryError as exc:  # unknown region or session: the --json error object
                raise _refused(query, exc) from None
            return result.to_json()

        return JSONResponse(await _run(request, work))

    @app.get("/ask", tags=["sök"], **apidocs.ASK)
    async def ask(
        request: Request,
        q: Q,
        k: K5 = 5,
        region: Region = None,
        session: SessionTitle = None,
    ) -> Response:
        question = qa.Question(_query(q), k, region, session)
        # the `ask --json` object
        return JSONResponse(await _run(request, lambda s: qa.ask(s, question).to_json()))

    @app.get("/regions", tags=["sök"], **apidocs.REGIONS)
    async def regions(
        request: Request,
        q: Q,
        k: K10 = 10,
        region: Region = None,
        session: SessionTitle = None,
    ) -> Response:
        question = qa.Question(_query(q), k, region, session)
        return JSONResponse(await _run(request, lambda s: qa.regions(s, question).to_json()))

    @app.post("/brief", tags=["anteckning"], **apidocs.BRIEF)
    async def brief_note(
        request: Request,
        body: BriefIn,
        fmt: Format = "markdown",
    ) -> Response:
        if not body.questions and not body.pinned:
            raise ApiError(422, NOTHING_TO_BRIEF)
        over = apiguard.brief_cost(len(body.questions), body.k)
        if over:
            raise ApiError(413, over)
        questions = []
        for i, q in enumerate(body.questions, 1):
            try:
                questions.append(clean_query(q))
            except QueryError as exc:
                raise ApiError(400, f"Fråga {i}: {exc}") from None

        cancel = threading.Event()

        pins = [qa.Pin(p.passage_id, p.question, p.comment) for p in body.pinned]
        req = qa.BriefRequest(
            questions, body.k, body.region, body.session, body.heading, body.intro, pins
        )

        def work(searcher) -> Response:
            try:
                result = qa.brief(searcher, req, check=lambda: apiguard.check(cancel))
            except qa.UnknownPassages as exc:
                raise ApiError(404, str(exc)) from None
            if fmt == "docx":
                return Response(
                    result.docx(),
                    media_type=DOCX_TYPE,
                    headers={"Content-Disposition": 'attachment; filename="anteckning.docx"'},
                )
            return JSONResponse(result.to_json())

        return await _run(request, work, cancel=cancel, expensive=True)

    @app.get(
        "/documents",
        tags=["drift"],
        summary="Hur dokumenten lästes",
        description=(
            "Varje dokument i korpusmappen: titel, arrangör, evenemang, datum, år och "
            "lärpassen i ordning med talare, organisationer och antal stycken, som "
            "`python -m confsearch documents --json`."
        ),
        responses={200: {"description": "Dokumenten och meddelanden om filer som inte lästes."}},
    )
    async def documents(request: Request) -> Response:
        result = await run_in_threadpool(qa.documents, settings.corpus_dir)
        return JSONResponse(result.to_json())

    @app.get("/health", tags=["drift"], **apidocs.HEALTH)
    def health(request: Request) -> Response:
        state = request.app.state
        live: LiveSearcher = state.live
        opened = live.get()
        problem = None
        if opened is not None:
            problem = state.pressure.problem() or (state.probe and state.probe.problem())
        body = _health(live, opened, problem)
        if body["ready"]:
            return JSONResponse(body)
        return JSONResponse(body, status_code=503, headers=RETRY)

    apidocs.finish_openapi(app)
    return app


def _database_probe(live: LiveSearcher) -> apiguard.Probe | None:
    """For a database backend: a background check that the database answers."""
    ping = getattr(live.store, "ping", None)
    if ping is None:
        return None

    def check() -> str | None:
        try:
            ping()
        except IndexError_ as exc:
            return str(exc)
        return None

    return apiguard.Probe(check, hanging=DATABASE_HANGS)


def _health(live: LiveSearcher, opened: Opened | None, problem: str | None = None) -> dict:
    manifest = opened.searcher.index.manifest if opened is not None else None
    if opened is None:
        state = "loading" if live.error is None else "failed"
    else:
        state = "degraded" if problem else "ready"
    return {
        "ready": state == "ready",
        "state": state,
        "backend": live.store.name,
        "version": opened.version if opened is not None else None,
        "passages": len(opened.searcher.passages) if opened is not None else None,
        "model": manifest.model if manifest is not None else None,
        "built": manifest.built if manifest is not None else None,
        "error": problem if opened is not None else (live.error or NOT_READY),
        "warnings": live.warnings,
    }
