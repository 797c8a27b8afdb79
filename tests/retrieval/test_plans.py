"""Questions about plans: answered only by a sentence that tells a plan (issue 24)."""

from __future__ import annotations

import pytest

from confsearch.answers.answer import answer
from confsearch.retrieval.plans import FUTURE_UNSAID, asks_future, tells_future
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
    assert analyse(question).future


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
