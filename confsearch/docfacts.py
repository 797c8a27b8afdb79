"""Organiser, date and year as running text states them.

Labelled lines ("Arrangör: …", "Datum: …") are read by :mod:`confsearch.docmeta`, and
win. Many pages have none and say it in a sentence: "Konferensen arrangeras av Reglab i
samarbete med Region Skåne", "Välkommen till Tillväxtverkets konferens", a date line
"22 oktober 2019" or "25–26 mars 2015" under the heading. This layer fills in what the
labelled lines leave open.
"""

from __future__ import annotations

import re
from typing import Any

from confsearch import orgs

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
_MONTH = "|".join(MONTHS)
DATE_RE = re.compile(
    rf"(?<!\d)(?P<date>(?:(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en)?\s+(?:den\s+)?)?"
    rf"\d{{1,2}}(?:\s*(?:[–-]|och)\s*\d{{1,2}})?\s+(?:{_MONTH})"
    rf"(?:\s*[–-]\s*\d{{1,2}}\s+(?:{_MONTH}))?\s+(?P<year>(?:19|20)\d\d))(?!\d)",
    re.IGNORECASE,
)
ISO_RE = re.compile(r"(?<![\d-])(?P<date>(?P<year>(?:19|20)\d\d)-[01]\d-[0-3]\d)(?![\d-])")
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_ORG_SPAN = (
    r"(?P<org>[A-ZÅÄÖ][\w&-]*(?:[ \t]+(?:(?:och|för|i|av|med|på)[ \t]+)?[A-ZÅÄÖ0-9][\w&:-]*){0,8})"
)
ORGANISER_RES = (
    re.compile(
        rf"\b(?:arrangeras|arrangerades|anordnas|anordnades|organiseras)\s+av\s+{_ORG_SPAN}"
    ),
    re.compile(rf"\b(?:Arrangör|Arrangörer|Arrangeras av)\s+(?:är\s+)?{_ORG_SPAN}"),
    re.compile(rf"\b(?:Ett\s+)?samarrangemang\s+(?:mellan|av)\s+{_ORG_SPAN}"),
    re.compile(rf"{_ORG_SPAN}\s+(?:arrangerar|arrangerade|bjuder in|bjöd in|anordnar)\b"),
    re.compile(rf"\bVälkommen\s+till\s+{_ORG_SPAN}:?s\s+\w*(?:konferens|dag|seminarium)"),
)
CO_ORGANISER_RE = re.compile(rf"\bi\s+samarbete\s+med\s+{_ORG_SPAN}")
HEAD_CHARS = 3000


def _org(span: str) -> str | None:
    """The organisation at the start of ``span`` as written, if it is one."""
    span = span.strip(" ,.")
    for m in orgs.find(span):
        if m.start == 0:
            return m.text
    words = span.split()
    # an organisation the register and the patterns do not know: a short capitalised name
    if 1 <= len(words) <= 4 and all(w[:1].isupper() or w in ("och", "för", "i") for w in words):
        return span
    return None


def organiser(text: str) -> str | None:
    """The organiser(s) a text names in running text, as written ("Reglab och Region
    Skåne" when both are named), or None."""
    head = text[:HEAD_CHARS]
    found: list[str] = []
    for pattern in ORGANISER_RES:
        m = pattern.search(head) or pattern.search(text)
        if m:
            name = _org(m.group("org"))
            if name:
                found.append(name)
                break
    if not found:
        return None
    co = CO_ORGANISER_RE.search(head)
    if co:
        name = _org(co.group("org"))
        if name and not orgs.same(name, found[0]):
            found.append(name)
    return " och ".join(found)


def date(text: str) -> tuple[str, int] | None:
    """The first date written near the start (the event's), and its year."""
    head = text[:HEAD_CHARS]
    for regex in (DATE_RE, ISO_RE):
        m = regex.search(head)
        if m:
            return " ".join(m.group("date").split()), int(m.group("year"))
    return None


def text_fields(text: str, title: str | None) -> dict[str, Any]:
    """Organiser, date and year from running text (lowest precedence of the text layers)."""
    out: dict[str, Any] = {}
    name = organiser(text)
    if name:
        out["organiser"] = name
    found = date(text)
    if found:
        out["date"], out["year"] = found
    elif title and YEAR_RE.search(title):
        out["year"] = int(YEAR_RE.search(title).group(1))
    else:
        years = YEAR_RE.findall(text[:HEAD_CHARS])
        if years:
            out["year"] = int(years[0])
    return out
