"""Writing and reading one index version in PostgreSQL (see
:mod:`confsearch.retrieval.store.postgres`).

:func:`write_version` is the whole ingest, in one transaction: a new passage table filled
with binary COPY, its indexes built after the rows are in, documents and sessions, the
lexical blobs, the embedding cache replaced by this version's embeddings, and the live
pointer moved. The connection asks the server to notice a vanished client during long
statements (``client_connection_check_interval``), so a killed build stops building its
HNSW index and rolls back instead of finishing it for nobody.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import psycopg
from pgvector import HalfVector, Vector
from pgvector.psycopg import register_vector
from psycopg import sql
from psycopg.types.json import Jsonb

from confsearch.messages import REBUILD_HINT
from confsearch.reading.documents import Passage
from confsearch.retrieval.store import pgschema
from confsearch.retrieval.store.base import BuildData, IndexError_, Manifest

COPY_TYPES = [
    "int4", "text", "text", "text", "text[]", "text[]", "text[]", "text",
    "int4", "int4", "jsonb", "text", "float4", "halfvec",
]  # fmt: skip
COLUMNS = (
    "pos, passage_id, doc_id, session, regions, speakers, links, source, "
    "start_offset, end_offset, metadata, body, hub"
)
BLOB_PART = 8 * 2**20  # bytes per blob row


def write_version(
    conn: psycopg.Connection,
    schema: str,
    build: BuildData,
    manifest: Manifest,
    blobs: dict[str, bytes],
) -> int:
    """Store ``build`` as a new version and make it live; returns its id."""
    register_vector(conn)
    pgschema.set_search_path(conn, schema, local=False)
    conn.execute("SET client_connection_check_interval = '2s'")
    stored = asdict(manifest)
    stored.pop("documents")
    stored.pop("version")
    with conn.transaction():
        conn.execute("SET LOCAL statement_timeout = 0")
        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", pgschema.publish_lock_key(schema))
        version_id = pgschema.scalar(
            conn.execute(
                "INSERT INTO index_version (name, model, dim, passage_table, manifest) "
                "VALUES (%s, %s, %s, '', %s) RETURNING id",
                (manifest.version, manifest.model, manifest.dim, Jsonb(stored)),
            )
        )
        table = pgschema.passage_table(version_id)
        conn.execute(
            "UPDATE index_version SET passage_table = %s WHERE id = %s", (table, version_id)
        )
        conn.execute(pgschema.passage_table_ddl(table, manifest.dim))
        _copy_passages(conn, table, build)
        for statement in pgschema.passage_table_indexes(table):
            conn.execute(statement)
        _write_documents(conn, version_id, manifest)
        _write_blobs(conn, version_id, blobs)
        _replace_cache(conn, manifest, build.embeddings)
        conn.execute(
            "INSERT INTO live_version (singleton, version_id) VALUES (true, %s) "
            "ON CONFLICT (singleton) DO UPDATE SET version_id = EXCLUDED.version_id",
            (version_id,),
        )
    return version_id


def _copy_passages(conn: psycopg.Connection, table: str, build: BuildData) -> None:
    vectors = np.asarray(build.vectors, dtype=np.float32)
    hub = np.asarray(build.hub, dtype=np.float32)
    query = sql.SQL("COPY {} ({}, embedding) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(table), sql.SQL(COLUMNS)
    )
    with conn.cursor() as cur, cur.copy(query) as copy:
        copy.set_types(COPY_TYPES)
        for i, p in enumerate(build.passages):
            copy.write_row(
                (
                    i,
                    p.id,
                    p.doc_id,
                    p.session,
                    list(p.regions),
                    list(p.speakers),
                    list(p.links),
                    p.source,
                    p.start,
                    p.end,
                    _json_safe(p.metadata),
                    p.text,
                    float(hub[i]),
                    HalfVector(vectors[i]),
                )
            )


def _json_safe(d: dict) -> dict:
    """Metadata as JSON can hold it (what it cannot, as text)."""
    return json.loads(json.dumps(d, ensure_ascii=False, default=str))


def _write_documents(conn: psycopg.Connection, version_id: int, manifest: Manifest) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO document (version_id, ord, doc_id, title, source, metadata) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (version_id, i, d.doc_id, d.title, d.source, Jsonb(_json_safe(d.metadata)))
                for i, d in enumerate(manifest.documents)
            ],
        )
        cur.executemany(
            "INSERT INTO session (version_id, doc_ord, ord, title) VALUES (%s, %s, %s, %s)",
            [
                (version_id, i, j, title)
                for i, d in enumerate(manifest.documents)
                for j, title in enumerate(d.sessions)
            ],
        )


def _write_blobs(conn: psycopg.Connection, version_id: int, blobs: dict[str, bytes]) -> None:
    with (
        conn.cursor() as cur,
        cur.copy(
            "COPY version_blob (version_id, name, part, data) FROM STDIN (FORMAT BINARY)"
        ) as copy,
    ):
        copy.set_types(["int8", "text", "int4", "bytea"])
        for name, data in blobs.items():
            for part, start in enumerate(range(0, max(len(data), 1), BLOB_PART)):
                copy.write_row((version_id, name, part, data[start : start + BLOB_PART]))


def _replace_cache(conn: psycopg.Connection, manifest: Manifest, embeddings: dict) -> None:
    """The cache becomes this version's embeddings (what the files backend keeps too)."""
    conn.execute(
        "CREATE TEMP TABLE new_cache (key text PRIMARY KEY, embedding vector NOT NULL) "
        "ON COMMIT DROP"
    )
    with (
        conn.cursor() as cur,
        cur.copy("COPY new_cache (key, embedding) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(["text", "vector"])
        for key, vec in embeddings.items():
            copy.write_row((key, Vector(np.asarray(vec, dtype=np.float32))))
    conn.execute(
        "DELETE FROM embedding_cache c WHERE NOT EXISTS "
        "(SELECT 1 FROM new_cache n WHERE n.key = c.key)"
    )
    conn.execute(
        "INSERT INTO embedding_cache (key, model, dim, embedding) "
        "SELECT key, %s, vector_dims(embedding), embedding FROM new_cache "
        "ON CONFLICT (key) DO NOTHING",
        (manifest.model,),
    )


def drop_versions(
    conn: psycopg.Connection, rows: list[tuple[int, str]], *, lock_timeout: str | None
) -> None:
    """Drop versions (their table and catalogue rows). With ``lock_timeout``, a version
    whose table a reader holds is skipped: a later build drops it."""
    for version_id, table in rows:
        try:
            with conn.transaction():
                if lock_timeout:
                    conn.execute("SELECT set_config('lock_timeout', %s, true)", (lock_timeout,))
                if table:
                    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table)))
                conn.execute("DELETE FROM index_version WHERE id = %s", (version_id,))
        except psycopg.errors.LockNotAvailable:
            continue


def read_passages(
    conn: psycopg.Connection, table: str
) -> tuple[list[Passage], np.ndarray, set[int]]:
    """A version's passages in vector order, their hubness and the vectors' dimensions."""
    passages: list[Passage] = []
    hub: list[float] = []
    query = sql.SQL("SELECT {}, vector_dims(embedding) FROM {} ORDER BY pos").format(
        sql.SQL(COLUMNS), sql.Identifier(table)
    )
    dims: set[int] = set()
    with conn.cursor(binary=True) as cur:
        cur.execute(query)
        for row in cur:
            (pos, pid, doc_id, session, regions, speakers, links, source) = row[:8]
            start, end, metadata, body, h, dim = row[8:]
            if pos != len(passages):
                raise IndexError_(f"Styckenas ordning i {table} har luckor. {REBUILD_HINT}")
            passages.append(
                Passage(
                    id=pid,
                    doc_id=doc_id,
                    text=body,
                    session=session,
                    regions=tuple(regions),
                    speakers=tuple(speakers),
                    source=source,
                    start=start,
                    end=end,
                    links=tuple(links),
                    metadata=metadata,
                )
            )
            hub.append(h)
            dims.add(dim)
    return passages, np.array(hub, dtype=np.float32), dims
