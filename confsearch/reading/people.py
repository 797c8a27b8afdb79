"""Speakers: people named as presenters in a session, with role and organisation.

Names are found next to speech verbs ("…, säger Mirja Mattsson, projektledare för Rena
resan"), an affiliation ("Göran Andersson och Kjell Håkan Närfelt från Vinnova") or on a
line of their own that only lists presenters, the layout of a programme or a lärpass
listing ("Per Erik Andersson, Region Norrbotten och Daniel Örtqvist, Luleå tekniska
universitet"; :func:`presenter_line`). The organisations on such a line are the
session's presenting organisations (:func:`presenting_organisations`): a gazetteer entry
by its canonical name, anything else (Nordregio, a university, a project) as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from confsearch.reading import orgs
from confsearch.reading import regions as gazetteer
from confsearch.reading.documents import Person
from confsearch.text import fold_key, strip_emphasis

# Speech verbs that attach a name to a quote or statement.
SPEECH_VERBS = (
    "säger",
    "sa",
    "sade",
    "fyller i",
    "fyller på",
    "fyller",
    "frågar",
    "berättar",
    "menar",
    "konstaterar",
    "tillägger",
    "påpekar",
    "förklarar",
    "betonar",
    "understryker",
    "poängterar",
    "avslutar",
    "svarar",
    "framhåller",
    "beskriver",
    "tycker",
    "anser",
)

_UPPER = "A-ZÅÄÖÉÜÆØ"
_LOWER = "a-zåäöéèüëïæøáíóúñç"
_NAME_TOKEN = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_NAME = rf"{_NAME_TOKEN}(?:[ \t]+{_NAME_TOKEN}){{1,3}}"
_NAMES = rf"(?P<names>{_NAME}(?:[ \t]+(?:och|samt|&)[ \t]+{_NAME})*)"
_VERB_ALT = "|".join(re.escape(v) for v in SPEECH_VERBS)
_REST = r"(?P<rest>(?:[ \t]*,[ \t]*[^,.!?;:\n]+)*)"
_ORG = rf"(?P<org>[{_UPPER}][\w-]*(?:[ \t]+(?:(?:för|och|i|av)[ \t]+)?[{_UPPER}0-9][\w-]*)*)"
_SPEAKER_PATTERNS = (
    # "…, säger Mirja Mattsson, projektledare för Rena resan."
    re.compile(rf"\b(?:{_VERB_ALT})[ \t]+(?:även[ \t]+|också[ \t]+)?{_NAMES}{_REST}"),
    # "Thomas Kvist, Region Västerbotten, berättar …" / "Per-Erik Andersson berättar …"
    re.compile(
        rf"(?<![\w-]){_NAMES}{_REST}[ \t]*,?[ \t]+(?:även[ \t]+|också[ \t]+)?(?:{_VERB_ALT})\b"
    ),
    # "Göran Andersson och Kjell Håkan Närfelt från Vinnova"
    re.compile(rf"(?<![\w-]){_NAMES}[ \t]+från[ \t]+{_ORG}"),
)
# Capitalised words that start a sentence or an organisation, never a person's name.
# fmt: off
_NOT_NAME_START = frozenset((
    "Region", "Regionen", "Myndigheten", "Sveriges", "Statens", "Länsstyrelsen", "Det", "De",
    "Den", "Dem", "Detta", "Vi", "Ni", "Han", "Hon", "Här", "Där", "Nu", "Så", "Även", "Också",
    "Men", "Och", "Att", "Som", "När", "Då", "Vem", "Vad", "Hur", "Varför", "Vilka", "Vilken",
    "Alla", "Många", "Hela", "Genom", "Efter", "Under", "Med", "För", "Från", "Till", "The",
    "Agenda", "Vinnova",
))
# fmt: on
_SEGMENT_STOP = frozenset(("och", "men", "som", "att", "eftersom", "när", "då", "där", "vilket"))


@lru_cache(maxsize=16384)
def _valid_name(name: str) -> bool:
    tokens = name.split()
    if tokens[0] in _NOT_NAME_START:
        return False
    # "Borås Stad", "Stockholms Handelskammare": an organisation, never a person
    return not gazetteer.find_mentions(name) and not orgs.is_organisation(name)


def _split_names(names: str) -> list[str]:
    return [n.strip() for n in re.split(r"[ \t]+(?:och|samt|&)[ \t]+", names) if n.strip()]


def _classify_rest(rest: str) -> tuple[str | None, str | None]:
    """Split ", projektledare för X, Region Y" into (role, organisation)."""
    roles: list[str] = []
    orgs: list[str] = []
    for segment in rest.split(","):
        seg = segment.strip()
        if not seg:
            continue
        first = seg.split()[0]
        if first.lower() in _SEGMENT_STOP or first.lower() in SPEECH_VERBS or len(seg.split()) > 8:
            break
        if seg[0].isupper() or gazetteer.find_mentions(seg):
            orgs.append(seg)
        else:
            roles.append(seg)
    return (", ".join(roles) or None, ", ".join(orgs) or None)


def _name_key(name: str) -> str:
    return fold_key(name)


def extract_speakers(paragraphs: Sequence[str]) -> tuple[Person, ...]:
    """People named as speakers/presenters, in order of first appearance, deduplicated
    ("Per Erik Andersson" and "Per-Erik Andersson" are one person; the first spelling is
    kept, role/organisation filled in from whichever mention gives them)."""
    found: list[tuple[int, int, str, str | None, str | None]] = []
    for pi, paragraph in enumerate(paragraphs):
        offset = 0
        for line in paragraph.split("\n"):
            for person in presenter_line(line) or ():
                pos = offset + max(line.find(person.name), 0)
                found.append((pi, pos, person.name, person.role, person.organisation))
            offset += len(line) + 1
        text = strip_emphasis(paragraph)
        for kind, pattern in enumerate(_SPEAKER_PATTERNS):
            for m in pattern.finditer(text):
                if kind == 2:
                    role, org = None, m.group("org").strip()
                else:
                    role, org = _classify_rest(m.group("rest") or "")
                for name in _split_names(m.group("names")):
                    if _valid_name(name):
                        found.append(
                            (pi, m.start("names") + m.group("names").find(name), name, role, org)
                        )
    found.sort(key=lambda t: (t[0], t[1]))
    people: dict[str, list[str | None]] = {}
    for _, _, name, role, org in found:
        key = _name_key(name)
        if key not in people:
            people[key] = [name, role, org]
        else:
            entry = people[key]
            entry[1] = entry[1] or role
            entry[2] = entry[2] or org
    return tuple(Person(str(n), r, o) for n, r, o in people.values())


# ------------------------------------------------------------------ presenter lines

MAX_PRESENTER_WORDS = 45
MAX_ROLE_WORDS = 6
MAX_ORG_WORDS = 9
# A label some programmes put before the names ("Medverkande: …").
_PRESENTER_LABEL_RE = re.compile(
    r"^(?:medverkande|talare|presentatörer|presentatör|föreläsare|moderator)\s*:\s*",
    re.IGNORECASE,
)
_AND_RE = re.compile(r"[ \t]+(?:och|samt|&)[ \t]+")
_LEADING_AND_RE = re.compile(r"^(?:och|samt|&)[ \t]+")  # "Eva Strand, Vinnova, och Karin …"
_NAME_RE = re.compile(rf"{_NAME}")
# "analytiker vid Vinnova", "chef på Region Skåne": the organisation follows these.
_AFFILIATION_WORDS = frozenset(("vid", "på", "hos", "från", "i", "inom"))


def _is_name(segment: str) -> bool:
    return bool(_NAME_RE.fullmatch(segment)) and _valid_name(segment)


def _split_and(segment: str) -> list[str]:
    """Split "Region Norrbotten och Daniel Örtqvist" at "och" when a name follows, but
    never inside an organisation ("Sveriges Kommuner och Regioner", "… utvärderingar
    och analyser")."""
    parts = [segment]
    while True:
        last = parts[-1]
        cut = next(
            (m for m in _AND_RE.finditer(last) if _is_name(last[m.end() :].strip())),
            None,
        )
        if cut is None:
            return [p for p in parts if p]
        parts[-1:] = [last[: cut.start()].strip(), last[cut.end() :].strip()]


def _affiliation(segment: str) -> tuple[str | None, str | None]:
    """(role, organisation) of one segment after a name.

    "Region Norrbotten" → organisation; "utvecklingsledare" → role; "direktör Nordregio"
    and "analytiker vid Vinnova" → both; "projektledare för Rena resan" → role (the
    project is what the role is about, not where the person works).
    """
    words = segment.split()
    if segment[:1].isupper():
        return None, segment
    for i, word in enumerate(words):
        if word[:1].isupper():
            before = words[i - 1].lower() if i else ""
            if before == "för":
                return segment, None
            role = words[: i - 1] if before in _AFFILIATION_WORDS else words[:i]
            return " ".join(role) or None, " ".join(words[i:])
    if gazetteer.find_mentions(segment):  # "region Skåne" written in lower case
        return None, segment
    return segment, None


@lru_cache(maxsize=16384)  # pure; programmes repeat lines and every line is tried
def presenter_line(line: str) -> tuple[Person, ...] | None:
    """The people on a line that only lists presenters, or None if it is anything else.

    "Name, Organisation (och|,) Name, Organisation": names are two to four capitalised
    words; after each name (or several names sharing one, "Olof Berg och Isak Karlsson,
    Tillväxtverket") come its role and organisation. Every name must have one, the line
    must start with a name, and nothing else may be on it: a sentence is never read as a
    presenter line.
    """
    s = " ".join(strip_emphasis(line).split())
    s = _PRESENTER_LABEL_RE.sub("", s).rstrip(".").strip()
    if not s or len(s.split()) > MAX_PRESENTER_WORDS or re.search(r"[.!?;:()\[\]\"”]", s):
        return None
    if s.endswith((",", " och", " samt", "&")):
        return None  # it goes on on the next line
    segments = [
        part
        for comma in s.split(",")
        for part in _split_and(_LEADING_AND_RE.sub("", comma.strip()))
    ]
    if not segments or not _is_name(segments[0]):
        return None
    people: list[list] = []  # [name, roles, organisations]
    pending: list[list] = []
    for seg in segments:
        if _is_name(seg):
            if pending and pending[-1][2]:
                pending = []
            entry: list = [seg, [], []]
            people.append(entry)
            pending.append(entry)
            continue
        if not pending or len(seg.split()) > MAX_ORG_WORDS:
            return None
        if seg.split()[0].lower() in _SEGMENT_STOP or seg.split()[0].lower() in SPEECH_VERBS:
            return None
        role, org = _affiliation(seg)
        if role and len(role.split()) > MAX_ROLE_WORDS:
            return None
        for entry in pending:
            if role:
                entry[1].append(role)
            if org:
                entry[2].append(org)
    if not people or any(not roles and not orgs for _, roles, orgs in people):
        return None
    return tuple(
        Person(name, ", ".join(roles) or None, ", ".join(orgs) or None)
        for name, roles, orgs in people
    )


def presenting_organisations(paragraphs: Sequence[str]) -> list[str]:
    """The organisations named on presenter lines, in order: a gazetteer entry by its
    canonical name ("Landstinget Västernorrland" → Region Västernorrland), anything else
    as written ("Luleå tekniska universitet", "Nordregio")."""
    found: list[str] = []
    for paragraph in paragraphs:
        for line in paragraph.split("\n"):
            for person in presenter_line(line) or ():
                for org in (person.organisation or "").split(", "):
                    if not org:
                        continue
                    mentions = [m.name for m in gazetteer.find_mentions(org) if not m.genitive]
                    found.extend(mentions or [org])
    return list(dict.fromkeys(found))
