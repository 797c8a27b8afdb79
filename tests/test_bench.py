"""bench/search.py's files mode at a tiny size with the fake model, so it cannot silently
rot when the index API changes (it did once: the storage seam). No latency is asserted;
the benchmark itself measures that."""

from __future__ import annotations

import types

import numpy as np
import pytest

from bench import search as bench
from confsearch.query import clean_query
from confsearch.retrieval.search import FusionConfig, Searcher
from confsearch.retrieval.store import faissdense
from confsearch.retrieval.store.faissdense import FaissDense
from tests.conftest import FakeEmbedder

N = 200
QUERIES = 3


@pytest.fixture(scope="module")
def real():
    """The real corpus built with the fake model, as bench_build builds it."""
    emb = FakeEmbedder()
    builds, loaded, tmp = bench.bench_build(emb, emb)
    yield emb, builds, loaded
    tmp.cleanup()


@pytest.fixture(scope="module")
def queries():
    return bench.load_queries()[:QUERIES]


def test_build_reuses_everything_the_second_time(real):
    _, builds, loaded = real
    assert builds["first"].embedded > 0
    assert builds["again"].embedded == 0
    assert builds["again"].passages == len(loaded.passages)


def test_synthesize_makes_the_index_the_app_searches(real):
    emb, _, loaded = real
    index, times = bench.synthesize(loaded, N, 0.3, seed=1, embedder=emb)
    assert len(index.passages) == N == len(index.lexical) == len(index.hub)
    assert len({p.id for p in index.passages}) == N
    assert isinstance(index.dense, FaissDense)
    assert index.dense.vectors.shape == (N, emb.dim)
    assert index.dense.index.ntotal == N
    assert np.allclose(np.linalg.norm(index.dense.vectors, axis=1), 1.0, atol=1e-4)
    assert index.manifest.passages == N and index.manifest.index_type == "flat"
    assert index.vocabulary is loaded.vocabulary
    assert set(times) == {"synth_s", "dense_build_s", "lexical_build_s"}
    # The same searcher the app runs answers, with grounding.
    resp = Searcher(index, emb).search(bench.load_queries()[0], k=bench.K)
    assert len(resp.hits) == bench.K
    assert resp.evidence is not None


def test_time_queries_times_every_stage_of_every_query(real, queries):
    emb, _, loaded = real
    index, _ = bench.synthesize(loaded, N, 0.3, seed=2, embedder=emb)
    times = bench.time_queries(Searcher(index, emb), queries, FusionConfig().candidates)
    assert set(times) == {"hybrid", "hybrid_noexplain", "encode", "dense", "lexical", "dense_only"}
    for name, values in times.items():
        assert len(values) == QUERIES, name
        assert all(v > 0 for v in values), name


@pytest.mark.parametrize("flat_max", [faissdense.FLAT_MAX, N // 2])
def test_bench_size_and_report(real, queries, monkeypatch, flat_max):
    """Flat (exact) at 200 passages, and IVF with the FLAT_MAX comparison when FLAT_MAX
    is lowered below 200 (the path the benchmark takes from 100k passages on)."""
    emb, builds, loaded = real
    monkeypatch.setattr(faissdense, "FLAT_MAX", flat_max)
    qvecs = emb.encode_queries([clean_query(q) for q in queries])
    res = bench.bench_size(loaded, emb, queries, qvecs, N, 0.3)
    kind = "flat" if flat_max >= N else "ivf"
    assert res["n"] == N and res["kind"] == kind
    assert 0.0 <= res["recall"] <= 1.0
    for name in ("hybrid", "dense", "chosen_dense", "exact_dense"):
        p50, p95 = res[name]
        assert 0 < p50 <= p95, name
    if kind == "flat":
        assert res["recall"] == 1.0
        assert "ivf" not in res
    else:
        assert res["ivf"]["used"] and res["ivf"]["nlist"] == faissdense.ivf_nlist(N)
        params = [row["param"] for row in res["ivf"]["sweep"]]
        assert faissdense.IVF_NPROBE in params
        assert "flat_max_dense" in res

    args = types.SimpleNamespace(load_start=1.0, noise=0.3)
    body = bench.render(args, emb, 0.1, builds, queries, [res])
    assert body.startswith("## Search (`bench/search.py`)")
    assert f"| {N:,} | {kind} |" in body
    assert f"FLAT_MAX={flat_max:,}" in body
