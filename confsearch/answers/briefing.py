"""Briefing notes: passages a user pins while searching, exported as Markdown or Word.

A :class:`BriefingNote` is plain data (``to_dict``/``from_dict``) so the page can keep it
in ``st.session_state`` and the CLI can build one from a list of questions (:func:`brief`).

Both exports are meant to be sent on as they are: the note's heading and date, the
passages grouped by lärpass, each with a citation line "Lärpass · Region · Talare —
Dokument (Arrangör, år)" (:mod:`confsearch.answers.citation`) linked to the document where its
address is known, the user's comments, the questions asked and a list of sources. The
corpus text is kept exactly as written: the author's ``*emphasis*`` stays emphasis and
web addresses become real links; every other character that has a meaning in Markdown
is backslash-escaped (no HTML entities), so a passage containing ``<script>`` or
``[länk](http://…)`` shows those characters. The Word export is :mod:`confsearch.answers.wordnote`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from confsearch.answers.citation import Source, head, sources
from confsearch.answers.noteitem import (
    NoteItem,
    is_answer,
    note_from_answer,
    note_from_hit,
    note_from_passage,
)
from confsearch.markup import md_escape, md_rich
from confsearch.messages import NO_SESSION, SOURCES, count_noun
from confsearch.patterns import MONTHS
from confsearch.reading.documents import distinct_regions
from confsearch.retrieval.search import Searcher
from confsearch.tuning import MIN_SCORE_SHARE

__all__ = [
    "BriefingNote",
    "NoteItem",
    "brief",
    "export_filename",
    "is_answer",
    "note_from_answer",
    "note_from_hit",
    "note_from_passage",
    "swedish_date",
    "to_markdown",
]

DEFAULT_HEADING = "Underlag"
APP_NAME = "Konferenssök"
QUESTIONS_HEADING = "Frågor som ställdes"
SOURCES_HEADING = SOURCES  # "## Källor"
NO_ITEMS_FOR_QUESTION = "inga stycken i anteckningen"
NO_ITEMS = "Inga stycken i anteckningen."
_SPOKEN = re.compile(r"^[-–—]\s+")  # a spoken line's dash at the start of a line


def swedish_date(day: dt.date) -> str:
    """ "27 november 2026" (how a Swedish note is dated)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dateline(day: dt.date, items: int, heading: str = "") -> str:
    """ "Anteckning från Konferenssök, 27 november 2026 · 3 stycken" – without its
    opening words when the heading already says them (the page's default heading)."""
    count = count_noun(items, "stycke", "stycken")
    opening = f"Anteckning från {APP_NAME}"
    if heading.casefold().startswith(opening.casefold()):
        return f"{swedish_date(day).capitalize()} · {count}"
    return f"{opening}, {swedish_date(day)} · {count}"


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

    def add(self, hit, query: str, source: Source | None = None) -> bool:
        """Pin a hit; False (and nothing changes) if its passage is already in the note."""
        return self.add_item(note_from_hit(hit, query, source))

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


def session_groups(note: BriefingNote) -> list[tuple[str, list[tuple[int, NoteItem]]]]:
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


def questions_with_items(note: BriefingNote) -> set[str]:
    return {" ".join(item.query.split()) for item in note.items}


def note_sources(note: BriefingNote) -> list[Source]:
    """The documents the note cites, each once, in order of first citation (a pinned
    answer names its documents in its sentences' citations)."""
    seen: dict[tuple, Source] = {}
    for item in note.items:
        if is_answer(item):
            continue
        src = item.cited()
        seen.setdefault((src.title, src.url, src.file), src)
    return list(seen.values())


def note_heading(note: BriefingNote) -> str:
    return " ".join((note.heading or DEFAULT_HEADING).split())


def export_filename(name: str, extension: str, day: dt.date | None = None) -> str:
    """A safe ASCII file name from a note's name or heading, with the day if given
    ("Cykling i Skåne", 6 Dec 2026 -> "cykling-i-skane-2026-12-06.docx"): a downloads
    folder of notes stays tellable apart, and no character trips any file system."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    stem = "-".join("".join(c if c.isalnum() else " " for c in folded).split())[:80]
    stem = stem.strip("-") or "anteckning"
    return f"{stem}-{day.isoformat()}.{extension}" if day else f"{stem}.{extension}"


# --------------------------------------------------------------------------- Markdown


def _md(text: object) -> str:
    return md_escape(text, export=True)


def quote_line(line: str) -> str:
    """A line of a quoted passage as the note shows it: a spoken line written "- Vi har …"
    in the texts starts with the Swedish dialogue dash ("– Vi har …"), which is neither a
    list in Markdown (no "\\- " escape) nor a stray hyphen in Word."""
    return _SPOKEN.sub("– ", " ".join(line.split()))


def _md_paragraphs(text: str, *, rich: bool = False) -> list[str]:
    """Non-empty lines of a text, escaped: each becomes its own Markdown paragraph.
    ``rich``: corpus text, whose emphasis and web addresses are kept (markup.md_rich)."""
    if rich:
        return [md_rich(quote_line(line)) for line in (text or "").splitlines() if line.strip()]
    return [_md(line) for line in (text or "").splitlines() if line.strip()]


def _md_link(text: str, url: str) -> str:
    return f"[{_md(text)}](<{url}>)" if url else _md(text)


def _md_citation(item: NoteItem) -> str:
    src = item.cited()
    front = head(item.session or NO_SESSION, item.regions, item.speakers)
    doc = _md_link(src.title, src.url)
    extra = [p for p in (src.organiser, src.when) if p]
    label = f"{doc} ({_md(', '.join(extra))})" if extra else doc
    return f"{_md(front)} — {label}"


def to_markdown(note: BriefingNote, *, today: dt.date | None = None) -> str:
    """The note as Markdown: heading and date, own lines, passages per session with
    their citations and comments, questions asked, sources."""
    today = today or dt.date.today()
    out: list[str] = [
        f"# {_md(note_heading(note))}",
        "",
        f"*{_md(dateline(today, len(note), note_heading(note)))}*",
        "",
    ]
    for para in _md_paragraphs(note.intro):
        out += [para, ""]
    if not note.items:
        out += [f"*{NO_ITEMS}*", ""]
    for session, items in session_groups(note):
        regions = distinct_regions(item for _, item in items)
        title = _md(session)
        if regions:
            title += " — " + _md(", ".join(regions))
        out += [f"### {title}", ""]
        for n, item in items:
            paras = _md_paragraphs(item.text, rich=True) or [""]
            quoted: list[str] = []
            for para in paras:
                if quoted:
                    quoted.append(">")
                quoted.append(f"> {para}".rstrip())
            out += quoted
            out += [""] if is_answer(item) else ["", f"[{n}] {_md_citation(item)}", ""]
            for para in _md_paragraphs(item.comment):
                out += [f"*Kommentar:* {para}", ""]
    if note.questions:
        answered = questions_with_items(note)
        out += [f"## {QUESTIONS_HEADING}", ""]
        for q in note.questions:
            line = f"- {_md(' '.join(q.split()))}"
            if " ".join(q.split()) not in answered:
                line += f" ({NO_ITEMS_FOR_QUESTION})"
            out.append(line)
        out.append("")
    sources = note_sources(note)
    if sources:
        out += [f"## {SOURCES_HEADING}", ""]
        for src in sources:
            ref = _md(src.reference())
            if src.url:
                ref += f" <{src.url}>"
            out.append(f"- {ref}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- CLI helper


def brief(
    searcher: Searcher,
    queries: list[str],
    k: int = 3,
    *,
    heading: str = DEFAULT_HEADING,
    intro: str = "",
    only_confident: bool = True,
    min_share: float = MIN_SCORE_SHARE,
    region: str | None = None,
    session: str | None = None,
) -> BriefingNote:
    """A note with the top ``k`` passages of each question (``python -m confsearch brief``).

    With ``only_confident`` (the default) a question without a clear answer (see
    ``SearchResponse.confident``) is listed but contributes no passages, and of the others
    only hits that are themselves relevant are kept: not a "Svag träff" (dense cosine
    below the search's ``min_confidence``) and a fused score of at least ``min_share`` of
    the question's best hit. ``region``/``session`` filter the search as in ``ask``.
    Raises :class:`confsearch.query.QueryError` for an unusable question.
    """
    note = BriefingNote(heading=heading, intro=intro)
    queries = [q for q in queries if q is not None]
    if not queries:
        return note
    min_conf = getattr(getattr(searcher, "config", None), "min_confidence", 0.0)
    cited = sources(searcher.index.manifest.documents)
    for response in searcher.search_many(queries, k=k, region=region, session=session):
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
            note.add(hit, response.query, cited.get(hit.passage.doc_id))
    return note
