"""What was read: every document with its metadata and its sessions in order.

A user who doubts a citation needs to see how a document was read – its title,
organiser, year and which sessions, speakers and organisations were found – and can then
correct it with a sidecar ``name.meta.json``. The CLI (``documents``), the HTTP API
(``GET /documents``) and the Korpus tab show this same listing.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from confsearch.reading import docfacts, orgs
from confsearch.reading.corpus import read_corpus
from confsearch.reading.documents import CorpusResult, Document, Person
from confsearch.reading.speakers import unique


def _person(p: Person) -> dict[str, Any]:
    return {"name": p.name, "role": p.role, "organisation": p.organisation, "part": p.part}


def describe_document(doc: Document, passage_counts: Counter[tuple[str, str]]) -> dict[str, Any]:
    """One document as plain data (JSON-ready)."""
    meta = doc.metadata
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "format": meta.get("format"),
        "title": doc.title,
        "organiser": meta.get("organiser"),
        "event": meta.get("event"),
        "date": meta.get("date"),
        "year": meta.get("year"),
        "sessions": [
            {
                "title": s.title,
                "label": s.label,
                "time": s.time,
                "speakers": [_person(p) for p in s.speakers],
                "organisations": list(s.organisations or s.regions),
                "regions": list(s.regions),
                "passages": passage_counts[(doc.doc_id, s.title)],
            }
            for s in doc.sessions
            if s.kind == "session"
        ],
        "acting_organisations": acting(doc),
    }


def acting(doc: Document) -> list[str]:
    """The organisations acting in a document, as written: its organiser and its
    sessions' speakers' and presenting organisations (never a venue or a mere mention)."""
    names = [*organiser_names(doc.metadata.get("organiser")), *docfacts.co_organisers(doc.text)]
    for s in doc.sessions:
        if s.kind == "session":
            names.extend(s.organisations)
    return unique(names)


def organiser_names(organiser: str | None) -> list[str]:
    """ "Reglab och Region Skåne" → both; one name that contains "och" stays whole."""
    if not organiser:
        return []
    if orgs.is_organisation(organiser):
        return [organiser]
    mentions = [m for m in orgs.find(organiser) if not m.genitive]
    if mentions:
        return unique(orgs.extend_place(organiser, m.end, m.text) for m in mentions)
    parts = [p.strip() for p in re.split(r"\s*(?:,|;|\boch\b|&|\bi samarbete med\b)\s*", organiser)]
    parts = [p for p in parts if p]
    if len(parts) > 1 and all(orgs.is_organisation(p) or p[:1].isupper() for p in parts):
        return parts
    return [organiser]


def describe(result: CorpusResult) -> list[dict[str, Any]]:
    """Every document of a read corpus, in reading order."""
    counts: Counter[tuple[str, str]] = Counter((p.doc_id, p.session) for p in result.passages)
    return [describe_document(d, counts) for d in result.documents]


def list_documents(corpus_dir: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The listing of a corpus folder and the Swedish messages about files not read."""
    result = read_corpus(Path(corpus_dir))
    return describe(result), [e.message for e in result.errors]


def format_listing(docs: list[dict[str, Any]]) -> str:
    """The listing as plain Swedish text, one block per document."""
    lines: list[str] = []
    for d in docs:
        lines.append(f"{d['title']}  ({d['source']})")
        facts = [
            f"Arrangör: {d['organiser']}" if d.get("organiser") else "",
            f"Evenemang: {d['event']}" if d.get("event") else "",
            f"Datum: {d['date']}" if d.get("date") else "",
            f"År: {d['year']}" if d.get("year") and not d.get("date") else "",
        ]
        if any(facts):
            lines.append("  " + " · ".join(f for f in facts if f))
        for n, s in enumerate(d["sessions"], 1):
            head = " ".join(x for x in (s.get("time"), s.get("label")) if x)
            lines.append(f"  {n}. {head + ' ' if head else ''}{s['title']}  [{s['passages']} st.]")
            for p in s["speakers"]:
                extra = ", ".join(x for x in (p.get("role"), p.get("organisation")) if x)
                part = f" ({p['part']})" if p.get("part") else ""
                lines.append(f"       – {p['name']}{part}{', ' + extra if extra else ''}")
            if s["organisations"]:
                lines.append(f"       Organisationer: {', '.join(s['organisations'])}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
