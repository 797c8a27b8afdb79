"""End to end on the real corpus with the real default model (loaded once per session)."""

from __future__ import annotations

import numpy as np
import pytest

from confsearch.evaluation import evaluate
from confsearch.reading.corpus import read_corpus
from confsearch.retrieval.index import embed_text, load_index
from confsearch.retrieval.search import Searcher
from tests.conftest import REAL_CORPUS

QUESTION = "Vilken region har ett cykelbibliotek?"


@pytest.fixture(scope="module")
def real_searcher(real_index, real_embedder):
    return Searcher(load_index(real_index / "index", real_embedder), real_embedder)


def test_swedish_sanity_cykelbibliotek_outranks_other_sessions(real_embedder):
    """The model alone: the Örebro cykelbibliotek passage beats every other session's passage."""
    passages = read_corpus(REAL_CORPUS, count_tokens=real_embedder.count_tokens).passages
    vecs = real_embedder.encode_passages([embed_text(p) for p in passages])
    sims = vecs @ real_embedder.encode_queries([QUESTION])[0]
    target = next(i for i, p in enumerate(passages) if "cykelbibliotek" in p.text)
    assert passages[target].regions[0] == "Region Örebro län"
    others = [i for i, p in enumerate(passages) if p.session != passages[target].session]
    assert sims[target] > max(sims[i] for i in others)


def test_search_answers_which_region(real_searcher):
    resp = real_searcher.search(QUESTION, k=5)
    assert resp.confident
    top = resp.hits[0].passage
    assert top.regions[0] == "Region Örebro län" and "cykelbibliotek" in top.text


def test_regions_for_cycling(real_searcher):
    results = real_searcher.regions("Vilka regioner jobbar med cykling?")
    assert results[0].region == "Region Örebro län"


def test_off_topic_question_is_not_confident(real_searcher):
    assert not real_searcher.search("Hur bakar man surdegsbröd?").confident


def test_eval_set_hybrid_beats_both_sides(real_searcher, real_embedder):
    questions = evaluate.load_questions()
    assert len(questions) >= 60
    res = evaluate.eval_questions(real_searcher.index, real_embedder, questions)
    assert res["hybrid"].hit1 >= 0.95
    assert res["hybrid"].mrr10 > res["dense"].mrr10
    assert res["hybrid"].mrr10 > res["lexical"].mrr10


def test_swefaq_dev_hybrid_not_worse_than_either_side(real_embedder, swefaq_dev_index):
    res = evaluate.eval_swefaq(real_embedder, "dev", index=swefaq_dev_index)
    assert res["hybrid"].ndcg10 >= max(res["dense"].ndcg10, res["lexical"].ndcg10)
    assert np.isfinite(res["hybrid"].mrr10)
