"""The page in a real browser: time-to-results and the README screenshot.

Run on a quiet machine: ``.venv/bin/python bench/page.py [--write] [--screenshot-only]``.

Starts ``streamlit run app.py`` on a copy of the corpus (index built beforehand), opens
headless Chromium (Debian's chromium + chromium-driver), then

1. measures, from the moment the server reports healthy, how long until the question
   "Vilken region har ett cykelbibliotek?" shows its result cards (cold page);
2. after one warm-up question, times 10 questions from Enter until all 10 result cards of
   the new question are rendered (answer included);
3. takes the README screenshot (1280×1000): a question with a region filter, so the
   answer, the filter chip and the first card with its full citation are in view.

``--write`` records the figures in docs/benchmarks.md (section "browser") and saves
docs/screenshot.png; without it they are only printed. ``--screenshot-only`` skips the
timings (a busy machine gives no figures worth keeping) and, with ``--write``, saves only
the screenshot. Tests never write these files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._report import cpu_description, write_section  # noqa: E402
from tests.browser import (  # noqa: E402
    HITS,
    ask,
    choose,
    chromium_driver,
    missing_browser,
    question_box,
    streamlit_server,
    wait,
)

QUESTION = "Vilken region har ett cykelbibliotek?"
SCREENSHOT_REGION = "Region Örebro län"
BENCH_QUESTIONS = [
    "Hur arbetar Värmlandsrådet?",
    "Vad är en projektkyrkogård?",
    "Hur kan AI användas i näringslivet?",
    "Vilka utmaningar har Norrbotten?",
    "Hur kan regionen samverka med civilsamhället?",
    "Vilka företagare främjas?",
    "Vad betyder jämlika livsvillkor?",
    "Hur används designmetoder för hållbarhet?",
    "Vilka vinster finns med rena resor?",
    "Hur kan stuprören förenas?",
]


def screenshot(driver, path: Path) -> None:
    """The README picture: the question asked with a region filter (a chip), scrolled so
    the chip, the answer and the first card down to its citation line are in view."""
    from selenium.webdriver.common.by import By

    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.find_element(By.CSS_SELECTOR, "[data-testid='stExpander'] summary").click()
    choose(driver, "region", SCREENSHOT_REGION)
    ask(driver, QUESTION, expected=1)
    driver.find_element(By.CSS_SELECTOR, "[data-testid='stExpander'] summary").click()
    chip = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "[class*='st-key-chip-sok']"))

    def settled(d) -> bool:  # the filtered answer drawn, nothing left from the last run
        body = d.find_element(By.TAG_NAME, "body").text
        stale = d.find_elements(By.CSS_SELECTOR, "[data-stale='true']")
        answer = d.find_elements(By.CSS_SELECTOR, ".ks-answer")
        return f"Bara stycken från {SCREENSHOT_REGION} (filter)" in body and answer and not stale

    wait(driver, settled, timeout=60)
    time.sleep(1)
    driver.execute_script(
        "window.scrollTo(0, arguments[0].getBoundingClientRect().top + window.scrollY - 70);",
        chip,
    )
    time.sleep(0.5)
    driver.save_screenshot(str(path))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="write docs/benchmarks.md + screenshot")
    ap.add_argument("--screenshot-only", action="store_true", help="no timings, only the picture")
    args = ap.parse_args(argv)
    if missing_browser():
        print(f"Saknas: {', '.join(missing_browser())} (apt-get install chromium chromium-driver)")
        return 2

    from confsearch.embedding.model import load_embedder
    from confsearch.retrieval.index import build_index
    from confsearch.settings import Settings

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        shutil.copytree(ROOT / "corpus", tmp / "corpus")
        build_index(tmp / "corpus", tmp / "index", load_embedder(Settings.from_env()))
        os.environ["SE_OFFLINE"] = "true"
        driver = chromium_driver(tmp / "profile")
        try:
            t_up = None
            with streamlit_server(tmp / "corpus", tmp / "index", tmp / "log") as (url, _proc):
                t_up = time.perf_counter()
                driver.get(url)
                wait(driver, lambda d: question_box(d).is_displayed(), timeout=120)
                ask(driver, QUESTION, timeout=120)
                cold = time.perf_counter() - t_up
                timings = []
                if not args.screenshot_only:
                    ask(driver, "Vad säger konferensen om samverkan?")
                    timings = [ask(driver, q) for q in BENCH_QUESTIONS]
                shot = tmp / "screenshot.png"
                screenshot(driver, shot)
                version = driver.capabilities.get("browserVersion", "?")
        finally:
            driver.quit()
        if args.screenshot_only:
            print(f"Skärmbild: {shot.stat().st_size} byte, Chromium {version}.")
            if args.write:
                shutil.copyfile(shot, ROOT / "docs" / "screenshot.png")
                print("Skrev docs/screenshot.png.")
            return 0
        ms = [t * 1000 for t in timings]
        median = statistics.median(ms)
        p90 = sorted(ms)[int(0.9 * (len(ms) - 1))]
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        rows = "\n".join(f"| {q} | {t:.0f} |" for q, t in zip(BENCH_QUESTIONS, ms, strict=True))
        body = (
            "## Page latency in a real browser (`bench/page.py`)\n\n"
            f"CPU: {cpu_description()}. Headless Chromium {version}, 1280×800, "
            "`streamlit run app.py` on localhost, real corpus, default settings "
            f"(load average at the end: {load}).\n\n"
            f"Cold page: server healthy → results of «{QUESTION}» shown: **{cold:.1f} s**.\n\n"
            f"Time from pressing Enter until all {HITS} result cards of the new question are "
            "in the page (answer included), after one warm-up question: "
            f"**median {median:.0f} ms**, p90 {p90:.0f} ms, min {min(ms):.0f} ms, "
            f"max {max(ms):.0f} ms (n = {len(ms)}).\n\n"
            "| question | ms |\n|---|---:|\n" + rows + "\n"
        )
        print(body)
        if args.write:
            write_section("browser", body)
            shutil.copyfile(shot, ROOT / "docs" / "screenshot.png")
            print("Skrev docs/benchmarks.md och docs/screenshot.png.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
