"""Speakers named in running text, people merged across forms, and acting organisations.

:mod:`confsearch.reading.people` reads speakers next to speech verbs and on presenter lines.
Programmes and news items also name them as the subject of a passive ("Dagen öppnas av
Anders Henriksson, SKR", "Samtalet leds av Eva Lind, Region Skåne"). The organisations
that *act* in a session – the speakers' organisations and those presenting ("Region
Gävleborg berättar om …") – are told from those merely mentioned, and from the venue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from confsearch.reading import orgs
from confsearch.reading.documents import Person, Session
from confsearch.reading.people import _NAME, _NAMES, _split_names, _valid_name, extract_speakers
from confsearch.reading.regions import PRESENTING_VERBS
from confsearch.text import fold_key, strip_emphasis

_PASSIVE = {
    "öppnades": "talare",
    "inleddes": "talare",
    "avslutades": "talare",
    "hölls": "talare",
    "presenterades": "talare",
    "leddes": "moderator",
    "modererades": "moderator",
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
    rf"\b(?P<verb>{'|'.join(_PASSIVE)})[ \t]+(?:[a-zåäö]+[ \t]+)?av[ \t]+"
    rf"(?:[a-zåäö]+[ \t]+)?{_NAMES}"
)
_PRESENTING_RE = re.compile(
    r"^(?:,\s*)?\s+(?:även\s+|också\s+)?(?:" + "|".join(PRESENTING_VERBS) + r")\b"
)


def people_named(text: str) -> list[Person]:
    """People ``text`` names by the reader's rules: beside a speech verb or on a presenter
    line (:func:`confsearch.reading.people.extract_speakers`) and in running text
    (:func:`running_text_speakers`), not any capitalised name (a project's)."""
    return [*extract_speakers([text]), *running_text_speakers([text])]


def running_text_speakers(paragraphs: Sequence[str]) -> list[Person]:
    """People named in running text as speakers: the agent of a passive ("… öppnas av
    Anna Berg, SKR", "Samtalet leddes av …"), and every name introduced with its
    affiliation ("Karl Westin, näringslivschef i Torsby kommun, berättade …", "Mats
    Wikström från SSAB")."""
    found: list[Person] = []
    for paragraph in paragraphs:
        text = " ".join(strip_emphasis(paragraph).split())
        for m in _PASSIVE_RE.finditer(text):
            part = _PASSIVE[m.group("verb")]
            role, org = _appositive(text[m.end("names") :])
            for name in _split_names(m.group("names")):
                if _valid_name(name):
                    found.append(Person(name, role, org, part))
        for m in _NAME_RE.finditer(text):
            name = m.group(0)
            if not _valid_name(name) or _ORG_CONTEXT_RE.search(
                text[max(0, m.start() - 8) : m.start()]
            ):
                continue
            role, org = _appositive(text[m.end() :])
            if org:
                found.append(Person(name, role, org))
    return found


_NAME_RE = re.compile(rf"(?<![\w-]){_NAME}")
# "hållbarhetschef på Stora Enso": a capitalised pair after these is an organisation
_ORG_CONTEXT_RE = re.compile(r"\b(?:på|vid|hos|från|i|inom|för|till)\s+$")
_ROLE_ORG_RE = re.compile(
    r"^(?P<role>[a-zåäöé][\w -]*?)\s+(?:vid|på|hos|i|inom|från|för)\s+(?P<org>[A-ZÅÄÖ].*)$"
)
_HEAD_ROLES = re.compile(r"(?:chef|ordförande|direktör|\bvd|rektor|generalsekreterare|ledamot)$")


def _org_at_start(text: str) -> str | None:
    """The organisation that opens ``text`` as written (register or patterns first, else
    a run of capitalised words); "SSAB i Borlänge" is SSAB at a place."""
    for m in orgs.find(text):
        if m.start == 0:
            return _extend(text, m.end, m.text)
        break
    run = re.match(r"[A-ZÅÄÖ][\w&-]*(?:\s+(?:(?:i|för|och)\s+)?[A-ZÅÄÖ0-9][\w&-]*)*", text)
    if not run:
        return None
    org = run.group(0)
    head, sep, _place = org.partition(" i ")
    if sep and (head.isupper() or orgs.link(head)) and not orgs.link(org):
        return head
    return org


def _extend(text: str, end: int, org: str) -> str:
    return orgs.extend_place(text, end, org)


def _appositive(after: str) -> tuple[str | None, str | None]:
    """(role, organisation) written right after a name: ", utvecklingsledare på Region
    Skåne," / ", Region Värmland," / " från Vinnova"."""
    m = re.match(r"\s+från\s+(.*)", after)
    if m:
        return None, _org_at_start(m.group(1))
    m = re.match(
        r"\s*,\s*(?!och\s|samt\s|som\s)([^,.;:!?()\n]{2,100}?)\s*(?:,|\.|;|:|\)|$|\s+och\s|\s+som\s)",
        after,
    )
    if not m:
        return None, None
    seg = m.group(1).strip()
    if seg[:1].isupper():
        org = _org_at_start(seg)
        if org and (orgs.is_organisation(org) or orgs.find(org)) and len(org) >= len(seg) - 1:
            return None, org
        return None, None
    rm = _ROLE_ORG_RE.match(seg)
    if rm:
        org = _org_at_start(rm.group("org"))
        prep = seg[len(rm.group("role")) :].split()[0]
        if org and (
            prep != "för" or _HEAD_ROLES.search(rm.group("role")) or orgs.is_organisation(org)
        ):
            return rm.group("role"), org
        return None, None
    for om in orgs.find(seg):
        return seg[: om.start].strip() or None, _extend(seg, om.end, om.text)
    return None, None


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
