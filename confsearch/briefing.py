"""Briefing notes: passages a user pins while searching, exported as Markdown or Word.

A :class:`BriefingNote` is plain data (``to_dict``/``from_dict``) so the page can keep it
in ``st.session_state`` and the CLI can build one from a list of questions (:func:`brief`).

Exports keep the corpus text exactly as written: in Markdown every character with a
meaning (``*``, ``_``, ``[``, ``#``, a leading ``-`` or ``1.`` …) is backslash-escaped and
``<``/``>`` become HTML entities, so a passage containing ``<script>`` or
``[länk](http://…)`` renders as those characters. In Word, characters that XML cannot
hold (control characters) are dropped.
"""

from __future__ import annotations

import io
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from confsearch.documents import distinct_regions
from confsearch.markup import md_escape
from confsearch.messages import NO_REGION, NO_SESSION

__all__ = [
    "BriefingNote",
    "NoteItem",
    "brief",
    "note_from_hit",
    "to_docx",
    "to_markdown",
]

DEFAULT_HEADING = "Underlag"
QUESTIONS_HEADING = "Frågor som ställdes:"
NO_ITEMS_FOR_QUESTION = "inga stycken i anteckningen"
# brief(): further hits must score at least this share of the question's best hit.
MIN_SCORE_SHARE = 0.6


@dataclass
class NoteItem:
    passage_id: str
    text: str
    session: str
    regions: list[str]
    speakers: list[str]
    source: str
    query: str
    comment: str = ""

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> NoteItem:
        return cls(
            passage_id=str(d.get("passage_id", "")),
            text=str(d.get("text", "")),
            session=str(d.get("session", "") or ""),
            regions=[str(r) for r in d.get("regions") or []],
            speakers=[str(s) for s in d.get("speakers") or []],
            source=str(d.get("source", "") or ""),
            query=str(d.get("query", "") or ""),
            comment=str(d.get("comment", "") or ""),
        )


def note_from_hit(hit, query: str) -> NoteItem:
    """A note item from a search hit (:class:`confsearch.search.Hit`) and its question."""
    p = hit.passage
    return NoteItem(
        passage_id=p.id,
        text=p.text,
        session=p.session or "",
        regions=list(p.regions),
        speakers=list(p.speakers),
        source=p.source or "",
        query=query or "",
    )


@dataclass
class BriefingNote:
    heading: str = DEFAULT_HEADING
    intro: str = ""
    items: list[NoteItem] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    def __contains__(self, passage_id: object) -> bool:
        return any(item.passage_id == passage_id for item in self.items)

    def __len__(self) -> int:
        return len(self.items)

    def index_of(self, passage_id: str) -> int | None:
        for i, item in enumerate(self.items):
            if item.passage_id == passage_id:
                return i
        return None

    def add_question(self, query: str) -> None:
        q = " ".join((query or "").split())
        if q and q not in self.questions:
            self.questions.append(q)

    def add(self, hit, query: str) -> bool:
        """Pin a hit; False (and nothing changes) if its passage is already in the note."""
        return self.add_item(note_from_hit(hit, query))

    def add_item(self, item: NoteItem) -> bool:
        if item.passage_id in self:
            return False
        self.items.append(item)
        self.add_question(item.query)
        return True

    def remove(self, passage_id: str) -> bool:
        """Unpin a passage (the questions asked stay listed). False if it was not there."""
        i = self.index_of(passage_id)
        if i is None:
            return False
        del self.items[i]
        return True

    def move(self, passage_id: str, delta: int) -> int | None:
        """Move an item ``delta`` places (negative = up), clamped; returns its new index."""
        i = self.index_of(passage_id)
        if i is None:
            return None
        j = min(max(i + int(delta), 0), len(self.items) - 1)
        if j != i:
            self.items.insert(j, self.items.pop(i))
        return j

    def set_comment(self, passage_id: str, comment: str) -> bool:
        i = self.index_of(passage_id)
        if i is None:
            return False
        self.items[i].comment = comment or ""
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "intro": self.intro,
            "items": [asdict(item) for item in self.items],
            "questions": list(self.questions),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> BriefingNote:
        d = d or {}
        heading = d.get("heading")
        note = cls(
            heading=DEFAULT_HEADING if heading is None else str(heading),
            intro=str(d.get("intro", "") or ""),
            questions=[str(q) for q in d.get("questions") or []],
        )
        for raw in d.get("items") or []:
            item = NoteItem.from_dict(raw)
            if item.passage_id not in note:
                note.items.append(item)
        return note


# --------------------------------------------------------------------------- grouping


def _session_groups(note: BriefingNote) -> list[tuple[str, list[tuple[int, NoteItem]]]]:
    """Items grouped by session, groups in order of first appearance; numbered 1.. in
    export order (the numbers are the citations)."""
    groups: dict[str, list[NoteItem]] = {}
    for item in note.items:
        groups.setdefault(item.session or NO_SESSION, []).append(item)
    out = []
    n = 0
    for session, items in groups.items():
        numbered = []
        for item in items:
            n += 1
            numbered.append((n, item))
        out.append((session, numbered))
    return out


def citation_text(item: NoteItem) -> str:
    """'— Lärpass: <session>, <region(s)>, talare: …, källa: <source>' (plain text)."""
    parts = [f"Lärpass: {item.session or NO_SESSION}"]
    parts.append(", ".join(item.regions) if item.regions else NO_REGION)
    if item.speakers:
        parts.append("talare: " + ", ".join(item.speakers))
    if item.source:
        parts.append(f"källa: {item.source}")
    return "— " + ", ".join(parts)


def _questions_with_items(note: BriefingNote) -> set[str]:
    return {" ".join(item.query.split()) for item in note.items}


# --------------------------------------------------------------------------- Markdown


def _md(text: object) -> str:
    return md_escape(text, export=True)


def _md_paragraphs(text: str) -> list[str]:
    """Non-empty lines of a text, escaped: each becomes its own Markdown paragraph."""
    return [_md(line) for line in (text or "").splitlines() if line.strip()]


def to_markdown(note: BriefingNote) -> str:
    """The note as Markdown: heading, own line, passages per session, questions asked."""
    out: list[str] = [f"# {_md(' '.join((note.heading or DEFAULT_HEADING).split()))}", ""]
    intro = _md_paragraphs(note.intro)
    for para in intro:
        out += [para, ""]
    if not note.items:
        out += ["*Inga stycken i anteckningen.*", ""]
    for session, items in _session_groups(note):
        regions = distinct_regions(item for _, item in items)
        head = _md(session)
        if regions:
            head += " — " + _md(", ".join(regions))
        out += [f"### {head}", ""]
        for n, item in items:
            paras = _md_paragraphs(item.text) or [""]
            quoted: list[str] = []
            for para in paras:
                if quoted:
                    quoted.append(">")
                quoted.append(f"> {para}".rstrip())
            out += quoted
            out += ["", f"[{n}] {_md(citation_text(item))}", ""]
            for para in _md_paragraphs(item.comment):
                out += [f"*Kommentar:* {para}", ""]
    if note.questions:
        answered = _questions_with_items(note)
        out += [f"## {QUESTIONS_HEADING}", ""]
        for q in note.questions:
            line = f"- {_md(' '.join(q.split()))}"
            if " ".join(q.split()) not in answered:
                line += f" ({NO_ITEMS_FOR_QUESTION})"
            out.append(line)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- Word

# XML 1.0 forbids most control characters; python-docx raises on them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: object) -> str:
    return _XML_INVALID.sub("", "" if text is None else str(text))


def _set_swedish(document) -> None:
    """Mark the default style as Swedish (spell checking, hyphenation in Word)."""
    from docx.oxml.ns import qn
    from docx.oxml.shared import OxmlElement

    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "sv-SE")


def to_docx(note: BriefingNote) -> bytes:
    """The note as a Word document (.docx bytes)."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    _set_swedish(doc)
    heading = _xml_safe(" ".join((note.heading or DEFAULT_HEADING).split()))
    doc.core_properties.title = heading[:255]
    doc.core_properties.language = "sv-SE"
    doc.add_heading(heading, level=1)
    for line in (note.intro or "").splitlines():
        if line.strip():
            doc.add_paragraph(_xml_safe(line.strip()))
    if not note.items:
        doc.add_paragraph("Inga stycken i anteckningen.")
    for session, items in _session_groups(note):
        regions = distinct_regions(item for _, item in items)
        title = session + (" — " + ", ".join(regions) if regions else "")
        doc.add_heading(_xml_safe(title), level=2)
        for n, item in items:
            for line in (item.text or "").splitlines():
                if line.strip():
                    doc.add_paragraph(_xml_safe(line.strip()), style="Quote")
            cite = doc.add_paragraph()
            run = cite.add_run(f"[{n}] ")
            run.bold = True
            run = cite.add_run(_xml_safe(citation_text(item)))
            run.font.size = Pt(9)
            if item.comment.strip():
                p = doc.add_paragraph()
                p.add_run("Kommentar: ").italic = True
                p.add_run(_xml_safe(" ".join(item.comment.split())))
    if note.questions:
        answered = _questions_with_items(note)
        doc.add_heading(QUESTIONS_HEADING, level=2)
        for q in note.questions:
            q = " ".join(q.split())
            text = q if q in answered else f"{q} ({NO_ITEMS_FOR_QUESTION})"
            doc.add_paragraph(_xml_safe(text), style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- CLI helper


def brief(
    searcher,
    queries: list[str],
    k: int = 3,
    *,
    heading: str = DEFAULT_HEADING,
    intro: str = "",
    only_confident: bool = True,
    min_share: float = MIN_SCORE_SHARE,
) -> BriefingNote:
    """A note with the top ``k`` passages of each question (``python -m confsearch brief``).

    With ``only_confident`` (the default) a question without a clear answer (see
    ``SearchResponse.confident``) is listed but contributes no passages, and of the others
    only hits that are themselves relevant are kept: not a "Svag träff" (dense cosine
    below the search's ``min_confidence``) and a fused score of at least ``min_share`` of
    the question's best hit. Raises :class:`confsearch.search.QueryError` for an unusable
    question.
    """
    note = BriefingNote(heading=heading, intro=intro)
    queries = [q for q in queries if q is not None]
    if not queries:
        return note
    min_conf = getattr(getattr(searcher, "config", None), "min_confidence", 0.0)
    for response in searcher.search_many(queries, k=k):
        note.add_question(response.query)
        if only_confident and not response.confident:
            continue
        top = response.hits[0].score if response.hits else 0.0
        for i, hit in enumerate(response.hits):
            if (
                only_confident
                and i > 0
                and (hit.dense < min_conf or (top > 0 and hit.score < min_share * top))
            ):
                continue
            note.add(hit, response.query)
    return note
