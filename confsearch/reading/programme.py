"""Programmes: a document grouped into its real sessions, whatever its layout.

:mod:`confsearch.reading.sessions` groups blocks under headings, which is right for a text of
headings and prose (the seed corpus). Conference programmes say more: timetable lines,
numbered items, breaks, page labels, metadata lines, speaker lines
(:mod:`confsearch.reading.proglines`). Here every line is classified, and then:

* a programme item (timetable or numbered line, or a heading with nothing below it that is
  itself an item or a deeper heading) starts a session, with its time and label kept
  beside its title;
* a heading above items (a day, a track) starts a part that is not a session;
* breaks, page labels ("Anmälan", "Kontakt") start parts that are not sessions;
* metadata lines and reference numbers belong to no part, so never to a passage;
* speaker lines belong to the session above them, with their part (moderator, panel).

Text outside sessions is still searchable: it becomes a part of kind "part", under its
heading or the document title. A text with none of these features and no markup is read
by :func:`confsearch.reading.sessions.build_sessions` exactly as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from confsearch.reading import proglines
from confsearch.reading.documents import Person, Session
from confsearch.reading.layout import Block, Parsed, clean_slice, paragraph_spans
from confsearch.reading.people import extract_speakers
from confsearch.reading.progunits import _GROUP_RE, Unit, classify, has_programme
from confsearch.reading.sessions import build_sessions, organisations
from confsearch.reading.speakers import acting_organisations, merge_people, running_text_speakers
from confsearch.text import extract_links, quote_text, strip_emphasis, words


@dataclass
class Group:
    head: Unit | None
    kind: str  # session or part
    body: list[Unit] = field(default_factory=list)


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
    paren = re.search(r"\s*\(([^()]+)\)\s*$", title)
    if paren:
        people = proglines.speaker_line(paren.group(1))
        if people:
            return title[: paren.start()].strip(), people
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
        own_title, own = build_sessions(parsed, doc_id, source, fallback_title)
        return own_title, [_finish(s) for s in own], meta
    text = parsed.text
    headings = [u for u in units if u.level is not None]
    title = parsed.title
    title_unit = None
    _mark_containers(units)
    if headings:
        top = min(u.level for u in headings if u.level is not None)
        first = headings[0]
        others = [u for u in headings if u.level == top and u is not first]
        if (
            first.level == top
            and first.kind == "heading"
            and all(u.kind == "label" or u.container for u in others)
            and (top == 1 or units[0] is first)
        ) or _titles_metadata(units, first):
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


def _titles_metadata(units: list[Unit], first: Unit) -> bool:
    """A heading that opens the text with only labelled metadata lines below it
    ("Arrangör: …", "Datum: …") is the document's title, even when the sessions' headings
    are set in the same type (a PDF whose title is no larger than its session headings)."""
    at = units.index(first)
    if first.kind != "heading" or first.container or any(u.kind != "meta" for u in units[:at]):
        return False
    below = []
    for u in units[at + 1 :]:
        if u.kind != "meta":
            break
        below.append(u)
    return bool(below)


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
