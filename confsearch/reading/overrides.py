"""A sidecar that lists sessions and speakers wins over the reader.

A user who sees a misreading in the listing (``documents``, the Korpus tab) writes the
right programme into the document's sidecar ``name.meta.json``::

    {"sessions": [{"title": "Smart specialisering", "label": "Pass 2", "time": "10.00",
                   "speakers": [{"name": "Anna Berg", "role": "moderator",
                                 "organisation": "Region Skåne"}]}]}

The listed sessions are then the document's sessions, in the sidecar's order: a read
session with the same title keeps its text (and so its passages) and takes the sidecar's
label, time and speakers; a listed session the reader did not find is listed without
text; a read session the sidecar does not list is kept as text around the sessions.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from confsearch.reading.documents import Person, Session
from confsearch.reading.speakers import acting_organisations
from confsearch.text import fold_key

MAX_SESSIONS = 500
PARTS = {"moderator", "panel", "talare"}


def _text(value: Any, limit: int = 300) -> str | None:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    s = " ".join(str(value).split())[:limit]
    return s or None


def read_sessions(sidecar: Path) -> list[dict[str, Any]] | None:
    """The sessions a sidecar lists (tidied), or None when it lists none or cannot be
    read (the sidecar's other fields are reported by :mod:`confsearch.reading.docmeta`)."""
    try:
        raw = json.loads(sidecar.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    listed = raw.get("sessions") if isinstance(raw, dict) else None
    if not isinstance(listed, list) or not listed:
        return None
    out = []
    for item in listed[:MAX_SESSIONS]:
        if isinstance(item, str):
            item = {"title": item}
        if not isinstance(item, dict) or not _text(item.get("title")):
            continue
        speakers = []
        for p in item.get("speakers") or []:
            if isinstance(p, str):
                p = {"name": p}
            if isinstance(p, dict) and _text(p.get("name")):
                role = _text(p.get("role"))
                part = role.lower() if role and role.lower() in PARTS else None
                speakers.append(
                    Person(
                        _text(p.get("name")) or "",
                        None if part else role,
                        _text(p.get("organisation") or p.get("organization")),
                        part,
                    )
                )
        out.append(
            {
                "title": _text(item.get("title")),
                "label": _text(item.get("label")),
                "time": _text(item.get("time")),
                "speakers": tuple(speakers) if "speakers" in item else None,
            }
        )
    return out or None


def _key(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold_key(title)).split())


def apply(sessions: list[Session], listed: list[dict[str, Any]] | None) -> list[Session]:
    """The document's sessions as the sidecar lists them (see the module docstring)."""
    if not listed:
        return sessions
    by_title: dict[str, Session] = {}
    for s in sessions:
        by_title.setdefault(_key(s.title), s)
    used: set[int] = set()
    chosen: list[Session] = []
    doc_id = sessions[0].doc_id if sessions else ""
    source = sessions[0].source if sessions else ""
    for item in listed:
        read = by_title.get(_key(item["title"]))
        if read is not None and id(read) not in used:
            used.add(id(read))
            session = replace(
                read,
                title=item["title"],
                label=item["label"] or read.label,
                time=item["time"] or read.time,
                speakers=read.speakers if item["speakers"] is None else item["speakers"],
                kind="session",
            )
        else:
            session = Session(
                title=item["title"],
                doc_id=doc_id,
                source=source,
                regions=(),
                speakers=item["speakers"] or (),
                paragraphs=(),
                quotes=(),
                links=(),
                start=0,
                end=0,
                label=item["label"],
                time=item["time"],
            )
        chosen.append(replace(session, organisations=acting_organisations(session)))
    rest = [replace(s, kind="part") for s in sessions if id(s) not in used]
    return [*chosen, *rest]
