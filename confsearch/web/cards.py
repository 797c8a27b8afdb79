"""The page's cards as HTML: pure functions, so they can be tested without Streamlit.

Each function returns one HTML block for ``st.markdown(..., unsafe_allow_html=True)``.
All corpus text goes through :func:`confsearch.markup.esc` or
:func:`confsearch.markup.highlight_passage`; nothing from a document is ever inserted raw.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from confsearch import messages
from confsearch.answers.briefing import is_answer
from confsearch.answers.citation import Source, cite, head
from confsearch.markup import esc, highlight_passage, link_html, query_tag, rich
from confsearch.reading.documents import distinct_regions


def tags_html(regions: Iterable[str]) -> str:
    regions = list(regions)
    if not regions:
        return f'<span class="ks-meta">{messages.NO_REGION.capitalize()}</span>'
    return "".join(f'<span class="ks-tag">{esc(r, newlines=False)}</span>' for r in regions)


def _line(text: str) -> str:
    return esc(text, newlines=False)


def citation_html(session: str, regions, speakers, source: Source) -> str:
    """ "Lärpass · Region · Talare — Dokument (Arrangör, år)", the document linked to its
    address when known (:mod:`confsearch.answers.citation`, the same words as every export)."""
    front = _line(head(session, regions, speakers))
    title = link_html(source.url, source.title) if source.url else _line(source.title)
    extra = [p for p in (source.organiser, source.when) if p]
    label = f"{title} ({_line(', '.join(extra))})" if extra else title
    return f"{front} — {label}" if front else label


def _source_line(session: str, regions, speakers, source: Source) -> str:
    hint = esc(source.reference(), newlines=False)
    return (
        f'<div class="ks-meta ks-source" title="{hint}">Källa: '
        f"{citation_html(session, regions, speakers, source)}</div>"
    )


def hit_card(
    hit,
    query: str,
    spans: Sequence[tuple[int, int]],
    relevance: str,
    source: Source,
) -> str:
    """One search hit: number, lärpass, regions, speakers, passage, relevance, citation."""
    p = hit.passage
    # the passage's own word forms (claims.matched_forms), never the question's spelling
    why = messages.matched_words([_line(t) for t in hit.matched_forms])
    speakers = (
        f'<div class="ks-meta">Talare: {_line(", ".join(p.speakers))}</div>' if p.speakers else ""
    )
    session = p.session or messages.NO_SESSION
    return (
        f'<div class="ks-card" id="traff-{hit.rank}" data-fraga="{query_tag(query)}">'
        f'<div class="ks-head"><span class="ks-nr">[{hit.rank}]</span>'
        f"{_line(session)}</div>"
        f'<div class="ks-tags">{tags_html(p.regions)}</div>'
        f"{speakers}"
        f'<div class="ks-text">{highlight_passage(p.text, spans)}</div>'
        f'<div class="ks-meta"><strong>{esc(relevance, newlines=False)}</strong> · {why}</div>'
        f"{_source_line(session, p.regions, p.speakers, source)}"
        "</div>"
    )


def answer_html(sentences) -> str:
    """The answer's sentences, each followed by a link to the card it comes from."""
    parts = [
        f'{rich(" ".join(s.text.split()))} <a href="#traff-{s.citation}" '
        f'title="Gå till träff {s.citation}">[{s.citation}]</a>'
        for s in sentences
    ]
    return f'<div class="ks-answer">{" ".join(parts)}</div>'


def region_card(number: int, result, spans: Sequence[tuple[int, int]], source: Source) -> str:
    """One organisation of the Regioner view with its best passage and its citation."""
    p = result.best.passage
    session = p.session or messages.NO_SESSION
    return (
        f'<div class="ks-card ks-region" id="region-{number}">'
        f'<div class="ks-head"><span class="ks-nr">{number}.</span>'
        f"{_line(result.region)}</div>"
        f'<div class="ks-meta">{messages.count_noun(result.passages, "stycke", "stycken")} · '
        f"lärpass: {_line(', '.join(result.sessions))}</div>"
        f'<div class="ks-text">{highlight_passage(p.text, spans)}</div>'
        f"{_source_line(session, p.regions, p.speakers, source)}"
        "</div>"
    )


def region_bars(results, query: str = "") -> str:
    """How clearly each organisation is tied to the question, as horizontal bars (tagged
    with the question, as the cards are: the browser tests wait for this question's bars).

    Plain HTML, not a chart library: full names wrap instead of being cut, and nothing can
    overlap at any width (a phone is 390 px). The bar is the score relative to the first
    organisation; the words say how many passages and lärpass it rests on.
    """
    results = list(results)
    if not results:
        return ""
    top = max(float(r.score) for r in results) or 1.0
    rows = []
    for i, r in enumerate(results, 1):
        share = max(0.0, min(1.0, float(r.score) / top))
        width = max(4, round(share * 100))
        count = messages.count_noun(r.passages, "stycke", "stycken")
        sessions = messages.count_noun(len(r.sessions), "lärpass", "lärpass")
        rows.append(
            f'<li class="ks-bar-row"><a class="ks-bar-name" href="#region-{i}">'
            f"{_line(r.region)}</a>"
            f'<span class="ks-bar" role="img" aria-label="{width} procent av den tydligaste">'
            f'<span class="ks-bar-fill" style="width: {width}%"></span></span>'
            f'<span class="ks-bar-note">{count} · {sessions}</span></li>'
        )
    return (
        f'<figure class="ks-bars" data-fraga="{query_tag(query)}"><figcaption>'
        "Hur tydligt varje organisation kopplas till "
        "frågan (längst stapel = tydligast)</figcaption>"
        f'<ol class="ks-bar-list">{"".join(rows)}</ol></figure>'
    )


def note_item_card(number: int, item) -> str:
    """One pinned passage of the briefing note: as in the export, with speakers."""
    speakers = (
        f'<div class="ks-meta">Talare: {_line(", ".join(item.speakers))}</div>'
        if item.speakers
        else ""
    )
    session = item.session or messages.NO_SESSION
    source = (  # a pinned answer's sentences carry their own citations
        "" if is_answer(item) else _source_line(session, item.regions, item.speakers, item.cited())
    )
    return (
        '<div class="ks-note-item">'
        f'<div class="ks-head"><span class="ks-nr">{number}.</span>{_line(session)}</div>'
        f'<div class="ks-tags">{tags_html(item.regions)}</div>'
        f"{speakers}"
        f'<div class="ks-text">{rich(item.text)}</div>'
        f"{source}"
        f'<div class="ks-meta">Fråga: {_line(item.query)}</div>'
        "</div>"
    )


def question_list(questions: Iterable[str]) -> str:
    return (
        '<ul class="ks-questions">' + "".join(f"<li>{_line(q)}</li>" for q in questions) + "</ul>"
    )


def table_html(rows: Sequence[dict], caption: str, links: Sequence[str] = ()) -> str:
    """A plain, escaped HTML table (Streamlit's data grid brings an English toolbar).
    ``links``: per row, an address that the first column links to ("" for none)."""
    if not rows:
        return ""
    columns = list(rows[0])
    head_cells = "".join(f'<th scope="col">{_line(c)}</th>' for c in columns)
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, c in enumerate(columns):
            value = "" if row[c] is None else str(row[c])
            url = links[i] if j == 0 and i < len(links) else ""
            shown = link_html(url, value) if url else _line(value)
            kind = "ks-num" if isinstance(row[c], int) else "ks-file" if c == "Fil" else ""
            cells.append(f'<td class="{kind}">{shown}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="ks-table-wrap"><table class="ks-table"><caption>{_line(caption)}</caption>'
        f"<thead><tr>{head_cells}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


# ------------------------------------------------------------------------- corpus summary


@dataclass
class CorpusSummary:
    documents: list[dict]  # rows for the documents table
    sessions: list[dict]  # rows for the sessions table
    passages: int
    links: list[str] = field(default_factory=list)  # per document row: its address or ""


def corpus_summary(index) -> CorpusSummary:
    """Documents and sessions of a loaded index with their passage counts (Swedish columns)."""
    per_doc = Counter(p.doc_id for p in index.passages)
    per_session: Counter[tuple[str, str]] = Counter((p.doc_id, p.session) for p in index.passages)
    by_session: dict[tuple[str, str], list] = {}
    for p in index.passages:
        by_session.setdefault((p.doc_id, p.session), []).append(p)
    docs = []
    sessions = []
    links = []
    for d in index.manifest.documents:
        titles = list(dict.fromkeys(d.sessions))
        src = Source.from_metadata(d.title or d.doc_id, dict(d.metadata or {}), d.source)
        docs.append(
            {
                "Dokument": src.title,
                "Arrangör": src.organiser,
                "Evenemang": src.event,
                "Datum": src.date or (str(src.year) if src.year else ""),
                "Fil": d.source,
                "Lärpass": len(titles),
                "Stycken": per_doc.get(d.doc_id, 0),
            }
        )
        links.append(src.url)
        acting: dict[str, list[str]] = {}
        for title, orgs in zip(d.sessions, d.session_organisations, strict=False):
            acting.setdefault(title, []).extend(orgs)
        for title in titles:
            key = (d.doc_id, title)
            # the organisations the reader saw acting in the session; an older index (or a
            # session where it saw none) falls back on the regions its passages are filed under
            orgs = list(dict.fromkeys(acting.get(title, ()))) or distinct_regions(
                by_session.get(key, [])
            )
            sessions.append(
                {
                    "Lärpass": title or "(utan rubrik)",
                    "Region/organisation": ", ".join(orgs),
                    "Stycken": per_session.get(key, 0),
                    "Dokument": d.title or d.doc_id,
                }
            )
    return CorpusSummary(docs, sessions, len(index.passages), links)


def session_regions(index) -> dict[str, list[str]]:
    """Session title → its regions (for labelling the session filter)."""
    by_session: dict[str, list] = {}
    for p in index.passages:
        by_session.setdefault(p.session, []).append(p)
    return {title: distinct_regions(ps) for title, ps in by_session.items()}


def session_passages(index, passage) -> list:
    """Every passage of ``passage``'s lärpass, in the order of the text."""
    key = (passage.doc_id, passage.session)
    same = [q for q in index.passages if (q.doc_id, q.session) == key]
    return sorted(same, key=lambda q: (q.start, q.end))


def session_text_html(passages: Sequence, current_id: str) -> str:
    """A whole lärpass as escaped paragraphs; the hit's own passage is marked."""
    paragraphs = []
    for q in passages:
        mark = ' class="ks-current" aria-current="true"' if q.id == current_id else ""
        paragraphs.append(f"<p{mark}>{esc(q.text)}</p>")
    return f'<div class="ks-text ks-session">{"".join(paragraphs)}</div>'


def citation_text(passage, source: Source) -> str:
    """The hit's citation as plain text to paste ("Lärpass · Region — Dokument (Arrangör,
    år) <adress>"), the same words the card and the exported note use."""
    text = cite(passage.session, passage.regions, passage.speakers, source)
    return f"{text} <{source.url}>" if source.url else text
