"""Which Swedish words are verb forms (confsearch.wordclass, read off the Hunspell
dictionary): only these leave "Texterna nämner inte" and the word coverage."""

from __future__ import annotations

import pytest

from confsearch.wordclass import (
    dictionary_dir,
    is_adjective_form,
    is_common_word,
    is_verb_form,
    may_be_infinitive,
    may_be_verb_form,
    never_a_topic,
)


@pytest.mark.parametrize(
    "word",
    [
        "talat",  # supine
        "lyfte",  # past, "lyfta"
        "erbjuder",  # present of a strong verb
        "varnar",
        "genomförde",  # a particle verb
        "tillhör",  # present of a "-ra" verb
        "utvecklas",  # passive
        "glöms",
        "Rekommenderar",  # capitalised, opening a question
        "avslutat",  # a participle the dictionary lists as an adjective ("avslutad")
        "haft",  # supines of irregular verbs, entries of their own without a verb flag
        "gjort",
        "deltagit",  # a particle verb's compound of one ("tagit")
        "ifrågasatte",  # pasts of irregular verbs ("sätta"), whole or ending a compound
        "bidrog",
        "nämns",  # a stem in "n": "-ns" and "-nde" are the verb's, not nouns' endings
        "nämnde",
        "utgår",  # a verb whose infinitive ends in another vowel than "a"
        "dör",
        "uppstå",
        "antogs",  # the passive of a verb form ("antog", "gjort", "lade")
        "gjorts",
        "lades",
        "flytta",  # a weak verb's infinitive whose present the dictionary derives elsewhere
    ],
)
def test_verb_forms(word):
    assert is_verb_form(word)


@pytest.mark.parametrize(
    "word",
    [
        "frågor",  # the noun's plural, though "fråga" is also a verb (one entry for both)
        "åtgärder",
        "kampanjer",
        "kommuner",  # a plural noun in "-er", like a present tense
        "företagare",
        "samverkan",  # a noun a verb entry carries
        "lärande",
        "nämnande",  # a stem in "n": the noun after the whole infinitive
        "tron",  # "tro" is a verb and a noun
        "bo",
        "hälsa",  # noun and verb: never removed when unsure
        "kassett",  # ends as a short irregular supine ("sett") does: only whole ones count
        "steg",  # an irregular past that is also a noun ("tre steg")
        "bredband",
        "kämpar",  # "kämpe" (noun) or "kämpa" (verb)
        "cykelbibliotek",
        "laddinfrastruktur",  # unknown compound: its last part is a noun
        "fossilfria",  # an adjective is kept
        "NGOs",  # unknown: kept
        "vätgas",
        "Indien",
        "bra",  # an adverb/adjective in "-a" without a present tense
        "månad",  # a noun in "-ad", not a participle
        "kostnad",
    ],
)
def test_not_verb_forms(word):
    assert not is_verb_form(word)


def test_the_dictionary_is_installed_with_the_requirements():
    # no skip: a missing dictionary is a broken install (requirements.txt: hunspell-sv)
    assert (dictionary_dir() / "sv_SE.dic").stat().st_size > 1_000_000
    assert (dictionary_dir() / "sv_SE.aff").is_file()


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("smidigare", True),  # an adjective's comparative
        ("viktigaste", True),  # and superlative
        ("varnar", True),  # a verb form
        ("företagare", False),  # a noun in "-are"
        ("ledare", False),
        ("traditionella", False),  # an adjective itself is kept
        ("cykelbibliotek", False),
        ("utöver", True),  # a preposition
        ("forutom", True),  # typed without å/ä/ö
        ("besides", True),
        ("just", True),  # a focusing adverb
        ("igång", True),  # a verb particle written as one word ("komma igång")
        ("stället", True),  # "i stället för", as "instead"
        ("samhället", False),
        ("sorts", True),  # determines a noun ("Vilka sorts …")
        ("ifrån", True),  # adverbs of place and time
        ("idag", True),
        ("Ytterligare", True),
        ("resenären", False),
    ],
)
def test_never_a_topic(word, expected):
    assert never_a_topic(word) is expected


def test_number_words_are_never_a_topic():
    assert never_a_topic("två") and never_a_topic("three")
    assert not is_verb_form("två")


def test_a_word_typed_without_accents_is_judged_by_its_spellings_with_them():
    # "jämför" (a verb) and "två" (a number) typed without å/ä/ö: never a topic
    assert never_a_topic("jamfor") and never_a_topic("tva") and never_a_topic("paverkar")
    # nouns typed so stay topics, and a word the dictionary knows as written ("galler")
    # is judged as written, not as the verb it might stand for ("gäller")
    for word in ("cykelbibliotek", "hushall", "foretagare", "ojamlikhet", "galler", "lan"):
        assert not never_a_topic(word), word


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("typiska", True),  # an adjective's forms, or one derived from a noun ("typ")
        ("enskilda", True),
        ("socioekonomiskt", True),
        ("deltagare", False),  # a noun in "-are"
        ("fiskebåtar", False),
        ("cykelbibliotek", False),  # unknown compound of nouns
        ("Indien", False),
    ],
)
def test_adjective_forms(word, expected):
    assert is_adjective_form(word) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("Agenda", True), ("Fokus", True), ("Halmstad", False), ("Indien", False), ("Loket", False)],
)
def test_common_words_with_a_capital(word, expected):
    assert is_common_word(word) is expected


def test_a_word_that_may_be_a_verb():
    """ "hittar" and "kämpar" are verbs' forms and nouns' plurals: possible, not sure."""
    for word in ("hittar", "kämpar", "ställt"):
        assert may_be_verb_form(word) and not is_verb_form(word), word
    for word in ("regionen", "cykling", "budget"):
        assert not may_be_verb_form(word), word


def test_a_weak_verbs_present_may_be_a_verb():
    """ "blickar", "flyttar": the present of "blicka", "flytta", and a noun's plural."""
    for word in ("blickar", "flyttar", "krockar"):
        assert may_be_verb_form(word) and not is_verb_form(word), word


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("lägga", True),  # a strong verb the dictionary lists without its forms
        ("kartlägga", True),
        ("föras", True),  # a passive infinitive ("föra")
        ("astadkomma", True),  # unknown (typed without å): position decides
        ("skola", False),  # a noun in "-a" ("skolan")
        ("stora", False),  # an adjective's form
        ("lika", False),
        ("fabrikerna", False),  # a noun's definite plural
        ("regionen", False),
    ],
)
def test_may_be_infinitive(word, expected):
    assert may_be_infinitive(word) is expected
