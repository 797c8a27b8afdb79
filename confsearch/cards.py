"""The page's cards as HTML: pure functions, so they can be tested without Streamlit.

Each function returns one HTML block for ``st.markdown(..., unsafe_allow_html=True)``.
All corpus text goes through :func:`confsearch.markup.esc` or
:func:`confsearch.markup.highlight_passage`; nothing from a document is ever inserted raw.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from confsearch import messages
from confsearch.documents import distinct_regions
from confsearch.markup import esc, highlight_passage, query_tag


def tags_html(regions: Iterable[str]) -> str:
    regions = list(regions)
    if not regions:
        return f'<span class="ks-meta">{messages.NO_REGION.capitalize()}</span>'
    return "".join(f'<span class="ks-tag">{esc(r, newlines=False)}</span>' for r in regions)


def _line(text: str) -> str:
    return esc(text, newlines=False)


def hit_card(
    hit,
    query: str,
    spans: Sequence[tuple[int, int]],
    relevance: str,
    doc_title: str = "",
) -> str:
    """One search hit: number, lärpass, regions, speakers, passage, relevance, source."""
    p = hit.passage
    why = messages.matched_words([_line(t) for t in hit.matched_terms])
    speakers = (
        f'<div class="ks-meta">Talare: {_line(", ".join(p.speakers))}</div>' if p.speakers else ""
    )
    source = _line(f"{doc_title} ({p.source})" if doc_title else p.source)
    return (
        f'<div class="ks-card" id="traff-{hit.rank}" data-fraga="{query_tag(query)}">'
        f'<div class="ks-head"><span class="ks-nr">[{hit.rank}]</span>'
        f"{_line(p.session or messages.NO_SESSION)}</div>"
        f'<div class="ks-tags">{tags_html(p.regions)}</div>'
        f"{speakers}"
        f'<div class="ks-text">{highlight_passage(p.text, spans)}</div>'
        f'<div class="ks-meta"><strong>{esc(relevance, newlines=False)}</strong> · {why}</div>'
        f'<div class="ks-meta">Källa: {source}</div>'
        "</div>"
    )


def answer_html(sentences) -> str:
    """The answer's sentences, each followed by a link to the card it comes from."""
    parts = [
        f'{_line(s.text)} <a href="#traff-{s.citation}" '
        f'title="Gå till träff {s.citation}">[{s.citation}]</a>'
        for s in sentences
    ]
    return f'<div class="ks-answer">{" ".join(parts)}</div>'


def region_card(number: int, result, spans: Sequence[tuple[int, int]]) -> str:
    """One organisation of the Regioner view with its best passage."""
    p = result.best.passage
    return (
        f'<div class="ks-head"><span class="ks-nr">{number}.</span>'
        f"{_line(result.region)}</div>"
        f'<div class="ks-meta">{messages.count_noun(result.passages, "stycke", "stycken")} · '
        f"lärpass: {_line(', '.join(result.sessions))}</div>"
        f'<div class="ks-text">{highlight_passage(p.text, spans)}</div>'
        f'<div class="ks-meta">Källa: {_line(p.session)} ({_line(p.source)})</div>'
    )


def note_item_card(number: int, item) -> str:
    """One pinned passage of the briefing note."""
    return (
        f'<div class="ks-head"><span class="ks-nr">{number}.</span>'
        f"{_line(item.session or messages.NO_SESSION)}</div>"
        f'<div class="ks-tags">{tags_html(item.regions)}</div>'
        f'<div class="ks-text">{esc(item.text)}</div>'
        f'<div class="ks-meta">Källa: {_line(item.source)} · Fråga: {_line(item.query)}</div>'
    )


def question_list(questions: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{_line(q)}</li>" for q in questions) + "</ul>"


# ------------------------------------------------------------------------- corpus summary


@dataclass
class CorpusSummary:
    documents: list[dict]  # rows for the documents table
    sessions: list[dict]  # rows for the sessions table
    passages: int


def corpus_summary(index) -> CorpusSummary:
    """Documents and sessions of a loaded index with their passage counts (Swedish columns)."""
    per_doc = Counter(p.doc_id for p in index.passages)
    per_session: Counter[tuple[str, str]] = Counter((p.doc_id, p.session) for p in index.passages)
    by_session: dict[tuple[str, str], list] = {}
    for p in index.passages:
        by_session.setdefault((p.doc_id, p.session), []).append(p)
    docs = []
    sessions = []
    for d in index.manifest.documents:
        titles = list(dict.fromkeys(d.sessions))
        docs.append(
            {
                "Dokument": d.title or d.doc_id,
                "Fil": d.source,
                "Lärpass": len(titles),
                "Stycken": per_doc.get(d.doc_id, 0),
            }
        )
        for title in titles:
            key = (d.doc_id, title)
            sessions.append(
                {
                    "Lärpass": title or "(utan rubrik)",
                    "Region/organisation": ", ".join(distinct_regions(by_session.get(key, []))),
                    "Stycken": per_session.get(key, 0),
                    "Dokument": d.title or d.doc_id,
                }
            )
    return CorpusSummary(docs, sessions, len(index.passages))


def document_titles(index) -> dict[str, str]:
    return {d.doc_id: d.title or d.doc_id for d in index.manifest.documents}


def session_regions(index) -> dict[str, list[str]]:
    """Session title → its regions (for labelling the session filter)."""
    by_session: dict[str, list] = {}
    for p in index.passages:
        by_session.setdefault(p.session, []).append(p)
    return {title: distinct_regions(ps) for title, ps in by_session.items()}
