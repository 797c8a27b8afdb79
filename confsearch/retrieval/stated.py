"""What the best passages state of what a question asks for, sentence by sentence: the
quantity of the kind asked ("hur många invånare" counts inhabitants, "hur mycket pengar"
an amount of money, "hur stor" a size or a comparison, "när" a time), the municipalities
a "vilka kommuner" question names, and whether a claim to check ("Stämmer det att …?")
is about something the texts mention at all.

These are the hard rules of :mod:`confsearch.retrieval.confidence` (a question they rule
out is never answered) and the item checks of :mod:`confsearch.answers.sentences`.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from confsearch.analysis import analyze_words, term_match
from confsearch.patterns import COUNT_WORDS, DATE_WORDS, MONTHS, STATED_YEAR, WORD_RE
from confsearch.retrieval.glossary import expansions
from confsearch.retrieval.questionforms import AUXILIARIES
from confsearch.text import FUNCTION_WORDS, LINK_RE, fold, is_english, is_generic, split_sentences
from confsearch.tuning import ABOUT_SHARE, ACTION_PREFIX
from confsearch.wordclass import is_verb_form

# The question asks for a number, an amount or a date; typed with or without å/ä/ö
# ("hur manga"), except where dropping them makes another word ("vilket ar" = "är").
_QUANTITY_QUESTION = re.compile(
    r"\b(?:hur\s+(?:m[aå]nga|mycket|stor(?:a|t)?\s+(?:andel|del)|stor|l[aå]ng|l[aä]nge|ofta|"
    r"gammal)|vad\s+kostar|vad\s+kostade|vilken\s+budget|budgeten|hur\s+mycket\s+pengar|"
    r"vilket\s+år|n[aä]r\s+(?:startade|b[oö]rjade|slutade)|how\s+(?:many|much|long|often)|"
    r"what\s+(?:share|percentage|budget)|which\s+year)\b"
    # "När avslutas …?", "When will …?": a question that opens by asking when
    r"|^\W*(?:n[aä]r|when)\s+(?:ska|skall|kommer|blir|blev|var|är|b[oö]rjar|startar|slutar|"
    r"avslutas|startas|h[oö]lls|sker|skedde|will|was|is|did|does|do)\b"
    # keyword questions: "Antal expeditioner i Örebro?", "Startdatum för Rena resan?"
    r"|^\W*antal(?:et)?\s+[^\W\d_]|\b(?:" + DATE_WORDS + r")\b",
    re.IGNORECASE,
)
# fmt: off
_NUMBER_WORDS = (
    *COUNT_WORDS, "elva", "tolv", "tjugo", "trettio", "fyrtio", "femtio", "hundra", "tusen",
    "miljon", "miljoner", "miljard", "miljarder", "hälften", "halva", "dubbelt", "procent",
    "hundred", "thousand", "million", "half", "percent",
)
# A time stated in words answers "när" as a year does.
_TIME_WORDS = (
    *MONTHS, "våren", "sommaren", "hösten", "vintern",
    "i vår", "i höst", "i år", "nästa år", "förra året",
)
# fmt: on
_QUANTITY = re.compile(r"\d|\b(?:" + "|".join(_NUMBER_WORDS + _TIME_WORDS) + r")\b", re.IGNORECASE)
_YEAR = STATED_YEAR
_TIME = re.compile(r"\b(?:" + _YEAR + "|" + "|".join(_TIME_WORDS) + r")\b", re.IGNORECASE)


# What kind of quantity is asked for, and what a sentence must say to state one of that
# kind. "Hur många X" needs X counted (looked for in Swedish questions only: an English X is
# not a word of the texts); the others are told by their wording in either language.
_HOW_MANY = re.compile(r"(?:\bhur\s+m[aå]nga|^\W*antal(?:et)?)\s+(.+)", re.IGNORECASE)
_MONEY_QUESTION = re.compile(
    r"\b(?:hur\s+mycket\s+(?:pengar|medel|finansiering|kostar|kostade)|vad\s+kostar|"
    r"vad\s+kostade|vilken\s+budget|budgeten|how\s+much\s+(?:money|funding)|what\s+budget|"
    # "How much does the council cost to run?", "What did the campaign cost?"
    r"(?:how\s+much|what)\s+(?:does|did|do|will|would)\b[^?]{0,60}?\bcost)\b",
    re.IGNORECASE,
)
_FREQUENCY_QUESTION = re.compile(r"\b(?:hur\s+ofta|how\s+often)\b", re.IGNORECASE)
# "Hur länge …?", "how long": also what confsearch.retrieval.question reads as "duration".
DURATION_QUESTION = re.compile(
    r"\b(?:hur\s+l[aå]ng\s+tid|hur\s+l[aä]nge|how\s+long)\b", re.IGNORECASE
)
_SHARE_QUESTION = re.compile(
    r"\b(?:hur\s+stor\s+(?:andel|del)|hur\s+m[aå]nga\s+procent|what\s+(?:share|percentage)|"
    r"hur\s+mycket\s+av|how\s+much\s+of|what\s+part\s+of)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(r"\b(?:kronor|kr|mkr|msek|sek|tkr|euro|miljoner|miljarder)\b|€", re.IGNORECASE)
_FREQUENCY = re.compile(
    r"\b(?:gång|gången|gånger|varje|per|dagligen|veckovis|månadsvis|årligen|kvartalsvis|"
    r"regelbundet)\b",
    re.IGNORECASE,
)
# A span of time ("tre månader", "två år", "sedan 2015") answers "hur lång tid".
_DURATION = re.compile(
    r"\b(?:sekund\w*|minut\w*|timm[ae]\w*|dag|dagar|dagarna|veck[ao]\w*|månad\w*|år|året|"
    r"åren|årig\w*|halvår\w*|decenni\w*|" + _YEAR + r"|days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"\b(?:procent|hälften|halva|var\s+(?:tredje|fjärde|femte|tionde)|"
    # a share in words: "Större delen av ekonomin kommer från stål och gruva"
    r"(?:större|största|en\s+stor|en\s+liten|mindre)\s+del(?:en)?\s+av|merparten|majoriteten|"
    r"huvuddelen|en\s+(?:tredjedel|fjärdedel|femtedel))\b|%",
    re.IGNORECASE,
)


def _unit_term(question: str) -> str | None:
    """The index term of what "hur många …" counts ("Hur många nya invånare" -> invånare)."""
    m = _HOW_MANY.search(question)
    if m is None or m.group(1).lower().startswith("procent"):
        return None
    words = analyze_words(m.group(1))  # "kommuner" counts here, "nya" does not
    # "Hur många av de 400 organisationerna …" counts organisations, not the 400
    return next((t for w, t in words if w.lower() not in FUNCTION_WORDS and not w.isdigit()), None)


def _english_unit(question: str) -> str | None:
    """What "how many …" counts, when the glossary gives it in Swedish ("how many
    municipalities" -> kommun); None when it does not (an English word matches no
    Swedish term)."""
    m = _HOW_MANY_EN.search(question)
    if m is None:
        return None
    swedish = [sv for _, sv in expansions(m.group(1))]
    terms = [term for sv in swedish for _, term in analyze_words(sv)]
    return terms[-1] if terms else None


_HOW_MANY_EN = re.compile(r"\bhow\s+many\s+(\w+(?:\s+\w+)?)", re.IGNORECASE)
_TIME_QUESTION = re.compile(
    r"\b(?:n[aä]r|when|vilket\s+år|which\s+year|" + DATE_WORDS + r")\b", re.IGNORECASE
)
# "Hur stora är satsningarna?" asks how large: a comparison answers it as a number does.
_SIZE_QUESTION = re.compile(r"\bhur\s+stor[at]?\b(?!\s+(?:andel|del)\b)", re.IGNORECASE)
_SIZE = re.compile(
    r"\b(?:största|störst|större|minsta|minst|mindre|högsta|högre|lägsta|lägre|dubbelt|"
    r"hälften|mer\s+än|fler\s+än|mindre\s+än|rekord\w*|historiens)\b",
    re.IGNORECASE,
)


def asked_quantity(question: str) -> tuple[str, str | None]:
    """(:func:`quantity_kind`, the index term counted for "count", else None)."""
    if _FREQUENCY_QUESTION.search(question):
        return "frequency", None
    if DURATION_QUESTION.search(question):
        return "duration", None
    if _MONEY_QUESTION.search(question):
        return "money", None
    if _SHARE_QUESTION.search(question):
        return "share", None
    unit = _english_unit(question) if is_english(question) else _unit_term(question)
    if unit is not None:
        return "count", unit
    if _TIME_QUESTION.search(question):
        return "time", None
    if _SIZE_QUESTION.search(question):
        return "size", None
    return "number", None


def quantity_kind(question: str) -> str:
    """What a quantity question asks for: "frequency", "duration" (hur lång tid, hur
    länge), "money", "share", "count" (of the thing after "hur många"), "time" (när,
    vilket år), "size" (hur stor: a number or a comparison) or "number" (anything else:
    "how many" in English)."""
    return asked_quantity(question)[0]


def states_kind(kind: str, unit: str | None, sentence: str, terms: set[str]) -> bool:
    """Whether ``sentence`` (index terms ``terms``) states a quantity of ``kind``."""
    if kind == "size" and _SIZE.search(sentence):
        return True  # "de största investeringarna i Sveriges historia" says how large
    if kind == "frequency":
        return bool(_FREQUENCY.search(sentence))
    if kind == "time":  # "alla 16 kommunerna" says nothing about when
        return bool(_TIME.search(sentence))
    if kind == "share":  # "större delen av", "hälften": a share needs no digits
        return bool(_SHARE.search(sentence))
    if not states_quantity(sentence):
        return False
    if kind == "money":
        return bool(_MONEY.search(sentence))
    if kind == "duration":
        return bool(_DURATION.search(sentence))
    if unit is None:
        return True
    if unit.endswith(_ACTOR):
        # "hur många aktörer/stödaktörer": organisations counted are actors counted
        return any(term.endswith((_ACTOR, *_ACTOR_KINDS)) for term in terms)
    return any(term == unit or term.endswith(unit) for term in terms)


# "Aktör" is this field's word for any body that acts: a count of organisations, agencies
# or firms answers "hur många aktörer" (index terms: folded and stemmed).
_ACTOR = "aktor"
_ACTOR_KINDS = ("organisation", "mynd", "foretag", "stodorganisation")


_DIGITS = re.compile(r"\d+(?:[ \u00a0.,]\d{3})*")


def without_given_numbers(question: str, text: str) -> str:
    """``text`` without the numbers ``question`` itself gives: "Hur många av de 400
    organisationerna finansieras av Vinnova?" is not answered by "över 400 organisationer"."""

    def digits(m: re.Match) -> str:  # "1 000" and "1000" are one number
        return re.sub(r"\D", "", m.group())

    given = {digits(m) for m in _DIGITS.finditer(question)}
    if not given:
        return text
    return _DIGITS.sub(lambda m: " " if digits(m) in given else m.group(), text)


def asks_for_quantity(question: str) -> bool:
    """Asks for a number, an amount or a time ("Hur många …", "När avslutas …")."""
    return bool(_QUANTITY_QUESTION.search(question))


def states_quantity(text: str) -> bool:
    return bool(_QUANTITY.search(text))


def unstated_quantity(question: str, passages: list[str]) -> str:
    """The :func:`quantity_kind` of a question that asks for a number when the passages
    do not state it, else "": no sentence of the passages states a quantity of that kind,
    or none of the sentences about the question (sharing the most of its content terms,
    when any shares one) states a number at all."""
    if not asks_for_quantity(question):
        return ""

    kind, unit = asked_quantity(question)
    sentences = [
        (sentence, {term for _, term in analyze_words(sentence)})
        for text in passages
        for sentence in split_sentences(LINK_RE.sub(" ", text))  # "…/2021/08/…" is no year
    ]
    if not any(states_kind(kind, unit, s, terms) for s, terms in sentences):
        return kind
    if is_english(question):  # English words cannot tell which Swedish sentence it is about
        return ""
    wanted = {term for word, term in analyze_words(question) if not is_generic(word)}
    # a compound shares its parts ("samverkansmodellen" is about "modellen"); a sentence
    # sharing nearly as much as the best is about it too (a paraphrase's words are few)
    shared = [sum(term_match(w, terms, inner_from=5) for w in wanted) for _, terms in sentences]
    best = max(shared, default=0.0)
    about = [
        s for (s, _), n in zip(sentences, shared, strict=True) if n and n >= ABOUT_SHARE * best
    ]
    # no sentence shares a content word with the question: the first test is all there is
    stated = (s for s in about if states_quantity(s) or (kind == "share" and _SHARE.search(s)))
    return "" if not about or any(stated) else kind


_MUNICIPALITY_QUESTION = re.compile(
    r"\b(?:vilka\s+\w*kommuner|vilken\s+\w*kommun|which\s+municipalit(?:y|ies)|"
    r"what\s+municipalit(?:y|ies))\b",
    re.IGNORECASE,
)
# A municipality named ("Flens kommun", "kommunerna Nyköping, Flen …") or all of them
# ("alla 16 kommunerna").
_MUNICIPALITY_NAMED = re.compile(
    r"\b[A-ZÅÄÖ][\w-]*\s+kommun(?:en|er|erna)?\b|\b[Kk]ommuner(?:na)?\s+[A-ZÅÄÖ]"
    r"|\balla\s+(?:\w+\s+)?kommuner(?:na)?\b"
)


def municipalities_unnamed(question: str, passages: list[str]) -> bool:
    """A question that asks which municipalities, and no passage names one (nor says
    "all of them"): the texts say something about the county, not what was asked."""
    if not _MUNICIPALITY_QUESTION.search(question):
        return False
    return not any(_MUNICIPALITY_NAMED.search(text) for text in passages)


# "Stämmer det att …?", "Är det sant att …?": a claim to check.
_CLAIM = re.compile(
    r"^\W*(?:st[aä]mmer\s+det\s+(?:att|verkligen\s+att)|[äa]r\s+det\s+(?:sant|riktigt|korrekt)"
    r"\s+att)\b",
    re.IGNORECASE,
)


def unsupported_claim(question: str, grounding, english: bool, passages=()) -> bool:
    """A Swedish claim to check whose topic the texts never mention ("Stämmer det att
    Västmanland har infört kvotering …?" and no text says "kvotering"), or whose deed the
    best passages never tell ("… att Vinnova har utvärderat alla 400 organisationer?" and
    the passage only counts them): the texts cannot say it is so, however close the
    session."""
    claim = _CLAIM.search(question)
    if english or grounding is None or claim is None:
        return False
    if grounding.missing:
        return True
    return bool(passages) and bool(_untold_deeds(question[claim.end() :], passages))


def tells(deed: str, text: str, besides: Collection[str] = ()) -> bool:
    """Whether ``text`` tells of a deed (its index term) in any form or a noun made of it
    ("utvärderade" ~ "utvärderats", "utvärderingen"): a word that begins as the deed's
    first :data:`ACTION_PREFIX` letters ("genomförde" and "genomförandet" share "genomf",
    not their stems), or a compound ending in its doer ("projektledare" leads). Words in
    ``besides`` (folded) do not tell it."""
    start = deed[:ACTION_PREFIX]
    if start == "led":
        text = _LEADS_TO.sub(" ", text)  # "leder till": another sense of the verb
        if any(_HEAD.search(w) for w in map(fold, WORD_RE.findall(text)) if w not in besides):
            return True  # "Ingrid Strengsdal, chef Värmlandsrådsavdelningen" leads it
    doer = re.compile(re.escape(start) + r"\w{0,3}are(?:n|na|ns)?$")
    for word in WORD_RE.findall(text):
        low = fold(word)
        if low in besides:
            continue
        if low.startswith(start) or (len(low) > len(start) + 4 and doer.search(low[3:])):
            return True
    return False


# who heads a body leads it: "chef", "ordförande", "direktör" and their compounds, folded
_HEAD = re.compile(r"(?:chef|ordforande|direktor)(?:en|er|erna|ens)?$")
_LEADS_TO = re.compile(r"\b(?:led(?:er|de|a|s|it)?|lett)\s+(?:\w+\s+)?till\b", re.IGNORECASE)


def _untold_deeds(claim: str, passages) -> list[str]:
    """The verbs of ``claim`` (sure verb forms, not auxiliaries) that no passage
    :func:`tells` of."""
    deeds = [
        term
        for word in WORD_RE.findall(claim)
        if len(word) >= 4 and word.lower() not in AUXILIARIES and is_verb_form(word)
        for _, term in analyze_words(word)
    ]
    return [d for d in deeds if not any(tells(d, text) for text in passages)]
