"""The two ways a front end gets its searcher, tested directly with the fake model:
``confsearch.retrieval.service`` (CLI, API, worker) and ``confsearch.web.pagecache`` (the
page). Only what a caller sees: which version answers, when an index is refreshed or left
alone, what is loaded once, and the Swedish message when there is no index."""

from __future__ import annotations

import time

import pytest

import confsearch.embedding.model
from confsearch.retrieval import service
from confsearch.retrieval.index import build_index, current_version_dir
from confsearch.retrieval.store import IndexError_
from confsearch.settings import Settings
from confsearch.web import pagecache
from tests.conftest import FakeEmbedder

QUESTION = "Vilken region har ett cykelbibliotek?"
PATIENCE = 120  # seconds: waits are for events, generous for a loaded machine
NEW_TEXT = "Region Jämtland Härjedalen om vinterväghållning av cykelbanor i fjällen.\n"


def _version(settings: Settings) -> str:
    return current_version_dir(settings.index_dir).name


def _publish_new_version(settings: Settings) -> None:
    (settings.corpus_dir / "ny.txt").write_text("Vinter\n\n" + NEW_TEXT, encoding="utf-8")
    build_index(settings.corpus_dir, settings.index_dir, FakeEmbedder())


def _sources(searcher, query: str) -> set[str]:
    return {h.passage.source for h in searcher.search(query, k=10).hits}


# ---------------------------------------------------------------- service


def test_open_searcher_answers_from_the_current_version(fake_env):
    settings = Settings.from_env()
    opened = service.open_searcher(settings)
    assert opened.version == _version(settings)
    assert opened.warnings == [] and opened.report is None  # current: nothing rebuilt
    hit = opened.searcher.search(QUESTION, k=1).hits[0]
    assert hit.passage.regions[0] == "Region Örebro län"


def test_no_index_is_a_swedish_message_and_nothing_is_created(fake_env, tmp_path):
    settings = Settings.from_env().with_(index_dir=tmp_path / "inget-index")
    with pytest.raises(IndexError_) as caught:
        service.open_searcher(settings)
    assert str(caught.value).startswith("Det finns inget index i ")
    assert "python embed.py" in str(caught.value)
    assert not (tmp_path / "inget-index").exists()


def test_a_stale_index_of_this_corpus_is_refreshed_before_it_answers(fake_env):
    settings = Settings.from_env()
    before = _version(settings)
    (settings.corpus_dir / "ny.txt").write_text("Vinter\n\n" + NEW_TEXT, encoding="utf-8")
    opened = service.open_searcher(settings)
    assert opened.report is not None and opened.version != before
    assert "corpus/ny.txt" in _sources(opened.searcher, "vinterväghållning cykelbanor fjällen")


def test_a_stale_index_of_another_corpus_is_used_as_it_is(fake_env, tmp_path):
    other = tmp_path / "annan-korpus"
    other.mkdir()
    (other / "ny.txt").write_text("Vinter\n\n" + NEW_TEXT, encoding="utf-8")
    settings = Settings.from_env().with_(corpus_dir=other)
    before = _version(settings)
    opened = service.open_searcher(settings)
    assert opened.version == before and opened.report is None
    [warning] = opened.warnings
    assert "det används som det är" in warning and str(other) in warning


def test_a_live_searcher_follows_new_versions_and_keeps_answering(fake_env):
    settings = Settings.from_env()
    live = service.LiveSearcher(settings, check_seconds=0.0)
    live.start()
    assert live.started.wait(PATIENCE)
    first = live.get()
    assert first is not None and first.version == _version(settings) and live.error is None
    _publish_new_version(settings)
    new = _version(settings)
    deadline = time.monotonic() + PATIENCE
    while (now := live.get()).version != new:
        assert now.version == first.version  # the old version answers meanwhile
        assert time.monotonic() < deadline, "the new version was not loaded"
        time.sleep(0.02)
    assert "corpus/ny.txt" in _sources(now.searcher, "vinterväghållning cykelbanor fjällen")


# ---------------------------------------------------------------- pagecache


@pytest.fixture
def page_state(fake_env, monkeypatch):
    """A new server process's shared page state; counts question-model loads."""
    monkeypatch.setattr(pagecache, "_STATE", pagecache._State())
    loads: list[str] = []

    def load(settings):
        loads.append(settings.model)
        return FakeEmbedder()

    monkeypatch.setattr(confsearch.embedding.model, "load_query_embedder", load)
    return loads


def test_the_page_loads_the_model_once_and_each_version_once(page_state):
    settings = Settings.from_env()
    opened = pagecache.searcher(settings)
    first, version = opened.searcher, opened.version
    again = pagecache.searcher(settings)
    assert again.searcher is first and again.version == version == _version(settings)
    _publish_new_version(settings)
    renewed = pagecache.searcher(settings)
    newer, new_version = renewed.searcher, renewed.version
    assert newer is not first and new_version == _version(settings) != version
    assert "corpus/ny.txt" in _sources(newer, "vinterväghållning cykelbanor fjällen")
    assert page_state == ["fake-model"]


def test_the_page_without_an_index_gets_a_swedish_message(page_state, tmp_path):
    settings = Settings.from_env().with_(index_dir=tmp_path / "inget-index")
    with pytest.raises(IndexError_) as caught:
        pagecache.searcher(settings)
    assert str(caught.value) == "Det finns inget sökindex ännu."
    assert not (tmp_path / "inget-index").exists()


def test_the_page_builds_a_stale_index_once_per_corpus_change(page_state, monkeypatch):
    monkeypatch.setattr(pagecache, "STALE_CHECK_SECONDS", 0.0)
    settings = Settings.from_env()
    assert pagecache.needs_build(settings) is False  # current
    (settings.corpus_dir / "ny.txt").write_text("Vinter\n\n" + NEW_TEXT, encoding="utf-8")
    assert pagecache.needs_build(settings) is True
    pagecache.build_finished(settings, ok=False)  # the build failed: not retried …
    assert pagecache.needs_build(settings) is False
    (settings.corpus_dir / "ny.txt").write_text("Vinter\n\nÄndrad. " + NEW_TEXT, encoding="utf-8")
    assert pagecache.needs_build(settings) is True  # … until the corpus changes again
