"""The workspace in a real browser (headless Chromium, ``python -m confsearch.page``):
a full session (search, every tab, pin, export, upload) asks no host but the page's own
(the performance log lists every request), and the address holds the view: Back and
Forward step through two searches, and a filter is in the address."""

from __future__ import annotations

import os
import shutil
import urllib.parse

import pytest

from confsearch.markup import query_tag
from tests.browser import (
    alert_with,
    ask,
    card_container,
    cards_for,
    choose,
    chromium_driver,
    click_tab,
    missing_browser,
    question_box,
    requested_urls,
    streamlit_server,
    usable_question_box,
    wait,
    wait_for_page,
)
from tests.conftest import REAL_CORPUS

pytestmark = pytest.mark.browser

FIRST = "Vilken region har ett cykelbibliotek?"
SECOND = "Vad är en projektkyrkogård?"
STARTUP_TIMEOUT = 300  # the first load builds the index with the real model
UPLOAD_DOC = """# Cykelpendling i Jämtland

## Cykla till jobbet året runt

Region Jämtland Härjedalen berättade om vinterväghållning av cykelbanor och hur
arbetsgivare uppmuntrar cykelpendling med omklädningsrum och förvaring.
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workspace")
    shutil.copytree(REAL_CORPUS, tmp / "corpus")
    os.environ["CONFSEARCH_NOTES_DB"] = str(tmp / "anteckningar.sqlite3")
    try:
        with streamlit_server(tmp / "corpus", tmp / "index", tmp / "streamlit.log") as (url, _):
            yield {"url": url, "tmp": tmp, "log": tmp / "streamlit.log"}
    finally:
        os.environ.pop("CONFSEARCH_NOTES_DB", None)


@pytest.fixture
def driver(tmp_path):
    missing = missing_browser()
    if missing:
        pytest.fail(f"Missing {', '.join(missing)}: apt-get install -y chromium chromium-driver")
    os.environ["SE_OFFLINE"] = "true"
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = chromium_driver(tmp_path / "profile", downloads, network_log=True)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.downloads = downloads
    yield driver
    driver.quit()


def opened(driver, server, address: str = "") -> None:
    driver.get(server["url"] + address)
    wait_for_page(driver, server["log"], timeout=STARTUP_TIMEOUT)


def params(driver) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query)


def reopen(driver) -> None:
    """Leave the page and open its address again, as a shared link is opened."""
    link = driver.current_url
    driver.get("about:blank")
    driver.get(link)


def test_a_full_session_asks_no_host_but_the_pages_own(server, driver):
    from selenium.webdriver.common.by import By

    opened(driver, server)
    ask(driver, FIRST, timeout=120)
    container = card_container(driver, "traff-1")
    container.find_element(By.XPATH, ".//button[contains(., 'Fäst')]").click()
    wait(driver, lambda d: "I anteckningen ✓" in card_container(d, "traff-1").text)
    click_tab(driver, "Regioner")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".ks-bars"), timeout=60)
    click_tab(driver, "Anteckning")
    md = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".st-key-ladda-md button"))
    md.click()
    wait(driver, lambda d: any(driver.downloads.glob("*.md")), timeout=30)
    driver.find_element(By.CSS_SELECTOR, ".st-key-ladda-docx button").click()
    wait(driver, lambda d: any(driver.downloads.glob("*.docx")), timeout=30)
    click_tab(driver, "Korpus")
    upload = server["tmp"] / "cykelpendling.md"
    upload.write_text(UPLOAD_DOC, encoding="utf-8")
    driver.find_element(
        By.CSS_SELECTOR, "[class*='st-key-uppladdning-'] input[type=file]"
    ).send_keys(str(upload))
    add = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".st-key-indexera button"))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", add)
    add.click()
    done = wait(
        driver,
        lambda d: d.find_element(By.CSS_SELECTOR, ".st-key-uppladdat"),
        timeout=STARTUP_TIMEOUT,
    )
    wait(driver, lambda d: "Klart!" in done.text, timeout=30)
    driver.refresh()  # a reload asks for the page, its scripts and fonts again
    opened(driver, server, "")

    # Requests on the network (chrome:// pages are the browser's own new tab, data: and
    # blob: addresses never leave the browser).
    urls = [u for u in requested_urls(driver) if u.startswith(("http:", "https:", "ws:", "wss:"))]
    own = urllib.parse.urlparse(server["url"]).netloc
    hosts = {urllib.parse.urlparse(u).netloc for u in urls}
    assert len(urls) > 20 and own in hosts  # the log saw the session
    assert hosts == {own}, sorted(u for u in urls if urllib.parse.urlparse(u).netloc != own)


def test_back_and_forward_step_through_searches_and_the_address_holds_the_view(server, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    opened(driver, server)
    ask(driver, FIRST, timeout=120)
    wait(driver, lambda d: params(d).get("q") == [FIRST], message="first question not in URL")
    ask(driver, SECOND, timeout=120)
    wait(driver, lambda d: params(d).get("q") == [SECOND], message="second question not in URL")

    driver.back()
    wait(driver, lambda d: cards_for(d, FIRST) >= 1, timeout=60, message="Back: first search")
    wait(driver, lambda d: question_box(d).get_attribute("value") == FIRST)
    # the second search's cards go once the rerun ends (Streamlit greys stale ones first)
    wait(driver, lambda d: cards_for(d, SECOND) == 0, timeout=60, message="Back: stale cards")
    driver.forward()
    wait(driver, lambda d: cards_for(d, SECOND) >= 1, timeout=60, message="Forward: second")
    wait(driver, lambda d: question_box(d).get_attribute("value") == SECOND)

    # A filter is in the address; the link opens the same view.
    summary = driver.find_element(By.XPATH, "//summary[contains(., 'Filtrera på region')]")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", summary)
    summary.click()
    choose(driver, "region", "Region Örebro län")
    wait(driver, lambda d: params(d).get("region") == ["Region Örebro län"], message="filter")
    reopen(driver)
    wait(
        driver,
        lambda d: "Region: Region Örebro län" in d.find_element("css selector", "body").text,
        timeout=120,
        message="the filter's chip is not shown after opening the link",
    )
    assert question_box(driver).get_attribute("value") == SECOND

    # The open tab is in the address too: the link opens the Regioner tab with the question.
    click_tab(driver, "Regioner")
    wait(driver, lambda d: params(d).get("tab") == ["Regioner"], message="tab not in URL")
    reopen(driver)
    wait(
        driver,
        lambda d: (
            selected_tab(d) == "Regioner"
            and regions_box(d).is_displayed()
            and regions_box(d).get_attribute("value") == SECOND
        ),
        timeout=120,
        message="the link did not open the Regioner tab with its question",
    )
    # A search asked in Regioner is a new history entry; a tab click is not (it replaces
    # the address). Back after both: the entry before, with its own tab and question.
    box = regions_box(driver)
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(FIRST, Keys.ENTER)
    wait(driver, lambda d: params(d).get("q") == [FIRST], timeout=120, message="regions search")
    # this question's bars, not the last question's still on screen while the search runs
    # (a tab clicked before the run ends is a race the test would lose on a busy machine)
    first_bars = f".ks-bars[data-fraga='{query_tag(FIRST)}'] .ks-bar-name"
    wait(driver, lambda d: d.find_elements("css selector", first_bars), timeout=120)
    click_tab(driver, "Sök")
    wait(driver, lambda d: "tab" not in params(d), message="the Sök tab is the bare address")
    driver.back()
    wait(
        driver,
        lambda d: (
            params(d).get("tab") == ["Regioner"]
            and selected_tab(d) == "Regioner"
            and regions_box(d).get_attribute("value") == SECOND
        ),
        timeout=120,
        message="Back did not open the entry's Regioner tab and question",
    )


def regions_box(driver):
    return driver.find_element("css selector", ".st-key-query_regions input")


def selected_tab(driver) -> str | None:
    tabs = driver.find_elements("css selector", "[role=tab][aria-selected=true]")
    return tabs[0].text.strip() if tabs else None


BROKEN_WORDS = """
const broken = [];
for (const cell of document.querySelectorAll('.ks-table th, .ks-table td')) {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (const m of n.nodeValue.matchAll(/[\\p{L}\\p{N}]+/gu)) {
      if (m[0].length >= 12) continue;
      const range = document.createRange();
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
}
return [document.querySelectorAll('.ks-table td').length, broken];
"""


def test_korpus_tables_break_no_short_word_at_desktop_or_phone_width(server, driver):
    opened(driver, server)
    click_tab(driver, "Korpus")
    for width, height in ((1280, 800), (390, 844)):
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        wait(
            driver,
            lambda d: (
                d.find_elements("css selector", ".ks-table")
                and d.find_element("css selector", ".ks-table").is_displayed()
            ),
            timeout=120,
        )
        cells, broken = driver.execute_script(BROKEN_WORDS)
        assert cells > 10, cells  # the tables were measured
        assert broken == [], (width, broken)


def test_a_question_at_the_limit_shows_a_counter_and_says_it_was_cut(server, driver):
    """Issue 25: a 2,600-character paste was cut at 2,000 silently. The box takes 2,000
    characters, its counter says "2000/2000" while she types, and after Enter the page
    says the question was cut and what to do, visibly, above the results."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from confsearch.web.notes import MAX_URL_QUESTION

    opened(driver, server)
    box = usable_question_box(driver)
    box.click()
    box.send_keys("cykelbibliotek i regionen " * 100)  # 2,600 characters
    assert len(box.get_attribute("value")) == MAX_URL_QUESTION == 2000  # no more fit
    counter = wait(
        driver,
        lambda d: next(
            (
                e
                for e in d.find_elements(By.CSS_SELECTOR, "[data-testid='InputInstructions']")
                if f"{MAX_URL_QUESTION}/{MAX_URL_QUESTION}" in e.text
            ),
            None,
        ),
    )
    assert counter.is_displayed()
    box.send_keys(Keys.ENTER)
    cut = alert_with(driver, "Frågan är för lång", timeout=120)
    assert cut.is_displayed()
    text = " ".join(cut.text.replace("\u00a0", " ").split())
    assert "högst 2 000 tecken får plats i frågerutan" in text and "Korta frågan" in text
    # the question was still asked (cut, not refused): its results are shown
    assert len(box.get_attribute("value")) == MAX_URL_QUESTION
