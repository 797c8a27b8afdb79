"""Programmes: a document grouped into its real sessions, whatever its layout.

:mod:`confsearch.sessions` groups blocks under headings, which is right for a text of
headings and prose (the seed corpus). Conference programmes say more: timetable lines,
numbered items, breaks, page labels, metadata lines, speaker lines
(:mod:`confsearch.proglines`). Here every line is classified, and then:

* a programme item (timetable or numbered line, or a heading with nothing below it that is
  itself an item or a deeper heading) starts a session, with its time and label kept
  beside its title;
* a heading above items (a day, a track) starts a part that is not a session;
* breaks, page labels ("Anmälan", "Kontakt") start parts that are not sessions;
* metadata lines and reference numbers belong to no part, so never to a passage;
* speaker lines belong to the session above them, with their part (moderator, panel).

Text outside sessions is still searchable: it becomes a part of kind "part", under its
heading or the document title. A text with none of these features and no markup is read
by :func:`confsearch.sessions.build_sessions` exactly as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from confsearch import proglines
from confsearch.documents import Person, Session
from confsearch.layout import (
    Block,
    Parsed,
    assign_heading_levels,
    clean_slice,
    line_spans,
    paragraph_spans,
)
from confsearch.people import extract_speakers
from confsearch.sessions import build_sessions, organisations
from confsearch.speakers import acting_organisations, merge_people, running_text_speakers
from confsearch.text import ends_sentence, extract_links, quote_text, strip_emphasis, words

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


@dataclass
class Group:
    head: Unit | None
    kind: str  # session or part
    body: list[Unit] = field(default_factory=list)


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
        assign_heading_levels(text, blocks)
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
            cells = proglines.table_cells(line)
            if cells is not None:
                flush()
                if proglines.is_separator_row(line):
                    continue
                header = proglines.header_columns(cells)
                if header is not None:
                    columns.clear()
                    columns.update(header)
                    continue
                row = proglines.table_row(cells, columns or None)
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
                    title, u.item.time if u.item else None, u.item and u.item.label
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
        or (u.kind == "speakers" and any(p.part for p in u.people))
        for u in units
    )


_GROUP_RE = re.compile(
    r"^(?:parallella|parallellt|parallell|dag\s+\d|förmiddag(?:en)?|eftermiddag(?:en)?|"
    r"(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en)?\b|seminariepass\s*\d*$|pass\s+\d+$)",
    re.IGNORECASE,
)


def _is_group_item(u: Unit, following: list[Unit]) -> bool:
    """ "2. Parallella spår" above "2 a)", "2 b)": an item whose label the next items'
    labels extend, or whose title names a group ("Parallella seminarier", a weekday)."""
    if _GROUP_RE.match(u.title or ""):
        return True
    label = (u.item.label if u.item else "") or ""
    if not label:
        return False
    nxt = next((v for v in following if v.kind == "item"), None)
    other = (nxt.item.label if nxt is not None and nxt.item else "") or ""
    squeezed = other.replace(" ", "")
    return bool(other) and other != label and squeezed.startswith(label.replace(" ", ""))


def _mark_containers(units: list[Unit]) -> None:
    """A heading is a container (a day, a track, "Parallella seminarier") when programme
    items follow in its scope, or a deeper heading follows before any text of its own.
    A heading with text of its own keeps deeper headings as sub-headings inside it."""
    for i, u in enumerate(units):
        if u.kind == "item" and _is_group_item(u, units[i + 1 : i + 4]):
            u.container = True
            continue
        if u.kind == "heading" and _GROUP_RE.match(u.title or "") and words(u.title) <= 6:
            u.container = True
            continue
        if u.kind not in ("heading", "label") or u.level is None:
            continue
        own_text = False
        for v in units[i + 1 :]:
            if v.level is not None and v.kind in ("heading", "item", "break", "label"):
                if v.level <= u.level:
                    break
                if not own_text or v.kind == "item":
                    u.container = True
                    break
                continue
            if v.kind == "item":
                u.container = True
                break
            if v.kind in ("body", "speakers"):
                own_text = True


_BARE_RE = re.compile(
    r"^(?:välkommen|välkomna|inledning|öppning|invigning|avslutning|avslut|summering|"
    r"sammanfattning|dagens avslutning|tack för i dag|reflektioner|dagen sammanfattas|"
    r"sammanfattning av dagen|dagen avslutas|konferensen avslutas|avrundning|summering av dagen|"
    r"fortsatt arbete|nästa steg|slutord|avslutande ord|tack)"
    r"(?:\s+(?:och|&)\s+(?:avslutning|avslut|summering|sammanfattning|inledning|välkommen))?"
    r"(?:\s+(?:av|med)\s+(?:dagen|moderatorn|konferensen))?[!.]?$",
    re.IGNORECASE,
)


def is_bare(title: str) -> bool:
    """ "Välkommen", "Inledning", "Sammanfattning och avslut": a programme's frame, not a
    session of its own (even when a person is named)."""
    return bool(_BARE_RE.match(" ".join(title.split()).strip(" *_")))


def _after_programme(units: list[Unit]) -> set[int]:
    """Headings after a timetable's last item with no speakers of their own
    ("Tillgänglighet", "Om dagen" below the programme): information, not sessions."""
    items = [i for i, u in enumerate(units) if u.kind == "item"]
    if len(items) < 3:
        return set()
    out = set()
    for i in range(items[-1] + 1, len(units)):
        u = units[i]
        if u.kind != "heading":
            continue
        scope = []
        for v in units[i + 1 :]:
            if v.kind in ("heading", "item", "label", "break"):
                break
            scope.append(v)
        if not any(v.kind == "speakers" for v in scope):
            out.add(id(u))
    return out


def group(units: list[Unit], title_unit: Unit | None) -> list[Group]:
    _mark_containers(units)
    information = _after_programme(units)
    groups: list[Group] = [Group(None, "part")]
    for u in units:
        if u is title_unit or u.kind == "meta":
            continue
        if id(u) in information:
            groups.append(Group(u, "part"))
            continue
        cur = groups[-1].head
        if (
            u.kind in ("heading", "label")
            and not u.container
            and cur is not None
            and groups[-1].kind == "session"
            and cur.level is not None
            and u.level is not None
            and u.level > cur.level
        ):
            groups[-1].body.append(u)  # a sub-heading inside its session
        elif u.kind in ("item", "heading") and not u.container:
            bare = is_bare(_split_title_people(u.title)[0])
            groups.append(Group(u, "part" if bare else "session"))
        elif u.kind in ("heading", "break", "label", "item"):
            groups.append(Group(u, "part"))
        else:
            groups[-1].body.append(u)
    return groups


def _split_title_people(title: str) -> tuple[str, tuple[Person, ...]]:
    """ "Välkommen – Anna Berg, Region Skåne" → ("Välkommen", people)."""
    for m in re.finditer(r"\s+[–—-]\s+|\s*\|\s*|,\s+(?=[A-ZÅÄÖ])|\s+med\s+(?=[A-ZÅÄÖ])", title):
        head, tail = title[: m.start()].strip(), title[m.end() :].strip()
        if head and tail:
            people = proglines.speaker_line(tail)
            if people:
                return head, people
    m = re.search(r"\s*\(([^()]+)\)\s*$", title)
    if m:
        people = proglines.speaker_line(m.group(1))
        if people:
            return title[: m.start()].strip(), people
    return title, ()


def labelled(units: list[Unit]) -> dict[str, str]:
    """The labelled metadata lines of the whole text ("Arrangör: SKL" at its end too)."""
    out: dict[str, str] = {}
    for u in units:
        if u.kind == "meta":
            found = proglines.metadata_line(u.title)
            if found:
                out.setdefault(found[0], found[1])
    return out


def build(parsed: Parsed, doc_id: str, source: str, fallback_title: str):
    """Document title, sessions (programme items and the parts around them) and the
    labelled metadata lines found anywhere in the text."""
    units = classify(parsed)
    meta = labelled(units)
    seminar = None if any(u.kind == "item" for u in units) else quoted_seminar(parsed.text)
    if parsed.session_title is not None or (
        not parsed.explicit and not has_programme(units) and seminar is None
    ):
        title, sessions = build_sessions(parsed, doc_id, source, fallback_title)
        return title, [_finish(s) for s in sessions], meta
    text = parsed.text
    headings = [u for u in units if u.level is not None]
    title = parsed.title
    title_unit = None
    _mark_containers(units)
    if headings:
        top = min(u.level for u in headings)
        first = headings[0]
        others = [u for u in headings if u.level == top and u is not first]
        if (
            first.level == top
            and first.kind == "heading"
            and all(u.kind == "label" or u.container for u in others)
            and (top == 1 or units[0] is first)
        ):
            title_unit = first
            title = first.title if top == 1 or not title else title
    lead = next((u for u in units if u.kind not in ("meta", "label")), None)
    if title is None and lead is not None and lead.kind == "body":
        first_line = text[lead.start : lead.end].split("\n", 1)[0].strip()
        if 0 < words(first_line) <= 15 and not first_line.endswith((".", ":", ",")):
            title = " ".join(strip_emphasis(first_line).split())
    title = title or fallback_title
    sessions: list[Session] = []
    groups = group(units, title_unit)
    if seminar is not None:
        # a news item about one seminar: one session, named as the text names it
        body = [u for g in groups for u in ([g.head] if g.head else []) + g.body]
        groups = [Group(None, "session", [u for u in body if u.kind != "meta"])]
    for g in groups:
        session = _session(text, parsed, g, doc_id, source, seminar or title)
        if session is not None:
            sessions.append(session)
    return title, sessions, meta


_SEMINAR_RE = re.compile(
    r"\b(?:seminari(?:et|um|e)|passet|lärpasset|workshopen|panelsamtalet|samtalet|"
    r"föreläsningen|programpunkten|sessionen|panelen)\s+(?:som\s+hette\s+|med\s+(?:titeln|"
    r"rubriken|namnet)\s+)?[”\"«„]([^”\"»“\n]{3,120})[”\"»“]",
    re.IGNORECASE,
)


def quoted_seminar(text: str) -> str | None:
    """The one seminar a news item is about, when the text names it in quotes
    ("… på seminariet ”Landsbygden som resurs” …"), else None."""
    names = {" ".join(m.group(1).split()) for m in _SEMINAR_RE.finditer(text)}
    return names.pop() if len(names) == 1 else None


def _session(text: str, parsed: Parsed, g: Group, doc_id: str, source: str, doc_title: str):
    spans: list[tuple[int, int]] = []
    links: list[str] = list(parsed.links)
    people: list[Person] = list(g.head.people) if g.head is not None else []
    for u in g.body:
        links.extend(u.links)
        if u.kind == "body":
            spans.extend(paragraph_spans(text, Block(u.start, u.end)))
        elif u.kind == "heading":
            spans.append((u.start, u.end))
        else:
            spans.append((u.start, u.end))
            if u.kind == "speakers":
                people.extend(u.people)
    spans = [(s, e) for s, e in spans if clean_slice(text[s:e])]
    head = g.head
    item = head.item if head is not None else None
    s_title = head.title if head is not None else doc_title
    title_people: tuple[Person, ...] = ()
    if head is not None and g.kind == "session":
        s_title, title_people = _split_title_people(s_title)
    if head is not None and not spans and g.kind == "session" and (head.kind == "item" or people):
        spans = [(head.start, head.end)]  # an item without text: its line is what is searched
    if not spans and g.kind != "session":
        return None
    if head is not None and g.kind == "session" and not s_title:
        s_title = (item.label if item and item.label else "") or doc_title
    paragraphs = tuple(clean_slice(text[s:e]) for s, e in spans)
    for p in paragraphs:
        links.extend(extract_links(p))
    speakers = merge_people(
        [*title_people, *people, *running_text_speakers(paragraphs), *extract_speakers(paragraphs)]
    )
    regions = parsed.regions if parsed.regions is not None else organisations(paragraphs, s_title)
    session = Session(
        title=s_title,
        doc_id=doc_id,
        source=source,
        regions=regions,
        speakers=speakers,
        paragraphs=paragraphs,
        quotes=tuple(q for q in (quote_text(p) for p in paragraphs) if q),
        links=tuple(dict.fromkeys(links)),
        start=head.start if head is not None else (spans[0][0] if spans else 0),
        end=spans[-1][1] if spans else (head.end if head is not None else 0),
        paragraph_spans=tuple(spans),
        label=item.label if item else None,
        time=item.time if item else None,
        kind=g.kind,
    )
    return replace(session, organisations=acting_organisations(session))


def _finish(session: Session) -> Session:
    """A session read by the heading rules, with its acting organisations."""
    return replace(session, organisations=acting_organisations(session))
