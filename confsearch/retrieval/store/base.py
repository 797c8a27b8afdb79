"""The store's contract: the Store protocol, the manifest and the shared types of a build.

Every backend and every caller imports these from here, so the package's ``__init__`` only
chooses and opens a backend and no backend imports the package that opens it.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np

from confsearch.embedding.base import Embedder
from confsearch.errors import ConfsearchError
from confsearch.reading.documents import Passage, ReadError, distinct_regions

FORMAT_VERSION = 3  # 3: grounding's word vectors embed words as written, not folded


def new_version_name() -> str:
    """A version name that sorts by build time (to the nanosecond): "newest" is the last."""
    now = time.time_ns()
    stamp = time.strftime("%Y%m%d%H%M%S", time.localtime(now // 10**9))
    return f"v-{stamp}-{now % 10**9:09d}-{secrets.token_hex(3)}"


class IndexError_(ConfsearchError, RuntimeError):
    """The index is missing, damaged, incompatible or not ours; the message says what to do."""

    http_status = 503  # the API cannot answer until the index is usable again


class BuildLocked(IndexError_):
    pass


@dataclass(frozen=True)
class DocumentInfo:
    doc_id: str
    title: str
    source: str
    sessions: tuple[str, ...]
    metadata: dict[str, Any] = field(default_factory=dict)
    # Per session, in the order of ``sessions``: the organisations the reader found acting
    # in it, as written (speakers' organisations, presenters). The Korpus tab shows these
    # rather than every organisation a session's text names (a venue is no actor).
    # Empty in manifests written before it existed.
    session_organisations: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Manifest:
    """What an index version is: its model, its corpus and how it was built."""

    model: str
    query_prompt: str
    passage_prompt: str
    dim: int
    dtype: str
    index_type: str
    passages: int
    corpus_fingerprint: str
    corpus_dir: str
    built: str
    documents: tuple[DocumentInfo, ...] = ()
    read_errors: tuple[ReadError, ...] = ()
    checksums: dict[str, str] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    version: str = ""

    @classmethod
    def of_model(cls, embedder: Embedder, **build: Any) -> Manifest:
        """The manifest of a version built with ``embedder``: its model fields (what a
        searcher checks its question model against) from the one place, the rest given."""
        return cls(
            model=embedder.name,
            query_prompt=embedder.query_prompt,
            passage_prompt=embedder.passage_prompt,
            dim=embedder.dim,
            dtype=embedder.dtype,
            **build,
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Manifest:
        """Raises KeyError/TypeError/ValueError for a manifest that is not one."""
        docs = tuple(
            DocumentInfo(
                doc_id=str(x["doc_id"]),
                title=str(x.get("title") or ""),
                source=str(x.get("source") or ""),
                sessions=tuple(x.get("sessions") or ()),
                metadata=dict(x.get("metadata") or {}),
                session_organisations=tuple(
                    tuple(str(o) for o in orgs) for orgs in x.get("session_organisations") or ()
                ),
            )
            for x in d.get("documents") or ()
        )
        errors = tuple(
            ReadError(
                str(e.get("path", "")),
                str(e.get("message", "")),
                str(e.get("kind", "error")),
                str(e.get("file", "")),
            )
            for e in d.get("read_errors") or ()
        )
        return cls(
            model=str(d["model"]),
            query_prompt=str(d["query_prompt"]),
            passage_prompt=str(d["passage_prompt"]),
            dim=int(d["dim"]),
            dtype=str(d.get("dtype", "")),
            index_type=str(d.get("index_type", "")),
            passages=int(d["passages"]),
            corpus_fingerprint=str(d.get("corpus_fingerprint", "")),
            corpus_dir=str(d.get("corpus_dir", "")),
            built=str(d.get("built", "")),
            documents=docs,
            read_errors=errors,
            checksums=dict(d.get("checksums") or {}),
            format_version=int(d["format_version"]),
            version=str(d.get("version", "")),
        )

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        return cls.from_dict(json.loads(text))


@dataclass(frozen=True)
class Filter:
    """Restricts a search to one organisation and/or one session (canonical names)."""

    region: str | None = None
    session: str | None = None

    def __bool__(self) -> bool:
        return bool(self.region or self.session)


class DenseIndex(Protocol):
    """Inner-product search over the passage vectors of one loaded version."""

    def search(
        self, qvec: np.ndarray, k: int, flt: Filter | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Positions (int64) and cosines (float32) of the best ``k`` passages, best first."""
        ...

    def scores(self, qvec: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """Cosine between ``qvec`` and each given passage (float32)."""
        ...


@dataclass
class BuildData:
    """Everything a backend stores for one version (computed by
    :mod:`confsearch.retrieval.index`)."""

    passages: list[Passage]
    vectors: np.ndarray  # float32 search vectors, one row per passage (confsearch.retrieval.index)
    embeddings: dict[str, np.ndarray]  # content hash -> embedding: the re-embed cache
    hub: np.ndarray  # hubness per passage (see confsearch.retrieval.index.GENERIC_QUERIES)
    # Named bytes the store keeps as they are ("lexical/lexical.meta.json", …): the lexical
    # index and the grounding vocabulary, serialised by confsearch.retrieval.indexparts.
    # A name is a path of two parts, folder and file (the files backend's layout).
    blobs: dict[str, bytes]
    manifest: Manifest
    index_type: str | None = None  # force a FAISS index type (benchmarks)


@dataclass
class LoadedIndex:
    """A version loaded for searching: what :class:`confsearch.retrieval.search.Searcher` needs."""

    manifest: Manifest
    passages: list[Passage]
    dense: DenseIndex = field(init=False)  # attached after: it needs :meth:`keeps`
    lexical: Any  # confsearch.retrieval.lexical.LexicalIndex
    hub: np.ndarray
    version: str = ""
    vocabulary: Any = None  # confsearch.retrieval.grounding.Vocabulary (None: no grounding)
    # The build's blobs as the store read them; the index layer turns them into
    # ``lexical`` and ``vocabulary`` (confsearch.retrieval.indexparts) and drops them.
    blobs: dict[str, bytes] = field(default_factory=dict, repr=False)
    _pos: dict[str, int] | None = field(default=None, repr=False)
    _masks: dict[Filter, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def regions(self) -> list[str]:
        return distinct_regions(self.passages)

    @property
    def sessions(self) -> list[str]:
        return list(dict.fromkeys(p.session for p in self.passages if p.session))

    def position(self, passage_id: str) -> int:
        if self._pos is None:
            self._pos = {p.id: i for i, p in enumerate(self.passages)}
        return self._pos[passage_id]

    def passage(self, passage_id: str) -> Passage | None:
        try:
            return self.passages[self.position(passage_id)]
        except KeyError:
            return None

    def mask(self, flt: Filter | None) -> np.ndarray | None:
        """Boolean mask of the passages a filter keeps (None: no filter)."""
        if not flt:
            return None
        return self.keeps(flt)

    def keeps(self, flt: Filter) -> np.ndarray:
        """Boolean mask of the passages a non-empty filter keeps (cached per filter)."""
        keep = self._masks.get(flt)
        if keep is None:  # no lock: threads may both compute it, never see it half-made
            keep = np.ones(len(self.passages), dtype=bool)
            if flt.region:
                keep &= np.array([flt.region in p.regions for p in self.passages], dtype=bool)
            if flt.session:
                keep &= np.array([p.session == flt.session for p in self.passages], dtype=bool)
            if len(self._masks) >= 64:
                self._masks.clear()
            self._masks[flt] = keep
        return keep


class Store(Protocol):
    """A place an index lives. Builds are atomic: readers see the old or the new version."""

    name: str  # "files" or "postgres", for messages and benchmarks

    @property
    def location(self) -> str:
        """Where the index is, for messages (a folder, or a database without password)."""
        ...

    def current_version(self) -> str | None: ...

    def read_manifest(self) -> Manifest | None:
        """The live version's manifest; None if there is no index at all. Raises
        :class:`IndexError_` if an index is there but cannot be read (never rebuild it)."""
        ...

    def cached_vectors(self, keys: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        """Vectors of the live version by content key (unchanged text is never re-embedded)."""
        ...

    def build_lock(self, *, wait: bool = True) -> Any:
        """A context manager that serialises builds (raises BuildLocked if ``not wait``)."""
        ...

    def publish(self, build: BuildData) -> str:
        """Store a complete version and make it the live one atomically; returns its name."""
        ...

    def load(self, *, verify: bool = True) -> LoadedIndex:
        """The live version with its blobs (``lexical`` still None: the index layer's
        :func:`confsearch.retrieval.index.load_index` makes it). Raises :class:`IndexError_`
        (Swedish)."""
        ...

    def stats(self) -> dict[str, Any]: ...

    def remove_everything(self) -> None:
        """Delete every version (``embed.py --replace``: the index may be unreadable)."""
        ...
