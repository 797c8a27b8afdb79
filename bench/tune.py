"""Grid search of the fusion settings on the *dev* data only (own questions + SweFAQ dev).

Run: ``.venv/bin/python bench/tune.py --index index``. SweFAQ test is never touched here.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from confsearch import evaluate  # noqa: E402
from confsearch.index import load_index  # noqa: E402
from confsearch.model import load_embedder  # noqa: E402
from confsearch.search import FusionConfig  # noqa: E402
from confsearch.settings import Settings  # noqa: E402


class CachedEmbedder:
    """Memoises query vectors so a grid search encodes every question once."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self._q: dict[str, np.ndarray] = {}
        for attr in ("name", "dim", "query_prompt", "passage_prompt", "dtype", "max_tokens"):
            setattr(self, attr, getattr(inner, attr))

    def encode_queries(self, texts):
        todo = [t for t in texts if t not in self._q]
        if todo:
            for t, v in zip(todo, self.inner.encode_queries(todo), strict=True):
                self._q[t] = v
        return np.stack([self._q[t] for t in texts])

    def encode_passages(self, texts, **kw):
        return self.inner.encode_passages(texts, **kw)

    def count_tokens(self, text):
        return self.inner.count_tokens(text)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", default=str(ROOT / "index"))
    ap.add_argument("--show-failures", action="store_true")
    args = ap.parse_args()
    emb = CachedEmbedder(load_embedder(Settings.from_env()))
    index = load_index(Path(args.index), emb)
    questions = evaluate.load_questions()
    docs, _, _ = evaluate.load_swefaq("dev")
    faq_index = evaluate.index_from_texts(docs, emb)
    rows = []
    grid = itertools.chain(
        itertools.product(["weighted"], [0.5, 0.7, 0.8, 0.85, 0.9], [0.6, 0.7]),
        itertools.product(["zscore"], [0.4, 0.5, 0.6, 0.7, 0.8], [0.0]),
    )
    for method, w, floor in grid:
        cfg = replace(FusionConfig(), method=method, dense_weight=w, dense_floor=floor)
        own = evaluate.eval_questions(index, emb, questions, cfg, modes=["hybrid"])["hybrid"]
        faq = evaluate.eval_swefaq(emb, "dev", cfg, modes=["hybrid"], index=faq_index)["hybrid"]
        rows.append((method, w, floor, own, faq))
    for k in (20, 60):
        cfg = replace(FusionConfig(), method="rrf", rrf_k=k)
        own = evaluate.eval_questions(index, emb, questions, cfg, modes=["hybrid"])["hybrid"]
        faq = evaluate.eval_swefaq(emb, "dev", cfg, modes=["hybrid"], index=faq_index)["hybrid"]
        rows.append(("rrf", k, 0, own, faq))
    print("method   w/k   floor | own Hit@1 MRR  | faq-dev nDCG MRR")
    for method, w, floor, own, faq in rows:
        print(
            f"{method:<8} {w:<5} {floor:<5} | {own.hit1:.3f} {own.mrr10:.3f} "
            f"| {faq.ndcg10:.3f} {faq.mrr10:.3f}"
        )
    off = [json.loads(line)["query"] for line in evaluate.OFFTOPIC.read_text().splitlines()]
    pos = evaluate.calibration_scores(index, emb, [q["query"] for q in questions])
    neg = evaluate.calibration_scores(index, emb, off)
    print("\nthreshold  answered(on-topic)  refused(off-topic)")
    for t in np.arange(0.76, 0.88, 0.01):
        print(f"{t:.2f}       {(pos >= t).mean():.3f}               {(neg < t).mean():.3f}")
    if args.show_failures:
        from confsearch.search import Searcher

        s = Searcher(index, emb)
        for q in questions:
            r = s.search(q["query"], k=3, explain=False)
            if r.hits and r.hits[0].passage.session != q["gold_session"]:
                print(
                    f"MISS [{q['kind']}] {q['query']!r} -> {r.hits[0].passage.session!r} "
                    f"(gold {q['gold_session']!r})"
                )


if __name__ == "__main__":
    main()
