"""PostgreSQL-only guarantees the contract suite cannot show: an ingest killed with SIGKILL
at any moment leaves the previous version live and intact, readers never see an error or a
mix, and the next build succeeds.

How the moments are chosen: a child process runs a real build (fake embedder, real
corpus plus one new file) and counts every call it makes into psycopg (statements, batches
and COPY rows). A dry run gives the total; then the child is started again once per
chosen call number and, on reaching it, SIGKILLs itself a few milliseconds later from a
timer thread, so it dies while that statement or row is in flight: before the
transaction, during the COPY, while indexes are built, just before and just after COMMIT.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading

import numpy as np
import pytest
from psycopg import sql

from confsearch.retrieval.index import build_index, load_index
from confsearch.retrieval.store.postgres import PostgresStore
from tests.conftest import REAL_CORPUS, ROOT, FakeEmbedder

pytestmark = pytest.mark.process

CHILD = r"""
import os, signal, sys, threading
from pathlib import Path

import psycopg

from confsearch.retrieval.index import build_index
from confsearch.retrieval.store.postgres import PostgresStore
from tests.conftest import FakeEmbedder

url, schema, corpus, kill_at = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
calls = 0
pending = []


def counted(cls, name):
    original = getattr(cls, name)

    def call(self, *args, **kwargs):
        global calls
        calls += 1
        if args and "INTO live_version" in str(args[0]):
            if pending:  # a kill is due: it must not be outrun by the few fast calls left
                os.kill(os.getpid(), signal.SIGKILL)
            print("LIVE", calls, flush=True)  # the last statement before COMMIT
        if calls == kill_at:  # a little later, to land inside a call (COPY, index build)
            pending.append(True)
            threading.Timer(0.003, os.kill, (os.getpid(), signal.SIGKILL)).start()
        return original(self, *args, **kwargs)

    setattr(cls, name, call)


for cls, name in [(psycopg.Connection, "execute"), (psycopg.Cursor, "execute"),
                  (psycopg.Cursor, "executemany"), (psycopg.Copy, "write_row")]:
    counted(cls, name)
report = build_index(Path(corpus), PostgresStore(url, schema), FakeEmbedder())
print("CALLS", calls, "VERSION", report.version, flush=True)
"""

EXTRA = (
    "# Tillägg\n\n## Nytt pass\n\nRegion Skåne berättade om kollektivtrafik och pendling "
    "med många kommuner och busslinjer.\n"
)
TIMEOUT = 300  # seconds per child: generous for a machine 5x slower than usual


def run_child(url: str, schema: str, corpus, kill_at: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHILD, url, schema, str(corpus), str(kill_at)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def tables(url: str, schema: str) -> set[str]:
    store = PostgresStore(url, schema)
    with store.connection() as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables "
            "WHERE schemaname = %s AND tablename LIKE 'passage_v%%'",
            (schema,),
        ).fetchall()
        live = conn.execute(
            sql.SQL("SELECT passage_table FROM {}.index_version").format(sql.Identifier(schema))
        ).fetchall()
    store.close()
    assert {t for (t,) in live} == {t for (t,) in rows}, "a passage table without its version"
    return {t for (t,) in rows}


def check_intact(url: str, schema: str, counts: dict[str, int]) -> str:
    """A fresh reader loads a complete, verified version: one in ``counts`` (version ->
    passages) or, for the name ``"*new*"``, any other version with that many passages."""
    store = PostgresStore(url, schema)
    try:
        index = load_index(store, verify=True)
        expected = counts.get(index.version, counts.get("*new*"))
        assert len(index.passages) == expected == index.manifest.passages, index.version
        assert len(index.hub) == len(index.lexical) == len(index.passages)
        vec = FakeEmbedder().encode_queries(["kollektivtrafik cykel"])[0]
        pos, scores = index.dense.search(vec, 5)
        assert len(pos) == 5 and np.all(np.diff(scores) <= 1e-6)
        return index.version
    finally:
        store.close()


def test_sigkilled_ingest_leaves_the_old_version_and_a_later_build_succeeds(
    pg_url, pg_schema, tmp_path
):
    corpus = tmp_path / "corpus"
    shutil.copytree(REAL_CORPUS, corpus)
    store = PostgresStore(pg_url, pg_schema)
    old = build_index(corpus, store, FakeEmbedder())
    dry_schema = f"{pg_schema}_dry"  # the same state, for the dry run
    build_index(corpus, PostgresStore(pg_url, dry_schema), FakeEmbedder())
    (corpus / "extra.md").write_text(EXTRA, encoding="utf-8")

    # Dry run: how many psycopg calls the whole build makes (never killed).
    dry = run_child(pg_url, dry_schema, corpus, kill_at=0)
    PostgresStore(pg_url, dry_schema).drop_schema()
    assert dry.returncode == 0, dry.stderr
    words = dry.stdout.split()
    total, live = int(words[words.index("CALLS") + 1]), int(words[words.index("LIVE") + 1])
    assert 50 < live < total  # statements, batches and one call per COPY row
    counts = {old.version: old.passages, "*new*": old.passages + 1}

    # Readers keep searching the whole time: an index loaded before, and fresh loads.
    reader_errors: list[BaseException] = []
    seen: set[str] = set()
    stop = threading.Event()
    loaded = load_index(store, FakeEmbedder())
    qvec = FakeEmbedder().encode_queries(["cykelbibliotek"])[0]
    expected_top = loaded.dense.search(qvec, 3)[0].tolist()

    def reader() -> None:
        while not stop.is_set():
            try:
                assert loaded.dense.search(qvec, 3)[0].tolist() == expected_top
                seen.add(check_intact(pg_url, pg_schema, counts))
            except BaseException as exc:  # reported by the main thread
                reader_errors.append(exc)
                return

    # 11 moments from the first call to the statement that moves the live pointer (the
    # last one before COMMIT), then one after COMMIT (garbage collection of old versions).
    moments = sorted({*np.linspace(1, live, 11).astype(int).tolist(), live + 2})
    thread = threading.Thread(target=reader)
    thread.start()
    killed, published = 0, []
    try:
        for kill_at in moments:
            child = run_child(pg_url, pg_schema, corpus, kill_at)
            assert child.returncode == -signal.SIGKILL, (kill_at, child.stdout, child.stderr)
            killed += 1
            version = check_intact(pg_url, pg_schema, counts)
            tables(pg_url, pg_schema)
            with store.build_lock(wait=True):  # the dead build's lock was released
                pass
            if version != old.version:
                # died at or after COMMIT: the new version is complete and live. Stop here:
                # one more build would retire the version the reader has loaded.
                assert kill_at >= live and "LIVE" in child.stdout, (kill_at, live)
                published.append(version)
                break
    finally:
        stop.set()
        thread.join(timeout=TIMEOUT)
    assert not reader_errors, reader_errors[0]
    assert killed >= 11 and old.version in seen
    assert len(published) <= 1

    # A later build succeeds and publishes the new corpus.
    (corpus / "extra2.md").write_text(EXTRA.replace("Skåne", "Jämtland"), encoding="utf-8")
    final = build_index(corpus, store, FakeEmbedder())
    assert store.current_version() == final.version
    assert check_intact(pg_url, pg_schema, {final.version: old.passages + 2}) == final.version
    assert len(tables(pg_url, pg_schema)) <= 2  # old versions are collected
    store.close()


def test_one_store_closing_never_closes_the_pool_under_another(pg_url, pg_schema, tmp_path):
    """Stores of one database and schema share a process's pool (the index and the notes,
    a reader and a check). One of them closing must not cut off the other's queries: the
    pool closes when the last one closes, and a closed store opens it again on use."""
    corpus = tmp_path / "corpus"
    shutil.copytree(REAL_CORPUS, corpus)
    builder = PostgresStore(pg_url, pg_schema)
    built = build_index(corpus, builder, FakeEmbedder())
    builder.close()
    reader, other = PostgresStore(pg_url, pg_schema), PostgresStore(pg_url, pg_schema)
    assert reader.current_version() == other.current_version() == built.version
    pool = reader._pool()
    assert other._pool() is pool  # one pool, two users

    errors: list[BaseException] = []
    stop = threading.Event()

    def keep_reading() -> None:
        while not stop.is_set():
            try:
                assert len(load_index(reader).passages) == built.passages
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)
                return

    thread = threading.Thread(target=keep_reading)
    thread.start()
    try:
        for _ in range(20):  # the other store comes and goes while the reader reads
            assert other.current_version() == built.version
            other.close()
    finally:
        stop.set()
        thread.join(timeout=TIMEOUT)
    assert errors == [], errors[:1]
    assert not pool.closed and reader.current_version() == built.version
    reader.close()
    assert pool.closed  # the last user closed it …
    assert reader.current_version() == built.version  # … and a later use opens a new one
    reader.close()
