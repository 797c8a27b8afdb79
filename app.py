"""Konferenssök – the web page (``make run`` or ``streamlit run app.py``).

A thin Streamlit layer over the ``confsearch`` package: search with an extractive answer,
a region overview, a briefing note that can be exported, and the corpus with uploads.
Reusable logic (escaping, highlighting, uploads, cached loading) lives in
:mod:`confsearch.ui`. All text shown to users is Swedish; all corpus text is escaped.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from confsearch import cards, markup, messages, pagecache, uploads
from confsearch.settings import Settings

EXAMPLES = (
    "Vilken region har ett cykelbibliotek?",
    "Hur kan regioner samverka med civilsamhället?",
    "Vad är en projektkyrkogård?",
)
HIT_CHOICES = (5, 10, 20)
ALL_REGIONS = "Alla regioner och organisationer"
ALL_SESSIONS = "Alla lärpass"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

CSS = """
<style>
.ks-card { scroll-margin-top: 4.5rem; }
.ks-head { font-weight: 600; font-size: 1.05rem; margin-bottom: .25rem; }
.ks-nr { display: inline-block; min-width: 2rem; opacity: .7; }
.ks-tags { margin: .2rem 0 .4rem 0; }
.ks-tag { display: inline-block; padding: .05rem .55rem; margin: 0 .3rem .3rem 0;
  border-radius: 1rem; font-size: .85rem; background: rgba(36, 120, 200, .14);
  border: 1px solid rgba(36, 120, 200, .35); }
.ks-meta { font-size: .85rem; opacity: .8; margin: .2rem 0; }
.ks-text { line-height: 1.55; margin: .4rem 0; overflow-wrap: anywhere; }
.ks-text mark { background: rgba(255, 200, 0, .35); color: inherit; padding: 0 .1rem;
  border-radius: .2rem; }
.ks-answer { line-height: 1.6; overflow-wrap: anywhere; }
.ks-answer a { text-decoration: none; font-weight: 600; white-space: nowrap; }
/* Streamlit's built-in hints are English only: hide them, our labels say it in Swedish. */
[data-testid="InputInstructions"] { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {
  font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "Välj filer"; font-size: .875rem; }
</style>
"""


# ---------------------------------------------------------------- state


def note():
    """The briefing note of this browser session (survives across searches)."""
    from confsearch.briefing import BriefingNote

    if "note" not in st.session_state:
        st.session_state["note"] = BriefingNote(heading="Anteckning från Konferenssök")
    return st.session_state["note"]


def pin(hit, query: str) -> None:
    note().add(hit, query)


def unpin(passage_id: str) -> None:
    note().remove(passage_id)


def move(passage_id: str, delta: int) -> None:
    note().move(passage_id, delta)


def comment(passage_id: str, key: str) -> None:
    note().set_comment(passage_id, st.session_state.get(key, ""))


def moving(passage_id: str, delta: int) -> dict:
    return {"on_click": move, "args": (passage_id, delta)}


def pinned_ids() -> set[str]:
    return {item.passage_id for item in note().items}


def ask(question: str) -> None:
    st.session_state["query"] = question
    st.session_state["asked"] = True


# ---------------------------------------------------------------- loading


def run_build(settings: Settings, text: str):
    """Run an index build in a worker process and wait for it here, with a progress bar.

    Only this session waits; every other session keeps searching the current index.
    """
    bar = st.progress(0.0, text=text)

    def progress(done: int, total: int) -> None:
        if total:
            share = min(1.0, done / total)
            bar.progress(share, text=f"{text} Bäddar in stycken: {done} av {total}.")

    try:
        outcome = pagecache.start_build(settings).wait(on_progress=progress)
    finally:
        bar.empty()
    pagecache.build_finished(settings, outcome.ok)
    return outcome


def load_searcher(settings: Settings):
    """The shared searcher of this server process (loaded once per index version).

    A missing index is built first (this visitor waits, with progress). A stale one keeps
    serving while a worker builds the new version in the background.
    """
    from confsearch.model import ModelError
    from confsearch.store import IndexError_

    try:
        if pagecache.needs_build(settings):
            if pagecache.current_version(settings) is None:
                outcome = run_build(settings, "Bygger sökindexet första gången …")
                if not outcome.ok:
                    st.error(markup.md_escape(outcome.message))
                    st.stop()
            else:
                pagecache.start_build(settings)
                st.caption("Konferenstexterna har ändrats – sökindexet uppdateras i bakgrunden.")
        if pagecache.is_warming():
            with st.spinner("Laddar språkmodellen och sökindexet …"):
                pagecache.wait_until_warm(300)
        return pagecache.searcher(settings)
    except (ModelError, IndexError_) as exc:
        st.error(markup.md_escape(exc))
        st.stop()


def run_search(searcher, version: str, query: str, region, session, k: int):
    """Search + extractive answer, memoised per session (re-runs for pins cost nothing)."""
    from confsearch.answer import answer

    key = (version, query, region, session, k)
    memo = st.session_state.setdefault("memo", {})
    if key not in memo:
        response = searcher.search(query, k=k, region=region, session=session)
        memo.clear()  # keep one result per session: memory stays flat
        memo[key] = (response, answer(response, embedder=searcher.embedder))
    return memo[key]


def run_regions(searcher, version: str, query: str):
    key = (version, query)
    memo = st.session_state.setdefault("region_memo", {})
    if key not in memo:
        memo.clear()
        memo[key] = searcher.regions(query)
    return memo[key]


# ---------------------------------------------------------------- pieces


def card(hit, response, quoted: dict, searcher, titles: dict[str, str], key: str) -> None:
    from confsearch.search import relevance_label

    p = hit.passage
    spans = markup.best_sentence_spans(
        p.text, quoted=quoted.get(hit.rank, []), query_words=hit.matched_terms or [response.query]
    )
    body = cards.hit_card(
        hit,
        response.query,
        spans,
        relevance_label(hit, searcher.config),
        titles.get(p.doc_id, ""),
    )
    with st.container(border=True):
        st.markdown(body, unsafe_allow_html=True)
        pin_button(hit, response.query, key)


def pin_button(hit, query: str, key: str) -> None:
    if hit.passage.id in pinned_ids():
        st.button("Fäst i anteckningen ✓", key=key, disabled=True)
    else:
        st.button(
            "Fäst",
            key=key,
            icon=":material/push_pin:",
            help="Lägg stycket i din anteckning (fliken Anteckning).",
            on_click=pin,
            args=(hit, query),
        )


def answer_block(response, ans) -> dict[int, list[str]]:
    """The answer above the cards; returns its sentences by card number (for highlighting)."""
    if not response.hits:
        st.info(messages.NO_FILTER_HITS)
        return {}
    if not response.confident or not ans.confident or not ans.sentences:
        missing = messages.not_mentioned(response.missing)
        detail = f" {missing}." if missing else ""
        st.warning(f"**{messages.NO_ANSWER}**{detail} {messages.NO_ANSWER_NEAREST}")
        return {}
    with st.container(border=True):
        st.markdown("**Svar**")
        st.markdown(cards.answer_html(ans.sentences), unsafe_allow_html=True)
        st.caption(
            "Svaret är meningar hämtade ur konferenstexterna; siffran leder till stycket "
            "där meningen står."
        )
    quoted: dict[int, list[str]] = {}
    for s in ans.sentences:
        quoted.setdefault(s.citation, []).append(s.text)
    return quoted


# ---------------------------------------------------------------- tabs


def search_tab(searcher, version: str, titles: dict[str, str]) -> None:
    with st.form("sokform", border=False, enter_to_submit=True):
        st.text_input(
            "Fråga",
            key="query",
            placeholder="Ställ en fråga om konferensen…",
            label_visibility="collapsed",
            max_chars=2000,
        )
        if st.form_submit_button("Sök", type="primary", icon=":material/search:"):
            st.session_state["asked"] = True

    regions = sorted(searcher.index.regions)
    sessions = searcher.index.sessions
    session_regions = cards.session_regions(searcher.index)
    with st.expander("Filtrera på region eller lärpass"):
        region = st.selectbox("Region eller organisation", [ALL_REGIONS, *regions], key="region")
        session = st.selectbox(
            "Lärpass",
            [ALL_SESSIONS, *sessions],
            key="session",
            format_func=lambda s: (
                s if s == ALL_SESSIONS else f"{s} ({', '.join(session_regions.get(s, []))})"
            ),
        )
        k = st.selectbox("Antal träffar", HIT_CHOICES, index=1, key="k")
    region = None if region == ALL_REGIONS else region
    session = None if session == ALL_SESSIONS else session

    query = st.session_state.get("query", "")
    if not st.session_state.get("asked"):
        st.markdown("Skriv en fråga med egna ord. Prova till exempel:")
        for i, example in enumerate(EXAMPLES):
            st.button(example, key=f"exempel-{i}", on_click=ask, args=(example,), type="tertiary")
        return

    from confsearch.search import QueryError

    try:
        response, ans = run_search(searcher, version, query, region, session, int(k))
    except QueryError as exc:
        st.info(markup.md_escape(exc))
        return
    quoted = answer_block(response, ans)
    if response.expansions:
        st.caption("Sökte även på: " + markup.md_escape(", ".join(response.expansions)))
    for hit in response.hits:
        card(hit, response, quoted, searcher, titles, key=f"fast-{hit.passage.id}")
    if note().items:
        count = len(note().items)
        st.caption(f":material/push_pin: Anteckningen har {count} stycken – se fliken Anteckning.")


def regions_tab(searcher, version: str) -> None:
    import altair as alt
    import pandas as pd

    from confsearch.search import QueryError

    query = st.session_state.get("query", "")
    st.markdown("Vilka regioner och organisationer har arbetat med ämnet i din fråga?")
    if not st.session_state.get("asked") or not query.strip():
        st.info("Ställ en fråga under fliken Sök, så visas svaret här.")
        return
    try:
        results = run_regions(searcher, version, query)
    except QueryError as exc:
        st.info(markup.md_escape(exc))
        return
    if not results:
        st.info(messages.NO_REGIONS_FOUND)
        return
    st.markdown(f"Fråga: *{markup.md_escape(query)}*")
    frame = pd.DataFrame(
        {
            "Region/organisation": [r.region for r in results],
            "Träffstyrka": [round(float(r.score), 3) for r in results],
        }
    )
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("Träffstyrka:Q", title="Träffstyrka (högre = tydligare koppling till frågan)"),
            y=alt.Y("Region/organisation:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240)),
            tooltip=["Region/organisation", "Träffstyrka"],
        )
    )
    st.altair_chart(chart)
    for i, r in enumerate(results, 1):
        p = r.best.passage
        spans = markup.best_sentence_spans(p.text, query_words=r.best.matched_terms or [query])
        with st.container(border=True):
            st.markdown(cards.region_card(i, r, spans), unsafe_allow_html=True)
            pin_button(r.best, query, key=f"fast-region-{i}-{p.id}")


def note_tab() -> None:
    n = note()
    st.markdown(
        "Fäst stycken från sökningen, ordna dem och ladda ned anteckningen som Markdown eller "
        "Word. Källa och dina frågor följer med."
    )
    if "note_heading" not in st.session_state:
        st.session_state["note_heading"] = n.heading
    if "note_intro" not in st.session_state:
        st.session_state["note_intro"] = n.intro
    n.heading = st.text_input("Rubrik", key="note_heading", max_chars=200)
    n.intro = st.text_area(
        "Egen rad",
        key="note_intro",
        placeholder="Till exempel: Underlag inför mötet med regionala utvecklingsnämnden.",
        max_chars=2000,
        height=80,
    )
    if not n.items:
        st.info(
            "Anteckningen är tom. Tryck på :material/push_pin: Fäst vid en träff under fliken Sök."
        )
        return
    last = len(n.items) - 1
    for i, item in enumerate(n.items):
        pid = item.passage_id
        with st.container(border=True):
            st.markdown(cards.note_item_card(i + 1, item), unsafe_allow_html=True)
            comment_key = f"kommentar-{pid}"
            if comment_key not in st.session_state:
                st.session_state[comment_key] = item.comment
            st.text_input(
                "Kommentar (valfri)",
                key=comment_key,
                max_chars=500,
                on_change=comment,
                args=(pid, comment_key),
            )
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
    md, docx = exports(n)
    with st.container(horizontal=True):
        st.download_button(
            "Ladda ned som Markdown",
            data=md,
            file_name="anteckning.md",
            mime="text/markdown",
            icon=":material/download:",
            on_click="ignore",
            key="ladda-md",
        )
        st.download_button(
            "Ladda ned som Word",
            data=docx,
            file_name="anteckning.docx",
            mime=DOCX_MIME,
            icon=":material/download:",
            on_click="ignore",
            key="ladda-docx",
        )


def exports(n) -> tuple[str, bytes]:
    """Markdown and .docx of the note, regenerated only when the note changed."""
    from confsearch.briefing import to_docx, to_markdown

    key = json.dumps(n.to_dict(), sort_keys=True, ensure_ascii=False, default=str)
    cached = st.session_state.get("export_memo")
    if cached is None or cached[0] != key:
        cached = (key, to_markdown(n), to_docx(n))
        st.session_state["export_memo"] = cached
    return cached[1], cached[2]


def corpus_tab(settings: Settings, searcher) -> None:
    import pandas as pd

    flash = st.session_state.pop("flash", None)
    if flash:
        for kind, message in flash:
            getattr(st, kind)(message)
    index = searcher.index
    summary = cards.corpus_summary(index)
    st.markdown(
        f"Sökindexet innehåller **{len(summary.documents)}** dokument, "
        f"**{len(summary.sessions)}** lärpass och **{summary.passages}** stycken."
    )
    st.markdown("**Dokument**")
    st.dataframe(pd.DataFrame(summary.documents), hide_index=True)
    st.markdown("**Lärpass**")
    st.dataframe(pd.DataFrame(summary.sessions), hide_index=True)
    for err in index.manifest.read_errors:
        st.warning(markup.md_escape(err.message))
    st.caption(
        f"Modell: {markup.md_escape(index.manifest.model)} · "
        f"index byggt {markup.md_escape(index.manifest.built)}"
    )

    st.markdown("**Lägg till texter**")
    n = st.session_state.setdefault("upload_n", 0)
    files = st.file_uploader(
        f"Välj filer eller dra dem hit ({uploads.allowed_types_text()}, "
        f"högst {uploads.MAX_UPLOAD_MB} MB per fil)",
        type=list(uploads.ALLOWED_UPLOAD_TYPES),
        accept_multiple_files=True,
        max_upload_size=uploads.MAX_UPLOAD_MB,
        key=f"uppladdning-{n}",
    )
    if files and st.button("Lägg till och uppdatera sökindexet", type="primary", key="indexera"):
        add_files(settings, files)


def add_files(settings: Settings, files) -> None:
    """Save uploads, index them in a worker, and undo the uploads if that fails."""
    messages: list[tuple[str, str]] = []
    saved: list[Path] = []
    for f in files:
        shown = markup.md_escape(f.name)
        try:
            path = uploads.save_upload(settings.corpus_dir, f.name, f.getvalue())
        except uploads.UploadError as exc:
            messages.append(("error", f"{shown} lades inte till: {markup.md_escape(exc)}"))
            continue
        saved.append(path)
        if path.name != f.name:
            messages.append(("info", f"{shown} sparades som {markup.md_escape(path.name)}."))
    if saved:
        messages = _index_uploads(settings, saved) + messages
    st.session_state["flash"] = messages
    st.session_state["upload_n"] = st.session_state.get("upload_n", 0) + 1
    st.session_state.pop("memo", None)
    st.session_state.pop("region_memo", None)
    st.rerun()


def _index_uploads(settings: Settings, saved: list[Path]) -> list[tuple[str, str]]:
    messages: list[tuple[str, str]] = []
    outcome = run_build(settings, "Uppdaterar sökindexet …")
    if not outcome.ok:
        for path in saved:
            uploads.quarantine(settings.corpus_dir, path)
        names = ", ".join(markup.md_escape(p.name) for p in saved)
        return [
            (
                "error",
                f"{names} kunde inte läggas till: {markup.md_escape(outcome.message)} "
                "Filen har tagits bort ur korpusen igen; sökningen fungerar som förut.",
            )
        ]
    # Problems are matched to uploads by their path inside the corpus folder: an
    # unreadable corpus/sub/x.pdf says nothing about a new upload x.pdf.
    problems = {e["file"]: e for e in outcome.report["errors"] if e["kind"] != "duplicate"}
    rejected = []
    for path in saved:
        problem = problems.get(path.relative_to(settings.corpus_dir).as_posix())
        if problem is None:
            continue
        if problem["kind"] == "error":
            rejected.append(path)
            uploads.quarantine(settings.corpus_dir, path)
            messages.append(
                (
                    "error",
                    f"{markup.md_escape(path.name)} lades inte till: "
                    + markup.md_escape(problem["message"]),
                )
            )
        else:
            messages.append(("warning", markup.md_escape(problem["message"])))
    report = outcome.report
    if rejected:
        outcome = run_build(settings, "Uppdaterar sökindexet …")
        report = outcome.report if outcome.ok else report
    added = [p for p in saved if p not in rejected]
    if added:
        names = ", ".join(markup.md_escape(p.name) for p in added)
        messages.insert(
            0,
            (
                "success",
                f"Klart! {names} är sökbar nu. Indexet har {report['passages']} stycken "
                f"från {report['documents']} dokument.",
            ),
        )
    return messages


# ---------------------------------------------------------------- page


def main() -> None:
    st.set_page_config(page_title="Konferenssök", page_icon=":material/search:", layout="centered")
    st.html(CSS)
    st.title("Konferenssök")
    st.caption(
        "Sök och ställ frågor i konferenstexterna. Svaren bygger bara på texterna och "
        "visar alltid var de står."
    )
    settings = Settings.from_env()
    searcher, version = load_searcher(settings)
    titles = cards.document_titles(searcher.index)
    sok, regioner, anteckning, korpus = st.tabs(["Sök", "Regioner", "Anteckning", "Korpus"])
    with sok:
        search_tab(searcher, version, titles)
    with regioner:
        regions_tab(searcher, version)
    with anteckning:
        note_tab()
    with korpus:
        corpus_tab(settings, searcher)


main()
