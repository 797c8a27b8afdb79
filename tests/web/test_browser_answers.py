"""Issue 24's answer claims, as a user meets them on the page (headless Chromium).

One test function (one page load, one index build) for four questions: the answer leads
with the fact asked about, the card holding the quoted person's words is labelled the
strongest, "Texterna nämner inte" never names a verb, and a region filter that hides the
answer is blamed for it. Fixtures as in :mod:`tests.web.test_browser`.
"""

from __future__ import annotations

import pytest

from confsearch.answers.labels import level
from confsearch.markup import query_tag
from tests.browser import ask, choose, wait, wait_for_page
from tests.web.test_browser import STARTUP_TIMEOUT, browser, server  # noqa: F401 (fixtures)


def _body(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


@pytest.mark.browser
def test_answers_lead_with_the_fact_label_the_quote_and_blame_the_filter(server, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(server["url"])
    wait_for_page(driver, server["log"], timeout=STARTUP_TIMEOUT)

    # --- the answer opens with the sentence about the focus (India), not the locator
    ask(driver, "Vad sa Per-Erik Andersson om Indien?", expected=1, timeout=120)
    answer = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".ks-answer").text)
    lead = answer.split("[")[0]
    assert "Indien" in lead, answer

    # --- the card with her own words is labelled at least as strongly as every other card
    question = "Vad sa Mona Karila?"
    ask(driver, question, expected=1)
    cards = driver.execute_script(
        """return [...document.querySelectorAll(`.ks-card[data-fraga='${arguments[0]}']`)]
          .map(c => [c.querySelector('.ks-text')?.textContent || '',
                     c.querySelector('.ks-meta strong')?.textContent || '']);""",
        query_tag(question),
    )
    hers = [label for text, label in cards if "Mona Karila" in text]
    assert hers, cards
    assert level(hers[0]) == max(level(label) for _, label in cards), cards

    # --- "Texterna nämner inte" lists topics, never the verb of the question
    ask(driver, "Vem har talat om landsbygden?", expected=1)
    said = [line for line in _body(driver).splitlines() if "Texterna nämner inte" in line]
    assert not any("talat" in line for line in said), said

    # --- with a region filter that hides the answer, the filter is named as the reason
    driver.find_element(By.CSS_SELECTOR, "[data-testid='stExpander'] summary").click()
    choose(driver, "region", "Region Gävleborg")
    ask(driver, "Vilken region har ett cykelbibliotek?", expected=1)
    text = wait(driver, lambda d: "filtret utesluter svaret" in _body(d) and _body(d))
    assert "Region Örebro län" in text
