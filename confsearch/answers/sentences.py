"""Does a sentence answer the question? Focus and the asked-for item, sentence by sentence.

:mod:`confsearch.retrieval.question` reads what a question asks for and what it is about; this
module checks one candidate answer sentence against that:

* how much of the question's focus the sentence mentions is
  :mod:`confsearch.answers.focus`'s;
* :func:`holds_item` — whether it holds an item of the kind asked for: a time for "när",
  an amount of money for "vad kostar", a name for "vem", another country for "vilka
  andra länder än Indien" (names the question itself uses do not count: "region
  Värmland" does not say who evaluated Värmlandsrådet);
* whether it defines a term is :mod:`confsearch.answers.definitions`'s.

:mod:`confsearch.answers.unsaid` says in Swedish what the texts do not say.
"""

from __future__ import annotations

import re
from functools import lru_cache

from confsearch.analysis import analyze_words
from confsearch.patterns import WORD_RE
from confsearch.reading.people import extract_speakers
from confsearch.reading.regions import (
    find_mentions,
    is_presenting,
    is_region,
    organisation,
    typed_mentions,
)
from confsearch.reading.speakers import people_named
from confsearch.retrieval import stated
from confsearch.retrieval.comparisons import makes_comparison
from confsearch.retrieval.glossary import expansions
from confsearch.retrieval.listitems import asks_a_name, named_things, names_a_thing, states_count
from confsearch.retrieval.plans import tells_asked
from confsearch.retrieval.question import Question, shares_stem, verb_words
from confsearch.retrieval.questionforms import AUXILIARIES
from confsearch.retrieval.questionroles import is_deed_word, role_group_answers
from confsearch.text import LINK_RE, fold
from confsearch.wordclass import is_common_word
from confsearch.wordlists import COUNTRIES, COUNTRY_IN_SWEDISH

_NAME_RUN = re.compile(r"\b[A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+)+")
_BODY_NAME = re.compile(
    r"\b[A-ZÅÄÖ][\w-]+\s+(?:kommun|stad|universitet|högskola)\b"
    r"|(?<!^)\b[A-ZÅÄÖ]\w*(?:partiet|erna)\b"  # a party: "Centerpartiet", "Moderaterna"
)


def _named_words(text: str) -> list[str]:
    """A question's capitalised words after its first (which is capitalised anyway)."""
    return [w for w in WORD_RE.findall(text)[1:] if w[:1].isupper()]


@lru_cache(maxsize=512)
def _own_name_words(text: str) -> tuple[str, ...]:
    """The words a question names things with: its capitalised words and those of the
    organisations it names, however typed (cached: asked for every name of every
    candidate sentence of one answer)."""
    mentioned = [w for m in typed_mentions(text) for w in WORD_RE.findall(m.name)]
    words = [*_named_words(text), *(w for w in mentioned if w.lower() not in GENERIC_NAME_WORDS)]
    return tuple(w for w in words if len(w) >= 4)


def new_name(name: str, question: Question) -> bool:
    """A name the question does not already use ("Region Värmland" is not new for a
    question about "Värmlandsrådet")."""
    qwords = _own_name_words(question.text)
    words = [w for w in WORD_RE.findall(name) if w.lower() not in GENERIC_NAME_WORDS]
    return not any(shares_stem(w, q) for w in words for q in qwords)


# Words of organisations' names that say what kind of body it is, not which one.
GENERIC_NAME_WORDS = frozenset(("region", "regionen", "län", "kommun", "myndigheten", "för"))


def names_in(sentence: str, speakers=()) -> list[str]:
    """People and organisations a sentence names: organisations of the register, the
    passage's speakers, runs of capitalised words not opening the sentence."""
    found = [m.name for m in find_mentions(sentence)]
    low = fold(sentence)
    for person in speakers:
        parts = str(person).split()
        if parts and fold(parts[-1]) in low:
            found.append(str(person))
    for m in _NAME_RUN.finditer(sentence):
        if m.start() > 0:
            found.append(m.group())
    return found


_WHERE_FOUND = re.compile(
    r"\b(?:var\s+(?:finns|hittar)|var\s+kan\s+(?:jag|man|vi|en)\s+(?:hitta|läsa|se|ta\s+del)|"
    r"var\s+kan\s+(?:jag|man|vi|en)\s+(?:titta|lyssna|ladda\s+ner|hämta)|"
    r"where\s+can\s+(?:i|we|one|you)\s+(?:find|read|see|get|access|watch|view|listen|"
    r"download)|"
    r"where\s+(?:is|are)\b[^?]*\b(?:available|published|found))\b",
    re.IGNORECASE,
)
_NAMED_NUMBER = re.compile(r"\b([A-ZÅÄÖ][\w-]+)\s+\d+\b")


_AT_PLACE = re.compile(r"\b(?:i|på|vid|utanför|nära|in|at|near)\s+([A-ZÅÄÖ][\w-]+)")
_PASSIVE = re.compile(r"\b[^\W\d_]{3,}(?:ats|ades|des|tes|its|tts)\b", re.IGNORECASE)
_AGENT = re.compile(r"\bav\s+[A-ZÅÄÖ]")


def agentless(question: Question, sentence: str) -> bool:
    """A sentence that puts what the question asks about in the passive without saying
    by whom ("Värmlandsrådet har utvärderats"): who did it is not stated, so the session's
    presenters cannot be taken for the answer."""
    if _AGENT.search(sentence):
        return False
    passive = [m.group() for m in _PASSIVE.finditer(sentence)]
    return any(shares_stem(p, f) for p in passive for f in question.focus if len(f) >= 5)


def tells_action(actions: tuple[str, ...], sentence: str, question: str = "") -> bool:
    """Whether ``sentence`` tells of the question's deed (True when it names none; how a
    deed is told: :func:`confsearch.retrieval.stated.tells`); the question's own nouns do
    not tell it ("ledningsgruppen" of "Vem leder ledningsgruppen?"), its verb does."""
    if not actions:
        return True
    own = _own_nouns(question)
    return any(stated.tells(a, sentence, own) for a in actions)


@lru_cache(maxsize=512)
def _own_nouns(question: str) -> frozenset[str]:
    """A question's words but its deed's verb, folded (cached: asked for every candidate
    sentence of one answer)."""
    return frozenset(fold(w) for w in WORD_RE.findall(question) if not is_deed_word(w))


def _says_role(roles: tuple[str, ...], sentence: str) -> bool:
    """Whether ``sentence`` names one of the roles a question asks for, inflected or in a
    compound ("ordföranden", "projektledaren", "enhetschef")."""
    words = [fold(w) for w in WORD_RE.findall(sentence)]
    return any(r in w for r in roles for w in words)


def _is_organisation(name: str) -> bool:
    return organisation(name) is not None or bool(find_mentions(name))


def has_role(question: Question, sentence: str) -> bool:
    """Whether ``sentence`` gives a person's role ("Mirja Mattsson, projektledare för Rena
    resan"; "chef Värmlandsrådsavdelningen"), that of a person the question names when
    it names one: the reader's own rules for speakers and their roles decide."""
    asked = _named_words(question.text)
    for person in people_named(sentence):
        if not person.role:
            continue
        parts = WORD_RE.findall(person.name)
        if not asked or any(shares_stem(p, a) for p in parts for a in asked if len(a) >= 3):
            return True
    return False


def _names_things(question: Question, text: str, speakers=()) -> bool:
    """Whether ``text`` names a thing of the class the question asks the names of
    ("Vilka AI-verktyg …?"): a name in a sentence about that class, not a region or
    organisation (unless bodies are asked: "Vilka organisationer …?"), and with a word
    that is neither a person's of the passage (its speakers and people the sentence
    names) nor the question's own, in any of its glossary forms ("RUS" for "regional
    utvecklingsstrategi")."""
    people = [*speakers, *(p.name for p in extract_speakers([text]))]
    asked = _own_words(question.text) | {
        fold(w) for p in people for w in re.findall(r"\w+", str(p))
    }
    bodies = question.asks == "organisation"  # then a register organisation is one
    for name in named_things(question.named, text):
        if find_mentions(name) and not bodies:
            continue
        words = [fold(w) for w in re.findall(r"[^\W\d_]{3,}", name)]
        if any(w not in asked and not any(shares_stem(w, a) for a in asked) for w in words):
            return True
    return False


@lru_cache(maxsize=512)
def _own_words(text: str) -> frozenset[str]:
    """A question's words (folded), with those of its glossary forms and of the
    organisations it names however typed (cached, as :func:`_own_name_words`)."""
    asked = {fold(w) for w in re.findall(r"\w+", text)}
    asked |= {fold(w) for _, t in expansions(text) for w in re.findall(r"\w+", t)}
    asked |= {fold(w) for m in typed_mentions(text) for w in re.findall(r"\w+", m.name)}
    return frozenset(asked)


_FOLDED_COUNTRIES = frozenset(fold(c) for c in COUNTRIES)


def in_swedish(name: str) -> str:
    """A country named in English as the texts write it ("India" -> "Indien")."""
    swedish = COUNTRY_IN_SWEDISH.get(fold(name), "")
    return swedish.capitalize() if swedish and swedish != fold(name) else name


def _countries(sentence: str) -> list[str]:
    return [w for w in WORD_RE.findall(sentence) if fold(w) in _FOLDED_COUNTRIES]


# What a sentence must hold for these kinds of question (the others are answered by any
# sentence about the topic: "hur", "varför", "vad sa").
CHECKED_ASKS = frozenset(
    (
        "definition",
        "time",
        "duration",
        "money",
        "number",
        "person",
        "title",
        "organisation",
        "place",
    )
)


def kind_checked(q: Question) -> bool:
    """Whether only a sentence holding an item of the asked-for kind answers ``q``: the
    kinds of :data:`CHECKED_ASKS`, things asked by name and counted lists (listitems)."""
    return q.asks in CHECKED_ASKS or bool(q.named or q.count or q.instances)


def names_member(question: Question, text: str, speakers=()) -> bool:
    """Whether ``text`` names who was in the group a question asks about: a name the
    question does not use, other than whoever tells of it and their body ("Maria
    Sundman, Region Gävleborg, berättar att utredningen hade en blandad arbetsgrupp" and
    "Region Gävleborg berättar om en utredning" name no member), people by their role
    ("direktörer från regionen") or bodies by their kind ("regionen och alla 16
    kommunerna")."""
    tellers = [f"{p.name} {p.organisation or ''}" for p in extract_speakers([text])]
    tellers += [m.name for m in find_mentions(text) if is_presenting(text, m)]
    told = {fold(w) for teller in tellers for w in WORD_RE.findall(teller)}
    for name in names_in(text, speakers):
        if new_name(name, question) and not all(fold(w) in told for w in WORD_RE.findall(name)):
            return True
    return role_group_answers(question.text, (), text) or bool(_BODIES.search(text))


# bodies named by their kind, as members of a group: "regionen och alla 16 kommunerna"
_BODIES = re.compile(
    r"\b(?:alla\s+(?:\d+\s+|\w+\s+)?)?(?:kommuner|kommunerna|regioner|regionerna|"
    r"myndigheter|myndigheterna|nämnder|nämnderna|förvaltningar|förvaltningarna|"
    r"organisationer|organisationerna)\b",
    re.IGNORECASE,
)


def holds_item(
    question: Question, sentence: str, regions=(), speakers=(), *, quote: bool = False
) -> bool:
    """Whether ``sentence`` holds an item of the kind ``question`` asks for (kinds
    without an item of their own, "hur", "varför", "vad sa", always hold). The card's
    organisations answer "which organisation"; its speakers answer "who" only for a
    quote (``quote``: someone of the session says it), its organisations for what the
    session tells; neither for a statement that leaves out who did it."""
    text = _NAMED_NUMBER.sub(r"\1", LINK_RE.sub(" ", sentence))  # "Agenda 2030" is a name
    if not (tells_asked(question.outcome, text) and makes_comparison(question.compared, text)):
        return False  # "Planerar X …?", "Vad blev resultatet?", "… jämfört med Y?"
    if question.outcome == "members" and not names_member(question, text, speakers):
        return False  # "Vilka satt i arbetsgruppen?": who told of it is no member
    if (question.outcome or question.compared) and not kind_checked(question):
        return True  # "Hur ser X på A jämfört med B?": what is checked is the comparison
    asks = question.asks
    if asks in ("time", "duration", "money", "number"):
        kind, unit = stated.asked_quantity(question.text)
        if asks != "number":
            kind = asks  # the question's wording decided it (English "how much funding")
        if asks == "time" and _when_clause(question, text):
            return True  # "När ökar samarbetet?": "Samarbetet ökar … när de teamar ihop"
        text = stated.without_given_numbers(question.text, text)
        return stated.states_kind(kind, unit, text, {t for _, t in analyze_words(text)})
    if asks == "title":
        return has_role(question, text)
    if asks == "person":
        if question.roles and not _says_role(question.roles, text):
            return False  # "Vilken politiker är ordförande": a chef is no answer
        if not tells_action(question.actions, text, question.text):
            return False  # "Vem utvärderade X?": a name in a sentence of other deeds
        named = names_in(text, speakers)
        if question.people_only:
            named = [n for n in named if not _is_organisation(n)]
        if any(new_name(n, question) for n in named):
            return True
        if agentless(question, text):
            return False
        if role_group_answers(question.text, question.actions, text):
            return True  # "kommundirektörer kan samla en grupp"
        said = quote or question.presenter  # "Vem berättade om …?": who presented it
        presenters = [*(speakers if said else ()), *(() if question.people_only else regions)]
        return any(new_name(n, question) for n in presenters)
    if asks == "organisation":
        if question.named:  # "Vilka organisationer …": named in the sentence, not the card
            return _names_things(question, text, speakers)
        if question.companies_only or question.other_bodies:
            # the register holds regions and agencies, no companies, municipalities or
            # universities: such a body is a name of its own in the sentence ("Örebro
            # kommun"), never the card's organisations or a region it names
            people = {*map(str, speakers), *(p.name for p in people_named(text))}
            named = [m.group() for m in _NAME_RUN.finditer(text) if m.start() > 0]
            named = [n for n in named if not _is_organisation(n) and n not in people]
            named += _BODY_NAME.findall(text) if question.other_bodies else []
        else:
            named = [m.name for m in find_mentions(text)] + list(regions)
        if question.regions_only:
            named = [n for n in named if is_region(n, by_form=True)]
        return any(new_name(n, question) for n in named)
    if asks == "place":
        if _WHERE_FOUND.search(question.text):
            return bool(LINK_RE.search(sentence))  # "Var finns …?": a link is where
        # "besides India": the Swedish texts write "Indien"
        excluded = [*question.excluded, *map(in_swedish, question.excluded)]
        countries = [c for c in _countries(text) if not any(shares_stem(c, e) for e in excluded)]
        if question.other_class:
            if re.match(r"(?:land|länder|countr)", question.other_class, re.IGNORECASE):
                return bool(countries)
            places = [m.name for m in find_mentions(text)] + countries
            return any(not any(shares_stem(p, e) for e in excluded) for p in places)
        # a place the question names itself ("Var hölls lärpasset om Värmlandsrådet?" and
        # region Värmland) does not say where
        # a place is a country, a region of the register or a name after "i", "på", "vid"
        # ("i Halmstad"); any other capitalised name is a person or a project as often
        places = [m.name for m in find_mentions(text)]
        # "i Agenda 2030": a common word with a capital is no place
        places += [m.group(1) for m in _AT_PLACE.finditer(text) if not is_common_word(m.group(1))]
        return bool(countries) or any(new_name(p, question) for p in places)
    if question.count and not (states_count(question.count, text) and enumerates(text)):
        return False  # "Vilka tre steg …?": "fyra faser med tre steg i varje" lists none
    if question.named:
        return _names_things(question, text, speakers)
    if asks == "list":
        return enumerates(text)
    if asks == "reason":
        return bool(_BECAUSE.search(text))
    if asks == "method":
        return bool(_BY_MEANS.search(text))
    if asks_a_name(question.text):  # "Vad heter bilden …?": a sentence that names one
        return names_a_thing(text, _own_words(question.text))
    return True


# What a reason and a method look like (these only rank sentences: a "why" or "how"
# answered in other words is still answered, see CHECKED_ASKS).
_BECAUSE = re.compile(
    r"\b(?:för\s+att|eftersom|därför|på\s+grund\s+av|beror\s+på|så\s+att|syftet|syfte|"
    r"anledning\w*|leder\s+till|because|since|in\s+order\s+to|so\s+that|due\s+to)\b",
    re.IGNORECASE,
)
_BY_MEANS = re.compile(
    r"\b(?:genom\s+att|genom|med\s+hjälp\s+av|via|med|by|through|using)\b", re.IGNORECASE
)


_ENUMERATION = re.compile(r"[^,;:?]+[,;][^,;]+(?:,|\boch\b|\band\b|\bsamt\b|\beller\b)|:\s*\S")


_ANNOUNCES = re.compile(r"\blärpass?\w*|\bberättar (?:om|hur)\b", re.IGNORECASE)


def _when_clause(question: Question, sentence: str) -> bool:
    """Whether ``sentence`` tells when the question's verb happens by a clause ("ökar …
    när de teamar ihop"): "När ökar …?" asks on what occasion as often as on what date."""
    verbs = [v for v in verb_words(question.text) if v.lower() not in AUXILIARIES]
    if not verbs or not _WHEN.search(sentence):
        return False
    return any(shares_stem(v, w) for v in verbs for w in WORD_RE.findall(sentence))


_WHEN = re.compile(r"\b(?:när|så\s+fort|varje\s+gång|whenever|when)\s+\w+", re.IGNORECASE)


def announces_session(sentence: str) -> bool:
    """Whether a sentence announces a session ("Region X berättar om …", "… höll ett
    lärpass som hette …") rather than stating something said in it."""
    return bool(_ANNOUNCES.search(sentence))


def enumerates(sentence: str) -> bool:
    """Whether a sentence names several things: a run of commas ("a, b och c"), a colon
    that introduces them, or several questions asked in a row."""
    return bool(_ENUMERATION.search(sentence)) or sentence.count("?") >= 2
