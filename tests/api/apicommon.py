"""What the API tests share: the ready wait, the CLI's JSON for a search, the questions
and the bad-query check every front end gets."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient

from confsearch import cli
from confsearch.api import app as api
from confsearch.query import clean_query
from confsearch.settings import Settings
from tests.bad_queries import BAD_QUERIES, REFUSED

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


def cli_args(query: str, params: dict) -> list[str]:
    args = [query]
    for name, value in params.items():
        args += [f"--{name}", str(value)]
    return args


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


@contextmanager
def ready_client() -> Iterator[TestClient]:
    """A client of an API made from the current environment, once it is ready."""
    with TestClient(api.create_app(Settings.from_env()), raise_server_exceptions=False) as c:
        wait_ready(c)
        yield c


def check_search_is_the_cli_json(client: TestClient, capsys, query: str, params: dict) -> None:
    """``/search`` gives exactly what ``search --json`` writes for the same question."""
    r = client.get("/search", params={"q": query, **params})
    assert r.status_code == 200, r.text
    assert dumped(r.json()) == dumped(cli_json(capsys, *cli_args(query, params)))
