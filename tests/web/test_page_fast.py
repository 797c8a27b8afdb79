"""The page with the fake model, in the unit tier: what a visitor sees for a question, a
refused question and a passage whose text looks like HTML. The same AppTest steps as
tests/web/test_app.py (the real model and corpus): only the model differs, so these check the
page's behaviour, not the ranking."""

from __future__ import annotations

import pytest

from confsearch.retrieval.index import build_index
from confsearch.web import pagecache
from tests.bad_queries import BAD_QUERIES, REFUSED
from tests.conftest import FakeEmbedder
from tests.page_driver import QUESTION, RUN_TIMEOUT, ask, cards, start, texts, uploader


@pytest.fixture
def page(fake_env, monkeypatch):
    """The page's shared state starts empty, as in a new server process."""
    monkeypatch.setattr(pagecache, "_STATE", pagecache._State())
    return fake_env


def test_a_question_shows_cards_with_their_source(page):
    at = ask(start(), QUESTION)
    found = cards(at)
    assert found and all('class="ks-card"' in c for c in found)
    assert any("cykelbibliotek" in c and "Region Örebro län" in c for c in found)
    assert all("Källa:" in c for c in found)
    assert "Traceback" not in texts(at)


@pytest.mark.parametrize("kind", ["emoji-only", "punctuation"])
def test_a_refused_question_gets_its_swedish_message_and_no_cards(page, kind):
    at = ask(start(), BAD_QUERIES[kind])
    assert REFUSED[kind] in texts(at)
    assert not cards(at)


def test_corpus_text_that_looks_like_html_is_shown_as_text(page):
    (page / "corpus" / "markup.txt").write_text(
        "Fjärrvärme i Kiruna\n\n<script>alert(1)</script> Kiruna kommun berättade om "
        "fjärrvärme och <b>fjärrkyla</b> i gruvstaden.\n",
        encoding="utf-8",
    )
    build_index(page / "corpus", page / "index", FakeEmbedder())  # current again
    at = ask(start(), "fjärrvärme Kiruna fjärrkyla")
    [card] = [c for c in cards(at) if "fjärrkyla" in c]
    assert "&#60;script&#62;" in card and "alert(" in card  # shown as the characters
    assert "<b>" not in card
    assert all("<script" not in m.value.lower() for m in at.markdown)


def test_the_open_tab_is_in_the_address(page):
    """?tab=… opens that tab: a link or a reload shows the same view (Back/Forward and
    the tab click itself: tests/web/test_workspace_browser.py)."""
    from streamlit.testing.v1 import AppTest

    from tests.page_driver import APP

    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT)
    at.query_params["tab"] = "Regioner"
    at.query_params["q"] = QUESTION
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["tab"] == "Regioner"
    assert at.text_input(key="query_regions").value == QUESTION
    at.query_params["tab"] = "Korpus"  # Forward to a view with another tab
    at.run()
    assert at.session_state["tab"] == "Korpus"
    assert not at.exception, at.exception


def test_a_refused_upload_says_why_in_text_at_once(page):
    """A phone has no hover: the reason is a message under the uploader, shown when the
    file is chosen; a batch of refused files offers no button (and so starts no build)."""
    at = start()
    uploader(at).set_value([("diagram.png", b"\x89PNG\r\n", "image/png")])
    at.run()
    assert not at.exception, at.exception
    assert "diagram.png kan inte läggas till: Filtypen .png stöds inte." in texts(at)
    assert not [b for b in at.button if b.key == "indexera"]
    uploader(at).set_value(
        [("diagram.png", b"\x89PNG\r\n", "image/png"), ("ok.txt", b"Text om cyklar.", "text/plain")]
    )
    at.run()
    assert "diagram.png kan inte läggas till" in texts(at)
    assert at.button(key="indexera").label == "Lägg till och uppdatera sökindexet"
