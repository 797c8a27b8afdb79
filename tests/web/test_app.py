"""The Streamlit page through ``streamlit.testing.v1.AppTest`` with the real model.

The index is built once per module from a temporary copy of corpus/; tests that change
the corpus (uploads) work on their own copy of corpus and index.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from confsearch.web import chrome
from tests.page_driver import QUESTION, ask, cards, start, texts, upload
from tests.page_driver import uploader as page_uploader


def index_version(index_dir) -> str | None:
    from confsearch.retrieval.index import current_version_dir

    folder = current_version_dir(index_dir)
    return folder.name if folder is not None else None


XSS_DOC = """# Testdokument om säkerhet

## Skadlig kod i texten

Den här testtexten om skadlig kod innehåller <script>alert('xss')</script> och en
länk [klicka här](https://example.com/elak) samt **fetstil** och :red[färg].

## Ett annat lärpass

Region Gotland berättar om hur besöksnäringen samarbetar med kommunen kring hållbar turism
och vad det betyder för lokala företag under sommaren.
"""


# ---------------------------------------------------------------- helpers


def answer_html(at: AppTest) -> str:
    return next((m.value for m in at.markdown if 'class="ks-answer"' in m.value), "")


# ---------------------------------------------------------------- search


def test_start_page_has_question_box_and_examples(env):
    at = start()
    box = at.text_input(key="query")
    assert box.placeholder == "Ställ en fråga om konferensen…"
    assert [t.label for t in at.tabs] == ["Sök", "Regioner", "Anteckning", "Korpus"]
    examples = [b for b in at.button if b.key and b.key.startswith("exempel-")]
    assert QUESTION in [b.label for b in examples]
    assert all(b.proto.icon for b in examples)  # drawn as buttons, not as plain text
    assert not cards(at)
    # The landing page says where the texts come from.
    shown = [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]
    assert "Texterna kommer från Reglabs årskonferens 2022." in shown


def test_search_shows_cards_answer_and_citations(env):
    at = ask(start(), QUESTION)
    found = cards(at)
    assert len(found) == 10
    first = found[0]
    assert 'id="traff-1"' in first
    assert "Region Örebro län" in first and "cykelbibliotek" in first
    assert "Rena resor är rena vinsten" in first
    assert "Talare:" in first and "Källa:" in first
    # the full citation: Lärpass · Region · Talare — Dokument (Arrangör, år)
    assert (
        "Källa: Rena resor är rena vinsten · Region Örebro län · Mirja Mattsson, Katja Hagström "
        "— Följ med till några av lärpassen på årskonferensen 2022 (Reglab, 2022)"
    ) in first
    assert "<mark>" in first  # best-matching sentence highlighted
    assert any(label in first for label in ("Mycket relevant", "Relevant", "Delvis relevant"))
    assert "Matchade på orden" in first and "cykelbibliotek" in first
    answer = answer_html(at)
    assert '<a href="#traff-1"' in answer and "[1]" in answer
    assert "Inget tydligt svar" not in texts(at)


def test_a_hit_opens_its_whole_lärpass_in_the_order_of_the_text(env):
    at = ask(start(), QUESTION)
    toggles = [t for t in at.toggle if t.label == "Visa hela lärpasset"]
    assert len(toggles) == len(cards(at))  # one per hit, all closed
    assert not any("ks-session" in m.value for m in at.markdown)
    toggles[0].set_value(True).run()
    assert not at.exception, at.exception
    (whole,) = [m.value for m in at.markdown if "ks-session" in m.value]
    assert whole.count("<p") > 2 and whole.count('class="ks-current"') == 1
    assert "cykelbibliotek" in whole.split('class="ks-current"', 1)[1].split("</p>", 1)[0]
    # "Kopiera källhänvisning": the citation as plain text in a box with a copy button.
    citations = [c.value for c in at.code]
    assert len(citations) == len(toggles) and "(Reglab, 2022)" in citations[0]
    assert "corpus/" not in citations[0] and "<" not in citations[0].split(" <")[0]


def test_off_topic_question_says_so_and_still_shows_passages(env):
    at = ask(start(), "Hur bakar man surdegsbröd?")
    assert "Inget tydligt svar i konferenstexterna" in texts(at)
    assert not answer_html(at)
    assert cards(at)


def test_uncovered_names_are_named_and_no_answer_is_given(env):
    at = ask(start(), "Vad säger Jönköpings län om turism?")
    shown = texts(at)
    assert "Inget tydligt svar i konferenstexterna" in shown
    assert "Texterna nämner inte:" in shown and "Jönköping" in shown
    assert not answer_html(at)


def test_a_quantity_the_texts_do_not_state_is_named(env):
    at = ask(start(), "Hur ofta träffas Värmlandsrådet?")
    shown = texts(at)
    assert "Inget tydligt svar i konferenstexterna" in shown
    assert "Texterna anger inte hur ofta." in shown
    assert not answer_html(at)


def test_example_button_asks_the_question(env):
    at = start()
    next(b for b in at.button if b.label == QUESTION).click()
    at.run()
    assert "Region Örebro län" in cards(at)[0]


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "Skriv en fråga – sökrutan är tom."), ("?!… --", "inga ord")],
)
def test_bad_queries_get_a_swedish_message_not_a_stack_trace(env, query, message):
    at = ask(start(), query)
    assert message in texts(at)
    assert not at.exception
    assert not cards(at)


def chip_labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button if b.key and b.key.startswith("chip-")]


def test_region_filter_is_shown_as_a_chip_and_applied_in_every_tab(env):
    at = start()
    at.selectbox(key="region").select("Region Värmland")
    at = ask(at, "Hur arbetar man tillsammans?")
    found = cards(at)
    assert found
    assert all("Region Värmland" in c for c in found)
    assert all("Värmland leder tillsammans" in c for c in found)
    # The active filter is visible above the results in both tabs, and the answer says so.
    assert chip_labels(at) == ["Region: Region Värmland", "Region: Region Värmland"]
    shown = [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]
    assert any("Bara stycken från Region Värmland (filter)" in c for c in shown)
    korpus = ("ta-bort-dokument", "ersatt-dokument")  # the Korpus tab's own boxes
    filters = [s.key for s in at.selectbox if s.key not in korpus]
    assert filters == ["region", "session", "k"]  # one set of filters
    region_cards = [m.value for m in at.markdown if 'class="ks-card ks-region"' in m.value]
    assert region_cards and all("Region Värmland" in c for c in region_cards)
    # Pressing the chip removes the filter everywhere.
    at.button(key="chip-sok-region").click().run()
    assert not chip_labels(at)
    assert at.selectbox(key="region").value == "Alla regioner och organisationer"
    assert any("Värmland leder tillsammans" not in c for c in cards(at))


def test_a_region_filter_changes_ask_with_the_fake_model(fake_env):
    """The page's filter reaches confsearch.qa.ask (fast tier: the fake model)."""
    at = ask(start(), QUESTION)
    free = cards(at)
    at.selectbox(key="region").select("Region Gävleborg").run()
    assert not at.exception, at.exception
    only = cards(at)
    assert free and only and only != free
    assert all("Region Gävleborg" in c for c in only)
    assert any("Region Gävleborg" not in c for c in free)
    assert chip_labels(at) == ["Region: Region Gävleborg", "Region: Region Gävleborg"]


def test_session_filter(env):
    at = start()
    at.selectbox(key="session").select("Det nya Norrland?")
    at = ask(at, "Vad gör regionen?")
    found = cards(at)
    assert found and all("Det nya Norrland?" in c for c in found)
    # Clearing the filter shows other sessions again.
    at.selectbox(key="session").select("Alla lärpass").run()
    assert any("Det nya Norrland?" not in c for c in cards(at))


def test_number_of_hits(env):
    at = start()
    at.selectbox(key="k").select(5)
    assert len(cards(ask(at, QUESTION))) == 5


# ---------------------------------------------------------------- regions


def test_regions_tab_has_its_own_question_box_and_readable_bars(env):
    at = ask(start(), "Vilka regioner jobbar med cykling?")
    # The Regioner tab shows the same question in its own box …
    assert at.text_input(key="query_regions").value == "Vilka regioner jobbar med cykling?"
    bars = next(m.value for m in at.markdown if 'class="ks-bars"' in m.value)
    assert "Region Örebro län" in bars and "ks-bar-fill" in bars
    assert not at.get("vega_lite_chart")  # no chart library: names wrap, nothing overlaps
    region_cards = [m.value for m in at.markdown if 'class="ks-card ks-region"' in m.value]
    assert region_cards and "Region Örebro län" in region_cards[0]
    assert "(Reglab, 2022)" in region_cards[0]
    # … and asking there asks everywhere.
    at.text_input(key="query_regions").input("Vad är en projektkyrkogård?")
    next(b for b in at.button if b.label == "Sök" and b.proto.form_id == "regionform").click()
    at.run()
    assert not at.exception
    assert at.text_input(key="query").value == "Vad är en projektkyrkogård?"
    assert "Undvik projektkyrkogårdar" in cards(at)[0]


# ---------------------------------------------------------------- briefing note


def pin_first(at: AppTest) -> str:
    pid = next(
        b.key for b in at.button if b.key and b.key.startswith("fast-") and b.label == "Fäst"
    )
    at.button(key=pid).click()
    at.run()
    assert not at.exception, at.exception
    return pid.removeprefix("fast-")


def test_pin_and_note_with_citations_and_downloads(env):
    at = ask(start(), QUESTION)
    pid = pin_first(at)
    note = at.session_state["note"]
    assert [item.passage_id for item in note.items] == [pid]
    item = note.items[0]
    assert item.cited().label() == (
        "Följ med till några av lärpassen på årskonferensen 2022 (Reglab, 2022)"
    )
    # Shown as pinned, still a button (keyboard focus stays on it); pressing it unpins.
    button = at.button(key=f"fast-{pid}")
    assert button.label == "I anteckningen ✓" and not button.disabled
    assert any("Anteckningen har 1 stycke –" in c.value for c in at.caption)
    # The note survives another search in the same session.
    at = ask(at, "Vad är en projektkyrkogård?")
    assert len(at.session_state["note"].items) == 1
    note_card = next(m.value for m in at.markdown if "Fråga: " in m.value and "ks-text" in m.value)
    assert "Talare: Mirja Mattsson, Katja Hagström" in note_card
    assert "(Reglab, 2022)" in note_card
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Ladda ned som Markdown", "Ladda ned som Word"]


def test_the_answer_itself_can_be_pinned_and_taken_out_again(env):
    at = ask(start(), QUESTION)
    button = at.button(key="svaret-i-anteckningen")
    assert button.label == "Fäst svaret"
    button.click().run()
    assert not at.exception, at.exception
    [item] = at.session_state["note"].items
    assert item.session == "Svar från Konferenssök" and item.query == QUESTION
    assert "cykelbibliotek" in item.text and " — " in item.text  # sentences with citations
    assert at.button(key="svaret-i-anteckningen").label == "Svaret finns i anteckningen ✓"
    note_card = next(m.value for m in at.markdown if "ks-note-item" in m.value)
    assert "Svar från Konferenssök" in note_card and "Källa:" not in note_card
    at.button(key="svaret-i-anteckningen").click().run()
    assert not at.session_state["note"].items


def test_pinning_again_unpins(env):
    at = ask(start(), QUESTION)
    pid = pin_first(at)
    at.button(key=f"fast-{pid}").click().run()
    assert not at.session_state["note"].items
    assert at.button(key=f"fast-{pid}").label == "Fäst"


def test_note_heading_own_line_reorder_and_remove(env):
    at = ask(start(), QUESTION)
    first = pin_first(at)
    second = pin_first(at)
    assert [i.passage_id for i in at.session_state["note"].items] == [first, second]
    at.text_input(key="note_heading").input("Underlag till nämnden").run()
    at.text_area(key="note_intro").input("Min egen rad.").run()
    note = at.session_state["note"]
    assert (note.heading, note.intro) == ("Underlag till nämnden", "Min egen rad.")
    assert at.button(key=f"upp-{first}").disabled and at.button(key=f"ned-{second}").disabled
    at.text_input(key=f"kommentar-{first}").input("Viktigt för cykelstrategin.").run()
    assert at.session_state["note"].items[0].comment == "Viktigt för cykelstrategin."
    at.button(key=f"upp-{second}").click().run()
    assert [i.passage_id for i in at.session_state["note"].items] == [second, first]
    at.button(key=f"bort-{second}").click().run()
    assert [i.passage_id for i in at.session_state["note"].items] == [first]
    assert not at.exception


def test_second_session_reloads_nothing(env, monkeypatch):
    import confsearch.embedding.model
    import confsearch.retrieval.index

    ask(start(), QUESTION)
    loads: list[str] = []
    monkeypatch.setattr(
        confsearch.embedding.model, "load_embedder", lambda *a, **k: loads.append("model")
    )
    monkeypatch.setattr(
        confsearch.retrieval.index, "load_index", lambda *a, **k: loads.append("index")
    )
    at = ask(start(), "Vad är en projektkyrkogård?")  # another user, same process
    assert cards(at)
    assert loads == []


# ---------------------------------------------------------------- corpus & uploads


def test_corpus_tab_lists_documents_and_sessions(env):
    at = start()
    assert not at.dataframe  # Streamlit's grid has an English toolbar: plain tables instead
    tables = [m.value for m in at.markdown if 'class="ks-table"' in m.value]
    assert len(tables) == 2
    docs, sessions = tables
    for column in ("Dokument", "Arrangör", "Evenemang", "Datum", "Fil", "Lärpass", "Stycken"):
        assert f'<th scope="col">{column}</th>' in docs
    assert "Reglabs årskonferens 2022" in docs and "9–10 februari 2022" in docs
    assert "Rena resor är rena vinsten" in sessions
    assert "1 dokument" in " ".join(m.value for m in at.markdown)


def test_upload_makes_a_document_searchable_without_restart(own_copy):
    at = ask(start(), "Hur samarbetar besöksnäringen kring hållbar turism på Gotland?")
    assert not any("Region Gotland" in c for c in cards(at))
    before = index_version(own_copy / "index")

    (own_copy / "corpus" / "gotland.md").write_text("finns redan", encoding="utf-8")
    uploader = page_uploader(at)
    uploader.set_value(
        [
            ("../../gotland.md", XSS_DOC.encode("utf-8"), "text/markdown"),
            ("binär.md", b"\x00\x01\x02 inte text", "text/markdown"),
        ]
    )
    at.run()
    at.button(key="indexera").click()
    at.run()
    assert not at.exception, at.exception
    messages = texts(at)
    assert "Klart!" in messages and "gotland-2.md" in messages
    assert "binär.md lades inte till" in messages and "binärdata" in messages
    # Saved inside the corpus under a new name; the existing file is untouched.
    assert (own_copy / "corpus" / "gotland.md").read_text(encoding="utf-8") == "finns redan"
    assert (own_copy / "corpus" / "gotland-2.md").is_file()
    assert not (own_copy / "gotland.md").exists() and not (own_copy.parent / "gotland.md").exists()
    assert not list((own_copy / "corpus").glob("bin*"))
    assert index_version(own_copy / "index") != before

    at = ask(at, "Hur samarbetar besöksnäringen kring hållbar turism på Gotland?")
    assert "Region Gotland" in cards(at)[0]
    # A second session in the same process sees the new document too.
    assert "Region Gotland" in cards(ask(start(), "hållbar turism på Gotland"))[0]


def test_replacing_then_removing_an_uploaded_document_changes_what_is_found(own_copy):
    question = "Hur samarbetar besöksnäringen kring hållbar turism på Gotland?"
    at = start()
    upload(at, [("gotland.md", XSS_DOC.encode("utf-8"), "text/markdown")])
    assert "Klart!" in texts(at)
    assert "Region Gotland" in cards(ask(at, question))[0]
    # Two documents: the lärpass filter is grouped by document, each labelled with it.
    options = at.selectbox(key="session").options[1:]
    documents = [o.split(" · ", 1)[0] for o in options]
    assert "Testdokument om säkerhet · Ett annat lärpass (Region Gotland)" in options
    assert len(set(documents)) == 2 and documents == sorted(documents, key=documents.index)

    # A new version replaces it: the old passages go, the new ones are found.
    version2 = XSS_DOC.replace(
        "Region Gotland berättar om hur besöksnäringen",
        ("Region Jämtland Härjedalen berättar om hur fjällturismen"),
    )
    at.selectbox(key="ersatt-dokument").select("gotland.md").run()
    at.file_uploader(key="ny-version-0").set_value(
        ("gotland-v2.md", version2.encode("utf-8"), "text/markdown")
    )
    at.run()
    at.button(key="ersatt").click()
    at.run()
    assert not at.exception, at.exception
    assert "(gotland.md) är ersatt av gotland-v2.md. Sökindexet har nu" in texts(at)
    assert (own_copy / "corpus" / "gotland.md").read_text(encoding="utf-8") == version2
    assert not any("Region Gotland" in c for c in cards(ask(at, question)))
    assert "Region Jämtland" in cards(ask(at, "fjällturismen i Jämtland Härjedalen"))[0]

    at.selectbox(key="ta-bort-dokument").select("gotland.md").run()
    at.button(key="ta-bort").click()
    at.run()
    assert not at.exception, at.exception
    assert "Testdokument om säkerhet (gotland.md) är borttaget. Sökindexet har nu" in texts(at)
    assert not (own_copy / "corpus" / "gotland.md").exists()
    assert len(list((own_copy / "corpus" / ".borttagna").glob("*-gotland.md"))) == 2
    assert not any("Region Jämtland" in c for c in cards(ask(at, "fjällturismen i Jämtland")))
    assert "gotland.md" not in at.selectbox(key="ta-bort-dokument").options


def test_a_file_already_in_the_corpus_gets_one_message_no_copy_and_no_build(own_copy):
    corpus = own_copy / "corpus"
    before = index_version(own_copy / "index")
    files = sorted(p.name for p in corpus.iterdir())
    data = (corpus / "arskonferens-2022-larpass.txt").read_bytes()
    at = start()
    upload(at, [("arskonferens-2022-larpass.txt", data, "text/plain")])
    assert not at.exception, at.exception
    messages = texts(at)
    assert messages.count("arskonferens-2022-larpass.txt lades inte till") == 1
    assert (
        "arskonferens-2022-larpass.txt lades inte till: Filen finns redan i korpusen "
        "(som arskonferens-2022-larpass.txt)."
    ) in messages
    assert "Klart!" not in messages and "dubblett" not in messages
    assert sorted(p.name for p in corpus.iterdir()) == files  # no copy on disk
    assert index_version(own_copy / "index") == before  # nothing accepted: no rebuild


def test_upload_is_judged_by_its_own_path_and_partial_problems_are_shown(own_copy):
    """An unreadable corpus/sub/notes.txt must not get a good upload notes.txt deleted."""
    sub = own_copy / "corpus" / "sub"
    sub.mkdir()
    (sub / "notes.txt").write_bytes(b"\x00\x01\x02\x03 binary, not text" * 10)
    good = "# Anteckningar\n\n## Vätgas i Gävle\n\nRegion Gävleborg berättade om vätgas.\n"
    jsonl = (
        '{"id": "a", "text": "Region Skåne berättade om kollektivtrafik och pendling."}\n'
        "{trasig rad\n"
    )
    at = start()
    upload(
        at,
        [
            ("notes.txt", good.encode("utf-8"), "text/plain"),
            ("rader.jsonl", jsonl.encode("utf-8"), "application/jsonl"),
        ],
    )
    assert not at.exception, at.exception
    assert (own_copy / "corpus" / "notes.txt").read_text(encoding="utf-8") == good
    messages = texts(at)
    assert "Klart!" in messages and "notes.txt" in messages
    assert "1 av 2 rader" in messages  # the partial problem is shown to the uploader
    assert "Region Gävleborg" in cards(ask(at, "vätgas i Gävle"))[0]


@pytest.mark.process
def test_page_builds_a_missing_index_and_escapes_corpus_text(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "sakerhet.md").write_text(XSS_DOC, encoding="utf-8")
    monkeypatch.setenv("CONFSEARCH_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("CONFSEARCH_INDEX", str(tmp_path / "index"))
    at = start()  # no index yet: the page builds it
    assert index_version(tmp_path / "index") is not None
    at = ask(at, "testtext om skadlig kod")
    evil = next(c for c in cards(at) if "skadlig kod" in c)
    assert "<script" not in evil.lower() and "alert(" in evil
    assert "&#60;script&#62;" in evil  # shown as the characters "<script>"
    assert "](https" not in evil and "&#91;klicka här&#93;" in evil
    # The author's emphasis is shown as emphasis; no asterisks, no live Markdown.
    assert "**" not in evil and "<strong>fetstil</strong>" in evil
    assert re.findall(r'<a href="([^"]+)"', evil) == ["https&#58;//example.com/elak"]
    assert ":red[" not in evil
    # Nothing anywhere on the page carries the raw tag.
    assert all("<script" not in m.value.lower() for m in at.markdown)
    own = chrome.script()  # the page's constant chrome script: no corpus text in it
    assert all("<script" not in h.value.lower() for h in at.get("html") if h.value.strip() != own)
