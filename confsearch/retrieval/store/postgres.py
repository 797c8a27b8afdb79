"""The shared backend: PostgreSQL + pgvector (``CONFSEARCH_DATABASE_URL``).

Several page and API instances can search one database. What lives where:

* **Passages and vectors** in one table per index version (``passage_v<id>``, see
  :mod:`confsearch.retrieval.store.pgschema`): metadata, hubness, a ``halfvec(dim)`` column with an
  HNSW index (inner product) and a Swedish full-text column with a GIN index. Dense search
  runs in the database.
* **Lexical ranking** stays in the app: the same Swedish BM25 index (decompounding, typo
  tolerance, glossary) and grounding vocabulary as the files backend, stored as blobs of
  the version and loaded with it, so both backends rank identically. Ranking in SQL with
  ``ts_rank_cd`` over the full-text column was measured and ranks worse
  (``bench/pg_ranking.py``, docs/scaling.md).
* **Versions**: a build writes a complete new version — table, indexes, documents,
  blobs, the embedding cache and the live pointer — in ONE transaction. Readers see the
  old or the new corpus, never a mix; a build killed at any moment leaves nothing behind.
  The two newest versions are kept, so a reader that loaded the previous one keeps
  working. Builds are serialised with an advisory lock held by the building session (it
  dies with the process).

Connections come from a psycopg-pool per (database, schema) and process. Statements are
never prepared server-side (``prepare_threshold=None``): a prepared plan outlives
``SET`` of planner settings, a generic plan does not see the ``LIMIT``, and a pooler in
transaction mode (PgBouncer) does not keep them; planning these statements costs well
under a millisecond.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import asdict, replace
from typing import Any

import numpy as np
import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from confsearch.messages import (
    INDEX_FORMAT_OTHER,
    INDEX_NO_CHECKSUMS,
    INDEX_PART_CHANGED,
    REBUILD_HINT,
    no_index,
)
from confsearch.reading.documents import Passage
from confsearch.retrieval.store import pgconnect, pgschema
from confsearch.retrieval.store.base import (
    FORMAT_VERSION,
    BuildData,
    BuildLocked,
    IndexError_,
    LoadedIndex,
    Manifest,
    new_version_name,
)
from confsearch.retrieval.store.pgconnect import (
    EF_SEARCH,
    LOAD_TIMEOUT,
    STATEMENT_TIMEOUT,
    check_schema_name,
    check_url,
    database_errors,
    redact,
)
from confsearch.retrieval.store.pgdense import PgDense
from confsearch.retrieval.store.pgingest import drop_versions, read_passages, write_version

DEFAULT_SCHEMA = "confsearch"
KEEP_VERSIONS = 2


def passage_json(p: Passage) -> str:
    """Canonical JSON of a passage (keys sorted: jsonb does not keep key order)."""
    return json.dumps(asdict(p), ensure_ascii=False, sort_keys=True)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PostgresStore:
    """An index in schema ``schema`` of the database at ``url``."""

    name = "postgres"

    def __init__(self, url: str, schema: str | None = None) -> None:
        check_url(url)
        self.url = url
        self.schema = schema or DEFAULT_SCHEMA
        check_schema_name(self.schema)
        self._pool_held: ConnectionPool | None = None  # the shared pool, once this store uses it
        self._pool_lock = threading.Lock()

    @property
    def location(self) -> str:
        return f"{redact(self.url)} (schema {self.schema})"

    # ------------------------------------------------------------ connections

    def _connect(self) -> psycopg.Connection:
        """A connection of its own (builds and locks: they outlive a pooled query)."""
        return pgconnect.connect(self.url, self.location, self.schema)

    def _pool(self) -> ConnectionPool:
        """The process's shared pool for this database and schema, held by this store
        (counted once) until :meth:`close`."""
        with self._pool_lock:
            if self._pool_held is None:
                self._pool_held = pgconnect.acquire_pool(self.url, self.schema, self.location)
            return self._pool_held

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection (autocommit, pgvector types, our schema on the path)."""
        pool = self._pool()
        with self._errors(), pool.connection(timeout=STATEMENT_TIMEOUT) as conn:
            yield conn

    def _errors(self) -> contextlib.AbstractContextManager[None]:
        """Every database error as a Swedish :class:`IndexError_` (see
        :func:`confsearch.retrieval.store.pgconnect.database_errors`)."""
        return database_errors(self.location, self.schema)

    def ping(self) -> None:
        """Raises :class:`IndexError_` unless the database answers within
        :data:`PING_TIMEOUT` and our schema is readable (a connection of its own: a full
        or broken pool must not hide the answer)."""
        try:
            self._ping()
        except psycopg.errors.UndefinedTable as exc:
            raise IndexError_(f"Indexets tabeller saknas i {self.location}.") from exc

    def _ping(self) -> None:
        pgconnect.ping(self.url, self.schema, self.location)

    def close(self) -> None:
        """Give back the shared pool; it closes when no other store in this process uses
        it (another store's query is never cut off)."""
        with self._pool_lock:
            held, self._pool_held = self._pool_held, None
        if held is not None:
            pgconnect.release_pool(self.url, self.schema)

    # ------------------------------------------------------------ the live version

    def _live(self, conn: psycopg.Connection) -> tuple | None:
        return conn.execute(
            "SELECT v.id, v.name, v.passage_table, v.manifest FROM live_version l "
            "JOIN index_version v ON v.id = l.version_id"
        ).fetchone()

    def current_version(self) -> str | None:
        try:
            with self.connection() as conn:
                live = self._live(conn)
        except IndexError_:
            return None
        return live[1] if live else None

    def read_manifest(self) -> Manifest | None:
        with self.connection() as conn:
            live = self._live(conn)
            return None if live is None else self._manifest(conn, live)

    def _manifest(self, conn: psycopg.Connection, live: tuple) -> Manifest:
        version_id, name, _table, stored = live
        docs: dict[int, dict] = {}
        for ord_, doc_id, title, source, metadata in conn.execute(
            "SELECT ord, doc_id, title, source, metadata FROM document "
            "WHERE version_id = %s ORDER BY ord",
            (version_id,),
        ):
            docs[ord_] = {
                "doc_id": doc_id,
                "title": title,
                "source": source,
                "metadata": metadata,
                "sessions": [],
            }
        for doc_ord, title in conn.execute(
            "SELECT doc_ord, title FROM session WHERE version_id = %s ORDER BY doc_ord, ord",
            (version_id,),
        ):
            docs[doc_ord]["sessions"].append(title)
        try:
            return Manifest.from_dict({**stored, "documents": list(docs.values()), "version": name})
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexError_(
                f"Indexets manifest i {self.location} är skadat. {REBUILD_HINT}"
            ) from exc

    # ------------------------------------------------------------ building

    @contextlib.contextmanager
    def build_lock(self, *, wait: bool = True) -> Iterator[None]:
        """An advisory lock held by a session of its own: it dies with the process."""
        self._pool()  # the schema exists (migrated) before anyone builds
        conn = self._connect()
        try:
            key = pgschema.build_lock_key(self.schema)
            if wait:
                conn.execute("SELECT pg_advisory_lock(%s, %s)", key)
            elif not pgschema.scalar(conn.execute("SELECT pg_try_advisory_lock(%s, %s)", key)):
                raise BuildLocked(
                    "En annan indexering pågår redan för den här databasen. Vänta tills den "
                    "är klar."
                )
            yield
        finally:
            conn.close()

    def cached_vectors(self, keys: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        if not keys:
            return {}
        with self.connection() as conn, conn.transaction():
            conn.execute("SELECT set_config('statement_timeout', %s, true)", (f"{LOAD_TIMEOUT}s",))
            rows = conn.execute(
                "SELECT key, embedding FROM embedding_cache WHERE key = ANY(%s) AND dim = %s",
                (list(keys), dim),
            ).fetchall()
        return {k: np.asarray(v.to_numpy(), dtype=np.float32) for k, v in rows}

    def publish(self, build: BuildData) -> str:
        """Write a complete version and make it live, in one transaction."""
        self._pool()
        name = new_version_name()
        blobs = dict(build.blobs)
        checksums = {n: sha256(b) for n, b in blobs.items()}
        checksums["passages"] = sha256(
            "".join(passage_json(p) + "\n" for p in build.passages).encode()
        )
        checksums["hub"] = sha256(np.asarray(build.hub, dtype=np.float32).tobytes())
        manifest = replace(build.manifest, index_type="hnsw", version=name, checksums=checksums)
        with self._connect() as conn, self._errors():
            write_version(conn, self.schema, build, manifest, blobs)
            self._collect_garbage(conn)
        return name

    def _collect_garbage(self, conn: psycopg.Connection) -> None:
        """Drop all but the newest ``KEEP_VERSIONS`` versions (best effort: a version a
        slow reader still holds is dropped by a later build)."""
        old = conn.execute(
            "SELECT id, passage_table FROM index_version WHERE id <> "
            "coalesce((SELECT version_id FROM live_version), -1) ORDER BY id DESC OFFSET %s",
            (KEEP_VERSIONS - 1,),
        ).fetchall()
        drop_versions(conn, old, lock_timeout="5s")

    def remove_everything(self) -> None:
        """Drop every version and the embedding cache (``embed.py --replace``)."""
        with self._connect() as conn, self._errors():
            pgschema.set_search_path(conn, self.schema, local=False)
            with conn.transaction():
                conn.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", pgschema.publish_lock_key(self.schema)
                )
                conn.execute("DELETE FROM live_version")
                conn.execute("TRUNCATE embedding_cache")
                rows = conn.execute("SELECT id, passage_table FROM index_version").fetchall()
                drop_versions(conn, rows, lock_timeout=None)

    def drop_schema(self) -> None:
        """Remove the whole schema (tests, and evaluation indexes)."""
        self.close()
        with self._connect() as conn:
            conn.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(self.schema))
            )

    # ------------------------------------------------------------ loading

    def load(self, *, verify: bool = True) -> LoadedIndex:
        """The live version. If a build dropped it while we were reading it (two builds
        in the meantime), try once more on the new one."""
        try:
            return self._load(verify)
        except psycopg.errors.UndefinedTable:
            try:
                return self._load(verify)
            except psycopg.errors.UndefinedTable as exc:
                raise IndexError_(
                    f"Indexet i {self.location} byttes ut medan det lästes in. Försök igen "
                    "om en stund."
                ) from exc

    def _load(self, verify: bool) -> LoadedIndex:
        with self.connection() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            conn.execute("SELECT set_config('statement_timeout', %s, true)", (f"{LOAD_TIMEOUT}s",))
            live = self._live(conn)
            if live is None:
                raise IndexError_(no_index(self.location))
            manifest = self._manifest(conn, live)
            if manifest.format_version != FORMAT_VERSION:
                raise IndexError_(
                    INDEX_FORMAT_OTHER.format(found=manifest.format_version, reads=FORMAT_VERSION)
                )
            passages, hub, dims = read_passages(conn, live[2])
            blobs = read_blobs(conn, live[0])
        if dims - {manifest.dim}:
            raise IndexError_(
                f"Indexets vektorer i {self.location} har dimension {sorted(dims)} men "
                f"manifestet säger {manifest.dim}. {REBUILD_HINT}"
            )
        if verify:
            self._verify(manifest, passages, hub, blobs)
        if len({len(passages), len(hub), manifest.passages}) != 1:
            raise IndexError_(f"Indexets delar i {self.location} har olika storlek. {REBUILD_HINT}")
        index = LoadedIndex(
            manifest=manifest,
            passages=passages,
            lexical=None,
            hub=hub,
            version=manifest.version,
            blobs=blobs,
        )
        index.dense = PgDense(self, live[2], len(passages), index.keeps)
        return index

    def _verify(self, manifest: Manifest, passages, hub, blobs: dict[str, bytes]) -> None:
        if not manifest.checksums:
            raise IndexError_(INDEX_NO_CHECKSUMS.format(index=self.location))
        actual = {n: sha256(b) for n, b in blobs.items()}
        actual["passages"] = sha256("".join(passage_json(p) + "\n" for p in passages).encode())
        actual["hub"] = sha256(np.asarray(hub, dtype=np.float32).tobytes())
        for part, digest in manifest.checksums.items():
            if part not in actual:
                raise IndexError_(f"Indexdelen {part} saknas i databasen. {REBUILD_HINT}")
            if actual[part] != digest:
                raise IndexError_(INDEX_PART_CHANGED.format(part=f"Indexdelen {part}"))

    def stats(self) -> dict[str, Any]:
        with self.connection() as conn:
            live = self._live(conn)
            if live is None:
                return {"backend": self.name, "version": None}
            size = pgschema.scalar(
                conn.execute(
                    "SELECT pg_total_relation_size(%s::regclass) + coalesce((SELECT "
                    "sum(octet_length(data)) FROM version_blob WHERE version_id = %s), 0)",
                    (live[2], live[0]),
                )
            )
            manifest = self._manifest(conn, live)
        return {
            "backend": self.name,
            "version": live[1],
            "passages": manifest.passages,
            "documents": len(manifest.documents),
            "index_type": manifest.index_type,
            "hnsw": {
                "m": pgschema.HNSW_M,
                "ef_construction": pgschema.HNSW_EF_CONSTRUCTION,
                "ef_search": EF_SEARCH,
            },
            "bytes": int(size),
        }


# ---------------------------------------------------------------- blobs


def read_blobs(conn: psycopg.Connection, version_id: int) -> dict[str, bytes]:
    parts: dict[str, list[bytes]] = {}
    with conn.cursor(binary=True) as cur:
        cur.execute(
            "SELECT name, data FROM version_blob WHERE version_id = %s ORDER BY name, part",
            (version_id,),
        )
        for name, data in cur:
            parts.setdefault(name, []).append(bytes(data))
    return {name: b"".join(chunks) for name, chunks in parts.items()}
