"""Issue 23's browser acceptance: what a new user uploads on the page is read right.

On a page started over a temporary copy of the seed corpus, the Korpus tab's upload
widget takes a plain-text summary that opens with the labelled lines the page suggests
("Arrangör: …", "Datum: …") and a PDF whose sessions are larger bold headings
(tests/reading/test_summary_reading.py reads the same documents without a browser). Then the
Korpus tab lists each document's sessions, organiser and year, the search results show
no metadata line in any passage, and neither do the index's passages or
``python -m confsearch documents --json``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.browser import (
    ROOT,
    ask,
    chromium_driver,
    click_tab,
    missing_browser,
    question_box,
    streamlit_server,
    wait,
)
from tests.conftest import REAL_CORPUS
from tests.reading.test_summary_reading import (
    PDF_META,
    PDF_SESSIONS,
    PDF_SPEAKERS,
    PDF_TITLE,
    SUMMARY_META,
    SUMMARY_SESSIONS,
    SUMMARY_SPEAKERS,
    SUMMARY_TITLE,
    programme_pdf,
    speakers,
    summary,
)

STARTUP_TIMEOUT = 300  # the first page load builds the index with the real model
LABELS = ("Arrangör:", "Datum:", "Plats:")

# Every table of the Korpus tab as {caption: [{column: cell text}]}.
TABLES_JS = """
const out = {};
for (const t of document.querySelectorAll("table.ks-table")) {
  const cols = [...t.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  out[t.querySelector("caption").textContent.trim()] = [...t.querySelectorAll("tbody tr")].map(
    (tr) => Object.fromEntries([...tr.querySelectorAll("td")].map(
      (td, i) => [cols[i], td.textContent.trim()])));
}
return out;
"""

# The passage texts and answer of the cards shown for one question (its data-fraga tag).
SHOWN_JS = """
const cards = document.querySelectorAll(`.ks-card[data-fraga='${arguments[0]}']`);
return {
  passages: [...cards].map((c) => c.querySelector(".ks-text").textContent),
  sources: [...cards].map((c) => c.querySelector(".ks-source").textContent),
  answer: [...document.querySelectorAll(".ks-answer")].map((a) => a.textContent).join(" "),
};
"""


def _tables(driver) -> dict[str, list[dict[str, str]]]:
    return driver.execute_script(TABLES_JS)


def _shown(driver, question: str) -> dict:
    from confsearch.markup import query_tag

    return driver.execute_script(SHOWN_JS, query_tag(question))


def _clicked(css: str):
    """A wait condition that clicks the displayed element for ``css`` once it can be
    clicked (Streamlit redraws the Korpus tab while the uploads arrive)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    def click(driver) -> bool:
        for element in driver.find_elements(By.CSS_SELECTOR, css):
            try:
                if element.is_displayed() and element.is_enabled():
                    driver.execute_script(
                        "arguments[0].scrollIntoView({block: 'center'});", element
                    )
                    element.click()
                    return True
            except WebDriverException:
                pass
        return False

    return click


def _metadata(texts: list[str], lines: tuple[str, ...]) -> list[str]:
    return [t for t in texts if any(x in t for x in (*lines, *LABELS))]


@pytest.mark.browser
def test_uploaded_summary_and_pdf_are_listed_and_searched_without_metadata(tmp_path):
    from selenium.webdriver.common.by import By

    from confsearch.retrieval.index import load_index

    missing = missing_browser()
    if missing:
        pytest.fail(
            f"Missing {', '.join(missing)}: the browser test needs Debian's chromium and "
            "chromium-driver (apt-get install -y chromium chromium-driver)."
        )
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(REAL_CORPUS, corpus)
    uploads = tmp_path / "uppladdning"  # the user's own folder, outside the corpus
    uploads.mkdir()
    text_file = uploads / "tillvaxtdagarna-2023.txt"
    text_file.write_text(summary(), encoding="utf-8")
    pdf_file = uploads / "landsbygdsforum.pdf"
    pdf_file.write_bytes(programme_pdf())

    driver = chromium_driver(tmp_path / "profile")
    try:
        with streamlit_server(corpus, index, tmp_path / "log") as (url, proc):
            driver.get(url)
            wait(
                driver,
                lambda d: question_box(d).is_displayed(),
                timeout=STARTUP_TIMEOUT,
                message="the question box never appeared",
            )

            # --- upload both files through the Korpus tab's widget
            click_tab(driver, "Korpus")
            picker = wait(
                driver,
                lambda d: d.find_element(
                    By.CSS_SELECTOR, "[class*='st-key-uppladdning-'] input[type=file]"
                ),
            )
            picker.send_keys(f"{text_file}\n{pdf_file}")
            wait(driver, _clicked(".st-key-indexera button"), message="no button to add the files")
            done = wait(
                driver,
                lambda d: d.find_element(By.CSS_SELECTOR, ".st-key-uppladdat"),
                timeout=STARTUP_TIMEOUT,
                message="the upload never finished",
            )
            wait(driver, lambda d: "Klart!" in done.text, timeout=30)
            assert text_file.name in done.text and pdf_file.name in done.text, done.text

            # --- the Korpus tab: each document's organiser and date (year), its sessions
            tables = wait(
                driver,
                lambda d: (
                    t
                    if len((t := _tables(d)).get("Dokument", [])) == 3 and t.get("Lärpass")
                    else None
                ),
                message="the Korpus tab never listed the two uploads",
            )
            documents = {row["Fil"].rsplit("/", 1)[-1]: row for row in tables["Dokument"]}
            listed_text = documents[text_file.name]
            assert (listed_text["Dokument"], listed_text["Arrangör"], listed_text["Datum"]) == (
                SUMMARY_TITLE,
                "Region Gävleborg",
                "14 september 2023",
            )
            assert listed_text["Lärpass"] == str(len(SUMMARY_SESSIONS))
            listed_pdf = documents[pdf_file.name]
            assert (listed_pdf["Dokument"], listed_pdf["Arrangör"], listed_pdf["Datum"]) == (
                PDF_TITLE,
                "Länsstyrelsen i Dalarnas län",
                "7 maj 2024",
            )
            assert listed_pdf["Lärpass"] == str(len(PDF_SESSIONS))

            def sessions_of(title: str) -> list[str]:
                return [r["Lärpass"] for r in tables["Lärpass"] if r["Dokument"] == title]

            assert sessions_of(SUMMARY_TITLE) == [s[0] for s in SUMMARY_SESSIONS]
            assert sessions_of(PDF_TITLE) == PDF_SESSIONS
            # the seed document is listed as before
            assert len(sessions_of(documents["arskonferens-2022-larpass.txt"]["Dokument"])) == 10

            # --- search: the organiser questions find the documents, no metadata line shown
            click_tab(driver, "Sök")
            wait(driver, lambda d: question_box(d).is_displayed())
            for question, title, lines, words in (
                ("Vem arrangerade Tillväxtdagarna?", SUMMARY_TITLE, SUMMARY_META, None),
                (
                    "Hur hittar små företag rätt kompetens?",
                    SUMMARY_TITLE,
                    SUMMARY_META,
                    "yrkesutbildningar",
                ),
                ("Vem arrangerade Landsbygdsforum Dalarna?", PDF_TITLE, PDF_META, None),
                ("Hur kan service finnas kvar i byarna?", PDF_TITLE, PDF_META, "servicepunkter"),
            ):
                ask(driver, question, expected=1, timeout=120)
                shown = _shown(driver, question)
                assert not _metadata(shown["passages"], lines), (question, shown)
                assert not _metadata([shown["answer"]], lines), (question, shown["answer"])
                if words:  # the uploaded document answers its own question
                    assert any(
                        words in text and title in source
                        for text, source in zip(shown["passages"], shown["sources"], strict=True)
                    ), (question, shown)
            assert proc.poll() is None

        log = (tmp_path / "log").read_text(errors="replace")
        assert "Traceback" not in log, log[-3000:]
    finally:
        driver.quit()

    # --- every passage of the index the page built, and the documents listing
    passages = load_index(index).passages
    assert not _metadata([p.text for p in passages], SUMMARY_META + PDF_META)
    assert any("yrkesutbildningar" in p.text for p in passages)
    listing = subprocess.run(
        [sys.executable, "-m", "confsearch", "documents", "--json", "--corpus", str(corpus)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    listed = json.loads(listing.stdout)
    assert listed["problems"] == []
    docs = {d["source"].rsplit("/", 1)[-1]: d for d in listed["documents"]}
    for name, title, organiser, year, titles, people in (
        (
            text_file.name,
            SUMMARY_TITLE,
            "Region Gävleborg",
            2023,
            [s[0] for s in SUMMARY_SESSIONS],
            SUMMARY_SPEAKERS,
        ),
        (
            pdf_file.name,
            PDF_TITLE,
            "Länsstyrelsen i Dalarnas län",
            2024,
            PDF_SESSIONS,
            PDF_SPEAKERS,
        ),
    ):
        doc = docs[name]
        assert (doc["title"], doc["organiser"], doc["year"]) == (title, organiser, year)
        assert [s["title"] for s in doc["sessions"]] == titles
        assert speakers(doc) == people
