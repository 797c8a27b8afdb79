"""Who a question asks about, beyond "vem": a role, a person within a body, a company.

:mod:`confsearch.retrieval.question` reads what a question asks for; these are the
finer readings of "who" and "which organisation" that decide what a sentence must name
to answer it (:func:`confsearch.answers.sentences.holds_item`):

* a job title ("Vilken titel har Mona Karila?"): the person's role, not a name;
* a role asked for ("Vilken politiker är ordförande …"): that role, not any person;
* a person within a body ("Vem på myndigheten …"): a person, not the body;
* a company ("Vilka företag …"): neither a region nor an agency of the register;
* a deed ("Vem utvärderade Värmlandsrådet?"): the doer of it, not any name near the topic.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from confsearch.analysis import analyze_words
from confsearch.patterns import WORD_RE
from confsearch.reading.regions import find_mentions
from confsearch.text import fold, is_generic
from confsearch.wordclass import is_verb_form

# "Vilken titel har Mona Karila?", "What are the job titles of …?": a person's role. The
# words that can only mean a job title count alone; "titel", "roll", "position" only
# next to a person's name ("Vilken roll har ideella organisationer" asks no title).
JOB_TITLE = re.compile(
    r"\b(?:befattning\w*|yrkestit\w*|tjänstetit\w*|jobbtit\w*|yrkesroll\w*|job\s+titles?|"
    r"job\s+positions?)\b",
    re.IGNORECASE,
)
TITLE_WORD = re.compile(
    r"\b(?:titel|titeln|titlar|titlarna|roll|rollen|title|titles|role|roles|position)\b",
    re.IGNORECASE,
)
# "politikernas roll", "regionens roll": a lower-case genitive before the title word
_OTHERS = re.compile(r"\b[a-zåäö]\w*s\s+$")


def asks_person_title(text: str) -> bool:
    """Whether a question naming a person asks for that person's title or role ("Vilken
    roll har Maria Sundman?"), not for the role of others she spoke of ("Hur beskrev
    Maria Sundman politikernas roll?")."""
    if not names_person(text):
        return False
    return any(not _OTHERS.search(text[: m.start()]) for m in TITLE_WORD.finditer(text))


_PERSON_NAME = re.compile(r"(?<![\w-])[A-ZÅÄÖ][a-zåäöé]+(?:[ -][A-ZÅÄÖ][a-zåäöé]+)+")
# "Vem på myndigheten …", "Who at the region …": a person within it, not the body itself
WITHIN_BODY = re.compile(
    r"\b(?:vem|vilka|who)\b.*\b(?:på|från|vid|hos|inom|at|from|in)\s+(?:myndigheten|"
    r"regionen|kommunen|länet|förbundet|organisationen|the\s+(?:[\w-]+\s+){0,5}?(?:agency|"
    r"region|county|municipality|organi[sz]ation|council|authority))\b",
    re.IGNORECASE,
)
# "Vilka företag", "Which political party": the interrogative, and at most one word
# before the kind of body it asks for (the classes below).
_WHICH_KIND = r"\b(?:vilken|vilket|vilka|which|what)\s+(?:\w+\s+)?"
# The nouns a question asks for companies with, one home (question's organisation nouns
# and listitems' bodies take them from here).
COMPANY_NOUN = (
    r"(?:[\w-]*företag(?:et|en)?|[\w-]*bolag(?:et|en)?|compan(?:y|ies)|firms?|businesses|"
    r"operators?)"
)
# "vilka företag", "which companies": a region or an agency is no answer
COMPANY_CLASS = re.compile(_WHICH_KIND + COMPANY_NOUN + r"\b", re.IGNORECASE)
# "vilken region", "which county": only a region answers, not an agency
REGION_CLASS = re.compile(
    _WHICH_KIND + r"(?:region(?:er|erna)?|län(?:et)?|regions?|count(?:y|ies))\b", re.IGNORECASE
)
# A political party: an organisation the register does not hold, named in the sentence.
PARTY_NOUN = r"(?:parti(?:et|er|erna)?|part(?:y|ies))"
PARTY_CLASS = re.compile(_WHICH_KIND + PARTY_NOUN + r"\b", re.IGNORECASE)
# A ministry: the government's, which no region or agency presenting a session is.
STATE_NOUN = r"(?:departement(?:et|en)?|ministr(?:y|ies)|departments?)"
# "vilka kommuner/universitet/konsultföretag/partier": nor are the regions and agencies
# that present a session (confsearch.answers.naming)
OTHER_BODY_CLASS = re.compile(
    _WHICH_KIND + r"(?:\w*kommun\w*|konsult\w*|\w*byrå\w*|universitet\w*|lärosäte\w*|"
    r"municipalit\w*|consultanc\w*|universit\w*|" + STATE_NOUN + "|" + PARTY_NOUN + r"\b)",
    re.IGNORECASE,
)


# Roles a "who" question can ask for, folded as the texts write them (English ones as
# Swedish texts write them): "Vilken politiker är ordförande …" wants an ordförande.
# fmt: off
_ROLES = {
    "politiker": "politiker", "ordforande": "ordforande", "chef": "chef",
    "forskare": "forskare", "projektledare": "projektledare", "direktor": "direktor",
    "samordnare": "samordnare", "handlaggare": "handlaggare", "konsult": "konsult",
    "politician": "politiker", "politicians": "politiker", "chair": "ordforande",
    "chairs": "ordforande", "chaired": "ordforande", "chairman": "ordforande",
    "chairperson": "ordforande", "director": "direktor", "researcher": "forskare",
    "researchers": "forskare", "consultant": "konsult", "consultants": "konsult",
}
# fmt: on


# A verb after these stands in a clause of its own ("Vem sa att ekonomin domineras …"):
# the question's deed and the role it asks for are the main clause's.
_SUBORDINATE = frozenset(("att", "som", "om", "vad", "hur", "när", "där", "för", "to", "that"))


def _main_clause(text: str) -> list[str]:
    """The words of a question before its first subordinate clause ("Vem berättade att
    politikerna …?": "Vem berättade"); a question's own first word is never one."""
    words = re.findall(r"[^\W\d_]+", text)
    end = next((i for i, w in enumerate(words) if i and w.lower() in _SUBORDINATE), len(words))
    return words[:end]


def asked_roles(text: str) -> tuple[str, ...]:
    """The roles a "who" question asks for, folded ("ordforande"), as the texts say them,
    in its main clause ("Vem berättade att politikerna …?" asks no politician)."""
    found = []
    for word in _main_clause(text):
        key = fold(word)
        # the role alone or ending a compound ("regiondirektören", "projektledaren")
        role = _ROLES.get(key) or next(
            (r for r in _ROLES.values() if key.startswith(r) or key[3:].find(r) >= 0), None
        )
        if role:
            found.append(role)
    return tuple(dict.fromkeys(found))


def names_person(text: str) -> bool:
    """Whether ``text`` names a person: two or more capitalised words in a row that are
    not an organisation the register knows ("Mona Karila", not "Region Sörmland")."""
    spans = [(m.start, m.end) for m in find_mentions(text)]
    return any(
        not any(a < m.end() and m.start() < b for a, b in spans)
        for m in _PERSON_NAME.finditer(text)
    )


# A keyword question naming the doer of a deed ("Finansiär för X?", "Deltagare i X?"):
# who that is; the deed is the noun's ("finansiär" ~ "finansieras", "finansiering").
DOER_QUESTION = re.compile(
    r"^\W*(?P<doer>finansiär\w*|deltagare\w*|arrangör\w*|ägare\w*|initiativtagare\w*|"
    r"huvudm[aä]n\w*|utvärderare\w*|uppdragsgivare\w*|beställare\w*|medverkande|"
    r"funders?|organi[sz]ers?|participants?|owners?)\s+(?:för|i|till|bakom|av|på|vid|"
    r"of|for|behind|in|at)\b",
    re.IGNORECASE,
)
# Questions whose answer is the doer of the question's verb ("Vem utvärderade …?"). Not
# "which organisation": a card's own organisation answers that, and the texts paraphrase
# its deed ("granska" where they say "utvärderats"; two answers lost on round 11).
ACTION_ASKS = frozenset(("person",))
# Verbs of saying (verba dicendi), thinking and presenting: "Vem menade att …?", "Vem lyfte
# fram …?" ask who said it, and a speaker's quote answers them whatever its words.
_SAYING = re.compile(
    r"^(?:sa|sade|sagt|säg\w*|berätt\w*|tala\w*|prat\w*|nämn\w*|lyft\w*|framhål\w*|"
    r"framhöll|beton\w*|påpek\w*|underst\w*|varn\w*|förklar\w*|men\w*|tyck\w*|anse\w*|"
    r"ansåg|hävd\w*|konstater\w*|beskriv\w*|beskrev|presenter\w*|citer\w*|föresl\w*|"
    r"efterly\w*|fråga\w*|svara\w*|diskuter\w*|poängter\w*|resoner\w*|argumenter\w*|"
    r"uttryck\w*|höll|håll\w*|funder\w*|undr\w*|reflekter\w*|tänk\w*|"
    # and of likening: "Vem jämförde stödsystemet med ett urverk?" asks who said it
    r"jämför\w*|likna\w*|liknade|ifrågas\w*|kritiser\w*|"
    # and of taking part in the session: "Vilka medverkade i passet?" asks who spoke
    r"medverk\w*|deltog|deltar|deltagit|föreläs\w*|"
    # and of belonging: "vilken region representerar hon?" asks where she is from
    r"represent\w*|företräd\w*|tillhör\w*)$",
    re.IGNORECASE,
)
# "Vem leder projektet?" asks who leads it, a deed ("projektledare för …" answers), not
# who spoke: a speaker of the session who only tells of it is no answer.
_LEADS = re.compile(r"^(?:leder|ledde|leda|lett|ledit|leds|leddes)$")
LEAD_DEED = "led"
_A_QUESTION = re.compile(r"(?:en\s+|den\s+)?fråg", re.IGNORECASE)


# Verbs of presenting in a session: "Vem berättade om AI-satsningen?", "Who presented
# the analysis?" ask who presented, and the session's speakers did, whichever of its
# sentences tells of it (not only their quotes); so do verbs of saying ("Vem menade att
# regionerna behöver mogna?": a session's text is what its speakers said).
_PRESENTING = re.compile(
    r"^(?:berättade|berättar|berättat|presenterade|presenterar|presenterat|föreläste|"
    r"föreläser|talade|talar|pratade|pratar|höll|presented|presents|spoke|speaks|talked|"
    r"told|lectured|"
    # and of being quoted: "Vem citeras i passet?" asks whose words the session gives
    r"citeras|citerades|citerad|citerat|quoted|"
    r"menade|menar|ansåg|anser|sa|sade|säger|hävdade|betonade|framhöll|påpekade|varnade|"
    r"said|says|argued|stressed|warned)$",
    re.IGNORECASE,
)


# Who ran or led the session itself ("Who ran the Västmanland session …?", "Vem ledde
# lärpasset?") is who presented it: the session's speakers, not the doer of a deed.
_SESSION_LED = re.compile(
    r"\b(?:who\s+(?:ran|runs|led|leads|hosted|hosts|chaired|chairs|gave|held|moderated)|"
    r"vem\s+(?:ledde|leder|höll|håller|modererade|modererar))\s+(?:the\s+|this\s+|that\s+)?"
    r"(?:[\w-]+\s+){0,3}?(?:session|seminar|panel|talk|presentation|lärpass\w*|passet|"
    r"seminariet|panelen)\b",
    re.IGNORECASE,
)


def asks_presenter(question: str) -> bool:
    """Whether a who-question's verb is one of presenting (:data:`_PRESENTING`), in its
    main clause (``question``: without its context clause), or it asks who ran the
    session (:data:`_SESSION_LED`)."""
    if _SESSION_LED.search(question):
        return True
    return any(_PRESENTING.match(word) for word in _main_clause(question))


def is_deed_word(word: str) -> bool:
    """Whether a question's word may be the verb of its deed (else it is a noun, whose
    mention in a sentence does not tell the deed)."""
    return bool(_LEADS.match(word.lower())) or is_verb_form(word)


# Verbs that carry another ("har låtit granska", "försökte bygga": the deed is the next
# verb) or a deed named by a noun ("Vem genomförde utvärderingen?" is answered by
# "Utvärderingen gjordes av Karin Ek": the noun is the focus, which sentences are held to).
# fmt: off
_LIGHT = frozenset((
    "låta", "låter", "lät", "låtit", "försöker", "försökte", "försökt", "fortsätter",
    "valde", "genomför", "genomförde", "genomfört", "genomföra", "gör", "gjorde", "gjort",
    "utför", "utförde", "utfört", "tog", "tagit", "stod", "står", "sköter", "skötte",
    "ansvarar", "ansvarade", "drev", "driver", "drivit",
))
# fmt: on


# English deeds a "who" question asks the doer of, by the start the Swedish texts write
# them with ("Who funds X?" is answered by "X finansieras av …", never by its presenter).
_ENGLISH_DEEDS = {
    "fund": ("finansi",), "fina": ("finansi",), "eval": ("utvard",), "asse": ("utvard", "bedom"),
    "comm": ("bestall", "uppdrag"), "deci": ("beslut",), "own": ("agare", "ager", "agd"),
    "owns": ("agare", "ager", "agd"), "owne": ("agare", "ager", "agd"),
    "spon": ("sponsr", "finansi"), "pay": ("betal", "finansi"), "paid": ("betal", "finansi"),
    "pays": ("betal", "finansi"),
    # who leads or heads it ("ledde", "projektledare", "chef")
    "led": ("led",), "lead": ("led",), "head": ("led",), "runs": ("led",), "ran": ("led",),
}  # fmt: skip
_ENGLISH_DEED = re.compile(
    r"^\W*who\s+(?:has\s+|have\s+|had\s+|will\s+|is\s+|was\s+)?"
    r"(?P<deed>fund(?:s|ed)?|financ(?:es|ed|ing)|evaluat(?:es|ed)|assess(?:es|ed)|"
    r"commission(?:s|ed)|decid(?:es|ed)|owns?|owned|sponsor(?:s|ed)?|pa(?:ys|id|y)|"
    r"led|leads?|head(?:s|ed)?|runs|ran)\b",
    re.IGNORECASE,
)


def main_action(text: str, question: str, frame: Collection[str]) -> tuple[str, ...]:
    """The index term of the main clause's verb of a who-question, when it is a deed
    (not a verb of saying, :mod:`confsearch.wordclass` sure it is a verb): "Vem utvärderade
    Värmlandsrådet?" -> ("utvarder",); "Vem menade att …?" -> (). ``text``: the whole
    question; ``question``: it without its context clause
    (:func:`confsearch.retrieval.questionforms.question_proper`), whose words are read;
    ``frame``: the question and auxiliary words (lower case) passed over."""
    doer = DOER_QUESTION.match(text)
    if doer is not None:
        return (fold(doer.group("doer")),)
    if _SESSION_LED.search(question):
        return ()  # who ran the session presented it (asks_presenter)
    deed = _ENGLISH_DEED.search(question)
    if deed is not None:
        return _ENGLISH_DEEDS[deed.group("deed").lower()[:4]]
    words = WORD_RE.findall(question)
    for i, word in enumerate(words):
        low = word.lower()
        if i and words[i - 1].lower() in _SUBORDINATE:
            return ()
        if low in frame or low in _LIGHT or len(word) < 4:
            continue
        if _LEADS.match(low):
            return (LEAD_DEED,)  # its stem is too short for an index term of its own
        if is_verb_form(word):
            asked = low.startswith("ställ") and _A_QUESTION.match(" ".join(words[i + 1 : i + 3]))
            if _SAYING.match(low) or is_generic(word) or asked:
                return ()  # "Vem ställde frågan …?" asks who said it, as "frågade" does
            return tuple(t for _, t in analyze_words(word) if len(t) >= 4)
    return ()


# People named by their role as a group ("kommundirektörer kan samla en grupp", "hela
# ledningsgruppen är med"): they answer "who" as a name does, unless the question asks
# for names ("Vad heter …?", "the named members") or for the doer of a deed, which the
# role noun itself may seem to tell ("ledningsgruppen" and "leder").
_ROLE_GROUP = re.compile(
    r"\b\w*(?:direktörer|direktörerna|chefer|cheferna|tjänstepersoner|tjänstemän|"
    r"handläggare|handläggarna|medarbetare|medarbetarna|ledningsgrupp|ledningsgruppen|"
    r"ledningsgrupper|ledningen|styrelsen|arbetsgruppen|företrädare|representanter|politiker|"
    r"politikerna)\b",
    re.IGNORECASE,
)
_ASKS_NAMES = re.compile(r"\b(?:heter|hette|namn\w*|named?|names)\b", re.IGNORECASE)


def role_group_answers(question: str, actions: tuple[str, ...], text: str) -> bool:
    """Whether ``text`` answers the who-question ``question`` (its deeds ``actions``) by
    naming people by their role as a group (see :data:`_ROLE_GROUP`)."""
    if actions or _ASKS_NAMES.search(question):
        return False
    return bool(_ROLE_GROUP.search(text))
