"""Robustness of what users touch: odd questions, many sessions at once, hostile uploads.

* Bad questions go through the CLI (one subprocess per question, and ``--json`` on stdin
  with all of them in one run) and through the page (``AppTest``): each gets either a
  clear Swedish message or normal results, never a traceback, and whatever the page
  echoes is escaped.
* Ten sessions at once: ``AppTest`` is not thread-safe (every run swaps process-global
  state: ``Runtime._instance`` and a patch of ``config.get_option``; ten threads gave a
  ``KeyError`` from a half-restored patch in about one run in ten), so this uses one real
  ``streamlit run app.py`` and ten headless Chromium windows asking at the same moment.
* Uploads through the page: path parts stripped, existing files kept, size and type
  limits enforced (both by Streamlit in the browser and by ``confsearch.reading.uploads`` behind
  it).

One index is built per module (real model) and shared read-only; the upload test works
on its own copy.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from confsearch.reading import uploads
from confsearch.retrieval.index import current_version_dir
from confsearch.web import chrome
from tests import page_driver
from tests.bad_queries import BAD_QUERIES, REFUSED
from tests.browser import (
    HITS,
    QUESTION_BOX,
    ask,
    chromium_driver,
    click_tab,
    first_card,
    missing_browser,
    question_box,
    streamlit_server,
    wait,
)
from tests.conftest import ROOT
from tests.page_driver import cards, texts, uploader


def index_version(index_dir) -> str | None:
    from confsearch.retrieval.index import current_version_dir

    folder = current_version_dir(index_dir)
    return folder.name if folder is not None else None


# ---------------------------------------------------------------- bad questions

# The list is shared with the HTTP API tests (tests/bad_queries.py).
# Single-question CLI runs cost a model load each (~10 s): every refused kind, plus two
# searchable ones whose characters could upset argv or the terminal listing.
CLI_SINGLE = [*REFUSED, "control-chars", "mixed-scripts"]

# ---------------------------------------------------------------- ten sessions

# One question per session of the conference, with the region/organisation and session of
# the card that must come first (from tests/eval/questions.jsonl, kind "region").
SESSION_QUESTIONS = {
    "Vilken region driver projekten Rena resan och Fossilfritt 2030?": (
        "Region Örebro län",
        "Rena resor är rena vinsten",
    ),
    "Vilken region samarbetar med alla sina 16 kommuner i ett gemensamt råd?": (
        "Region Värmland",
        "Värmland leder tillsammans",
    ),
    "Vilken region driver ett projekt om de icke-tekniska aspekterna av AI?": (
        "Region Västerbotten",
        "Affärsstrategi – en förutsättning för att öka AI-tillämpningar i näringslivet",
    ),
    "Vilken region arbetar med Loket och LUX för att möta industriboomen?": (
        "Region Norrbotten",
        "Det nya Norrland?",
    ),
    "Vilken region stärker RUS-genomförandet med områdesövergripande forum?": (
        "Region Örebro län",
        "Hängrännen som förenar stuprören",
    ),
    "Vilken myndighet har tagit fram en samverkansmodell med fyra faser?": (
        "Myndigheten för ungdoms- och civilsamhällesfrågor",
        "Samverkansmodell med civilsamhället",
    ),
    "Vilken region har granskat sin näringslivsplan ur ett intersektionellt perspektiv?": (
        "Region Västmanland",
        "Vilka företagare främjas?",
    ),
    "Vilken organisation uppskattar att fler än 400 aktörer i Sverige stöttar små och "
    "medelstora företag?": ("Vinnova", "Undvik projektkyrkogårdar"),
    "Vilken region har utrett hur jämlika invånarnas livsvillkor och möjligheter är?": (
        "Region Gävleborg",
        "Jämlika livsvillkor",
    ),
    "Vilken region skapade persona-hushåll utifrån regional statistik?": (
        "Region Sörmland",
        "Designmetod för hållbarhet",
    ),
}
SESSIONS = len(SESSION_QUESTIONS)
PAGE_TIMEOUT = 300  # ten Chromium windows starting at once on a small, shared machine


# ---------------------------------------------------------------- fixtures


# ---------------------------------------------------------------- CLI


def _cli(base: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    # CONFSEARCH_CORPUS matches the index, so the CLI never rebuilds it behind our back.
    return subprocess.run(
        [sys.executable, "-m", "confsearch", "search", *args, "--index", str(base / "index")],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "CONFSEARCH_CORPUS": str(base / "corpus")},
        timeout=600,
    )


def test_cli_json_stdin_answers_every_bad_query_in_order(base):
    version = current_version_dir(base / "index").name
    queries = list(BAD_QUERIES.values())
    proc = _cli(base, "--json", "--k", "3", stdin="\n".join(queries) + "\n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(queries)  # one line per input line, nothing else on stdout
    objs = [json.loads(line) for line in lines]
    assert [o["query"] for o in objs] == queries  # in order, the raw line echoed
    for kind, obj in zip(BAD_QUERIES, objs, strict=True):
        if kind in REFUSED:
            assert obj == {"query": obj["query"], "hits": [], "error": REFUSED[kind]}, kind
        else:
            assert "error" not in obj, (kind, obj.get("error"))
            assert 1 <= len(obj["hits"]) <= 3, kind
            assert all(h["text"] and h["source"] for h in obj["hits"]), kind
    # Nothing was rebuilt or written: "DROP TABLE" and friends are just text.
    assert current_version_dir(base / "index").name == version


@pytest.mark.parametrize("kind", CLI_SINGLE)
def test_cli_single_query(base, kind):
    proc = _cli(base, BAD_QUERIES[kind])
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out
    if kind in REFUSED:
        assert proc.returncode != 0
        assert REFUSED[kind] in out
    else:
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "[1] " in proc.stdout and "Källa:" in proc.stdout


# ---------------------------------------------------------------- the page: bad questions


def _start() -> AppTest:
    return page_driver.start()


def _rendered(at: AppTest) -> tuple[list[str], list[str]]:
    """(values rendered as HTML, values rendered as Markdown without HTML)."""
    html = [m.value for m in at.markdown if m.proto.allow_html]
    # The page's own chrome script is a constant (no user or corpus text): not checked here.
    html += [h.value for h in at.get("html") if h.value.strip() != chrome.script()]
    plain = [m.value for m in at.markdown if not m.proto.allow_html]
    plain += [e.value for e in [*at.caption, *at.info, *at.warning, *at.error, *at.success]]
    return html, plain


@pytest.mark.parametrize("kind", list(BAD_QUERIES))
def test_page_bad_query(env, kind):
    query = BAD_QUERIES[kind]
    at = _start()
    # set_value, not input(): AppTest's input() drops text longer than max_chars like the
    # browser does; a crafted client can still send it, and the page must cope.
    at.text_input(key="query").set_value(query)
    next(b for b in at.button if b.label == "Sök").click()
    at.run()
    assert not at.exception, at.exception
    html, plain = _rendered(at)
    assert not any("Traceback" in v for v in html + plain)
    if kind in REFUSED:
        assert REFUSED[kind] in texts(at)
        assert not cards(at)
    else:
        assert len(cards(at)) == HITS, texts(at)
        assert not at.error
        # The Regioner tab shows the question in its own box, as text.
        assert at.text_input(key="query_regions").value == at.session_state["query"]
    if kind == "10k-chars":
        assert at.session_state["query"] == query[:2000]  # max_chars enforced by the server
    # No live tag, handler or link from the question anywhere on the page.
    for value in html:
        low = value.lower()
        for bad in ("<script", "<img", "onerror=", "javascript:", "](javascript"):
            assert bad not in low, (kind, bad, value[:300])
    for value in plain:
        assert not re.search(r"(?<!\\)<\s*(script|img)", value, re.I), (kind, value[:300])
        assert "javascript:" not in value.lower() and "](" not in value, (kind, value[:300])


# ---------------------------------------------------------------- the page: uploads

EVIL_TXT = (
    "Vattenfrågor på Gotland\n\nBesöksnäringen på Gotland\n\n"
    "Region Gotland berättade om hur besöksnäringen och kommunen samarbetar kring "
    "dricksvatten och avlopp under sommarmånaderna när ön tar emot många turister.\n"
)


SAME_NAME_TXT = (
    "Ett annat dokument\n\nSamma filnamn\n\n"
    "Region Jämtland Härjedalen berättade om fjällturism, skoterleder och hur byarna "
    "samarbetar kring snöröjning under vintern.\n"
)


def _upload(at: AppTest, files: list[tuple[str, bytes, str]]) -> AppTest:
    uploader(at).set_value(files)
    at.run()
    return at


def test_upload_path_name_existing_file_and_size_limit(own_copy):
    """A client that bypasses the browser's checks: confsearch.ui is the second defence."""
    corpus = own_copy / "corpus"
    original = corpus / "arskonferens-2022-larpass.txt"
    original_bytes = original.read_bytes()
    before = index_version(own_copy / "index")
    names_before = [p.name for p in corpus.iterdir()]  # the text and its .meta.json sidecar
    at = _upload(
        _start(),
        [
            ("../../evil.txt", EVIL_TXT.encode("utf-8"), "text/plain"),
            (original.name, SAME_NAME_TXT.encode("utf-8"), "text/plain"),
            ("stor.txt", b"a" * (uploads.MAX_UPLOAD_BYTES + 1), "text/plain"),
        ],
    )
    assert not at.exception, at.exception
    at.button(key="indexera").click()
    at.run()
    assert not at.exception, at.exception
    messages = texts(at)

    # "../../evil.txt": saved inside corpus/ as evil.txt, nothing outside, user told.
    assert "../../evil.txt sparades som evil.txt." in messages
    assert (corpus / "evil.txt").read_text(encoding="utf-8") == EVIL_TXT
    assert sorted(p.name for p in own_copy.iterdir()) == ["corpus", "index"]
    assert not (own_copy.parent / "evil.txt").exists()
    # Same name as an existing corpus file: the original is untouched, the upload renamed.
    assert original.read_bytes() == original_bytes
    assert f"sparades som {original.stem}-2.txt" in messages
    assert (corpus / f"{original.stem}-2.txt").is_file()
    # Over the size limit: refused with a Swedish message, nothing written.
    assert "stor.txt lades inte till: filen är för stor" in messages
    assert "gränsen är 20 MB" in messages and "Dela upp den i mindre filer" in messages
    assert not list(corpus.glob("stor*"))
    # Nothing hidden or half-written is left, and the accepted files are searchable.
    assert sorted(p.name for p in corpus.iterdir()) == sorted(
        [*names_before, f"{original.stem}-2.txt", "evil.txt"]
    )
    assert "Klart!" in messages and index_version(own_copy / "index") != before
    at.text_input(key="query").set_value("dricksvatten för turister på Gotland")
    next(b for b in at.button if b.label == "Sök").click()
    at.run()
    card = cards(at)[0]  # cited by the uploaded document's own title (confsearch.answers.citation)
    assert "Region Gotland" in card and "— Vattenfrågor på Gotland" in card


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("virus.exe", b"MZ not really a program", id="exe"),
        pytest.param("tabell.xlsx", b"PK\x03\x04 a spreadsheet", id="xlsx"),
    ],
)
def test_upload_of_disallowed_type_never_reaches_the_corpus(own_copy, name, data):
    """A crafted client sending a type outside the allow-list.

    Streamlit checks ``type=`` on the server before app code runs and raises
    ``StreamlitAPIException`` (an English error box); ``uploads.save_upload`` would refuse it
    too, in Swedish ("Filtypen .exe stöds inte."). Either way nothing is saved.
    """
    corpus = own_copy / "corpus"
    before_files = sorted(p.name for p in corpus.iterdir())
    before = index_version(own_copy / "index")
    at = _upload(_start(), [(name, data, "application/octet-stream")])
    refused_by_streamlit = any("Invalid file extension" in str(e.value) for e in at.exception)
    if not refused_by_streamlit:
        indexera = [b for b in at.button if b.key == "indexera"]
        if indexera:
            indexera[0].click()
            at.run()
        assert not at.exception, at.exception
        assert "stöds inte" in texts(at)
    assert sorted(p.name for p in corpus.iterdir()) == before_files
    assert index_version(own_copy / "index") == before
    # The process keeps serving: a new session searches normally.
    fresh = _start()
    fresh.text_input(key="query").set_value("Vilken region har ett cykelbibliotek?")
    next(b for b in fresh.button if b.label == "Sök").click()
    fresh.run()
    assert not fresh.exception and "Region Örebro län" in cards(fresh)[0]


# ---------------------------------------------------------------- the page: ten sessions


@pytest.fixture(scope="module")
def server(base, tmp_path_factory):
    """One real ``streamlit run app.py`` on the module's corpus and index."""
    tmp = tmp_path_factory.mktemp("robust-server")
    log = tmp / "streamlit.log"
    with streamlit_server(base / "corpus", base / "index", log) as (url, proc):
        yield {"url": url, "log": log, "proc": proc, "tmp": tmp}


@pytest.fixture(scope="module")
def windows(server):
    """Ten headless Chromium windows (separate browsers, so ten Streamlit sessions)."""
    missing = missing_browser()
    if missing:
        pytest.fail(f"Missing {', '.join(missing)} (apt-get install -y chromium chromium-driver)")
    os.environ["SE_OFFLINE"] = "true"  # selenium-manager must never download anything
    profiles = [server["tmp"] / f"profile-{i}" for i in range(SESSIONS)]
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        futures = [pool.submit(chromium_driver, p) for p in profiles]
    drivers = [f.result() for f in futures if f.exception() is None]
    try:
        if len(drivers) < SESSIONS:
            raise next(f.exception() for f in futures if f.exception() is not None)
        yield drivers
    finally:
        for driver in drivers:
            driver.quit()


@pytest.mark.browser
def test_ten_concurrent_sessions_all_get_their_answer(server, windows):
    from selenium.webdriver.common.by import By

    start = threading.Barrier(SESSIONS, timeout=PAGE_TIMEOUT)

    def session(driver, question: str) -> float:
        driver.get(server["url"])
        wait(
            driver,
            lambda d: d.find_elements(By.CSS_SELECTOR, QUESTION_BOX),
            timeout=PAGE_TIMEOUT,
            message="the question box never appeared",
        )
        wait(driver, lambda d: question_box(d).is_displayed(), timeout=PAGE_TIMEOUT)
        # every window loaded: press Enter as close together as possible. On a very busy
        # machine one window may load minutes after the others; then the rest go ahead
        # without it (the test is that every session gets its answer, not when).
        with contextlib.suppress(threading.BrokenBarrierError):
            start.wait()
        seconds = ask(driver, question, timeout=PAGE_TIMEOUT)
        region, title = SESSION_QUESTIONS[question]
        first = first_card(driver).text
        assert region in first and title in first, (question, first[:300])
        assert not driver.find_elements(By.CSS_SELECTOR, "[data-testid='stException']")
        return question, first, seconds

    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        results = list(pool.map(session, windows, SESSION_QUESTIONS))
    timings = [seconds for _, _, seconds in results]
    # The same kind of question alone, for comparison.
    alone = ask(windows[0], "Vilken region har ett cykelbibliotek?", timeout=PAGE_TIMEOUT)

    # Every window got the card of its own question, never another window's.
    for question, first, _ in results:
        _region, title = SESSION_QUESTIONS[question]
        others = [t for r, t in SESSION_QUESTIONS.values() if t != title]
        assert title in first and not any(t in first for t in others), question
    assert server["proc"].poll() is None, "the server died"
    log = server["log"].read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
    print(
        f"\n{SESSIONS} concurrent sessions, Enter → {HITS} cards: "
        f"median {statistics.median(timings):.2f} s, max {max(timings):.2f} s, "
        f"min {min(timings):.2f} s; one session alone afterwards: {alone:.2f} s; "
        f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


@pytest.mark.browser
def test_browser_refuses_disallowed_types_and_oversize_files(server, windows, base, tmp_path):
    """What a user sees: each refused file named with its Swedish reason, as text (a phone
    has no hover), and nothing added.

    A file too large is refused by Streamlit's uploader before it reaches the server; its
    English message ("File must be 20.0MB or smaller.") is shown in Swedish
    (confsearch/web/chrome.py). A file type the corpus cannot read reaches the page, which
    names it and its reason under the uploader and never offers to add it
    (confsearch/web/corpuspage.py). ``confsearch.reading.uploads.save_upload`` stays the
    last line of defence for clients that bypass the page (see the AppTest upload tests).
    """
    from selenium.webdriver.common.by import By

    files = {
        "virus.exe": b"MZ not really a program",
        "tabell.xlsx": b"PK\x03\x04 a spreadsheet",
        "stor.txt": b"a" * (uploads.MAX_UPLOAD_BYTES + 1),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    before = sorted(p.name for p in (base / "corpus").iterdir())

    driver = windows[0]
    driver.get(server["url"])
    wait(driver, lambda d: question_box(d).is_displayed(), timeout=PAGE_TIMEOUT)
    click_tab(driver, "Korpus")
    box = wait(
        driver,
        lambda d: d.find_element(
            By.CSS_SELECTOR, "[class*='st-key-uppladdning-'] input[type=file]"
        ),
    )
    box.send_keys("\n".join(str(tmp_path / name) for name in files))
    uploader = lambda: driver.find_element(  # noqa: E731  (redrawn when the page reruns)
        By.CSS_SELECTOR,
        "[class*='st-key-uppladdning-'][data-testid='stFileUploader'],"
        "[class*='st-key-uppladdning-'] [data-testid='stFileUploader']",
    )
    body = lambda: driver.find_element(By.TAG_NAME, "body").text  # noqa: E731
    wait(
        driver,
        lambda d: (
            "virus.exe kan inte läggas till: Filtypen .exe stöds inte." in body()
            and "tabell.xlsx kan inte läggas till: Filtypen .xlsx stöds inte." in body()
            and "Fel: Filen är för stor: högst 20 MB per fil." in uploader().text
        ),
        timeout=60,
    )
    text = uploader().text
    print("\nUploader says:\n" + text)
    for name in files:
        assert name in text
    assert "not allowed" not in text and "or smaller" not in text and "Error" not in text
    # Nothing was accepted: no button to add them, nothing in the corpus.
    assert not driver.find_elements(By.XPATH, "//button[contains(., 'Lägg till och uppdatera')]")
    assert sorted(p.name for p in (base / "corpus").iterdir()) == before
