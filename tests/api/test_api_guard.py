"""Admission control of the HTTP API (issue 27, findings 4 and 12, and the minor list):
a cost budget for /brief, work that stops when its client has gone, a per-client limit
with 429, a /health that says "degraded" while the threads are saturated or requests time
out, and ``serve``'s HTTP reading (time limits, Swedish 400) tested over raw sockets.

No latency is asserted: every wait is for an event, with generous time limits."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient

import confsearch.retrieval.search
from confsearch.api import app as api
from confsearch.api import docs as apidocs
from confsearch.api import guard as apiguard
from confsearch.api import server as apiserver
from confsearch.settings import Settings
from tests.api.test_api import QUESTION, wait_ready

PATIENCE = 120  # seconds: generous limits for a loaded machine


def _blocking_searches(monkeypatch) -> tuple[threading.Event, list[str]]:
    """Searcher.search_many and .search wait for ``release``; the questions are recorded."""
    release = threading.Event()
    asked: list[str] = []
    real_many = confsearch.retrieval.search.Searcher.search_many
    real_one = confsearch.retrieval.search.Searcher.search

    def many(self, queries, *args, **kwargs):
        asked.extend(queries)
        release.wait(PATIENCE)
        return real_many(self, queries, *args, **kwargs)

    def one(self, *args, **kwargs):
        release.wait(PATIENCE)
        return real_one(self, *args, **kwargs)

    monkeypatch.setattr(confsearch.retrieval.search.Searcher, "search_many", many)
    monkeypatch.setattr(confsearch.retrieval.search.Searcher, "search", one)
    return release, asked


def _until(condition, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def test_a_brief_over_the_cost_budget_is_refused_at_once(fake_env, monkeypatch):
    _, asked = _blocking_searches(monkeypatch)
    with TestClient(api.create_app(Settings.from_env())) as c:
        wait_ready(c)
        r = c.post("/brief", json={"questions": [f"fråga {i}" for i in range(20)], "k": 100})
    assert r.status_code == 413, r.text
    assert r.json()["error"].startswith("Anteckningen blir för stor: 20 frågor × 100 stycken")
    assert asked == []  # refused before any work


def test_work_stops_when_its_client_has_gone(fake_env, monkeypatch):
    """A 20-question note whose client disconnects after the first question is asked:
    the remaining questions are never searched."""
    release, asked = _blocking_searches(monkeypatch)
    app = api.create_app(Settings.from_env())
    body = json.dumps({"questions": [f"cykel {i}" for i in range(20)], "k": 5}).encode()
    sent: list[dict] = []

    async def call() -> None:
        disconnected = asyncio.Event()
        first = True

        async def receive():
            nonlocal first
            if first:
                first = False
                return {"type": "http.request", "body": body, "more_body": False}
            await disconnected.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        async def leave():
            while not asked:
                await asyncio.sleep(0.02)
            disconnected.set()

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/brief",
            "raw_path": b"/brief",
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
            "client": ("10.0.0.9", 5555),
            "server": ("127.0.0.1", 8600),
        }
        await asyncio.gather(app(scope, receive, send), leave())

    with TestClient(app) as c:
        wait_ready(c)
        asyncio.run(call())  # answered (499) while the first question still runs
        release.set()
        # the slot is given back once the thread has really stopped
        _until(lambda: not app.state.admission._running, "the brief kept its slot")
    assert asked == ["cykel 0"]
    assert sent and sent[0]["status"] == 499


def test_expensive_requests_are_limited_per_client_with_a_429(fake_env, monkeypatch):
    release, asked = _blocking_searches(monkeypatch)
    with TestClient(api.create_app(Settings.from_env())) as c:
        wait_ready(c)
        results: list = []

        def one():
            results.append(c.post("/brief", json={"questions": [QUESTION]}))

        threads = [threading.Thread(target=one) for _ in range(apiguard.PER_CLIENT)]
        for t in threads:
            t.start()
        _until(lambda: len(asked) == apiguard.PER_CLIENT, "the notes did not start")
        r = c.post("/brief", json={"questions": [QUESTION]})
        release.set()
        for t in threads:
            t.join(PATIENCE)
        after = c.post("/brief", json={"questions": [QUESTION]})
    assert r.status_code == 429 and r.headers["retry-after"] == str(apiguard.RETRY_AFTER)
    assert "tunga förfrågningar" in r.json()["error"]
    assert [x.status_code for x in results] == [200] * apiguard.PER_CLIENT
    assert after.status_code == 200


def test_health_is_degraded_while_saturated_and_recovers(fake_env, monkeypatch):
    release, _ = _blocking_searches(monkeypatch)
    with TestClient(api.create_app(Settings.from_env()), raise_server_exceptions=False) as c:
        wait_ready(c)
        threads = [
            threading.Thread(target=c.get, args=("/search",), kwargs={"params": {"q": QUESTION}})
            for _ in range(api.WORKERS + 2)
        ]
        for t in threads:
            t.start()
        _until(lambda: c.get("/health").status_code == 503, "health stayed ready")
        during = c.get("/health")
        release.set()
        for t in threads:
            t.join(PATIENCE)
        _until(lambda: c.get("/health").status_code == 200, "health did not recover")
        after = c.get("/health").json()
    assert during.json()["state"] == "degraded" and during.json()["ready"] is False
    assert during.json()["error"] == apiguard.SATURATED
    assert during.json()["version"] is not None  # it still says what it serves
    assert after["state"] == "ready" and after["error"] is None


def test_health_is_degraded_after_a_timeout_until_a_request_succeeds(fake_env, monkeypatch):
    release, _ = _blocking_searches(monkeypatch)
    app = api.create_app(Settings.from_env().with_(api_timeout=0.5))
    with TestClient(app) as c:
        wait_ready(c)
        assert c.get("/search", params={"q": QUESTION}).status_code == 504
        degraded = c.get("/health")
        release.set()
        assert c.get("/search", params={"q": QUESTION}).status_code == 200
        recovered = c.get("/health")
    assert degraded.status_code == 503 and degraded.json()["error"] == apiguard.TIMING_OUT
    assert recovered.status_code == 200 and recovered.json()["ready"] is True


def test_an_index_error_is_a_503_and_health_says_why_until_a_search_succeeds(fake_env, monkeypatch):
    """Finding 5: another instance dropped the version this one searched; the search was a
    500 and /health said ready."""
    from confsearch.retrieval.store import IndexError_

    gone = "Den här indexversionen har ersatts av en nyare och finns inte längre i databasen."
    broken = {"on": True}
    real = confsearch.retrieval.search.Searcher.search

    def search(self, *args, **kwargs):
        if broken["on"]:
            raise IndexError_(gone)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(confsearch.retrieval.search.Searcher, "search", search)
    with TestClient(api.create_app(Settings.from_env()), raise_server_exceptions=False) as c:
        wait_ready(c)
        r = c.get("/search", params={"q": QUESTION})
        during = c.get("/health")
        broken["on"] = False
        assert c.get("/search", params={"q": QUESTION}).status_code == 200
        after = c.get("/health")
    assert r.status_code == 503 and r.json()["error"] == gone
    assert during.status_code == 503 and during.json()["error"] == gone
    assert during.json()["state"] == "degraded"
    assert after.status_code == 200


def test_a_probe_result_nobody_asked_for_lately_is_refreshed_first():
    state = {"now": "Databasen svarar inte."}
    probe = apiguard.Probe(lambda: state["now"], hanging="hänger", every=0.05, patience=PATIENCE)
    assert probe.problem() == "Databasen svarar inte."
    state["now"] = None
    time.sleep(0.2)  # older than two periods: not trusted
    assert probe.problem() is None


JSON = {"content-type": "application/json"}


def test_a_body_that_is_not_utf8_gets_a_clear_swedish_400(fake_env):
    with TestClient(api.create_app(Settings.from_env())) as c:
        wait_ready(c)
        r = c.post("/brief", content=b'{"questions": ["\xff\xfe"]}', headers=JSON)
    assert r.status_code == 400
    assert r.json()["error"] == apidocs.STATUS_MESSAGES[400]
    assert "HTTP 400" not in r.text


# ---------------------------------------------------------------- serve's HTTP reading


# serve's read timeout in these tests: short where the test waits for the cut-off, and
# PATIENCE where a whole request must not be cut off however slow the machine is.
CUT_OFF_SOON = 0.3


@pytest.fixture
def guarded_server(request, monkeypatch):
    """uvicorn with serve's protocol over a tiny app, on 127.0.0.1, with the read timeout
    given by indirect parametrisation (CUT_OFF_SOON by default)."""
    monkeypatch.setattr(apiserver, "READ_TIMEOUT", getattr(request, "param", CUT_OFF_SOON))

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        more = True
        while more:
            message = await receive()
            more = message.get("more_body", False)
        headers = [(b"content-length", b"2")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    sock = socket.create_server(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="critical", http=apiserver.GuardedH11Protocol)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    _until(lambda: server.started, "uvicorn did not start")
    yield sock.getsockname()[:2]
    server.should_exit = True
    thread.join(PATIENCE)


def _read_all(conn: socket.socket) -> bytes:
    conn.settimeout(PATIENCE)
    out = b""
    while chunk := conn.recv(65536):
        out += chunk
    return out


def _body(response: bytes) -> dict:
    return json.loads(response.split(b"\r\n\r\n", 1)[1])


def test_unfinished_headers_are_cut_off_with_a_swedish_408(guarded_server):
    with socket.create_connection(guarded_server) as conn:
        conn.sendall(b"GET /search?q=cykel HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        response = _read_all(conn)  # the server closes; before the fix this never came
    assert response.startswith(b"HTTP/1.1 408 ")
    assert _body(response) == {"error": apiserver.TOO_SLOW}


def test_an_unfinished_body_is_cut_off_too(guarded_server):
    with socket.create_connection(guarded_server) as conn:
        conn.sendall(b"POST /brief HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        response = _read_all(conn)
    assert response.startswith(b"HTTP/1.1 408 ")


def test_a_silent_connection_is_closed(guarded_server):
    with socket.create_connection(guarded_server) as conn:
        assert _read_all(conn).startswith(b"HTTP/1.1 408 ")


@pytest.mark.parametrize("guarded_server", [PATIENCE], indirect=True)
def test_a_bad_request_line_gets_swedish_json(guarded_server):
    with socket.create_connection(guarded_server) as conn:
        conn.sendall(b"GARBAGE\r\n\r\n")
        response = _read_all(conn)
    assert response.startswith(b"HTTP/1.1 400 ")
    assert _body(response) == {"error": apiserver.BAD_REQUEST}
    assert b"Invalid HTTP request" not in response


def test_uvicorns_own_warning_is_logged_in_swedish():
    record = logging.LogRecord(
        "uvicorn.error", logging.WARNING, "", 0, "Invalid HTTP request received.", (), None
    )
    assert apiserver.SwedishLog().filter(record)
    assert record.getMessage() == apiserver.LOGGED_BAD_REQUEST


@pytest.mark.parametrize("guarded_server", [PATIENCE], indirect=True)
def test_a_whole_request_is_answered_and_keep_alive_still_works(guarded_server):
    with socket.create_connection(guarded_server) as conn:
        conn.settimeout(PATIENCE)
        for _ in range(2):
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            response = b""
            while not response.endswith(b"ok"):
                response += conn.recv(65536)
            assert response.startswith(b"HTTP/1.1 200 ")


def test_a_docx_note_with_control_characters_is_a_word_file(fake_env):
    """Finding 13: a pinned passage's question went unclean into the Word file's core
    properties, and the API answered 500."""
    import io

    import docx

    with TestClient(api.create_app(Settings.from_env()), raise_server_exceptions=False) as c:
        wait_ready(c)
        hit = c.get("/search", params={"q": QUESTION, "k": 1}).json()["hits"][0]
        pinned = [
            {"passage_id": hit["passage_id"], "question": "cykel\x01\x0b?", "comment": "a\x02"}
        ]
        body = {"questions": ["cykelbibliotek\x1f"], "pinned": pinned}
        r = c.post("/brief?format=docx", json=body)
    assert r.status_code == 200, r.text
    document = docx.Document(io.BytesIO(r.content))
    assert "\x01" not in document.core_properties.comments
    assert any("cykel" in p.text for p in document.paragraphs)
