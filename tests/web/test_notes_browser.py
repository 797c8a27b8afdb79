"""The saved note in a real browser (headless Chromium, ``python -m confsearch.page``):
pin three passages, write a comment, rename the heading, reload — all still there; open
the note's address in a second browser session — the same note; restart the server —
still there. Also: the question is in the address and asked again on reload.

The sync points are what the page saved (read from the notes database the server uses),
never a sleep."""

from __future__ import annotations

import os
import shutil
import urllib.parse

import pytest

from confsearch.notes.sqlite import SqliteNotes
from tests.browser import (
    ask,
    card_container,
    cards_for,
    chromium_driver,
    click_tab,
    missing_browser,
    streamlit_server,
    wait,
    wait_for_page,
)
from tests.conftest import REAL_CORPUS

pytestmark = pytest.mark.browser

QUESTION = "Vilken region har ett cykelbibliotek?"
HEADING = "Underlag om cykling till nämnden"
COMMENT = "Ta upp på mötet i mars"
STARTUP_TIMEOUT = 300  # the first load builds the index with the real model

SHOWN = """
const items = [...document.querySelectorAll('.ks-note-item')];
const heading = document.querySelector('.st-key-note_heading input');
const comments = [...document.querySelectorAll("[class*='st-key-kommentar-'] input")];
return {
  items: items.length,
  texts: items.map((e) => e.querySelector('.ks-text').textContent.slice(0, 60)),
  heading: heading ? heading.value : null,
  comments: comments.map((e) => e.value),
};
"""


def shown_note(driver) -> dict:
    return driver.execute_script(SHOWN)


def note_id_of(url: str) -> str | None:
    return (urllib.parse.parse_qs(urllib.parse.urlparse(url).query).get("note") or [None])[0]


def typed_and_entered(driver, css: str, text: str) -> None:
    from selenium.webdriver.common.keys import Keys

    box = wait(driver, lambda d: next((e for e in d.find_elements("css selector", css)), None))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(text, Keys.ENTER)


def wait_for_the_note(driver, expected: dict) -> None:
    click_tab(driver, "Anteckning")
    wait(
        driver,
        lambda d: {k: shown_note(d)[k] for k in expected} == expected,
        timeout=60,
        message=f"the note never showed {expected}: {shown_note(driver)}",
    )


@pytest.fixture
def drivers(tmp_path):
    missing = missing_browser()
    if missing:
        pytest.fail(f"Missing {', '.join(missing)}: apt-get install -y chromium chromium-driver")
    os.environ["SE_OFFLINE"] = "true"
    made = []

    def new(name: str):
        driver = chromium_driver(tmp_path / f"profile-{name}")
        made.append(driver)
        return driver

    yield new
    for driver in made:
        driver.quit()


def test_pins_comment_and_heading_survive_reload_second_session_and_restart(
    tmp_path, drivers, monkeypatch
):
    from selenium.webdriver.common.by import By

    shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    notes_db = tmp_path / "anteckningar" / "anteckningar.sqlite3"
    monkeypatch.setenv("CONFSEARCH_NOTES_DB", str(notes_db))
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    log = tmp_path / "streamlit.log"
    driver = drivers("forsta")

    with streamlit_server(corpus, index, log) as (url, _proc):
        driver.get(url)
        wait_for_page(driver, log, timeout=STARTUP_TIMEOUT)
        ask(driver, QUESTION, timeout=120)
        texts = []
        for n in (1, 2, 3):
            container = card_container(driver, f"traff-{n}")
            texts.append(container.find_element(By.CSS_SELECTOR, ".ks-text").text[:40])
            container.find_element(By.XPATH, ".//button[contains(., 'Fäst')]").click()
            wait(
                driver,
                lambda d, n=n: "I anteckningen ✓" in card_container(d, f"traff-{n}").text,
                message=f"pinning card {n} did not register",
            )
        wait(driver, lambda d: note_id_of(d.current_url), message="no note id in the address")
        note_id = note_id_of(driver.current_url)
        assert urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query)["q"] == [
            QUESTION
        ]
        store = SqliteNotes(notes_db)
        assert len(store.get(note_id).note) == 3

        click_tab(driver, "Anteckning")
        typed_and_entered(driver, ".st-key-note_heading input", HEADING)
        wait(driver, lambda d: store.get(note_id).note.heading == HEADING, message="heading")
        typed_and_entered(driver, "[class*='st-key-kommentar-'] input", COMMENT)
        wait(driver, lambda d: store.get(note_id).note.items[0].comment == COMMENT)
        expected = {"items": 3, "heading": HEADING, "comments": [COMMENT, "", ""]}
        saved = store.get(note_id).note
        assert [i.text[:40] for i in saved.items] == texts

        # --- reload (F5): the same note, and the question asked again
        driver.refresh()
        wait_for_page(driver, log, timeout=STARTUP_TIMEOUT)
        wait_for_the_note(driver, expected)
        assert note_id_of(driver.current_url) == note_id
        click_tab(driver, "Sök")
        wait(driver, lambda d: cards_for(d, QUESTION) >= 1, timeout=60)

        # --- the link in a second browser session (a colleague): the same note
        other = drivers("andra")
        other.get(driver.current_url)
        wait_for_page(other, log, timeout=STARTUP_TIMEOUT)
        wait_for_the_note(other, expected)
        address = driver.current_url

    # --- the server restarts (a new process, a new port): the note is still there
    with streamlit_server(corpus, index, log) as (url, _proc):
        parts = urllib.parse.urlparse(address)
        driver.get(url + "/?" + parts.query)
        wait_for_page(driver, log, timeout=STARTUP_TIMEOUT)
        wait_for_the_note(driver, expected)
        assert store.get(note_id).note.to_dict() == saved.to_dict()
