"""The HTTP API: in-process through starlette's TestClient (fake model for the unit tier,
the real model for the answers that must equal the CLI's), one real ``serve`` process for
the smoke test and concurrent clients (identical answers and no errors; the acceptance
load of 20 clients × 50 requests and its latency are ``bench/api.py``'s), and
``/docs`` in headless Chromium (offline: Swagger UI comes from a local package).

The bad-input list is the CLI's and the page's (tests/bad_queries.py)."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import confsearch.embedding.model
import confsearch.retrieval.search
from bench.api import REQUESTS, api_server, reference, run_load
from confsearch import cli
from confsearch.api import app as api
from confsearch.api import docs as apidocs
from confsearch.retrieval import service
from confsearch.retrieval.index import build_index
from confsearch.settings import DEFAULT_MODEL, Settings
from tests.api.apicommon import (
    QUESTION,
    SEARCHES,
    check_bad_query,
    check_search_is_the_cli_json,
    cli_json,
    dumped,
    ready_client,
    wait_ready,
)
from tests.bad_queries import BAD_QUERIES, REFUSED
from tests.conftest import FakeEmbedder

# ---------------------------------------------------------------- fixtures


@pytest.fixture
def real_client(real_env):
    with ready_client() as c:
        yield c


# ---------------------------------------------------------------- same answers as the CLI


@pytest.mark.parametrize(("query", "params"), SEARCHES)
def test_search_is_the_cli_json_object_with_the_real_model(real_client, capsys, query, params):
    check_search_is_the_cli_json(real_client, capsys, query, params)


def test_ask_regions_and_brief_are_the_cli_answers(real_client, real_env, capsys, tmp_path):
    for question in (
        QUESTION,
        "Vad sa Mona Karila?",
        "Finns det en region som bygger rymdraketer?",
    ):
        body = real_client.get("/ask", params={"q": question}).json()
        assert cli.main(["ask", question]) == 0
        assert body["text"] == capsys.readouterr().out.rstrip("\n")
        assert body["query"] == question and len(body["hits"]) == 5
        cited = {s["citation"] for s in body["sentences"]}
        assert cited <= {h["rank"] for h in body["hits"]}
    body = real_client.get("/regions", params={"q": "cykling"}).json()
    assert cli.main(["regions", "cykling"]) == 0
    listing = capsys.readouterr().out
    assert body["regions"] and body["message"] is None
    for i, r in enumerate(body["regions"], 1):
        assert f"{i}. {r['region']}  (poäng {r['score']:.2f}, {r['passages']} " in listing
    questions = [QUESTION, "Hur använder Region Sörmland persona-hushåll?"]
    note = real_client.post("/brief", json={"questions": questions}).json()
    assert cli.main(["brief", *questions, "--out", str(tmp_path / "n.md")]) == 0
    assert note["markdown"] == (tmp_path / "n.md").read_text(encoding="utf-8")
    assert note["items"] and note["questions"] == questions


# ---------------------------------------------------------------- the shared bad-input list


@pytest.mark.parametrize("kind", BAD_QUERIES)
def test_bad_query_with_the_real_model(real_client, kind):
    check_bad_query(real_client, kind)


# ---------------------------------------------------------------- limits and errors


def test_timeout_is_a_504(fake_env, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(
        confsearch.retrieval.search.Searcher, "search", lambda *a, **k: release.wait(30)
    )
    app = api.create_app(Settings.from_env().with_(api_timeout=0.5))
    with TestClient(app) as c:
        wait_ready(c)
        t0 = time.monotonic()
        r = c.get("/search", params={"q": QUESTION})
        release.set()
    assert r.status_code == 504 and time.monotonic() - t0 < 25
    assert r.json() == {
        "error": "Förfrågan tog längre tid än 0,5 s och avbröts. Försök igen om en stund."
    }


def test_an_unexpected_error_is_a_500_without_details(fake_env, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("hemlig intern sökväg /srv/x")

    monkeypatch.setattr(confsearch.retrieval.search.Searcher, "search", broken)
    with TestClient(api.create_app(Settings.from_env()), raise_server_exceptions=False) as c:
        wait_ready(c)
        r = c.get("/search", params={"q": QUESTION})
    assert r.status_code == 500 and r.json() == {"error": api.INTERNAL}
    assert "hemlig" not in r.text and "Traceback" not in r.text


# ---------------------------------------------------------------- loading and new versions


def test_not_ready_is_a_503_until_the_index_is_loaded(fake_env, monkeypatch):
    loaded = threading.Event()
    real_open = service.open_searcher

    def slow_open(*args, **kwargs):
        loaded.wait(60)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(service, "open_searcher", slow_open)
    with TestClient(api.create_app(Settings.from_env())) as c:
        r = c.get("/search", params={"q": QUESTION})
        assert r.status_code == 503 and r.headers["retry-after"] == "5"
        assert r.json() == {"error": api.NOT_READY}
        health = c.get("/health")
        assert health.status_code == 503 and health.json()["ready"] is False
        assert health.json()["error"] == api.NOT_READY
        loaded.set()
        info = wait_ready(c)
        assert info["ready"] and info["backend"] == "files" and info["passages"] > 10
        assert info["model"] == "fake-model" and info["version"].startswith("v-")
        assert c.get("/search", params={"q": QUESTION}).status_code == 200


def test_no_index_is_a_503_that_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(
        confsearch.embedding.model, "load_query_embedder", lambda settings: FakeEmbedder()
    )
    settings = Settings().with_(corpus_dir=tmp_path / "ingen-korpus", index_dir=tmp_path / "i")
    with TestClient(api.create_app(settings)) as c:
        deadline = time.monotonic() + 60
        while c.get("/health").json()["error"] == api.NOT_READY and time.monotonic() < deadline:
            time.sleep(0.05)
        health = c.get("/health")
        r = c.get("/search", params={"q": QUESTION})
    assert health.status_code == 503 and "Det finns inget index" in health.json()["error"]
    assert r.status_code == 503 and r.json()["error"] == health.json()["error"]


def test_a_latin1_file_name_is_answered_normally(fake_env):
    """Issue 27, finding 2: one file whose name is not UTF-8 gave 503 to everything."""
    name = os.fsdecode(b"F\xf6rslag om busstrafik.txt")
    text = "Region Skåne föreslog nya busslinjer mellan byarna och Malmö."
    (fake_env / "corpus" / name).write_text(text, encoding="utf-8")
    with TestClient(api.create_app(Settings.from_env())) as c:
        wait_ready(c)
        r = c.get("/search", params={"q": "busslinjer Malmö", "k": 1})
    assert r.status_code == 200
    assert r.json()["hits"][0]["source"] == "corpus/F\ufffdrslag om busstrafik.txt"


def _add_bus_session(corpus: Path) -> None:
    (corpus / "buss.md").write_text(
        "# Trafikdag\n\n## Bussar i Skåne\n\nRegion Skåne berättade om nya busslinjer "
        "mellan byarna och om pendling till Malmö.\n",
        encoding="utf-8",
    )


def test_a_new_index_version_is_served_without_restart(fake_env):
    settings = Settings.from_env()
    live = service.LiveSearcher(settings, check_seconds=0.0)
    with TestClient(api.create_app(settings, live=live)) as c:
        before = wait_ready(c)["version"]
        first = c.get("/search", params={"q": "busslinjer Malmö", "k": 1}).json()
        assert first["hits"][0]["session"] != "Bussar i Skåne"
        _add_bus_session(fake_env / "corpus")
        build_index(fake_env / "corpus", fake_env / "index", FakeEmbedder())
        deadline = time.monotonic() + 60
        while c.get("/health").json()["version"] == before and time.monotonic() < deadline:
            time.sleep(0.05)
        hit = c.get("/search", params={"q": "busslinjer Malmö", "k": 1}).json()["hits"][0]
        assert hit["session"] == "Bussar i Skåne"
        # A version built with another model is refused; the loaded one keeps answering.
        now = c.get("/health").json()["version"]
        build_index(fake_env / "corpus", fake_env / "index", FakeEmbedder(name="annan-modell"))
        while not c.get("/health").json()["warnings"] and time.monotonic() < deadline:
            time.sleep(0.05)
        health = c.get("/health").json()
        assert health["version"] == now and health["ready"]
        assert "En ny indexversion kunde inte laddas" in health["warnings"][0]
        assert c.get("/search", params={"q": "busslinjer"}).status_code == 200


# ---------------------------------------------------------------- notes


# ---------------------------------------------------------------- the contract and the docs


# ---------------------------------------------------------------- the serve command


def test_serve_refuses_a_port_in_use_in_swedish(capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"Kan inte lyssna på 127.0.0.1:{port}: porten används redan." in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--port", "70000"], "porten måste vara mellan 0 och 65535 (fick 70000)"),
        (["serve", "--port", "http"], "«http» är inget portnummer"),
        (["serve", "--timeout", "0"], "tiden måste vara mellan 0,1 och 3600 s (fick 0)"),
        (["serve", "--timeout", "nan"], "tiden måste vara mellan 0,1 och 3600 s (fick nan)"),
    ],
)
def test_serve_argument_errors_are_swedish(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2 and message in capsys.readouterr().err


# ---------------------------------------------------------------- real processes


@pytest.fixture(scope="module")
def served(real_index, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with api_server(real_index / "corpus", real_index / "index", log) as (url, _):
        yield url


def _get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=300) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


@pytest.mark.process
def test_serve_in_a_real_process(real_index, real_env, tmp_path, capsys):
    log = tmp_path / "serve.log"
    with api_server(real_index / "corpus", real_index / "index", log) as (url, proc):
        status, health = _get_json(f"{url}/health")
        assert status == 200 and health["ready"] and health["model"] == DEFAULT_MODEL
        status, body = _get_json(f"{url}/search?" + urllib.parse.urlencode({"q": QUESTION, "k": 3}))
        assert status == 200 and dumped(body) == dumped(cli_json(capsys, QUESTION, "--k", "3"))
        status, body = _get_json(f"{url}/search?q=%3F%21")
        assert status == 400 and body["error"] == REFUSED["punctuation"]
        # The longest query, percent-encoded at 12 bytes a character, still reaches the app.
        longest = "🚲" * apidocs.MAX_QUERY_INPUT
        for q, want in ((longest, REFUSED["emoji-only"]), (longest + "🚲", "Frågan är för lång")):
            status, body = _get_json(f"{url}/search?" + urllib.parse.urlencode({"q": q}))
            assert status in (400, 422) and want in body["error"], (status, body)
        with urllib.request.urlopen(f"{url}/docs", timeout=60) as r:
            assert b"/static-offline-docs/swagger-ui-bundle.js" in r.read()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 130
    out = log.read_text(encoding="utf-8")
    assert f"Konferenssök-API på {url} – dokumentation på {url}/docs" in out
    assert "Indexet är laddat (" in out and "Avbrutet." in out
    assert "Traceback" not in out and "INFO" not in out


@pytest.mark.process
def test_concurrent_clients_get_the_sequential_answers(served):
    """Clients at once get the answers of one-at-a-time calls, no errors: 7 clients (more
    than the API's search threads, so requests queue) × 8 requests cover each of the 50
    requests. The acceptance load, 20 clients × 50 requests, and its latency are
    bench/api.py's (which fails on any error or mismatch)."""
    expected, _ = reference(served)
    assert sum(status == 200 for status, _ in expected.values()) == len(REQUESTS) - 1
    clients, per_client = 7, 8
    assert clients > api.WORKERS
    result = run_load(served, expected, clients=clients, per_client=per_client)
    assert result.errors == [] and result.mismatches == []
    assert len(result.latencies) == result.requests == clients * per_client


@pytest.mark.browser
def test_docs_page_works_offline_in_a_browser(served, tmp_path):
    from tests.browser import chromium_driver, missing_browser, wait

    assert not missing_browser(), "run `make browser`"
    driver = chromium_driver(tmp_path / "profile")
    try:
        driver.get(f"{served}/docs")
        count = "return document.querySelectorAll('.opblock').length"
        wait(driver, lambda d: d.execute_script(count) >= 5, timeout=120)
        assert "Konferenssök API" in driver.find_element("css selector", ".title").text
        paths = driver.execute_script(
            "return [...document.querySelectorAll('.opblock-summary-path')].map(e => e.innerText)"
        )
        assert {"/search", "/ask", "/regions", "/brief", "/health"} <= {p.strip() for p in paths}
    finally:
        driver.quit()
