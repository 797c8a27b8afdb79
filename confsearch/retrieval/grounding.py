"""Grounding a question in the texts: which of its names and terms do the texts mention?

A question can only be answered from the conference texts if what it depends on is in
them. Before a search is trusted, the question is split into

* **names** — organisations and regions of the gazetteer, in Swedish or by their English
  names ("Jönköpings län", "Tillväxtverket", "Örebro County Council"), runs of
  capitalised words ("Karin Johansson", "Gothenburg") and acronyms ("SKR", "OECD"); a
  run whose every word the glossary translates ("Civil Society") is read as those words;
  and
* **terms** — the remaining content words, without stopwords, without the words every
  regional-development question contains (:data:`confsearch.text.GENERIC_WORDS`) and
  without verb forms and comparisons ("varnar", "lyfte", "smidigare":
  :mod:`confsearch.wordclass`), which say what is asked, not what about: the texts may
  say "sa" where the question says "varnar"; without a word standing where the question's
  verb stands ("Var hittar man …", "när de väljer …": also nouns' plurals, so the
  dictionary alone cannot tell); and without an adjective before the word it modifies
  ("typiska företagaren": the noun is the topic).

Each is looked up in the corpus :class:`Vocabulary`, built with the index: as written or
inflected, with or without å/ä/ö, as a typo, as a compound of known parts or a derivation
of a known word (all through the lexical index's own analysis), through the glossary
("bike library" → "cykelbibliotek"), or — for a *name* in English or another spelling —
as a word whose embedding is nearly identical to a corpus name's ("Sweden" ~ "Sverige",
"Gothenburg" ~ "Göteborg": cosine ≥ :data:`SAME_WORD`). What is found nowhere is
*missing*: "Texterna nämner inte: Jönköpings län, turism".

Topic words are looked up by their letters only. Their embeddings were tried and cost
more than they gave: a word's nearest corpus word by meaning is often only a lookalike
("kulturarvet" ~ "kulturen" 0.92, "flyg" ~ "fly" 0.94), which hid absent topics, while the
decisions on the tuning sets barely moved without them; and each word cost an encoding
(~3 ms, the largest part of a search after the question's own encoding).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from confsearch.patterns import LETTERS_RE
from confsearch.reading.regions import typed_mentions
from confsearch.retrieval.glossary import expansions
from confsearch.retrieval.vocabulary import (
    ACRONYM_RE,
    CAPITALISED_RE,
    MIN_WORD_LEN,
    TOKEN_RE,
    Vocabulary,
    name_key,
)
from confsearch.retrieval.wordroles import (
    after_modal,
    in_fixed_phrase,
    in_verb_position,
    modifies_next,
)
from confsearch.text import fold, is_generic, normalize
from confsearch.wordclass import never_a_topic

MIN_NAME_PART = 4  # letters of a name opening a compound ("Örebroprojektet")


def _near(word: str, known: set[str]) -> bool:
    """``word`` or, for words of five letters or more, a spelling one edit away."""
    if word in known:
        return True
    if len(word) < 5:
        return False
    for i in range(len(word) + 1):
        for variant in (word[:i] + word[i + 1 :], word[:i] + word[i:]):
            if variant != word and variant in known:
                return True
    return any(
        _one_edit(word, k) for k in known if abs(len(k) - len(word)) <= 1 and k[:1] == word[:1]
    )


def _after_names(word: str, vocabulary: Vocabulary) -> list[str]:
    """What follows each one-word name the texts use that opens ``word`` (folded)."""
    names = vocabulary.word_set
    ends = range(MIN_NAME_PART, len(word) - MIN_WORD_LEN + 1)
    return [word[i:] for i in ends if word[:i] in names]


def _named_first(word: str, vocabulary: Vocabulary) -> bool:
    """A compound whose first part is a one-word name the texts use
    ("gavleborgsutredningen", "orebroprojektet"): the texts' own session named by a
    reader, unlike a name made of common words ("tillvaxtanalys")."""
    return bool(_after_names(word, vocabulary))


# What a reader calls a session after its region ("Västmanlandspasset", "Örebroexemplet",
# "Örebrogänget"): the session, or its people, not a thing of that name (folded).
# fmt: off
_SESSION_TAILS = frozenset((
    "passet", "larpasset", "exemplet", "fallet", "ganget", "sessionen", "seminariet",
    "foredraget", "presentationen", "folket", "teamet",
))
# fmt: on


def _names_a_session(word: str, vocabulary: Vocabulary) -> bool:
    """A name the texts use and a word for its session ("vastmanlandspasset")."""
    return any(
        rest in _SESSION_TAILS or (rest[:1] == "s" and rest[1:] in _SESSION_TAILS)
        for rest in _after_names(word, vocabulary)
    )


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


@dataclass(frozen=True)
class Term:
    """A name or term of the question and whether the texts mention it."""

    text: str  # as written in the question
    name: bool  # a name (organisation, region, place, person, acronym), not a topic word
    present: bool
    via: str = ""  # how it was found: "ord", "översättning", "register" (gazetteer)


@dataclass
class Grounding:
    terms: list[Term] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """What the texts never mention, names first, as written in the question."""
        names = [t.text for t in self.terms if t.name and not t.present]
        words = [t.text for t in self.terms if not t.name and not t.present]
        return list(dict.fromkeys(names + words))

    @property
    def missing_names(self) -> list[str]:
        return [t.text for t in self.terms if t.name and not t.present]

    @property
    def topic_terms(self) -> list[Term]:
        return [t for t in self.terms if not t.name]

    @property
    def coverage(self) -> float:
        """Share of the question's topic terms that the texts mention (1.0 without any)."""
        topic = self.topic_terms
        return sum(t.present for t in topic) / len(topic) if topic else 1.0


# ---------------------------------------------------------------- the question side


@dataclass
class _Candidate:
    text: str
    name: bool
    key: str  # folded, for look-ups


def _question_parts(query: str) -> list[_Candidate]:
    """Names (gazetteer mentions, capitalised runs, acronyms) and topic words, in order.

    A capitalised word that opens the question or a sentence is a name only if it is an
    acronym or starts a run of capitalised words ("Karin Johansson"); otherwise it is
    read as an ordinary word ("Gynnar företagsstödet …"). Common words never are names.
    """
    text = normalize(query)
    taken = [False] * len(text)
    parts: list[tuple[int, _Candidate]] = []
    for m in typed_mentions(text):
        parts.append((m.start, _Candidate(text[m.start : m.end], True, "org:" + m.name)))
        for i in range(m.start, m.end):
            taken[i] = True
    tokens = [m for m in TOKEN_RE.finditer(text) if not taken[m.start()]]

    def capitalised(i: int) -> bool:
        word = tokens[i].group()
        if word.isdigit() or is_generic(word):
            return False
        if any(part[:1].islower() for part in word.split("-")[1:]):
            return False  # "AI-lösningar", "RUS-genomförandet": a compound word, not a name
        return bool(CAPITALISED_RE.match(word) or ACRONYM_RE.match(word))

    def opens_sentence(i: int) -> bool:
        before = text[: tokens[i].start()]
        return not before.strip() or bool(re.search(r"[.!?:]\s*$", before))

    k = 0
    while k < len(tokens):
        word = tokens[k].group()
        if capitalised(k):
            j = k
            while (
                j + 1 < len(tokens)
                and capitalised(j + 1)
                and _adjacent(text, tokens[j], tokens[j + 1])
            ):
                j += 1
            is_name = (
                j > k
                or not opens_sentence(k)
                or bool(ACRONYM_RE.match(word))
                or _names_a_place(tokens, j)  # "Växjö kommun …"
            )
            if is_name:
                start, end = tokens[k].start(), tokens[j].end()
                words = [t.group() for t in tokens[k : j + 1]]
                parts.append((start, _Candidate(text[start:end], True, name_key(words))))
                k = j + 1
                continue
        if _BODY_KIND.match(fold(word)):  # "länsstyrelserna": bodies of the register
            parts.append((tokens[k].start(), _Candidate(word, True, fold(word))))
            k += 1
            continue
        if (
            not is_generic(word)
            and not word.isdigit()
            and len(word) >= MIN_WORD_LEN
            and not never_a_topic(word)  # "varnar", "smidigare": what is asked, not the topic
            and not modifies_next(tokens, k)  # "typiska företagaren": the noun is the topic
            and not in_verb_position(tokens, k)  # "Var hittar man …", "när de väljer"
            and not after_modal(tokens, k)  # "Hur kan en kommun lägga upp …"
            and not in_fixed_phrase(tokens, k)  # "i samband med", "dra nytta av"
        ):
            parts.append((tokens[k].start(), _Candidate(word, False, fold(word))))
        k += 1
    return [c for _, c in sorted(parts, key=lambda p: p[0])]


# A kind of body the register lists by name that a question may name by kind alone
# ("Vilken roll hade länsstyrelserna?"): a name the texts must mention, not a topic word
# (folded). Not "landsting" nor "regionförbund": readers say them for today's regions.
_BODY_KIND = re.compile(r"lansstyrelse\w*$")

# A capitalised word before one of these is a place's name, even opening a question.
_PLACE_NOUNS = frozenset(("kommun", "kommuns", "stad", "stads", "län", "läns"))


def _names_a_place(tokens: list[re.Match], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].group().lower() in _PLACE_NOUNS


def _adjacent(text: str, a: re.Match, b: re.Match) -> bool:
    """Two tokens separated only by spaces (a name does not run across punctuation)."""
    return not text[a.end() : b.start()].strip()


def known_expansions(query: str, lexical) -> list[tuple[str, str]]:
    """The glossary's (matched text, expansion) pairs for ``query`` whose expansion the
    corpus has ("bike library" → "cykelbibliotek"; not "housing" → "bostäder" in texts that
    never say "bostäder")."""
    return [
        (matched, target)
        for matched, target in expansions(query)
        if all(lexical.knows(w) for w in target.split() if not is_generic(w))
    ]


def _glossary_words(query: str, lexical) -> set[str]:
    """Words of the question that the glossary translates into words the corpus has,
    folded."""
    return {
        fold(w)
        for matched, _ in known_expansions(query, lexical)
        for w in LETTERS_RE.findall(matched)
    }


def ground(query: str, lexical, vocabulary: Vocabulary, embedder) -> Grounding:
    """Which names and terms of ``query`` the corpus mentions (see the module docstring)."""
    candidates = _question_parts(query)
    translated = _glossary_words(query, lexical)
    found: list[tuple[_Candidate, bool, str]] = []
    unknown: list[int] = []
    for cand in candidates:
        if not cand.name and cand.key in translated:
            found.append((cand, True, "ordlista"))
            continue
        if cand.key.startswith("org:"):
            org = cand.key[4:]
            found.append((cand, org in vocabulary.organisations, "register"))
            continue
        if cand.name:
            parts = cand.key.split()
            if all(p in translated for p in parts):  # "Civil Society", "County Council"
                found.append((cand, True, "ordlista"))
                continue
            present = cand.key in vocabulary.names or (
                all(p in translated or _near(p, vocabulary.names) for p in parts)
                if len(parts) > 1
                else lexical.knows_whole(cand.key)
                or _near(cand.key, vocabulary.names)
                or (_named_first(cand.key, vocabulary) and lexical.knows(cand.key))
                or _names_a_session(cand.key, vocabulary)
            )
            if not present and " " not in cand.key:  # looked up by meaning below
                unknown.append(len(found))
        else:
            present = lexical.knows(cand.text)
        found.append((cand, present, "ord" if present else ""))
    if unknown and embedder is not None:
        vectors = embedder.encode_queries([found[i][0].text for i in unknown])
        for i, match in zip(unknown, vocabulary.same_word(vectors), strict=True):
            if match is not None:
                found[i] = (found[i][0], True, "översättning")
    return Grounding([Term(c.text, c.name, present, via) for c, present, via in found])
