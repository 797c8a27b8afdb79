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
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, replace
from typing import Any

import numpy as np
import psycopg
from pgvector import HalfVector
from pgvector.psycopg import register_vector
from psycopg import sql
from psycopg_pool import ConnectionPool, PoolTimeout

from confsearch.messages import REBUILD_HINT
from confsearch.reading.documents import Passage
from confsearch.retrieval.store import pgschema
from confsearch.retrieval.store.base import (
    FORMAT_VERSION,
    BuildData,
    BuildLocked,
    Filter,
    IndexError_,
    LoadedIndex,
    Manifest,
    new_version_name,
)
from confsearch.retrieval.store.pgingest import drop_versions, read_passages, write_version

DEFAULT_SCHEMA = "confsearch"
# Query-time HNSW candidate list (hnsw.ef_search), chosen by measurement (bench/search.py,
# docs/scaling.md). With hnsw.iterative_scan = relaxed_order a query asking for more rows
# (the Searcher asks for 100, eval for 250) keeps scanning instead of returning fewer.
# 1000 = pgvector's maximum, the only value with recall@10 >= 0.95 at 1M (0.975, p50 8 ms).
EF_SEARCH = 1000
MAX_SCAN_TUPLES = 20_000  # pgvector's hnsw.max_scan_tuples default
# A filter keeping at most this many passages is searched exactly (as the files backend
# does): an approximate search would have to visit about k * n / kept tuples.
EXACT_FILTER_MIN = 20_000
KEEP_VERSIONS = 2
POOL_MAX = 10
CONNECT_TIMEOUT = 15  # seconds (a loaded machine)
# Per statement of a pooled connection (searches, manifests): a stopped server or a table
# someone holds locked is a Swedish 503 within these, not a hung request. Waiting for a
# pooled connection is bounded the same way. Loading a whole version takes longer
# (LOAD_TIMEOUT); builds use connections of their own without a limit.
STATEMENT_TIMEOUT = 10  # seconds
LOCK_TIMEOUT = 5  # seconds
LOAD_TIMEOUT = 600  # seconds
PING_TIMEOUT = 3  # seconds, /health's check that the database answers
# Schema names PostgreSQL reserves or shares with everyone: an index there would mix with
# the system catalogs or with other applications' tables.
RESERVED_SCHEMAS = ("public", "information_schema")

_POOLS: dict[tuple[str, str], ConnectionPool] = {}
_POOLS_LOCK = threading.Lock()


def check_schema_name(schema: str) -> None:
    """Refuse a reserved or shared schema name (``pg_*``, ``public``,
    ``information_schema``) before anything is written."""
    name = schema.strip().lower()
    if not name or name.startswith("pg_") or name in RESERVED_SCHEMAS:
        raise IndexError_(
            f"Schemanamnet {schema!r} kan inte användas för indexet: namn som börjar med "
            "pg_, public och information_schema tillhör PostgreSQL eller delas med andra. "
            "Välj ett eget namn med CONFSEARCH_DATABASE_SCHEMA (standard: confsearch)."
        )


def check_url(url: str) -> None:
    """Refuse a malformed connection string without ever showing it (it may hold a
    password)."""
    try:
        psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        raise IndexError_(
            "CONFSEARCH_DATABASE_URL går inte att tolka. Skriv den som "
            "postgresql://användare:lösenord@värd:port/databas."
        ) from None


def redact(url: str) -> str:
    """The URL without its password (for messages)."""
    try:
        d = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://…"
    host = d.get("host") or "localhost"
    port = f":{d['port']}" if d.get("port") else ""
    user = f"{d['user']}@" if d.get("user") else ""
    return f"postgresql://{user}{host}{port}/{d.get('dbname') or ''}"


def passage_json(p: Passage) -> str:
    """Canonical JSON of a passage (keys sorted: jsonb does not keep key order)."""
    return json.dumps(asdict(p), ensure_ascii=False, sort_keys=True)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _configure(conn: psycopg.Connection, schema: str) -> None:
    register_vector(conn)
    pgschema.set_search_path(conn, schema, local=False)
    conn.execute("SELECT set_config('hnsw.ef_search', %s, false)", (str(EF_SEARCH),))
    conn.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', false)")
    conn.execute("SELECT set_config('statement_timeout', %s, false)", (f"{STATEMENT_TIMEOUT}s",))
    conn.execute("SELECT set_config('lock_timeout', %s, false)", (f"{LOCK_TIMEOUT}s",))


class PostgresStore:
    """An index in schema ``schema`` of the database at ``url``."""

    name = "postgres"

    def __init__(self, url: str, schema: str | None = None) -> None:
        check_url(url)
        self.url = url
        self.schema = schema or DEFAULT_SCHEMA
        check_schema_name(self.schema)

    @property
    def location(self) -> str:
        return f"{redact(self.url)} (schema {self.schema})"

    # ------------------------------------------------------------ connections

    def _connect(self) -> psycopg.Connection:
        """A connection of its own (builds and locks: they outlive a pooled query)."""
        with self._errors():
            conn = psycopg.connect(
                self.url,
                autocommit=True,
                prepare_threshold=None,
                connect_timeout=CONNECT_TIMEOUT,
                application_name="konferenssok",
            )
        return conn

    def _pool(self) -> ConnectionPool:
        key = (self.url, self.schema)
        with _POOLS_LOCK:
            pool = _POOLS.get(key)
            if pool is not None:
                return pool
            with self._connect() as conn, self._errors():
                pgschema.migrate(conn, self.schema)
            pool = ConnectionPool(
                self.url,
                min_size=1,
                max_size=POOL_MAX,
                kwargs={
                    "autocommit": True,
                    "prepare_threshold": None,
                    "connect_timeout": CONNECT_TIMEOUT,
                    "application_name": "konferenssok",
                },
                configure=lambda conn: _configure(conn, self.schema),
                check=ConnectionPool.check_connection,
                open=False,
                name=f"konferenssok-{self.schema}",
            )
            with self._errors():
                pool.open(wait=True, timeout=CONNECT_TIMEOUT)
            _POOLS[key] = pool
            return pool

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection (autocommit, pgvector types, our schema on the path)."""
        pool = self._pool()
        with self._errors(), pool.connection(timeout=STATEMENT_TIMEOUT) as conn:
            yield conn

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Every database error as a Swedish :class:`IndexError_` (never a traceback):
        the API answers it with 503, the CLI with its message."""
        try:
            yield
        except psycopg.errors.UndefinedTable:
            raise  # a version dropped under a reader: its callers say so in their words
        except (psycopg.errors.QueryCanceled, psycopg.errors.LockNotAvailable) as exc:
            raise IndexError_(
                f"Databasen {self.location} svarade inte i tid (tidsgräns "
                f"{STATEMENT_TIMEOUT} s; en tabell kan vara låst eller servern överbelastad). "
                "Försök igen om en stund."
            ) from exc
        except psycopg.errors.InsufficientPrivilege as exc:
            _log_detail(exc)
            raise IndexError_(
                f"Databasanvändaren saknar behörighet i {self.location}. Be databasens "
                f"administratör ge användaren rätt till schemat {self.schema} (eller att "
                "skapa det)."
            ) from exc
        except (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout) as exc:
            _log_detail(exc)
            raise IndexError_(
                f"Databasen {self.location} svarar inte. Kontrollera CONFSEARCH_DATABASE_URL "
                "och att databasservern körs."
            ) from exc
        except psycopg.Error as exc:
            _log_detail(exc)
            raise IndexError_(
                f"Databasen {self.location} gav ett fel. Försök igen; om felet kvarstår, "
                "kontakta den som driver databasen."
            ) from exc

    def ping(self) -> None:
        """Raises :class:`IndexError_` unless the database answers within
        :data:`PING_TIMEOUT` and our schema is readable (a connection of its own: a full
        or broken pool must not hide the answer)."""
        try:
            self._ping()
        except psycopg.errors.UndefinedTable as exc:
            raise IndexError_(f"Indexets tabeller saknas i {self.location}.") from exc

    def _ping(self) -> None:
        with (
            self._errors(),
            psycopg.connect(
                self.url,
                autocommit=True,
                connect_timeout=PING_TIMEOUT,
                application_name="konferenssok-health",
                options=f"-c statement_timeout={PING_TIMEOUT * 1000}",
            ) as conn,
        ):
            conn.execute(
                sql.SQL("SELECT 1 FROM {}.live_version LIMIT 1").format(sql.Identifier(self.schema))
            )

    def close(self) -> None:
        with _POOLS_LOCK:
            pool = _POOLS.pop((self.url, self.schema), None)
        if pool is not None:
            pool.close()

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
            elif not conn.execute("SELECT pg_try_advisory_lock(%s, %s)", key).fetchone()[0]:
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
                raise IndexError_(f"Det finns inget index i {self.location}. {REBUILD_HINT}")
            manifest = self._manifest(conn, live)
            if manifest.format_version != FORMAT_VERSION:
                raise IndexError_(
                    f"Indexet har formatversion {manifest.format_version}, men den här "
                    f"versionen av Konferenssök läser version {FORMAT_VERSION}. {REBUILD_HINT}"
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
            dense=None,
            lexical=None,
            hub=hub,
            version=manifest.version,
            blobs=blobs,
        )
        index.dense = PgDense(self, live[2], len(passages), index.mask)
        return index

    def _verify(self, manifest: Manifest, passages, hub, blobs: dict[str, bytes]) -> None:
        if not manifest.checksums:
            raise IndexError_(
                f"Indexet i {self.location} saknar kontrollsummor och kan ha ändrats. "
                + REBUILD_HINT
            )
        actual = {n: sha256(b) for n, b in blobs.items()}
        actual["passages"] = sha256("".join(passage_json(p) + "\n" for p in passages).encode())
        actual["hub"] = sha256(np.asarray(hub, dtype=np.float32).tobytes())
        for part, digest in manifest.checksums.items():
            if part not in actual:
                raise IndexError_(f"Indexdelen {part} saknas i databasen. {REBUILD_HINT}")
            if actual[part] != digest:
                raise IndexError_(
                    f"Indexdelen {part} är skadad eller ändrad (kontrollsumman stämmer inte). "
                    + REBUILD_HINT
                )

    def stats(self) -> dict[str, Any]:
        with self.connection() as conn:
            live = self._live(conn)
            if live is None:
                return {"backend": self.name, "version": None}
            size = conn.execute(
                "SELECT pg_total_relation_size(%s::regclass) + coalesce((SELECT "
                "sum(octet_length(data)) FROM version_blob WHERE version_id = %s), 0)",
                (live[2], live[0]),
            ).fetchone()[0]
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


# ---------------------------------------------------------------- dense search


class PgDense:
    """Dense search in one version's table: HNSW, or exact within a small filter."""

    def __init__(
        self, store: PostgresStore, table: str, n: int, mask: Callable[[Filter], np.ndarray]
    ) -> None:
        self.store = store
        self.table = sql.Identifier(table)
        self.n = n
        self._mask = mask

    def _query(self, query: sql.Composable, params: dict) -> list[tuple[int, float]]:
        try:
            with self.store.connection() as conn:
                return conn.execute(query, params).fetchall()
        except psycopg.errors.UndefinedTable as exc:
            raise IndexError_(
                "Den här indexversionen har ersatts av en nyare och finns inte längre i "
                "databasen. Ladda om sidan eller kör kommandot igen."
            ) from exc

    def search(
        self, qvec: np.ndarray, k: int, flt: Filter | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        params: dict[str, Any] = {"q": HalfVector(np.asarray(qvec, dtype=np.float32))}
        k = min(int(k), self.n)
        rows: list[tuple[int, float]] = []
        if flt:
            keep = np.flatnonzero(self._mask(flt))
            k = min(k, len(keep))
            if k <= 0:
                return np.zeros(0, np.int64), np.zeros(0, np.float32)
            if len(keep) > max(EXACT_FILTER_MIN, k * self.n // (MAX_SCAN_TUPLES // 2)):
                conds = []
                if flt.region:
                    conds.append(sql.SQL("%(region)s = ANY(regions)"))
                    params["region"] = flt.region
                if flt.session:
                    conds.append(sql.SQL("session = %(session)s"))
                    params["session"] = flt.session
                rows = self._query(self._hnsw(k, sql.SQL(" AND ").join(conds)), params)
            if len(rows) < k:  # exact: a small filter, or the approximate scan fell short
                params["pos"] = keep.tolist()
                rows = self._query(self._exact(k), params)
        elif k > 0:
            rows = self._query(self._hnsw(k, None), params)
        # relaxed_order may return rows slightly out of order: sort, ties by position
        rows.sort(key=lambda r: (r[1], r[0]))
        pos = np.array([r[0] for r in rows], dtype=np.int64)
        return pos, -np.array([r[1] for r in rows], dtype=np.float32)

    def _hnsw(self, k: int, where: sql.Composable | None) -> sql.Composed:
        return sql.SQL(
            "SELECT pos, embedding <#> %(q)s FROM {t} {where} "
            "ORDER BY embedding <#> %(q)s LIMIT {k}"
        ).format(
            t=self.table,
            where=sql.SQL("WHERE ") + where if where else sql.SQL(""),
            k=sql.Literal(k),
        )

    def _exact(self, k: int) -> sql.Composed:
        # OFFSET 0 keeps the planner from using the HNSW index for the ORDER BY.
        return sql.SQL(
            "SELECT pos, d FROM (SELECT pos, embedding <#> %(q)s AS d FROM {t} "
            "WHERE pos = ANY(%(pos)s) OFFSET 0) s ORDER BY d, pos LIMIT {k}"
        ).format(t=self.table, k=sql.Literal(k))

    def scores(self, qvec: np.ndarray, positions: np.ndarray) -> np.ndarray:
        positions = np.asarray(positions, dtype=np.int64)
        if not len(positions):
            return np.zeros(0, np.float32)
        rows = self._query(
            sql.SQL("SELECT pos, -(embedding <#> %(q)s) FROM {t} WHERE pos = ANY(%(pos)s)").format(
                t=self.table
            ),
            {"q": HalfVector(np.asarray(qvec, dtype=np.float32)), "pos": positions.tolist()},
        )
        found = dict(rows)
        return np.array([found[int(p)] for p in positions], dtype=np.float32)


def _log_detail(exc: BaseException) -> None:
    """The driver's own (English) words go to the log for whoever runs the service; the
    user gets the Swedish message."""
    logging.getLogger(__name__).info("database error: %s", _first_line(exc))


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
