"""One base error (confsearch.errors): every front end shows its Swedish message with its
exit code or HTTP status, so a new error needs no new ``except`` anywhere (issue 26)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest

import confsearch.retrieval.search
from confsearch import cli, markup
from confsearch.api import app as api
from confsearch.api.notes import NotesApiError
from confsearch.devtools.pgserver import ServerError
from confsearch.embedding.model import ModelError
from confsearch.errors import ConfsearchError, UserError
from confsearch.notes import NOTE_NOT_FOUND, NoteNotFound, NotesError
from confsearch.reading.corpusfiles import CorpusFileError
from confsearch.reading.docmeta import SidecarError
from confsearch.reading.uploads import UploadError
from confsearch.retrieval.buildguard import CorpusShrank
from confsearch.retrieval.search import QueryError
from confsearch.retrieval.service import ModelOwned, WriteFailed
from confsearch.retrieval.store import BuildLocked, IndexError_
from confsearch.retrieval.store.folder import NotAnIndexFolder
from confsearch.settings import PROJECT_ROOT, Settings
from tests.api.test_api import wait_ready
from tests.page_driver import RUN_TIMEOUT

MESSAGE = "Tjänsten har inget att säga om det här just nu."


class Teapot(ConfsearchError):
    """A new error: it chooses its own code and status, and no front end names it."""

    exit_code = 7
    http_status = 418


@pytest.mark.parametrize(
    "error",
    [
        QueryError,
        UserError,
        ModelError,
        IndexError_,
        BuildLocked,
        WriteFailed,
        ModelOwned,
        NotAnIndexFolder,
        CorpusShrank,
        UploadError,
        CorpusFileError,
        SidecarError,
        NotesError,
        NoteNotFound,
        ServerError,
    ],
)
def test_every_error_meant_for_the_user_has_the_one_base(error):
    assert issubclass(error, ConfsearchError)


def test_exit_codes_and_statuses_are_those_the_front_ends_used_before():
    assert QueryError("x").exit_code == 1 and QueryError("x").http_status == 400
    for error in (UserError, ModelError, IndexError_, CorpusFileError):
        assert error("x").exit_code == 2
    assert IndexError_("x").http_status == 503 and NotesError("x").http_status == 503
    assert NoteNotFound("abc").http_status == 404 and NoteNotFound("abc").message == NOTE_NOT_FOUND
    assert NotesApiError(409, "x").http_status == 409 and api.ApiError(429, "x").http_status == 429
    # the built-in bases stay: code that catches ValueError or KeyError still does
    assert isinstance(QueryError("x"), ValueError) and isinstance(NoteNotFound("a"), KeyError)


def test_code_and_status_can_be_chosen_per_error():
    error = QueryError(MESSAGE, exit_code=3, http_status=404)
    assert (error.message, error.exit_code, error.http_status) == (MESSAGE, 3, 404)
    assert QueryError(MESSAGE).exit_code == 1  # the class's own values are untouched


def test_the_cli_prints_the_message_and_returns_the_exit_code(monkeypatch, capsys):
    def refuse(args):
        raise Teapot(MESSAGE)

    monkeypatch.setattr(cli, "cmd_documents", refuse)
    assert cli.main(["documents"]) == 7
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"Fel: {MESSAGE}\n")


def test_the_cli_keeps_exit_code_1_for_a_refused_question(capsys):
    assert cli.main(["ask", "   "]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fel: ") and err.count("\n") == 1 and "Error" not in err


def test_the_api_answers_the_status_and_message_in_its_error_shape(fake_env, monkeypatch):
    def refuse(*args, **kwargs):
        raise Teapot(MESSAGE)

    monkeypatch.setattr(confsearch.retrieval.search.Searcher, "search", refuse)
    with TestClient(api.create_app(Settings.from_env()), raise_server_exceptions=False) as c:
        wait_ready(c)
        r = c.get("/search", params={"q": "Vilken region har ett cykelbibliotek?"})
    assert r.status_code == 418
    assert r.json() == {"error": MESSAGE}


def test_the_page_shows_the_message(monkeypatch, tmp_path):
    def refuse(settings):
        raise Teapot(MESSAGE)

    monkeypatch.setenv("CONFSEARCH_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("CONFSEARCH_INDEX", str(tmp_path / "index"))
    monkeypatch.setattr("confsearch.web.pagecache.needs_build", refuse)
    page = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=RUN_TIMEOUT).run()
    assert [e.value for e in page.error] == [markup.md_escape(MESSAGE)]
    assert not page.exception
