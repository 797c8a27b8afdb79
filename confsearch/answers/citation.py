"""How a passage is cited, everywhere: "Lärpass · Region · Talare — Dokument (Arrangör, år)".

Cards, answers, ``brief`` and both exports use these functions, so a manager sees the
same reference wherever a passage comes from. The document's fields (title, organiser,
event, date, year, web address) are read with the corpus (:mod:`confsearch.reading.docmeta`) and
travel in the index manifest (:class:`confsearch.retrieval.store.DocumentInfo`); nothing about a
passage's own data changes. What is unknown is left out, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from confsearch.messages import and_list, count_noun
from confsearch.text import fold


@dataclass(frozen=True)
class Source:
    """The document a passage comes from, as it is cited."""

    title: str
    organiser: str = ""
    event: str = ""
    date: str = ""
    year: int | None = None
    url: str = ""
    file: str = ""  # the corpus file, for the Korpus tab; never part of a citation

    @classmethod
    def from_metadata(cls, title: str, metadata: dict[str, Any], file: str = "") -> Source:
        year = metadata.get("year")
        return cls(
            title=title or file,
            organiser=str(metadata.get("organiser") or ""),
            event=str(metadata.get("event") or ""),
            date=str(metadata.get("date") or ""),
            year=year if isinstance(year, int) else None,
            url=str(metadata.get("url") or ""),
            file=file,
        )

    @property
    def when(self) -> str:
        """The year if known (what a short citation needs), else the date as written."""
        return str(self.year) if self.year else self.date

    def label(self) -> str:
        """ "Dokument (Arrangör, år)"; the parts that are unknown are left out."""
        extra = [p for p in (self.organiser, self.when) if p]
        return f"{self.title} ({', '.join(extra)})" if extra else self.title

    def reference(self) -> str:
        """The full reference for a list of sources: title, event and date, organiser.

        "Följ med … 2022. Reglabs årskonferens 2022, 9–10 februari 2022. Arrangör: Reglab."
        The event is left out when the title already names it; the address is not
        included (exports link it).
        """
        parts = [self.title]
        occasion = [self.event] if self.event and fold(self.event) not in fold(self.title) else []
        if self.date or self.year:
            occasion.append(self.date or str(self.year))
        if occasion:
            parts.append(", ".join(occasion))
        if self.organiser:
            parts.append(f"Arrangör: {self.organiser}")
        return ". ".join(p.rstrip(".") for p in parts) + "."


def sources(documents: Iterable[Any]) -> dict[str, Source]:
    """doc_id → :class:`Source` for the manifest's documents (``DocumentInfo``)."""
    return {
        d.doc_id: Source.from_metadata(d.title, dict(d.metadata or {}), d.source) for d in documents
    }


def unknown_source(file: str) -> Source:
    """A source nothing is known about but its file (an index from before metadata)."""
    return Source(title=file, file=file)


def head(session: str, regions: Iterable[str], speakers: Iterable[str]) -> str:
    """ "Lärpass · Region · Talare" (the parts that are known)."""
    parts = [session, ", ".join(regions), ", ".join(speakers)]
    return " · ".join(p for p in parts if p)


def cite(session: str, regions: Iterable[str], speakers: Iterable[str], source: Source) -> str:
    """ "Lärpass · Region · Talare — Dokument (Arrangör, år)" as plain text."""
    front = head(session, regions, speakers)
    return f"{front} — {source.label()}" if front else source.label()


def describe_collection(all_sources: Iterable[Source]) -> str:
    """Where the texts come from, for the landing page: "Reglabs årskonferens 2022
    (Reglab)"; several events are joined with "och"; "" when nothing is known."""
    seen: dict[str, None] = {}
    for s in all_sources:
        what = s.event or (s.title if s.organiser else "")
        if not what:
            continue
        if s.organiser and fold(s.organiser) not in fold(what):
            what = f"{what} ({s.organiser})"
        seen.setdefault(what)
    return and_list(list(seen))


def source_of(sources: dict, passage):
    """The document a passage came from, or a plain one named after its file."""
    return sources.get(passage.doc_id) or unknown_source(passage.source)


def collection_caption(sources: dict) -> str:
    """ "Texterna kommer från Reglabs årskonferens 2022." (+ other documents, counted)."""
    known = describe_collection(sources.values())
    rest = [s for s in sources.values() if not describe_collection([s])]
    if not known:
        return ""
    extra = f" och {count_noun(len(rest), 'annat dokument', 'andra dokument')}"
    return f"Texterna kommer från {known}{extra if rest else ''}."
