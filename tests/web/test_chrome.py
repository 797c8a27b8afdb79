"""Streamlit's chrome in Swedish: what the page's script translates, and that it is ours."""

from __future__ import annotations

import re
from pathlib import Path

from confsearch.reading import uploads
from confsearch.web import chrome


def test_every_translation_is_swedish_text():
    for english, swedish in chrome.TRANSLATIONS.items():
        assert english != swedish and swedish.strip(), english
    for pattern, _ in chrome.PATTERNS:
        re.compile(pattern)  # the patterns are plain enough for both Python and JavaScript


def test_streamlit_refusals_become_swedish():
    def translate(text: str) -> str:
        for pattern, to in chrome.PATTERNS:
            if re.search(pattern, text):
                return re.sub(pattern, to.replace("$", "\\"), text)
        return chrome.TRANSLATIONS.get(text, text)

    assert translate("File must be 20.0MB or smaller.") == "Filen är för stor: högst 20 MB per fil."
    refused = translate("application/x-msdownload files are not allowed.")
    assert refused.startswith("Den filtypen kan inte läggas till.")
    assert uploads.allowed_types_text() in refused
    assert translate("Skip to main content") == "Hoppa till innehållet"
    assert translate("Stop") == "Avbryt"
    assert translate("push_pin icon") == ""  # icons are pictures, not words
    assert translate("10 options available.") == "10 alternativ finns."
    assert translate("1 option available.") == "1 alternativ finns."
    assert translate("1.9KB") == "1,9 kB" and translate("3.2MB") == "3,2 MB"
    # The connection-lost dialog: no "streamlit run yourscript.py" for a civil servant.
    assert "streamlit" not in translate("streamlit run yourscript.py").lower()
    assert translate("Cannot connect to Streamlit (HTTP status: 403).").startswith("Sidan går")


def test_the_script_is_constant_and_installs_once():
    script = chrome.script()
    assert script == chrome.script()
    assert "window.__ksChrome" in script and 'document.documentElement.lang = "sv"' in script
    assert "__" not in script.replace("window.__ksChrome", "")  # every placeholder filled
    assert ".st-key-uppladdat" in script  # the upload's outcome is scrolled into view
    assert "Hoppa till innehållet" in script


def test_the_pages_own_blocks_are_never_translated():
    """Corpus and user text live in these blocks; every one the cards module makes is listed."""
    from types import SimpleNamespace

    from confsearch.answers.citation import unknown_source
    from confsearch.web import cards

    item = SimpleNamespace(
        session="Stop", regions=(), speakers=(), text="Open", query="Close",
        cited=lambda: unknown_source("a.txt"),
    )  # fmt: skip
    blocks = [cards.note_item_card(1, item), cards.question_list(["Stop"])]
    for html in blocks:
        outer = re.match(r'<(?:div|ul) class="([^"]+)"', html).group(1).split()[0]
        assert "." + outer in chrome.OURS.split(", "), outer


def test_the_uploader_remove_label_is_swedish():
    for pattern, to in chrome.PATTERNS:
        if re.search(pattern, "Remove diagram.png"):
            assert re.sub(pattern, to.replace("$", "\\"), "Remove diagram.png") == (
                "Ta bort diagram.png"
            )
            return
    raise AssertionError("no pattern for the uploader's Remove label")


def test_the_page_icon_is_drawn_here_not_fetched():
    """Streamlit fetches a ``:material/…:`` icon from fonts.gstatic.com; an SVG text
    becomes a data: address (the browser test checks the whole session's requests)."""
    from streamlit.commands.page_config import _get_favicon_string

    assert _get_favicon_string(chrome.FAVICON).startswith("data:image/svg+xml;base64,")
    app = (Path(__file__).resolve().parents[2] / "app.py").read_text(encoding="utf-8")
    assert "page_icon=chrome.FAVICON" in app and ":material/" not in app.split("page_icon=")[1][:30]
