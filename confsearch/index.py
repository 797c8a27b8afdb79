"""Building, storing and loading the search index (dense FAISS + Swedish lexical).

Layout of an index folder::

    index/
      CURRENT            name of the live version folder (replaced atomically)
      .lock              held while a build runs, so two builds never interleave
      v-<time>-<rand>/   one complete, immutable build
        manifest.json    model, prompts, dim, dtype, corpus fingerprint, checksums
        passages.jsonl   the passages, in vector order
        vectors.npy      normalized float32 passage vectors (also the re-embed cache)
        keys.npy         content hash per vector (model + prompt + embedded text)
        dense.faiss      FAISS inner-product index
        lexical/         BM25 index

A build writes a new version folder and only then points CURRENT at it, so a crash at
any moment leaves the previous index loadable and correct.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from confsearch.corpus import corpus_files, read_corpus
from confsearch.documents import CorpusResult, Passage, ReadError, distinct_regions
from confsearch.fsutil import atomic_write, file_sha256, fsync_dir
from confsearch.messages import REBUILD_HINT
from confsearch.model import Embedder

FORMAT_VERSION = 1
# Up to this many passages exact search is fast enough (bench/search.py, 2 cores: 6 ms at
# 100k, 13 ms at 200k, 59 ms at 1M). Above it an IVF index: on the synthetic 1M set
# (real passage vectors + noise) IVF with ~sqrt(n) lists and nprobe 64 gave recall@10 0.99
# at ~4 ms and a 13 s build, where HNSW (M 32, efSearch 4096) reached only 0.66 at 12 ms
# after a 209 s build. HNSW stays available as an explicit choice.
FLAT_MAX = 200_000
IVF_NPROBE = 64
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 4096

Progress = Callable[[str, int, int], None]


class IndexError_(RuntimeError):
    """The index is missing, damaged or incompatible; the message says how to fix it."""


@dataclass
class BuildReport:
    index_dir: Path
    version: str
    passages: int
    documents: int
    embedded: int  # passages that needed the model (the rest came from the cache)
    reused: int
    seconds: float
    index_type: str
    errors: list[ReadError] = field(default_factory=list)
    skipped: bool = False  # nothing changed and --if-stale


def embed_text(p: Passage) -> str:
    """What the model sees for a passage: the session title (and region) as context.

    The title carries the topic that short quotes omit; the region lets "which region"
    questions match passages that never name the region themselves.
    """
    head = p.session
    if p.regions:
        head = f"{head} ({', '.join(p.regions)})"
    return f"{head}\n{p.text}" if head else p.text


def lexical_text(p: Passage) -> str:
    """Lexical view: passage text plus title, regions and speaker names (all searchable)."""
    extra = " ".join([p.session, *p.regions, *p.speakers])
    return f"{p.text}\n{extra}"


def content_key(model_name: str, prompt: str, text: str) -> str:
    return hashlib.sha256(f"{model_name}\x00{prompt}\x00{text}".encode()).hexdigest()[:32]


def corpus_fingerprint(corpus_dir: Path) -> str:
    """Hash of the name, size and mtime of every file the reader reads (cheap enough for
    every page start); files it ignores (lock files, ``.git/``, other types) do not count."""
    h = hashlib.sha256()
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        return h.hexdigest()
    for path in corpus_files(corpus_dir):
        try:
            st = path.stat()
        except OSError:
            continue
        rel = path.relative_to(corpus_dir).as_posix()
        h.update(f"{rel}\x00{st.st_size}\x00{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


# ---------------------------------------------------------------- version pointer & lock


def current_version_dir(index_dir: Path) -> Path | None:
    pointer = Path(index_dir) / "CURRENT"
    if not pointer.is_file():
        return None
    name = pointer.read_text().strip()
    if not name or "/" in name or name.startswith("."):
        return None
    path = Path(index_dir) / name
    return path if path.is_dir() else None


class BuildLocked(IndexError_):
    pass


@contextlib.contextmanager
def build_lock(index_dir: Path, *, wait: bool = True) -> Iterator[None]:
    """Serialise builds of one index folder across processes (flock, released on death)."""
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    fd = os.open(Path(index_dir) / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise BuildLocked(
                "En annan indexering pågår redan för den här mappen. Vänta tills den är klar."
            ) from exc
        yield
    finally:
        os.close(fd)


def _collect_garbage(index_dir: Path, keep: str) -> None:
    """Remove old versions and leftovers of crashed builds (only under the build lock)."""
    for child in Path(index_dir).iterdir():
        if (
            child.is_dir()
            and child.name != keep
            and (child.name.startswith("v-") or child.name.startswith(".build-"))
        ):
            shutil.rmtree(child, ignore_errors=True)


# ---------------------------------------------------------------- FAISS


def choose_index_type(n: int) -> str:
    return "flat" if n <= FLAT_MAX else "ivf"


def ivf_nlist(n: int) -> int:
    """About sqrt(n) inverted lists, as a power of two (1M passages → 1024)."""
    return max(16, 2 ** round(math.log2(math.sqrt(max(n, 1)))))


def make_faiss_index(vectors: np.ndarray, index_type: str | None = None):
    """Exact inner product for small corpora, IVF above ``FLAT_MAX`` (as txtai does)."""
    import faiss

    n, dim = vectors.shape
    kind = index_type or choose_index_type(n)
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "ivf":
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, ivf_nlist(n), faiss.METRIC_INNER_PRODUCT)
        index.cp.max_points_per_centroid = 64  # k-means on a sample: seconds, not minutes
        index.train(np.ascontiguousarray(vectors, dtype=np.float32))
        index.nprobe = IVF_NPROBE
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        raise ValueError(f"unknown index type {kind!r}")
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


# ---------------------------------------------------------------- building


def _passage_to_json(p: Passage) -> str:
    d = asdict(p)
    return json.dumps(d, ensure_ascii=False)


def _passage_from_json(line: str) -> Passage:
    d = json.loads(line)
    for key in ("regions", "speakers", "links"):
        d[key] = tuple(d.get(key) or ())
    return Passage(**d)


def _load_cache(index_dir: Path) -> dict[str, np.ndarray]:
    """Vectors of the live index, by content key: unchanged text is never re-embedded."""
    live = current_version_dir(index_dir)
    if live is None:
        return {}
    try:
        keys = np.load(live / "keys.npy", allow_pickle=False)
        vecs = np.load(live / "vectors.npy", allow_pickle=False, mmap_mode="r")
    except (OSError, ValueError):
        return {}
    if len(keys) != len(vecs):
        return {}
    return {str(k): vecs[i] for i, k in enumerate(keys)}


def read_manifest(index_dir: Path) -> dict | None:
    live = current_version_dir(index_dir)
    if live is None:
        return None
    try:
        return json.loads((live / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_stale(index_dir: Path, corpus_dir: Path, embedder_name: str | None = None) -> bool:
    manifest = read_manifest(index_dir)
    if manifest is None or manifest.get("format_version") != FORMAT_VERSION:
        return True
    if embedder_name and manifest.get("model") != embedder_name:
        return True
    return manifest.get("corpus_fingerprint") != corpus_fingerprint(corpus_dir)


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    *,
    batch_size: int = 32,
    progress: Progress | None = None,
    source_root: Path | None = None,
    index_type: str | None = None,
) -> BuildReport:
    """Read the corpus, embed what changed, and atomically publish a new index version."""
    t0 = time.perf_counter()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    if not corpus_dir.is_dir():
        raise IndexError_(f"Korpusmappen {corpus_dir} finns inte.")
    with build_lock(index_dir):
        fingerprint = corpus_fingerprint(corpus_dir)
        result: CorpusResult = read_corpus(
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
        texts = [embed_text(p) for p in passages]
        keys = [content_key(embedder.name, embedder.passage_prompt, t) for t in texts]
        cache = _load_cache(index_dir)
        missing = [i for i, k in enumerate(keys) if k not in cache]
        vectors = np.zeros((len(passages), embedder.dim), dtype=np.float32)
        for i, k in enumerate(keys):
            if k in cache and cache[k].shape == (embedder.dim,):
                vectors[i] = cache[k]
            elif k in cache:
                missing.append(i)
        missing = sorted(set(missing))
        for start in range(0, len(missing), batch_size):
            chunk = missing[start : start + batch_size]
            vectors[chunk] = embedder.encode_passages(
                [texts[i] for i in chunk], batch_size=batch_size
            )
            if progress:
                progress("embed", min(start + batch_size, len(missing)), len(missing))

        version = f"v-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"
        tmp = index_dir / f".build-{version}"
        tmp.mkdir(parents=True)
        try:
            _write_version(
                tmp, passages, vectors, keys, embedder, fingerprint, index_type, result, corpus_dir
            )
            final = index_dir / version
            os.rename(tmp, final)
            fsync_dir(index_dir)
            atomic_write(index_dir / "CURRENT", version.encode())
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _collect_garbage(index_dir, keep=version)
        manifest = json.loads((index_dir / version / "manifest.json").read_text())
    return BuildReport(
        index_dir=index_dir,
        version=version,
        passages=len(passages),
        documents=len(result.documents),
        embedded=len(missing),
        reused=len(passages) - len(missing),
        seconds=time.perf_counter() - t0,
        index_type=manifest["index_type"],
        errors=list(result.errors),
    )


def _write_version(
    folder: Path,
    passages: list[Passage],
    vectors: np.ndarray,
    keys: list[str],
    embedder: Embedder,
    fingerprint: str,
    index_type: str | None,
    result: CorpusResult,
    corpus_dir: Path,
) -> None:
    import faiss

    from confsearch.lexical import LexicalIndex

    (folder / "passages.jsonl").write_text(
        "".join(_passage_to_json(p) + "\n" for p in passages), encoding="utf-8"
    )
    np.save(folder / "vectors.npy", vectors)
    np.save(folder / "keys.npy", np.array(keys))
    kind = index_type or choose_index_type(len(passages))
    faiss.write_index(make_faiss_index(vectors, kind), str(folder / "dense.faiss"))
    (folder / "lexical").mkdir()
    LexicalIndex.build([lexical_text(p) for p in passages]).save(folder / "lexical")
    documents = [
        {
            "doc_id": d.doc_id,
            "title": d.title,
            "source": d.source,
            "sessions": [s.title for s in d.sessions],
        }
        for d in result.documents
    ]
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    manifest = {
        "format_version": FORMAT_VERSION,
        "model": embedder.name,
        "query_prompt": embedder.query_prompt,
        "passage_prompt": embedder.passage_prompt,
        "dim": embedder.dim,
        "dtype": embedder.dtype,
        "index_type": kind,
        "passages": len(passages),
        "documents": documents,
        "corpus_fingerprint": fingerprint,
        "corpus_dir": str(Path(corpus_dir).resolve()),
        "read_errors": [asdict(e) for e in result.errors],
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "checksums": {str(p.relative_to(folder)): file_sha256(p) for p in files},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    for p in [*files, folder / "manifest.json"]:
        with p.open("rb") as f:
            os.fsync(f.fileno())
    fsync_dir(folder)


# ---------------------------------------------------------------- loading


@dataclass
class LoadedIndex:
    folder: Path
    manifest: dict
    passages: list[Passage]
    vectors: np.ndarray
    dense: object  # faiss.Index
    lexical: object  # LexicalIndex

    @property
    def regions(self) -> list[str]:
        return distinct_regions(self.passages)

    @property
    def sessions(self) -> list[str]:
        return list(dict.fromkeys(p.session for p in self.passages if p.session))


def check_compatible(manifest: dict, embedder: Embedder) -> None:
    """Refuse to mix embeddings: same model, same prompts, same format, same dimension."""
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexError_(
            f"Indexet har formatversion {manifest.get('format_version')}, men den här versionen "
            f"av Konferenssök läser version {FORMAT_VERSION}. {REBUILD_HINT}"
        )
    problems = []
    if manifest.get("model") != embedder.name:
        problems.append(f"modellen {manifest.get('model')!r} (nu: {embedder.name!r})")
    if (
        manifest.get("query_prompt") != embedder.query_prompt
        or manifest.get("passage_prompt") != embedder.passage_prompt
    ):
        problems.append("andra prompter")
    if manifest.get("dim") != embedder.dim:
        problems.append(f"dimension {manifest.get('dim')} (nu: {embedder.dim})")
    if problems:
        raise IndexError_(
            "Indexet byggdes med " + ", ".join(problems) + " och kan inte användas med den "
            "nuvarande modellen – inbäddningar blandas aldrig. " + REBUILD_HINT
        )


def load_index(
    index_dir: Path, embedder: Embedder | None = None, *, verify: bool = True
) -> LoadedIndex:
    import faiss

    from confsearch.lexical import LexicalIndex

    index_dir = Path(index_dir)
    folder = current_version_dir(index_dir)
    if folder is None:
        raise IndexError_(f"Det finns inget index i {index_dir}. {REBUILD_HINT}")
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexError_(f"Indexets manifest i {folder} är skadat. {REBUILD_HINT}") from exc
    if embedder is not None:
        check_compatible(manifest, embedder)
    if verify:
        for rel, digest in manifest.get("checksums", {}).items():
            path = folder / rel
            if not path.is_file() or file_sha256(path) != digest:
                raise IndexError_(
                    f"Indexfilen {rel} är skadad eller ändrad (kontrollsumman stämmer inte). "
                    + REBUILD_HINT
                )
    try:
        passages = [
            _passage_from_json(line)
            for line in (folder / "passages.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        dense = faiss.read_index(str(folder / "dense.faiss"))
        if isinstance(dense, faiss.IndexHNSW):
            dense.hnsw.efSearch = HNSW_EF_SEARCH
        elif isinstance(dense, faiss.IndexIVF):
            dense.nprobe = IVF_NPROBE
        lexical = LexicalIndex.load(folder / "lexical")
    except Exception as exc:  # any unreadable file means the same thing to the user
        raise IndexError_(f"Indexet i {folder} kunde inte läsas ({exc}). {REBUILD_HINT}") from exc
    if not (len(passages) == len(vectors) == dense.ntotal == len(lexical)):
        raise IndexError_(f"Indexets delar i {folder} har olika storlek. {REBUILD_HINT}")
    return LoadedIndex(folder, manifest, passages, vectors, dense, lexical)
