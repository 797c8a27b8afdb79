"""Questions that ask for a comparison: answered only by a sentence naming what the
question compares with (issue 24)."""

from __future__ import annotations

import pytest

from confsearch.answers.answer import answer
from confsearch.retrieval.comparisons import compared_phrase, compared_with, makes_comparison
from confsearch.retrieval.question import analyse
from tests.answers.test_answer import make_hit, response


@pytest.mark.parametrize(
    ("question", "compared"),
    [
        (
            "Hur står sig ojämlikheten i Gävleborg jämfört med riksgenomsnittet eller grannlänen?",
            ("riksgenomsnittet", "grannlänen"),
        ),
        ("How does inequality in Gävleborg compare with the rest of Sweden?", ("Sweden",)),
        ("Hur stor är arbetslösheten i förhållande till Skåne?", ("Skåne",)),
        # a comparison with the past is told in many words, and not checked
        ("Hur stora är satsningarna jämfört med tidigare?", ()),
        ("How big are the investments compared to earlier ones?", ()),
        ("Vad sa Mona Karila om kommunerna?", ()),
    ],
)
def test_what_a_question_compares_with(question, compared):
    assert compared_with(question) == compared
    assert analyse(question).compared == compared


def test_a_sentence_makes_the_comparison_by_naming_what_is_compared():
    assert makes_comparison(("riksgenomsnittet",), "Länet ligger under riksgenomsnittet.")
    assert makes_comparison(("Sweden",), "Ojämlikheten är större än i övriga Sverige.")
    assert not makes_comparison(("Sweden",), "Ojämlikheten i Gävleborg blir koncentrerad.")
    assert makes_comparison((), "Vilken mening som helst.")


def test_a_comparison_the_texts_do_not_make_is_not_answered():
    question = "Hur står sig ojämlikheten i länet jämfört med riksgenomsnittet eller grannlänen?"
    alone = [make_hit(1, "Resultaten visar att ojämlikheten i länet blir alltmer koncentrerad.")]
    ans = answer(response(question, alone))
    assert not ans.confident
    assert ans.message == "Texterna jämför inte med riksgenomsnittet eller grannlänen."
    assert compared_phrase(question) == "riksgenomsnittet eller grannlänen"
    compared = [make_hit(1, "Ojämlikheten i länet är större än riksgenomsnittet.")]
    assert answer(response(question, compared)).confident


def test_a_how_question_with_a_comparison_needs_only_the_comparison():
    # "hur" has no item of its own: the comparison is all that is checked
    question = "Hur ser regionen på samhällsentreprenörer jämfört med tillväxtinriktade företagare?"
    hits = [
        make_hit(1, "Är det den som vill skapa tillväxt, eller den som vill bidra till samhället?")
    ]
    assert answer(response(question, hits)).confident
