"""End to end on the real corpus with the real default model (loaded once per session)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from confsearch import evaluate
from confsearch.corpus import read_corpus
from confsearch.index import build_index, embed_text, load_index
from confsearch.search import Searcher
from tests.conftest import REAL_CORPUS, ROOT

QUESTION = "Vilken region har ett cykelbibliotek?"


@pytest.fixture(scope="module")
def real_index(tmp_path_factory, real_embedder):
    tmp = tmp_path_factory.mktemp("e2e")
    shutil.copytree(REAL_CORPUS, tmp / "corpus")
    build_index(tmp / "corpus", tmp / "index", real_embedder)
    return tmp


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


@pytest.mark.process
def test_cli_search_json_from_stdin(real_index):
    queries = [QUESTION, "Vem är Mona Karila?", "", "varmlandsradet utvardering"]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "confsearch",
            "search",
            "--json",
            "--k",
            "3",
            "--index",
            str(real_index / "index"),
        ],
        input="\n".join(queries) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == len(queries)
    objs = [json.loads(line) for line in lines]
    assert [o["query"] for o in objs] == queries
    assert objs[0]["hits"][0]["region"] == "Region Örebro län"
    assert objs[1]["hits"][0]["session"] == "Designmetod för hållbarhet"
    assert objs[2]["hits"] == [] and "error" in objs[2]
    assert objs[3]["hits"][0]["regions"] == ["Region Värmland"]
    assert all(len(o["hits"]) <= 3 for o in objs)


@pytest.mark.process
def test_cli_readable_listing_and_regions(real_index):
    common = ["--index", str(real_index / "index")]
    out = subprocess.run(
        [sys.executable, "-m", "confsearch", "search", QUESTION, *common],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert out.returncode == 0 and "Region Örebro län" in out.stdout and "Källa:" in out.stdout
    reg = subprocess.run(
        [sys.executable, "-m", "confsearch", "regions", "cykling", *common],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert reg.returncode == 0 and "1. Region Örebro län" in reg.stdout


@pytest.mark.process
def test_cli_empty_query_is_a_message_not_a_traceback(real_index):
    proc = subprocess.run(
        [sys.executable, "-m", "confsearch", "search", "   ", "--index", str(real_index / "index")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode != 0 and "Traceback" not in proc.stderr + proc.stdout
    assert "tom" in proc.stdout + proc.stderr


def test_swefaq_dev_hybrid_not_worse_than_either_side(real_embedder):
    res = evaluate.eval_swefaq(real_embedder, "dev")
    assert res["hybrid"].ndcg10 >= max(res["dense"].ndcg10, res["lexical"].ndcg10)
    assert np.isfinite(res["hybrid"].mrr10)


@pytest.mark.process
def test_cli_ask_cites_its_source(real_index):
    proc = subprocess.run(
        [sys.executable, "-m", "confsearch", "ask", QUESTION, "--index", str(real_index / "index")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "cykelbibliotek" in proc.stdout and "[1]" in proc.stdout
    assert "[1] Rena resor är rena vinsten – Region Örebro län" in proc.stdout


@pytest.mark.process
@pytest.mark.parametrize("suffix", [".md", ".docx"])
def test_cli_brief_writes_a_note(real_index, tmp_path, suffix):
    out = tmp_path / f"note{suffix}"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "confsearch",
            "brief",
            QUESTION,
            "Hur använder Region Sörmland persona-hushåll?",
            "--out",
            str(out),
            "--index",
            str(real_index / "index"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    if suffix == ".md":
        text = out.read_text(encoding="utf-8")
    else:
        import docx

        text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "cykelbibliotek" in text and "Region Örebro län" in text
    assert "Region Sörmland" in text and QUESTION in text


@pytest.mark.process
def test_cli_never_overwrites_an_index_of_another_corpus(tmp_path, real_embedder):
    from confsearch.index import current_version_dir

    corpus = tmp_path / "annan"
    corpus.mkdir()
    (corpus / "buss.md").write_text(
        "# Trafikdag\n\n## Bussar i Skåne\n\nRegion Skåne berättade om nya busslinjer "
        "mellan byarna och om pendling till Malmö.\n",
        encoding="utf-8",
    )
    build_index(corpus, tmp_path / "index", real_embedder)
    before = current_version_dir(tmp_path / "index")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "confsearch",
            "search",
            "--json",
            "busslinjer",
            "--index",
            str(tmp_path / "index"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["hits"][0]["session"] == "Bussar i Skåne"
    assert current_version_dir(tmp_path / "index") == before
