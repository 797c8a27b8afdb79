"""Index building: atomic versions, embedding cache, manifest checks, index type choice."""

from __future__ import annotations

import json
import shutil

import pytest

from confsearch.retrieval.index import (
    IndexError_,
    build_index,
    current_version_dir,
    is_stale,
    load_index,
    read_manifest,
)
from confsearch.retrieval.store import FORMAT_VERSION
from tests.conftest import REAL_CORPUS, FakeEmbedder


@pytest.fixture
def corpus_copy(tmp_path):
    dst = tmp_path / "corpus"
    shutil.copytree(REAL_CORPUS, dst)
    return dst


def test_build_and_load(corpus_copy, tmp_path, fake_embedder):
    report = build_index(corpus_copy, tmp_path / "index", fake_embedder)
    assert report.passages > 20 and report.documents == 1
    # every passage is embedded twice: with its session as context, and alone
    assert report.embedded == 2 * report.passages and report.reused == 0
    idx = load_index(tmp_path / "index", fake_embedder)
    assert len(idx.passages) == report.passages == len(idx.hub) == len(idx.lexical)
    assert len(idx.sessions) == 10
    m = idx.manifest
    assert m.model == "fake-model" and m.dim == 64 and m.format_version == FORMAT_VERSION
    assert m.query_prompt == "query: " and m.passage_prompt == "passage: "
    assert m.index_type == "flat" and m.corpus_fingerprint
    assert set(m.checksums) >= {"passages.jsonl", "vectors.npy", "dense.faiss", "hub.npy"}
    assert m.version == idx.version == report.version
    # hubness is computed at build time and stored: loading encodes nothing
    before = fake_embedder.calls
    load_index(tmp_path / "index", fake_embedder)
    assert fake_embedder.calls == before


def test_unchanged_rebuild_embeds_nothing(corpus_copy, tmp_path):
    emb = FakeEmbedder()
    build_index(corpus_copy, tmp_path / "index", emb)
    first = emb.passages_encoded
    report = build_index(corpus_copy, tmp_path / "index", emb)
    assert report.embedded == 0 and emb.passages_encoded == first
    # Only the new text is embedded when a document is added.
    (corpus_copy / "extra.md").write_text(
        "# Ny konferens\n\n## Nytt pass\n\nEtt helt nytt stycke "
        "om kollektivtrafik i Region Skåne och dess kommuner.\n",
        encoding="utf-8",
    )
    report = build_index(corpus_copy, tmp_path / "index", emb)
    assert 2 <= report.embedded <= 4


def test_stale_detection(corpus_copy, tmp_path, fake_embedder):
    index = tmp_path / "index"
    assert is_stale(read_manifest(index), corpus_copy)
    build_index(corpus_copy, index, fake_embedder)
    assert not is_stale(read_manifest(index), corpus_copy, "fake-model")
    assert is_stale(read_manifest(index), corpus_copy, "other-model")
    (corpus_copy / "new.txt").write_text("Rubrik\n\nEn ny text om cyklar i Region Skåne.\n")
    assert is_stale(read_manifest(index), corpus_copy)


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
    manifest = json.loads((live / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = 999
    (live / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexError_, match="formatversion 999"):
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


def test_files_the_reader_ignores_never_make_the_index_stale(corpus_copy, tmp_path):
    build_index(corpus_copy, tmp_path / "index", FakeEmbedder())
    assert not is_stale(read_manifest(tmp_path / "index"), corpus_copy, "fake-model")
    (corpus_copy / "~$lås.docx").write_bytes(b"lock file of an open Word document")
    (corpus_copy / ".git").mkdir()
    (corpus_copy / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (corpus_copy / "budget.xlsx").write_bytes(b"PK\x03\x04 not read")
    (corpus_copy / ".DS_Store").write_bytes(b"\x00\x01")
    assert not is_stale(read_manifest(tmp_path / "index"), corpus_copy, "fake-model")
    (corpus_copy / "ny.md").write_text("# Ny\n\nEn ny text om cyklar.\n", encoding="utf-8")
    assert is_stale(read_manifest(tmp_path / "index"), corpus_copy, "fake-model")
