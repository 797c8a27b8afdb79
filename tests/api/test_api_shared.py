"""The API's answers that only read, through one client per module (fake model): the
same JSON as the CLI, Swedish errors for bad requests, the documented models and the
local docs. A module of its own, because its client's fake model and environment are
set for the whole module (``shared_fake_env``): the real-model tests live in
test_api.py."""

from __future__ import annotations

import io
import json

import pytest

from confsearch import cli
from confsearch.api import app as api
from confsearch.api import docs as apidocs
from confsearch.api import requests as apirequests
from tests.api.apicommon import (
    QUESTION,
    SEARCHES,
    check_bad_query,
    check_search_is_the_cli_json,
    dumped,
    ready_client,
)
from tests.bad_queries import BAD_QUERIES


@pytest.fixture(scope="module")
def read_client(shared_fake_env):
    """One client for the module's tests that only read: no test changes its corpus,
    index or settings through it."""
    with ready_client() as c:
        yield c


@pytest.mark.parametrize(("query", "params"), SEARCHES)
def test_search_is_the_cli_json_object(read_client, capsys, query, params):
    check_search_is_the_cli_json(read_client, capsys, query, params)


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


@pytest.mark.parametrize("kind", BAD_QUERIES)
def test_bad_query(read_client, kind):
    check_bad_query(read_client, kind)


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
    assert md.startswith("# Möte # 3\n\n*Anteckning från Konferenssök, ")
    assert md.index("\n\nTill nämnden\n") < md.index("### ")
    assert "*Kommentar:* Läs \\*detta\\* först" in note["markdown"]
    r = read_client.post("/brief?format=docx", json=body)
    assert r.status_code == 200 and r.headers["content-type"] == api.DOCX_TYPE
    assert 'filename="anteckning.docx"' in r.headers["content-disposition"]
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "Möte # 3" in text and "Läs *detta* först" in text and hits[1]["text"][:40] in text


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
