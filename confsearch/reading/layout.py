"""The layout of a document's text: blocks, headings and paragraphs.

Plain text has no markup, so session headings are found by a heuristic
(:func:`is_heading_line`, :func:`assign_heading_levels`): a heading is a short single
line, on its own between blank lines, starting with a capital letter, without sentence
punctuation except an optional single final "?", and followed by a prose paragraph (never
by a URL line). The first such line of a file is the document title. Markdown ``#``, HTML
``<h1>``–``<h3>`` and Word heading styles are used as given (see :mod:`confsearch.reading.readers`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from confsearch.reading.docmeta import field_for
from confsearch.reading.people import presenter_line
from confsearch.text import (
    LINK_RE,
    ends_sentence,
    ends_with_url,
    is_list_line,
    is_quote_line,
    is_url_only,
    sentence_spans,
    strip_emphasis,
    words,
)

# Heading heuristic limits (plain text / PDF).
MAX_HEADING_WORDS = 12
MAX_QUESTION_HEADING_WORDS = 8
MAX_HEADING_CHARS = 120
MIN_PROSE_WORDS = 8

HR_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def presenter_flags(lines: list[str]) -> list[bool]:
    """Which lines list presenters and stand on their own (they stay a line and a
    paragraph of their own): the line before ends a sentence or lists presenters too, and
    the next does not go on in lower case. A hard-wrapped sentence can break into a line
    that looks like one ("Maria Lidberg och Maarit Nurkkala, Omställning Västmanland,"),
    but never in that context."""
    flags: list[bool] = []
    for i, line in enumerate(lines):
        prev = lines[i - 1].strip() if i else ""
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        alone = not prev or flags[-1] or ends_sentence(prev, colon=True)
        flags.append(alone and not nxt[:1].islower() and presenter_line(line) is not None)
    return flags


def clean_paragraph(raw: str) -> str:
    """Whitespace-tidy one paragraph: wrapped lines joined, list/quote lines kept apart."""
    parts: list[str] = []
    raw_lines = [ln for ln in raw.split("\n") if ln.strip() and not HR_RE.match(ln.strip())]
    apart = presenter_flags(raw_lines)
    for i, line in enumerate(raw_lines):
        s = line.strip()
        heading = MD_HEADING_RE.match(s)
        if heading:
            s = heading.group(2)
        if s.startswith(">"):  # Markdown blockquote: keep the marker, it marks a quote
            s = "> " + s.lstrip("> ").strip()
            if s == "> ":
                continue
        s = re.sub(r"[ \t]+", " ", s)
        if parts and not is_list_line(s) and not apart[i] and not (i and apart[i - 1]):
            parts[-1] = f"{parts[-1]} {s}"
        else:
            parts.append(s)
    return "\n".join(parts)


def clean_slice(raw: str) -> str:
    """Tidy a span of document text that may hold several paragraphs (blank-line separated)."""
    paras = [clean_paragraph(p) for p in re.split(r"\n[ \t]*\n", raw)]
    return "\n\n".join(p for p in paras if p)


@dataclass
class Block:
    """A run of non-blank lines (or an HTML/Word paragraph) with offsets into the text.

    ``level``: None for body text, 1 for a document title, 2+ for session headings.
    """

    start: int
    end: int
    level: int | None = None
    links: tuple[str, ...] = ()
    title: str | None = None  # heading text, if different from the raw slice


@dataclass
class Parsed:
    """A document before sessions are built: its text, blocks and what the format said."""

    text: str
    blocks: list[Block]
    fmt: str
    explicit: bool  # headings come from markup (Markdown/HTML/Word), not the heuristic
    title: str | None = None  # title given by the format (HTML <title>, Word core props)
    metadata: dict[str, Any] = field(default_factory=dict)
    doc_id: str | None = None
    session_title: str | None = None  # jsonl: the whole text is this one session
    regions: tuple[str, ...] | None = None
    links: tuple[str, ...] = ()
    # citation fields the format itself states (confsearch.reading.docmeta), e.g. an HTML page's
    # site name and canonical address
    format_fields: dict[str, Any] = field(default_factory=dict)


def line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        spans.append((pos, stop))
        if nl == -1:
            break
        pos = nl + 1
    return spans


def raw_blocks(text: str, start: int = 0, end: int | None = None) -> list[Block]:
    """Blank-line separated blocks of ``text[start:end]``."""
    end = len(text) if end is None else end
    blocks: list[Block] = []
    cur: list[tuple[int, int]] = []
    for s, e in [*line_spans(text, start, end), (end, end)]:
        if text[s:e].strip():
            cur.append((s, e))
            continue
        if cur:
            first_s, _ = cur[0]
            blocks.append(Block(first_s + lead_ws(text[first_s : cur[-1][1]]), cur[-1][1]))
            cur = []
    return blocks


def lead_ws(s: str) -> int:
    return len(s) - len(s.lstrip())


def is_heading_line(line: str) -> bool:
    """Could this single line be a heading? (Shape only; context is checked elsewhere.)

    Short (≤ 12 words, ≤ 120 characters), starts with a capital letter or a section
    number, contains no URL, is not a quote or list item, a metadata line ("Arrangör:
    Reglab") or a line listing presenters, and has no sentence punctuation – except one
    final "?" on a short line ("Det nya Norrland?"). Lines ending in ":" introduce what
    follows and are never headings.
    """
    s = line.strip()
    if not s or len(s) > MAX_HEADING_CHARS or "\n" in s:
        return False
    if is_list_line(s) or LINK_RE.search(s) or "@" in s:
        return False
    if _is_label_line(s) or presenter_line(s) is not None:
        return False  # "Arrangör: Reglab", "Anna Berg, Region Skåne och …"
    s = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", s)  # "2.1 Bakgrund"
    s = strip_emphasis(s).strip("*_ ")
    if not s or not (s[0].isupper() or s[0].isdigit()):
        return False
    n = words(s)
    if n == 0 or n > MAX_HEADING_WORDS:
        return False
    body = s
    if s.endswith("?"):
        if s.endswith(("??", "?!", "!?")) or n > MAX_QUESTION_HEADING_WORDS:
            return False
        body = s[:-1]
    if ends_sentence(body, colon=True) or body.rstrip().endswith((",", ";")):
        return False
    # No sentence boundary inside ("Vad händer nu? Vi vet inte").
    return len(sentence_spans(body)) <= 1


def _is_label_line(line: str) -> bool:
    """A metadata line such as "Arrangör: Reglab" or "Datum: 2019-03-14"."""
    label, sep, value = line.partition(":")
    return bool(sep and value.strip()) and field_for(label) is not None


def _heading_shaped(block_text: str) -> bool:
    """A block that could be a heading: one line, or two if a long heading was
    hard-wrapped, that reads as a heading line when joined."""
    lines = [ln.strip() for ln in block_text.strip().split("\n")]
    return len(lines) <= 2 and is_heading_line(" ".join(lines))


def _is_prose(text: str) -> bool:
    """Body text fit to follow a heading: sentences, not a bare link or another heading.

    Either a real paragraph (≥ 8 words with sentence punctuation) or at least a short
    finished sentence ("Kort inledning.").
    """
    s = text.strip()
    if not s or is_url_only(s.split("\n", 1)[0]):
        return False
    if _heading_shaped(s):
        return False
    n = words(s)
    if n >= MIN_PROSE_WORDS and re.search(r"[.!?…:]", s):
        return True
    return n >= 2 and ends_sentence(s)


def split_heading_lines(text: str, blocks: list[Block]) -> list[Block]:
    """Promote heading lines hidden inside multi-line blocks (PDF text, files without
    blank lines) to blocks of their own.

    Only lines that look like headings, are clearly shorter than the block's wrapped
    lines, contain no comma, follow a finished sentence (or another heading) and are
    followed by a line starting with a capital letter qualify – a wrapped line of a
    running paragraph practically never meets all of these.
    """
    out: list[Block] = []
    for block in blocks:
        lines = [(s, e) for s, e in line_spans(text, block.start, block.end) if text[s:e].strip()]
        if len(lines) < 3:
            out.append(block)
            continue
        width = max(len(text[s:e].strip()) for s, e in lines)
        marks = []
        prev_heading = False
        for i, (s, e) in enumerate(lines):
            line = text[s:e].strip()
            prev_line = text[lines[i - 1][0] : lines[i - 1][1]].strip() if i else ""
            prev_done = (
                i == 0
                or prev_heading
                or ends_sentence(prev_line, colon=True)
                or bool(ends_with_url(prev_line))  # a link ends its paragraph
            )
            nxt = text[lines[i + 1][0] : lines[i + 1][1]].strip() if i + 1 < len(lines) else ""
            is_head = (
                prev_done
                and is_heading_line(line)
                and "," not in line
                and len(line) < 0.6 * width
                and bool(nxt)
                and (nxt[0].isupper() or nxt[0].isdigit() or is_quote_line(nxt))
            )
            marks.append(is_head)
            prev_heading = is_head
        if not any(marks):
            out.append(block)
            continue
        cur: list[tuple[int, int]] = []
        for (s, e), is_head in zip(lines, marks, strict=True):
            if is_head:
                if cur:
                    out.append(Block(cur[0][0] + lead_ws(text[cur[0][0] : cur[0][1]]), cur[-1][1]))
                    cur = []
                out.append(Block(s + lead_ws(text[s:e]), e))
            else:
                cur.append((s, e))
        if cur:
            out.append(Block(cur[0][0] + lead_ws(text[cur[0][0] : cur[0][1]]), cur[-1][1]))
    return out


def assign_heading_levels(text: str, blocks: list[Block]) -> None:
    """Heuristic headings for unmarked text: the first heading-like block is the title
    (level 1); later single-line heading-like blocks followed by prose are sessions."""
    for i, block in enumerate(blocks):
        if block.level is not None:
            continue
        if not _heading_shaped(text[block.start : block.end]):
            continue
        if i == 0:
            block.level = 1
        elif i + 1 < len(blocks):
            nxt = blocks[i + 1]
            if nxt.level is None and _is_prose(text[nxt.start : nxt.end]):
                block.level = 2


def paragraph_spans(text: str, block: Block) -> list[tuple[int, int]]:
    """Paragraphs inside a body block.

    A new paragraph starts at every quote/list line ("- Det finns …, säger …"), and after
    a line that ends a sentence when the text is not hard-wrapped (long lines) or that
    line is visibly shorter than the wrapped width (the end of a wrapped paragraph).
    """
    lines = [(s, e) for s, e in line_spans(text, block.start, block.end) if text[s:e].strip()]
    if not lines:
        return []
    width = max(len(text[s:e].strip()) for s, e in lines)
    lines = [(s, e) for s, e in lines if not HR_RE.match(text[s:e].strip())]
    apart = presenter_flags([text[s:e] for s, e in lines])
    paras: list[list[tuple[int, int]]] = []
    for i, (s, e) in enumerate(lines):
        line = text[s:e].strip()
        # a presenter line, and the line after it, start anew
        new = not paras or is_list_line(line) or apart[i] or (i > 0 and apart[i - 1])
        if not new:
            prev = text[paras[-1][-1][0] : paras[-1][-1][1]].strip()
            ends = ends_sentence(prev, colon=True)
            starts = line[0].isupper() or line[0].isdigit() or line[0] in '"”»'
            new = ends and starts and (width > 100 or len(prev) < 0.8 * width)
        if new:
            paras.append([(s, e)])
        else:
            paras[-1].append((s, e))
    out = []
    for p in paras:
        s, e = p[0][0], p[-1][1]
        s += lead_ws(text[s:e])
        out.append((s, e))
    return out
