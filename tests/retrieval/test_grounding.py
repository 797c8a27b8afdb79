"""Grounding: which of a question's names and terms the texts mention."""

from __future__ import annotations

import shutil

import pytest

from confsearch.retrieval.grounding import Vocabulary, _question_parts, ground
from confsearch.retrieval.index import build_index, load_index
from tests.conftest import REAL_CORPUS, FakeEmbedder


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grounding")
    shutil.copytree(REAL_CORPUS, tmp / "corpus")
    build_index(tmp / "corpus", tmp / "index", FakeEmbedder())
    return load_index(tmp / "index")


def missing(index, question: str) -> list[str]:
    # embedder None: lexical look-ups only (the fake model cannot tell translations)
    return ground(question, index.lexical, index.vocabulary, None).missing


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Vad säger Jönköpings län om fisket?", ["Jönköpings län", "fisket"]),
        ("Hur arbetar Region Skåne med cykling?", ["Region Skåne"]),  # "cykling" ~ cykel-
        # a region typed in lower case without å/ä/ö is still a region the texts lack
        ("vad sa region skane om cykling", ["region skane"]),
        ("hur jobbar orebro lan med cykling", []),
        ("Vad tycker SKR om samverkan?", ["SKR"]),
        ("Vad sa Karin Johansson om projektkyrkogårdar?", ["Karin Johansson"]),
        ("Hur påverkar bostadsbristen Norrbotten?", ["bostadsbristen"]),
        ("Hur påverkar vätgasen industrin?", ["vätgasen"]),
        ("Vilken region har ett cykelbibliotek?", []),
        ("vilken region har ett cykelbibliotk", []),  # a typo
        ("varmlandsradet utvardering", []),  # without å/ä/ö
        ("Vad sa Kjell-Håkan Närfelt?", []),  # the hyphen does not matter
        ("Vad frågade Maarit Nurkala?", []),  # one letter off in a name
        ("Vilka AI-lösningar kopierar företagen?", []),  # a compound, not a name
        ("Gynnar företagsstödet den som vill växa?", []),  # a capital that opens a sentence
        # a job-title question's frame word: the texts write "projektledare", never "titel"
        ("Vilken titel har Mirja Mattsson?", []),
        ("Vilken befattning har Katja Hagström?", []),
        ("Vad säger Vinnovas projekt?", []),  # a genitive of a known name
        # organisations named in English (the register knows their English names)
        ("What did Örebro County Council do about cycling?", []),
        ("What did the Swedish Agency for Youth and Civil Society present?", []),
        (
            "What did the Swedish Transport Administration say?",
            ["Swedish Transport Administration"],
        ),
        # capitalised words the glossary translates into words the texts use
        ("How can Civil Society work with the County Council?", []),
        # verbs the texts lack are no missing topic (confsearch.wordclass): only nouns
        ("Vilken organisation varnar för fragmenteringen?", []),
        ("Vem erbjuder kommunerna stöd med vätgasen?", ["vätgasen"]),
        ("Vilka regioner kämpade mot skogsbränderna?", ["skogsbränderna"]),
        ("Vem lyfte fossilfria resor?", []),
        ("Hur blir cyklingen smidigare och tryggare?", []),  # comparatives, no topic
        # a verb before its particle, and adverbs of place and degree, are no topic
        ("Vilka hälsofördelar lyfts fram med cyklingen?", ["hälsofördelar"]),
        ("Vad sa Katja Hagström om miljön runt omkring oss?", ["miljön"]),
        ("Vad heter det allra sista steget i modellen?", []),
        ("Vilken liknelse används för hur aktörerna borde samspela?", ["liknelse"]),  # a modal
        # the infinitive a modal governs, whatever the dictionary knows of it
        ("Hur kan en kommun lägga upp samarbetet med fiskebåtar?", ["fiskebåtar"]),
        ("vad ska regionen astadkomma", []),
        ("Hur ska arbetet med vätgasen föras vidare?", ["vätgasen"]),
        ("Hur många människor behöver flytta till Norrbotten?", []),
        ("Vart i världen blickar man efter vätgasen?", ["vätgasen"]),  # a verb before its subject
        # a noun after a modal's infinitive is the topic still
        ("Hur ska regionen arbeta med fiskebåtar?", ["fiskebåtar"]),
        # a yes/no check's frame is no topic; the claim's words are
        ("Stämmer det att skogsbruket växer i Norrbotten?", ["skogsbruket"]),
        ("Is it true that Norrbotten has hydrogen?", ["hydrogen"]),
        # a memo's frame is no name the texts lack ("PM" read as an acronym refused it)
        ("Till en PM om cykling: vad gör Region Örebro län?", []),
        # function words typed without å/ä/ö are function words still
        ("nar borjade region orebro lan med cykelbibliotek", []),
        # prepositions and focusing adverbs are no topic, with or without å/ä/ö
        ("Vilka vinster utöver cykelbiblioteket nämnde Katja Hagström?", []),
        ("Varför anlitades just Handelskammaren, förutom Vinnova?", []),
        ("cykelbibliotek utover vatgasen", ["vatgasen"]),
        ("Was hydrogen mentioned besides cycling?", ["hydrogen"]),
        # a name made of words the texts use is not mentioned by them ("tillväxt",
        # "analys"); a compound opening with a name the texts use is the texts' own
        ("Vad tyckte Tillväxtanalys om cykling?", ["Tillväxtanalys"]),
        ("Vad visade Gävleborgsutredningen?", []),
        # an adjective before its noun is no topic of its own (nor evidence of one)
        ("Vad säger texterna om fiktiva fiskebåtar?", ["fiskebåtar"]),
        ("Hur stöttar regionen nyanlända?", ["nyanlända"]),
        # "-lös" is the lack of its head: work and solutions do not mention unemployment
        ("Berätta om insatserna mot ungdomsarbetslöshet.", ["ungdomsarbetslöshet"]),
        # a county administrative board named by kind is a body the texts must name
        ("Vilken roll hade länsstyrelserna i cyklingen?", ["länsstyrelserna"]),
        # a session called after its region, and the UN's goals as the texts' Agenda 2030
        ("Vad sa Västmanlandspasset om normen?", []),
        ("Vem i Örebrogänget pratade om cykling?", []),
        ("Vad sa Uppsalapasset om cykling?", ["Uppsalapasset"]),
        ("Vad hände på Örebrofestivalen?", ["Örebrofestivalen"]),
        ("Vad ger cykling i förhållande till FN:s globala hållbarhetsmål?", []),
    ],
)
def test_what_the_texts_never_mention(index, question, expected):
    assert missing(index, question) == expected


def test_generic_words_are_neither_evidence_nor_missing():
    parts = [c.text for c in _question_parts("Vilka regioner arbetar med och säger få saker?")]
    assert parts == ["saker"]
    # the example: once answered on «varken», then on «stödja», a help verb
    parts = [c.text for c in _question_parts("Hur kan regionen stödja unga som varken studerar?")]
    # and a verb form («studerar») is what is asked, not a topic (confsearch.wordclass)
    assert parts == ["unga"]


def test_vocabulary_round_trip(index, tmp_path):
    index.vocabulary.save(tmp_path)
    again = Vocabulary.load(tmp_path)
    assert again.words == index.vocabulary.words
    assert again.names == index.vocabulary.names and "per erik andersson" in again.names
    assert "Region Örebro län" in again.organisations


def test_translations_are_found_by_meaning(real_settings, tmp_path):
    """With the real model: English and other spellings of corpus words are present."""
    from confsearch.embedding.model import load_query_embedder

    engine = load_query_embedder(real_settings)
    shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    build_index(tmp_path / "corpus", tmp_path / "index", engine)
    index = load_index(tmp_path / "index", engine)

    def absent(q: str) -> list[str]:
        return ground(q, index.lexical, index.vocabulary, engine).missing

    assert absent("Which region has a bicycle library?") == []
    assert absent("What did the conference say about hydrogen?") == ["hydrogen"]
    assert absent("Is northern Sweden short of housing?") == ["housing"]  # Sweden ~ Sverige
    # a topic word's lookalike by meaning does not hide that the texts never mention it
    assert absent("Hur arbetar regionerna med kulturarvet?") == ["kulturarvet"]
    assert absent("Hur mycket malm bryts i Norrbotten?") == ["malm", "bryts"]


def test_only_names_are_embedded_as_written_and_looked_up_folded():
    """Only names are looked up by meaning, so only they are embedded (topic words are
    grounded by their letters). A folded spelling is often another word ("Målet" ->
    "malet"): the vector must be the written word's, and stopwords stay out in either
    spelling ("När" -> "nar")."""
    seen: list[str] = []

    class Recording(FakeEmbedder):
        def encode_queries(self, texts):
            seen.extend(texts)
            return super().encode_queries(texts)

    vocabulary = Vocabulary.build(
        ["Målet är tydligt i Örebro. När vi samverkar nås målet."], set(), Recording()
    )
    assert "malet" in vocabulary.words and "målet" in seen and "malet" not in seen
    assert "orebro" in vocabulary.words and "örebro" in seen
    assert "nar" not in vocabulary.words and "när" not in seen
    assert "samverkar" not in vocabulary.words and "samverkar" not in seen  # a topic word


@pytest.mark.process
def test_two_builds_of_the_same_texts_give_the_same_vocabulary():
    """Tied names once followed the iteration order of a set, so the vocabulary (and the cut
    at MAX_VOCABULARY) changed with PYTHONHASHSEED between two builds of one corpus."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "from confsearch.retrieval.grounding import Vocabulary\n"
        "from tests.conftest import FakeEmbedder\n"
        "texts = ['Anna, Bertil, Cecilia, David, Erik och Fatima talade i Umeå, Luleå, "
        "Kiruna och Gävle.', 'Gustav och Hanna från Örebro.']\n"
        "print(Vocabulary.build(texts, set(), FakeEmbedder()).words)\n"
    )
    root = Path(__file__).resolve().parents[2]
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, cwd=root, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1, outputs
    assert "umea" in outputs.pop()


def test_a_place_that_opens_the_question_is_a_name(index):
    """ "Gynnar …" opening a question is a word, but "Växjö kommun …" names a place: a name
    the texts lack refuses the question whatever the passages' scores."""
    grounding = ground("Växjö kommun hållbar stadsplanering", index.lexical, index.vocabulary, None)
    assert grounding.missing_names == ["Växjö"]
    assert grounding.missing == ["Växjö", "stadsplanering"]
    assert _question_parts("Gynnar företagsstödet den som vill växa?")[0].name is False


@pytest.mark.parametrize(
    ("question", "verb", "topic"),
    [
        ("Var hittar man inspelningarna av seminarierna?", "hittar", "inspelningarna"),
        ("Hur påverkar man beteendet när de väljer färdsätt?", "väljer", "färdsätt"),
        ("Har ledningen ställt sig bakom mötestiden?", "ställt", "mötestiden"),
        # after a main clause's subject comes its object: a topic
        ("Hur bygger man bostäder i Kiruna?", "bygger", "bostäder"),
        ("Hur undviker man projektitis?", "undviker", "projektitis"),
    ],
)
def test_a_word_where_the_verb_stands_is_no_topic(question, verb, topic):
    """ "hittar", "väljer" are also nouns' plurals: where they stand says they are the
    question's verb, never "Texterna nämner inte: hittar"."""
    parts = [c.text for c in _question_parts(question)]
    assert verb not in parts
    assert topic in parts


@pytest.mark.parametrize(
    ("question", "word", "topic"),
    [
        # a negation before a word that may be a verb: a subordinate clause's verb
        ("Vad händer om norra Sverige inte lockar nya invånare?", "lockar", "invånare"),
        # an irregular verb's short passive
        ("Vilka frågor om förändringsledning tas upp?", "tas", "förändringsledning"),
        ("Vilket stöd ges till företagen?", "ges", "företagen"),
        # the noun of a complex preposition or a light verb's idiom, typed with or
        # without å/ä/ö, the verb before its subject or not
        ("Vilka frågor tas upp i samband med AI-införande?", "samband", "AI-införande"),
        ("Vad ger insatsen i forhallande till hållbarhetsmålen?", "forhallande", "insatsen"),
        ("Hur drar man nytta av tekniken?", "nytta", "tekniken"),
        # the same noun outside the phrase is a topic
        ("Vilken nytta har företagen av AI?", "", "nytta"),
        # a subordinate clause that ends on its verb, after a noun subject
        ("Vilka effekter har det gett när olika mål krockar?", "krockar", "effekter"),
        ("Hur jobbar regionen när det gäller cyklar?", "", "cyklar"),
        ("Hur gör man om kommunen saknar cyklar?", "saknar", "cyklar"),
    ],
)
def test_a_verb_or_a_fixed_phrase_is_no_topic(question, word, topic):
    """ "Texterna nämner inte" names topics: never "lockar", "tas" or the "samband" of "i
    samband med"."""
    parts = [c.text for c in _question_parts(question)]
    assert not word or word not in parts
    assert topic in parts
