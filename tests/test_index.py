"""Index building: atomic versions, embedding cache, manifest checks, index type choice."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from confsearch.index import (
    FLAT_MAX,
    IndexError_,
    build_index,
    choose_index_type,
    current_version_dir,
    is_stale,
    load_index,
    make_faiss_index,
)
from tests.conftest import REAL_CORPUS, FakeEmbedder


@pytest.fixture
def corpus_copy(tmp_path):
    dst = tmp_path / "corpus"
    shutil.copytree(REAL_CORPUS, dst)
    return dst


def test_build_and_load(corpus_copy, tmp_path, fake_embedder):
    report = build_index(corpus_copy, tmp_path / "index", fake_embedder)
    assert report.passages > 20 and report.documents == 1
    assert report.embedded == report.passages and report.reused == 0
    idx = load_index(tmp_path / "index", fake_embedder)
    assert len(idx.passages) == report.passages == idx.dense.ntotal
    assert len(idx.sessions) == 10
    m = idx.manifest
    assert m["model"] == "fake-model" and m["dim"] == 64 and m["format_version"] == 1
    assert m["query_prompt"] == "query: " and m["passage_prompt"] == "passage: "
    assert m["index_type"] == "flat" and m["corpus_fingerprint"]
    assert set(m["checksums"]) >= {"passages.jsonl", "vectors.npy", "dense.faiss"}


def test_unchanged_rebuild_embeds_nothing(corpus_copy, tmp_path):
    emb = FakeEmbedder()
    build_index(corpus_copy, tmp_path / "index", emb)
    first = emb.texts_encoded
    report = build_index(corpus_copy, tmp_path / "index", emb)
    assert report.embedded == 0 and emb.texts_encoded == first
    # Only the new text is embedded when a document is added.
    (corpus_copy / "extra.md").write_text(
        "# Ny konferens\n\n## Nytt pass\n\nEtt helt nytt stycke "
        "om kollektivtrafik i Region Skåne och dess kommuner.\n",
        encoding="utf-8",
    )
    report = build_index(corpus_copy, tmp_path / "index", emb)
    assert 1 <= report.embedded <= 2


def test_old_versions_are_removed_and_current_points_to_new(corpus_copy, tmp_path, fake_embedder):
    build_index(corpus_copy, tmp_path / "index", fake_embedder)
    v1 = current_version_dir(tmp_path / "index")
    build_index(corpus_copy, tmp_path / "index", fake_embedder)
    v2 = current_version_dir(tmp_path / "index")
    assert v1 != v2 and not v1.exists() and v2.exists()


def test_stale_detection(corpus_copy, tmp_path, fake_embedder):
    assert is_stale(tmp_path / "index", corpus_copy)
    build_index(corpus_copy, tmp_path / "index", fake_embedder)
    assert not is_stale(tmp_path / "index", corpus_copy, "fake-model")
    assert is_stale(tmp_path / "index", corpus_copy, "other-model")
    (corpus_copy / "new.txt").write_text("Rubrik\n\nEn ny text om cyklar i Region Skåne.\n")
    assert is_stale(tmp_path / "index", corpus_copy)


def test_other_model_is_refused(corpus_copy, tmp_path, fake_embedder):
    build_index(corpus_copy, tmp_path / "index", fake_embedder)
    with pytest.raises(IndexError_, match="modellen 'fake-model'"):
        load_index(tmp_path / "index", FakeEmbedder(name="another-model"))
    other_prompts = FakeEmbedder()
    other_prompts.query_prompt = "Q: "
    with pytest.raises(IndexError_, match="andra prompter"):
        load_index(tmp_path / "index", other_prompts)


def test_other_format_version_is_refused(corpus_copy, tmp_path, fake_embedder):
    build_index(corpus_copy, tmp_path / "index", fake_embedder)
    live = current_version_dir(tmp_path / "index")
    manifest = json.loads((live / "manifest.json").read_text())
    manifest["format_version"] = 999
    (live / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexError_, match="formatversion 999"):
        load_index(tmp_path / "index", fake_embedder)


@pytest.mark.parametrize("name", ["vectors.npy", "passages.jsonl", "dense.faiss"])
def test_damaged_file_is_detected(corpus_copy, tmp_path, fake_embedder, name):
    build_index(corpus_copy, tmp_path / "index", fake_embedder)
    path = current_version_dir(tmp_path / "index") / name
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexError_, match=r"embed\.py"):
        load_index(tmp_path / "index", fake_embedder)


def test_missing_index_message(tmp_path, fake_embedder):
    with pytest.raises(IndexError_, match="inget index"):
        load_index(tmp_path / "nothing", fake_embedder)


def test_empty_corpus_is_an_error(tmp_path, fake_embedder):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "empty.txt").write_text("")
    with pytest.raises(IndexError_, match="Inga texter"):
        build_index(tmp_path / "corpus", tmp_path / "index", fake_embedder)
    assert current_version_dir(tmp_path / "index") is None


def test_crash_during_write_keeps_previous_index(corpus_copy, tmp_path, fake_embedder, monkeypatch):
    from confsearch import index as index_mod

    build_index(corpus_copy, tmp_path / "index", fake_embedder)
    before = load_index(tmp_path / "index", fake_embedder)

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(index_mod, "_write_version", boom)
    (corpus_copy / "new.txt").write_text("Rubrik\n\nEtt nytt stycke om cyklar i Region Skåne.\n")
    with pytest.raises(RuntimeError):
        build_index(corpus_copy, tmp_path / "index", fake_embedder)
    after = load_index(tmp_path / "index", fake_embedder)
    assert [p.id for p in after.passages] == [p.id for p in before.passages]
    assert not any(p.name.startswith(".build-") for p in (tmp_path / "index").iterdir())


def test_index_type_by_size():
    assert choose_index_type(1000) == "flat"
    assert choose_index_type(FLAT_MAX + 1) == "ivf"
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


def test_files_the_reader_ignores_never_make_the_index_stale(corpus_copy, tmp_path):
    build_index(corpus_copy, tmp_path / "index", FakeEmbedder())
    assert not is_stale(tmp_path / "index", corpus_copy, "fake-model")
    (corpus_copy / "~$lås.docx").write_bytes(b"lock file of an open Word document")
    (corpus_copy / ".git").mkdir()
    (corpus_copy / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (corpus_copy / "budget.xlsx").write_bytes(b"PK\x03\x04 not read")
    (corpus_copy / ".DS_Store").write_bytes(b"\x00\x01")
    assert not is_stale(tmp_path / "index", corpus_copy, "fake-model")
    (corpus_copy / "ny.md").write_text("# Ny\n\nEn ny text om cyklar.\n", encoding="utf-8")
    assert is_stale(tmp_path / "index", corpus_copy, "fake-model")
