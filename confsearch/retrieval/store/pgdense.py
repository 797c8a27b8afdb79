"""Dense search in PostgreSQL: pgvector's HNSW index, or exact search within a small filter.

Kept apart from the store that loads a version: a loaded index holds a :class:`PgDense`
that queries the version's table through the store's pooled connections.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
import psycopg
from pgvector import HalfVector
from psycopg import sql

from confsearch.retrieval.store.base import Filter, IndexError_

MAX_SCAN_TUPLES = 20_000  # pgvector's hnsw.max_scan_tuples default
# A filter keeping at most this many passages is searched exactly (as the files backend
# does): an approximate search would have to visit about k * n / kept tuples.
EXACT_FILTER_MIN = 20_000


class Connecting(Protocol):
    """What dense search needs of a store: a pooled connection."""

    def connection(self) -> contextlib.AbstractContextManager[psycopg.Connection]: ...


class PgDense:
    """Dense search in one version's table: HNSW, or exact within a small filter."""

    def __init__(
        self, store: Connecting, table: str, n: int, mask: Callable[[Filter], np.ndarray]
    ) -> None:
        self.store = store
        self.table = sql.Identifier(table)
        self.n = n
        self._mask = mask

    def _query(self, query: sql.Composed, params: dict) -> list[tuple[int, float]]:
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
