"""What a word of a question is by where it stands: the question's verb, the infinitive
a modal verb governs, a modifier before its noun, or the noun of a fixed phrase.

"Texterna nämner inte" lists the topics a question names that the texts never mention
(:mod:`confsearch.retrieval.grounding`). Many of a question's words are no topic: "hittar"
in "Var hittar man …" is its verb though the dictionary also knows it as a noun's plural,
"lägga" in "Hur kan en kommun lägga upp …" the verb "kan" governs, "typiska" in "typiska
företagaren" a modifier, "samband" in "i samband med" part of a preposition. Each rule
here reads the words around one token; the dictionary (:mod:`confsearch.wordclass`) says
what a word may be, its place says what it is.
"""

from __future__ import annotations

import re

from confsearch.text import FUNCTION_WORDS, STOPWORDS, fold
from confsearch.wordclass import is_adjective_form, may_be_infinitive, may_be_verb_form
from confsearch.wordlists import FIXED_PHRASES


def modifies_next(tokens: list[re.Match], i: int) -> bool:
    """An adjective before the word it modifies ("typiska företagaren", "rent tekniska",
    "socioekonomiska klyftorna"): the noun is the topic the texts may lack, not its
    modifier. One that stands alone ("stöd till nyanlända") may be the topic itself."""
    if i + 1 >= len(tokens) or tokens[i + 1].group().lower() in _NOT_A_HEAD:
        return False
    return is_adjective_form(tokens[i].group())


_NOT_A_HEAD = STOPWORDS | FUNCTION_WORDS  # "till nyanlända", "unga som …"


# Where a question's finite verb stands: right after the wh-adverb that opens it ("Var
# hittar …"), after a subordinator and its subject pronoun ("när man väljer", "att de
# lägger"), before a reflexive ("ställt sig bakom", "lärt sig"). Not after the subject of a
# main clause ("Hur bygger man bostäder": the object follows it).
_WH_OPENING = frozenset(("var", "vart", "hur", "när", "nar", "varför", "varfor"))
_SUBORDINATORS = frozenset(("när", "nar", "om", "att", "som", "där", "eftersom", "då", "hur"))
_SUBJECTS = frozenset(("man", "jag", "du", "vi", "ni", "de", "dom", "han", "hon", "hen"))
# Verb particles that are seldom prepositions after a noun ("lyfts fram", "lägga upp").
_PARTICLES = frozenset(("fram", "upp", "ihop", "bort", "tillbaka", "undan", "ner", "ut", "iväg"))


def in_verb_position(tokens: list[re.Match], i: int) -> bool:
    """A word that may be a verb ("hittar", "väljer": also nouns' plurals) where a
    question's verb stands (above): what is asked, never the topic the texts may lack."""
    word = tokens[i].group().lower()
    if not (word.endswith(("r", "s", "t")) or may_be_verb_form(word)):
        return False
    low = [t.group().lower() for t in tokens[max(i - 2, 0) : i + 2]]
    before = low[: min(i, 2)]
    after = low[len(before) + 1 :]
    if after[:1] == ["sig"] or (i == 1 and before[-1] in _WH_OPENING):
        return True
    subordinate = len(before) == 2 and before[0] in _SUBORDINATORS and before[1] in _SUBJECTS
    if subordinate or not may_be_verb_form(word):
        return subordinate  # "när de väljer"
    if _ends_clause(tokens[i]) and _after_subject(tokens, i):
        return True  # "när olika mål krockar?": a subordinate clause ends on its verb
    # "lyfts fram", "blickar man", "de som avviker", "om norr inte lockar": a particle or
    # a subject after a word the dictionary reads as a verb, or a relative "som" or a
    # negation before it (a subordinate clause's word order), is where a verb stands
    particle_or_subject = bool(after) and (after[0] in _PARTICLES or after[0] in _SUBJECTS)
    return particle_or_subject or before[-1:] in (["som"], ["inte"], ["aldrig"])


def _after_subject(tokens: list[re.Match], i: int) -> bool:
    """Whether ``tokens[i]`` follows a subordinator and a noun subject within three words
    ("när olika mål krockar"), not a verb of the clause ("när det gäller cyklar")."""
    before = tokens[i - 1].group().lower() if i else ""
    if not before or before in _NOT_A_HEAD or may_be_verb_form(before):
        return False
    return any(t.group().lower() in _SUBORDINATORS for t in tokens[max(i - 3, 0) : i - 1])


def _ends_clause(token: re.Match) -> bool:
    """Whether ``token`` ends its clause: the text's end or punctuation after it."""
    rest = token.string[token.end() :].lstrip()
    return not rest or rest[0] in "?.,!;:"


# Modal verbs and the infinitive marker: the first infinitive-like word within
# _MODAL_REACH words after one is the verb it governs, whatever the dictionary knows of it
# ("Hur kan en kommun lägga upp …", "Hur ska arbetet med förslagen föras vidare?").
_MODALS = frozenset(
    {"kan", "kunde", "ska", "skall", "skulle", "bör", "borde", "måste", "vill", "ville"}
    | {"får", "fick", "behöver", "behövde", "brukar", "att"}
)
_MODAL_REACH = 4


def _infinitive_like(word: str) -> bool:
    return word[:1].islower() and len(word) >= 3 and may_be_infinitive(word)


def after_modal(tokens: list[re.Match], i: int) -> bool:
    """Whether ``tokens[i]`` is the infinitive a modal verb before it governs (above)."""
    if not _infinitive_like(tokens[i].group()):
        return False
    for j in range(i - 1, max(i - 1 - _MODAL_REACH, -1), -1):
        word = tokens[j].group()
        if word.lower() in _MODALS:
            return True
        if word[:1].islower() and word.lower().endswith(("a", "as")):
            return False  # the modal's infinitive (or an unsure word) came before this one
    return False


_FIXED = frozenset(
    (fold(b), fold(noun), fold(after))
    for before, noun, after in FIXED_PHRASES
    for b in before.split("|")
)


def in_fixed_phrase(tokens: list[re.Match], i: int) -> bool:
    """Whether ``tokens[i]`` is the noun of a fixed phrase (wordlists.FIXED_PHRASES), its
    verb before a subject or not ("drar man nytta av")."""
    if i == 0 or i + 1 >= len(tokens):
        return False
    b = i - 2 if i >= 2 and tokens[i - 1].group().lower() in _SUBJECTS else i - 1
    return tuple(fold(tokens[j].group().lower()) for j in (b, i, i + 1)) in _FIXED
