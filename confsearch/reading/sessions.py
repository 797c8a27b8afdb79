"""Sessions: a parsed document's blocks grouped under their headings.

Each session gets its paragraphs, quotes, links, speakers (:mod:`confsearch.reading.people`) and
the organisations it is filed under (:func:`organisations`).
"""

from __future__ import annotations

from confsearch.reading import regions as gazetteer
from confsearch.reading.documents import Session
from confsearch.reading.layout import (
    Block,
    Parsed,
    assign_heading_levels,
    clean_slice,
    paragraph_spans,
)
from confsearch.reading.people import extract_speakers, presenting_organisations
from confsearch.text import extract_links, quote_text, strip_emphasis


def organisations(paragraphs: tuple[str, ...], title: str) -> tuple[str, ...]:
    """The organisations a session is filed under, presenting ones first: those on its
    presenter lines (gazetteer entries by canonical name, others as written), then the
    gazetteer's attribution of the whole text (:func:`confsearch.reading.regions.attribute`)."""
    named = presenting_organisations(paragraphs)
    return tuple(dict.fromkeys([*named, *gazetteer.attribute(paragraphs, title)]))


def build_sessions(
    parsed: Parsed, doc_id: str, source: str, fallback_title: str
) -> tuple[str, list[Session]]:
    """Document title and sessions from the blocks' heading levels."""
    text = parsed.text
    blocks = [b for b in parsed.blocks if text[b.start : b.end].strip()]
    if not parsed.explicit:
        assign_heading_levels(text, blocks)

    def heading_text(b: Block) -> str:
        raw = b.title if b.title is not None else text[b.start : b.end]
        return " ".join(strip_emphasis(raw).split()).strip("#").strip()

    levels = sorted({b.level for b in blocks if b.level is not None})
    title = parsed.title
    session_level: int | None = None
    title_block: Block | None = None
    if parsed.session_title is None and levels:
        top = [b for b in blocks if b.level == levels[0]]
        first_heading = next(b for b in blocks if b.level is not None)
        # A single top-level heading that opens the document is its title.
        if len(top) == 1 and top[0] is first_heading and (levels[0] == 1 or blocks[0] is top[0]):
            title_block = top[0]
            title = heading_text(title_block) if levels[0] == 1 or not title else title
            session_level = levels[1] if len(levels) > 1 else None
        else:
            session_level = levels[0]
    title = title or fallback_title

    # Group: (heading block or None, body blocks)
    groups: list[tuple[Block | None, list[Block]]] = [(None, [])]
    for b in blocks:
        if b is title_block:
            continue
        if session_level is not None and b.level == session_level:
            groups.append((b, []))
        elif b.level is not None and session_level is not None and b.level < session_level:
            groups.append((None, []))  # a second title-level heading: starts an untitled part
        else:
            groups[-1][1].append(b)

    sessions: list[Session] = []
    for heading, body in groups:
        spans: list[tuple[int, int]] = []
        block_links: list[str] = []
        for b in body:
            block_links.extend(b.links)
            if b.level is not None:  # a sub-heading inside a session: keep as a paragraph
                spans.append((b.start, b.end))
            else:
                spans.extend(paragraph_spans(text, b))
        spans = [(s, e) for s, e in spans if clean_slice(text[s:e])]
        if not spans:
            continue
        s_title = (
            parsed.session_title
            if parsed.session_title is not None
            else heading_text(heading)
            if heading is not None
            else title
        )
        paragraphs = tuple(clean_slice(text[s:e]) for s, e in spans)
        quotes = tuple(q for q in (quote_text(p) for p in paragraphs) if q)
        links = list(parsed.links)
        for p in paragraphs:
            links.extend(extract_links(p))
        links.extend(block_links)
        regions = (
            parsed.regions if parsed.regions is not None else organisations(paragraphs, s_title)
        )
        sessions.append(
            Session(
                title=s_title,
                doc_id=doc_id,
                source=source,
                regions=regions,
                speakers=extract_speakers(paragraphs),
                paragraphs=paragraphs,
                quotes=quotes,
                links=tuple(dict.fromkeys(links)),
                start=heading.start if heading is not None else spans[0][0],
                end=spans[-1][1],
                paragraph_spans=tuple(spans),
            )
        )
    return title, sessions
