"""Programme tables: a timetable set as a table, one row per item.

Markdown tables ("| 09.00 | Välkommen | Anna Berg, SKR |") and Word tables (rows the reader
joins with " | ") are read by their header ("Tid | Programpunkt | Medverkande | Lokal") or,
without one, by the shape of their cells: a time, people, a title.
"""

from __future__ import annotations

import re

from confsearch.reading.documents import Person
from confsearch.reading.proglines import TIME_ONLY_RE, WORDS, Item, numbered, speaker_cell
from confsearch.text import fold

_SEPARATOR_RE = re.compile(r"^[\s|:+-]+$")
HEADER_ROLES = {
    role: frozenset(fold(w) for w in names) for role, names in WORDS["table_headers"].items()
}


def table_cells(line: str) -> list[str] | None:
    """The cells of a table row written as a line ("| 09.00 | Välkommen | Anna Berg |",
    or a Word table row the reader joined with " | "), or None."""
    s = line.strip()
    if "|" not in s or (" | " not in s and not s.startswith("|")):
        return None
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def is_separator_row(line: str) -> bool:
    return bool(_SEPARATOR_RE.match(line)) and "-" in line


def header_columns(cells: list[str]) -> dict[int, str] | None:
    """Column index → role for a header row ("Tid | Programpunkt | Medverkande")."""
    roles: dict[int, str] = {}
    for i, cell in enumerate(cells):
        key = fold(cell.strip("*_ :"))
        for role, names in HEADER_ROLES.items():
            if key in names:
                roles[i] = role
    return roles if len(roles) >= 2 and len(roles) >= len([c for c in cells if c]) - 1 else None


def table_row(
    cells: list[str], columns: dict[int, str] | None
) -> tuple[Item, tuple[Person, ...]] | None:
    """A programme item from a table row: time, title (with its label) and people."""
    time = title = None
    people: tuple[Person, ...] = ()
    for i, cell in enumerate(cells):
        if not cell:
            continue
        role = (columns or {}).get(i)
        if role is None:
            if TIME_ONLY_RE.match(cell):
                role = "time"
            elif speaker_cell(cell):
                role = "people"
            elif title is None:
                role = "title"
            else:
                role = "room"
        if role == "time" and time is None:
            m = TIME_ONLY_RE.match(cell)
            time = re.sub(r"\s*(?:[-–—]|till)\s*", "–", m.group("time")) if m else cell
        elif role == "title" and title is None:
            title = cell
        elif role == "people":
            people += speaker_cell(cell)
    if not title or (time is None and not columns):
        return None  # a table of facts, not a programme
    inner = numbered(title)
    if inner is not None and inner.title:
        return Item(inner.title, time, inner.label), people
    return Item(title.strip("*_ "), time, None), people
