"""The PostgreSQL schema: versioned migrations, the per-version passage table, lock keys.

Migrations are the files ``migrations/NNNN_name.sql``, applied in order, each in the same
transaction as its row in ``schema_version``, under an advisory lock so that several page
and API instances starting at once migrate once. A database whose schema is newer than
this code is refused rather than written to. The extensions (``vector``, ``unaccent``)
are created if missing, which needs the right to do so; a managed database usually has
them installed by its administrator.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from confsearch.retrieval.store.base import IndexError_

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
EXTENSIONS = ("vector", "unaccent")

# HNSW build settings, chosen by measurement (bench/search.py; docs/scaling.md).
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 64

# Advisory lock keys: (class, object). The object is derived from the schema name, so
# stores in different schemas of one database never wait for each other.
_LOCK_CLASS = 0x43534B  # "CSK"
MIGRATION_LOCK = (_LOCK_CLASS + 1, 0)


def build_lock_key(schema: str) -> tuple[int, int]:
    """Held (session level) for a whole build: reading the corpus, embedding, publishing."""
    return _LOCK_CLASS, zlib.crc32(schema.encode()) - 2**31


def publish_lock_key(schema: str) -> tuple[int, int]:
    """Held (transaction level) while a version is written, also without a build lock."""
    return _LOCK_CLASS + 2, zlib.crc32(schema.encode()) - 2**31


def scalar(cursor: psycopg.Cursor) -> Any:
    """The first column of the one row a statement always returns (an aggregate, a
    function call, ``INSERT … RETURNING``): ``fetchone()`` alone is typed as maybe None."""
    row = cursor.fetchone()
    if row is None:
        raise psycopg.DataError("the statement returned no row")
    return row[0]


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, SQL) of every migration file, in order."""
    out = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        m = re.fullmatch(r"(\d{4})_(\w+)\.sql", path.name)
        if m:
            out.append((int(m.group(1)), m.group(2), path.read_text(encoding="utf-8")))
    numbers = [n for n, _, _ in out]
    assert numbers == list(range(1, len(out) + 1)), f"migrations must be 0001… in order: {numbers}"
    return out


def set_search_path(conn: psycopg.Connection, schema: str, *, local: bool) -> None:
    """Our schema first, then the database's default path (where the extensions live)."""
    conn.execute(
        "SELECT set_config('search_path', quote_ident(%s) || ', ' || "
        "current_setting('search_path'), %s)",
        (schema, local),
    )


def applied(conn: psycopg.Connection, schema: str) -> int:
    """The schema version in the database (0: none yet)."""
    exists = scalar(
        conn.execute(
            "SELECT to_regclass(quote_ident(%s) || '.schema_version') IS NOT NULL", (schema,)
        )
    )
    if not exists:
        return 0
    query = sql.SQL("SELECT coalesce(max(version), 0) FROM {}.schema_version")
    return int(scalar(conn.execute(query.format(sql.Identifier(schema)))))


def migrate(conn: psycopg.Connection, schema: str) -> int:
    """Bring ``schema`` up to the latest migration (``conn`` in autocommit mode)."""
    steps = migrations()
    have = applied(conn, schema)
    if have > len(steps):
        raise IndexError_(
            f"Databasschemat {schema!r} har version {have}, men den här versionen av "
            f"Konferenssök känner bara till version {len(steps)}. Uppdatera Konferenssök."
        )
    if have == len(steps):
        return have
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", MIGRATION_LOCK)
        for ext in EXTENSIONS:
            _create_extension(conn, ext)
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        set_search_path(conn, schema, local=True)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, "
            "name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())"
        )
        have = applied(conn, schema)  # another instance may have migrated meanwhile
        for number, name, text in steps[have:]:
            conn.execute(text)
            conn.execute(
                "INSERT INTO schema_version (version, name) VALUES (%s, %s)", (number, name)
            )
    return len(steps)


def _create_extension(conn: psycopg.Connection, name: str) -> None:
    exists = conn.execute("SELECT 1 FROM pg_extension WHERE extname = %s", (name,)).fetchone()
    if exists:
        return
    try:
        with conn.transaction():
            conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise IndexError_(
            f"Databasen saknar tillägget {name} och det kunde inte skapas "
            f"({exc.diag.message_primary}). "
            f"Be databasens administratör köra: CREATE EXTENSION {name};"
        ) from exc


def passage_table(version_id: int) -> str:
    return f"passage_v{int(version_id)}"


def passage_table_ddl(table: str, dim: int) -> sql.Composed:
    """One version's passages: metadata, hubness, a halfvec(dim) and a Swedish full text."""
    return sql.SQL(
        """CREATE TABLE {table} (
            pos          integer NOT NULL,
            passage_id   text NOT NULL,
            doc_id       text NOT NULL,
            session      text NOT NULL,
            regions      text[] NOT NULL,
            speakers     text[] NOT NULL,
            links        text[] NOT NULL,
            source       text NOT NULL,
            start_offset integer NOT NULL,
            end_offset   integer NOT NULL,
            metadata     jsonb NOT NULL,
            body         text NOT NULL,
            hub          real NOT NULL,
            embedding    halfvec({dim}) NOT NULL,
            fts          tsvector GENERATED ALWAYS AS
                             (passage_tsvector(body, session, regions, speakers)) STORED
        )"""
    ).format(table=sql.Identifier(table), dim=sql.Literal(int(dim)))


def passage_table_indexes(table: str) -> list[sql.Composed]:
    """Built after the rows are in (faster than inserting into indexed tables)."""
    t = sql.Identifier(table)
    return [
        sql.SQL("ALTER TABLE {} ADD PRIMARY KEY (pos)").format(t),
        sql.SQL("CREATE INDEX {} ON {} (passage_id)").format(sql.Identifier(f"{table}_id"), t),
        sql.SQL(
            "CREATE INDEX {} ON {} USING hnsw (embedding halfvec_ip_ops) "
            "WITH (m = {}, ef_construction = {})"
        ).format(
            sql.Identifier(f"{table}_hnsw"),
            t,
            sql.Literal(HNSW_M),
            sql.Literal(HNSW_EF_CONSTRUCTION),
        ),
        sql.SQL("CREATE INDEX {} ON {} USING gin (fts)").format(sql.Identifier(f"{table}_fts"), t),
        sql.SQL("ANALYZE {}").format(t),
    ]
