"""The embedded backend: a folder of immutable index versions behind an atomic pointer.

Layout of an index folder::

    index/
      CURRENT            name of the live version folder (replaced atomically)
      .lock              held while a build runs, so two builds never interleave
      v-<time>-<rand>/   one complete, immutable build
        manifest.json    the typed Manifest, with a sha256 for every other file
        passages.jsonl   the passages, in vector order
        vectors.npy      float32 search vectors, one per passage
        keys.npy         content hash (model + prompt + text) of every embedded text …
        embeddings.npy   … and its embedding: the cache that makes unchanged text free
        hub.npy          hubness per passage (computed at build time)
        dense.faiss      FAISS inner-product index
        lexical/         the build's named blobs, one file each: the BM25 index and the
                         vocabulary (what the corpus mentions), kept as bytes

A build writes a new version folder and only then points CURRENT at it, so a crash at
any moment leaves the previous index loadable and correct. The two newest versions are
kept, so a reader that read CURRENT just before a build finished can still open the
version it read; an old version is renamed away in one step before it is deleted, so a
reader sees all of it or none of it, and one that loses the race reads the new pointer
and tries again.
A folder whose pointer or manifest cannot be read is never overwritten: the user is told
how to rebuild it deliberately. Checksums are required: a version without them is
refused like a damaged one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np

from confsearch.fsutil import atomic_write, file_sha256, fsync_dir
from confsearch.messages import (
    INDEX_FORMAT_OTHER,
    INDEX_NO_CHECKSUMS,
    INDEX_PART_CHANGED,
    REBUILD_HINT,
    no_index,
)
from confsearch.reading.documents import Passage
from confsearch.retrieval.store.base import (
    FORMAT_VERSION,
    BuildData,
    BuildLocked,
    IndexError_,
    LoadedIndex,
    Manifest,
    new_version_name,
)
from confsearch.retrieval.store.faissdense import (
    HNSW_EF_SEARCH,
    IVF_NPROBE,
    FaissDense,
    choose_index_type,
    make_faiss_index,
)
from confsearch.retrieval.store.folder import (
    check_index_folder,
    live_version,
    own_entries,
    replace_hint,
    versions_on_disk,
)

KEEP_VERSIONS = 2  # the live one and the one before it (readers that raced a build)
READ_ATTEMPTS = 10  # a reader that lost the race with publishing builds reads CURRENT again


# ---------------------------------------------------------------- passages on disk


def blob_path(name: str) -> Path:
    """Where a blob lives in a version folder: ``folder/file``, nothing else (a name
    that could climb out of the version, or sit beside its own files, is refused)."""
    parts = Path(name).parts
    if len(parts) != 2 or any(p in ("", ".", "..") for p in parts) or Path(name).is_absolute():
        raise ValueError(f"not a blob name: {name!r}")
    return Path(*parts)


def passage_to_json(p: Passage) -> str:
    return json.dumps(asdict(p), ensure_ascii=False)


def passage_from_json(line: str) -> Passage:
    d = json.loads(line)
    for key in ("regions", "speakers", "links"):
        d[key] = tuple(d.get(key) or ())
    return Passage(**d)


# ---------------------------------------------------------------- the store


class FilesStore:
    """An index folder (see the module docstring)."""

    name = "files"

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)

    @property
    def location(self) -> str:
        return str(self.index_dir)

    # ------------------------------------------------------------ pointer

    def _versions_on_disk(self) -> list[Path]:
        return versions_on_disk(self.index_dir)

    def current_dir(self) -> Path | None:
        """The live version folder; None if there is no index. Raises if unreadable
        (:func:`confsearch.retrieval.store.folder.live_version`)."""
        return live_version(self.index_dir)

    def current_version(self) -> str | None:
        try:
            folder = self.current_dir()
        except IndexError_:
            return None
        return folder.name if folder is not None else None

    def read_manifest(self) -> Manifest | None:
        for attempt in range(1, READ_ATTEMPTS + 1):
            folder = self.current_dir()
            if folder is None:
                return None
            try:
                return self._manifest(folder)
            except FileNotFoundError:
                if attempt == READ_ATTEMPTS:
                    raise IndexError_(self._replaced_message()) from None
        raise AssertionError("unreachable")

    def _replaced_message(self) -> str:
        return (
            f"Indexet i {self.index_dir} byttes ut flera gånger medan det lästes in "
            "(en indexering pågår). Försök igen om en stund."
        )

    def _manifest(self, folder: Path) -> Manifest:
        try:
            manifest = Manifest.from_json((folder / "manifest.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            if not folder.exists():
                raise  # removed by a build while we read it: the caller retries
            raise IndexError_(
                f"Indexets manifest saknas i {folder}. {replace_hint(self.index_dir)}"
            ) from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexError_(
                f"Indexets manifest i {folder} är skadat eller oläsbart. "
                f"{replace_hint(self.index_dir)}"
            ) from exc
        return replace(manifest, version=folder.name)

    # ------------------------------------------------------------ building

    @contextlib.contextmanager
    def build_lock(self, *, wait: bool = True) -> Iterator[None]:
        """Serialise builds of one index folder across processes (flock, freed on death)."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.index_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
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

    def cached_vectors(self, keys: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        """Vectors of the live version by content key (only under the build lock)."""
        try:
            live = self.current_dir()
        except IndexError_:
            return {}
        if live is None:
            return {}
        try:
            stored = np.load(live / "keys.npy", allow_pickle=False)
            vecs = np.load(live / "embeddings.npy", allow_pickle=False, mmap_mode="r")
        except (OSError, ValueError):
            return {}
        if len(stored) != len(vecs) or vecs.ndim != 2 or vecs.shape[1] != dim:
            return {}
        wanted = set(keys)
        return {str(k): np.array(vecs[i]) for i, k in enumerate(stored) if str(k) in wanted}

    def publish(self, build: BuildData) -> str:
        """Write a new version folder, fsync it, point CURRENT at it, drop old versions."""
        version = new_version_name()
        tmp = self.index_dir / f".build-{version}"
        tmp.mkdir(parents=True)
        try:
            self._write(tmp, build, version)
            os.rename(tmp, self.index_dir / version)
            fsync_dir(self.index_dir)
            atomic_write(self.index_dir / "CURRENT", version.encode())
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self._collect_garbage(keep=version)
        return version

    def _write(self, folder: Path, build: BuildData, version: str) -> None:
        import faiss

        (folder / "passages.jsonl").write_text(
            "".join(passage_to_json(p) + "\n" for p in build.passages), encoding="utf-8"
        )
        np.save(folder / "vectors.npy", np.ascontiguousarray(build.vectors, dtype=np.float32))
        keys = list(build.embeddings)
        np.save(folder / "keys.npy", np.array(keys))
        embeddings = np.stack([build.embeddings[k] for k in keys]) if keys else build.vectors[:0]
        np.save(folder / "embeddings.npy", np.asarray(embeddings, dtype=np.float32))
        np.save(folder / "hub.npy", np.asarray(build.hub, dtype=np.float32))
        kind = build.index_type or choose_index_type(len(build.passages))
        faiss.write_index(make_faiss_index(build.vectors, kind), str(folder / "dense.faiss"))
        for name, data in build.blobs.items():
            path = folder / blob_path(name)
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        manifest = replace(
            build.manifest,
            index_type=kind,
            version=version,
            checksums={str(p.relative_to(folder)): file_sha256(p) for p in files},
        )
        (folder / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
        for p in [*files, folder / "manifest.json"]:
            with p.open("rb") as f:
                os.fsync(f.fileno())
        fsync_dir(folder)

    def _collect_garbage(self, keep: str) -> None:
        """Remove leftovers of crashed builds and all but the newest ``KEEP_VERSIONS``
        versions (only under the build lock). Version names sort by build time."""
        versions = [p for p in self._versions_on_disk() if p.name != keep]
        old = versions[: max(0, len(versions) - (KEEP_VERSIONS - 1))]
        for folder in old:
            # Renamed first (atomic): a reader sees the whole version or none of it, never
            # a folder whose files are disappearing one by one.
            with contextlib.suppress(OSError):
                folder.rename(self.index_dir / f".old-{folder.name}")
        for child in self.index_dir.iterdir():
            if child.is_dir() and child.name.startswith((".build-", ".old-")):
                shutil.rmtree(child, ignore_errors=True)

    # ------------------------------------------------------------ loading

    def load(self, *, verify: bool = True) -> LoadedIndex:
        """The live version. If builds replaced it while we were opening it, read the new
        pointer and try again (the two newest versions are kept, so this is rare)."""
        for attempt in range(1, READ_ATTEMPTS + 1):
            try:
                return self._load(verify)
            except FileNotFoundError as exc:
                if attempt == READ_ATTEMPTS:
                    raise IndexError_(self._replaced_message()) from exc
        raise AssertionError("unreachable")

    def _load(self, verify: bool) -> LoadedIndex:
        import faiss

        folder = self.current_dir()
        if folder is None:
            raise IndexError_(no_index(self.index_dir))
        manifest = self._manifest(folder)
        if manifest.format_version != FORMAT_VERSION:
            raise IndexError_(
                INDEX_FORMAT_OTHER.format(found=manifest.format_version, reads=FORMAT_VERSION)
            )
        if verify:
            self._verify(folder, manifest)
        try:
            passages = [
                passage_from_json(line)
                for line in (folder / "passages.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()
            ]
            vectors = np.load(folder / "vectors.npy", allow_pickle=False)
            hub = np.load(folder / "hub.npy", allow_pickle=False)
            dense = faiss.read_index(str(folder / "dense.faiss"))
            if isinstance(dense, faiss.IndexHNSW):
                dense.hnsw.efSearch = HNSW_EF_SEARCH
            elif isinstance(dense, faiss.IndexIVF):
                dense.nprobe = IVF_NPROBE
            blobs = {
                f"{sub.name}/{p.name}": p.read_bytes()
                for sub in sorted(folder.iterdir())
                if sub.is_dir()
                for p in sorted(sub.iterdir())
                if p.is_file()
            }
            if not folder.exists():
                # renamed away by a build while we listed it: is_dir()/is_file() said
                # False for what had gone, so the blobs may be partial; read again
                raise FileNotFoundError(2, "version removed", str(folder))
        except FileNotFoundError:
            if not folder.exists():
                raise  # removed by a build while we read it: the caller retries
            raise IndexError_(f"En fil saknas i indexet i {folder}. {REBUILD_HINT}") from None
        except Exception as exc:  # any unreadable file means the same thing to the user
            if not folder.exists():  # removed by a build while we read it: the caller retries
                raise FileNotFoundError(2, "version removed", str(folder)) from exc
            raise IndexError_(
                f"Indexet i {folder} kunde inte läsas ({exc}). {REBUILD_HINT}"
            ) from exc
        sizes = {len(passages), len(vectors), dense.ntotal, len(hub)}
        if len(sizes) != 1:
            raise IndexError_(f"Indexets delar i {folder} har olika storlek. {REBUILD_HINT}")
        index = LoadedIndex(
            manifest=manifest,
            passages=passages,
            lexical=None,
            hub=np.asarray(hub, dtype=np.float32),
            version=folder.name,
            blobs=blobs,
        )
        index.dense = FaissDense(vectors, dense, index.keeps)
        return index

    def _verify(self, folder: Path, manifest: Manifest) -> None:
        if not manifest.checksums:
            raise IndexError_(INDEX_NO_CHECKSUMS.format(index=folder))
        for rel, digest in manifest.checksums.items():
            path = folder / rel
            if not path.is_file():
                if not folder.exists():
                    raise FileNotFoundError(2, "version removed", str(folder))
                raise IndexError_(f"Indexfilen {rel} saknas. {REBUILD_HINT}")
            if file_sha256(path) != digest:
                raise IndexError_(INDEX_PART_CHANGED.format(part=f"Indexfilen {rel}"))

    def stats(self) -> dict[str, Any]:
        folder = self.current_dir()
        if folder is None:
            return {"backend": self.name, "version": None}
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        m = self._manifest(folder)
        return {
            "backend": self.name,
            "version": folder.name,
            "passages": m.passages,
            "documents": len(m.documents),
            "index_type": m.index_type,
            "bytes": size,
        }

    def remove_everything(self) -> None:
        """Delete the index's versions, pointer and marker (``embed.py --replace``), and
        nothing else: a folder that is not an index is refused untouched."""
        check_index_folder(self.index_dir)
        for child in own_entries(self.index_dir):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
