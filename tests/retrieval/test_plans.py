"""Questions about plans, results, funding and group members: answered only by a sentence
that tells what is asked (issue 24)."""

from __future__ import annotations

import pytest

from confsearch.answers.answer import answer
from confsearch.answers.unsaid import OUTCOME_UNSAID
from confsearch.retrieval.plans import (
    asks_future,
    asks_result,
    tells_asked,
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
    ("outcome", "sentence", "tells"),
    [
        ("plan", "Regionen planerar att sprida metoden till fler kommuner.", True),
        ("plan", "Nästa steg är att bilda arbetsgrupper.", True),
        ("plan", "Arbetet kommer att fortsätta under nästa år.", True),
        ("plan", "Kommunerna ska ta fram egna handlingsplaner.", True),
        ("plan", "De prioriterar om i RUS:en för att fler ska känna ägarskap.", False),
        ("plan", "Det vill säga alla aktörer som bär upp vardagssystemet.", False),
        ("plan", "För att förstå systemet utvecklade de bilden kabeltrumman.", False),
        ("result", "Resultaten visar att ojämlikheten blir alltmer koncentrerad.", True),
        ("result", "Erfarenheten är att målkonflikter upptäcks och hanteras bättre.", True),
        ("result", "Utvärderingen visade att arbetsgruppens roll behöver tydliggöras.", True),
        ("result", "Utifrån statistik skapades verkliga hushåll.", False),
        (
            "result",
            "Regionen skapar persona-hushåll för att visa vilka insatser som behövs.",
            False,
        ),
        ("funding", "Projektet finansieras med EU-medel.", True),
        ("funding", "Projektet startade med en teknisk ansats.", False),
        ("", "Vilken mening som helst.", True),
    ],
)
def test_sentences_that_tell_what_is_asked(outcome, sentence, tells):
    assert tells_asked(outcome, sentence) is tells


@pytest.mark.parametrize(
    ("question", "outcome", "near", "told"),
    [
        (
            "Planerar regionen att sprida kabeltrumman till andra regioner?",
            "plan",
            "För att förstå systemet utvecklade regionen bilden kabeltrumman.",
            "Regionen planerar att sprida kabeltrumman till andra regioner.",
        ),
        (
            "Vad blev resultatet av kabeltrumman för hushållen?",
            "result",
            "Regionen utvecklade kabeltrumman för att förstå hushållens vardag.",
            "Kabeltrumman ledde till att hushållens resor blev enklare.",
        ),
        (
            "Hur finansieras projektet?",
            "funding",
            "Projektet startade med en teknisk ansats för att stimulera AI.",
            "Projektet finansieras med EU-medel och regionala medel.",
        ),
    ],
)
def test_only_a_sentence_that_tells_it_answers(question, outcome, near, told):
    ans = answer(response(question, [make_hit(1, near)]))
    assert not ans.confident
    assert ans.message == OUTCOME_UNSAID[outcome]
    assert ans.sentences  # the nearest sentences are still shown, marked as such
    assert answer(response(question, [make_hit(1, told)])).confident


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
    "question",
    [
        "Hur finansieras AI-projektet i Västerbotten, är det EU-pengar?",
        "Varifrån kommer pengarna till cykelbiblioteket?",
        "Who is paying for the Fossilfritt 2030 project?",
        "How is the LUX project funded?",
        # by whom: a funder told, not any body of the session
        "Which programme funds the AI project?",
        "Vilket program finansierar cykelbiblioteket?",
        "Who funds the bicycle library?",
    ],
)
def test_questions_about_how_it_is_paid_for(question):
    assert analyse(question).outcome == "funding"


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
    bodies = [make_hit(1, "I rådet samarbetar regionen och alla 16 kommunerna.")]
    assert answer(response("Vilka sitter med i rådet?", bodies)).confident
