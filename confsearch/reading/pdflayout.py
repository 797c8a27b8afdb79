"""Headings of a PDF from its fonts: larger or bold lines are headings.

A PDF programme sets its session titles in larger or bold type; its text layer has no
other structure. pypdf (already the PDF reader here, so no new dependency) reports the
font and size of every piece of text through ``extract_text(visitor_text=…)`` in the same
pass that extracts the text; that is all this needs. (pdfplumber would also give
positions, which the text order from pypdf already reflects for programmes.)

The body size is the size most text is set in. A line set clearly larger, or wholly bold
and short, is a heading; heading levels follow the sizes (largest first), bold body-size
lines come last. A title wrapped over two lines of the same style is one heading.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from confsearch.reading.layout import Block, Parsed, line_spans
from confsearch.text import words

LARGER = 1.12  # a line this much larger than the body text is a heading
MAX_HEADING_WORDS = 24
_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


def _key(line: str) -> str:
    return re.sub(r"\s+", "", line)


def read_page(page: Any) -> tuple[str, dict[str, tuple[float, bool]]]:
    """The page's text (exactly as ``extract_text()`` gives it) and the style (size,
    bold) of each of its lines, keyed by the line without whitespace."""
    pieces: list[tuple[float, str, float, bool]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if not text or not text.strip():
            return
        try:
            scale = abs(float(tm[3]) or 1.0) * abs(float(cm[3]) or 1.0)
            y = round(float(tm[5]) * abs(float(cm[3]) or 1.0) + float(cm[5]), 1)
        except (TypeError, ValueError, IndexError):
            scale, y = 1.0, 0.0
        name = str(font_dict.get("/BaseFont", "")) if font_dict else ""
        pieces.append((y, text, float(font_size or 0) * scale, bool(_BOLD_RE.search(name))))

    text = page.extract_text(visitor_text=visit) or ""
    lines: dict[float, list[tuple[str, float, bool]]] = {}
    for y, piece, size, bold in pieces:
        for part in piece.split("\n"):
            if part.strip():
                lines.setdefault(y, []).append((part, size, bold))
    styles: dict[str, tuple[float, bool]] = {}
    for parts in lines.values():
        joined = "".join(p for p, _, _ in parts)
        chars = sum(len(p.strip()) for p, _, _ in parts) or 1
        size = max(s for _, s, _ in parts)
        bold = sum(len(p.strip()) for p, _, b in parts if b) / chars > 0.8
        styles.setdefault(_key(joined), (round(size, 1), bold))
        for part, s, b in parts:  # a line pypdf split differently still finds its style
            styles.setdefault(_key(part), (round(s, 1), b))
    return text, styles


def apply_styles(parsed: Parsed, styles: dict[str, tuple[float, bool]]) -> None:
    """Turn the larger or bold lines of a PDF's text into heading blocks (in place)."""
    text = parsed.text
    spans = [(s, e) for s, e in line_spans(text, 0, len(text)) if text[s:e].strip()]
    found = [(s, e, styles.get(_key(text[s:e]))) for s, e in spans]
    sizes: Counter[float] = Counter()
    bold_chars = total = 0
    for s, e, st in found:
        if st is not None:
            sizes[st[0]] += e - s
            total += e - s
            bold_chars += (e - s) if st[1] else 0
    if not sizes or bold_chars > 0.6 * total:
        return
    body = sizes.most_common(1)[0][0]

    def is_heading(line: str, st: tuple[float, bool] | None) -> bool:
        if st is None or not 0 < words(line) <= MAX_HEADING_WORDS:
            return False
        return st[0] >= body * LARGER or (st[1] and st[0] >= body * 0.95)

    heads = [st for s, e, st in found if st is not None and is_heading(text[s:e], st)]
    if not heads:
        return
    larger = sorted({st[0] for st in heads if st[0] >= body * LARGER}, reverse=True)

    def level(st: tuple[float, bool]) -> int:
        return 1 + (larger.index(st[0]) if st[0] in larger else len(larger))

    blocks: list[Block] = []
    body_start: int | None = None
    body_end = 0
    prev_blank = False
    i = 0
    while i < len(found):
        s, e, st = found[i]
        gap = prev_blank or (i > 0 and "\n\n" in text[found[i - 1][1] : s])
        line = text[s:e]
        if st is not None and is_heading(line, st):
            if body_start is not None:
                blocks.append(Block(body_start, body_end))
                body_start = None
            end, title = e, " ".join(line.split())
            while (
                i + 1 < len(found)
                and found[i + 1][2] == st
                and _continues(text[found[i + 1][0] : found[i + 1][1]], level(st))
            ):
                i += 1
                end = found[i][1]
                title += " " + " ".join(text[found[i][0] : end].split())
            blocks.append(Block(s, end, level=level(st), title=title))
        else:
            if body_start is not None and gap:
                blocks.append(Block(body_start, body_end))
                body_start = None
            if body_start is None:
                body_start = s
            body_end = e
        prev_blank = False
        i += 1
    if body_start is not None:
        blocks.append(Block(body_start, body_end))
    parsed.blocks = blocks
    parsed.explicit = True


_NEW_ITEM_RE = re.compile(r"^\s*(?:kl\.?\s*)?\d{1,2}[.:]\d{2}|^\s*\d{1,2}[.:)]\s|^[A-ZÅÄÖ]\w+\s+\d")


def _continues(line: str, level: int) -> bool:
    """Does a heading line of the same style go on the heading above it (a wrapped
    title) rather than start a new one?"""
    s = line.strip()
    if not s or _NEW_ITEM_RE.match(s):
        return False
    return s[0].islower() or bool(re.fullmatch(r"(?:19|20)\d\d", s)) or level == 1
