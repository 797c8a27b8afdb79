"""Retrieval evaluation: our own question set and SweFAQ, dense vs lexical vs hybrid.

Metrics are computed on the ranking of distinct *targets*: sessions for our question set
(several passages of the gold session count once, at their best rank), documents for
SweFAQ (one relevant answer per question).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from confsearch.documents import Passage
from confsearch.index import LoadedIndex, embed_text, lexical_text, make_faiss_index
from confsearch.model import Embedder
from confsearch.search import FusionConfig, Searcher

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "eval" / "questions.jsonl"
OFFTOPIC = ROOT / "tests" / "eval" / "offtopic.jsonl"
SWEFAQ_DIR = ROOT / "bench" / "data" / "swefaq"
MODES = ("dense", "lexical", "hybrid")


@dataclass
class Metrics:
    hit1: float
    hit3: float
    mrr10: float
    ndcg10: float
    n: int

    def row(self) -> str:
        return f"{self.hit1:.3f}  {self.hit3:.3f}  {self.mrr10:.3f}  {self.ndcg10:.3f}"


def metrics_from_ranks(ranks: Sequence[int | None]) -> Metrics:
    """``ranks``: 1-based rank of the single relevant target per query, None if not found."""
    n = len(ranks)
    if n == 0:
        return Metrics(0, 0, 0, 0, 0)

    def frac(pred: Callable[[int], bool]) -> float:
        return sum(1 for r in ranks if r is not None and pred(r)) / n

    return Metrics(
        hit1=frac(lambda r: r == 1),
        hit3=frac(lambda r: r <= 3),
        mrr10=sum(1 / r for r in ranks if r is not None and r <= 10) / n,
        ndcg10=sum(1 / math.log2(r + 1) for r in ranks if r is not None and r <= 10) / n,
        n=n,
    )


def target_rank(targets: Sequence[str], gold: str) -> int | None:
    seen: list[str] = []
    for t in targets:
        if t not in seen:
            seen.append(t)
            if t == gold:
                return len(seen)
    return None


def config_for(mode: str, base: FusionConfig) -> FusionConfig:
    return base if mode == "hybrid" else replace(base, method=mode)


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def eval_questions(
    index: LoadedIndex,
    embedder: Embedder,
    questions: list[dict],
    base: FusionConfig | None = None,
    modes: Sequence[str] = MODES,
) -> dict[str, Metrics]:
    base = base or FusionConfig()
    out = {}
    for mode in modes:
        searcher = Searcher(index, embedder, config_for(mode, base))
        responses = searcher.search_many([q["query"] for q in questions], k=50, explain=False)
        ranks = [
            target_rank([h.passage.session for h in r.hits], q["gold_session"])
            for q, r in zip(questions, responses, strict=True)
        ]
        out[mode] = metrics_from_ranks(ranks)
    return out


# ---------------------------------------------------------------- SweFAQ


def load_swefaq(split: str, directory: Path = SWEFAQ_DIR) -> tuple[list[str], list[str], list[int]]:
    """(documents, questions, gold document index) for one split."""
    path = directory / f"swefaq_{split}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    docs = sorted({a for r in rows for a in r["candidate_answers"]})
    pos = {d: i for i, d in enumerate(docs)}
    return (
        docs,
        [r["question"] for r in rows],
        [pos[r["candidate_answers"][r["label"]]] for r in rows],
    )


def index_from_texts(texts: list[str], embedder: Embedder, *, batch_size: int = 32) -> LoadedIndex:
    """An in-memory index over plain texts (benchmarks); same pieces as a built index."""
    from confsearch.lexical import LexicalIndex

    passages = [
        Passage(
            id=f"d{i}",
            doc_id=f"d{i}",
            text=t,
            session="",
            regions=(),
            speakers=(),
            source="",
            start=0,
            end=len(t),
            links=(),
            metadata={},
        )
        for i, t in enumerate(texts)
    ]
    vectors = embedder.encode_passages([embed_text(p) for p in passages], batch_size=batch_size)
    return LoadedIndex(
        folder=Path("."),
        manifest={"model": embedder.name},
        passages=passages,
        vectors=vectors,
        dense=make_faiss_index(vectors),
        lexical=LexicalIndex.build([lexical_text(p) for p in passages]),
    )


def eval_swefaq(
    embedder: Embedder,
    split: str,
    base: FusionConfig | None = None,
    modes: Sequence[str] = MODES,
    index: LoadedIndex | None = None,
) -> dict[str, Metrics]:
    base = base or FusionConfig()
    docs, questions, gold = load_swefaq(split)
    index = index or index_from_texts(docs, embedder)
    out = {}
    for mode in modes:
        searcher = Searcher(index, embedder, config_for(mode, base))
        responses = searcher.search_many(questions, k=10, explain=False)
        ranks = [
            target_rank([h.passage.id for h in r.hits], f"d{g}")
            for g, r in zip(gold, responses, strict=True)
        ]
        out[mode] = metrics_from_ranks(ranks)
    return out


def plain_bm25_swefaq(split: str) -> Metrics:
    """Reference baseline: plain bm25s with the Swedish stemmer and stopwords only.

    Our lexical side adds decompounding, typo tolerance and the glossary; this row shows
    what the issue's "plain BM25" baseline scores on the same split.
    """
    import bm25s
    import Stemmer

    docs, questions, gold = load_swefaq(split)
    stemmer = Stemmer.Stemmer("swedish")

    def tok(texts: list[str]):
        return bm25s.tokenize(texts, stopwords="sv", stemmer=stemmer, show_progress=False)

    retriever = bm25s.BM25()
    retriever.index(tok(docs), show_progress=False)
    results, _ = retriever.retrieve(tok(questions), k=10, show_progress=False)
    ranks = [
        list(row).index(g) + 1 if g in row else None for row, g in zip(results, gold, strict=True)
    ]
    return metrics_from_ranks(ranks)


def format_table(title: str, results: dict[str, Metrics]) -> str:
    lines = [
        f"{title} (n={next(iter(results.values())).n})",
        "mode       Hit@1  Hit@3  MRR@10 nDCG@10",
    ]
    for mode, m in results.items():
        lines.append(f"{mode:<10} {m.row()}")
    return "\n".join(lines)


def calibration_scores(index: LoadedIndex, embedder: Embedder, queries: list[str]) -> np.ndarray:
    """Dense cosine of the top hit per query, the quantity the confidence threshold uses."""
    searcher = Searcher(index, embedder)
    return np.array(
        [r.hits[0].dense if r.hits else 0.0 for r in searcher.search_many(queries, k=1)]
    )
