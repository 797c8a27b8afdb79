"""A small Swedish regional-development glossary for query expansion.

``expand_query("RUS för SMF")`` appends "regional utvecklingsstrategi" and "små och
medelstora företag"; ``expand_query("regional utvecklingsstrategi")`` appends "RUS"; a few
English topic words get their Swedish words ("cycling" -> "cykel cykling").

Matching is case- and accent-insensitive and works on whole words: "AI" matches "AI" and
"AI-tillämpningar" but not "main" or "Kairo". A lowercase glossary word of 4+ letters also
matches its inflected forms ("utvecklingsstrategin", "målen", "kommuner") and "RUS:en"
matches "RUS". Overlapping matches go to the longest phrase.
"""

from __future__ import annotations

from confsearch.patterns import ALNUM_RE
from confsearch.text import fold

__all__ = ["ONE_WAY", "SYNONYMS", "expand_query", "expansions"]

# Groups of equivalent names: a query that mentions one of them gets the others appended.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("RUS", "regional utvecklingsstrategi"),
    ("RUP", "regionalt utvecklingsprogram"),
    ("SMF", "små och medelstora företag"),
    ("MUCF", "Myndigheten för ungdoms- och civilsamhällesfrågor"),
    ("SKR", "Sveriges Kommuner och Regioner"),
    ("AI", "artificiell intelligens"),
    ("ERUF", "Europeiska regionala utvecklingsfonden"),
    ("ESF", "Europeiska socialfonden"),
    ("JTF", "Fonden för en rättvis omställning"),
    ("EU", "Europeiska unionen"),
    ("FN", "Förenta nationerna"),
    ("FoI", "forskning och innovation"),
    ("FoU", "forskning och utveckling"),
    ("S3", "smart specialisering"),
    ("SCB", "Statistiska centralbyrån"),
    ("IOP", "idéburet offentligt partnerskap"),
    ("VGR", "Västra Götalandsregionen"),
    ("Vinnova", "Verket för innovationssystem"),
    ("Agenda 2030", "globala mål", "hållbarhetsmål"),
    ("civilsamhälle", "idéburen sektor"),
    ("företagare", "entreprenör"),
    ("samverkan", "samarbete"),
    # a process's or a model's parts
    ("fas", "etapp", "skede"),
)

# One-way expansions: English topic words -> Swedish, and narrower -> broader Swedish terms.
ONE_WAY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cycling", ("cykel", "cykling")),
    ("bicycle", ("cykel",)),
    ("bike", ("cykel",)),
    ("bicycle library", ("cykelbibliotek",)),
    ("bike library", ("cykelbibliotek",)),
    ("equality", ("jämlikhet", "jämställdhet")),
    ("gender equality", ("jämställdhet",)),
    ("civil society", ("civilsamhälle",)),
    # civil society by its everyday names ("ideella föreningar", "föreningslivet")
    ("ideell", ("civilsamhälle",)),
    ("förening", ("civilsamhälle",)),
    ("föreningsliv", ("civilsamhälle",)),
    ("artificial intelligence", ("AI", "artificiell intelligens")),
    ("business strategy", ("affärsstrategi",)),
    ("business", ("näringsliv", "företag")),
    ("municipality", ("kommun",)),
    ("municipalities", ("kommuner",)),
    ("county council", ("region",)),
    ("county administrative board", ("länsstyrelse",)),
    # bodies by their usual English names, where the register of organisations
    # (reading.gazetteer.ENGLISH_NAMES) has none: a chamber of commerce is regional
    ("chamber of commerce", ("Handelskammaren",)),
    ("Statistics Sweden", ("SCB", "Statistiska centralbyrån")),
    ("evaluation", ("utvärdering",)),
    ("collaboration", ("samverkan", "samarbete")),
    ("cooperation", ("samarbete", "samverkan")),
    ("sustainability", ("hållbarhet",)),
    ("sustainable development", ("hållbar utveckling",)),
    ("regional development", ("regional utveckling",)),
    ("green transition", ("grön omställning",)),
    ("skills supply", ("kompetensförsörjning",)),
    ("skills", ("kompetens",)),
    ("talent attraction", ("talangattraktion", "kompetensförsörjning")),
    ("entrepreneur", ("företagare", "entreprenör")),
    ("entrepreneurs", ("företagare", "entreprenör")),
    ("entrepreneurship", ("entreprenörskap",)),
    ("small and medium-sized enterprises", ("SMF", "små och medelstora företag")),
    ("SMEs", ("SMF", "små och medelstora företag")),
    ("young people", ("unga", "ungdomar")),
    ("youth", ("unga", "ungdomar")),
    ("public transport", ("kollektivtrafik",)),
    ("rural areas", ("landsbygd",)),
    ("countryside", ("landsbygd",)),
    ("climate", ("klimat",)),
    ("digitalisation", ("digitalisering",)),
    ("digitalization", ("digitalisering",)),
    ("tourism", ("turism", "besöksnäring")),
    ("labour market", ("arbetsmarknad",)),
    ("labor market", ("arbetsmarknad",)),
    ("education", ("utbildning",)),
    ("research", ("forskning",)),
    ("funding", ("finansiering",)),
    ("housing", ("bostäder",)),
    ("health", ("hälsa",)),
    ("welfare", ("välfärd",)),
    ("trust", ("tillit",)),
    ("leadership", ("ledarskap",)),
    ("accessibility", ("tillgänglighet",)),
    # the domain's everyday words for its own terms
    ("turism", ("besöksnäring",)),
    ("besöksnäring", ("turism",)),
    ("arbetskraftsbrist", ("kompetensförsörjning", "kompetensbehov")),
    ("kompetensbrist", ("kompetensförsörjning", "kompetensbehov")),
    ("personalbrist", ("kompetensförsörjning", "kompetensbehov")),
    ("jämställdhet", ("kvinnor och män",)),
    ("talangrekrytering", ("kompetensförsörjning",)),
    ("talangattraktion", ("kompetensförsörjning",)),
    ("maskininlärning", ("AI",)),
    ("machine learning", ("AI",)),
    # the UN's global goals are Agenda 2030's (the texts name the agenda, never the UN)
    ("FN:s globala mål", ("Agenda 2030",)),
    ("FN:s hållbarhetsmål", ("Agenda 2030",)),
    ("FN:s globala hållbarhetsmål", ("Agenda 2030",)),
    ("FN:s mål", ("Agenda 2030",)),
    ("UN goals", ("Agenda 2030",)),
    ("UN sustainable development goals", ("Agenda 2030",)),
    ("sustainable development goals", ("Agenda 2030",)),
)

# Endings a lowercase glossary word (3+ letters) may carry in a query; a capitalised name
# (4+ letters) may take a genitive "s"; abbreviations match only as written.
_SUFFIXES = frozenset(
    {
        *("a", "e", "n", "t", "s"),
        *("en", "et", "na", "ar", "er", "or", "ns", "ts", "as", "es"),
        *("arna", "erna", "orna", "ens", "ets", "ers", "ars", "ors"),
        *("arnas", "ernas", "ornas", "ande", "ende"),
    }
)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for each word of ``text`` (offsets into ``text``)."""
    return [(fold(m.group()), m.start(), m.end()) for m in ALNUM_RE.finditer(text)]


class _Phrase:
    __slots__ = ("endings", "text", "words")

    def __init__(self, text: str):
        self.text = text
        self.words = tuple(w for w, _, _ in _tokens(text))
        self.endings = tuple(_endings(raw) for raw in ALNUM_RE.findall(text))

    def matches_at(self, words: list[str], i: int) -> bool:
        if i + len(self.words) > len(words):
            return False
        for j, (want, endings) in enumerate(zip(self.words, self.endings, strict=True)):
            got = words[i + j]
            if got == want:
                continue
            if endings and want.endswith("t") and got in (want[:-1] + "a", want[:-1] + "e"):
                continue  # adjective: "regionalt" ~ "regionala"
            if not endings or not got.startswith(want):
                return False
            rest = got[len(want) :]
            # "programmet": a doubled final consonant before the ending
            if rest[:1] == want[-1:] and want[-1] not in "aeiouy" and rest[1:] in endings:
                continue
            if rest not in endings:
                return False
        return True


def _endings(raw: str) -> frozenset[str]:
    if raw.islower() and raw.isalpha() and len(raw) >= 3:
        return _SUFFIXES
    if raw[:1].isupper() and raw[1:].islower() and raw.isalpha() and len(raw) >= 4:
        return frozenset({"s"})
    return frozenset()


def _build_rules() -> dict[str, list[tuple[_Phrase, tuple[str, ...]]]]:
    """Rules indexed by the first word of their phrase."""
    rules: list[tuple[_Phrase, tuple[str, ...]]] = []
    for group in SYNONYMS:
        for name in group:
            rules.append((_Phrase(name), tuple(n for n in group if n != name)))
    for name, targets in ONE_WAY:
        rules.append((_Phrase(name), targets))
    by_first: dict[str, list[tuple[_Phrase, tuple[str, ...]]]] = {}
    for rule in rules:
        first = rule[0].words[0]
        by_first.setdefault(first, []).append(rule)
        if rule[0].endings[0] and first.endswith("t"):
            by_first.setdefault(first[:-1], []).append(rule)  # "regionala" ~ "regionalt"
    return by_first


_RULES = _build_rules()


def _contains(haystack: list[str], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(tuple(haystack[i : i + n]) == needle for i in range(len(haystack) - n + 1))


def expansions(query: str) -> list[tuple[str, str]]:
    """(matched text as written in the query, expansion) for every glossary hit, in query
    order; expansions already in the query or added earlier are left out."""
    toks = _tokens(query)
    words = [w for w, _, _ in toks]
    found: list[tuple[int, int, _Phrase, tuple[str, ...]]] = []
    for i, word in enumerate(words):
        # rules whose first word is this word or a prefix of it (an inflected form)
        for cut in range(len(word), 0, -1):
            for phrase, targets in _RULES.get(word[:cut], ()):
                if phrase.matches_at(words, i):
                    found.append((i, len(phrase.words), phrase, targets))
    # overlapping hits: the longest phrase wins, then the earliest
    found.sort(key=lambda h: (-h[1], -len("".join(h[2].words)), h[0]))
    taken = [False] * len(words)
    hits = []
    for i, n, _phrase, targets in found:
        if any(taken[i : i + n]):
            continue
        taken[i : i + n] = [True] * n
        hits.append((i, query[toks[i][1] : toks[i + n - 1][2]], targets))
    hits.sort(key=lambda h: h[0])
    out: list[tuple[str, str]] = []
    added: set[tuple[str, ...]] = set()
    for _, matched, targets in hits:
        for target in targets:
            key = tuple(w for w, _, _ in _tokens(target))
            if key in added or _contains(words, key):
                continue
            added.add(key)
            out.append((matched, target))
    return out


def expand_query(query: str) -> str:
    """``query`` with the glossary expansions of its terms appended after a space
    (``query`` itself if nothing matched)."""
    added = [target for _, target in expansions(query)]
    if not added:
        return query
    # the query stays a prefix of the result, so callers can slice the additions off
    return " ".join([query, *added])
