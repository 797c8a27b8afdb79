"""Questions about plans and results: answered only by a sentence that tells one (issue 24)."""

from __future__ import annotations

import pytest

from confsearch.answers.answer import answer
from confsearch.retrieval.plans import (
    FUTURE_UNSAID,
    RESULT_UNSAID,
    asks_future,
    asks_result,
    tells_future,
    tells_result,
)
from confsearch.retrieval.question import analyse
from tests.answers.test_answer import make_hit, response


@pytest.mark.parametrize(
    "question",
    [
        "Planerar Region Sörmland att sprida kabeltrumman till andra regioner?",
        "Kommer Västerbotten att starta ett nytt projekt när det här är klart?",
        "Vad planerar Västerbotten att göra när AI-projektet är avslutat?",
        "Vilka planer har Värmland för rådet?",
        "Har Örebro planer på att bygga fler cykelbibliotek?",
        "Will Sörmland spread the method to other regions?",
        "What does Region Örebro län plan to do next?",
        "What are Gävleborg's plans after the study?",
    ],
)
def test_questions_about_what_is_planned(question):
    assert asks_future(question)
    assert analyse(question).outcome == "plan"


@pytest.mark.parametrize(
    "question",
    [
        "Pågår de stora industrisatsningarna i norr redan, eller är de planer för framtiden?",
        "Vilken region skapar fiktiva hushåll för att planera hållbar utveckling?",
        "Hur ska Västmanland gå vidare med åtgärderna?",
        "Varifrån kommer företagen i projektet?",
        "Who said people are hungry for stories about how we will travel?",
    ],
)
def test_questions_that_do_not_ask_for_a_plan(question):
    assert not asks_future(question)


@pytest.mark.parametrize(
    ("sentence", "tells"),
    [
        ("Regionen planerar att sprida metoden till fler kommuner.", True),
        ("Nästa steg är att bilda arbetsgrupper.", True),
        ("Arbetet kommer att fortsätta under nästa år.", True),
        ("Kommunerna ska ta fram egna handlingsplaner.", True),
        ("De prioriterar om i RUS:en för att fler ska känna ägarskap.", False),
        ("Det vill säga alla aktörer som bär upp vardagssystemet.", False),
        ("För att förstå systemet utvecklade de bilden kabeltrumman.", False),
    ],
)
def test_sentences_that_tell_a_plan(sentence, tells):
    assert tells_future(sentence) is tells


def test_a_plan_question_is_not_answered_by_what_was_done():
    question = "Planerar regionen att sprida kabeltrumman till andra regioner?"
    done = [make_hit(1, "För att förstå systemet utvecklade regionen bilden kabeltrumman.")]
    ans = answer(response(question, done))
    assert not ans.confident
    assert ans.message == FUTURE_UNSAID
    assert ans.sentences  # the nearest sentences are still shown, marked as such
    planned = [make_hit(1, "Regionen planerar att sprida kabeltrumman till andra regioner.")]
    assert answer(response(question, planned)).confident


@pytest.mark.parametrize(
    "question",
    [
        "Har MUCF:s samverkansmodell utvärderats, och vad blev resultatet?",
        "Har kabeltrumman lett till några mätbara förbättringar för hushållen?",
        "Vilka resultat har forumet gett hittills?",
        "What results has the household method produced so far?",
        "Has the model reduced the cost of patient transport?",
        "What did the export study conclude?",
    ],
)
def test_questions_about_what_came_of_it(question):
    assert asks_result(question, analyse(question).asks)
    assert analyse(question).outcome == "result"


@pytest.mark.parametrize(
    "question",
    [
        # an effect is told in many words, not as a result
        "Vilken effekt har forumet haft på motstridiga mål?",
        # a person or a body is the item checked there
        "Vem fick ta emot resultatet av utredningen i Gävleborg?",
        "What kind of measures does Gävleborg say are needed?",
        "Hur utvecklas ojämlikheten i Gävleborg?",
    ],
)
def test_questions_that_do_not_ask_for_a_result(question):
    assert analyse(question).outcome != "result"


@pytest.mark.parametrize(
    ("sentence", "tells"),
    [
        ("Resultaten visar att ojämlikheten blir alltmer koncentrerad.", True),
        ("Erfarenheten är att målkonflikter upptäcks och hanteras bättre.", True),
        ("Utvärderingen visade att arbetsgruppens roll behöver tydliggöras.", True),
        ("Utifrån statistik skapades verkliga hushåll.", False),
        ("Regionen skapar persona-hushåll för att visa vilka insatser som behövs.", False),
    ],
)
def test_sentences_that_tell_a_result(sentence, tells):
    assert tells_result(sentence) is tells


def test_a_result_question_is_not_answered_by_what_was_made():
    question = "Vad blev resultatet av kabeltrumman för hushållen?"
    made = [make_hit(1, "Regionen utvecklade kabeltrumman för att förstå hushållens vardag.")]
    ans = answer(response(question, made))
    assert not ans.confident
    assert ans.message == RESULT_UNSAID
    told = [make_hit(1, "Kabeltrumman ledde till att hushållens resor blev enklare.")]
    assert answer(response(question, told)).confident


@pytest.mark.parametrize(
    "question",
    [
        "Hur finansieras AI-projektet i Västerbotten, är det EU-pengar?",
        "Varifrån kommer pengarna till cykelbiblioteket?",
        "Who is paying for the Fossilfritt 2030 project?",
        "How is the LUX project funded?",
    ],
)
def test_questions_about_how_it_is_paid_for(question):
    assert analyse(question).outcome == "funding"


def test_a_funding_question_is_answered_only_by_a_sentence_on_funding():
    question = "Hur finansieras projektet?"
    about = [make_hit(1, "Projektet startade med en teknisk ansats för att stimulera AI.")]
    ans = answer(response(question, about))
    assert not ans.confident
    assert ans.message == "Texterna säger inte hur det finansieras."
    funded = [make_hit(1, "Projektet finansieras med EU-medel och regionala medel.")]
    assert answer(response(question, funded)).confident


@pytest.mark.parametrize(
    ("question", "members"),
    [
        ("Vilka satt i arbetsgruppen för utredningen?", True),
        ("Vilka personer satt i Gävleborgs blandade arbetsgrupp?", True),
        ("Vilka deltog i workshopen om affärsplanen?", True),
        ("Who are the named members of the council's working group?", True),
        ("Who should be members of a regional keystone team?", True),
        # who spoke in the session is asked of its speakers, not of a group
        ("Vilka medverkade i passet om cykling?", False),
        ("Vilka deltog i lärpasset om AI?", False),
        ("Who took part in the session on AI?", False),
    ],
)
def test_questions_about_who_was_in_a_group(question, members):
    assert (analyse(question).outcome == "members") is members


def test_who_tells_of_a_group_is_no_member_of_it():
    question = "Vilka satt i arbetsgruppen för utredningen?"
    told = [
        make_hit(1, "Region Testland berättar om en utredning om livsvillkor."),
        make_hit(2, "Maria Sundman, Region Testland, berättar att utredningen hade en grupp."),
    ]
    ans = answer(response(question, told))
    assert not ans.confident
    assert ans.message == "Texterna säger inte vilka som var med."
    named = [make_hit(1, "I arbetsgruppen satt Karin Ek från Kommunförbundet och Per Holm.")]
    assert answer(response(question, named)).confident
    by_role = [make_hit(1, "I arbetsgruppen blandas direktörer från regionen och kommunerna.")]
    assert answer(response(question, by_role)).confident
