"""The HTTP API: in-process through starlette's TestClient (fake model for the unit tier,
the real model for the answers that must equal the CLI's), one real ``serve`` process for
the smoke test and concurrent clients (identical answers and no errors; the acceptance
load of 20 clients × 50 requests and its latency are ``bench/api.py``'s), and
``/docs`` in headless Chromium (offline: Swagger UI comes from a local package).

The bad-input list is the CLI's and the page's (tests/bad_queries.py)."""

from __future__ import annotations

import io
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
from confsearch.api import requests as apirequests
from confsearch.query import clean_query
from confsearch.retrieval import service
from confsearch.retrieval.index import build_index
from confsearch.settings import DEFAULT_MODEL, Settings
from tests.bad_queries import BAD_QUERIES, REFUSED
from tests.conftest import FakeEmbedder

QUESTION = "Vilken region har ett cykelbibliotek?"
READY_TIMEOUT = 300  # loading the model and index on a busy machine, 5× allowance


def wait_ready(client: TestClient) -> dict:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        r = client.get("/health")
        if r.status_code == 200:
            return r.json()
        assert r.status_code == 503 and r.json()["ready"] is False
        time.sleep(0.05)
    raise AssertionError(f"the API was not ready within {READY_TIMEOUT} s: {r.json()}")


def dumped(obj) -> str:
    """Order-sensitive comparison of JSON objects (dict == ignores key order)."""
    return json.dumps(obj, ensure_ascii=False)


def cli_json(capsys, *argv: str) -> dict:
    code = cli.main(["search", "--json", *argv])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def read_client(shared_fake_env):
    """One client for the module's tests that only read: no test changes its corpus,
    index or settings through it."""
    with TestClient(api.create_app(Settings.from_env()), raise_server_exceptions=False) as c:
        wait_ready(c)
        yield c


@pytest.fixture
def real_client(real_env):
    with TestClient(api.create_app(Settings.from_env()), raise_server_exceptions=False) as c:
        wait_ready(c)
        yield c


# ---------------------------------------------------------------- same answers as the CLI

SEARCHES = [
    (QUESTION, {}),
    ("jämlika livsvillkor", {"k": 3}),
    ("  Vad   är en\tprojektkyrkogård? ", {"k": 1}),  # cleaned as the CLI cleans it
    ("cykel", {"region": "Region Örebro län"}),
    ("cykel", {"region": "örebro", "k": 2}),  # the filter is matched leniently
    ("samverkan", {"session": "Värmland leder tillsammans", "k": 4}),
    ("företag", {"region": "Vinnova", "session": "projektkyrkogårdar"}),
    ("cykelbibliotek", {"k": 100}),
]


def _cli_args(query: str, params: dict) -> list[str]:
    args = [query]
    for name, value in params.items():
        args += [f"--{name}", str(value)]
    return args


@pytest.mark.parametrize(("query", "params"), SEARCHES)
def test_search_is_the_cli_json_object(read_client, capsys, query, params):
    r = read_client.get("/search", params={"q": query, **params})
    assert r.status_code == 200, r.text
    assert dumped(r.json()) == dumped(cli_json(capsys, *_cli_args(query, params)))


@pytest.mark.parametrize(("query", "params"), SEARCHES)
def test_search_is_the_cli_json_object_with_the_real_model(real_client, capsys, query, params):
    r = real_client.get("/search", params={"q": query, **params})
    assert r.status_code == 200, r.text
    assert dumped(r.json()) == dumped(cli_json(capsys, *_cli_args(query, params)))


def test_refused_queries_and_unknown_filters_are_the_cli_error_objects(
    read_client, capsys, monkeypatch
):
    """Exactly what ``search --json`` writes for such a line on stdin, with status 400."""
    lines = ["?!", "cykel"]
    for args in (["--region", "Narnia"], ["--session", "Inget sådant lärpass"], []):
        stdin = io.TextIOWrapper(io.BytesIO("\n".join(lines).encode() + b"\n"), encoding="utf-8")
        monkeypatch.setattr("sys.stdin", stdin)
        assert cli.main(["search", "--json", *args]) == 0
        expected = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        params = dict(zip(args[::2], args[1::2], strict=True))
        for line, want in zip(lines, expected, strict=True):
            r = read_client.get(
                "/search", params={"q": line, **{k[2:]: v for k, v in params.items()}}
            )
            if "error" in want:
                assert r.status_code == 400 and dumped(r.json()) == dumped(want)
            else:
                assert r.status_code == 200 and dumped(r.json()) == dumped(want)


def test_a_region_filter_changes_ask_regions_and_brief(read_client):
    """The API's filters reach confsearch.qa like the CLI's --region (ask, regions and
    brief: new)."""
    only = "Region Gävleborg"
    free = read_client.get("/ask", params={"q": QUESTION}).json()
    r = read_client.get("/ask", params={"q": QUESTION, "region": only})
    assert r.status_code == 200 and r.json()["hits"] and r.json()["hits"] != free["hits"]
    assert {h["region"] for h in r.json()["hits"]} == {only}
    assert {h["region"] for h in free["hits"]} != {only}
    r = read_client.get("/regions", params={"q": "cykel", "region": "Atlantis"})
    assert r.status_code == 400 and "Okänd region" in r.json()["error"]
    r = read_client.post("/brief", json={"questions": [QUESTION], "region": "Atlantis"})
    assert r.status_code == 400 and "Okänd region" in r.json()["error"]
    r = read_client.post("/brief", json={"questions": [QUESTION], "region": only})
    assert r.status_code == 200 and all(only in i["regions"] for i in r.json()["items"])
    apidocs.BriefOut.model_validate(r.json())


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


def check_bad_query(client: TestClient, kind: str) -> None:
    raw = BAD_QUERIES[kind]
    for endpoint in ("/search", "/ask", "/regions"):
        r = client.get(endpoint, params={"q": raw, "k": 3})
        assert "Traceback" not in r.text and r.headers["content-type"] == "application/json"
        body = r.json()
        if kind in REFUSED:
            assert r.status_code == 400, (endpoint, r.text)
            assert body == {"query": raw, "hits": [], "error": REFUSED[kind]}, endpoint
        else:
            assert r.status_code == 200, (endpoint, r.text)
            assert body["query"] == clean_query(raw)
            if endpoint != "/regions":
                assert 1 <= len(body["hits"]) <= 3, endpoint
                assert all(h["text"] and h["source"] for h in body["hits"]), endpoint
    r = client.post("/brief", json={"questions": [QUESTION, raw]})
    if kind in REFUSED:
        assert r.status_code == 400 and r.json() == {"error": f"Fråga 2: {REFUSED[kind]}"}
    else:
        assert r.status_code == 200 and r.json()["markdown"].startswith("# Underlag")


@pytest.mark.parametrize("kind", BAD_QUERIES)
def test_bad_query(read_client, kind):
    check_bad_query(read_client, kind)


@pytest.mark.parametrize("kind", BAD_QUERIES)
def test_bad_query_with_the_real_model(real_client, kind):
    check_bad_query(real_client, kind)


# ---------------------------------------------------------------- limits and errors

LONG = "cykel " * 4001  # 20 005 characters: over the API's input limit
ERRORS = [
    ("GET", "/search", {}, 422, "Parametern «q» saknas."),
    (
        "GET",
        "/search?q=cykel&k=0",
        {},
        422,
        "Parametern k: antalet måste vara mellan 1 och 100 (fick 0).",
    ),
    ("GET", "/search?q=cykel&k=101", {}, 422, "antalet måste vara mellan 1 och 100 (fick 101)"),
    ("GET", "/ask?q=cykel&k=-1", {}, 422, "antalet måste vara mellan 1 och 100 (fick -1)"),
    ("GET", "/regions?q=cykel&k=tre", {}, 422, "Parametern k: «tre» är inget heltal."),
    ("GET", "/search?q=cykel&k=", {}, 422, "Parametern k: «» är inget heltal."),
    ("GET", f"/search?q={LONG}", {}, 422, "Frågan är för lång (högst 20000 tecken)."),
    ("GET", "/search?q=cykel&region=Narnia", {}, 400, "Okänd region eller organisation: «Narnia»."),
    ("GET", "/search?q=cykel&session=Mars", {}, 400, "Okänt lärpass: «Mars»."),
    ("GET", "/sok?q=cykel", {}, 404, "Adressen /sok finns inte. Se /docs för API:ets adresser."),
    ("POST", "/search?q=cykel", {}, 405, "Metoden POST är inte tillåten här (tillåtet: GET)."),
    ("GET", "/brief", {}, 405, "Metoden GET är inte tillåten här (tillåtet: POST)."),
    ("POST", "/brief", {"content": b"{"}, 422, "Innehållet är inte giltig JSON."),
    ("POST", "/brief", {"content": b""}, 422, "Förfrågan saknar innehåll (JSON)."),
    ("POST", "/brief", {"data": {"questions": "a"}}, 415, api.NOT_JSON),
    ("POST", "/brief", {"json": []}, 422, "Innehållet måste vara ett JSON-objekt."),
    ("POST", "/brief", {"json": {}}, 422, "Ange minst en fråga eller ett fäst stycke."),
    ("POST", "/brief", {"json": {"questions": "cykel"}}, 422, "«questions» måste vara en lista."),
    ("POST", "/brief", {"json": {"fragor": ["cykel"]}}, 422, "Okänt fält: «fragor»."),
    (
        "POST",
        "/brief",
        {"json": {"questions": ["a"] * 21}},
        422,
        "«questions» har för många värden (högst 20).",
    ),
    (
        "POST",
        "/brief",
        {"json": {"questions": [LONG]}},
        422,
        "Frågan är för lång (högst 20000 tecken).",
    ),
    (
        "POST",
        "/brief",
        {"json": {"questions": ["a"], "k": 0}},
        422,
        "Fältet k: antalet måste vara mellan 1 och 100 (fick 0).",
    ),
    (
        "POST",
        "/brief",
        {"json": {"pinned": [{"comment": "x"}]}},
        422,
        "Fältet «pinned[0].passage_id» saknas.",
    ),
    (
        "POST",
        "/brief",
        {"json": {"pinned": [{"passage_id": "finns-inte"}]}},
        404,
        "Stycket finns inte i sökindexet (sök igen och fäst det på nytt): «finns-inte».",
    ),
    (
        "POST",
        "/brief?format=pdf",
        {"json": {"questions": ["a"]}},
        422,
        "Parametern «format» måste vara ett av: markdown, docx.",
    ),
    (
        "POST",
        "/brief",
        {"content": b"x" * (apirequests.MAX_BODY_BYTES + 1)},
        413,
        "Förfrågan är för stor (högst 256 KiB).",
    ),
]


@pytest.mark.parametrize(("method", "url", "kwargs", "status", "message"), ERRORS)
def test_bad_requests_get_a_swedish_error(read_client, method, url, kwargs, status, message):
    headers = {"content-type": "application/json"} if "content" in kwargs else None
    r = read_client.request(method, url, headers=headers, **kwargs)
    assert r.status_code == status, r.text
    body = r.json()
    assert message in body["error"], body
    assert set(body) <= {"error", "query", "hits"}  # never FastAPI's English "detail"


def test_a_chunked_body_is_counted_too(read_client):
    def chunks(total: int):
        for _ in range(total // 1024):
            yield b" " * 1024

    r = read_client.post("/brief", content=chunks(apirequests.MAX_BODY_BYTES + 4096))
    assert r.status_code == 413 and r.json() == {"error": apirequests.TOO_LARGE}
    body = json.dumps({"questions": [QUESTION]}).encode()
    json_type = {"content-type": "application/json"}
    r = read_client.post("/brief", content=iter([body[:10], body[10:]]), headers=json_type)
    assert r.status_code == 200, r.text


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


def test_brief_puts_pinned_passages_first_with_comments(read_client):
    hits = read_client.get("/search", params={"q": "jämlika livsvillkor", "k": 2}).json()["hits"]
    first = {"passage_id": hits[1]["passage_id"], "comment": "Läs *detta* först"}
    pinned = [{**first, "question": "jämlikhet"}, {"passage_id": hits[0]["passage_id"]}]
    body = {
        "questions": [QUESTION],
        "heading": "Möte # 3",
        "intro": "Till nämnden",
        "pinned": pinned,
    }
    note = read_client.post("/brief", json=body).json()
    assert [i["passage_id"] for i in note["items"][:2]] == [p["passage_id"] for p in pinned]
    assert (
        note["items"][0]["comment"] == "Läs *detta* först"
        and note["items"][0]["query"] == "jämlikhet"
    )
    assert note["heading"] == "Möte # 3" and note["questions"][0] == QUESTION
    md = note["markdown"]
    # The heading, the note's date line (briefing.py), then the user's own intro.
    assert md.startswith("# Möte \\# 3\n\n*Anteckning från Konferenssök, ")
    assert md.index("\n\nTill nämnden\n") < md.index("### ")
    assert "*Kommentar:* Läs \\*detta\\* först" in note["markdown"]
    r = read_client.post("/brief?format=docx", json=body)
    assert r.status_code == 200 and r.headers["content-type"] == api.DOCX_TYPE
    assert 'filename="anteckning.docx"' in r.headers["content-disposition"]
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "Möte # 3" in text and "Läs *detta* först" in text and hits[1]["text"][:40] in text


# ---------------------------------------------------------------- the contract and the docs


def test_openapi_is_complete_and_swedish(read_client):
    spec = read_client.get("/openapi.json").json()
    assert (
        spec["info"]["title"] == "Konferenssök API"
        and "kommandoraden" in spec["info"]["description"]
    )
    operations = {(m, p): op for p, item in spec["paths"].items() for m, op in item.items()}
    assert set(operations) == {
        *(("get", p) for p in ("/search", "/ask", "/regions", "/health", "/documents")),
        ("post", "/brief"),
        *(("get", p) for p in ("/notes", "/notes/{note_id}", "/notes/{note_id}/export")),
        *(("post", p) for p in ("/notes", "/notes/{note_id}/duplicate", "/notes/{note_id}/pins")),
        *(("put", p) for p in ("/notes/{note_id}", "/notes/{note_id}/pins/{passage_id}")),
        *(("delete", p) for p in ("/notes/{note_id}", "/notes/{note_id}/pins/{passage_id}")),
    }
    for (_, path), op in operations.items():
        assert op["summary"] and op["description"], path
        for param in op.get("parameters", []):
            assert param["description"], (path, param["name"])
        for code, response in op["responses"].items():
            assert response["description"] and "Response" not in response["description"], (
                path,
                code,
            )
    assert {"400", "422", "503", "504"} <= set(operations[("get", "/search")]["responses"])
    assert {"404", "413"} <= set(operations[("post", "/brief")]["responses"])
    text = json.dumps(spec)
    for english in ("Successful Response", "Validation Error", "HTTPValidationError"):
        assert english not in text
    for name, schema in spec["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            if name not in ("NoteItemOut", "BriefOut") or field in ("query", "items", "markdown"):
                assert prop.get("description"), (name, field)


def test_answers_match_the_documented_models(read_client):
    apidocs.SearchOut.model_validate(read_client.get("/search", params={"q": QUESTION}).json())
    apidocs.AskOut.model_validate(read_client.get("/ask", params={"q": QUESTION}).json())
    apidocs.RegionsOut.model_validate(read_client.get("/regions", params={"q": "cykel"}).json())
    apidocs.BriefOut.model_validate(
        read_client.post("/brief", json={"questions": [QUESTION]}).json()
    )
    apidocs.HealthOut.model_validate(read_client.get("/health").json())
    apidocs.ErrorOut.model_validate(read_client.get("/search", params={"q": "?"}).json())


def test_docs_are_served_from_local_files(read_client):
    page = read_client.get("/docs")
    assert page.status_code == 200 and "Konferenssök API" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no CDN
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        r = read_client.get(f"/static-offline-docs/{asset}")
        assert r.status_code == 200 and len(r.content) > 100_000, asset
    redoc = read_client.get("/redoc")
    assert redoc.status_code == 200 and "https://" not in redoc.text


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
