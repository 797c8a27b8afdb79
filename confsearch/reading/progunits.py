"""A document as classified units: headings, items, breaks, labels, metadata, speakers, body.

Every line of a document is looked at once (:mod:`confsearch.reading.proglines` says what it is);
a time or label alone on its line takes the next line as its title, a title line right
above speakers becomes a heading, a speaker list wrapped onto the next line is joined.
:mod:`confsearch.reading.programme` then groups the units into sessions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from confsearch.reading import proglines, progtables
from confsearch.reading.documents import Person
from confsearch.reading.layout import (
    Block,
    Parsed,
    assign_heading_levels,
    is_heading_line,
    line_spans,
)
from confsearch.text import ends_sentence, strip_emphasis, words

_GROUP_RE = re.compile(
    r"^(?:parallella|parallellt|parallell|dag\s+\d|förmiddag(?:en)?|eftermiddag(?:en)?|"
    r"(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en)?\b|seminariepass\s*\d*$|pass\s+\d+$)",
    re.IGNORECASE,
)


MAX_ITEM_WORDS = 20  # a numbered line longer than this is a list item of prose


@dataclass
class Unit:
    """One classified line or block of the document."""

    start: int
    end: int
    kind: str  # heading, item, break, label, meta, speakers, body
    level: int | None = None
    title: str = ""
    item: proglines.Item | None = None
    people: tuple[Person, ...] = ()
    links: tuple[str, ...] = ()
    container: bool = False


def _heading_text(text: str, b: Block) -> str:
    raw = b.title if b.title is not None else text[b.start : b.end]
    return " ".join(strip_emphasis(raw).split()).strip("#").strip()


def _classify_line(line: str, prev: Unit | None) -> Unit | None:
    """A non-body unit for one line (offsets filled in by the caller), or None for body."""
    s = " ".join(strip_emphasis(line).split()).strip()
    if not s:
        return None
    if proglines.is_reference(s):
        return Unit(0, 0, "meta", title=s)
    after_label = (
        prev is not None
        and prev.kind in ("speakers", "label")
        and (
            prev.kind == "speakers"
            or proglines.SPEAKER_LABELS.get(proglines.fold(prev.title)) is not None
            or proglines.fold(prev.title) in ("medverkande", "talare", "föreläsare")
        )
    )
    alone = prev is not None and prev.kind in ("item", "heading")
    people = proglines.speaker_line(s, after_label=after_label, alone=alone)
    if people:
        return Unit(0, 0, "speakers", title=s, people=people)
    item = proglines.timetable(s)
    if item is None:
        item = proglines.numbered(s)
        if (
            item is not None
            and item.title
            and (
                words(item.title) > MAX_ITEM_WORDS
                or (item.title.endswith(".") and words(item.title) > 8)
            )
        ):
            item = None
    if item is not None:
        kind = "break" if item.title and proglines.is_break(item.title) else "item"
        return Unit(0, 0, kind, title=item.title, item=item)
    only = proglines.TIME_ONLY_RE.match(s)
    if only:
        time = re.sub(r"\s*(?:[-–—]|till)\s*", "–", only.group("time"))
        return Unit(0, 0, "item", title="", item=proglines.Item("", time, None))
    if proglines.metadata_line(s):
        return Unit(0, 0, "meta", title=s)
    if proglines.is_meta_key(s) and words(s) <= 3:
        return Unit(0, 0, "label", title=s)
    if proglines.is_page_label(s):
        return Unit(0, 0, "label", title=s)
    if proglines.is_break(s) and words(s) <= 6 and not ends_sentence(s):
        return Unit(0, 0, "break", title=s)
    return None


def classify(parsed: Parsed) -> list[Unit]:
    """The document as a sequence of classified units."""
    text = parsed.text
    blocks = [replace(b) for b in parsed.blocks if text[b.start : b.end].strip()]
    if not parsed.explicit:
        _heading_levels(text, blocks)
    units: list[Unit] = []

    def text_of(span: tuple[int, int]) -> str:
        return strip_emphasis(text[span[0] : span[1]]).strip()

    columns: dict[int, str] = {}  # the roles of the current table's columns
    for b in blocks:
        if b.level is not None:
            title = _heading_text(text, b)
            u = _classify_line(title, units[-1] if units else None)
            if u is None or u.kind == "speakers":
                u = Unit(0, 0, "heading", title=title)
            u.start, u.end, u.level, u.links = b.start, b.end, b.level, b.links
            units.append(u)
            continue
        body: list[tuple[int, int]] = []

        def flush(body: list[tuple[int, int]] = body, b: Block = b) -> None:
            if body:
                units.append(Unit(body[0][0], body[-1][1], "body", links=b.links))
                body.clear()

        lines = [(s, e) for s, e in line_spans(text, b.start, b.end) if text[s:e].strip()]
        k = 0
        while k < len(lines):
            s, e = lines[k]
            k += 1
            if k < len(lines) and _goes_on(text[s:e], text[lines[k][0] : lines[k][1]]):
                e = lines[k][1]  # a speaker list wrapped onto the next line
                k += 1
            line = text[s:e].replace("\n", " ")
            cells = progtables.table_cells(line)
            if cells is not None:
                flush()
                if progtables.is_separator_row(line):
                    continue
                header = progtables.header_columns(cells)
                if header is not None:
                    columns.clear()
                    columns.update(header)
                    continue
                row = progtables.table_row(cells, columns or None)
                if row is not None:
                    item, people = row
                    kind = "break" if proglines.is_break(item.title) else "item"
                    units.append(Unit(s, e, kind, title=item.title, item=item, people=people))
                    continue
            u = _classify_line(line, units[-1] if units and not body else None)
            if body and (u is None or u.kind == "speakers") and _title_like(text_of(body[-1])):
                # "Varför dialog? …" / "Gunnar Ljung, statsvetare, …": a title line
                retry = _classify_line(line, Unit(0, 0, "heading"))
                if retry is not None and retry.kind == "speakers":
                    hs, he = body.pop()
                    flush()
                    units.append(Unit(hs, he, "heading", title=" ".join(text_of((hs, he)).split())))
                    u = retry
            if u is None:
                body.append((s, e))
                continue
            flush()
            u.start, u.end = s + (len(line) - len(line.lstrip())), e
            units.append(u)
        flush()
    return _join_split_items(text, units)


def _heading_levels(text: str, blocks: list[Block]) -> None:
    """Heading levels of unmarked text by the heading rules, as a summary needs them:
    labelled metadata lines opening the text ("Arrangör: …", "Datum: …", as the page
    suggests) do not keep the heading below them from being the title, and a labelled
    speaker line ("Medverkande: …") is never a heading – the title line above it is."""
    lead = 0
    while lead < len(blocks) and _only_metadata(text, blocks[lead]):
        lead += 1
    assign_heading_levels(text, blocks[lead:])
    for i, b in enumerate(blocks):
        if b.level is None or not proglines.has_speaker_label(text[b.start : b.end]):
            continue
        level, b.level = b.level, None
        prev = blocks[i - 1] if i > 0 else None
        if prev is not None and prev.level is None:
            lines = text[prev.start : prev.end].strip().split("\n")
            if len(lines) <= 2 and is_heading_line(" ".join(" ".join(lines).split())):
                prev.level = level


def _only_metadata(text: str, b: Block) -> bool:
    """A block of labelled metadata lines and reference numbers only."""
    lines = [ln.strip() for ln in text[b.start : b.end].split("\n") if ln.strip()]
    return bool(lines) and all(
        proglines.metadata_line(ln) or proglines.is_reference(ln) for ln in lines
    )


def _join_split_items(text: str, units: list[Unit]) -> list[Unit]:
    """A time or label alone on a line takes the next line as its title ("09.30" /
    "Välkommen"); a heading-shaped line followed by speakers is a heading."""
    out: list[Unit] = []
    i = 0
    while i < len(units):
        u = units[i]
        nxt = units[i + 1] if i + 1 < len(units) else None
        if u.kind == "label" and proglines.is_meta_key(u.title) and nxt is not None:
            value = " ".join(text[nxt.start : nxt.end].split())
            if (
                nxt.kind in ("body", "item")
                and "\n" not in text[nxt.start : nxt.end].strip()
                and words(value) <= 10
                and not value.endswith((".", "!", "?"))
            ):
                # a fact box (<dl>, a two-column table): "Arrangör" / "Region Skåne"
                key = u.title.strip().rstrip(":").strip()
                out.append(Unit(u.start, nxt.end, "meta", title=f"{key}: {value}"))
                i += 2
                continue
        prev = out[-1] if out else None
        if (
            u.kind == "item"
            and not u.title
            and prev is not None
            and prev.kind == "heading"
            and prev.item is None
            and not _GROUP_RE.match(prev.title or "")
            and _time_of_heading(text, u, nxt)
        ):
            prev.item = proglines.Item(prev.title, u.item.time if u.item else None, None)
            i += 1
            continue
        if u.kind == "item" and not u.title and nxt is not None and nxt.kind == "break":
            out.append(Unit(u.start, nxt.end, "break", nxt.level, nxt.title))
            i += 2
            continue
        if u.kind == "item" and not u.title and nxt is not None and nxt.kind in ("body", "heading"):
            first = text[nxt.start : nxt.end].split("\n", 1)[0].strip()
            if first and words(first) <= MAX_ITEM_WORDS:
                title = " ".join(strip_emphasis(first).split())
                kind = "break" if proglines.is_break(title) else "item"
                item = proglines.Item(
                    title, u.item.time if u.item else None, u.item.label if u.item else None
                )
                merged = Unit(
                    u.start,
                    nxt.start + len(text[nxt.start : nxt.end].split("\n", 1)[0]),
                    kind,
                    u.level if u.level is not None else nxt.level,
                    title,
                    item,
                )
                out.append(merged)
                rest_start = merged.end + 1
                if nxt.kind == "body" and rest_start < nxt.end:
                    out.append(Unit(rest_start, nxt.end, "body", links=nxt.links))
                i += 2
                continue
        if (
            u.kind == "body"
            and nxt is not None
            and nxt.kind == "speakers"
            and "\n" not in text[u.start : u.end].strip()
            and _title_like(text[u.start : u.end])
        ):
            u = Unit(u.start, u.end, "heading", None, " ".join(text[u.start : u.end].split()))
        out.append(u)
        i += 1
    return out


def _time_of_heading(text: str, u: Unit, nxt: Unit | None) -> bool:
    """Is a time alone on its line the time of the heading above it ("Kl. 10.00–11.00"
    under a session title) rather than the start of a new item (a timetable whose
    titles are on the next line)?"""
    line = text[u.start : u.end].strip().lower()
    if line.startswith(("kl", "tid")) or nxt is None or nxt.kind in ("speakers", "meta"):
        return True
    if nxt.kind != "body":
        return False
    first = text[nxt.start : nxt.end].split("\n", 1)[0].strip()
    return first.endswith(".") or words(first) > 16 or "\n" in text[nxt.start : nxt.end]


def _title_like(line: str) -> bool:
    """A line that can title the speakers below it: short, capitalised, not a sentence
    ending in a full stop, not a label or a list of people."""
    s = " ".join(strip_emphasis(line).split())
    return (
        0 < words(s) <= 16
        and (s[:1].isupper() or s[:1].isdigit())
        and not s.endswith((".", ",", ";", ":"))
        and proglines.speaker_line(s) is None
        and proglines.metadata_line(s) is None
    )


def _goes_on(line: str, nxt: str) -> bool:
    """Does a speaker line continue on the next line ("…; Tomas Ringdahl," /
    "innovationsrådgivare, Linköpings universitet")?"""
    if proglines.speaker_line(nxt) or proglines.metadata_line(nxt):
        return False
    if proglines.timetable(nxt) or proglines.numbered(nxt):
        return False
    first = " ".join(line.split())
    labelled = proglines.speaker_line(first) is not None or bool(
        re.match(r"^(?:Talare|Medverkande|Moderator|Panel|Föreläsare)\s*:", first)
    )
    if not labelled:
        return False
    joined = f"{first} {' '.join(nxt.split())}"
    return (
        first.endswith((",", ";")) or nxt.strip()[:1].islower() or words(nxt) <= 2
    ) and proglines.speaker_line(joined) is not None


def has_programme(units: list[Unit]) -> bool:
    """Does the text use any programme form (beyond headings and prose)?"""
    return any(
        u.kind in ("item", "break", "label", "meta")
        or (
            u.kind == "speakers"
            and (any(p.part for p in u.people) or proglines.has_speaker_label(u.title))
        )
        for u in units
    )
