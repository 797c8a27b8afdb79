"""``/notes`` in the HTTP API (fake model, in-process TestClient): the round trip of the
acceptance — create, pin passages, export .docx, restart the server (a new app on the same
notes database), fetch: all still there — and the Swedish errors."""

from __future__ import annotations

import io
import time

import pytest
from docx import Document
from fastapi.testclient import TestClient

from confsearch.answers.briefing import NoteItem, quote_line
from confsearch.api import app as api
from confsearch.api import notesdocs as notedocs
from confsearch.settings import Settings

READY_TIMEOUT = 300


def wait_ready(client: TestClient) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if client.get("/health").status_code == 200:
            return
        time.sleep(0.05)
    raise AssertionError("the API was not ready")


@pytest.fixture
def settings(fake_env, tmp_path):
    return Settings.from_env().with_(notes_db=tmp_path / "data" / "anteckningar.sqlite3")


def started(settings) -> TestClient:
    client = TestClient(api.create_app(settings), raise_server_exceptions=False)
    client.__enter__()
    wait_ready(client)
    return client


@pytest.fixture
def client(settings):
    c = started(settings)
    yield c
    c.__exit__(None, None, None)


def passages(client: TestClient, q: str, k: int = 5) -> list[dict]:
    hits = client.get("/search", params={"q": q, "k": k}).json()["hits"]
    assert len(hits) == k
    return hits


def test_round_trip_survives_a_restart(settings):
    first = started(settings)
    r = first.post("/notes", json={"name": "Inför nämnden", "heading": "Cykling"})
    assert r.status_code == 201
    note = r.json()
    nid = note["id"]
    notedocs.NoteOut.model_validate(note)
    hits = passages(first, "Vilken region har ett cykelbibliotek?", 3)
    for hit in hits:
        r = first.post(
            f"/notes/{nid}/pins",
            json={"passage_id": hit["passage_id"], "question": "cykelbibliotek"},
        )
        assert r.status_code == 201, r.json()
    ids = [h["passage_id"] for h in hits]
    r = first.put(
        f"/notes/{nid}/pins/{ids[1]}", json={"comment": "Viktigt – ta med", "position": 1}
    )
    assert r.status_code == 200
    assert [i["passage_id"] for i in r.json()["items"]] == [ids[1], ids[0], ids[2]]
    r = first.put(f"/notes/{nid}", json={"intro": "Underlag till mötet.", "name": "Nämnden"})
    assert r.json()["name"] == "Nämnden" and r.json()["intro"] == "Underlag till mötet."

    r = first.get(f"/notes/{nid}/export", params={"format": "docx"})
    assert r.status_code == 200 and r.headers["content-type"] == api.DOCX_TYPE
    assert 'filename="namnden.docx"' in r.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "Cykling" in text and "Viktigt – ta med" in text and "Underlag till mötet." in text
    for hit in hits:
        assert quote_line(hit["text"].splitlines()[0])[:40] in text  # "- " → "– "
    before = first.get(f"/notes/{nid}").json()
    first.__exit__(None, None, None)

    again = started(settings)  # a restarted server: a new app on the same database
    try:
        after = again.get(f"/notes/{nid}")
        assert after.status_code == 200
        assert after.json() == before
        notedocs.NoteOut.model_validate(after.json())
        items = after.json()["items"]
        assert [i["passage_id"] for i in items] == [ids[1], ids[0], ids[2]]
        assert items[0]["comment"] == "Viktigt – ta med" and all(i["in_index"] for i in items)
        assert [i["text"] for i in items] == [hits[1]["text"], hits[0]["text"], hits[2]["text"]]
        assert after.json()["heading"] == "Cykling"
        assert after.json()["questions"] == ["cykelbibliotek"]
        md = again.get(f"/notes/{nid}/export").text
        assert md.startswith("# Cykling") and "Viktigt – ta med" in md
        listed = again.get("/notes").json()["notes"]
        assert [(n["id"], n["name"], n["items"]) for n in listed] == [(nid, "Nämnden", 3)]
    finally:
        again.__exit__(None, None, None)


def test_list_rename_duplicate_delete(client):
    a = client.post("/notes").json()  # no body: a default name
    assert a["name"].startswith("Anteckning ") and a["items"] == []
    hit = passages(client, "cykel", 1)[0]
    client.post(f"/notes/{a['id']}/pins", json={"passage_id": hit["passage_id"], "comment": "k"})
    copy = client.post(f"/notes/{a['id']}/duplicate", json={"name": "Kopian"})
    assert copy.status_code == 201 and copy.json()["name"] == "Kopian"
    notedocs.NoteOut.model_validate(copy.json())  # every field documented (extra="forbid")
    assert copy.json()["items"] == client.get(f"/notes/{a['id']}").json()["items"]
    client.delete(f"/notes/{copy.json()['id']}/pins/{hit['passage_id']}")
    assert len(client.get(f"/notes/{a['id']}").json()["items"]) == 1  # the original stays
    listed = client.get("/notes").json()
    notedocs.NotesOut.model_validate(listed)
    assert [n["id"] for n in listed["notes"]] == [copy.json()["id"], a["id"]]
    assert client.delete(f"/notes/{a['id']}").status_code == 204
    assert client.get(f"/notes/{a['id']}").status_code == 404
    assert [n["id"] for n in client.get("/notes").json()["notes"]] == [copy.json()["id"]]


def test_a_passage_gone_from_the_index_is_marked_and_still_readable(client):
    nid = client.post("/notes", json={"name": "Gammal"}).json()["id"]
    gone = NoteItem(
        passage_id="0000000000000000",
        text="Ett stycke ur en äldre version av texterna.",
        session="Ett borttaget lärpass",
        regions=["Region Gotland"],
        speakers=[],
        source="borta.txt",
        query="",
    )
    client.app.state.notes.edit(nid, lambda s: s.note.add_item(gone))
    item = client.get(f"/notes/{nid}").json()["items"][0]
    assert item["in_index"] is False and item["text"] == gone.text
    assert item["citation"].startswith("Ett borttaget lärpass · Region Gotland")


ERRORS = [
    ("get", "/notes/finnsinteallsxyz", {}, 404, "Anteckningen finns inte"),
    ("delete", "/notes/finnsinteallsxyz", {}, 404, "Anteckningen finns inte"),
    ("put", "/notes/finnsinteallsxyz", {"json": {"name": "x"}}, 404, "Anteckningen finns inte"),
    ("get", "/notes/finnsinteallsxyz/export", {}, 404, "Anteckningen finns inte"),
]


@pytest.mark.parametrize(("method", "url", "kwargs", "status", "message"), ERRORS)
def test_unknown_notes_are_a_swedish_404(client, method, url, kwargs, status, message):
    r = getattr(client, method)(url, **kwargs)
    assert r.status_code == status and set(r.json()) == {"error"}
    assert r.json()["error"].startswith(message)


def test_bad_edits_get_swedish_errors(client):
    nid = client.post("/notes").json()["id"]
    hits = passages(client, "cykel", 2)
    pid = hits[0]["passage_id"]
    r = client.post(f"/notes/{nid}/pins", json={"passage_id": "ffffffffffffffff"})
    assert r.status_code == 404 and "finns inte i sökindexet" in r.json()["error"]
    assert client.post(f"/notes/{nid}/pins", json={"passage_id": pid}).status_code == 201
    r = client.post(f"/notes/{nid}/pins", json={"passage_id": pid})
    assert r.status_code == 409 and "finns redan" in r.json()["error"]
    r = client.put(f"/notes/{nid}", json={"order": [pid, pid]})
    assert r.status_code == 400 and "exakt en gång" in r.json()["error"]
    r = client.put(f"/notes/{nid}/pins/{hits[1]['passage_id']}", json={"comment": "x"})
    assert r.status_code == 404 and "finns inte i anteckningen" in r.json()["error"]
    r = client.put(f"/notes/{nid}", json={"rubrik": "x"})
    assert r.status_code == 422 and r.json() == {"error": "Okänt fält: «rubrik»."}
    r = client.get(f"/notes/{nid}/export", params={"format": "pdf"})
    assert r.status_code == 422 and "docx" in r.json()["error"]
    r = client.post(f"/notes/{nid}/pins", content=b"x", headers={"content-type": "text/plain"})
    assert r.status_code == 415
    # nothing above changed the note
    note = client.get(f"/notes/{nid}").json()
    assert [i["passage_id"] for i in note["items"]] == [pid] and note["revision"] == 2
    other = hits[1]["passage_id"]
    r = client.post(f"/notes/{nid}/pins", json={"passage_id": other, "position": 1})
    assert [i["passage_id"] for i in r.json()["items"]] == [other, pid]
    r = client.put(f"/notes/{nid}", json={"order": [pid, other]})
    assert [i["passage_id"] for i in r.json()["items"]] == [pid, other]


def test_a_broken_notes_file_is_a_swedish_503_without_its_path(fake_env, tmp_path):
    broken = tmp_path / "trasig.sqlite3"
    broken.write_bytes(b"inte en databas" * 100)
    c = started(Settings.from_env().with_(notes_db=broken))
    try:
        r = c.get("/notes")
        assert r.status_code == 503 and set(r.json()) == {"error"}
        assert r.json()["error"].startswith("Anteckningarna kan inte läsas eller sparas")
        assert str(tmp_path) not in r.json()["error"]
        assert c.get("/health").status_code == 200  # search is unaffected
    finally:
        c.__exit__(None, None, None)
