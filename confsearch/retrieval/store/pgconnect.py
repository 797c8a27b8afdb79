"""Connections to PostgreSQL: connection strings, schema names, pools and Swedish errors.

Everything the PostgreSQL store needs before it can ask the database anything lives here,
so :mod:`confsearch.retrieval.store.postgres` reads as what is stored where. Every
database error becomes a Swedish :class:`IndexError_` (:func:`database_errors`); the
driver's own words go to the log.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

import psycopg
from pgvector.psycopg import register_vector
from psycopg import sql
from psycopg_pool import ConnectionPool, PoolTimeout

from confsearch.messages import DATABASE_NOT_ANSWERING
from confsearch.retrieval.store import pgschema
from confsearch.retrieval.store.base import IndexError_

# Query-time HNSW candidate list (hnsw.ef_search), chosen by measurement (bench/search.py,
# docs/scaling.md). With hnsw.iterative_scan = relaxed_order a query asking for more rows
# (the Searcher asks for 100, eval for 250) keeps scanning instead of returning fewer.
# 1000 = pgvector's maximum, the only value with recall@10 >= 0.95 at 1M (0.975, p50 8 ms).
EF_SEARCH = 1000
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

# One pool per (url, schema) in a process, shared by every store that uses it; it is
# closed when the last store using it closes, never under another store's query.
_POOLS: dict[tuple[str, str], ConnectionPool] = {}
_POOL_USERS: dict[tuple[str, str], int] = {}
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


def configure(conn: psycopg.Connection, schema: str) -> None:
    register_vector(conn)
    pgschema.set_search_path(conn, schema, local=False)
    conn.execute("SELECT set_config('hnsw.ef_search', %s, false)", (str(EF_SEARCH),))
    conn.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', false)")
    conn.execute("SELECT set_config('statement_timeout', %s, false)", (f"{STATEMENT_TIMEOUT}s",))
    conn.execute("SELECT set_config('lock_timeout', %s, false)", (f"{LOCK_TIMEOUT}s",))


def connect(url: str, location: str, schema: str) -> psycopg.Connection:
    """A connection of its own (builds and locks: they outlive a pooled query)."""
    with database_errors(location, schema):
        conn = psycopg.connect(
            url,
            autocommit=True,
            prepare_threshold=None,
            connect_timeout=CONNECT_TIMEOUT,
            application_name="konferenssok",
        )
    return conn


def acquire_pool(url: str, schema: str, location: str) -> ConnectionPool:
    """The process's pool for (url, schema), made (and the schema migrated) on first use.

    Every call counts one more user; each user gives it back once with
    :func:`release_pool`. Two stores (the index and the notes, or a reader and a build
    in one process) share the pool, so one closing must not close it under the other.
    """
    key = (url, schema)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is not None:
            _POOL_USERS[key] += 1
            return pool
        with connect(url, location, schema) as conn, database_errors(location, schema):
            pgschema.migrate(conn, schema)
        pool = ConnectionPool(
            url,
            min_size=1,
            max_size=POOL_MAX,
            kwargs={
                "autocommit": True,
                "prepare_threshold": None,
                "connect_timeout": CONNECT_TIMEOUT,
                "application_name": "konferenssok",
            },
            configure=lambda conn: configure(conn, schema),
            check=ConnectionPool.check_connection,
            open=False,
            name=f"konferenssok-{schema}",
        )
        with database_errors(location, schema):
            pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        _POOLS[key] = pool
        _POOL_USERS[key] = 1
        return pool


@contextlib.contextmanager
def database_errors(location: str, schema: str) -> Iterator[None]:
    """Every database error as a Swedish :class:`IndexError_` (never a traceback):
    the API answers it with 503, the CLI with its message."""
    try:
        yield
    except psycopg.errors.UndefinedTable:
        raise  # a version dropped under a reader: its callers say so in their words
    except (psycopg.errors.QueryCanceled, psycopg.errors.LockNotAvailable) as exc:
        raise IndexError_(
            f"Databasen {location} svarade inte i tid (tidsgräns "
            f"{STATEMENT_TIMEOUT} s; en tabell kan vara låst eller servern överbelastad). "
            "Försök igen om en stund."
        ) from exc
    except psycopg.errors.InsufficientPrivilege as exc:
        _log_detail(exc)
        raise IndexError_(
            f"Databasanvändaren saknar behörighet i {location}. Be databasens "
            f"administratör ge användaren rätt till schemat {schema} (eller att "
            "skapa det)."
        ) from exc
    except (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout) as exc:
        _log_detail(exc)
        raise IndexError_(DATABASE_NOT_ANSWERING.format(location=location)) from exc
    except psycopg.Error as exc:
        _log_detail(exc)
        raise IndexError_(
            f"Databasen {location} gav ett fel. Försök igen; om felet kvarstår, "
            "kontakta den som driver databasen."
        ) from exc


def ping(url: str, schema: str, location: str) -> None:
    """Raises unless the database answers within :data:`PING_TIMEOUT` (a connection of
    its own: a full or broken pool must not hide the answer)."""
    with (
        database_errors(location, schema),
        psycopg.connect(
            url,
            autocommit=True,
            connect_timeout=PING_TIMEOUT,
            application_name="konferenssok-health",
            options=f"-c statement_timeout={PING_TIMEOUT * 1000}",
        ) as conn,
    ):
        conn.execute(
            sql.SQL("SELECT 1 FROM {}.live_version LIMIT 1").format(sql.Identifier(schema))
        )


def release_pool(url: str, schema: str) -> None:
    """One user of :func:`acquire_pool` is done; the last one closes the pool."""
    key = (url, schema)
    with _POOLS_LOCK:
        if key not in _POOLS:
            return
        _POOL_USERS[key] -= 1
        if _POOL_USERS[key] > 0:
            return
        pool = _POOLS.pop(key)
        del _POOL_USERS[key]
    pool.close()


def _log_detail(exc: BaseException) -> None:
    """The driver's own (English) words go to the log for whoever runs the service; the
    user gets the Swedish message."""
    logging.getLogger(__name__).info("database error: %s", _first_line(exc))


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
