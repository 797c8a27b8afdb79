"""Driving the page in a real browser: a Streamlit server and headless Chromium.

Shared by the browser and robustness tests and by ``bench/page.py`` (which writes the
screenshot and the latency table into docs/; tests never write tracked files).
Chromium and chromedriver come from Debian's packages; selenium never downloads a driver.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from confsearch.markup import query_tag
from confsearch.netutil import free_port

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HITS = 10  # the page's default number of hits
# The question box of Sök and of Regioner (the same placeholder in both tabs).
QUESTION_BOX = 'input[placeholder^="Ställ en fråga"]'
# Every wait below is "until it happens, at most timeout × PATIENCE": a wait returns as
# soon as its condition holds, so the factor only lengthens a check that fails anyway.
# The timeouts were set on a quiet machine; two test runs at once (issue 26) are slower
# than the 5× a test must stand, and a wait is never a latency assertion (bench/ is).
PATIENCE = 3.0
COMMAND_TIMEOUT = 600  # seconds for one WebDriver command (driver.get of a busy page)


class PageError(AssertionError):
    """The page did not do what was expected (server died, element never appeared)."""


def missing_browser() -> list[str]:
    return [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise PageError(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise PageError(f"streamlit did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def streamlit_server(corpus: Path, index: Path, log: Path):
    """The page as ``make run`` starts it (``python -m confsearch.page``: model and index
    warming in the background from the start) on a free port; yields (url, proc)."""
    port = free_port()
    env = {
        **os.environ,
        "CONFSEARCH_CORPUS": str(corpus),
        "CONFSEARCH_INDEX": str(index),
        "PYTHONUNBUFFERED": "1",
    }
    cmd = [
        sys.executable, "-m", "confsearch.page",
        "--server.port", str(port), "--server.address", "127.0.0.1",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def chromium_driver(profile: Path, downloads: Path | None = None, network_log: bool = False):
    """Headless Debian Chromium via the system chromedriver (selenium never downloads).
    ``network_log``: keep the performance log, every request the page makes
    (:func:`requested_urls`)."""
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,800",
        "--lang=sv-SE",
        f"--user-data-dir={profile}",
    ):
        opts.add_argument(arg)
    if network_log:
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    if downloads is not None:
        opts.add_experimental_option(
            "prefs",
            {
                "download.default_directory": str(downloads),
                "download.prompt_for_download": False,
                "safebrowsing.enabled": False,
            },
        )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    # selenium's own default (120 s) cut a page load short when ten windows started on a
    # loaded machine; the command then failed instead of waiting.
    driver.command_executor.client_config.timeout = COMMAND_TIMEOUT
    return driver


def requested_urls(driver) -> list[str]:
    """Every address the browser asked for since the last call (documents, scripts,
    fonts, icons, websockets), from the performance log."""
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(params["request"]["url"])
        elif message.get("method") == "Network.webSocketCreated":
            urls.append(params["url"])
    return urls


# ---------------------------------------------------------------- helpers


def wait(driver, condition, timeout: float = 30, poll: float = 0.05, message: str = ""):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout * PATIENCE, poll_frequency=poll).until(condition, message)


def alert_with(driver, text: str, timeout: float = 60):
    """The page's message box (``st.error``/``st.warning``/…) that says ``text``, once shown."""
    from selenium.webdriver.common.by import By

    def shown(d):
        alerts = d.find_elements(By.CSS_SELECTOR, "[data-testid='stAlert']")
        return next((e for e in alerts if text in e.text), None)

    return wait(driver, shown, timeout=timeout)


def wait_for_page(driver, log: Path, timeout: float = 300) -> None:
    """Until the page shows its question box (the first load builds the index with the
    real model, hence the long default); on time-out the server log's tail says why."""
    from selenium.webdriver.common.by import By

    # In the page, not necessarily on screen: a reload may open another tab (?tab=...).
    # Typing waits for a box on screen (type_question, usable_question_box).
    wait(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, QUESTION_BOX),
        timeout=timeout,
        message="the question box never appeared:\n" + log.read_text()[-2000:],
    )


def question_box(driver):
    """The question box on screen: Sök and Regioner each have one, with the same
    placeholder, and the hidden tab's box can come first in the page (typing into it
    fails as "not interactable"). With neither on screen, the first one."""
    from selenium.webdriver.common.by import By

    boxes = driver.find_elements(By.CSS_SELECTOR, QUESTION_BOX)
    shown = next((b for b in boxes if b.is_displayed()), None)
    return shown or driver.find_element(By.CSS_SELECTOR, QUESTION_BOX)  # raises if none


def usable_question_box(driver, timeout: float = 60):
    """The question box once it is on screen and takes input. Found in the page is not
    enough: typing into it failed ("not interactable") twice in one CI run."""
    from selenium.common.exceptions import WebDriverException

    def usable(d):
        try:
            box = question_box(d)
            return box if box.is_displayed() and box.is_enabled() else None
        except WebDriverException:  # redrawn between finding and asking
            return None

    return wait(driver, usable, timeout=timeout, message="no question box on screen")


def type_question(driver, text: str, timeout: float = 60):
    """Replace what the question box holds with ``text`` (no Enter); the box it typed into.

    The page may redraw between finding the box and typing (a run that ends, a layout
    still settling on a busy machine): each try starts over and replaces the whole text."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.keys import Keys

    def typed(d):
        try:
            box = question_box(d)
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(Keys.DELETE)
            box.send_keys(text)
            return box if box.get_attribute("value") == text else None
        except WebDriverException:
            return None

    return wait(driver, typed, timeout=timeout, poll=0.3, message=f"could not type {text!r}")


def cards_for(driver, question: str) -> int:
    tag = query_tag(question)
    return driver.execute_script(
        "return document.querySelectorAll(`.ks-card[data-fraga='${arguments[0]}']`).length;",
        tag,
    )


def ask(driver, question: str, expected: int = HITS, timeout: float = 60) -> float:
    """Type a question, press Enter; seconds until ``expected`` cards for it are rendered."""
    from selenium.webdriver.common.keys import Keys

    box = type_question(driver, question)
    t0 = time.perf_counter()
    box.send_keys(Keys.ENTER)
    wait(
        driver,
        lambda d: cards_for(d, question) >= expected,
        timeout=timeout,
        poll=0.01,
        message=f"no cards for {question!r}",
    )
    return time.perf_counter() - t0


def first_card(driver):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "traff-1")


def card_container(driver, card_id: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(
        By.XPATH,
        f"//div[@id='{card_id}']/ancestor::div[@data-testid='stVerticalBlock'][1]",
    )


def click_tab(driver, label: str) -> None:
    """Open a tab; callers then wait for something inside it to be displayed."""
    from selenium.webdriver.common.by import By

    tab = driver.find_element(By.XPATH, f"//*[@data-testid='stTab'][contains(., '{label}')]")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", tab)
    tab.click()


def choose(driver, key: str, text: str) -> None:
    """Pick an option of a select box by typing it and taking the offered option.

    The page may still be redrawing (right after it loaded, or while the list filters), so
    any element can go stale between finding and using it: each step is retried."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    def typed(d):
        try:
            box = d.find_element(By.CSS_SELECTOR, f".st-key-{key} input")
            d.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
            box.click()
            box.send_keys(Keys.CONTROL, "a")  # a retry replaces what an earlier try typed
            box.send_keys(text)
            return box
        except WebDriverException:
            return None

    box = wait(driver, typed, poll=0.3, message=f"could not type into {key}")

    def picked(d):
        nonlocal box
        try:  # the list is redrawn while it filters: elements go stale
            if box.get_attribute("aria-expanded") != "true":  # typing did not open it
                d.find_element(By.CSS_SELECTOR, f".st-key-{key} button[aria-haspopup]").click()
                return None
            options = d.find_elements(By.CSS_SELECTOR, "[role='option']")
            option = next((o for o in options if o.text.strip() == text), None)
            if option is None:
                return None
            option.click()
            return True
        except WebDriverException:
            try:
                box.is_enabled()  # an option went stale: look again
            except WebDriverException:  # the box itself was redrawn: type again
                box = typed(d) or box
            return None

    wait(driver, picked, poll=0.3, message=f"no option {text!r} in {key}")
    wait(
        driver,
        lambda d: (
            d.find_element(By.CSS_SELECTOR, f".st-key-{key} input").get_attribute("value") == text
        ),
        message=f"{key} never showed {text!r}",
    )
