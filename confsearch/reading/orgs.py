"""The organisation register: who in Swedish public life a text can name, as data.

``confsearch/data/organisations.tsv`` lists every municipality, region, county
administrative board, government agency, university and national organisation of the
field with its canonical name, kind, the forms texts write it in, and – for names of
earlier years (SKL, Regionförbundet Uppsala län, Landstinget Västernorrland) – the entry
that took over. A text's organisation is always kept **as written**: a 2017 text says
SKL and its citation says SKL; :func:`link` gives the register entry behind a written
name, so that "SKL" and "Sveriges Kommuner och Landsting" count as one organisation.

Patterns catch what a register misses ("Högskolan i X", "X universitet",
"Myndigheten för …", "… förbundet", "… Handelskammare", "…verket").

This module is separate from :mod:`confsearch.reading.regions`, whose small gazetteer decides
which *region* a session is filed under (and which today's indexes rest on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from confsearch.text import fold_key, url_spans

REGISTER_PATH = Path(__file__).resolve().parent / "data" / "organisations.tsv"


@dataclass(frozen=True)
class Entry:
    """One organisation of the register."""

    name: str
    # kommun, region, landsting, regionförbund, länsstyrelse, myndighet, lärosäte, organisation
    kind: str
    aliases: tuple[str, ...] = ()
    successor: str = ""  # the entry that took over (for names of earlier years)


@dataclass(frozen=True)
class OrgMention:
    """An organisation named in a text: ``text`` as written, ``entry`` its register entry
    (None when only a pattern found it)."""

    text: str
    start: int
    end: int
    entry: Entry | None
    genitive: bool = False

    @property
    def canonical(self) -> str:
        return self.entry.name if self.entry is not None else self.text


@cache
def register() -> dict[str, Entry]:
    """Canonical name → entry, read once from the TSV file."""
    entries: dict[str, Entry] = {}
    for line in REGISTER_PATH.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip() or line.startswith(("#", "canonical\t")):
            continue
        cols = [*line.split("\t"), "", "", ""][:4]
        name, kind, aliases, successor = (c.strip() for c in cols)
        forms = tuple(a.strip() for a in aliases.split(" | ") if a.strip())
        entries[name] = Entry(name, kind, forms, successor)
    return entries


@cache
def _forms() -> dict[str, Entry]:
    """Every written form (canonical name and aliases) → entry."""
    out: dict[str, Entry] = {}
    for entry in register().values():
        for form in (entry.name, *entry.aliases):
            out.setdefault(form, entry)
    return out


@cache
def _folded_forms() -> dict[str, Entry]:
    return {fold_key(f): e for f, e in _forms().items()}


_W = r"[\wÅÄÖåäöÉé-]"
_CAP = r"[A-ZÅÄÖÉ]"
_STOP = (
    "har|hade|är|var|blev|som|ska|skall|kommer|med|på|vill|kan|den|det|att|om|till|från|"
    "under|inom|genom|efter|vid|hos|berättar|presenterar|visar|leder|ger|tar|gör|arbetar"
)
_STOP_CAP = frozenset(
    re.split(
        r"\s+",
        "Under Med Det Den De Vi Ni Han Hon Här Där Nu Så Även Och Men Att Som När Då Hur Vad "
        "Genom Efter För Från Till Om I På Av Alla Många Hela Varje Inom Vid Hos Både",
    )
)
_PATTERNS = (
    # Högskolan i Jönköping, Högskolan på Gotland
    rf"Högskolan (?:i|på) {_CAP}{_W}+",
    # Södertörns högskola, Luleå tekniska universitet
    rf"{_CAP}{_W}+ (?:tekniska )?(?:universitet|högskola)(?!{_W})",
    # Myndigheten för kulturanalys, Myndigheten för ungdoms- och civilsamhällesfrågor
    rf"Myndigheten för (?!(?:{_STOP})\b)[a-zåäö][\w-]*"
    rf"(?:,? (?:och |för |av |i )?(?!(?:{_STOP})\b)[a-zåäö][\w-]*){{0,5}}",
    # Stockholms Handelskammare, Sydsvenska Industri- och Handelskammaren, Handelskammaren X
    rf"(?:{_CAP}{_W}+ ){{1,3}}(?:Industri- och )?Handelskammar(?:e|en)(?!{_W})",
    rf"Handelskammaren {_CAP}{_W}+",
    # Sveriges Hembygdsförbund, Kommunförbundet Skåne, Riksidrottsförbundet
    rf"(?:{_CAP}{_W}+ ){{0,2}}{_CAP}{_W}*förbund(?:et)?(?: {_CAP}{_W}+)?(?!{_W})",
    # Valideringsdelegationen, Folkbildningsrådet, Konstnärsnämnden, Skogsstyrelsen
    rf"{_CAP}[a-zåäö]+(?:verket|myndigheten|inspektionen|delegationen|rådet|nämnden|"
    rf"kollegiet|institutet|akademien|styrelsen)(?!{_W})",
    # Sweco AB
    rf"{_CAP}[\w&-]+(?: {_CAP}[\w&-]+){{0,2}} AB(?!{_W})",
)


@cache
def _regex() -> re.Pattern[str]:
    forms = sorted(_forms(), key=len, reverse=True)
    known = "|".join(re.escape(f) for f in forms)
    patterns = "|".join(_PATTERNS)
    return re.compile(
        rf"(?<![\w-])(?:(?P<known>{known})(?P<gen>:s|s)?|(?P<pat>{patterns}))(?![\w-])"
    )


def find(text: str) -> list[OrgMention]:
    """Organisations named in ``text``, in order, never inside a URL; as written, linked
    to their register entry. A genitive ("SKL:s", "Region Skånes") is marked as such."""
    return list(_find(text))


@lru_cache(maxsize=8192)
def _find(text: str) -> tuple[OrgMention, ...]:
    blocked = url_spans(text)
    out: list[OrgMention] = []
    for m in _regex().finditer(text):
        start, end = m.span()
        if any(s < end and start < e for s, e in blocked):
            continue
        if m.group("known"):
            form = m.group("known")
            gen = m.group("gen")
            acronym = form.isupper()
            if (gen == ":s" and not acronym) or (
                gen == "s" and (acronym or form.endswith(("s", "x", "z")))
            ):
                continue
            out.append(OrgMention(form, start, start + len(form), _forms()[form], bool(gen)))
            continue
        written = m.group("pat").strip()
        words = written.split()
        while words and words[0] in _STOP_CAP:
            words = words[1:]
        if len(words) < 1:
            continue
        written = " ".join(words)
        start = end - len(m.group("pat")) + m.group("pat").index(written)
        out.append(OrgMention(written, start, start + len(written), link(written)))
    return tuple(out)


def extend_place(text: str, end: int, name: str) -> str:
    """ "Almi Företagspartner" + " Uppsala", "LRF" + " Mälardalen": a register name
    followed by a place or unit (one capitalised word, not the first of a person's
    name, nor another organisation's first word)."""
    m = re.match(r"\s+([A-ZÅÄÖ][a-zåäö]+)(?![\w-])(?!\s+[A-ZÅÄÖ])", text[end:])
    if not m or any(x.start == 0 for x in find(text[end:].lstrip())):
        return name
    return name + m.group(0)


@lru_cache(maxsize=16384)
def link(written: str) -> Entry | None:
    """The register entry behind an organisation as written (any listed form, any case,
    a genitive "s"/":s" allowed), or None."""
    s = " ".join(written.split()).strip(" ,.;:")
    if not s:
        return None
    entry = _forms().get(s)
    if entry is not None:
        return entry
    key = fold_key(s)
    folded = _folded_forms()
    variants = (key, key[:-2] if key.endswith(":s") else "", key[:-1] if key.endswith("s") else "")
    for variant in variants:
        if variant and variant in folded:
            return folded[variant]
    return None


def canonical(written: str) -> str:
    """The canonical name of a written organisation (the written form if unregistered)."""
    entry = link(written)
    return entry.name if entry is not None else " ".join(written.split())


def same(a: str, b: str) -> bool:
    """Do two written names denote one organisation (same register entry, or equal when
    folded)? "SKL" and "Sveriges Kommuner och Landsting" do; "SKL" and "SKR" do not."""
    if fold_key(a) == fold_key(b):
        return True
    ea, eb = link(a), link(b)
    return ea is not None and ea is eb


@lru_cache(maxsize=16384)
def is_organisation(written: str) -> bool:
    """Is this text (a whole segment, e.g. after a speaker's name) an organisation's name
    by the register or the patterns? "Borås Stad" is; "Anna Berg" is not."""
    s = " ".join(written.split()).strip(" ,.;:")
    if not s:
        return False
    if link(s) is not None:
        return True
    return any(m.start == 0 and m.end == len(s) for m in find(s))
