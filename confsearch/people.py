"""Speakers: people named as presenters in a session, with role and organisation.

Names are found next to speech verbs ("…, säger Mirja Mattsson, projektledare för Rena
resan") or an affiliation ("Göran Andersson och Kjell Håkan Närfelt från Vinnova").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from confsearch import regions as gazetteer
from confsearch.documents import Person
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


def _valid_name(name: str) -> bool:
    tokens = name.split()
    if tokens[0] in _NOT_NAME_START:
        return False
    return not gazetteer.find_mentions(name)


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
