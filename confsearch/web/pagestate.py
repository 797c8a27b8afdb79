"""The page's session state and its calls into the use cases (:mod:`confsearch.qa`).

What one browser session holds: one question (both question boxes show it), one set of
filters, the note, and the last answer of each tab (memoised, so re-runs for a pin cost
nothing). ``app.py`` only lays out widgets over these functions; the filters reach
``ask`` and ``regions`` exactly as the CLI's ``--region``/``--session`` and the API's
``region``/``session`` do.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from confsearch import qa
from confsearch.answers.briefing import BriefingNote
from confsearch.web import cards
from confsearch.web import notes as notepage
from confsearch.web.exportgate import ExportGate

ALL_REGIONS = "Alla regioner och organisationer"
ALL_SESSIONS = "Alla lärpass"
NOTE_HEADING = "Anteckning från Konferenssök"
QUESTION_KEYS = notepage.QUESTION_KEYS  # the question boxes of Sök and Regioner
FILTERS = {"region": ("Region", ALL_REGIONS), "session": ("Lärpass", ALL_SESSIONS)}
REGIONS_K = 10  # organisations listed under Regioner (as `regions` and /regions)
TABS = ("Sök", "Regioner", "Anteckning", "Korpus")
TAB_KEY = "tab"  # the tabs' key and their query parameter (?tab=Regioner)


def note():
    """The note this tab shows: the saved note of the address (see confsearch.web.notes)."""
    if "note" not in st.session_state:
        st.session_state["note"] = BriefingNote(heading=NOTE_HEADING)
    return st.session_state["note"]


def gate():
    return st.session_state.setdefault("export_gate", ExportGate())


def pin(hit, query: str, source) -> None:
    notepage.edit(lambda n: n.add(hit, query, source))


def pin_answer(result: qa.AskResult) -> None:
    """The answer itself into the note: its sentences with their passages' citations."""
    notepage.edit(lambda n: n.add_item(result.note_item()))


def unpin(passage_id: str) -> None:
    notepage.edit(lambda n: n.remove(passage_id))


def move(passage_id: str, delta: int) -> None:
    notepage.edit(lambda n: n.move(passage_id, delta))


def moving(passage_id: str, delta: int) -> dict:
    return {"on_click": move, "args": (passage_id, delta)}


def pinned_ids() -> set[str]:
    return {item.passage_id for item in note().items}


def sync_note() -> None:
    """Save what the note's fields show (heading, own line, comments) that this tab changed."""
    notepage.sync_fields()


def downloading(button: str) -> None:
    """A download click: whatever was typed last is in the note before the file is made.
    The click is counted even if saving is interrupted, so its file is not held back."""
    try:
        sync_note()
    finally:
        gate().clicked(button)


def set_question(question: str) -> None:
    for key in QUESTION_KEYS:
        st.session_state[key] = question
    st.session_state["asked"] = True
    notepage.remember_question(question)


def submitted(key: str) -> None:
    set_question(st.session_state.get(key, ""))


def active_filters() -> tuple[str | None, str | None]:
    region = st.session_state.get("region", ALL_REGIONS)
    session = st.session_state.get("session", ALL_SESSIONS)
    return (None if region == ALL_REGIONS else region, None if session == ALL_SESSIONS else session)


def clear_filter(name: str) -> None:
    st.session_state[name] = FILTERS[name][1]


def clear_filters() -> None:
    for name in ("region", "session"):
        clear_filter(name)


def follow_tab_address() -> None:
    """Before the tabs: open the address's tab when the address changed without a tab
    click (Back/Forward). Streamlit fills a bound widget from the address only when the
    page opens; on Back it would keep the tab open and the address would say another."""
    state = st.session_state
    wanted = st.query_params.get(TAB_KEY) or TABS[0]
    if "_url_tab" in state and wanted != state["_url_tab"] and wanted in TABS:
        state[TAB_KEY] = wanted
    state["_url_tab"] = wanted


def remember_tab_address() -> None:
    """After the tabs: the tab the address now names (a click has just written it)."""
    st.session_state["_url_tab"] = st.query_params.get(TAB_KEY) or TABS[0]


def run_search(searcher, version: str, question: qa.Question) -> qa.AskResult:
    """Search + extractive answer (:func:`confsearch.qa.ask`: a filter that hides the
    answer is named), memoised per session (re-runs for pins cost nothing)."""
    key = (version, question)
    memo = st.session_state.setdefault("memo", {})
    if key not in memo:
        result = qa.ask(searcher, question)
        memo.clear()  # keep one result per session: memory stays flat
        memo[key] = result
    return memo[key]


def run_regions(searcher, version: str, question: qa.Question) -> qa.RegionsResult:
    """:func:`confsearch.qa.regions`, memoised per session like :func:`run_search`."""
    key = (version, question)
    memo = st.session_state.setdefault("region_memo", {})
    if key not in memo:
        memo.clear()
        memo[key] = qa.regions(searcher, question)
    return memo[key]


def forget_results() -> None:
    """After the corpus changed: the memoised answers are of the old index."""
    st.session_state.pop("memo", None)
    st.session_state.pop("region_memo", None)


def session_choices(index) -> tuple[list[str], Callable[[str], str]]:
    """The session filter's options and how each is shown: with its organisations, and
    with several documents grouped by document (sorted by it and each labelled with it:
    "Årskonferens 2022 · Rena resor … (Region …)")."""
    sessions = list(index.sessions)
    session_regions = cards.session_regions(index)
    documents: dict[str, str] = {}
    for d in index.manifest.documents:
        for s in d.sessions:
            documents.setdefault(s, d.title or d.doc_id)
    grouped = len(set(documents.values())) > 1
    if grouped:
        order = {title: i for i, title in enumerate(dict.fromkeys(documents.values()))}
        sessions = sorted(sessions, key=lambda s: order.get(documents.get(s, ""), len(order)))

    def session_label(s: str) -> str:
        if s == ALL_SESSIONS:
            return s
        label = f"{s} ({', '.join(session_regions[s])})" if session_regions.get(s) else s
        return f"{documents[s]} · {label}" if grouped and s in documents else label

    return sessions, session_label
