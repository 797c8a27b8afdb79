"""List questions that need names or a count in their answer (issue 24, near misses)."""

from __future__ import annotations

import pytest

from confsearch.answers.answer import answer
from confsearch.answers.sentences import holds_item, new_name
from confsearch.retrieval.listitems import (
    asked_count,
    asks_a_name,
    gives_instances,
    instances_class,
    named_class,
    named_things,
    names_a_thing,
    speaks_of,
    states_count,
    thing_names,
)
from confsearch.retrieval.question import analyse
from tests.answers.test_answer import make_hit, response


@pytest.mark.parametrize(
    ("question", "cls"),
    [
        ("Vilka AI-verktyg använder länets företag?", "verktyg"),
        ("Which software did the region use for the map?", "software"),
        ("Which named committees take part in the forum?", "committees"),
        ("Vilka nämnder sitter i styrgruppen?", "nämnder"),
        ("Vilka arbetsgrupper bildades efter utredningen?", "arbetsgrupper"),
        ("Vilka andra modeller studerade myndigheten?", "modeller"),
        # a model described, a kind of people, no class of named things
        ("Vilken modell använde myndigheten?", ""),
        ("Vilka grupper måste stärkas?", ""),
        ("Vilka åtgärder föreslås?", ""),
    ],
)
def test_named_class_is_read_off_the_interrogative_and_its_noun(question, cls):
    assert named_class(question) == cls


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("Vilka tre steg ingår i fasen?", 3),
        ("What are the four phases of the model?", 4),
        ("Which five groups were the proposals sorted into?", 5),
        ("Vilka 6 kommuner deltar?", 6),
        # a pair needs no count in its answer ("X och Y"), and no count at all is none
        ("Vilka två talare kom från myndigheten?", 0),
        ("Vilka steg ingår?", 0),
    ],
)
def test_asked_count(question, count):
    assert asked_count(question) == count


def test_states_count_in_digits_or_words():
    assert states_count(3, "Arbetet består av tre delar: A, B och C.")
    assert states_count(3, "Planen har 3 delar.")
    assert states_count(5, "Förslagen sorterades i fem grupper.")
    assert not states_count(3, "Modellen har fyra faser.")


def test_thing_names_skip_the_opening_word_and_keep_titles_and_acronyms():
    names = thing_names("Verktyget heter ”Kartkollen” och tas fram med SCB och Lantmäteriet.")
    assert "Kartkollen" in names and "SCB" in names and "Lantmäteriet" in names
    assert "Verktyget" not in names
    assert thing_names("AI används av många företag.") == ["AI"]  # an acronym opens it


def test_named_things_only_from_sentences_about_the_class():
    text = (
        "Regionen bildade arbetsgrupper för att jobba vidare. "
        "Anna Berg från Region Gävleborg ledde arbetet."
    )
    assert named_things("arbetsgrupper", text) == []
    text = "Regionen bildade två arbetsgrupper: Gruppen Vatten och Gruppen Skog."
    assert "Gruppen Vatten" in named_things("arbetsgrupper", text)
    # English class words map to the Swedish words of the texts
    assert named_things("software", "Kartan ritades i programmet Kartkollen.") == ["Kartkollen"]
    # a name before the class's word names something else ("RUS:en" is no committee);
    # a name of the class itself counts wherever it stands
    assert named_things("nämnder", "RUS:en blir en angelägenhet för alla nämnder.") == []
    assert named_things("nämnder", "Här deltar Regionala Utvecklingsnämnden och andra nämnder.")


@pytest.mark.parametrize(
    ("question", "sentence", "holds"),
    [
        ("Vilka andra modeller lärde myndigheten av?", "De lärde av andra modeller.", False),
        (
            "Vilka andra modeller lärde myndigheten av?",
            "De lärde av andra modeller, bland dem ”Öppna Dörren” i Malmö.",
            True,
        ),
        # a person of the passage, or a name the question uses, names no tool
        (
            "Vilka AI-verktyg testade Region Västerbotten?",
            "Region Västerbotten testade flera AI-verktyg, berättar Karin Ek.",
            False,
        ),
        (
            "Vilka AI-verktyg testade Region Västerbotten?",
            "Region Västerbotten testade AI-verktyget Copilot i tio företag.",
            True,
        ),
        # a counted list: the count and the list, in one sentence
        ("Vilka tre steg ingår i fasen?", "Modellen har fyra faser med tre steg i varje.", False),
        (
            "Vilka tre delar består arbetet av?",
            "Arbetet har tre delar: Loket, LUX och Hamnen.",
            True,
        ),
    ],
)
def test_holds_item_for_named_and_counted_lists(question, sentence, holds):
    assert holds_item(analyse(question), sentence, speakers=("Karin Ek",)) is holds


def test_a_question_for_names_the_texts_do_not_give_is_not_answered():
    hits = [
        make_hit(1, "Kommunen bildade arbetsgrupper för att jobba vidare med resultaten."),
        make_hit(2, "Arbetsgruppen var blandad, berättar Maria Sundman, Region Gävleborg."),
    ]
    ans = answer(response("Vilka arbetsgrupper har kommunen bildat?", hits))
    assert not ans.confident
    assert ans.message == "Texterna nämner inga namn på det frågan gäller."
    assert ans.sentences  # the nearest sentences are still shown, marked as such
    named = [
        make_hit(1, "Kommunen bildade två arbetsgrupper: Gruppen Vatten och Gruppen Skog."),
    ]
    assert answer(response("Vilka arbetsgrupper har kommunen bildat?", named)).confident


def test_a_counted_list_the_texts_do_not_list_is_not_answered():
    hits = [make_hit(1, "Samverkansmodellen har fyra faser med tre steg i varje fas.")]
    ans = answer(response("Vilka tre steg ingår i den andra fasen?", hits))
    assert not ans.confident
    assert ans.message == "Texterna räknar inte upp dem en för en."


def test_an_organisation_the_question_names_by_its_short_name_is_not_new():
    q = analyse("Vilka organisationer satt i MUCF:s referensgrupp?")
    assert not new_name("Myndigheten för ungdoms- och civilsamhällesfrågor", q)
    assert new_name("Vinnova", q)


def test_several_organisations_asked_for_are_named_in_the_sentence_not_the_card():
    from confsearch.retrieval.listitems import named_bodies

    assert named_bodies("Vilka organisationer satt i referensgruppen?") == "organisationer"
    assert named_bodies("Which companies invest in the north?") == "companies"
    assert named_bodies("Vilken organisation står bakom LUX?") == ""  # one: the card may say
    q = analyse("Vilka organisationer satt i referensgruppen?")
    told = "Myndigheten tog fram modellen tillsammans med berörda organisationer."
    assert not holds_item(q, told, regions=("Myndigheten för ungdoms- och civilsamhällesfrågor",))
    named = "I referensgruppen satt organisationer som Vinnova och Region Halland."
    assert holds_item(q, named)


@pytest.mark.parametrize(
    ("question", "english", "cls"),
    [
        ("Vilka konkreta målkonflikter har upptäckts?", False, "målkonflikter"),
        ("Kan du ge exempel på konkreta åtgärder i Värmland?", False, "åtgärder"),
        ("Can you name some of the 400 organisations helping firms?", True, "organisations"),
        ("Kan du räkna upp några av de över 400 organisationerna?", False, "organisationerna"),
        ("Nämn några av projekten i Norrbotten", False, "projekten"),
        # an English noun the Swedish texts are not known to write: no check possible
        ("Which specific goal conflicts did Örebro uncover?", True, ""),
        # "konkret" as an adverb asks no instances
        ("Vad gör regionen konkret för cyklisterna?", False, ""),
        ("Vilka åtgärder föreslås?", False, ""),
        # which ones of a set: only naming some of them answers
        ("Vilka av de över 400 organisationerna pekade Vinnova ut?", False, "organisationerna"),
        ("Vilka av åtgärderna har redan genomförts?", False, "åtgärderna"),
        # who the ones of a set are: "Vilka är de (drygt 400) organisationerna?"
        ("Vilka är de drygt 400 organisationerna som hjälper företag?", False, "organisationerna"),
        ("Vilka var de arbetsgrupperna?", False, "arbetsgrupperna"),
        # a count is checked as a count, "de två" as people, a superlative by kind
        ("Vilka är de fem temagrupperna i Värmland?", False, ""),
        ("Vilka var de två från Region Västmanland som frågade?", False, ""),
        ("Vilka är de största utmaningarna?", False, ""),
        # things done, asked by kind: only naming some of them answers
        ("Vilka förbättringar har kommunerna gjort efter arbetet?", False, "förbättringar"),
        ("Vilka förbättringar har faktiskt gjorts tack vare modellen?", False, "förbättringar"),
        ("Vilka åtgärder har Gävleborg redan genomfört?", False, "åtgärder"),
        # asked for as a list, in so many words
        ("Räkna upp kommunerna som ingår i rådet", False, "kommunerna"),
        ("Lista alla åtgärder i Västmanland", False, "åtgärder"),
        ("Kan du nämna några av de 400 organisationerna?", False, "organisationerna"),
        ("List the organisations that help companies", True, "organisations"),
        # "en lista" is a noun: no one is asked to list anything
        ("Finns det en lista över de 400 organisationerna?", False, ""),
        # where they are, between the kind and the verb
        ("Vilka åtgärder på listan har regionen valt?", False, "åtgärder"),
        ("Vilka åtgärder på listan prioriterades först?", False, "åtgärder"),
        ("Vilka fördelar i Örebro finns?", False, ""),
        # no deed after "har": what someone has, not what was done
        ("Vilka erfarenheter har Region Örebro län av forumet?", False, ""),
        ("Vilka titlar har Göran Andersson på Vinnova?", False, ""),
        # a count asked is checked as a count (asked_count)
        ("Vilka fem grupper har direktörerna delats in i?", False, ""),
        # a set of things of the past, asked by kind: a past or passive verb, "var med"
        ("Vilka variabler korsades i analysen?", False, "variabler"),
        ("Vilka variabler korsade Region Västmanland i analysen?", False, "variabler"),
        ("Vilka åtgärder stod på den långa listan?", False, "åtgärder"),
        ("Vilka referensgrupper var med när modellen togs fram?", False, "referensgrupper"),
        ("Vilka aspekter är det som gör dem mer utsatta?", False, "aspekter"),
        # of the present: what a thing gives or has is told in many words
        ("Vilka fördelar finns med fossilfria resor?", False, ""),
        ("Vilka fördelar ger ett tvärsektoriellt arbetssätt?", False, ""),
        # bodies, places and people have checks of their own
        ("Vilka regioner berättade om omställningen?", False, ""),
        ("Vilka länder nämndes?", False, ""),
    ],
)
def test_a_question_asking_for_instances_in_so_many_words(question, english, cls):
    assert instances_class(question, english) == cls


@pytest.mark.parametrize(
    ("text", "speaks", "gives"),
    [
        ("Målkonflikter upptäcks och hanteras bättre.", True, False),
        ("Två målkonflikter lyftes: bostäder mot jordbruksmark och vindkraft.", True, True),
        ("De såg målkonflikter, till exempel mellan bostäder och natur.", True, True),
        # a relative clause describes them and names none
        ("Det finns över 400 organisationer i Sverige som hjälper företag.", False, False),
        ("Samarbetet ökar mellan områden.", False, False),
        # "som" before a list gives them; a question the text asks tells of none
        ("De såg målkonflikter som bostäder mot natur, vindkraft mot renskötsel osv.", True, True),
        ("Vilka målkonflikter finns och vem hanterar dem?", False, False),
        # three or more of a few words each, listed right after the class's word
        ("I de fem målkonflikterna *Nya hus*, vindkraft, renskötsel samt natur.", True, True),
        ("Målkonflikter kan hanteras för de hushåll, kommuner och regioner.", True, False),
        # what they are said to be gives them
        ("Målkonflikterna har varit och är att mark behövs till både hus och natur.", True, True),
    ],
)
def test_a_sentence_gives_instances_right_after_the_class_word(text, speaks, gives):
    assert speaks_of("målkonflikter", text) is speaks
    assert gives_instances("målkonflikter", text) is gives


def test_a_definite_class_word_is_found_in_its_indefinite_form():
    text = "En lång lista med möjliga åtgärder upprättades."
    assert speaks_of("åtgärderna", text)
    assert not gives_instances("åtgärderna", text)
    assert gives_instances("åtgärderna", "Åtgärder som cykelbibliotek, kampanjer och nudging.")


def test_instances_the_texts_only_say_exist_are_not_an_answer():
    """ "Vilka konkreta målkonflikter …?" over a text that says they are found and handled
    better: no instance given, so no confident answer, and the box says so."""
    hits = [
        make_hit(1, "Erfarenheten är att målkonflikter upptäcks och hanteras bättre."),
        make_hit(2, "Forumet samlar hela ledningsgruppen för regional utveckling."),
    ]
    ans = answer(response("Vilka konkreta målkonflikter har forumet upptäckt?", hits))
    assert not ans.confident
    assert ans.message == "Texterna ger inga konkreta exempel på målkonflikter."
    listed = [make_hit(1, "Forumet fann målkonflikter: bostäder mot jordbruksmark.")]
    assert answer(response("Vilka konkreta målkonflikter har forumet upptäckt?", listed)).confident


def test_concrete_instances_asked_of_texts_that_never_name_the_class_are_not_given():
    question = "Vilka konkreta insatser har regionen redan genomfört?"
    hits = [make_hit(1, "Resultaten visar att ojämlikheten i länet blir alltmer koncentrerad.")]
    ans = answer(response(question, hits))
    assert not ans.confident
    assert ans.message == "Texterna ger inga konkreta exempel på insatser."
    named = [make_hit(1, "Regionen har gjort insatser som läxhjälp, fritidsbank och sommarjobb.")]
    assert answer(response(question, named)).confident


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Vad heter bilden som Sörmland använder?", True),
        ("vad hette orebros larpass om fossilfria resor?", True),
        ("Vilket namn fick illustrationen?", True),
        ("What was the session on clean travel called?", True),
        ("What is the name of the model?", True),
        ("Vad gör Sörmland med bilden?", False),
        ("Vad heter regiondirektören?", True),  # asks a person: holds_item asks that first
    ],
)
def test_a_question_asking_what_a_thing_is_called(question, expected):
    assert asks_a_name(question) is expected


def test_the_sentence_that_gives_the_name_holds_the_item():
    """ "Vad heter bilden …?" is answered by the sentence that names it (a title, a name,
    "som hette …"), not by one that only speaks of it or names what the question names."""
    q = analyse("Vad heter bilden som Sörmland använder för att visa ett hushåll?")
    assert holds_item(q, "Region Sörmland utvecklade bilden ”kabeltrumman” för hushållet.")
    assert holds_item(q, "Region Örebro län höll ett lärpass som hette Rena resor.")
    assert not holds_item(q, "Det översta planet i trumman är vardagslivet.")
    assert not holds_item(q, "Med hjälp av bilderna kan Region Sörmland se hushållen.")
    assert not names_a_thing("I Sörmland ritade de en bild.", {"sormland"})
