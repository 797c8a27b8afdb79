"""PostgreSQL faults (issue 27, findings 5, 6 and 7): every database error is a Swedish
503 (never a 500), statements have a time limit, a failed first load recovers by itself,
reserved schema names and malformed URLs are refused without showing a password, and a
shared index belongs to the model it was built with.

Real PostgreSQL (the embedded server of tests/conftest.py), the fake model. No latency is
asserted; waits are for events with generous limits."""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

import confsearch.embedding.model
import embed
from confsearch import cli
from confsearch.api import app as api
from confsearch.retrieval import service
from confsearch.retrieval.store import IndexError_
from confsearch.retrieval.store.postgres import PostgresStore
from confsearch.settings import Settings
from tests.api.test_api import QUESTION
from tests.conftest import REAL_CORPUS, FakeEmbedder

PATIENCE = 120  # seconds


def _until(condition, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _fake_models(monkeypatch) -> None:
    def embedder(settings):
        return FakeEmbedder(name=settings.model)

    monkeypatch.setattr(confsearch.embedding.model, "load_embedder", embedder)
    monkeypatch.setattr(confsearch.embedding.model, "load_query_embedder", embedder)


@pytest.fixture
def pg_settings(pg_url, pg_schema, tmp_path, monkeypatch) -> Settings:
    """A corpus indexed into a fresh schema with the fake model."""
    shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    _fake_models(monkeypatch)
    settings = Settings().with_(
        corpus_dir=tmp_path / "corpus",
        index_dir=tmp_path / "unused",
        database_url=pg_url,
        database_schema=pg_schema,
        model="fake-model",
    )
    service.refresh_index(settings)
    return settings


def _ready(c: TestClient) -> dict:
    _until(lambda: c.get("/health").status_code == 200, "the API did not get ready")
    return c.get("/health").json()


# ---------------------------------------------------------------- configuration


@pytest.mark.parametrize(
    "schema", ["pg_foo", "pg_temp", "PG_TOAST", "public", "information_schema"]
)
def test_reserved_schema_names_are_refused_at_start(schema, capsys, monkeypatch):
    with pytest.raises(IndexError_, match="Schemanamnet"):
        PostgresStore("postgresql://u@127.0.0.1:1/db", schema)
    monkeypatch.setenv("CONFSEARCH_DATABASE_URL", "postgresql://u@127.0.0.1:1/db")
    monkeypatch.setenv("CONFSEARCH_DATABASE_SCHEMA", schema)
    code = cli.main(["search", "cykel"])
    err = capsys.readouterr().err
    assert code != 0 and "Schemanamnet" in err and "Traceback" not in err


def test_a_malformed_url_is_refused_without_its_password(capsys, monkeypatch):
    monkeypatch.setenv("CONFSEARCH_DATABASE_URL", "postgresql://anna:hemligt99@db/x?bad=1")
    code = cli.main(["search", "cykel"])
    out = capsys.readouterr()
    assert code != 0 and "CONFSEARCH_DATABASE_URL går inte att tolka" in out.err
    assert "hemligt99" not in out.err + out.out and "Traceback" not in out.err


# ---------------------------------------------------------------- errors as 503


def test_a_locked_table_is_a_swedish_503_within_the_lock_timeout(pg_settings):
    with TestClient(api.create_app(pg_settings), raise_server_exceptions=False) as c:
        version = _ready(c)["version"]
        assert c.get("/search", params={"q": QUESTION}).status_code == 200
        with psycopg.connect(pg_settings.database_url, autocommit=True) as locker:
            table = locker.execute(
                sql.SQL("SELECT passage_table FROM {}.index_version WHERE name = %s").format(
                    sql.Identifier(pg_settings.database_schema)
                ),
                (version,),
            ).fetchone()[0]
            with locker.transaction():
                locker.execute(
                    sql.SQL("LOCK TABLE {}.{} IN ACCESS EXCLUSIVE MODE").format(
                        sql.Identifier(pg_settings.database_schema), sql.Identifier(table)
                    )
                )
                r = c.get("/search", params={"q": QUESTION})
        after = c.get("/search", params={"q": QUESTION})
    assert r.status_code == 503, r.text
    assert "svarade inte i tid" in r.json()["error"] and r.headers["retry-after"]
    assert after.status_code == 200


def test_a_role_without_grants_recovers_once_granted(pg_settings, monkeypatch):
    """serve used to say "laddas" for ever; now it says why and retries."""
    monkeypatch.setattr(service, "RETRY_SECONDS", 0.2)
    role = f"r_{uuid.uuid4().hex[:8]}"
    schema = sql.Identifier(pg_settings.database_schema)
    with psycopg.connect(pg_settings.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        try:
            url = pg_settings.database_url.replace("postgres@", f"{role}@")
            limited = pg_settings.with_(database_url=url)
            with TestClient(api.create_app(limited), raise_server_exceptions=False) as c:
                _until(lambda: c.get("/health").json()["state"] == "failed", "no failure")
                failed = c.get("/health").json()
                admin.execute(
                    sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, sql.Identifier(role))
                )
                admin.execute(
                    sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
                        schema, sql.Identifier(role)
                    )
                )
                info = _ready(c)
                r = c.get("/search", params={"q": QUESTION})
        finally:
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
    assert "behörighet" in failed["error"], failed
    assert info["ready"] and r.status_code == 200


# ---------------------------------------------------------------- model ownership


def test_a_shared_index_belongs_to_its_model(pg_settings, capsys, monkeypatch):
    store = PostgresStore(pg_settings.database_url, pg_settings.database_schema)
    before = store.current_version()
    other = pg_settings.with_(model="annan-modell")
    with pytest.raises(service.ModelOwned, match="byggt med modellen fake-model"):
        service.refresh_index(other)
    with pytest.raises(service.ModelOwned):
        service.open_searcher(other)
    assert store.current_version() == before  # nothing rebuilt
    # the CLI says so in Swedish, without a traceback, and rebuilds nothing
    monkeypatch.setenv("CONFSEARCH_DATABASE_URL", pg_settings.database_url)
    monkeypatch.setenv("CONFSEARCH_DATABASE_SCHEMA", pg_settings.database_schema)
    monkeypatch.setenv("CONFSEARCH_CORPUS", str(pg_settings.corpus_dir))
    code = cli.main(["search", "--model", "annan-modell", "cykel"])
    err = capsys.readouterr().err
    assert code != 0 and "--change-model" in err and "Traceback" not in err
    assert store.current_version() == before
    # embed.py refuses too, and changes the model only when asked to
    monkeypatch.setenv("CONFSEARCH_MODEL", "annan-modell")
    assert embed.main([]) == 2
    assert "--change-model" in capsys.readouterr().err
    assert store.current_version() == before
    assert embed.main(["--change-model"]) == 0
    assert store.read_manifest().model == "annan-modell"


def test_a_serving_instance_keeps_its_version_when_another_model_takes_over(pg_settings):
    live = service.LiveSearcher(pg_settings, check_seconds=0.0)
    with TestClient(api.create_app(pg_settings, live=live)) as c:
        version = _ready(c)["version"]
        service.refresh_index(pg_settings.with_(model="annan-modell"), change_model=True)
        _until(lambda: c.get("/health").json()["warnings"], "no warning")
        health = c.get("/health").json()
        r = c.get("/search", params={"q": QUESTION})
    assert health["version"] == version and "byggt med modellen" in health["warnings"][0]
    assert r.status_code == 200


# ---------------------------------------------------------------- the server stopped


@pytest.mark.process
def test_a_stopped_server_is_a_swedish_503_and_serving_recovers(tmp_path, monkeypatch):
    from confsearch.devtools.pgserver import LocalServer

    # Not under pytest's tmp_path: other pytest sessions reset its parent to 0700, which the
    # server's service user could then not enter on restart.
    data = Path(tempfile.mkdtemp(prefix="confsearch-pgtest-"))
    server = LocalServer(data / "pgdata").start()
    try:
        shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
        _fake_models(monkeypatch)
        settings = Settings().with_(
            corpus_dir=tmp_path / "corpus",
            database_url=server.url(),
            model="fake-model",
        )
        service.refresh_index(settings)
        with TestClient(api.create_app(settings), raise_server_exceptions=False) as c:
            _ready(c)
            server.stop()
            r = c.get("/search", params={"q": QUESTION})
            health = c.get("/health").json()  # at once: no stale "ready"
            server.start()
            _until(
                lambda: c.get("/search", params={"q": QUESTION}).status_code == 200,
                "searching did not recover",
            )
            _until(lambda: c.get("/health").status_code == 200, "health did not recover")
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
    assert r.status_code == 503 and "Databasen" in r.json()["error"], r.text
    assert health["state"] == "degraded" and "Databasen" in health["error"]


def test_every_pooled_connection_has_statement_and_lock_timeouts(pg_settings):
    store = PostgresStore(pg_settings.database_url, pg_settings.database_schema)
    with store.connection() as conn:
        timeout = conn.execute("SHOW statement_timeout").fetchone()[0]
        lock = conn.execute("SHOW lock_timeout").fetchone()[0]
    assert timeout == "10s" and lock == "5s"
