"""Retrieval evaluation: our own question sets and SweFAQ, dense vs lexical vs hybrid.

Metrics are computed on the ranking of distinct *targets*: sessions for our question sets
(several passages of the gold session count once, at their best rank), documents for
SweFAQ (one relevant answer per question). For our sets, two more figures say whether the
answer can be trusted: the share of answerable questions that get a confident answer
("svarar") and the share of questions the texts do not cover that get "no clear answer"
("avböjer"). Question sets (``tests/eval``, see its README): ``old`` (written with the
first version of the system, plus its off-topic list), ``dev`` (half of the held-out set,
for tuning) and ``test`` (the sealed half, reported once).
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path

import Stemmer

from confsearch.embedding.model import Embedder
from confsearch.evaluation.answereval import eval_answers
from confsearch.evaluation.evalsets import QUESTION_SETS, QUESTIONS, SWEFAQ_DIR
from confsearch.reading.documents import Passage
from confsearch.retrieval.index import (
    LoadedIndex,
    compute_hubness,
    encode_passages,
    lexical_text,
    load_index,
)
from confsearch.retrieval.indexparts import to_blobs
from confsearch.retrieval.lexical import LexicalIndex
from confsearch.retrieval.search import FusionConfig, Searcher
from confsearch.retrieval.store import BuildData, Manifest, Store
from confsearch.retrieval.store.faissdense import in_memory_index

MODES = ("dense", "lexical", "hybrid")


@dataclass
class Metrics:
    hit1: float
    hit3: float
    mrr10: float
    ndcg10: float
    n: int
    answered: float | None = None  # share of answerable questions answered confidently
    refused: float | None = None  # share of uncovered questions with "no clear answer"
    n_uncovered: int = 0

    def row(self) -> str:
        cells = [f"{self.hit1:.3f}", f"{self.hit3:.3f}", f"{self.mrr10:.3f}", f"{self.ndcg10:.3f}"]
        for rate in (self.answered, self.refused):
            cells.append("  -  " if rate is None else f"{rate:.3f}")
        return "  ".join(cells)


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


def load_set(name: str) -> list[dict]:
    """A question set by name; questions without ``gold_session`` are uncovered ones."""
    files, _title = QUESTION_SETS[name]
    return [q for path in files for q in load_questions(path)]


def eval_questions(
    index: LoadedIndex,
    embedder: Embedder,
    questions: list[dict],
    base: FusionConfig | None = None,
    modes: Sequence[str] = MODES,
) -> dict[str, Metrics]:
    """Ranking metrics on the answerable questions; answered/refused rates (hybrid only,
    what the page does) over the answerable and the uncovered ones."""
    base = base or FusionConfig()
    answerable = [q for q in questions if q.get("gold_session")]
    uncovered = [q for q in questions if not q.get("gold_session")]
    out = {}
    for mode in modes:
        searcher = Searcher(index, embedder, config_for(mode, base))
        responses = searcher.search_many([q["query"] for q in answerable], k=50, explain=False)
        ranks = [
            target_rank([h.passage.session for h in r.hits], q["gold_session"])
            for q, r in zip(answerable, responses, strict=True)
        ]
        metrics = metrics_from_ranks(ranks)
        if mode == "hybrid":
            off = searcher.search_many([q["query"] for q in uncovered], k=10, explain=False)
            metrics.answered = sum(r.confident for r in responses) / max(len(responses), 1)
            metrics.refused = sum(not r.confident for r in off) / len(off) if off else None
            metrics.n_uncovered = len(off)
        out[mode] = metrics
    return out


def eval_regions(searcher: Searcher, questions: list[dict]) -> tuple[float, float, int]:
    """Mean precision and recall of the organisations ``regions`` lists, over the
    questions that name the expected ones (held-out "which region" questions)."""
    scored = [q for q in questions if q.get("regions")]
    precision = recall = 0.0
    for q in scored:
        got = {r.region for r in searcher.regions(q["query"])}
        want = set(q["regions"])
        precision += len(got & want) / len(got) if got else 0.0
        recall += len(got & want) / len(want)
    n = len(scored)
    return (precision / n, recall / n, n) if n else (0.0, 0.0, 0)


def report(
    searcher: Searcher,
    sets: Sequence[str],
    swefaq: Sequence[str],
    scratch: Callable[[str], AbstractContextManager[Store | None]] | None = None,
) -> str:
    """The ``python -m confsearch eval`` tables.

    ``scratch(name)`` gives a temporary store of the searcher's backend for the SweFAQ
    indexes (None or a None store: in memory), so both backends are evaluated end to end.
    """
    blocks = []
    for name in sets:
        _files, title = QUESTION_SETS[name]
        questions = load_set(name)
        table = format_table(title, eval_questions(searcher.index, searcher.embedder, questions))
        precision, recall, n = eval_regions(searcher, questions)
        if n:
            table += f"\nregioner: precision {precision:.3f}, recall {recall:.3f} (n={n})"
        table += "\n" + "\n".join(eval_answers(searcher, questions).lines())
        blocks.append(table)
    for split in swefaq:
        with scratch(f"swefaq_{split}") if scratch else contextlib.nullcontext() as store:
            results = eval_swefaq(searcher.embedder, split, store=store)
        results["bm25-plain"] = plain_bm25_swefaq(split)
        blocks.append(format_table(f"SweFAQ {split}", results))
    return "\n\n".join(blocks)


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


def index_from_texts(
    texts: list[str], embedder: Embedder, *, batch_size: int = 32, store: Store | None = None
) -> LoadedIndex:
    """An index over plain texts (benchmarks); same pieces as a built index. In memory,
    or published into ``store`` and loaded from it (to evaluate a backend end to end)."""
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

    vectors, embeddings, _ = encode_passages(passages, embedder, batch_size=batch_size)
    manifest = Manifest.of_model(
        embedder,
        index_type="flat",
        passages=len(passages),
        corpus_fingerprint="",
        corpus_dir="",
        built="",
    )
    lexical = LexicalIndex.build([lexical_text(p) for p in passages])
    hub = compute_hubness(vectors, embedder)
    if store is None:
        return in_memory_index(passages, vectors, lexical, hub, manifest)
    store.publish(BuildData(passages, vectors, embeddings, hub, to_blobs(lexical, None), manifest))
    return load_index(store)


def eval_swefaq(
    embedder: Embedder,
    split: str,
    base: FusionConfig | None = None,
    modes: Sequence[str] = MODES,
    index: LoadedIndex | None = None,
    store: Store | None = None,
) -> dict[str, Metrics]:
    base = base or FusionConfig()
    docs, questions, gold = load_swefaq(split)
    index = index or index_from_texts(docs, embedder, store=store)
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
    first = next(iter(results.values()))
    uncovered = max(m.n_uncovered for m in results.values())
    extra = f", ej täckta {uncovered}" if uncovered else ""
    lines = [
        f"{title} (n={first.n}{extra})",
        "mode       Hit@1  Hit@3  MRR@10 nDCG@10 svarar avböjer",
    ]
    for mode, m in results.items():
        lines.append(f"{mode:<10} {m.row()}")
    return "\n".join(lines)
