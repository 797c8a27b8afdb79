"""One item of a briefing note (:mod:`confsearch.answers.briefing`): a pinned passage
with a copy of its text and citation (so the note stays readable after a re-index), or a
pinned answer, whose sentences each carry the citation of the passage they come from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from confsearch.answers.citation import Source, cite, unknown_source
from confsearch.messages import NO_SESSION

ANSWER_PREFIX = "svar-"  # a pinned answer's id: not a passage of the index
ANSWER_SESSION = "Svar från Konferenssök"  # its group in the note


@dataclass
class NoteItem:
    passage_id: str
    text: str
    session: str
    regions: list[str]
    speakers: list[str]
    source: str  # the corpus file
    query: str
    comment: str = ""
    # the cited document (confsearch.answers.citation.Source fields); {} for a note kept from
    # before documents had metadata: then it is cited by its file
    document: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> NoteItem:
        doc = d.get("document")
        return cls(
            passage_id=str(d.get("passage_id", "")),
            text=str(d.get("text", "")),
            session=str(d.get("session", "") or ""),
            regions=[str(r) for r in d.get("regions") or []],
            speakers=[str(s) for s in d.get("speakers") or []],
            source=str(d.get("source", "") or ""),
            query=str(d.get("query", "") or ""),
            comment=str(d.get("comment", "") or ""),
            document=dict(doc) if isinstance(doc, dict) else {},
        )

    def cited(self) -> Source:
        """The document this passage is cited from."""
        if not self.document:
            return unknown_source(self.source)
        known = {k: v for k, v in self.document.items() if k in Source.__dataclass_fields__}
        return Source(**{"title": self.source, **known})

    def citation(self) -> str:
        """ "Lärpass · Region · Talare — Dokument (Arrangör, år)" (plain text)."""
        return cite(self.session or NO_SESSION, self.regions, self.speakers, self.cited())


def note_from_passage(
    p, query: str, source: Source | None = None, *, comment: str = ""
) -> NoteItem:
    """A note item from a passage (:class:`confsearch.reading.documents.Passage`), its question and
    the document it comes from (:func:`confsearch.answers.citation.sources`)."""
    return NoteItem(
        passage_id=p.id,
        text=p.text,
        session=p.session or "",
        regions=list(p.regions),
        speakers=list(p.speakers),
        source=p.source or "",
        query=query or "",
        comment=comment,
        document=asdict(source) if source is not None else {},
    )


def note_from_answer(query: str, sentences: Iterable[tuple[str, str]]) -> NoteItem:
    """A pinned answer: its sentences, each followed by the citation of the passage it
    was taken from ((text, citation) pairs), so the note says where every sentence
    stands without the page's card numbers. One per question (its id is the question's)."""
    q = " ".join((query or "").split())
    lines = [f"{' '.join(text.split())} ({citation})" for text, citation in sentences]
    return NoteItem(
        passage_id=ANSWER_PREFIX + hashlib.sha1(q.encode("utf-8")).hexdigest()[:12],
        text="\n".join(lines),
        session=ANSWER_SESSION,
        regions=[],
        speakers=[],
        source="",
        query=q,
    )


def is_answer(item: object) -> bool:
    """A pinned answer: its citations are in its text, it has no passage in the index."""
    return str(getattr(item, "passage_id", "")).startswith(ANSWER_PREFIX)


def note_from_hit(hit, query: str, source: Source | None = None) -> NoteItem:
    """A note item from a search hit (:class:`confsearch.retrieval.search.Hit`)."""
    return note_from_passage(hit.passage, query, source)
