"""Whether a sentence stands on its own (confsearch.answers.standalone)."""

from confsearch.answers.standalone import needs_next, needs_previous


def test_a_sentence_that_points_back_needs_the_one_before():
    for sentence in (
        "Även sådana frågor behöver man arbeta med.",
        "Dessa lager visar mer.",
        "Också det är viktigt.",
        "Sådana projekt dör ofta efteråt.",
    ):
        assert needs_previous(sentence), sentence
    for sentence in (
        "Även Region Örebro län gör det.",
        "Även om det regnar cyklar vi.",
        "Regionen gör det.",
        "- Det finns, säger X.",
        # a generic relative, a presentational "det", an article before a superlative
        "De som inte ingår i normen möter fler svårigheter.",
        "Det behövs nya arbetssätt.",
        "Det finns över 400 organisationer.",
        "Det översta planet i trumman är vardagslivet.",
        "De största investeringarna sker nu.",
        "Det viktigaste är tid.",
        "De flesta vill.",
    ):
        assert not needs_previous(sentence), sentence
    # a pronoun before a verb that ends like a superlative still points back
    for sentence in ("De måste göra det.", "De visste det.", "Det är oftast bra."):
        assert needs_previous(sentence), sentence


def test_a_sentence_ending_with_a_colon_needs_the_next():
    assert needs_next("Starta genom att ändra fokus redan vid bedömning:")
    assert needs_next("Tre frågor att ställa:”")
    assert not needs_next("Regionen gör det.")
