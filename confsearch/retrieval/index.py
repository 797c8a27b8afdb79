"""Building an index version: read the corpus, embed what changed, store it atomically.

The pipeline is the same for every backend (:mod:`confsearch.retrieval.store`): passages come from
:func:`confsearch.reading.corpus.read_corpus`; each passage is embedded twice, with its session
title and region as context and alone (:func:`passage_vectors`), unless a vector for
exactly that text and model is already stored (the content-hash cache, as simonw/llm
does); the lexical index
and the per-passage hubness (see :data:`GENERIC_QUERIES`) are computed here, at build
time, so loading an index for searching computes nothing.

What is embedded for a passage lives in :mod:`confsearch.retrieval.passagevectors`, the
staleness check in :mod:`confsearch.retrieval.freshness`; this module builds and loads a
version and turns the store's blobs into the lexical index
(:mod:`confsearch.retrieval.indexparts`). Their names are importable from here too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from confsearch.embedding.model import Embedder
from confsearch.fsutil import display_name, folder_label
from confsearch.messages import INDEX_FORMAT_OTHER, REBUILD_HINT, no_index
from confsearch.reading.corpus import (
    read_corpus,
)
from confsearch.reading.documents import ReadError
from confsearch.retrieval.buildguard import check_complete
from confsearch.retrieval.freshness import corpus_fingerprint, fingerprint_of, is_stale
from confsearch.retrieval.indexparts import open_parts, to_blobs
from confsearch.retrieval.lexical import LexicalIndex
from confsearch.retrieval.passagevectors import (
    GENERIC_QUERIES,
    Progress,
    compute_hubness,
    content_key,
    embed_text,
    embedded_texts,
    encode_passages,
    lexical_text,
    passage_keys,
    passage_vectors,
)
from confsearch.retrieval.store import (
    FORMAT_VERSION,
    BuildData,
    BuildLocked,
    DocumentInfo,
    IndexError_,
    LoadedIndex,
    Manifest,
    Store,
)
from confsearch.retrieval.store.faissdense import FLAT_MAX, choose_index_type, make_faiss_index
from confsearch.retrieval.store.files import FilesStore
from confsearch.retrieval.store.folder import claim_index_folder
from confsearch.retrieval.vocabulary import Vocabulary

__all__ = [
    "FLAT_MAX",
    "GENERIC_QUERIES",
    "BuildLocked",
    "BuildReport",
    "IndexError_",
    "LoadedIndex",
    "Progress",
    "as_store",
    "build_index",
    "check_compatible",
    "choose_index_type",
    "compute_hubness",
    "content_key",
    "corpus_fingerprint",
    "current_version_dir",
    "embed_text",
    "embedded_texts",
    "encode_passages",
    "fingerprint_of",
    "is_stale",
    "lexical_text",
    "load_index",
    "make_faiss_index",
    "passage_vectors",
    "read_manifest",
]


@dataclass
class BuildReport:
    index_dir: Path | str
    version: str
    passages: int
    documents: int
    embedded: int  # texts that needed the model (the rest came from the cache)
    reused: int
    seconds: float
    index_type: str
    errors: list[ReadError] = field(default_factory=list)


def as_store(where: Path | str | Store) -> Store:
    """A store from a store or an index folder (the files backend)."""
    return FilesStore(Path(where)) if isinstance(where, (str, Path)) else where


# ---------------------------------------------------------------- manifest checks


def read_manifest(where: Path | str | Store) -> Manifest | None:
    """The live manifest, None if there is no index (raises if one is there but unreadable)."""
    return as_store(where).read_manifest()


def current_version_dir(index_dir: Path) -> Path | None:
    """The live version folder of a files index, or None (also if it is unreadable)."""
    try:
        return FilesStore(Path(index_dir)).current_dir()
    except IndexError_:
        return None


def check_compatible(manifest: Manifest, embedder: Embedder) -> None:
    """Refuse to mix embeddings: same model, same prompts, same format, same dimension."""
    if manifest.format_version != FORMAT_VERSION:
        raise IndexError_(
            INDEX_FORMAT_OTHER.format(found=manifest.format_version, reads=FORMAT_VERSION)
        )
    problems = []
    if manifest.model != embedder.name:
        problems.append(f"modellen {manifest.model!r} (nu: {embedder.name!r})")
    if (
        manifest.query_prompt != embedder.query_prompt
        or manifest.passage_prompt != embedder.passage_prompt
    ):
        problems.append("andra prompter")
    if manifest.dim != embedder.dim:
        problems.append(f"dimension {manifest.dim} (nu: {embedder.dim})")
    if problems:
        raise IndexError_(
            "Indexet byggdes med " + ", ".join(problems) + " och kan inte användas med den "
            "nuvarande modellen – inbäddningar blandas aldrig. " + REBUILD_HINT
        )


def load_index(
    where: Path | str | Store, embedder: Embedder | None = None, *, verify: bool = True
) -> LoadedIndex:
    """The live version, ready to search; refused if it was built with another model."""
    store = as_store(where)
    if embedder is not None:
        manifest = store.read_manifest()
        if manifest is None:
            raise IndexError_(no_index(store.location))
        check_compatible(manifest, embedder)
    index = open_parts(store.load(verify=verify), store.location)
    if embedder is not None:
        check_compatible(index.manifest, embedder)
    return index


# ---------------------------------------------------------------- building


def _live_manifest(store: Store) -> Manifest | None:
    try:
        return store.read_manifest()
    except IndexError_:
        return None  # unreadable: being replaced deliberately, nothing to compare with


def build_index(
    corpus_dir: Path,
    where: Path | str | Store,
    embedder: Embedder,
    *,
    batch_size: int = 32,
    progress: Progress | None = None,
    source_root: Path | None = None,
    index_type: str | None = None,
    allow_shrink: bool = False,
) -> BuildReport:
    """Read the corpus, embed what changed, and atomically publish a new index version.

    Publishes only what it meant to (:func:`check_complete`): if the corpus disappears or
    loses files while it is read, or has far fewer documents than the live version and
    ``allow_shrink`` is not set, the live version stays and :class:`CorpusShrank` is
    raised. A files index is written only into a folder that is one
    (:mod:`confsearch.retrieval.store.folder`)."""
    t0 = time.perf_counter()
    corpus_dir = Path(corpus_dir)
    store = as_store(where)
    if not corpus_dir.is_dir():
        raise IndexError_(f"Korpusmappen {display_name(str(corpus_dir))} finns inte.")
    if isinstance(store, FilesStore):
        claim_index_folder(store.index_dir, corpus_dir)  # before the lock file is written
    with store.build_lock():
        result = read_corpus(
            corpus_dir,
            count_tokens=embedder.count_tokens,
            max_tokens=max(64, embedder.max_tokens - 32),  # room for the title context
            source_root=source_root,
        )
        passages = list(result.passages)
        if not passages:
            raise IndexError_(
                f"Inga texter kunde indexeras i {corpus_dir}. "
                + " ".join(f"{e.path}: {e.message}" for e in result.errors)
            )
        fingerprint = fingerprint_of(result.files)  # what was read, not what was there
        cache = store.cached_vectors(passage_keys(passages, embedder), embedder.dim)
        vectors, embeddings, embedded = encode_passages(
            passages, embedder, cache, batch_size=batch_size, progress=progress
        )
        manifest = Manifest.of_model(
            embedder,
            index_type=index_type or choose_index_type(len(passages)),
            passages=len(passages),
            corpus_fingerprint=fingerprint,
            corpus_dir=folder_label(corpus_dir),
            built=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            documents=tuple(
                DocumentInfo(
                    doc_id=d.doc_id,
                    title=d.title,
                    source=d.source,
                    # programme items only: text around them (a day, practical
                    # information) is searchable but no session (confsearch.reading.programme)
                    sessions=tuple(s.title for s in d.sessions if s.kind == "session"),
                    metadata={k: v for k, v in d.metadata.items() if isinstance(v, str | int)},
                    session_organisations=tuple(
                        tuple(s.organisations) for s in d.sessions if s.kind == "session"
                    ),
                )
                for d in result.documents
            ),
            read_errors=tuple(result.errors),
        )
        lexical_texts = [lexical_text(p) for p in passages]
        build = BuildData(
            passages=passages,
            vectors=vectors,
            embeddings=embeddings,
            hub=compute_hubness(vectors, embedder),
            blobs=to_blobs(
                LexicalIndex.build(lexical_texts),
                Vocabulary.build(lexical_texts, {r for p in passages for r in p.regions}, embedder),
            ),
            manifest=manifest,
            index_type=index_type,
        )
        check_complete(corpus_dir, result, _live_manifest(store), allow_shrink=allow_shrink)
        version = store.publish(build)
        published = store.read_manifest()
    return BuildReport(
        index_dir=store.location,
        version=version,
        passages=len(passages),
        documents=len(result.documents),
        embedded=embedded,
        reused=len(embeddings) - embedded,
        seconds=time.perf_counter() - t0,
        index_type=published.index_type if published is not None else manifest.index_type,
        errors=list(result.errors),
    )
