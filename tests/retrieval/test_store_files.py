"""The files backend's own guarantees: checksums, pointer, kept versions, index types."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from confsearch.retrieval.index import build_index, current_version_dir, load_index
from confsearch.retrieval.store import IndexError_
from confsearch.retrieval.store.faissdense import (
    FLAT_MAX,
    IVF_NPROBE,
    choose_index_type,
    make_faiss_index,
)
from confsearch.retrieval.store.files import FilesStore
from tests.conftest import REAL_CORPUS, FakeEmbedder


@pytest.fixture
def corpus_copy(tmp_path):
    shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    return tmp_path / "corpus"


@pytest.mark.parametrize("name", ["vectors.npy", "passages.jsonl", "dense.faiss", "hub.npy"])
def test_damaged_file_is_detected(corpus_copy, tmp_path, fake_embedder, name):
    build_index(corpus_copy, tmp_path / "index", fake_embedder)
    path = current_version_dir(tmp_path / "index") / name
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexError_, match=r"embed\.py"):
        load_index(tmp_path / "index", fake_embedder)


def test_an_index_without_checksums_is_refused(corpus_copy, tmp_path, fake_embedder):
    """Removing the checksums and editing a passage must not get the edit served."""
    build_index(corpus_copy, tmp_path / "index", fake_embedder)
    live = current_version_dir(tmp_path / "index")
    manifest = json.loads((live / "manifest.json").read_text(encoding="utf-8"))
    del manifest["checksums"]
    (live / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    passages = (live / "passages.jsonl").read_text(encoding="utf-8")
    (live / "passages.jsonl").write_text(passages.replace("cykelbibliotek", "XXX"), "utf-8")
    with pytest.raises(IndexError_, match="kontrollsummor"):
        load_index(tmp_path / "index", fake_embedder)


@pytest.mark.parametrize("damage", ["missing", "garbage", "dangling"])
def test_an_unreadable_pointer_is_reported_never_guessed(corpus_copy, tmp_path, damage):
    build_index(corpus_copy, tmp_path / "index", FakeEmbedder())
    pointer = tmp_path / "index" / "CURRENT"
    if damage == "missing":
        pointer.rename(tmp_path / "CURRENT.bak")  # (a copy inside would be a foreign file)
    elif damage == "garbage":
        pointer.write_bytes(b"\xff\xfe not a name")
    else:
        pointer.write_text("v-does-not-exist")
    store = FilesStore(tmp_path / "index")
    with pytest.raises(IndexError_, match="--replace"):
        store.read_manifest()
    assert store.current_version() is None


def test_the_two_newest_versions_are_kept(corpus_copy, tmp_path, fake_embedder):
    index = tmp_path / "index"
    versions = []
    for i in range(4):
        (corpus_copy / f"x{i}.txt").write_text(f"Rubrik\n\nText nummer {i} om cyklar.\n")
        versions.append(build_index(corpus_copy, index, fake_embedder).version)
    on_disk = sorted(p.name for p in index.iterdir() if p.name.startswith("v-"))
    assert on_disk == sorted(versions[-2:])
    assert current_version_dir(index).name == versions[-1]


def test_a_reader_that_loses_the_race_retries_on_the_new_version(
    corpus_copy, tmp_path, fake_embedder, monkeypatch
):
    """The version CURRENT named is removed between reading the pointer and the files."""
    index = tmp_path / "index"
    build_index(corpus_copy, index, fake_embedder)
    store = FilesStore(index)
    real_current_dir = store.current_dir
    calls = []

    def current_dir_then_swap():
        folder = real_current_dir()
        if not calls:  # first attempt: a build publishes and removes this version now
            calls.append(folder)
            (corpus_copy / "ny.txt").write_text("Rubrik\n\nEtt nytt stycke om tåg.\n")
            build_index(corpus_copy, index, fake_embedder)
            shutil.rmtree(folder)
        return (
            folder
            if len(calls) == 1 and folder == calls[0] and folder.exists()
            else (real_current_dir())
        )

    monkeypatch.setattr(store, "current_dir", current_dir_then_swap)
    loaded = store.load()
    assert loaded.version == real_current_dir().name
    assert any("tåg" in p.text for p in loaded.passages)


def test_index_type_by_size():
    assert choose_index_type(1000) == "flat"
    assert choose_index_type(FLAT_MAX) == "flat"
    assert choose_index_type(FLAT_MAX + 1) == "ivf"
    # bench/peers.py's 100k corpus is searched approximately, like txtai's
    assert choose_index_type(100_000) == "ivf"
    rng = np.random.default_rng(0)
    v = rng.normal(size=(5000, 16)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    flat = make_faiss_index(v, "flat")
    _, exact = flat.search(v[:50], 10)
    for kind in ("ivf", "hnsw"):
        approx = make_faiss_index(v, kind)
        assert approx.ntotal == 5000
        _, got = approx.search(v[:50], 10)
        recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, exact, strict=True)])
        assert recall >= 0.9, kind


def test_a_corpus_just_above_flat_max_gets_an_ivf_index_that_finds_the_exact_neighbours():
    import faiss

    rng = np.random.default_rng(1)
    v = rng.normal(size=(FLAT_MAX + 1, 8)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    index = make_faiss_index(v)  # no explicit type: chosen by size
    assert isinstance(index, faiss.IndexIVF) and index.nprobe == IVF_NPROBE
    assert index.ntotal == FLAT_MAX + 1
    exact = faiss.IndexFlatIP(8)
    exact.add(v)
    queries = v[:100] + rng.normal(scale=0.05, size=(100, 8)).astype(np.float32)
    _, want = exact.search(queries, 10)
    _, got = index.search(queries, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, want, strict=True)])
    assert recall >= 0.95


def test_a_reader_that_keeps_losing_the_race_is_told_the_truth(
    corpus_copy, tmp_path, fake_embedder, monkeypatch
):
    """If every attempt finds its version gone, the message says a build is replacing
    the index and to try again, not that the index is damaged and must be rebuilt."""
    index = tmp_path / "index"
    build_index(corpus_copy, index, fake_embedder)
    store = FilesStore(index)

    def always_gone(verify):
        raise FileNotFoundError(2, "version removed", str(index / "v-gone"))

    monkeypatch.setattr(store, "_load", always_gone)
    with pytest.raises(IndexError_) as exc:
        store.load()
    message = str(exc.value)
    assert "byttes ut" in message and "Försök igen" in message
    assert "Bygg om" not in message and "skadad" not in message
