"""What a question asks for, and what it asks about.

An answer is only an answer if it holds the kind of thing the question asks for: a date
for "när", an amount for "hur mycket kostar", a name for "vem", another country for
"vilka andra länder än Indien". And its lead sentence must be about the question's
*focus*, the thing asked about ("Indien" in "Vad sa Per-Erik Andersson om Indien?"), not
about the words that only locate it (the speaker). This module reads both off the
question's wording, in Swedish and English, by the grammar of questions (interrogative
words and the noun they govern), never by lists of the evaluation's questions.

``asks`` is one of :data:`ASKS`; the checks on sentences are in :mod:`confsearch.answers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from confsearch.analysis import analyze_words
from confsearch.patterns import DATE_WORDS, WORD_RE
from confsearch.reading.regions import typed_mentions
from confsearch.retrieval.comparisons import compared_with
from confsearch.retrieval.listitems import asked_count, instances_class, named_bodies, named_class
from confsearch.retrieval.plans import asked_outcome
from confsearch.retrieval.questionforms import (
    AUXILIARIES,
    EXPANSION,
    ORDINAL_ASKED,
    START,
    WHERE_TO_START,
    asks_method,
    before_verb,
    definition_term,
    proposes_doer,
    question_proper,
    was_it,
    without_embedded_wh,
)
from confsearch.retrieval.questionroles import (
    ACTION_ASKS,
    COMPANY_CLASS,
    COMPANY_NOUN,
    DOER_QUESTION,
    JOB_TITLE,
    OTHER_BODY_CLASS,
    PARTY_NOUN,
    REGION_CLASS,
    STATE_NOUN,
    TITLE_WORD,
    WITHIN_BODY,
    asked_roles,
    asks_person_title,
    asks_presenter,
    main_action,
)
from confsearch.retrieval.stated import DURATION_QUESTION
from confsearch.text import FUNCTION_WORDS, fold, is_english, is_generic
from confsearch.wordclass import is_verb_form
from confsearch.wordlists import QUESTION_WORDS

ASKS = (
    "definition",  # vad är X, vad betyder X, what is X
    "said",  # vad sa X (om Y)
    "person",  # vem, vilka personer, who
    "title",  # vilken titel har X, what is X's job title: a role, not a name
    "organisation",  # vilken region/organisation/kommun, which region
    "place",  # var, vilket land, where
    "time",  # när, vilket år, when
    "duration",  # hur länge, hur lång tid, how long
    "money",  # vad kostar, hur mycket pengar, budget, how much funding
    "number",  # hur många, hur stor andel, how many
    "list",  # vilka åtgärder, which measures: several things named
    "reason",  # varför, why
    "method",  # hur, how
    "other",
)

_SAID = re.compile(
    r"\b(?:vad|vilka\s+\w+|what)\s+(?:sa|sade|säger|berättade|berättar|tyckte|tycker|"
    r"menade|menar|tog|lyfte|said|say|says|think|thinks|told|tell)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_SAID_AUX = re.compile(
    r"\b(?:what\s+(?:did|does|do|has|have)|vad\s+(?:har|hade))\s+(?P<who>.+?)\s+"
    r"(?:say|said|tell|told|think|mention\w*|suggest\w*|argue\w*|sagt|berättat|tyckt|"
    r"menat|lyft\w*)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_ABOUT = re.compile(r"\b(?:om|kring|angående|about|on|regarding)\s+(?P<focus>.+)$", re.IGNORECASE)
_PERSON = re.compile(
    START
    + r"(?:vem|who|vilka\s+(?:var\s+det\s+som|är\s+det\s+som))\b|"
    # "Vilka från Region Västmanland …?", "Vilka på Vinnova …?": which people of a body
    + START
    + r"vilka\s+(?:från|fran|på|hos)\s|"
    # "Vilka Vinnova-företrädare", not "Vilka slags chefer" (a kind, not who)
    r"\b(?:vilken|vilka|which|what)\s+(?!(?:slags|sorts|typ|typer|kind|kinds|type|types)\b)"
    r"(?:\w+\s+)?(?:[\w]+-)?(?:person(?:er)?|people|talare|speakers?|"
    r"politiker|politicians?|ordförande|chair(?:man|person)?|chef(?:er)?|forskare|"
    r"researchers?|projektledare|företrädare|representant(?:er)?|experter?|experts?|"
    r"konsulter?|consultants?)\b"
    # "Vad heter regiondirektören?": a role's holder by name
    r"|\bvad\s+heter\s+(?:den\s+|det\s+)?[\w-]*(?:direktör|chef|ordförande|ledare|"
    r"samordnare|handläggare|politiker|talesperson)\w*"
    # a keyword question naming the doer: "Finansiär för X?", "Deltagare i X?"
    r"|" + DOER_QUESTION.pattern,
    re.IGNORECASE,
)
_ORG_NOUN = (
    r"(?:region(?:er|erna|en)?|organisation(?:er|erna|en)?|län(?:et)?|myndighet(?:er|en)?|"
    r"kommun(?:er|erna|en)?|\w+kommun(?:er|erna)?|aktör(?:er|erna)?|landsting(?:et)?|"
    r"förbund(?:et)?|regions?|counties|county|organi[sz]ations?|agenc(?:y|ies)|"
    r"municipalit(?:y|ies)|councils?|bodies|body|actors?|\w*byrå(?:n|er|erna)?|universitet(?:et)?|"
    r"lärosäte(?:t|n)?|consultanc(?:y|ies)|universit(?:y|ies)|partners?|"
    + f"{PARTY_NOUN}|{COMPANY_NOUN}|{STATE_NOUN})"
)
_ORGANISATION = re.compile(
    r"\b(?:vilken|vilket|vilka|which|what)\s+"
    r"(?:(?!did\b|does\b|do\b|is\b|are\b|was\b|were\b|har\b|hade\b|är\b)\w+\s+)?"
    + _ORG_NOUN
    + r"\b",
    re.IGNORECASE,
)
_OTHER_THAN = re.compile(
    r"\b(?:andra|other)\s+(?P<cls>\w+)\s+(?:än|than|besides|apart\s+from)\s+(?P<other>[^?,.]+)",
    re.IGNORECASE,
)
# "Förutom Indien, vilka andra länder …", "Besides India, which other countries …"
_BESIDES = re.compile(
    r"\b(?:förutom|utöver|besides|apart\s+from|except(?:\s+for)?)\s+(?P<other>[^?,.]+?)"
    r"[,]?\s+(?:vilka|vilket|vilken|which|what)\s+(?:andra|other)\s+(?P<cls>\w+)",
    re.IGNORECASE,
)
# "Which sectors … besides steel and mining?": what is left out comes last
_BESIDES_LAST = re.compile(
    r"^\W*(?:vilka|which|what)\s+(?P<cls>\w+)\b.*\b(?:förutom|utöver|besides|apart\s+from|"
    r"other\s+than)\s+(?P<other>[^?,.]+)",
    re.IGNORECASE,
)
_PLACE = re.compile(
    START + r"(?:var(?!\s+(?:det|finns|är))\b|where\b)|"
    r"\b(?:vilket|vilka|which|what)\s+(?:andra\s+|other\s+)?"
    r"(?:land|länder|stad|städer|ort|orter|plats|platser|countr(?:y|ies)|cit(?:y|ies)|places?)\b",
    re.IGNORECASE,
)
_PLACE_WHERE = re.compile(
    START + r"(?:var\s+(?:finns|ligger|görs|sker|hölls|ska|kan)|where)\b", re.IGNORECASE
)
_TIME = re.compile(
    START + r"(?:när|nar|when|sedan\s+när|since\s+when)\b|"
    r"\b(?:vilket\s+år|vilken\s+månad|vilket\s+datum|vilken\s+dag|which\s+year|what\s+year|"
    r"what\s+date|which\s+month|" + DATE_WORDS + r")\b",
    re.IGNORECASE,
)
# "När X gjorde Y, vad kom man fram till?": "när" opens a clause, the question is later.
_CLAUSE_THEN_QUESTION = re.compile(
    r"^\W*(?:när|nar|when)\b[^?]*,\s*(?:vad|hur|vilka|vilken|vilket|varför|vem|what|how|"
    r"which|why|who)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"\b(?:vad\s+kosta(?:r|de)|hur\s+mycket\s+(?:pengar|kostar|kostade|stöd|bidrag|medel|"
    r"finansiering|investera\w*|satsa\w*)|vilken\s+budget|hur\s+stor\s+budget|budget\w*|"
    r"how\s+much\s+(?:money|funding|does\s+\w+\s+cost|did\s+\w+\s+cost|\w+\s+(?:cost|invest|"
    r"spend|fund|put|pay)\w*)|what\s+(?:budget|funding)|how\s+much\s+\w+\s+\w+\s+put\s+into)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\b(?:hur\s+(?:m[aå]nga|mycket|stor(?:a|t)?(?:\s+(?:andel|del))?)|how\s+(?:many|much)|"
    r"what\s+(?:share|percentage|proportion|number))\b"
    r"|^\W*(?:antal|antalet)\s+[^\W\d_]",  # "Antal expeditioner i Örebro?"
    re.IGNORECASE,
)
# "Vilka åtgärder …", "Which measures …", "What are the steps …": several things named;
# "Vilka är faserna i modellen?", "Vad heter faserna?": named in the definite plural.
_LIST = re.compile(
    START + r"(?:vilka|which|what\s+are(?:\s+the)?)\s+(?!av\b|är\b|var\b|of\b)[^\W\d_]{3,}"
    r"|" + START + r"(?:vilka\s+(?:är|var)|vad\s+heter)\s+(?:de\s+)?(?:\w+\s+)?"
    r"[^\W\d_]{3,}(?:erna|arna|orna)\b"
    # "Ge exempel på branscher …", "Räkna upp grupperna", "Give examples of benefits"
    r"|" + START + r"(?:(?:ge|give)\s+(?:några\s+|some\s+)?(?:exempel\s+på|examples?\s+of)|"
    r"(?:nämn|name)\s+(?:några|ett\s+par|some|a\s+few)(?:\s+exempel\s+på|\s+examples\s+of)?|"
    r"räkna\s+upp|list)\s+(?:(?:de|the)\s+)?(?!hur\b|how\b|vad\b|what\b)[^\W\d_]{3,}",
    re.IGNORECASE,
)
_REASON = re.compile(
    START
    + r"(?:varf[öo]r|why)\b|\b(?:av\s+vilken\s+anledning|vad\s+beror|what\s+was\s+the\s+reason|"
    r"vad\s+är\s+(?:syftet|meningen|poängen|tanken|vitsen)\s+med|"
    r"what\s+is\s+the\s+(?:purpose|point)\s+of)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    text: str
    asks: str
    focus: tuple[str, ...] = ()  # the focus's content words, as written
    locators: tuple[str, ...] = ()  # words that only say where to look (a speaker)
    term: str = ""  # the term a definition question asks about, as written
    excluded: tuple[str, ...] = ()  # "andra länder än Indien": Indien
    regions_only: bool = False  # "vilka regioner": an agency is no answer
    companies_only: bool = False  # "vilka företag": neither a region nor an agency
    other_bodies: bool = False  # "vilken kommun/konsult", "av en konsult?": not the card's
    people_only: bool = False  # "vem på myndigheten": a person, not the body
    presenter: bool = False  # "Vem berättade om …?": the session's speakers answer
    roles: tuple[str, ...] = ()  # "vilken politiker är ordförande": the roles asked for
    other_class: str = ""  # "andra länder än …": länder
    english: bool = False
    focus_terms: tuple[str, ...] = field(default=(), compare=False)  # index terms
    # "Vem utvärderade …?": the index term of the deed a "who" question asks the doer of;
    # the name answering it must stand in a sentence that tells of that deed
    actions: tuple[str, ...] = ()
    # "Vilka AI-verktyg …?": things known by name, answered only by naming one
    named: str = ""
    count: int = 0  # "Vilka tre steg …?": the answer states the count and lists them
    instances: str = ""  # "Vilka konkreta målkonflikter …?": the answer lists some
    expansion: bool = False  # "Vad står LUX för?": the letters spelled out are asked
    outcome: str = ""  # "plan" ("Planerar X att …?"), "result", "funding" (retrieval.plans)
    compared: tuple[str, ...] = ()  # "jämfört med riksgenomsnittet": riksgenomsnittet


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry its topic: no function, generic or question words."""
    out = []
    for word in WORD_RE.findall(text):
        low = word.lower()
        if low in QUESTION_WORDS or low in FUNCTION_WORDS or is_generic(word) or len(word) < 3:
            continue
        out.append(word)
    return out


# Words a who-question's deed is never (questionroles.main_action passes over them).
_FRAME = QUESTION_WORDS | AUXILIARIES
# After these a word is the question's verb ("Vem talade", "Hur jobbar", "What did"); not
# after "vilka"/"which", which govern a noun ("Vilka regioner"), nor after a subject
# ("Hur bakar man surdegsbröd": the verb came first).
_VERB_AFTER = frozenset(
    ("vem", "vad", "hur", "när", "nar", "varför", "varfor", "who", "what", "how", "when", "why")
)


# A noun's definite form: after an auxiliary it is the inverted subject, no verb.
_DEFINITE_NOUN = re.compile(r"\w{3,}(?:erna|arna|orna|ena|en|et)$", re.IGNORECASE)


def verb_words(text: str) -> list[str]:
    """The words of a question that its grammar marks as verbs: the word after an
    interrogative or a subject pronoun, after an auxiliary ("har talat"), and a word
    ending as a supine or past participle after one ("har genomfört")."""
    words = WORD_RE.findall(text)
    out = []
    for i, word in enumerate(words[1:], 1):
        before = words[i - 1].lower()
        if before in _VERB_AFTER or before in AUXILIARIES:
            if word[:1].isupper() and (i > 1 or before in AUXILIARIES):
                continue  # "Vad gjorde Region Örebro", "har Region X": a name, not a verb
            if word.lower() in FUNCTION_WORDS and word.lower() not in AUXILIARIES:
                continue
            if _DEFINITE_NOUN.search(word) and not is_verb_form(word):
                continue  # "Vilken roll hade länsstyrelserna …": the subject, not a verb
            out.append(word)
    return out


def _asks(text: str) -> str:
    if definition_term(text):
        return "definition"
    if _SAID.search(text) or _SAID_AUX.search(text):
        return "said"
    if (JOB_TITLE.search(text) and not _REASON.search(text)) or asks_person_title(text):
        return "title"  # not "Varför kan personer i mellanledande befattningar …?"
    if DURATION_QUESTION.search(text):
        return "duration"
    if _MONEY.search(text):
        return "money"
    if _TIME.search(text) and not _CLAUSE_THEN_QUESTION.search(text):
        return "time"
    if _NUMBER.search(text):
        return "number"
    if _PERSON.search(text):
        return "person"
    if _ORGANISATION.search(text):
        return "organisation"
    if WHERE_TO_START.search(text):
        return "method"
    if (_PLACE.search(text) or _PLACE_WHERE.search(text)) and not was_it(text):
        return "place"
    if _LIST.search(text) or ORDINAL_ASKED.search(text):
        return "list"
    if _REASON.search(text):
        return "reason"
    if asks_method(text):
        return "method"
    return "other"


# Kinds of question whose answer may have to name things or count them (listitems).
_LIST_ASKS = ("list", "other")


def analyse(text: str) -> Question:
    """What ``text`` asks for (:data:`ASKS`) and its focus."""
    text = " ".join((text or "").split())
    proper = question_proper(text)  # without a memo's context clause
    doer = proposes_doer(proper)  # "Gjordes den av en konsult?" asks who did it
    asks = "organisation" if doer else _asks(without_embedded_wh(proper))
    english = is_english(text)
    term = ""
    locators: list[str] = []
    excluded: tuple[str, ...] = ()
    other_class = ""
    focus_text = text
    if asks == "definition":
        term = definition_term(proper)  # what _asks found it in: not a memo's context
        focus_text = term
    elif asks == "said":
        aux = _SAID_AUX.search(text)
        if aux is not None:
            who, rest = aux.group("who"), aux.group("rest")
        else:
            rest = _SAID.search(text).group("rest")  # type: ignore[union-attr]
            who = ""
        about = _ABOUT.search(rest)
        locators = content_words(who + " " + (rest[: about.start()] if about else rest))
        focus_text = about.group("focus") if about else ""
    m = _OTHER_THAN.search(text) or _BESIDES.search(text)
    last = _BESIDES_LAST.search(text) if m is None else None
    found = m or last
    if found:
        other_class = found.group("cls")
        # "än Indien tittar …": the first word; "besides steel and mining?": all of it,
        # up to a verb ("utöver klimatnyttan nämnde Katja Hagström": "klimatnyttan")
        other = before_verb(found.group("other")) if last else found.group("other")
        excluded = tuple(content_words(other)[: 3 if last else 1])
        if asks in ("other", "method", "organisation") and re.match(
            r"(?:land|länder|countr)", other_class, re.IGNORECASE
        ):
            asks = "place"
    verbs = set(verb_words(text))
    # an organisation the question names locates the session, within which every
    # sentence is about it: the focus is the rest ("Hur når Region Örebro län allmänheten")
    named = {w.lower() for m in typed_mentions(text) for w in content_words(text[m.start : m.end])}
    focus = [w for w in content_words(focus_text) if w not in verbs and w not in excluded]
    if asks == "title":  # the role is what is asked for, the person what it is about
        focus = [w for w in focus if not (TITLE_WORD.fullmatch(w) or JOB_TITLE.search(w))]
        focus = [w for w in focus if w.lower() != "job"]
    if asks not in ("organisation", "said") and any(w.lower() not in named for w in focus):
        locators += [w for w in focus if w.lower() in named]
        focus = [w for w in focus if w.lower() not in named]
    # "Vem leder expeditionerna?": the deed is what a sentence must tell, not what it is about
    actions = main_action(text, proper, _FRAME) if asks in ACTION_ASKS else ()
    focus = [w for w in focus if not any(fold(w).startswith(a) for a in actions)] or focus
    terms = tuple(dict.fromkeys(t for w in focus for _, t in analyze_words(w)))
    return Question(
        text=text,
        asks=asks,
        focus=tuple(focus),
        locators=tuple(locators),
        term=term,
        excluded=excluded,
        other_class=other_class,
        english=english,
        focus_terms=terms,
        regions_only=asks == "organisation" and bool(REGION_CLASS.search(text)),
        companies_only=asks == "organisation" and bool(COMPANY_CLASS.search(text)),
        other_bodies=doer or bool(OTHER_BODY_CLASS.search(text)),
        # "Vem på Region X …?" asks a person; "Finansiär för X?" a funder, a body or not
        people_only=asks == "person"
        and not DOER_QUESTION.match(text)
        and bool(typed_mentions(text) or WITHIN_BODY.search(text)),
        roles=asked_roles(text) if asks == "person" else (),
        presenter=asks == "person" and asks_presenter(proper),
        actions=actions,
        named=named_class(proper)
        if asks in _LIST_ASKS
        else named_bodies(proper)
        if asks == "organisation"
        else "",
        count=asked_count(proper) if asks in _LIST_ASKS else 0,
        instances=instances_class(proper, english)
        if asks not in ("person", "organisation")
        else "",
        expansion=asks == "definition" and bool(EXPANSION.search(text)),
        outcome=asked_outcome(proper, asks),
        compared=compared_with(proper),
    )


def shares_stem(a: str, b: str, n: int = 5) -> bool:
    """Two words that start alike ("Värmland", "Värmlandsrådet"): the same name."""
    fa, fb = fold(a), fold(b)
    k = min(n, len(fa), len(fb))
    return k >= 4 and fa[:k] == fb[:k]
