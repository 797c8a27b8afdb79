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

from confsearch import ui
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


def build_with_progress(settings: Settings, embedder, text: str):
    bar = st.progress(0.0, text=text)

    def progress(stage: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        bar.progress(min(1.0, share), text=f"{text} Bäddar in stycken: {done} av {total}.")

    try:
        report = ui.build(settings, embedder, progress)
    finally:
        bar.empty()
    return report


def load_searcher(settings: Settings):
    """Model and index (cached per process); builds the index first if missing or stale."""
    from confsearch.index import IndexError_
    from confsearch.model import ModelError

    try:
        embedder = ui.embedder_for(settings)
        if ui.needs_build(settings, embedder.name):
            first = ui.index_version(settings.index_dir) is None
            build_with_progress(
                settings,
                embedder,
                "Bygger sökindexet första gången …" if first else "Uppdaterar sökindexet …",
            )
        version = ui.index_version(settings.index_dir)
        if version is None:
            st.error(
                "Det finns inget sökindex och ingen mapp med konferenstexter att bygga det från "
                f"({ui.md_escape(settings.corpus_dir)})."
            )
            st.stop()
        return ui.searcher_for(settings, version), version
    except (ModelError, IndexError_) as exc:
        st.error(ui.md_escape(exc))
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


def tags_html(regions) -> str:
    if not regions:
        return '<span class="ks-meta">Ingen region angiven</span>'
    return "".join(f'<span class="ks-tag">{ui.esc(r, newlines=False)}</span>' for r in regions)


def card(hit, response, quoted: dict, searcher, titles: dict[str, str], key: str) -> None:
    from confsearch.search import relevance_label

    p = hit.passage
    spans = ui.best_sentence_spans(
        p.text, quoted=quoted.get(hit.rank, []), query_words=hit.matched_terms or [response.query]
    )
    why = (
        "Matchade på orden: "
        + ", ".join(f"«{ui.esc(t, newlines=False)}»" for t in hit.matched_terms)
        if hit.matched_terms
        else "Matchade på liknande innebörd"
    )
    speakers = (
        f'<div class="ks-meta">Talare: {ui.esc(", ".join(p.speakers), newlines=False)}</div>'
        if p.speakers
        else ""
    )
    title = titles.get(p.doc_id, "")
    source = ui.esc(f"{title} ({p.source})" if title else p.source, newlines=False)
    body = (
        f'<div class="ks-card" id="traff-{hit.rank}" data-fraga="{ui.query_tag(response.query)}">'
        f'<div class="ks-head"><span class="ks-nr">[{hit.rank}]</span>'
        f"{ui.esc(p.session or 'Utan lärpass', newlines=False)}</div>"
        f'<div class="ks-tags">{tags_html(p.regions)}</div>'
        f"{speakers}"
        f'<div class="ks-text">{ui.highlight_passage(p.text, spans)}</div>'
        f'<div class="ks-meta"><strong>{relevance_label(hit, searcher.config)}</strong>'
        f" · {why}</div>"
        f'<div class="ks-meta">Källa: {source}</div>'
        "</div>"
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
        st.info("Inga stycken matchar filtren. Ta bort ett filter och sök igen.")
        return {}
    if not response.confident or not ans.confident or not ans.sentences:
        st.warning(
            "**Inget tydligt svar i konferenstexterna.** Här är de stycken som ligger "
            "närmast frågan – läs dem med försiktighet."
        )
        return {}
    parts = [
        f'{ui.esc(s.text, newlines=False)} <a href="#traff-{s.citation}" '
        f'title="Gå till träff {s.citation}">[{s.citation}]</a>'
        for s in ans.sentences
    ]
    with st.container(border=True):
        st.markdown("**Svar**")
        st.markdown(f'<div class="ks-answer">{" ".join(parts)}</div>', unsafe_allow_html=True)
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
    session_regions = ui.session_regions(searcher.index)
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
        st.info(ui.md_escape(exc))
        return
    quoted = answer_block(response, ans)
    if response.expansions:
        st.caption("Sökte även på: " + ui.md_escape(", ".join(response.expansions)))
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
        st.info(ui.md_escape(exc))
        return
    if not results:
        st.info("Inga regioner eller organisationer hittades för frågan.")
        return
    st.markdown(f"Fråga: *{ui.md_escape(query)}*")
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
        spans = ui.best_sentence_spans(p.text, query_words=r.best.matched_terms or [query])
        sessions = ", ".join(r.sessions)
        with st.container(border=True):
            st.markdown(
                f'<div class="ks-head"><span class="ks-nr">{i}.</span>'
                f"{ui.esc(r.region, newlines=False)}</div>"
                f'<div class="ks-meta">{r.passages} stycken · lärpass: '
                f"{ui.esc(sessions, newlines=False)}</div>"
                f'<div class="ks-text">{ui.highlight_passage(p.text, spans)}</div>'
                f'<div class="ks-meta">Källa: {ui.esc(p.session, newlines=False)} '
                f"({ui.esc(p.source, newlines=False)})</div>",
                unsafe_allow_html=True,
            )
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
            st.markdown(
                f'<div class="ks-head"><span class="ks-nr">{i + 1}.</span>'
                f"{ui.esc(item.session or 'Utan lärpass', newlines=False)}</div>"
                f'<div class="ks-tags">{tags_html(item.regions)}</div>'
                f'<div class="ks-text">{ui.esc(item.text)}</div>'
                f'<div class="ks-meta">Källa: {ui.esc(item.source, newlines=False)}'
                f" · Fråga: {ui.esc(item.query, newlines=False)}</div>",
                unsafe_allow_html=True,
            )
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
        st.markdown(
            "<ul>"
            + "".join(f"<li>{ui.esc(q, newlines=False)}</li>" for q in n.questions)
            + "</ul>",
            unsafe_allow_html=True,
        )
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
    summary = ui.corpus_summary(index)
    st.markdown(
        f"Sökindexet innehåller **{len(summary.documents)}** dokument, "
        f"**{len(summary.sessions)}** lärpass och **{summary.passages}** stycken."
    )
    st.markdown("**Dokument**")
    st.dataframe(pd.DataFrame(summary.documents), hide_index=True)
    st.markdown("**Lärpass**")
    st.dataframe(pd.DataFrame(summary.sessions), hide_index=True)
    for err in index.manifest.get("read_errors", []):
        st.warning(ui.md_escape(err.get("message", "")))
    st.caption(
        f"Modell: {ui.md_escape(index.manifest.get('model', ''))} · "
        f"index byggt {ui.md_escape(index.manifest.get('built', ''))}"
    )

    st.markdown("**Lägg till texter**")
    n = st.session_state.setdefault("upload_n", 0)
    files = st.file_uploader(
        f"Välj filer eller dra dem hit ({ui.allowed_types_text()}, "
        f"högst {ui.MAX_UPLOAD_MB} MB per fil)",
        type=list(ui.ALLOWED_UPLOAD_TYPES),
        accept_multiple_files=True,
        max_upload_size=ui.MAX_UPLOAD_MB,
        key=f"uppladdning-{n}",
    )
    if files and st.button("Lägg till och uppdatera sökindexet", type="primary", key="indexera"):
        add_files(settings, searcher.embedder, files)


def add_files(settings: Settings, embedder, files) -> None:
    from confsearch.index import IndexError_

    messages: list[tuple[str, str]] = []
    saved: list[Path] = []
    for f in files:
        shown = ui.md_escape(f.name)
        try:
            path = ui.save_upload(settings.corpus_dir, f.name, f.getvalue())
        except ui.UploadError as exc:
            messages.append(("error", f"{shown} lades inte till: {ui.md_escape(exc)}"))
            continue
        saved.append(path)
        if path.name != f.name:
            messages.append(("info", f"{shown} sparades som {ui.md_escape(path.name)}."))
    if saved:
        try:
            report = build_with_progress(settings, embedder, "Uppdaterar sökindexet …")
            unreadable = {
                e.path.rsplit("/", 1)[-1]: e.message for e in report.errors if e.kind == "error"
            }
            for path in saved:
                if path.name in unreadable:
                    path.unlink(missing_ok=True)
                    messages.append(
                        (
                            "error",
                            f"{ui.md_escape(path.name)} lades inte till: "
                            + ui.md_escape(unreadable[path.name]),
                        )
                    )
            if any(p.name in unreadable for p in saved):
                report = build_with_progress(settings, embedder, "Uppdaterar sökindexet …")
            added = [p for p in saved if p.name not in unreadable]
            if added:
                names = ", ".join(ui.md_escape(p.name) for p in added)
                messages.insert(
                    0,
                    (
                        "success",
                        f"Klart! {names} är sökbar nu. Indexet har {report.passages} stycken "
                        f"från {report.documents} dokument.",
                    ),
                )
        except IndexError_ as exc:
            messages.append(("error", ui.md_escape(exc)))
    st.session_state["flash"] = messages
    st.session_state["upload_n"] = st.session_state.get("upload_n", 0) + 1
    st.session_state.pop("memo", None)
    st.session_state.pop("region_memo", None)
    st.rerun()


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
    titles = ui.document_titles(searcher.index)
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
