"""Driving the Streamlit page through ``streamlit.testing.v1.AppTest``: the steps the
page tests (test_app, test_page_builds, test_notes_page) share, written once."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")
QUESTION = "Vilken region har ett cykelbibliotek?"
# One script run (an upload embeds with the real model) may take this long: generous, as
# a run returns when done and a time-out is only a failure's cost (tests/browser.PATIENCE).
RUN_TIMEOUT = 600


def start(timeout: float = RUN_TIMEOUT) -> AppTest:
    """A new browser session on the page, run once."""
    at = AppTest.from_file(APP, default_timeout=timeout).run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.text_input(key="query").input(question)
    next(b for b in at.button if b.label == "Sök").click()
    at.run()
    assert not at.exception, at.exception
    return at


def cards(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if 'class="ks-card"' in m.value]


def texts(at: AppTest) -> str:
    """Every message box's text (info, warning, error, success), Markdown escapes removed."""
    raw = "\n".join(e.value for e in [*at.info, *at.warning, *at.error, *at.success])
    return re.sub(r"\\(.)", r"\1", raw)


def uploader(at: AppTest):
    """The Korpus tab's "Lägg till texter" uploader (not the one for a new version)."""
    return next(u for u in at.file_uploader if u.key.startswith("uppladdning-"))


def upload(at: AppTest, files: list[tuple[str, bytes, str]]) -> AppTest:
    """Choose ``files`` (name, bytes, MIME type) in the uploader and press "indexera"."""
    uploader(at).set_value(files)
    at.run()
    at.button(key="indexera").click()
    at.run()
    return at
