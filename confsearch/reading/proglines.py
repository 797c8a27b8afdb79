"""What one line of a programme is: an item, a break, a page label, metadata or speakers.

Real conference documentation sets its programme in a handful of forms whatever the file
format: timetable lines ("09.30–10.15 Regional utveckling i praktiken"), numbered items
("1:1 …", "Seminariepass A: …", "Lärpass 9. …"), breaks ("11.45–13.00 Lunch"), page
labels ("Innehåll", "Anmälan"), reference numbers ("AKTNR 3329-18985"), labelled
metadata lines ("Arrangör: …", "Plats: …") and speaker lines ("Moderator: Anna Berg,
Region Skåne", "• Per Ek, analytiker, Vinnova", "Anna Berg, SKR; Per Ek, Vinnova").
Each function here looks at one line and says which, so that
:mod:`confsearch.reading.programme` can group a document into its sessions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from confsearch.reading import orgs
from confsearch.reading.documents import Person
from confsearch.reading.people import _affiliation, presenter_line
from confsearch.text import BULLET_PREFIXES, fold

_T = r"\d{1,2}[.:]\d{2}"
_DASH = r"\s*(?:[-–—]|till)\s*"
TIME_RE = re.compile(
    rf"^\s*(?:kl\.?\s*|klockan\s+)?(?P<time>{_T}(?:{_DASH}{_T})?|\d{{1,2}}{_DASH}\d{{1,2}}(?=\s)"
    r"(?!\s+(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)))"
    rf"(?:\s*(?:[-–—:|]\s*)|\s+)(?P<rest>\S.*)?$",
    re.IGNORECASE,
)
TIME_ONLY_RE = re.compile(rf"^\s*(?:kl\.?\s*)?(?P<time>{_T}(?:{_DASH}{_T})?)\s*$", re.IGNORECASE)
_LABELWORDS = (
    "Seminariepass|Seminarium|Seminarie|Lärpass|Parallellpass|Parallellt pass|Pass|Passet|"
    "Workshop|Session|Spår|Block|Programpunkt|Punkt|Del|Fördjupningspass|Dialogpass|"
    "Breakout|Studiebesök|Miniseminarium"
)
NUMBERED_RES = (
    # "1:1 Title", "2:4 Title" (a single-digit sub-number: never a time)
    re.compile(r"^\s*(?P<label>\d{1,2}:\d)(?!\d)\s*[.:–—-]?\s+(?P<rest>\S.*)$"),
    # "Seminariepass A: Title", "Lärpass 9. Title", "Pass 3 – Title", "Spår 2:"
    re.compile(
        rf"^\s*(?P<label>(?:{_LABELWORDS})\s+(?:[A-ZÅÄÖ]|\d{{1,2}}[a-zA-Z]?|[IVX]{{1,4}})(?:[:.]\d)?)"
        r"(?:(?:\s*[.:–—)-]\s*|\s+)(?P<rest>\S.*)|\s*[.:–—)-]?\s*)$"
    ),
    # "9. Title", "2 a) Title", "3) Title"
    re.compile(r"^\s*(?P<label>\d{1,2}(?:\s?[a-z])?[.)])\s+(?P<rest>[A-ZÅÄÖ\"”«].*)$"),
    # "A. Title", "B: Title"
    re.compile(r"^\s*(?P<label>[A-H][.:)])\s+(?P<rest>[A-ZÅÄÖ].*)$"),
)
BREAK_RE = re.compile(
    r"^(?:förmiddags|eftermiddags|kaffe|)(?:fika|kaffe|kaffepaus|lunch|lunchpaus|incheckning|"
    r"registrering|mingel|middag|konferensmiddag|paus|bensträckare|frukost|förflyttning|"
    r"utcheckning|avresa|slut|dagen avslutas|konferensen avslutas|avslut|buss|transfer)"
    r"(?![\wåäö])",
    re.IGNORECASE,
)
WORDS = json.loads(
    (Path(__file__).resolve().parent / "data" / "programme_words.json").read_text(encoding="utf-8")
)
PAGE_LABELS = frozenset(fold(w) for w in WORDS["page_labels"])
REFERENCE_RE = re.compile(
    r"^\s*(?:AKTNR|Aktnr|Akt\.?\s?nr|Dnr|Diarienr|Diarienummer|Ärendenr|Ärendenummer|"
    r"Referensnr|Ref\.?\s?nr|Bokningsnr|Kurskod|Projektnr|ISBN|Rapport\s+\d{4}:\d+)\.?\s*:?\s*"
    r"[\w/.:-]+\s*$"
)
META_LABELS = frozenset(fold(w) for w in WORDS["meta_labels"])
_META_RE = re.compile(
    r"^\s*(?P<key>[A-ZÅÄÖa-zåäöé][\wåäöÅÄÖé -]{1,28}?)\s*:\s*(?P<value>\S.*?)\s*$"
)
SPEAKER_LABELS: dict[str, str | None] = WORDS["speaker_labels"]
_SPEAKER_LABEL_RE = re.compile(
    r"^\s*(?P<label>"
    + "|".join(sorted((re.escape(k) for k in SPEAKER_LABELS), key=len, reverse=True))
    + r")\s*(?::|–|-)\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Item:
    """A programme item line: its time, label and title (any may be empty but the title)."""

    title: str
    time: str | None = None
    label: str | None = None


def timetable(line: str) -> Item | None:
    """ "09.30–10.15 Regional utveckling" → Item(title, time); None if not such a line."""
    m = TIME_RE.match(line)
    if not m or not m.group("rest"):
        return None
    rest = m.group("rest").strip()
    if not rest[:1].isalpha() and rest[:1] not in '"”«':
        return None
    time = re.sub(r"\s*(?:[-–—]|till)\s*", "–", m.group("time"))
    inner = numbered(rest)
    if inner is not None:
        return Item(inner.title, time, inner.label)
    return Item(rest, time)


def numbered(line: str) -> Item | None:
    """ "Seminariepass A: Title", "1:1 Title", "Lärpass 9. Title", "9. Title" → Item."""
    for pattern in NUMBERED_RES:
        m = pattern.match(line)
        if m:
            label = m.group("label").strip().rstrip(".:–—-").strip()
            if label.endswith(")") and not re.search(r"\d\s?[a-z]\)$", label):
                label = label[:-1]  # "3)" → "3"; "2 a)" is kept as written
            rest = (m.group("rest") or "").strip()
            return Item(rest, None, label)
    return None


def is_break(title: str) -> bool:
    """A pause in the programme (fika, lunch, incheckning, mingel …), not a session."""
    return bool(BREAK_RE.match(title.strip(" *_•-–")))


def is_page_label(line: str) -> bool:
    """A label of the page ("Innehåll", "Anmälan", "Program") rather than a title."""
    s = line.strip().strip("*_#:").strip()
    return fold(s) in PAGE_LABELS


FACT_KEYS = frozenset(fold(w) for w in WORDS["fact_keys"])


def is_meta_key(line: str) -> bool:
    """A fact box's label on its own ("Arrangör", "Tid:") above its value."""
    return fold(line.strip().strip("*_").rstrip(":").strip()) in FACT_KEYS


def is_reference(line: str) -> bool:
    """A case or reference number ("AKTNR 3329-18985", "Dnr 2019/123")."""
    return bool(REFERENCE_RE.match(line))


def has_speaker_label(line: str) -> bool:
    """Does the line open with a speaker label ("Medverkande:", "Moderator –")?"""
    return bool(_SPEAKER_LABEL_RE.match(line.strip().strip("*_")))


def metadata_line(line: str) -> tuple[str, str] | None:
    """("Arrangör", "Reglab") for a labelled metadata line, else None."""
    m = _META_RE.match(line.strip().strip("*_"))
    if not m:
        return None
    key = fold(m.group("key").strip("*_ "))
    if key in META_LABELS:
        return m.group("key").strip("*_ "), m.group("value").strip("*_ ")
    return None


def _clean_people_text(s: str) -> str:
    s = " ".join(s.split())
    # "Anna Berg (Region Skåne)" → "Anna Berg, Region Skåne"
    s = re.sub(r"\s*\(([^()]{2,80})\)", r", \1", s)
    return s.strip(" .")


def _persons(segment: str, part: str | None, *, alone: bool = False) -> list[Person]:
    """The people of one segment. ``alone``: the segment is known to list one person (or
    "X och Y") with affiliations (a bullet, one of a semicolon list, after a label), so
    what follows the name is affiliation even if it looks like a name ("Swedish Lapland
    Visitors Board", "Kiruna Guidetur")."""
    segment = _clean_people_text(segment)
    found = None if _NOT_AFFILIATION_RE.search(segment) else presenter_line(segment)
    if found:
        return [_fix(p, part) for p in found]
    if alone:
        return _one_person(segment, part)
    return []


_NOT_AFFILIATION_RE = re.compile(
    r"^(?:och|samt)\s|\b(?:samtalar|pratar|diskuterar|talar|möter|berättar|presenterar|"
    r"säger|leder)\b"
)


def _one_person(segment: str, part: str | None) -> list[Person]:
    head, _, rest = segment.partition(",")
    names = [n.strip() for n in re.split(r"\s+(?:och|&)\s+", head.strip())]
    if not names or not all(_NAME_ONLY_RE.match(n) and not orgs.is_organisation(n) for n in names):
        return []
    roles, affs = [], []
    for seg in (x.strip() for x in rest.split(",")):
        if not seg:
            continue
        if len(seg.split()) > 9 or _NOT_AFFILIATION_RE.search(seg):
            return []
        role, org = _affiliation(seg)
        if role:
            roles.append(role)
        if org:
            affs.append(org)
    role, org = split_affiliation(", ".join(roles) or None, ", ".join(affs) or None)
    return [Person(n, role, org, part) for n in names]


_TITLE_PREFIX_RE = re.compile(
    r"^(?P<title>GD|VD|vd|gd|Generaldirektör|Generalsekreterare|Ordförande|Direktör|Chef|"
    r"Rektor|Professor|Landshövding|Kommunstyrelsens ordförande|Regionråd|Kommunalråd|"
    r"Förbundsordförande|Statssekreterare|Minister|Näringsminister|Landsbygdsminister)\s+"
    r"(?P<org>[A-ZÅÄÖ].*)$"
)


def split_affiliation(role: str | None, org: str | None) -> tuple[str | None, str | None]:
    """Tidy (role, organisation) read after a name: a capitalised title is a role
    ("Senioranalytiker, Stockholms Handelskammare"), a title glued to an organisation is
    split ("GD Svenska ESF-rådet"), a role the register knows is an organisation."""
    roles = [r for r in (role or "").split(", ") if r]
    parts = [o for o in (org or "").split(", ") if o]
    kept: list[str] = []
    for i, seg in enumerate(parts):
        m = _TITLE_PREFIX_RE.match(seg)
        if m and orgs.is_organisation(m.group("org")):
            roles.append(m.group("title"))
            kept.append(m.group("org"))
        elif (
            i + 1 < len(parts)
            and " " not in seg
            and not seg.isupper()
            and not orgs.is_organisation(seg)
        ):
            roles.append(seg)
        else:
            kept.append(seg)
    if roles and not kept and orgs.is_organisation(roles[-1]):
        kept.append(roles.pop())
    return ", ".join(roles) or None, ", ".join(kept) or None


def _fix(p: Person, part: str | None) -> Person:
    role, org = split_affiliation(p.role, p.organisation)
    return Person(p.name, role, org, part)


def speaker_line(
    line: str, *, after_label: bool = False, alone: bool = False
) -> tuple[Person, ...] | None:
    """The people a line lists as speakers, or None.

    "Moderator: Anna Berg, Region Skåne", "• Per Ek, analytiker, Vinnova", "Anna Berg,
    SKR; Per Ek, Vinnova", "Olof Berg och Isak Karlsson, Tillväxtverket" and, after a
    "Medverkande" label line, a name alone.
    """
    s = line.strip()
    bulleted = False
    for prefix in (*BULLET_PREFIXES, "- ", "– ", "— ", "• ", "▪ ", "◦ ", "► "):
        if s.startswith(prefix):
            s = s[len(prefix) :].strip()
            bulleted = True
            break
    part = None
    m = _SPEAKER_LABEL_RE.match(s)
    if m:
        part = SPEAKER_LABELS[m.group("label").lower()]
        s = m.group("rest")
        after_label = True
    people: list[Person] = []
    segments = [x for x in re.split(r"\s*;\s*", s) if x.strip()]
    alone = alone or bulleted or after_label or len(segments) > 1
    for segment in segments:
        found = _persons(segment, part, alone=alone)
        if not found and after_label:
            found = _names_only(segment, part) or _loose_people(segment, part)
        if not found:
            return None
        people.extend(found)
    return tuple(people) or None


_CONVERSE = r"(?:samtalar|pratar|diskuterar|talar|möter)\s+med\s+"
_LOOSE_SPLIT_RE = re.compile(rf"\s*,\s*(?:och\s+)?(?:{_CONVERSE})?|\s+och\s+|\s+{_CONVERSE}")


def _loose_people(text: str, part: str | None) -> list[Person]:
    """People in a sentence after a label: "Ulla Hedman, SKL, samtalar med Gunnar Ljung,
    Örebro universitet, och Marie Lundin, Haninge kommun." """
    people: list[list] = []
    for seg in _LOOSE_SPLIT_RE.split(_clean_people_text(text)):
        seg = seg.strip()
        if not seg:
            continue
        if _NAME_ONLY_RE.match(seg) and not orgs.is_organisation(seg):
            people.append([seg, [], []])
        elif people and len(seg.split()) <= 8:
            role, org = _affiliation(seg)
            if role:
                people[-1][1].append(role)
            if org:
                people[-1][2].append(org)
        else:
            return []
    if not people or not any(affs for _, _, affs in people):
        return []
    return [Person(n, ", ".join(r) or None, ", ".join(o) or None, part) for n, r, o in people]


def speaker_cell(cell: str) -> tuple[Person, ...]:
    """The people of a table cell or a line with several labelled parts ("Panel: Anna
    Berg, SKR; Per Ek, Vinnova. Moderator: Eva Lind, Region Skåne")."""
    people: list[Person] = []
    for part in re.split(r"(?<=[\w)])\.\s+(?=[A-ZÅÄÖ][\wåäö ]{1,25}:)", cell.strip()):
        found = speaker_line(part.strip().rstrip("."), after_label=True)
        if found:
            people.extend(found)
    return tuple(people)


_NAME_WORD = r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäö]+)?"
_NAME_ONLY_RE = re.compile(rf"^{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}$")


def _names_only(segment: str, part: str | None) -> list[Person]:
    """ "Anna Berg och Per Ek" after a label: names without affiliation."""
    names = re.split(r"\s*(?:,|\boch\b|&)\s*", _clean_people_text(segment))
    names = [n for n in names if n]
    if names and all(_NAME_ONLY_RE.match(n) and not orgs.is_organisation(n) for n in names):
        return [Person(n, None, None, part) for n in names]
    return []
