"""Organiser, date and year as running text states them.

Labelled lines ("Arrangör: …", "Datum: …") are read by :mod:`confsearch.reading.docmeta`, and
win. Many pages have none and say it in a sentence: "Konferensen arrangeras av Reglab i
samarbete med Region Skåne", "Välkommen till Tillväxtverkets konferens", a date line
"22 oktober 2019" or "25–26 mars 2015" under the heading. This layer fills in what the
labelled lines leave open.
"""

from __future__ import annotations

import re
from typing import Any

from confsearch.patterns import MONTHS, YEAR
from confsearch.reading import orgs

_MONTH = "|".join(MONTHS)
DATE_RE = re.compile(
    rf"(?<!\d)(?:(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en)?\s+(?:den\s+)?)?(?P<date>"
    rf"\d{{1,2}}(?:\s*(?:[–-]|och)\s*\d{{1,2}})?\s+(?:{_MONTH})"
    rf"(?:\s*[–-]\s*\d{{1,2}}\s+(?:{_MONTH}))?\s+(?P<year>{YEAR}))(?!\d)",
    re.IGNORECASE,
)
ISO_RE = re.compile(rf"(?<![\d-])(?P<date>(?P<year>{YEAR})-[01]\d-[0-3]\d)(?![\d-])")
YEAR_RE = re.compile(rf"(?<!\d)({YEAR})(?!\d)")
HEAD_CHARS = 3000
_RAW = r"(?P<org>[A-ZÅÄÖ][^.;!?\n]{1,160})"
_FORWARD = (
    re.compile(
        r"\b(?:arrangeras|arrangerades|anordnas|anordnades|organiseras|organiserades|"
        rf"genomförs|genomfördes)\s+av\s+{_RAW}"
    ),
    re.compile(rf"\b(?:[Ee]tt\s+)?samarrangemang\s+(?:mellan|av)\s+{_RAW}"),
    re.compile(
        r"\bVälkommen\s+till\s+(?P<org>[A-ZÅÄÖ][\w&: -]{1,80}?):?s\s+\w*"
        r"(?:konferens|dag|dagar|seminarium|forum|träff|möte)"
    ),
)
_BACKWARD = re.compile(
    r"\s(?:arrangerar|arrangerade|bjuder\s+in|bjöd\s+in|anordnar|anordnade|står\s+bakom|"
    r"stod\s+bakom)\b"
)
CO_ORGANISER_RE = re.compile(rf"\b(?:i\s+samarbete|tillsammans)\s+med\s+{_RAW}")


def _leading_orgs(span: str) -> list[str]:
    """The organisations that open ``span``, joined by "och" or commas, as written:
    "Region Dalarna och Länsstyrelsen i Dalarnas län bjöd in" → both."""
    out: list[str] = []
    rest = span.strip()
    while rest:
        name = _org(rest)
        if not name:
            break
        out.append(name)
        rest = rest[len(name) :]
        rest = re.sub(r"^:?s\b", "", rest)  # a genitive: "Tillväxtverkets konferens"
        m = re.match(r"\s*(?:,|och|&)\s+(?=[A-ZÅÄÖ])", rest)
        if not m:
            break
        rest = rest[m.end() :]
    return out


def _org(span: str) -> str | None:
    """The organisation at the start of ``span`` as written, if it is one."""
    span = span.strip(" ,.")
    for m in orgs.find(span):
        if m.start == 0:
            return orgs.extend_place(span, m.end, m.text)
        break
    run = re.match(r"[A-ZÅÄÖ][\w&-]*(?:\s+[A-ZÅÄÖ0-9][\w&-]*){0,3}", span)
    if not run:
        return None
    words = run.group(0).split()
    # an organisation the register and the patterns do not know: a short capitalised name
    if words[0] in ("Den", "Det", "De", "Vi", "Konferensen", "Dagen", "Välkommen"):
        return None
    return run.group(0)


def organiser(text: str) -> str | None:
    """The organiser(s) a text names in running text, as written ("Region Dalarna och
    Länsstyrelsen i Dalarnas län" when both invite), or None. A partner named with "i
    samarbete med" is not the organiser (see :func:`co_organisers`)."""
    head = text[:HEAD_CHARS]
    for pattern in _FORWARD:
        m = pattern.search(head)
        if m:
            span = m.group("org")
            span = re.split(r"\s+(?:i\s+samarbete|tillsammans)\s+med\s+", span)[0]
            found = _leading_orgs(" ".join(span.split()))
            if found:
                return " och ".join(found)
    for m in _BACKWARD.finditer(head):
        pre = re.split(r"[.!?\n]", head[max(0, m.start() - 200) : m.start()])[-1]
        pre = " ".join(pre.split())
        mentions = [x for x in orgs.find(pre) if x.end >= len(pre.rstrip()) - 1]
        if mentions:
            start = mentions[-1].start
            chained = [x for x in orgs.find(pre) if x.start <= start]
            names = [mentions[-1].text]
            for x in reversed(chained[:-1]):
                between = pre[x.end : start]
                if re.fullmatch(r"\s*(?:,|och|&)\s*", between):
                    names.insert(0, x.text)
                    start = x.start
                else:
                    break
            return " och ".join(names)
    return None


def co_organisers(text: str) -> list[str]:
    """Partners named with "i samarbete med" / "tillsammans med" near the start."""
    out: list[str] = []
    for m in CO_ORGANISER_RE.finditer(text[:HEAD_CHARS]):
        out.extend(_leading_orgs(m.group("org")))
    return out


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
    elif title and (in_title := YEAR_RE.search(title)):
        out["year"] = int(in_title.group(1))
    else:
        years = YEAR_RE.findall(text[:HEAD_CHARS])
        if years:
            out["year"] = int(years[0])
    return out
