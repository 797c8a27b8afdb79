"""Speakers named in running text, people merged across forms, and acting organisations.

:mod:`confsearch.people` reads speakers next to speech verbs and on presenter lines.
Programmes and news items also name them as the subject of a passive ("Dagen öppnas av
Anders Henriksson, SKR", "Samtalet leds av Eva Lind, Region Skåne"). The organisations
that *act* in a session – the speakers' organisations and those presenting ("Region
Gävleborg berättar om …") – are told from those merely mentioned, and from the venue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from confsearch import orgs
from confsearch.documents import Person, Session
from confsearch.people import _NAMES, _REST, _classify_rest, _split_names, _valid_name
from confsearch.regions import PRESENTING_VERBS
from confsearch.text import fold_key, strip_emphasis

_PASSIVE = {
    "öppnas": "talare",
    "inleds": "talare",
    "invigs": "talare",
    "avslutas": "talare",
    "hålls": "talare",
    "presenteras": "talare",
    "ges": "talare",
    "leds": "moderator",
    "modereras": "moderator",
    "ledde": "moderator",
}
_PASSIVE_RE = re.compile(
    rf"\b(?P<verb>{'|'.join(_PASSIVE)})[ \t]+(?:[a-zåäö]+[ \t]+)?av[ \t]+{_NAMES}{_REST}"
)
_PRESENTING_RE = re.compile(
    r"^(?:,\s*)?\s+(?:även\s+|också\s+)?(?:" + "|".join(PRESENTING_VERBS) + r")\b"
)


def running_text_speakers(paragraphs: Sequence[str]) -> list[Person]:
    """People named as the agent of a passive ("… öppnas av Anna Berg, SKR")."""
    found: list[Person] = []
    for paragraph in paragraphs:
        text = strip_emphasis(paragraph)
        for m in _PASSIVE_RE.finditer(text):
            role, org = _classify_rest(m.group("rest") or "")
            part = _PASSIVE[m.group("verb")]
            for name in _split_names(m.group("names")):
                if _valid_name(name):
                    found.append(Person(name, role, org, part))
    return found


def _key(name: str) -> str:
    return " ".join(fold_key(name).replace("-", " ").split())


def merge_people(people: Iterable[Person]) -> tuple[Person, ...]:
    """Each person once (first spelling kept), role, organisation and part filled in from
    whichever mention gives them."""
    merged: dict[str, list] = {}
    for p in people:
        key = _key(p.name)
        if key not in merged:
            merged[key] = [p.name, p.role, p.organisation, p.part]
        else:
            entry = merged[key]
            entry[1] = entry[1] or p.role
            entry[2] = entry[2] or p.organisation
            entry[3] = entry[3] or p.part
    return tuple(Person(*v) for v in merged.values())


def affiliations(person: Person) -> list[str]:
    """The organisations a speaker is written as belonging to, as written."""
    out = []
    for seg in (person.organisation or "").split(", "):
        seg = seg.strip()
        if seg and (orgs.is_organisation(seg) or seg[:1].isupper()):
            out.append(seg)
    return out


def unique(names: Iterable[str]) -> list[str]:
    """Organisations each once (one register entry written two ways counts once)."""
    out: list[str] = []
    for name in names:
        if name and not any(orgs.same(name, o) for o in out):
            out.append(name)
    return out


def presenting(text: str) -> list[str]:
    """Organisations that are the subject of a presenting verb ("Region Skåne berättar")."""
    out = []
    for m in orgs.find(text):
        if not m.genitive and _PRESENTING_RE.match(text[m.end : m.end + 40]):
            out.append(m.text)
    return out


def acting_organisations(session: Session) -> tuple[str, ...]:
    """Organisations acting in a session, as written: its speakers' organisations, then
    those presenting in its text."""
    names = [o for p in session.speakers for o in affiliations(p)]
    for paragraph in session.paragraphs:
        names.extend(presenting(paragraph))
    return tuple(unique(names))
