"""Konferenssök – the web page (``make run`` or ``streamlit run app.py``).

A thin Streamlit layer over the ``confsearch`` package: search with an extractive answer,
a region overview, a briefing note that can be exported, and the corpus with uploads.
This file only lays out widgets. Search, ask and regions are the use cases of
:mod:`confsearch.qa`, called (memoised per session) through :mod:`confsearch.web.pagestate`,
which also holds what the tabs share: one question (both question boxes show it), one set
of filters (shown as removable chips wherever results are shown) and the note. Loading,
builds and uploads: :mod:`confsearch.web.pageload` over :mod:`confsearch.web.pagecache`;
cards and tables: :mod:`confsearch.web.cards`; escaping: :mod:`confsearch.markup`; Swedish
chrome: :mod:`confsearch.web.chrome`; downloads with the last edit:
:mod:`confsearch.web.exportgate`. All text shown to users is Swedish; all corpus text is
escaped.
"""

from __future__ import annotations

import streamlit as st

from confsearch import markup, messages, qa
from confsearch.answers import citation, labels
from confsearch.answers.briefing import to_markdown
from confsearch.answers.wordnote import DOCX_MIME, to_docx
from confsearch.notes import swedish_time
from confsearch.query import QueryError
from confsearch.reading import uploads
from confsearch.settings import Settings
from confsearch.web import cards, chrome, corpuspage
from confsearch.web import notes as notepage
from confsearch.web.pageload import add_files, load_searcher, run_build
from confsearch.web.pagestate import (
    ALL_REGIONS,
    ALL_SESSIONS,
    FILTERS,
    NOTE_HEADING,
    REGIONS_K,
    TAB_KEY,
    TABS,
    active_filters,
    clear_filter,
    clear_filters,
    downloading,
    follow_tab_address,
    gate,
    moving,
    note,
    pin,
    pin_answer,
    pinned_ids,
    remember_tab_address,
    run_regions,
    run_search,
    session_choices,
    set_question,
    submitted,
    sync_note,
    unpin,
)

EXAMPLES = (
    "Vilken region har ett cykelbibliotek?",
    "Hur kan regioner samverka med civilsamhället?",
    "Vad är en projektkyrkogård?",
)
HIT_CHOICES = (5, 10, 20)
# The upload's file types in plain words (the uploader also takes the index's .jsonl).
UPLOAD_KINDS = "Word, PDF, webbsidor eller textfiler"
MAX_QUESTION = notepage.MAX_URL_QUESTION  # the question box's limit (characters)


# ---------------------------------------------------------------- shared pieces


def question_form(key: str, form: str) -> None:
    """A question box; both tabs' boxes show and set the same question."""
    with st.form(form, border=False, enter_to_submit=True):
        st.text_input(
            "Fråga",
            key=key,
            placeholder="Ställ en fråga om konferensen…",
            label_visibility="collapsed",
            max_chars=MAX_QUESTION,
        )
        st.form_submit_button(
            "Sök", type="primary", icon=":material/search:", on_click=submitted, args=(key,)
        )
    if len(st.session_state.get(key) or "") >= MAX_QUESTION:  # the box cut what was pasted
        limit = f"{MAX_QUESTION:,}".replace(",", "\u00a0")
        st.warning(messages.QUESTION_CUT.format(limit=limit))


def filter_controls(searcher) -> None:
    """The filter boxes, under Sök only: one set of filters, shown as chips in every tab.

    (A second set of boxes mirroring these in Regioner lost the choice now and then: the
    browser can send a hidden box's old value after the page set a new one.)"""
    regions = sorted(searcher.index.regions)
    sessions, session_label = session_choices(searcher.index)
    options = {"region": [ALL_REGIONS, *regions], "session": [ALL_SESSIONS, *sessions]}
    with st.expander("Filtrera på region eller lärpass"):
        for name, label in (("region", "Region eller organisation"), ("session", "Lärpass")):
            if st.session_state.get(name, options[name][0]) not in options[name]:
                st.session_state[name] = options[name][0]  # an index without that filter
            st.selectbox(
                label,
                options[name],
                key=name,
                placeholder="Välj",
                format_func=session_label if name == "session" else str,
                bind="query-params",  # a link reproduces the filters
            )
        st.selectbox(
            "Antal träffar", HIT_CHOICES, index=1, key="k", placeholder="Välj", bind="query-params"
        )


def chips(where: str, hint: bool = False) -> None:
    """The active filters as chips; pressing one removes that filter. ``hint``: say where
    filters are set (tabs without the filter boxes)."""
    region, session = active_filters()
    active = [("region", region), ("session", session)]
    active = [(name, value) for name, value in active if value]
    if not active:
        if hint:
            st.caption(
                "Filtrera på region eller lärpass under fliken Sök; filtren gäller här också."
            )
        return
    with st.container(horizontal=True, gap="small"):
        st.markdown('<p class="ks-chip-label">Filter:</p>', unsafe_allow_html=True)
        for name, value in active:
            st.button(
                f"{FILTERS[name][0]}: {value}",
                key=f"chip-{where}-{name}",
                icon=":material/close:",
                icon_position="right",
                help="Ta bort filtret",
                on_click=clear_filter,
                args=(name,),
            )


def pin_button(hit, query: str, source, key: str) -> None:
    """Fäst, or – once pinned – take it out again. Never disabled: the keyboard focus
    stays on the button."""
    if hit.passage.id in pinned_ids():
        st.button(
            "I anteckningen ✓",
            key=key,
            icon=":material/bookmark_added:",
            help="Stycket finns i din anteckning. Tryck för att ta bort det.",
            on_click=unpin,
            args=(hit.passage.id,),
        )
    else:
        st.button(
            "Fäst",
            key=key,
            icon=":material/push_pin:",
            help="Lägg stycket i din anteckning (fliken Anteckning).",
            on_click=pin,
            args=(hit, query, source),
        )


def card(hit, response, quoted: dict, label: str, searcher, sources: dict, key: str) -> None:
    p = hit.passage
    words = hit.matched_forms or hit.matched_terms or [response.query]
    # a weak card gets no highlight: yellow says "this is the part that answers"
    spans = (
        markup.best_sentence_spans(p.text, quoted=quoted.get(hit.rank, []), query_words=words)
        if labels.level(label) > 0 or hit.rank in quoted
        else []
    )
    source = citation.source_of(sources, p)
    body = cards.hit_card(hit, response.query, spans, label, source)
    with st.container(border=True):
        st.markdown(body, unsafe_allow_html=True)
        pin_button(hit, response.query, source, key)
        with st.popover("Kopiera källhänvisning", icon=":material/content_copy:"):
            st.code(cards.citation_text(p, source), language=None, wrap_lines=True)
            st.caption("Tryck på kopieringsknappen i rutans hörn och klistra in där du vill.")
        if st.toggle("Visa hela lärpasset", key=f"hela-{key}"):  # drawn only when asked
            whole = cards.session_passages(searcher.index, p)
            st.markdown(cards.session_text_html(whole, p.id), unsafe_allow_html=True)


def answer_block(result: qa.AskResult) -> dict[int, list[str]]:
    """The answer above the cards; returns its sentences by card number (for highlighting)."""
    response, ans = result.response, result.answer
    if not response.hits:
        st.info(messages.NO_FILTER_HITS)
        return {}
    if not response.confident or not ans.confident or not ans.sentences:
        # why there is none: what the texts do not say, or the filter that hides it
        reason = ans.message or messages.NO_ANSWER
        head, _, rest = reason.partition(". ")
        detail = f" {markup.md_escape(rest)}" if rest else ""
        st.warning(f"**{markup.md_escape(head)}.**{detail} {messages.NO_ANSWER_NEAREST}")
        if result.filtered_out:
            st.button("Sök utan filter", icon=":material/filter_alt_off:", on_click=clear_filters)
        return {}
    with st.container(border=True):
        st.markdown("**Svar**")
        st.markdown(cards.answer_html(ans.sentences), unsafe_allow_html=True)
        scope = messages.filter_words(response.region_filter, response.session_filter)
        only = f" Bara stycken {markup.md_escape(scope)} (filter)." if scope else ""
        st.caption(
            "Svaret är meningar hämtade ur konferenstexterna; siffran leder till stycket "
            f"där meningen står.{only}"
        )
        answer_pin_button(result)
    return result.quoted()


def answer_pin_button(result: qa.AskResult) -> None:
    """Fäst svaret: the sentences with their citations go into the note (once per
    question; pressing again takes it out)."""
    item_id = result.note_item().passage_id
    if item_id in pinned_ids():
        st.button(
            "Svaret finns i anteckningen ✓",
            key="svaret-i-anteckningen",
            icon=":material/bookmark_added:",
            help="Tryck för att ta bort svaret ur anteckningen.",
            on_click=unpin,
            args=(item_id,),
        )
    else:
        st.button(
            "Fäst svaret",
            key="svaret-i-anteckningen",
            icon=":material/push_pin:",
            help="Lägg svaret, med källhänvisning till varje mening, i din anteckning.",
            on_click=pin_answer,
            args=(result,),
        )


# ---------------------------------------------------------------- tabs


def search_tab(searcher, version: str, sources: dict) -> None:
    question_form("query", "sokform")
    filter_controls(searcher)
    chips("sok")
    region, session = active_filters()
    k = st.session_state.get("k", HIT_CHOICES[1])
    query = st.session_state.get("query", "")
    if not st.session_state.get("asked"):
        st.markdown("Skriv en fråga med egna ord, eller välj en av dessa:")
        with st.container(horizontal=True, gap="small"):
            for i, example in enumerate(EXAMPLES):
                st.button(
                    example,
                    key=f"exempel-{i}",
                    icon=":material/arrow_forward:",
                    on_click=set_question,
                    args=(example,),
                )
        return

    try:
        result = run_search(searcher, version, qa.Question(query, int(k), region, session))
    except QueryError as exc:
        st.info(markup.md_escape(exc))
        return
    response, cards_labels = result.response, result.labels
    quoted = answer_block(result)
    if response.expansions:
        st.caption("Sökte även på: " + markup.md_escape(", ".join(response.expansions)))
    shown = labels.shown_count(cards_labels)
    for hit, label in zip(response.hits[:shown], cards_labels, strict=False):
        card(hit, response, quoted, label, searcher, sources, key=f"fast-{hit.passage.id}")
    if len(response.hits) > shown:
        with st.expander(f"Visa fler ({len(response.hits) - shown} svagare träffar)"):
            for hit, label in zip(response.hits[shown:], cards_labels[shown:], strict=True):
                card(hit, response, quoted, label, searcher, sources, key=f"fast-{hit.passage.id}")
    if note().items:
        count = messages.count_noun(len(note().items), "stycke", "stycken")
        st.caption(f"Anteckningen har {count} – se fliken Anteckning.")


def regions_tab(searcher, version: str, sources: dict) -> None:
    st.markdown("Vilka regioner och organisationer har arbetat med ämnet i din fråga?")
    question_form("query_regions", "regionform")
    chips("regioner", hint=True)
    query = st.session_state.get("query_regions", "")
    if not st.session_state.get("asked") or not query.strip():
        st.info("Skriv en fråga ovan, så visas vilka som arbetat med ämnet.")
        return
    region, session = active_filters()
    try:
        question = qa.Question(query, REGIONS_K, region, session)
        results = run_regions(searcher, version, question).regions
    except QueryError as exc:
        st.info(markup.md_escape(exc))
        return
    if not results:
        st.info(messages.NO_REGIONS_WITH_EVIDENCE)
        return
    st.markdown(cards.region_bars(results, query), unsafe_allow_html=True)
    for i, r in enumerate(results, 1):
        p = r.best.passage
        spans = markup.best_sentence_spans(p.text, query_words=r.best.matched_terms or [query])
        source = citation.source_of(sources, p)
        with st.container(border=True):
            st.markdown(cards.region_card(i, r, spans, source), unsafe_allow_html=True)
            pin_button(r.best, query, source, key=f"fast-region-{i}-{p.id}")


# The note's text fields are fragments: leaving one (the first thing a click on "Ladda ned"
# does) reruns only that field, not the page. A full rerun would redraw the download
# buttons and revoke the file the click is about to fetch (Streamlit: "Deferred file …
# not found"); the download's own callback then copies the field into the note.


@st.fragment
def note_fields() -> None:
    st.text_input("Rubrik", key="note_heading", max_chars=200, on_change=sync_note)
    st.text_area(
        "Egen rad",
        key="note_intro",
        placeholder="Till exempel: Underlag inför mötet med regionala utvecklingsnämnden.",
        max_chars=2000,
        height=80,
        on_change=sync_note,
    )


@st.fragment
def comment_field(key: str) -> None:
    st.text_input("Kommentar (valfri)", key=key, max_chars=500, on_change=sync_note)


def note_tab(searcher) -> None:
    notepage.manager()
    n = note()
    missing = notepage.missing_note(searcher)
    st.markdown(
        "Fäst stycken från sökningen, ordna dem och ladda ned anteckningen som Markdown eller "
        "Word. Källhänvisningar, datum och dina frågor följer med."
    )
    state = st.session_state
    state.setdefault("note_heading", n.heading)
    state.setdefault("note_intro", n.intro)
    note_fields()
    if not n.items:
        st.info("Anteckningen är tom. Tryck på Fäst vid en träff under fliken Sök.")
        return
    last = len(n.items) - 1
    for i, item in enumerate(n.items):
        pid = item.passage_id
        with st.container(border=True):
            st.markdown(cards.note_item_card(i + 1, item), unsafe_allow_html=True)
            notepage.mark_missing(pid, missing)
            comment_key = f"kommentar-{pid}"
            state.setdefault(comment_key, item.comment)
            comment_field(comment_key)
            with st.container(horizontal=True):
                up, down = ":material/arrow_upward:", ":material/arrow_downward:"
                st.button("Upp", key=f"upp-{pid}", icon=up, disabled=i == 0, **moving(pid, -1))
                st.button("Ned", key=f"ned-{pid}", icon=down, disabled=i == last, **moving(pid, 1))
                st.button(
                    "Ta bort",
                    key=f"bort-{pid}",
                    icon=":material/delete:",
                    on_click=unpin,
                    args=(pid,),
                )
    if n.questions:
        st.markdown("**Frågor du ställt**")
        st.markdown(cards.question_list(n.questions), unsafe_allow_html=True)
    downloads(n)


def downloads(n) -> None:
    """Markdown and Word, made when clicked and only after the click (with any edit sent
    along with it) has reached the note: see :mod:`confsearch.web.exportgate`."""
    g = gate()
    with st.container(horizontal=True):
        st.download_button(
            "Ladda ned som Markdown",
            data=g.deferred("ladda-md", lambda: to_markdown(n)),
            file_name=notepage.download_name("md"),
            mime="text/markdown",
            icon=":material/download:",
            on_click=downloading,
            args=("ladda-md",),
            key="ladda-md",
        )
        st.download_button(
            "Ladda ned som Word",
            data=g.deferred("ladda-docx", lambda: to_docx(n)),
            file_name=notepage.download_name("docx"),
            mime=DOCX_MIME,
            icon=":material/download:",
            on_click=downloading,
            args=("ladda-docx",),
            key="ladda-docx",
        )


def corpus_tab(settings: Settings, searcher) -> None:
    index = searcher.index
    summary = cards.corpus_summary(index)
    count = messages.count_noun
    st.markdown(
        f"Sökindexet innehåller **{count(len(summary.documents), 'dokument', 'dokument')}**, "
        f"**{count(len(summary.sessions), 'lärpass', 'lärpass')}** och "
        f"**{count(summary.passages, 'stycke', 'stycken')}**."
    )
    st.markdown(
        cards.table_html(summary.documents, "Dokument", summary.links), unsafe_allow_html=True
    )
    st.markdown(cards.table_html(summary.sessions, "Lärpass"), unsafe_allow_html=True)
    for err in index.manifest.read_errors:
        st.warning(markup.md_escape(err.for_user()))
    corpuspage.remove_control(settings, index, run_build)
    corpuspage.replace_control(settings, index, run_build)
    built = swedish_time(index.manifest.built)
    if built:
        st.caption(f"Sökindexet byggdes {built}.")

    st.markdown("**Lägg till texter**")
    st.caption(
        "Skriv gärna arrangör, evenemang, datum och webbadress överst i texten, till "
        "exempel en rad ”Arrangör: Reglab”. Då visas de i källhänvisningarna."
    )
    n = st.session_state.setdefault("upload_n", 0)
    chosen = st.file_uploader(  # every type: a refusal is said below, not only on hover
        f"Välj filer eller dra dem hit ({UPLOAD_KINDS}, högst {uploads.MAX_UPLOAD_MB} MB per fil)",
        accept_multiple_files=True,
        max_upload_size=uploads.MAX_UPLOAD_MB,
        key=f"uppladdning-{n}",
    )
    files, refused = corpuspage.refused_uploads(chosen)
    for message in refused:
        st.warning(message)
    if files and st.button("Lägg till och uppdatera sökindexet", type="primary", key="indexera"):
        add_files(settings, files)
    # What happened to the last upload, right where the user pressed the button.
    flash = st.session_state.pop("flash", None)
    if flash:
        with st.container(key="uppladdat"):
            for kind, message in flash:
                getattr(st, kind)(message)


# ---------------------------------------------------------------- page


def main() -> None:
    st.set_page_config(page_title="Konferenssök", page_icon=chrome.FAVICON, layout="centered")
    st.html(chrome.CSS)
    st.html(chrome.script(), unsafe_allow_javascript=True)
    st.title("Konferenssök", anchor=False)
    st.caption(
        "Sök och ställ frågor i konferenstexterna. Svaren bygger bara på texterna och "
        "visar alltid var de står."
    )
    settings = Settings.from_env()
    notepage.load(settings, NOTE_HEADING, set_question)
    # The build's progress bar and the warming spinner exist on some runs only. In a
    # container of their own they never shift the tabs' place on the page: Streamlit
    # knows the tabs by that place, and a shifted place would throw a visitor who just
    # chose files in the Korpus tab back to the Sök tab.
    with st.container():
        opened = load_searcher(settings)
    searcher, version = opened.searcher, opened.version
    sources = citation.sources(searcher.index.manifest.documents)
    about = citation.collection_caption(sources)
    if about:
        st.caption(markup.md_escape(about))
    # The open tab is in the address (?tab=Regioner): a link or a reload opens the same
    # view. A tab click reruns the page; the answers are memoised, so that costs nothing.
    follow_tab_address()
    sok, regioner, anteckning, korpus = st.tabs(TABS, key=TAB_KEY, bind="query-params")
    remember_tab_address()
    # The note's tab is drawn first (it still shows third): a run that is interrupted (a
    # click while the page redraws) revokes the download buttons on screen, and the
    # sooner the next run draws new ones, the smaller the moment a click on "Ladda ned"
    # fails with "Filen kunde inte skapas".
    with anteckning:
        note_tab(searcher)
    with sok:
        search_tab(searcher, version, sources)
    with regioner:
        regions_tab(searcher, version, sources)
    with korpus:
        corpus_tab(settings, searcher)


main()
