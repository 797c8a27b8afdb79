"""Building an index version: read the corpus, embed what changed, store it atomically.

The pipeline is the same for every backend (:mod:`confsearch.retrieval.store`): passages come from
:func:`confsearch.reading.corpus.read_corpus`; each passage is embedded twice, with its session
title and region as context and alone (:func:`passage_vectors`), unless a vector for
exactly that text and model is already stored (the content-hash cache, as simonw/llm
does); the lexical index
and the per-passage hubness (see :data:`GENERIC_QUERIES`) are computed here, at build
time, so loading an index for searching computes nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from confsearch.embedding.model import Embedder
from confsearch.fsutil import display_name, folder_label, name_bytes
from confsearch.messages import REBUILD_HINT
from confsearch.reading.corpus import (
    READ_RULES,
    corpus_files,
    file_stats,
    read_corpus,
    sidecar_files,
)
from confsearch.reading.documents import Passage, ReadError
from confsearch.retrieval.buildguard import check_complete
from confsearch.retrieval.grounding import Vocabulary
from confsearch.retrieval.indexparts import open_parts, to_blobs
from confsearch.retrieval.lexical import LexicalIndex
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
from confsearch.retrieval.store.files import (
    FLAT_MAX,
    FilesStore,
    choose_index_type,
    make_faiss_index,
)
from confsearch.retrieval.store.folder import claim_index_folder

__all__ = [
    "FLAT_MAX",
    "GENERIC_QUERIES",
    "BuildLocked",
    "BuildReport",
    "IndexError_",
    "LoadedIndex",
    "build_index",
    "check_compatible",
    "choose_index_type",
    "compute_hubness",
    "corpus_fingerprint",
    "current_version_dir",
    "embed_text",
    "is_stale",
    "lexical_text",
    "load_index",
    "make_faiss_index",
    "read_manifest",
]

Progress = Callable[[str, int, int], None]

# Content-free questions. Passages that are close to *all* of them (typically lists of
# questions) are "hubs" that steal the top rank from the passage that actually answers;
# search discounts their dense score by how much more hub-like they are than average.
GENERIC_QUERIES = (
    "Vad sades om detta?",
    "Hur kan man arbeta med det här?",
    "Vilken region gjorde detta?",
    "Vilka lärdomar finns?",
    "Hur kan regionen göra?",
    "Vad behöver man tänka på?",
    "Vad handlar lärpasset om?",
    "Hur gick det till?",
    "Vem berättade om det?",
    "Vad är viktigt att göra?",
    "What did they say about this?",
    "Which region worked on this?",
    "How can a region do this?",
    "What are the lessons learned?",
    "Hur kan vi samarbeta bättre?",
    "Vad saknas?",
)


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
    skipped: bool = False  # nothing changed and --if-stale


def as_store(where: Path | str | Store) -> Store:
    """A store from a store or an index folder (the files backend)."""
    return FilesStore(Path(where)) if isinstance(where, (str, Path)) else where


def embed_text(p: Passage) -> str:
    """The passage with its session title (and region) as context, one of the two texts
    embedded per passage (see :func:`passage_vectors`).

    The title carries the topic that short quotes omit; the region lets "which region"
    questions match passages that never name the region themselves.
    """
    head = p.session
    if p.regions:
        head = f"{head} ({', '.join(p.regions)})"
    return f"{head}\n{p.text}" if head else p.text


def embedded_texts(p: Passage) -> tuple[str, str]:
    """The two texts embedded for a passage: with its context, and its text alone."""
    return embed_text(p), p.text


def passage_vectors(with_context: np.ndarray, alone: np.ndarray) -> np.ndarray:
    """The search vector of each passage: the mean of its two embeddings, not normalised,
    so its inner product with a query is exactly the mean of the two cosines.

    With the context a passage matches questions about its session or region that its
    text never names; alone, the context cannot drown a short quote's own content. The
    mean of both ranked best on the tuning sets (held-out dev Hit@1 0.955 vs 0.940 with
    context only and 0.925 text only; the old set and SweFAQ dev unchanged).
    """
    return ((with_context + alone) / 2).astype(np.float32)


def _keys(passages, embedder) -> list[str]:
    texts = dict.fromkeys(t for p in passages for t in embedded_texts(p))
    return [content_key(embedder.name, embedder.passage_prompt, t) for t in texts]


def encode_passages(
    passages: list[Passage],
    embedder: Embedder,
    cache: dict[str, np.ndarray] | None = None,
    *,
    batch_size: int = 32,
    progress: Progress | None = None,
) -> tuple[np.ndarray, dict[str, np.ndarray], int]:
    """Search vectors of ``passages``, embedding only texts the cache lacks.

    Returns (vectors, embeddings by content key — the next build's cache, number of texts
    that needed the model).
    """
    cache = dict(cache or {})
    pairs = [embedded_texts(p) for p in passages]
    texts = list(dict.fromkeys(t for pair in pairs for t in pair))
    key_of = {t: content_key(embedder.name, embedder.passage_prompt, t) for t in texts}
    missing = [t for t in texts if key_of[t] not in cache]
    for start in range(0, len(missing), batch_size):
        chunk = missing[start : start + batch_size]
        encoded = embedder.encode_passages(chunk, batch_size=batch_size)
        for t, v in zip(chunk, encoded, strict=True):
            cache[key_of[t]] = v
        if progress:
            progress("embed", min(start + batch_size, len(missing)), len(missing))
    embeddings = {key_of[t]: cache[key_of[t]] for t in texts}
    if not pairs:
        return np.zeros((0, embedder.dim), np.float32), embeddings, len(missing)
    vectors = passage_vectors(
        np.stack([embeddings[key_of[a]] for a, _ in pairs]),
        np.stack([embeddings[key_of[b]] for _, b in pairs]),
    )
    return vectors, embeddings, len(missing)


def lexical_text(p: Passage) -> str:
    """Lexical view: passage text plus title, regions and speaker names (all searchable)."""
    extra = " ".join([p.session, *p.regions, *p.speakers])
    return f"{p.text}\n{extra}"


def content_key(model_name: str, prompt: str, text: str) -> str:
    return hashlib.sha256(f"{model_name}\x00{prompt}\x00{text}".encode()).hexdigest()[:32]


def corpus_fingerprint(corpus_dir: Path) -> str:
    """Hash of the name, size and mtime of every file the reader reads, documents and
    their metadata sidecars (cheap enough for every page start), and of the reading rules
    (:data:`confsearch.reading.corpus.READ_RULES`); files it ignores (lock files, ``.git/``, other
    types) do not count."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        return hashlib.sha256().hexdigest()
    paths = [*corpus_files(corpus_dir), *sidecar_files(corpus_dir)]
    return fingerprint_of(file_stats(corpus_dir, paths))


def fingerprint_of(files) -> str:
    """The fingerprint of (relative path, size, mtime_ns) entries: of the corpus as it is
    now (:func:`corpus_fingerprint`) or as a build read it (``CorpusResult.files``), so
    a build that read a corpus changing under it is stale afterwards. Names are hashed
    as the bytes the file system holds, whatever their encoding."""
    h = hashlib.sha256()
    h.update(f"rules {READ_RULES}\n".encode())
    for rel, size, mtime_ns in files:
        h.update(name_bytes(rel) + f"\x00{size}\x00{mtime_ns}\n".encode())
    return h.hexdigest()


def compute_hubness(vectors: np.ndarray, embedder: Embedder) -> np.ndarray:
    """Per passage: mean cosine to content-free questions, centred on the corpus mean."""
    if not len(vectors):
        return np.zeros(0, dtype=np.float32)
    generic = embedder.encode_queries(list(GENERIC_QUERIES))
    hub = np.asarray(vectors @ generic.T, dtype=np.float32).mean(axis=1)
    return (hub - hub.mean()).astype(np.float32)


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


def is_stale(manifest: Manifest | None, corpus_dir: Path, model: str | None = None) -> bool:
    """Whether ``manifest`` (None: no index) no longer describes the corpus and model."""
    if manifest is None or manifest.format_version != FORMAT_VERSION:
        return True
    if model and manifest.model != model:
        return True
    return manifest.corpus_fingerprint != corpus_fingerprint(corpus_dir)


def check_compatible(manifest: Manifest, embedder: Embedder) -> None:
    """Refuse to mix embeddings: same model, same prompts, same format, same dimension."""
    if manifest.format_version != FORMAT_VERSION:
        raise IndexError_(
            f"Indexet har formatversion {manifest.format_version}, men den här versionen "
            f"av Konferenssök läser version {FORMAT_VERSION}. {REBUILD_HINT}"
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
            raise IndexError_(f"Det finns inget index ({store.name}). {REBUILD_HINT}")
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
        cache = store.cached_vectors(_keys(passages, embedder), embedder.dim)
        vectors, embeddings, embedded = encode_passages(
            passages, embedder, cache, batch_size=batch_size, progress=progress
        )
        manifest = Manifest(
            model=embedder.name,
            query_prompt=embedder.query_prompt,
            passage_prompt=embedder.passage_prompt,
            dim=embedder.dim,
            dtype=embedder.dtype,
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
