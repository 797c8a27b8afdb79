"""The shape of a question, before what it asks for is read: a memo's context clause
before the question proper, "var" as "was" rather than "where", advice on where to start,
the term a definition question asks about, a yes/no question proposing who did it ("… av
en konsult?") and whether "hur" asks a means or what a thing is like.

:mod:`confsearch.retrieval.question` reads what a question asks for; these decide which
part of the text it reads and which of its readings of "var" and "hur" applies.
"""

from __future__ import annotations

import re

from confsearch.patterns import WORD, WORD_RE
from confsearch.reading.regions import typed_mentions
from confsearch.text import FUNCTION_WORDS
from confsearch.wordclass import is_verb_form

# A question may open with a conjunction ("Och hur …", "But why …").
START = r"^\W*(?:och|men|så|and|but|so)?\s*"

# fmt: off
AUXILIARIES = frozenset((
    "har", "hade", "ska", "skall", "skulle", "kan", "kunde", "vill", "ville", "måste", "bör",
    "borde", "brukar", "får", "fick", "kommer", "lyckades", "började", "att", "has", "have",
    "had", "will", "would", "can", "could", "did", "does", "do", "should", "may", "might"
))
# fmt: on


# "Var utredningsgruppen tvärfunktionell?": "var" is "was" when a subject follows it, not
# a verb as in "Var finns …", "Var hölls …" (confsearch.wordclass knows the verbs).
_VAR_THEN = re.compile(r"^\W*var\s+(?P<next>" + WORD + ")", re.IGNORECASE)
_SUBJECT_PRONOUNS = frozenset(("han", "hon", "hen", "de", "dom", "den", "ni", "du", "man"))
_DEFINITE = re.compile(r"(?:en|et|na|n|t)$")
# fmt: off
_WHERE_VERBS = frozenset((
    "finns", "ligger", "hölls", "hålls", "sker", "skedde", "görs", "gjordes", "hittar",
    "hittas", "bor", "jobbar", "arbetar", "någonstans", "står", "kommer", "träffas",
))
# fmt: on


def was_it(text: str) -> bool:
    """ "Var utredningsgruppen …?", "Var han …?": a subject after "var" (a pronoun or a
    noun in its definite form that is no verb form), so "var" is the verb "was"."""
    m = _VAR_THEN.match(text)
    if m is None:
        return False
    word = m.group("next").lower()
    if word in _SUBJECT_PRONOUNS:
        return True
    if word in _WHERE_VERBS or word in AUXILIARIES or len(word) < 5:
        return False
    return bool(_DEFINITE.search(word)) and not is_verb_form(word)


# "Var ska man börja?", "Where should the change start?": advice on the first step, a
# method, not a location ("Var startade projektet?" still asks where).
WHERE_TO_START = re.compile(
    START + r"(?:var|where)\s+(?:ska|skall|bör|borde|kan|should|shall|can|to|do|does)\b"
    r"(?:\s+[^\W\d_]+){0,4}?\s+(?:b[oö]rja|starta|start|begin)\b",
    re.IGNORECASE,
)


# "Inför ett möte om X: vilka …?", "Vi vill utreda X – vilken region …?": a context
# clause, then the question itself.
_CONTEXT_THEN_QUESTION = re.compile(
    # the clause is no question itself ("Vad säger lärpasset om X – vem …?" asks both);
    # "När vi granskar X: vad …?" is a clause of time (question._CLAUSE_THEN_QUESTION)
    r"^(?!\W*(?:vad|vem|vilk\w*|hur|var|varför|what|who|which|how|where|why)\b)"
    r"[^:?–]{3,}(?::|\s[–-])\s*"
    r"(?P<question>(?:vad|vem|vilk\w+|hur|när|nar|var|varför|finns|stämmer|kan|what|who|"
    r"which|how|when|where|why|is|are|does|do|did|can)\b.*)$",
    re.IGNORECASE,
)


def question_proper(text: str) -> str:
    """The question without a memo's context clause before a colon or a dash: "Inför en
    diskussion om vilka företag vi stöttar: vilka bilder …?" asks about pictures, not
    companies."""
    m = _CONTEXT_THEN_QUESTION.match(text)
    return m.group("question") if m else text


# Nouns that relate the term to something ("syftet med X", "the purpose of X"): what is
# asked is that relation, not what the words mean.
_RELATIONAL = (
    r"(?:syfte(?:t)?|mål(?:et)?|poäng(?:en)?|tanken|meningen|idén|iden|vitsen|fördel(?:en|arna)|"
    r"nackdel(?:en|arna)|skillnaden|orsaken|anledningen|problemet|utmaningen|risken|nyttan|"
    r"värdet|purpose|point|aim|goal|idea|difference|reason|benefits?|advantages?|problem|"
    r"challenge|risk|value)\s+(?:med|mellan|till|bakom|för|of|with|between|"
    r"behind|for)\b"
)
DEFINITION = re.compile(
    START + r"(?:vad\s+(?:är|ar|betyder|innebär|innebar|menas\s+med|avses\s+med|står)"
    r"|what\s+(?:is|are|does|do)|define|förklara|explain)\s+"
    r"(?:(?:the\s+term|the\s+abbreviation|the\s+acronym|en|ett|the|a|an|begreppet|termen|"
    r"ordet|förkortningen|akronymen|abbreviation|acronym)\s+)?"
    # "Vad är syftet med X?" asks a purpose, "Vad är skillnaden mellan …?" a comparison
    r"(?!" + _RELATIONAL + r")"
    r"(?P<term>" + WORD + r"(?:\s+" + WORD + r"){0,2}?)"
    # where the term is used: "Vad är en expedition i Örebros arbetssätt?"
    r"(?P<where>\s+(?:i|inom|enligt|hos|på|according\s+to|within)\s+"
    + WORD
    + r"(?:\s+"
    + WORD
    + r"){0,2})?"
    r"(?:\s+(?:för\s+något|för\s+nåt|för|mean|stand\s+for|means))?\s*\??\s*$",
    re.IGNORECASE,
)


def _without_region(term: str) -> str:
    """A definition's term without the region that only says where ("LUX i Norrbotten",
    "kabeltrumman i sormland"): the texts define "LUX", never "LUX i Norrbotten"."""
    m = re.match(r"(?P<term>.+?)\s+(?:i|in|på)\s+(?P<where>.+)$", term, re.IGNORECASE)
    if m is None:
        return term
    where = typed_mentions(m.group("where"))
    whole = len(where) == 1 and where[0].start == 0 and where[0].end == len(m.group("where"))
    return m.group("term") if whole else term


def _names_a_place(where: str) -> bool:
    """Whether "i Örebros arbetssätt", "enligt Vinnova", "i sormland" say where a term is
    used (a capitalised name or an organisation however typed), so it is no part of it."""
    rest = where.split(None, 1)[1] if " " in where else ""
    rest = re.sub(r"^to\s+", "", rest)  # "according to"
    if re.match(r"(?:det\s+här|detta|this)\s+(?:sammanhang\w*|context)$", rest, re.I):
        return True  # "i det här sammanhanget": the texts' own use
    return rest[:1].isupper() or bool(typed_mentions(rest))


def definition_term(text: str) -> str:
    """The term a definition question ("Vad är X?", "What does X stand for?") asks to
    define, as the texts would write it; "" when ``text`` asks none."""
    m = DEFINITION.search(text)
    if m is None:
        return ""
    term = m.group("term").strip()
    where = (m.group("where") or "").strip()
    innebar = re.search(r"\binneb[äa]r\b", m.group()[: m.start("term")], re.IGNORECASE)
    if where and innebar and _without_region(f"{term} {where}") != term:
        return ""  # "Vad innebär X i Örebros arbete?": what X comes to there, not a meaning
    if where and not _names_a_place(where):
        term = f"{term} {where}"  # "ledning i praktiken": part of the term, not a place
        if len(term.split()) > 3:
            return ""  # "Vad är priset på guld idag?": a fact, not what a term means
    first = typed_mentions(term)
    if first and first[0].start == 0 and first[0].genitive:
        return ""  # "vad är Gävleborgs största utmaning": what the region holds, no term
    if any(_SUPERLATIVE.fullmatch(w) or _ORDINAL.fullmatch(w) for w in term.lower().split()):
        # "Vad är den största utmaningen?", "vad är andra fasen?": one of many picked, a
        # fact asked, not what words mean
        return ""
    return _without_region(term)


# Swedish and English ordinals, and "last" (typed without å/ä/ö too).
_ORDINALS_SV = "första|forsta|andra|tredje|fjärde|fjarde|femte|sista"
_ORDINALS_EN = "first|second|third|fourth|fifth|last|final"
# An ordinal, or "next": it picks one of a series ("andra fasen", "nästa steg").
_ORDINAL = re.compile(f"{_ORDINALS_SV}|sjätte|nästa|nasta|{_ORDINALS_EN}|next")


# "Vad är andra fasen?", "Sista fasen i modellen?": one of a series, given where the series
# is listed ("andra delarna" is "the other parts", no ordinal; "nästa steg" lists none).
ORDINAL_ASKED = re.compile(
    rf"\b(?:{_ORDINALS_SV}|avslutande|inledande)\s+[^\W\d_]{{2,}}(?:en|et)\b"
    rf"|\b(?:{_ORDINALS_EN})\s+(?:phase|stage|step|part)s?\b",
    re.IGNORECASE,
)


# A superlative ("största", "viktigaste", typed "storsta"; "the biggest"): it picks one of
# many. Swedish "-aste" forms and the short irregular ones, not every word in "-sta"
# ("lista", "pasta").
_SUPERLATIVE = re.compile(
    r"[^\W\d_]{3,}aste|st[öo]rsta|b[äa]sta|h[öo]gsta|minsta|l[äa]ngsta|fr[äa]msta|v[äa]rsta|"
    r"biggest|largest|greatest|best|worst|most|main"
)


# "Vad står LUX för?", "What does the abbreviation RUS stand for?": the letters spelled
# out are asked, not what the thing is.
EXPANSION = re.compile(
    r"\bstår\b.*\bför\s*\??\s*$|\bstands?\s+for\b|\bförkortning\w*|\babbreviation\b|"
    r"\bacronym\b|\bakronym\w*",
    re.IGNORECASE,
)


def before_verb(text: str) -> str:
    """``text`` up to its first verb after the first word: the rest is the clause's own.
    A verb is a verb form, an auxiliary or a function word, or a word a subject pronoun
    follows ("… Kina tittar man på": the inverted order of a Swedish main clause)."""
    words = list(WORD_RE.finditer(text))
    for i, m in enumerate(words[1:], 1):
        w = m.group().lower()
        after = words[i + 1].group().lower() if i + 1 < len(words) else ""
        verb = is_verb_form(w) or w in AUXILIARIES or after in _SUBJECTS
        if verb or (w in FUNCTION_WORDS and w not in _JOINING):
            return text[: m.start()]
    return text


_JOINING = frozenset(("och", "samt", "eller", "and", "or"))
_SUBJECTS = frozenset(("man", "de", "vi", "ni", "han", "hon", "hen", "dom"))


# A yes/no question ("Har Sörmland gjort någon systemkarta över vilka aktörer som ansvarar
# för vad?") asks whether, not which: an interrogative after a preposition there opens a
# clause about a noun of the question, not what is asked for. "Kan du berätta vilka
# regioner …?" does ask which ones (no preposition before it). "Var" may ask where.
_POLAR = re.compile(
    r"^\W*(?:har|hade|är|ar|finns|fanns|kan|kunde|gör|gor|gjorde|får|far|fick|ska|skall|"
    r"kommer|blev|tog|använder|använde|stämmer|is|are|was|were|has|have|had|does|do|did|"
    r"can|could|will|should)\b",
    re.IGNORECASE,
)
_EMBEDDED_WH = re.compile(
    r"\b(?:över|om|kring|av|för|på|med|i|about|of|on|for|over)\s+"
    r"(?:vilka|vilken|vilket|vem|vad|hur|when|which|what|who|how)\b",
    re.IGNORECASE,
)


def without_embedded_wh(question: str) -> str:
    """``question`` without the interrogatives a yes/no question embeds after a
    preposition (only their preposition is kept), so its kind is read from the rest."""
    if not _POLAR.match(question):
        return question
    return _EMBEDDED_WH.sub(lambda m: m.group().split()[0], question)


# A yes/no question that proposes who did it ("Gjordes analysen av en extern konsult?",
# "Tog Sörmland hjälp av en designbyrå?", "Was the study done by a consultancy?", "Var det
# en konsult som …?") asks who did it: a sentence about the deed that names no one does
# not answer it. Only a doer introduced as one of a kind ("en", "a") is a proposal; "av
# Handelskammaren" names one.
_KIND_OF_DOER = r"\s+(?:en|ett|någon|nån|några|an?|some|any)\s+"
_AGENT_PROPOSED = re.compile(
    r"\bhjälp\s+(?:av|från)"
    + _KIND_OF_DOER
    + r"|\banlita\w*(?:\s+[^\W\d_]+){0,3}?"
    + _KIND_OF_DOER
    + r"|\b[^\W\d_]{3,}(?:des|tes|ats|tts)(?:\s+[^\W\d_]+){0,6}?\s+av"
    + _KIND_OF_DOER
    + r"|\b(?:done|carried\s+out|made|conducted|developed|written|designed|created|produced|"
    r"drawn\s+up|prepared|performed|run|led)(?:\s+[^\W\d_]+){0,3}?\s+by"
    + _KIND_OF_DOER
    + r"|\b(?:hire|hired|engage|engaged|commission|commissioned)"
    + _KIND_OF_DOER
    + r"|\bhelp\s+from"
    + _KIND_OF_DOER
    # a cleft: "Var det en extern konsult som utvärderade …?", "Was it a consultancy that …?"
    + r"|^\W*(?:var|är|was|is)\s+(?:det|it)"
    + _KIND_OF_DOER
    + r"(?:[^\W\d_]+\s+){1,2}(?:som|that|who)\b",
    re.IGNORECASE,
)
_WH_FIRST = re.compile(
    START + r"(?:vem|vad|vilk\w*|hur|när|nar|varför|varfor|who|what|which|how|when|where|why)\b",
    re.IGNORECASE,
)


def proposes_doer(question: str) -> bool:
    """Whether a yes/no ``question`` proposes a kind of doer for its deed (see above)."""
    return not _WH_FIRST.match(question) and bool(_AGENT_PROPOSED.search(question))


# "Hur …?" asks a means ("Hur når regionen allmänheten?"), unless it asks what a thing is
# like, how much it matters or where it is heading ("Hur ser det ut för …?", "Hur viktig
# är …?", "Hur fungerar …?", "Hur utvecklas …?", "Hur påverkar …?"): those are told in
# any words, never by "genom" or "med" (rounds 7-24, dev25: first sentence +8, none lost).
_HOW = re.compile(START + r"(?:hur|how)\b", re.IGNORECASE)
_HOW_IT_IS = re.compile(
    START + r"(?:hur\s+(?:ser\b|viktig\w*|fungerar|utvecklas|påverka\w*|stor\w*)|"
    r"how\s+(?:important|does\s+\w+(?:\s+\w+)?\s+(?:look|affect|work)))",
    re.IGNORECASE,
)


def asks_method(question: str) -> bool:
    """Whether ``question`` asks how something is done (see above)."""
    return bool(_HOW.search(question)) and not _HOW_IT_IS.search(question)
