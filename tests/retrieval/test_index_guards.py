"""Issue 27, findings 1–3: an index folder is recognised before anything in it is deleted
or written; every file name is read whatever its bytes; a build publishes only what it
meant to publish. (Both backends: tests/retrieval/test_store_contract.py.)"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from confsearch.retrieval import service
from confsearch.retrieval.index import build_index, corpus_fingerprint, is_stale, read_manifest
from confsearch.retrieval.service import refresh_index
from confsearch.retrieval.store import IndexError_
from confsearch.retrieval.store.folder import MARKER
from confsearch.settings import Settings
from tests.conftest import REAL_CORPUS, FakeEmbedder


def _doc(i: int) -> str:
    return (
        f"# Konferens {i}\n\n## Pass {i}\n\nRegion Skåne berättade om kollektivtrafik "
        f"nummer {i}, pendling och busslinjer mellan kommunerna.\n"
    )


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A corpus of twelve small documents."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(12):
        (folder / f"dok-{i:02d}.md").write_text(_doc(i), encoding="utf-8")
    return folder


def _settings(corpus: Path, index: Path) -> Settings:
    return Settings().with_(corpus_dir=corpus, index_dir=index, model="fake-model")


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder`` (files with their bytes, folders as None)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


# ---------------------------------------------------------------- finding 1: the folder


def test_replace_refuses_a_folder_with_a_users_files(corpus, tmp_path):
    mydocs = tmp_path / "mydocs"
    (mydocs / "underlag").mkdir(parents=True)
    (mydocs / "budget2026.xlsx").write_bytes(b"PK\x03\x04 a spreadsheet")
    (mydocs / "underlag" / "anteckning.txt").write_text("viktigt", encoding="utf-8")
    before = _snapshot(mydocs)
    with pytest.raises(IndexError_) as exc:
        refresh_index(_settings(corpus, mydocs), embedder=FakeEmbedder(), replace=True)
    assert _snapshot(mydocs) == before  # nothing removed, nothing written (no .lock either)
    message = str(exc.value)
    assert "budget2026.xlsx" in message and "--index" in message
    assert "--replace" not in message  # never the destructive flag for what it cannot fix


@pytest.mark.parametrize("replace", [True, False])
def test_the_corpus_is_never_the_index(corpus, replace):
    before = _snapshot(corpus)
    with pytest.raises(IndexError_, match="samma mapp"):
        refresh_index(_settings(corpus, corpus), embedder=FakeEmbedder(), replace=replace)
    assert _snapshot(corpus) == before  # not deleted, and the index's files not added


@pytest.mark.parametrize("replace", [True, False])
def test_a_checkout_is_never_the_index(tmp_path, replace):
    """``embed.py --index .`` in a checkout: the folder contains the corpus and more."""
    checkout = tmp_path / "checkout"
    shutil.copytree(REAL_CORPUS, checkout / "corpus")
    (checkout / ".git").mkdir()
    (checkout / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (checkout / "README.md").write_text("# Projekt\n", encoding="utf-8")
    before = _snapshot(checkout)
    with pytest.raises(IndexError_, match="innehåller korpusmappen"):
        refresh_index(
            _settings(checkout / "corpus", checkout), embedder=FakeEmbedder(), replace=replace
        )
    assert _snapshot(checkout) == before


def test_an_index_inside_the_corpus_is_refused(corpus):
    with pytest.raises(IndexError_, match="inuti korpusmappen"):
        build_index(corpus, corpus / "index", FakeEmbedder())
    assert not (corpus / "index").exists()


def test_a_file_as_index_is_named_without_suggesting_replace(corpus, tmp_path):
    not_a_folder = tmp_path / "fil.txt"
    not_a_folder.write_text("inget index", encoding="utf-8")
    for replace in (False, True):
        with pytest.raises(IndexError_) as exc:
            refresh_index(_settings(corpus, not_a_folder), embedder=FakeEmbedder(), replace=replace)
        assert "ingen mapp" in str(exc.value) and "--replace" not in str(exc.value)
    with pytest.raises(IndexError_) as exc:  # and when only reading it
        read_manifest(not_a_folder)
    assert "ingen mapp" in str(exc.value) and "--replace" not in str(exc.value)
    assert not_a_folder.read_text(encoding="utf-8") == "inget index"


def test_replace_removes_only_what_the_index_wrote(corpus, tmp_path):
    index = tmp_path / "index"
    build_index(corpus, index, FakeEmbedder())
    (index / "CURRENT").write_bytes(b"\xff trasig pekare")  # unreadable: --replace's case
    (index / ".DS_Store").write_bytes(b"finder")  # a file browser's, tolerated and kept
    report = refresh_index(_settings(corpus, index), embedder=FakeEmbedder(), replace=True)
    assert report is not None and report.documents == 12
    names = sorted(p.name for p in index.iterdir())
    assert names == [".DS_Store", ".lock", "CURRENT", MARKER, report.version]
    assert (index / ".DS_Store").read_bytes() == b"finder"


def test_an_index_from_before_the_marker_keeps_working_and_gets_it(corpus, tmp_path):
    index = tmp_path / "index"
    first = build_index(corpus, index, FakeEmbedder())
    (index / MARKER).unlink()  # as every index built before the marker existed
    assert read_manifest(index).version == first.version  # reading writes nothing …
    assert not (index / MARKER).exists()
    (corpus / "ny.md").write_text(_doc(99), encoding="utf-8")
    second = refresh_index(_settings(corpus, index), embedder=FakeEmbedder())  # … a build marks
    assert second is not None and (index / MARKER).exists()
    (index / MARKER).unlink()
    third = refresh_index(_settings(corpus, index), embedder=FakeEmbedder(), replace=True)
    assert third is not None and read_manifest(index).version == third.version


@pytest.mark.parametrize("exists", [True, False])
def test_a_question_never_creates_an_index(corpus, tmp_path, monkeypatch, exists):
    """``search --index <folder>``: no CURRENT, no version, not even the folder."""
    import confsearch.embedding.model

    monkeypatch.setattr(confsearch.embedding.model, "load_embedder", lambda s: FakeEmbedder())
    monkeypatch.setattr(confsearch.embedding.model, "load_query_embedder", lambda s: FakeEmbedder())
    folder = tmp_path / "tom"
    if exists:
        folder.mkdir()
    with pytest.raises(IndexError_, match="Det finns inget index") as exc:
        service.open_searcher(_settings(corpus, folder))
    assert "python embed.py" in str(exc.value)
    assert (list(folder.iterdir()) == []) if exists else not folder.exists()


# ---------------------------------------------------------------- finding 2: file names

HOSTILE_NAMES = [
    os.fsdecode(b"F\xf6rslag.txt"),  # Latin-1, from a Windows zip: not UTF-8
    "rad\nbrytning.txt",  # a newline would forge an output line
    "\u202egpj.txt",  # a right-to-left override reverses what follows
]


def test_file_names_of_any_bytes_are_read_and_shown_safely(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, name in enumerate(HOSTILE_NAMES):
        (corpus / name).write_text(_doc(i), encoding="utf-8")
    fingerprint = corpus_fingerprint(corpus)  # was: UnicodeEncodeError
    report = build_index(corpus, tmp_path / "index", FakeEmbedder())
    assert report.documents == 3 and not report.errors
    manifest = read_manifest(tmp_path / "index")
    assert manifest.corpus_fingerprint == fingerprint
    assert not is_stale(manifest, corpus, "fake-model")
    sources = sorted(d.source for d in manifest.documents)
    assert "corpus/F\ufffdrslag.txt" in sources and "corpus/rad\ufffdbrytning.txt" in sources
    assert "corpus/\ufffdgpj.txt" in sources
    for text in [*sources, *(d.title for d in manifest.documents)]:
        assert text.encode("utf-8") and "\n" not in text and "\u202e" not in text
    passages = (manifest_dir(tmp_path / "index") / "passages.jsonl").read_text("utf-8")
    assert all(json.loads(line)["source"] in sources for line in passages.splitlines())
    # renaming the Latin-1 file to another invalid name changes the fingerprint: its bytes count
    os.rename(corpus / HOSTILE_NAMES[0], corpus / os.fsdecode(b"F\xe4rslag.txt"))
    assert is_stale(read_manifest(tmp_path / "index"), corpus, "fake-model")


def manifest_dir(index: Path) -> Path:
    return index / (index / "CURRENT").read_text(encoding="utf-8").strip()


# ---------------------------------------------------------------- finding 3: publishing


class MovingEmbedder(FakeEmbedder):
    """Moves the corpus away while it is read (at the ``after``-th token count) and,
    optionally, back before publishing (a sync that emptied it for a moment)."""

    def __init__(self, corpus: Path, after: int, back: bool) -> None:
        super().__init__()
        self.corpus, self.after, self.back = corpus, after, back
        self.away = corpus.with_name("flyttad")
        self.counted = 0

    def count_tokens(self, text: str) -> int:
        self.counted += 1
        if self.counted == self.after:
            self.corpus.rename(self.away)
        return super().count_tokens(text)

    def encode_queries(self, texts):  # hubness, computed after every embedding
        if self.back and self.away.exists():
            self.away.rename(self.corpus)
        return super().encode_queries(texts)


@pytest.mark.parametrize("back", [False, True], ids=["stays away", "comes back"])
def test_a_corpus_moved_away_mid_build_publishes_nothing(corpus, tmp_path, back):
    index = tmp_path / "index"
    first = build_index(corpus, index, FakeEmbedder())
    (corpus / "ny.md").write_text(_doc(99), encoding="utf-8")  # the live index is now stale
    emb = MovingEmbedder(corpus, after=3, back=back)
    with pytest.raises(IndexError_, match="försvann") as exc:
        refresh_index(_settings(corpus, index), embedder=emb)
    assert "tidigare indexet används" in str(exc.value)
    assert read_manifest(index).version == first.version  # the previous version is live
    if not back:
        assert emb.counted >= 3 and not corpus.exists()
        with pytest.raises(IndexError_, match="inaktuellt"):  # --if-stale: not "current"
            refresh_index(_settings(corpus, index), embedder=FakeEmbedder(), only_if_stale=True)
        emb.away.rename(corpus)
    assert service.index_state(_settings(corpus, index)).stale  # ny.md is still not in it


def test_the_fingerprint_is_of_what_was_read(corpus, tmp_path):
    """One file gone while it was read and back before publishing: the build publishes
    the rest, and the index is stale (the next --if-stale reads that file)."""

    class Hiding(FakeEmbedder):
        def count_tokens(self, text):
            if "nummer 0," in text and (corpus / "dok-11.md").exists():
                (corpus / "dok-11.md").rename(tmp_path / "dok-11.md")
            return super().count_tokens(text)

        def encode_queries(self, texts):
            if (tmp_path / "dok-11.md").exists():
                (tmp_path / "dok-11.md").rename(corpus / "dok-11.md")
            return super().encode_queries(texts)

    report = build_index(corpus, tmp_path / "index", Hiding())
    assert report.documents == 11
    assert is_stale(read_manifest(tmp_path / "index"), corpus, "fake-model")


def test_a_corpus_that_lost_most_documents_needs_confirmation(corpus, tmp_path):
    index = tmp_path / "index"
    first = build_index(corpus, index, FakeEmbedder())
    for path in sorted(corpus.iterdir())[2:]:
        path.unlink()
    with pytest.raises(IndexError_, match="--allow-shrink") as exc:
        refresh_index(_settings(corpus, index), embedder=FakeEmbedder(), only_if_stale=True)
    assert "2 dokument" in str(exc.value) and "12" in str(exc.value)
    assert read_manifest(index).version == first.version
    report = refresh_index(_settings(corpus, index), embedder=FakeEmbedder(), allow_shrink=True)
    assert report is not None and report.documents == 2
    assert read_manifest(index).version == report.version


def test_folders_whose_names_are_not_utf8(tmp_path):
    """A corpus folder unpacked from a Windows zip is read; an index folder named so is
    refused with a message (FAISS takes only UTF-8 paths), never a traceback."""
    corpus = tmp_path / os.fsdecode(b"Konferenser \xe5r 2022")
    index = tmp_path / "index"
    corpus.mkdir()
    (corpus / "dok.md").write_text(_doc(1), encoding="utf-8")
    first = refresh_index(_settings(corpus, index), embedder=FakeEmbedder())
    state = service.index_state(_settings(corpus, index))
    assert state.ours and not state.stale and state.manifest.version == first.version
    assert state.manifest.corpus_dir.endswith("Konferenser \ufffdr 2022")
    (corpus / "ny.md").write_text(_doc(2), encoding="utf-8")
    second = refresh_index(_settings(corpus, index), embedder=FakeEmbedder(), only_if_stale=True)
    assert second is not None and second.documents == 2
    bad_index = tmp_path / os.fsdecode(b"S\xf6kindex")
    with pytest.raises(IndexError_, match="giltig UTF-8") as exc:
        refresh_index(_settings(corpus, bad_index), embedder=FakeEmbedder())
    assert "S\ufffdkindex" in str(exc.value) and not bad_index.exists()
