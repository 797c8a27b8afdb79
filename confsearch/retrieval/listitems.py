"""What a list question needs of its answer, beyond a sentence about its topic.

Two kinds of "vilka …?" are only answered by a sentence of a particular shape:

* things known by their names ("Vilka AI-verktyg rekommenderas?", "Which software was
  used?", "Vilka nämnder deltar?", "Vilka andra modeller …?"): a sentence that speaks of
  "berörda organisationer" or "alla nämnder" without naming one does not say which, so
  the answer needs a name of a thing (:func:`thing_names`);
* a counted list ("Vilka tre steg …?", "What are the three strands …?"): the sentence that
  answers gives that many, so it states the count and lists them ("består av tre delar:
  Loket, LUX och …"); "fyra faser med tre steg i varje" counts steps it never lists.

A third kind asks for instances in so many words ("Vilka konkreta målkonflikter …?",
"Which specific projects …?", "Kan du ge exempel på …", "name some of the …", "Vilka är
de 400 organisationerna?"): a sentence that only says such things exist ("målkonflikter
upptäcks och hanteras bättre") gives none, so the answer needs one that lists or names
them after the class's word (:func:`gives_instances`).

All are read off the question's grammar (an interrogative and the noun it governs), in
Swedish and English. A pair ("Vilka två …") needs no count in its answer ("X och Y"),
so counts start at three.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from confsearch.patterns import COUNT_WORDS
from confsearch.retrieval.questionroles import COMPANY_NOUN
from confsearch.text import fold, split_sentences
from confsearch.wordclass import is_verb_form

__all__ = [
    "asked_count",
    "asks_a_name",
    "asks_concrete",
    "gives_instances",
    "indefinite",
    "instances_class",
    "named_bodies",
    "named_class",
    "named_things",
    "names_a_thing",
    "speaks_of",
    "states_count",
    "thing_names",
]

# Nouns for things known by a name of their own: tools and software, committees and
# working groups, and models in the plural ("vilken modell" is answered by describing it).
_NAMED_NOUN = (
    r"(?:verktyg\w*|programvar\w*|mjukvar\w*|plattform\w*|app|appar(?:na)?|appen|"
    r"nämnd(?:er|erna|en)?|arbetsgrupp(?:er|erna)|modeller(?:na)?|tools?|software|"
    r"platforms?|apps?|committees?|working\s+groups|models)"
)
_NAMED_QUESTION = re.compile(
    r"\b(?:vilk(?:a|en|et)|which|what)\s+(?:[^\W\d_]+\s+)?(?:[^\W\d_]+-)?(?P<cls>"
    + _NAMED_NOUN
    + r")\b",
    re.IGNORECASE,
)

# A pair ("vilka två") needs no count in its answer: counts start at three.
_COUNTS = {word: n for word, n in COUNT_WORDS.items() if n >= 3}
_COUNTED_QUESTION = re.compile(
    r"\b(?:vilka|which|what\s+(?:are|were)\s+the|what\s+(?:are|were))\s+"
    r"(?P<n>[3-9]|10|" + "|".join(_COUNTS) + r")\s+[^\W\d_]",
    re.IGNORECASE,
)


# The Swedish words a text uses for each kind of thing (the start of a word or of a
# compound's last part: "verktyg" in "AI-verktygen", "modell" in "samverkansmodellen").
_CLASS_WORDS = (
    (("verktyg", "tool"), ("verktyg",)),
    (("programvar", "mjukvar", "software"), ("programvar", "mjukvar", "program", "verktyg")),
    (("plattform", "platform"), ("plattform",)),
    (("app",), ("app",)),
    (("namnd", "committee"), ("namnd", "utskott")),
    (("arbetsgrupp", "working"), ("arbetsgrupp",)),
    (("modell", "model"), ("modell",)),
    (("organisation", "organization"), ("organisation",)),
    (("foretag", "bolag", "compan", "firm", "business"), ("foretag", "bolag")),
    (("myndighet", "agenc"), ("myndighet",)),
)


def class_words(cls: str) -> tuple[str, ...]:
    """The folded Swedish word starts a text names a thing of class ``cls`` with (a
    definite plural as its indefinite: "åtgärderna" is written "åtgärder" as often)."""
    low = fold(cls)
    for starts, words in _CLASS_WORDS:
        if low.startswith(starts):
            return words
    return (indefinite(low),)


def indefinite(noun: str) -> str:
    """A definite plural as its indefinite ("åtgärderna" -> "åtgärder"); other words as
    they are."""
    return re.sub(r"(?<=[eao]r)na$", "", noun)


# "Vilka organisationer …", "Which companies …": several bodies, which only a sentence
# naming them answers (the card's own organisation is one body, and most often the one
# that tells of the others: "tillsammans med berörda organisationer").
_BODIES_QUESTION = re.compile(
    r"\b(?:vilka|which|what)\s+(?:[^\W\d_]+\s+)?(?P<cls>organisationer(?:na)?|"
    r"organi[sz]ations|myndigheter(?:na)?|agencies|" + COMPANY_NOUN + r")\b",
    re.IGNORECASE,
)


# "Vilka företag … utöver storindustrin?": other kinds of bodies are asked, not names.
_OTHER_KINDS = re.compile(r"\b(?:utöver|förutom|besides|apart\s+from|other\s+than|än)\b", re.I)


def named_bodies(question: str) -> str:
    """The noun of a question for several organisations by name ("organisationer"), or ""
    (also when it asks for bodies besides some it names: a kind answers that)."""
    m = _BODIES_QUESTION.search(question)
    return m.group("cls") if m and not _OTHER_KINDS.search(question) else ""


def named_class(question: str) -> str:
    """The noun of things a question asks the names of ("AI-verktyg" → "verktyg"), or ""."""
    m = _NAMED_QUESTION.search(question)
    return m.group("cls") if m else ""


def asked_count(question: str) -> int:
    """How many things a "vilka tre …" question asks for (0 when it names no count of
    three or more)."""
    m = _COUNTED_QUESTION.search(question)
    if m is None:
        return 0
    n = m.group("n").lower()
    return int(n) if n.isdigit() else _COUNTS[n]


def states_count(count: int, sentence: str) -> bool:
    """Whether ``sentence`` states ``count`` in digits or in Swedish or English words."""
    words = {w for w, n in _COUNTS.items() if n == count} | {str(count)}
    found = {fold(w) for w in re.findall(r"\w+", sentence.lower())}
    return any(fold(w) in found for w in words)


# A title in quotes or italics, or a run of capitalised words (with digits: "Agenda 2030").
_TITLE = re.compile(r"\*[^*\n]{2,60}\*|[”“\"][^”“\"\n]{2,60}[”“\"]")
_CAPITALISED = re.compile(r"\b[A-ZÅÄÖ][\w-]*(?:\s+(?:[A-ZÅÄÖ][\w-]*|\d+))*")
_ACRONYM = re.compile(r"^[A-ZÅÄÖ]{2,}(?:[-:][\w]+)?$")


def thing_names(sentence: str) -> list[str]:
    """Names in ``sentence`` that may name a thing: titles in quotes or italics, acronyms,
    and runs of capitalised words not opening the sentence (its first word is capitalised
    anyway). Whose names they are (a person, a region) the caller decides."""
    found = [m.group().strip('*”“"') for m in _TITLE.finditer(sentence)]
    sentence = _TITLE.sub(" ", sentence)
    opening = re.match(r"\W*", sentence)
    start = opening.end() if opening else 0
    for m in _CAPITALISED.finditer(sentence):
        if m.start() > start or _ACRONYM.match(m.group().split()[0]):
            found.append(m.group())
    return found


def _class_words_at(cls: str, sentence: str) -> list[int]:
    """Where the words of ``sentence`` that speak of things of class ``cls`` end."""
    words = class_words(cls)
    return [
        m.end()
        for m in re.finditer(r"[^\W\d_]+", sentence)
        if any((w := fold(m.group())).startswith(c) or c in w[3:] for c in words)
    ]


def speaks_of(cls: str, text: str) -> bool:
    """Whether a statement of ``text`` speaks of things of class ``cls`` at all: a question
    the text asks ("Vilka drivkrafter premieras?") tells of none."""
    return any(
        _class_words_at(cls, sentence)
        for sentence in split_sentences(text)
        if not sentence.rstrip(" ”\"»’')").endswith("?")
    )


_NAME_REACH = 60  # characters after the class's word a name of its things may start


def named_things(cls: str, text: str) -> list[str]:
    """The :func:`thing_names` of the sentences of ``text`` that speak of things of class
    ``cls`` ("arbetsgrupper"): a name elsewhere names something else."""
    found = []
    for sentence in split_sentences(text):
        ends = _class_words_at(cls, sentence)
        for name in thing_names(sentence) if ends else ():
            at = sentence.find(name)
            # after the class's word ("verktyg som ChatGPT"), or a name of the class
            # itself ("Utvecklingsnämnden"): not any name elsewhere in the sentence
            if any(0 <= at - end <= _NAME_REACH for end in ends) or speaks_of(cls, name):
                found.append(name)
    return found


# "Vilka konkreta målkonflikter …?", "Which specific projects …?", "Kan du ge exempel på
# (konkreta) åtgärder …?", "Can you name some of the 400 organisations …?", "Kan du räkna
# upp några av de över 400 organisationerna …?"
_INSTANCES_QUESTION = re.compile(
    r"\b(?:(?:vilka|vilken|vilket|which|what)\s+(?:(?:de|the)\s+)?"
    r"(?:konkreta|specifika|specific|particular|namngivna|named)\s+|"
    r"exempel\s+på\s+(?:några\s+)?(?:konkreta\s+|specifika\s+)?|"
    # "Vilka av de över 400 organisationerna …?", "Which of the 400 organisations …?"
    r"(?:vilka\s+av\s+(?:de\s+)?|which\s+of\s+the\s+)(?:(?:över|drygt|nästan|cirka|over|about)\s+)?"
    r"(?:\d+\s+)?|"
    r"examples?\s+of\s+(?:the\s+)?(?:specific\s+)?|"
    r"name\s+(?:some|a\s+few|any)\s+(?:of\s+)?(?:the\s+)?(?:\d+\s+)?|"
    r"(?:räkna\s+upp|nämna|nämn)\s+(?:några|ett\s+par)\s+(?:av\s+)?(?:de\s+)?"
    r"(?:över\s+)?(?:\d+\s+)?|"
    # "Räkna upp kommunerna som …", "Lista alla åtgärder", "List the organisations"
    r"(?:^\W*|\bkan\s+du\s+|\bcan\s+you\s+|\bplease\s+)(?:räkna\s+upp|lista|list|nämna|nämn)"
    r"\s+(?!några\b|ett\s+par\b|some\b)(?:alla\s+|all\s+)?(?:de\s+|the\s+)?(?:\d+\s+)?)"
    r"(?P<cls>[^\W\d_][\w-]{3,})|"
    # "Vilka är de (drygt 400) organisationerna …?": who they are, a definite plural
    # ("Vilka är de två från Region Västmanland …?" asks people, by their own check)
    r"\bvilka\s+(?:är|var)\s+(?:de|dom)\s+(?:(?:över|drygt|nästan|cirka|ungefär)\s+)?"
    r"(?:\d+\s+)?(?P<set>[^\W\d_][\w-]{2,}(?:[aeo]rna|na))\b",
    re.IGNORECASE,
)
# What introduces the instances after the class's word: "X: …", "X, till exempel …",
# "X såsom …", "X (…)", "such as …", within a few words of it. Not a bare "som": "400
# organisationer i Sverige som hjälper …" describes them and names none; but "som" before
# a list does give them ("behov som sjukresor, transporter till skola osv."), and so does
# what they are said to be ("Framgångsfaktorer har varit och är att vi avsätter tid …").
_INSTANCE_MARK = re.compile(
    r"^[^.?!]{0,40}?(?::|–|—|\(|\bsåsom\b|\btill\s+exempel\b|\bt\.\s?ex\b|"
    r"\bexempelvis\b|\bbland\s+annat\b|\bsuch\s+as\b|\bincluding\b|\blike\b|"
    r"\b(?:är|var|were|are)\s+(?:att|that)\b|"
    r"\bsom\s+[^.?!,]{2,40},\s*[^.?!]{2,60}?(?:\bosv\b|\bo\.s\.v\b|\bm\.?m\b|\bmed\s+mera\b|"
    r"\betc\b))",
    re.IGNORECASE,
)


# "Vilka förbättringar har kommunerna gjort …?", "Vilka åtgärder har Gävleborg redan
# genomfört?": things done, asked by kind; only a sentence that names some of them answers.
# Swedish only: the deed among the next words is told by the Swedish dictionary.
# Where the things are, between their kind and the verb ("Vilka åtgärder på listan …").
_WHERE = r"(?:(?:på|i|inom|bland)\s+[\w-]+\s+)?"
_DONE_QUESTION = re.compile(
    r"\bvilka\s+(?P<cls>[^\W\d_][\w-]{3,})\s+"
    + _WHERE
    + r"(?:har|hade)\s+(?P<rest>(?:[\w-]+\s+){0,4}[\w-]+)",
    re.IGNORECASE,
)


# Three or more things of a few words each listed right after the class's word: "a, b
# och c", "a, b, c samt d".
_LISTED_AFTER = re.compile(
    r"\s+(?:[^\s.?!,;:]+\s+){0,2}[^\s.?!,;:]+,\s*(?:[^\s.?!,;:]+\s+){0,2}?[^\s.?!,;:]+"
    r"(?:,\s*(?:[^\s.?!,;:]+\s+){0,2}?[^\s.?!,;:]+)*?(?:,\s*|\s+)(?:och|samt|eller|and|or)\s+\S",
    re.IGNORECASE,
)


# "Vilka variabler korsades …?", "Vilka åtgärder stod på listan?": a set of things of the
# past (a past or passive verb, "var med"; a cleft "är det som"), asked by kind; only a
# sentence that names some answers. Not of the present ("Vilka fördelar finns …?",
# "Vilka fördelar ger …?"): what a thing gives is told in many words. Swedish only.
_KIND_QUESTION = re.compile(
    r"^\W*vilka\s+(?P<cls>[^\W\d_][\w-]{3,}(?:er|ar|or|n))\s+"
    + _WHERE  # "Vilka åtgärder på listan prioriterades?"
    + r"(?P<verb>[^\W\d_]+(?:\s+det\s+som)?)\b",
    re.IGNORECASE,
)
_STRONG_PAST = frozenset(
    ("var", "stod", "kom", "satt", "fick", "gav", "tog", "fanns", "ingick", "blev", "drog", "gick")
)
_PAST_FORM = re.compile(r"[^\W\d_]{2,}(?:de|te|des|tes)$", re.IGNORECASE)
# bodies, places and people are asked for by their own kinds of question, with their checks
_OWN_KIND = re.compile(
    r"^(?:region|län|lan|kommun|land|länder|lander|organisation|myndighet|person|talare|"
    r"företag|foretag|aktör|aktor)",
    re.IGNORECASE,
)


def _asks_past_set(cls: str, verb: str) -> bool:
    """Whether "vilka <cls> <verb>" asks of a past set of things of a kind of its own."""
    if fold(cls) in _COUNTS or _OWN_KIND.match(cls):
        return False
    if verb.lower().endswith(" det som"):
        return True
    low = verb.lower()
    return low in _STRONG_PAST or (bool(_PAST_FORM.match(low)) and is_verb_form(verb))


_CONCRETE = re.compile(r"\bkonkret\w*|\bvilka\s+av\b|\bspecific\b|\bwhich\s+of\s+the\b", re.I)


def asks_concrete(question: str) -> bool:
    """Whether ``question`` asks for concrete instances in so many words ("Vilka konkreta
    insatser …?", "Vilka av organisationerna …?"): a text that does not even use the class's
    word for them gives none the reader could copy as such."""
    return bool(_CONCRETE.search(question))


def instances_class(question: str, english: bool = False) -> str:
    """The noun of the things a question asks instances of ("målkonflikter"), or "".
    An English noun counts only when it is one the texts' Swedish words are known for
    (:func:`class_words`: "organisations" ~ "organisation"): "goal conflicts" is never
    written so in a Swedish text, and its instances could not be told from none."""
    m = _INSTANCES_QUESTION.search(question)
    k = _KIND_QUESTION.search(question)
    if m is None and k is not None and _asks_past_set(k.group("cls"), k.group("verb")):
        m = k
    if m is None:
        m = _DONE_QUESTION.search(question)
        if m is None or fold(m.group("cls")) in _COUNTS:
            return ""
        done = re.findall(r"[^\W\d_]{3,}(?:t|ts|d|ds)\b", m.group("rest"))  # supines
        if not any(is_verb_form(w) for w in done):
            return ""
    cls = m.group("cls") or m.groupdict().get("set") or ""
    return "" if english and class_words(cls) == (fold(cls),) else cls


def gives_instances(cls: str, text: str) -> bool:
    """Whether a sentence of ``text`` that speaks of things of class ``cls`` goes on to
    give some: a mark that introduces them within a few words of the class's word
    ("åtgärder såsom …", "tre delar: …", "projekt, till exempel …"). A sentence that only
    says such things exist ("målkonflikter upptäcks") gives none; a name elsewhere in it
    ("RUS:en") is no instance of the class. The instances may also follow the class's
    word as a list of three or more ("grupperna *Nya perspektiv*, sakområdesrådet,
    arbetsordning samt verkställighet")."""
    return any(
        _INSTANCE_MARK.match(sentence[end:]) or _LISTED_AFTER.match(sentence[end:])
        for sentence in split_sentences(text)
        for end in _class_words_at(cls, sentence)
    )


# "Vad heter bilden …?", "Vilket namn fick illustrationen?", "What was the session
# called?": the name of one thing, told by a title, a name or a word that gives it.
_NAME_QUESTION = re.compile(
    r"\b(?:vad\s+(?:heter|hette|kallas|kallades)|vilket\s+namn|vilka\s+namn|"
    r"what\s+(?:is|was|are|were)\s+(?:the\s+)?names?\s+of|"
    r"what\s+(?:is|was)\s+[^?]{1,60}?\s+called)\b",
    re.IGNORECASE,
)
_GIVES_NAME = re.compile(r"\b(?:heter|hette|kallas|kallad|kallade|kallat|benämns)\b", re.I)


def asks_a_name(question: str) -> bool:
    """Whether ``question`` asks what a thing is called (see :data:`_NAME_QUESTION`)."""
    return bool(_NAME_QUESTION.search(question))


def names_a_thing(sentence: str, own: Collection[str]) -> bool:
    """Whether ``sentence`` gives a thing's name: a word that gives one ("som hette …"),
    or a title or name (:func:`thing_names`) with a word not among the question's own
    (``own``, folded): "bilden ”kabeltrumman”" answers "Vad heter bilden?", a sentence
    naming only the region asked about does not."""
    if _GIVES_NAME.search(sentence):
        return True
    return any(
        fold(w) not in own for name in thing_names(sentence) for w in re.findall(r"\w{3,}", name)
    )
