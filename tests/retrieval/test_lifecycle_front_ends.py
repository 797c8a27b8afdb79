"""One searcher shape for every front end (fake model): the CLI's
``service.open_searcher``, the API's ``LiveSearcher.get`` and the page's
``pagecache.searcher`` all hold an ``Opened`` made by ``service.load_searcher``."""

from __future__ import annotations

import pytest

from confsearch.retrieval import service
from confsearch.retrieval.index import build_index
from confsearch.retrieval.search import Searcher
from confsearch.settings import Settings
from confsearch.web import pagecache
from tests.conftest import FakeEmbedder

LOAD_TIMEOUT = 300  # a busy machine, 5× allowance


@pytest.fixture
def fresh_page_state(monkeypatch):
    monkeypatch.setattr(pagecache, "_STATE", pagecache._State())


def test_cli_api_and_page_hold_the_same_shape(fake_env, fresh_page_state):
    settings = Settings.from_env()
    cli = service.open_searcher(settings)
    page = pagecache.searcher(settings)
    live = service.LiveSearcher(settings)
    live.start()
    assert live.started.wait(LOAD_TIMEOUT) and live.error is None
    api = live.get()
    for opened in (cli, page, api):
        assert isinstance(opened, service.Opened) and isinstance(opened.searcher, Searcher)
    assert cli.version == page.version == api.version
    assert cli.searcher.search("cykelbibliotek", k=3).hits[0].passage.id == (
        page.searcher.search("cykelbibliotek", k=3).hits[0].passage.id
    )


def test_the_page_loads_a_version_once_and_follows_a_new_one(fake_env, fresh_page_state):
    settings = Settings.from_env()
    first = pagecache.searcher(settings)
    assert pagecache.searcher(settings) is first  # shared by every session
    (fake_env / "corpus" / "ny.md").write_text(
        "# Ny text\n\n## Ett nytt lärpass\n\nRegion Gotland berättar om hållbar turism.\n",
        encoding="utf-8",
    )
    build_index(fake_env / "corpus", fake_env / "index", FakeEmbedder())  # as the worker does
    second = pagecache.searcher(settings)
    assert second.version != first.version and second is not first
    assert second.searcher.embedder is first.searcher.embedder  # the model is loaded once
    assert len(second.searcher.passages) > len(first.searcher.passages)
