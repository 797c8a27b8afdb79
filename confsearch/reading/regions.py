"""Gazetteer of Swedish regions and national bodies, and attribution of sessions to them.

Officials filter and read results by *who* presented, so every session gets an ordered
list of organisations: the presenting one first. The rules are deliberately conservative
because a wrong region is worse than none:

* Only forms listed in the gazetteer below are matched, on whole words, case-sensitively
  (except a leading "Region"/"region" and similar common nouns). City names that differ
  from the region (Stockholm, Uppsala, Örebro, Kalmar, Jönköping) are *not* matched in
  running text; only "Region Örebro län", "Örebro län" etc. are. "Norrland" is a part of
  the country, not a region, and is absent.
* Compounds are not matched: "Värmlandsrådet" is a council (of Region Värmland *and* the
  municipalities), "Västerbottens-Kuriren" a newspaper, "sörmlandshushåll" a household
  type. A session about Värmlandsrådet still names "region Värmland" on its own, and the
  attribution rule needs such a standalone mention anyway.
* Nothing inside a URL, e-mail address or domain name is matched (the organiser's PDF
  link mentions "mucf" and "reglab").
* A genitive mention ("Vinnovas projekt", "Gävleborgs utmaning") is recorded but is not
  enough for attribution: a session is attributed to an organisation only if it is named
  at least once in the nominative. A genitive names something that belongs to the
  organisation, typically while another actor is presenting.

The gazetteer is plain data in its own module (:mod:`confsearch.reading.gazetteer`) so it
is easy to review and extend; its names are importable from here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from confsearch.reading.gazetteer import (
    BY_NAME,
    ENGLISH_NAMES,
    GAZETTEER,
    NATIONAL,
    REGION,
    Organisation,
    canonical_organisations,
    canonical_regions,
    is_region,
    organisation,
    region_aliases,
    text_forms,
)
from confsearch.text import fold, fold_key, url_spans

__all__ = [
    "ENGLISH_NAMES",
    "GAZETTEER",
    "NATIONAL",
    "PRESENTING_VERBS",
    "REGION",
    "Mention",
    "Organisation",
    "attribute",
    "canonical_organisations",
    "canonical_regions",
    "find_mentions",
    "is_presenting",
    "is_region",
    "match_region_filter",
    "organisation",
    "region_aliases",
    "typed_mentions",
]

# Verbs that mark the subject as the one presenting ("Region Gävleborg berättar om ...").
PRESENTING_VERBS = (
    "berättar",
    "berättade",
    "höll",
    "håller",
    "presenterar",
    "presenterade",
    "visar",
    "visade",
    "beskriver",
    "beskrev",
    "delar",
    "delade",
    "redovisar",
    "redovisade",
    "redogör",
    "redogjorde",
    "leder",
    "ledde",
    "bjuder",
    "frågar",
    "kombinerar",
    "startade",
)

# Leading common nouns that may be written in lower case in running text.
_LOWERCASE_OK_PREFIXES = ("Region ", "Myndigheten ", "Sveriges ", "Statens ", "Verket ")


@dataclass(frozen=True)
class Mention:
    """One occurrence of a gazetteer organisation in a text (character offsets)."""

    name: str
    start: int
    end: int
    genitive: bool
    text: str = ""
    kind: str = REGION


# --------------------------------------------------------------------------- matching


def _alias_pattern(alias: str) -> str:
    body = re.escape(alias)
    for prefix in _LOWERCASE_OK_PREFIXES:
        if alias.startswith(prefix):
            first = prefix[0]
            body = f"[{first}{first.lower()}]" + re.escape(alias[1:])
            break
    return body


@cache
def _mention_regex() -> tuple[re.Pattern[str], dict[str, str]]:
    forms: dict[str, str] = {}
    for org in GAZETTEER:
        for form in text_forms(org):
            forms.setdefault(form, org.name)
    # Longest first so "Region Örebro län" wins over "Örebro län", and
    # "Västerbottens län" over the genitive "Västerbottens".
    ordered = sorted(forms, key=len, reverse=True)
    groups = "|".join(_alias_pattern(f) for f in ordered)
    pattern = re.compile(
        rf"(?<![\w-])(?P<form>{groups})(?P<gen>:s|s)?(?![\w-])",
    )
    lookup = {f.casefold(): name for f, name in forms.items()}
    return pattern, lookup


def find_mentions(text: str) -> list[Mention]:
    """All gazetteer mentions in ``text``, in order, never inside URLs.

    ``genitive`` is True for "Vinnovas", "Region Gävleborgs", "SKR:s" – but not for
    "Västerbottens län", which is the county's name.
    """
    pattern, lookup = _mention_regex()
    blocked = url_spans(text)
    out: list[Mention] = []
    for m in pattern.finditer(text):
        start, end = m.span()
        if any(s < end and start < e for s, e in blocked):
            continue
        form = m.group("form")
        name = lookup[form.casefold()]
        gen = m.group("gen")
        # "SKR:s" only for acronyms; "Vinnovas" only for words. Anything else is not a
        # genitive of this form (the regex would not have matched "SKRs" as a word anyway).
        is_acronym = form.isupper()
        if gen == ":s" and not is_acronym:
            continue
        if gen == "s" and is_acronym:
            continue
        if gen == "s" and form.endswith(("s", "x", "z")):
            continue
        org = BY_NAME[name]
        out.append(
            Mention(
                name=name,
                start=start,
                end=end,
                genitive=gen is not None,
                text=m.group(0),
                kind=org.kind,
            )
        )
    return out


@cache
def _typed_regex() -> tuple[re.Pattern[str], dict[str, str]]:
    """The register's forms folded (lower case, no å/ä/ö), acronyms left out: "skr" or
    "vgr" typed in lower case are as likely other words."""
    forms: dict[str, str] = {}
    for org in GAZETTEER:
        for form in text_forms(org):
            if not form.isupper():
                forms.setdefault(fold(form), org.name)
    ordered = sorted(forms, key=len, reverse=True)
    groups = "|".join(re.escape(f) for f in ordered)
    return re.compile(rf"(?<![\w-])(?P<form>{groups})(?P<gen>s)?(?![\w-])"), forms


def typed_mentions(text: str) -> list[Mention]:
    """Mentions in a question as people type it: the register's spelling
    (:func:`find_mentions`) and also lower case or without å/ä/ö ("region skane",
    "vad gör orebro lan"). For questions only: in the texts, case tells a name."""
    out = find_mentions(text)
    folded = fold(text)
    if len(folded) != len(text):  # a character folded into two: offsets would not match
        return out
    pattern, forms = _typed_regex()
    for m in pattern.finditer(folded):
        if any(e.start < m.end() and m.start() < e.end for e in out):
            continue
        name = forms[m.group("form")]
        out.append(
            Mention(
                name=name,
                start=m.start(),
                end=m.end(),
                genitive=m.group("gen") is not None,
                text=text[m.start() : m.end()],
                kind=BY_NAME[name].kind,
            )
        )
    return sorted(out, key=lambda x: x.start)


# ------------------------------------------------------------------------ attribution

_PRESENTING_RE = re.compile(
    r"^(?:,\s*)?\s+(?:även\s+|också\s+)?(?:" + "|".join(PRESENTING_VERBS) + r")\b"
)
# "… Per Erik Andersson, Region Norrbotten" / "Göran Andersson och … från Vinnova"
_SPEAKER_ORG_BEFORE_RE = re.compile(
    r"(?:[A-ZÅÄÖÉ][\w-]+(?:\s+[A-ZÅÄÖÉ][\w-]+)+,\s*(?:[^,.!?]+,\s*)?|\bfrån\s+)$"
)


def is_presenting(text: str, mention: Mention) -> bool:
    """Is the organisation at ``mention`` presented as acting (subject of "berättar" …,
    or the affiliation of a named speaker)?"""
    return _is_presenting(text, mention)


def _is_presenting(text: str, mention: Mention) -> bool:
    after = text[mention.end : mention.end + 40]
    if _PRESENTING_RE.match(after):
        return True
    before = text[max(0, mention.start - 120) : mention.start]
    return bool(_SPEAKER_ORG_BEFORE_RE.search(before))


def attribute(session: str | Sequence[str], title: str = "") -> list[str]:
    """Organisations a session should be filed under, the presenting one first.

    An organisation qualifies if it is mentioned at least once in the nominative in the
    title or body (see module docstring). Ordering: organisations marked as presenting
    (subject of "berättar", "höll", … or the affiliation of a named speaker) come first,
    then by first nominative mention; the title counts as coming before the body.
    """
    body = session if isinstance(session, str) else "\n\n".join(session)
    text = f"{title}\n\n{body}" if title else body
    first: dict[str, int] = {}
    presenting: dict[str, int] = {}
    for m in find_mentions(text):
        if m.genitive:
            continue
        first.setdefault(m.name, m.start)
        if m.name not in presenting and _is_presenting(text, m):
            presenting[m.name] = m.start
    return sorted(first, key=lambda n: (n not in presenting, presenting.get(n, first[n])))


# ---------------------------------------------------------------------- user filters


def _filter_variants(key: str) -> Iterable[str]:
    """Progressively looser keys for a folded user input."""
    yield key
    k = key
    for prefix in ("region ", "regionen "):
        if k.startswith(prefix):
            k = k[len(prefix) :]
            yield k
    if k.endswith(" lan"):
        k = k[: -len(" lan")]
        yield k
    if k.endswith(":s"):
        yield k[:-2]
    if k.endswith("s") and len(k) > 4:
        yield k[:-1]


@cache
def _filter_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for org in GAZETTEER:
        forms = {org.short, *text_forms(org), *org.filter_aliases}
        for form in forms:
            for key in _filter_variants(fold_key(form)):
                if key:
                    index.setdefault(key, set()).add(org.name)
    return {k: frozenset(v) for k, v in index.items()}


def match_region_filter(user_input: str | None) -> str | None:
    """Resolve what a user typed as a region filter to a canonical name, or None.

    Case- and accent-insensitive ("varmland", "Region VÄRMLAND", "värmlands län" →
    "Region Värmland"); city names are accepted here ("örebro"), and a unique prefix of
    at least three letters ("västerb") is enough. Ambiguous or unknown input → None.
    """
    if not user_input or not user_input.strip():
        return None
    index = _filter_index()
    key = fold_key(user_input)
    for variant in _filter_variants(key):
        hits = index.get(variant)
        if hits and len(hits) == 1:
            return next(iter(hits))
    for variant in _filter_variants(key):
        if len(variant) < 3:
            continue
        names = {n for k, names in index.items() if k.startswith(variant) for n in names}
        if len(names) == 1:
            return names.pop()
    return None
