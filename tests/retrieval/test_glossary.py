"""Tests for the regional-development glossary (query expansion)."""

from __future__ import annotations

import pytest

from confsearch.retrieval.glossary import ONE_WAY, SYNONYMS, expand_query, expansions


def test_glossary_is_small_plain_data():
    n = sum(len(g) for g in SYNONYMS) + len(ONE_WAY)
    assert 40 <= n <= 120
    assert all(isinstance(name, str) for group in SYNONYMS for name in group)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("RUS", "regional utvecklingsstrategi"),
        ("SMF", "små och medelstora företag"),
        ("MUCF", "Myndigheten för ungdoms- och civilsamhällesfrågor"),
        ("SKR", "Sveriges Kommuner och Regioner"),
        ("AI", "artificiell intelligens"),
        ("ERUF", "Europeiska regionala utvecklingsfonden"),
        ("FoI", "forskning och innovation"),
        ("RUP", "regionalt utvecklingsprogram"),
        ("S3", "smart specialisering"),
        ("Agenda 2030", "globala mål"),
    ],
)
def test_abbreviation_to_expansion(query, expected):
    assert expand_query(query).startswith(f"{query} ")
    assert expected in expand_query(query)
    assert (query, expected) in expansions(query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("regional utvecklingsstrategi", "RUS"),
        ("små och medelstora företag", "SMF"),
        ("Myndigheten för ungdoms- och civilsamhällesfrågor", "MUCF"),
        ("Sveriges kommuner och regioner", "SKR"),
        ("artificiell intelligens", "AI"),
        ("smart specialisering", "S3"),
        ("globala målen", "Agenda 2030"),
    ],
)
def test_expansion_to_abbreviation(query, expected):
    expanded = expand_query(query)
    assert expanded.startswith(query)
    assert expanded.split(query, 1)[1].strip().startswith(expected)


def test_case_accent_and_inflection_insensitive():
    assert "RUS" in expand_query("Regionala utvecklingsstrategin i Värmland")
    assert "RUS" in expand_query("REGIONAL UTVECKLINGSSTRATEGI")
    assert "SMF" in expand_query("sma och medelstora foretag")  # typed without å/ä/ö
    assert "RUP" in expand_query("det regionala utvecklingsprogrammet")
    assert "regional utvecklingsstrategi" in expand_query("RUS:en antogs")
    assert "artificiell intelligens" in expand_query("ai")


def test_english_to_swedish():
    assert expand_query("cycling") == "cycling cykel cykling"
    assert expansions("bicycle library in Sweden") == [("bicycle library", "cykelbibliotek")]
    out = expand_query("gender equality and civil society")
    assert "jämställdhet" in out and "civilsamhälle" in out
    assert "jämlikhet" not in out  # "gender equality" wins over the shorter "equality"
    assert "kompetensförsörjning" in expand_query("skills supply")
    assert "affärsstrategi" in expand_query("business strategy for AI")
    assert "kommuner" in expand_query("municipalities")


def test_the_uns_goals_are_agenda_2030():
    assert expansions("FN:s globala hållbarhetsmål") == [
        ("FN:s globala hållbarhetsmål", "Agenda 2030")
    ]
    assert expand_query("the UN sustainable development goals").endswith("Agenda 2030")


def test_civil_society_by_its_everyday_names():
    """The texts say "civilsamhället"; people ask about "ideella föreningar"."""
    assert expansions("med ideella föreningar") == [("ideella", "civilsamhälle")]
    assert expand_query("föreningslivet").endswith("civilsamhälle")
    assert expand_query("Vilka föreningar?").endswith("civilsamhälle")
    assert expand_query("föreställning") == "föreställning"


def test_whole_word_matching():
    for query in ("main", "Kairo", "kair", "domain names", "RUSTA", "eus", "smfx"):
        assert expand_query(query) == query
        assert expansions(query) == []
    # a hyphenated compound starts with the word "AI"
    assert expansions("AI-tillämpningar") == [("AI", "artificiell intelligens")]


def test_unrelated_queries_unchanged():
    for query in ("", "   ", "rena resor", "cykelvägar i Örebro", "🙂", "!!!", "x" * 10_000):
        assert expand_query(query) == query


def test_no_duplicates():
    out = expand_query("AI och AI, artificiell intelligens")
    assert out == "AI och AI, artificiell intelligens"  # expansion already present
    out = expand_query("RUS RUS:en RUS")
    assert out.count("regional utvecklingsstrategi") == 1
    out = expand_query("collaboration and cooperation")
    assert out.count("samverkan") == 1 and out.count("samarbete") == 1
    pairs = expansions("Agenda 2030 och globala mål")
    assert [e for _, e in pairs] == ["hållbarhetsmål"]


def test_query_is_a_prefix_of_the_expansion():
    for query in ("RUS", "RUS  ", " SMF\n", "cycling?"):
        out = expand_query(query)
        assert out.startswith(query) and out != query
        assert out[len(query) :].strip() == " ".join(e for _, e in expansions(query))


def test_expansions_report_text_as_written():
    assert expansions("Om SMF:er och Regionala Utvecklingsstrategin") == [
        ("SMF", "små och medelstora företag"),
        ("Regionala Utvecklingsstrategin", "RUS"),
    ]


def test_the_domains_everyday_words_reach_its_own_terms():
    assert "besöksnäring" in expand_query("Satsar regionen på turism?")
    assert "turism" in expand_query("besöksnäringen i norr")
    assert "kompetensförsörjning" in expand_query("Hur hanteras arbetskraftsbristen?")
    assert "kvinnor och män" in expand_query("jämställdhet i företagsfrämjandet")


def test_a_models_parts_and_machine_learning_by_their_other_names():
    """ "Vad kallas den avslutande etappen?" is about the model's phases ("fas"), and
    machine learning is a kind of AI: the texts say "faserna" and "AI"."""
    assert "fas" in expand_query("Vad kallas den avslutande etappen i modellen?")
    assert "fas" in expand_query("Vad heter det sista skedet?")
    assert "AI" in expand_query("Hur kommer företag igång med maskininlärning?")
    assert "AI" in expand_query("Is machine learning used?")
