"""One contract, every backend: the same expectations for the files store and PostgreSQL.

Each test gets a fresh, empty store from the ``store`` fixture (tests/conftest.py), which
is parametrised over the backends. A backend passes when every test here passes for it.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Mapping

import numpy as np
import pytest

from confsearch.retrieval import index as index_module
from confsearch.retrieval.index import build_index, content_key, embed_text, load_index
from confsearch.retrieval.search import Searcher
from confsearch.retrieval.store import BuildLocked, Filter, IndexError_, Manifest
from tests.conftest import REAL_CORPUS, FakeEmbedder


@pytest.fixture
def corpus(tmp_path):
    shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    return tmp_path / "corpus"


@pytest.fixture
def built(store, corpus):
    emb = FakeEmbedder()
    report = build_index(corpus, store, emb)
    return store, emb, report


def test_empty_store_has_no_index(store, fake_embedder):
    assert store.current_version() is None
    assert store.read_manifest() is None
    with pytest.raises(IndexError_):
        load_index(store, fake_embedder)


def test_publish_and_load(built):
    store, emb, report = built
    assert store.current_version() == report.version
    manifest = store.read_manifest()
    assert isinstance(manifest, Manifest)
    assert manifest.version == report.version and manifest.passages == report.passages
    assert manifest.model == "fake-model" and manifest.dim == 64
    assert [d.title for d in manifest.documents] and len(manifest.documents[0].sessions) == 10
    index = load_index(store, emb)
    assert len(index.passages) == report.passages == len(index.hub) == len(index.lexical)
    assert index.version == report.version
    assert store.stats()["passages"] == report.passages


def test_passages_by_id_and_order(built):
    store, emb, _ = built
    index = load_index(store, emb)
    for i, p in enumerate(index.passages):
        assert index.position(p.id) == i and index.passage(p.id) == p
    assert index.passage("no-such-id") is None


def test_dense_search_finds_each_passage_by_its_own_vector(built):
    store, emb, _ = built
    index = load_index(store, emb)
    vecs = emb.encode_passages([embed_text(p) for p in index.passages])
    for i in range(0, len(index.passages), 5):
        pos, scores = index.dense.search(vecs[i], 5)
        assert pos[0] == i and len(pos) == 5
        assert list(scores) == sorted(scores, reverse=True)
        assert np.allclose(index.dense.scores(vecs[i], pos), scores, atol=2e-3)


def test_dense_search_with_a_filter(built):
    store, emb, _ = built
    index = load_index(store, emb)
    q = emb.encode_queries(["cykelbibliotek"])[0]
    region = Filter(region="Region Gävleborg")
    pos, _ = index.dense.search(q, 10, region)
    assert len(pos) > 0
    assert all("Region Gävleborg" in index.passages[i].regions for i in pos)
    session = Filter(session="Värmland leder tillsammans")
    pos, _ = index.dense.search(q, 50, session)
    expected = {i for i, p in enumerate(index.passages) if p.session == session.session}
    assert set(pos.tolist()) == expected


def test_lexical_search(built):
    store, emb, _ = built
    index = load_index(store, emb)
    scores = index.lexical.scores("cykelbibliotek")
    best = int(np.argmax(scores))
    assert "cykelbibliotek" in index.passages[best].text


def test_search_end_to_end(built):
    store, emb, _ = built
    resp = Searcher(load_index(store, emb), emb).search("Vilken region har cykelbibliotek?", k=3)
    assert resp.hits[0].passage.regions[0] == "Region Örebro län"


def test_embedding_cache(built):
    store, emb, _ = built
    index = load_index(store, emb)
    keys = [content_key(emb.name, emb.passage_prompt, embed_text(p)) for p in index.passages]
    cached = store.cached_vectors([*keys[:5], "unknown"], emb.dim)
    assert set(cached) == set(keys[:5])
    expected = emb.encode_passages([embed_text(p) for p in index.passages[:5]])
    for k, v in zip(keys[:5], expected, strict=True):
        assert np.allclose(cached[k], v, atol=2e-3)
    assert store.cached_vectors(keys[:5], emb.dim + 1) == {}


def test_new_version_replaces_old_and_loaded_old_keeps_working(built, corpus):
    store, emb, report = built
    old = load_index(store, emb)
    (corpus / "extra.md").write_text(
        "# Tillägg\n\n## Nytt pass\n\nRegion Skåne berättade om kollektivtrafik och pendling "
        "med många kommuner och busslinjer.\n",
        encoding="utf-8",
    )
    second = build_index(corpus, store, emb)
    assert second.version != report.version and store.current_version() == second.version
    assert second.embedded <= 2  # everything else came from the cache
    new = load_index(store, emb)
    assert len(new.passages) > len(old.passages)
    q = emb.encode_queries(["kollektivtrafik Skåne"])[0]
    assert len(old.dense.search(q, 3)[0]) == 3  # a reader of the old version is unharmed
    assert "Region Skåne" in new.passages[int(new.dense.search(q, 1)[0][0])].regions


class DiskFullBlobs(Mapping):
    """The build's blobs, but storing the second one fails as a full disk does."""

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self._blobs = blobs

    def __getitem__(self, name: str) -> bytes:
        if name == list(self._blobs)[1]:
            raise OSError(28, "No space left on device")
        return self._blobs[name]

    def __iter__(self):
        return iter(self._blobs)

    def __len__(self) -> int:
        return len(self._blobs)


def test_failed_publish_keeps_the_previous_version(built, corpus, monkeypatch):
    """A write that fails half-way (disk full while storing the lexical index)."""
    store, emb, report = built
    real_to_blobs = index_module.to_blobs

    (corpus / "ny.txt").write_text("Rubrik\n\nEtt nytt stycke om cyklar i Region Skåne.\n")
    monkeypatch.setattr(index_module, "to_blobs", lambda *a: DiskFullBlobs(real_to_blobs(*a)))
    with pytest.raises(OSError):
        build_index(corpus, store, emb)
    monkeypatch.undo()
    assert store.current_version() == report.version
    index = load_index(store, emb)
    assert len(index.passages) == report.passages


def test_builds_are_serialised(store):
    with store.build_lock():
        errors = []

        def other():
            try:
                with store.build_lock(wait=False):
                    pass
            except BuildLocked as exc:
                errors.append(exc)

        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert len(errors) == 1
    with store.build_lock(wait=False):
        pass  # free again


def test_index_of_another_model_prompts_or_dimension_is_refused(built):
    store, _, report = built
    other_prompts = FakeEmbedder()
    other_prompts.query_prompt = "Q: "
    for embedder, message in [
        (FakeEmbedder(name="another-model"), "modellen 'fake-model'"),
        (other_prompts, "andra prompter"),
        (FakeEmbedder(dim=32), "dimension 64"),
    ]:
        with pytest.raises(IndexError_, match=message):
            load_index(store, embedder)
    assert store.current_version() == report.version  # refused, never rebuilt or changed


def test_a_build_that_lost_most_of_its_corpus_publishes_nothing(store, tmp_path):
    """Issue 27, finding 3, for every backend (PostgreSQL ingests too): the live version
    stays until the user confirms that the corpus really shrank."""
    corpus = tmp_path / "tolv"
    corpus.mkdir()
    for i in range(12):
        (corpus / f"dok-{i:02d}.md").write_text(
            f"# Dag {i}\n\n## Pass {i}\n\nRegion Skåne om busslinjer nummer {i}.\n", "utf-8"
        )
    first = build_index(corpus, store, FakeEmbedder())
    for path in sorted(corpus.iterdir())[1:]:
        path.unlink()
    with pytest.raises(IndexError_, match="--allow-shrink"):
        build_index(corpus, store, FakeEmbedder())
    assert store.current_version() == first.version
    assert len(store.read_manifest().documents) == 12
    report = build_index(corpus, store, FakeEmbedder(), allow_shrink=True)
    assert store.current_version() == report.version and report.documents == 1
