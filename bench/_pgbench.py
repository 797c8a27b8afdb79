"""``bench/search.py --backend postgres``: pgvector HNSW next to FAISS on the same vectors.

Why synthetic vectors, and which: 1M real passages cannot be embedded on this machine in a
benchmark's time, and noisy copies of a few dozen real vectors are a near-worst case for any
graph index (thousands of near-ties; see docs/scaling.md). So the vectors are drawn from a
Gaussian fitted to real e5 passage embeddings (the corpus' passages and the SweFAQ answers,
embedded with the project's model): their mean and covariance, shrunk 10 % towards a
diagonal of the same trace because a few hundred samples do not pin down 384×384 entries,
then normalised like the model's output. The queries are real: the project's own question
sets encoded as queries.

For every size N, on the same vectors:

* exact top-10 by float32 inner product (FAISS ``IndexFlatIP``) is the ground truth;
* FAISS as the files backend builds it (``make_faiss_index``: exact up to ``FLAT_MAX``,
  IVF above): build time, p50/p95 per query, recall@10;
* PostgreSQL as the postgres backend stores it (``halfvec(dim)``, HNSW with the m and
  ef_construction of :mod:`confsearch.store.pgschema`): ingest rate (binary COPY), index
  build time, table + index + database size, p50/p95 per query (client wall time over
  TCP loopback, prepared statement) and recall@10 for a sweep of ``hnsw.ef_search``, and
  the latency of what the Searcher really asks (100 candidates at the default ef_search).
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import time
from pathlib import Path

import numpy as np

from bench._report import cpu_description, write_section
from confsearch.store import pgschema
from confsearch.store import postgres as pgstore

ROOT = Path(__file__).resolve().parent.parent
K = 10
EF_SWEEP = (40, 100, 200, 400, 1000)
REPS = 3
SHRINK = 0.1
SERVER_SETTINGS = {  # a benchmark server on 2 shared cores and 24 GiB
    "shared_buffers": "3GB",
    "maintenance_work_mem": "3GB",
    "max_parallel_maintenance_workers": "1",
    "max_parallel_workers_per_gather": "1",
    "effective_cache_size": "12GB",
}


def real_embeddings(embedder) -> np.ndarray:
    """Real passage embeddings: every corpus passage and every SweFAQ answer."""
    from confsearch.corpus import read_corpus
    from confsearch.evaluate import load_swefaq
    from confsearch.index import embed_text

    texts = [embed_text(p) for p in read_corpus(ROOT / "corpus").passages]
    for split in ("dev", "test"):
        texts += load_swefaq(split)[0]
    texts = list(dict.fromkeys(texts))
    return np.asarray(embedder.encode_passages(texts), dtype=np.float32)


def fit_gaussian(real: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = real.mean(axis=0)
    cov = np.cov(real, rowvar=False)
    d = cov.shape[0]
    cov = (1 - SHRINK) * cov + SHRINK * (np.trace(cov) / d) * np.eye(d)
    return mean.astype(np.float64), np.linalg.cholesky(cov)


def sample(mean: np.ndarray, chol: np.ndarray, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, len(mean)), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        x = mean + rng.standard_normal((m, len(mean))) @ chol.T
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        out[start : start + m] = x
    return out


def pct(values: list[float]) -> tuple[float, float]:
    return float(np.percentile(values, 50)), float(np.percentile(values, 95))


def recall(found: list[list[int]], truth: np.ndarray) -> float:
    return float(
        np.mean(
            [len(set(f[:K]) & set(t[:K].tolist())) / K for f, t in zip(found, truth, strict=True)]
        )
    )


def bench_faiss(vectors: np.ndarray, qvecs: np.ndarray) -> tuple[dict, np.ndarray]:
    import faiss

    from confsearch.store.files import choose_index_type, make_faiss_index

    faiss.omp_set_num_threads(1)  # one query, one core: as a PostgreSQL backend runs it
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(qvecs, K)
    t0 = time.perf_counter()
    index = make_faiss_index(vectors)
    build = time.perf_counter() - t0
    times, found = [], []
    for _ in range(REPS):
        found = []
        for q in qvecs:
            t = time.perf_counter()
            _, ids = index.search(q[None, :], K)
            times.append((time.perf_counter() - t) * 1000)
            found.append(ids[0].tolist())
    p50, p95 = pct(times)
    kind = choose_index_type(len(vectors))
    return {"kind": kind, "build_s": build, "p50_ms": p50, "p95_ms": p95,
            "recall": recall(found, truth)}, truth  # fmt: skip


def bench_postgres(url: str, vectors: np.ndarray, qvecs: np.ndarray, truth: np.ndarray) -> dict:
    import psycopg
    from pgvector import HalfVector
    from pgvector.psycopg import register_vector

    n, dim = vectors.shape
    table = f"bench_{n}"
    out: dict = {"m": pgschema.HNSW_M, "ef_construction": pgschema.HNSW_EF_CONSTRUCTION}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        register_vector(conn)
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        t0 = time.perf_counter()
        with conn.transaction():  # created and filled in one transaction: no WAL needed
            conn.execute(f"CREATE TABLE {table} (pos int4 NOT NULL, embedding halfvec({dim}))")
            with (
                conn.cursor() as cur,
                cur.copy(f"COPY {table} (pos, embedding) FROM STDIN (FORMAT BINARY)") as copy,
            ):
                copy.set_types(["int4", "halfvec"])
                for i in range(n):
                    copy.write_row((i, HalfVector(vectors[i])))
            conn.execute(f"ALTER TABLE {table} ADD PRIMARY KEY (pos)")
        out["copy_s"] = time.perf_counter() - t0
        out["ingest_rows_per_s"] = n / out["copy_s"]
        conn.execute(f"VACUUM (ANALYZE) {table}")
        t0 = time.perf_counter()
        conn.execute(
            f"CREATE INDEX {table}_hnsw ON {table} USING hnsw (embedding halfvec_ip_ops) "
            f"WITH (m = {pgschema.HNSW_M}, ef_construction = {pgschema.HNSW_EF_CONSTRUCTION})"
        )
        out["hnsw_build_s"] = time.perf_counter() - t0
        sizes = conn.execute(
            f"SELECT pg_table_size('{table}'), pg_relation_size('{table}_hnsw'), "
            "pg_database_size(current_database())"
        ).fetchone()
        out["table_mib"], out["index_mib"], out["database_mib"] = (s / 2**20 for s in sizes)
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        conn.execute(f"SELECT pg_prewarm('{table}_hnsw'), pg_prewarm('{table}')")
        conn.execute("SET hnsw.iterative_scan = relaxed_order")
        query = f"SELECT pos FROM {table} ORDER BY embedding <#> %s LIMIT %s"
        qs = [HalfVector(q) for q in qvecs]
        sweep = []
        for ef in EF_SWEEP:
            conn.execute(f"SET hnsw.ef_search = {ef}")
            for q in qs[:5]:  # warm-up
                conn.execute(query, (q, K), prepare=True).fetchall()
            times, found = [], []
            for _ in range(REPS):
                found = []
                for q in qs:
                    t = time.perf_counter()
                    rows = conn.execute(query, (q, K), prepare=True).fetchall()
                    times.append((time.perf_counter() - t) * 1000)
                    found.append([r[0] for r in rows])
            p50, p95 = pct(times)
            sweep.append({"ef_search": ef, "p50_ms": p50, "p95_ms": p95,
                          "recall": recall(found, truth)})  # fmt: skip
        out["sweep"] = sweep
        conn.execute(f"SET hnsw.ef_search = {pgstore.EF_SEARCH}")
        times = []
        for q in qs:
            t = time.perf_counter()
            conn.execute(query, (q, 100), prepare=True).fetchall()
            times.append((time.perf_counter() - t) * 1000)
        out["searcher_100_p50_ms"], out["searcher_100_p95_ms"] = pct(times)
        conn.execute(f"DROP TABLE {table}")
    return out


def run(args, sizes: list[int]) -> None:
    from confsearch.model import load_embedder
    from confsearch.search import clean_query
    from confsearch.settings import Settings
    from confsearch.store.pgserver import LocalServer

    t_all = time.perf_counter()
    embedder = load_embedder(Settings.from_env())
    cache = Path(args.vectors_cache) if args.vectors_cache else None
    if cache is not None and cache.exists():
        real = np.load(cache)
    else:
        real = real_embeddings(embedder)
        if cache is not None:
            np.save(cache, real)
    mean, chol = fit_gaussian(real)
    queries = []
    for name in ("questions.jsonl", "offtopic.jsonl"):
        for line in (ROOT / "tests" / "eval" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                queries.append(json.loads(line)["query"])
    qvecs = np.asarray(embedder.encode_queries([clean_query(q) for q in queries]), np.float32)
    real_cos = real @ real.T
    facts = {
        "real_vectors": len(real),
        "queries": len(queries),
        "real_mean_cos": float(real_cos[np.triu_indices(len(real), 1)].mean()),
    }
    print(json.dumps(facts), flush=True)
    results = []
    url = args.database_url or os.environ.get("CONFSEARCH_DATABASE_URL")
    server = None
    if not url:
        server = LocalServer(throwaway=True, settings=SERVER_SETTINGS).start()
        url = server.create_database("bench")
    try:
        for n in sizes:
            vectors = sample(mean, chol, n, seed=n)
            if n == sizes[0]:
                cos = vectors[:1000] @ vectors[:1000].T
                facts["synthetic_mean_cos"] = float(cos[np.triu_indices(len(cos), 1)].mean())
            faiss_row, truth = bench_faiss(vectors, qvecs)
            print(json.dumps({"n": n, "faiss": faiss_row}), flush=True)
            pg_row = bench_postgres(url, vectors, qvecs, truth)
            print(json.dumps({"n": n, "postgres": pg_row}), flush=True)
            results.append({"n": n, "faiss": faiss_row, "postgres": pg_row})
            if args.json:
                Path(args.json).write_text(json.dumps({"facts": facts, "results": results}))
            del vectors
    finally:
        if server is not None:
            server.stop()
    body = render(facts, results, time.perf_counter() - t_all)
    print(body)
    if args.write:
        write_section("search-postgres", body)


def render(facts: dict, results: list[dict], total_s: float) -> str:
    cmd = shlex.join(["nice", ".venv/bin/python", "bench/search.py", *sys.argv[1:]])
    lines = [
        "## Search on PostgreSQL + pgvector next to FAISS (`bench/search.py --backend postgres`)",
        "",
        f"`{cmd}` on {cpu_description()}, shared with other jobs (load average "
        f"{os.getloadavg()[0]:.1f} at the end); whole run {total_s / 60:.0f} min. Vectors: "
        f"a Gaussian fitted to {facts['real_vectors']} real e5 passage embeddings (mean + "
        f"covariance, {SHRINK:.0%} shrinkage), normalised; mean pairwise cosine "
        f"{facts['synthetic_mean_cos']:.2f} (real: {facts['real_mean_cos']:.2f}). Queries: "
        f"{facts['queries']} real questions encoded as queries. Ground truth: exact float32 "
        f"top-{K}. PostgreSQL: halfvec, HNSW m={pgschema.HNSW_M}, "
        f"ef_construction={pgschema.HNSW_EF_CONSTRUCTION}, iterative_scan=relaxed_order, "
        "prepared statement over TCP loopback, index prewarmed; server settings "
        + ", ".join(f"{k}={v}" for k, v in SERVER_SETTINGS.items())
        + ".",
        "",
        "FAISS is searched with one OpenMP thread (one query per core, as a PostgreSQL "
        "backend runs it).",
        "",
        "| N | FAISS index | FAISS build s | FAISS p50 / p95 ms | FAISS recall@10 | PG COPY "
        "rows/s | PG HNSW build s | PG table / index / DB MiB | PG p50 / p95 ms "
        f"(ef {pgstore.EF_SEARCH}) | PG recall@10 (ef {pgstore.EF_SEARCH}) | PG 100 candidates "
        "p50 / p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        f, p = r["faiss"], r["postgres"]
        d = next(s for s in p["sweep"] if s["ef_search"] == pgstore.EF_SEARCH)
        lines.append(
            f"| {r['n']:,} | {f['kind']} | {f['build_s']:.1f} | {f['p50_ms']:.2f} / "
            f"{f['p95_ms']:.2f} | {f['recall']:.3f} | {p['ingest_rows_per_s']:,.0f} | "
            f"{p['hnsw_build_s']:.1f} | {p['table_mib']:.0f} / {p['index_mib']:.0f} / "
            f"{p['database_mib']:.0f} | {d['p50_ms']:.2f} / {d['p95_ms']:.2f} | "
            f"{d['recall']:.3f} | {p['searcher_100_p50_ms']:.2f} / "
            f"{p['searcher_100_p95_ms']:.2f} |"
        )
    lines += ["", "hnsw.ef_search sweep (PostgreSQL, k=10): p50 / p95 ms, recall@10", ""]
    lines.append("| N | " + " | ".join(f"ef {ef}" for ef in EF_SWEEP) + " |")
    lines.append("|---|" + "---|" * len(EF_SWEEP))
    for r in results:
        cells = [
            f"{s['p50_ms']:.2f} / {s['p95_ms']:.2f}, {s['recall']:.3f}"
            for s in r["postgres"]["sweep"]
        ]
        lines.append(f"| {r['n']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
