"""The answer/no-answer decision: hard rules and the fitted model."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from confsearch.retrieval.confidence import (
    DEFAULT_MODEL,
    FEATURES,
    ConfidenceModel,
    Evidence,
    Pool,
    best_sentence,
    gather,
)
from confsearch.retrieval.grounding import Grounding, Term
from confsearch.retrieval.stated import (
    asks_for_quantity,
    municipalities_unnamed,
    quantity_kind,
    unstated_quantity,
)
from confsearch.text import is_english
from tests.conftest import FakeEmbedder


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hur många kommuner ingår i Region Örebro län?", True),
        ("Vad är budgeten för projektet Rena resan?", True),
        ("Hur stor andel av befolkningen räknas som resurssvag?", True),
        ("How many engineers were recruited?", True),
        ("hur manga cyklar finns i cykelbiblioteket", True),  # typed without å/ä/ö
        ("När avslutas projektet?", True),
        ("When will the project end?", True),
        ("När regionen samverkar med kommunerna, vad händer då?", False),
        ("Vilket ar det viktigaste resultatet?", False),  # "är" without its dots
        ("Vilken region har ett cykelbibliotek?", False),
        ("Hur arbetar Värmland med tillit?", False),
    ],
)
def test_quantity_questions(question, expected):
    assert asks_for_quantity(question) is expected


def test_a_quantity_must_be_stated_where_the_question_is_answered():
    orebro = (
        "I Region Örebro län får kommunerna stöd med kunskapsunderlag och planera "
        "infrastruktur för elfordon. Projektet heter Fossilfritt 2030."
    )
    assert unstated_quantity("Hur många laddstolpar planerar Örebro för elfordon?", [orebro])
    vinnova = "Det finns över 400 organisationer i Sverige som hjälper små och medelstora företag."
    assert not unstated_quantity("Hur många organisationer hjälper småföretag?", [vinnova])
    four = "Samverkansmodellen har fyra faser med tre steg i varje."
    assert not unstated_quantity("Hur många faser har samverkansmodellen?", [four])
    assert not unstated_quantity("Vad är en samverkansmodell?", [orebro])  # not asked


def test_a_paraphrased_question_is_about_the_sentence_sharing_its_compounds_parts():
    """The sentences about a quantity question are found by shared terms, a compound's
    parts too ("Värmlandsrådet" ~ "Värmland"), and by nearly the most shared: the
    sentence naming the region outright is not the only one about it."""
    council = (
        "I Värmlandsrådet samarbetar regionen och alla 16 kommunerna. Värmlandsrådet har "
        "utvärderats och i lärpasset berättar region Värmland vad utvärderingen visade."
    )
    question = "Hur många kommuner sitter med i det länsgemensamma samarbetsorganet i Värmland?"
    assert not unstated_quantity(question, [council])
    # still: the sentences about it state no number of the kind asked for
    assert unstated_quantity("Hur många miljoner kostar Värmlandsrådet?", [council])


def test_the_quantity_must_be_of_the_kind_asked_for():
    """A number is not an answer to every quantity question: "how many X" needs X counted,
    "how much money" an amount of money, "how often" a frequency, "what share" a share."""
    council = "I rådet samarbetar regionen och alla 16 kommunerna."
    assert not unstated_quantity("Hur många kommuner ingår i rådet?", [council])
    groups = "Direktörerna blandas i de fem klustrade grupperna."
    assert not unstated_quantity("Hur många grupper finns det?", [groups])
    assert unstated_quantity("Hur många miljarder satsas i rådet?", [council])
    assert unstated_quantity("Hur många nya invånare behöver rådet?", [council])

    assert unstated_quantity("Hur ofta träffas rådet?", [council])
    assert not unstated_quantity("Hur ofta träffas rådet?", ["Rådet träffas fyra gånger per år."])
    assert unstated_quantity("How often does the council meet?", [council])

    money = "Projektet får 5 miljoner kronor från regionen."
    assert unstated_quantity("Hur mycket pengar får projektet?", [council])
    assert not unstated_quantity("Hur mycket pengar får projektet?", [money])
    assert unstated_quantity("Vad kostade projektet?", [council])
    assert not unstated_quantity("Vad kostade projektet?", [money])

    share = "Bland företagarna är 30 procent kvinnor."
    assert unstated_quantity("Hur stor andel av företagarna är kvinnor?", [council])
    assert not unstated_quantity("Hur stor andel av företagarna är kvinnor?", [share])
    # a share in words, asked "how much of" too
    words = "Större delen av ekonomin kommer från stål och gruva."
    assert not unstated_quantity("Hur stor andel av ekonomin kommer från stål?", [words])
    assert not unstated_quantity("How much of the economy comes from steel?", [words])
    assert unstated_quantity("How much of the economy comes from steel?", [council])
    # "how many" in English counts what the glossary says in Swedish
    phases = "Modellen har fyra faser."
    assert unstated_quantity("How many municipalities use the model?", [phases]) == "count"
    assert not unstated_quantity("How many municipalities take part?", [council])

    # "när"/"vilket år" needs a time: a year, a month, a season ("alla 16" is no time)
    assert unstated_quantity("Vilket år grundades rådet?", [council]) == "time"
    assert not unstated_quantity("Vilket år grundades rådet?", ["Rådet bildades 2015."])
    assert not unstated_quantity("När startade rådet?", ["Rådet startade i våras, i maj."])
    assert unstated_quantity("When did the council start?", [council]) == "time"
    # English words cannot say which Swedish sentence is about the question: a number of
    # the kind asked for in the passages is all there is to go on
    varmland = (
        "I Värmlandsrådet samarbetar regionen och alla 16 kommunerna. "
        "Värmlandsrådet har utvärderats och region Värmland berättar vad utvärderingen visade."
    )
    # "hur lång tid" needs a span of time; a number in a link is no quantity at all
    phases = "Modellen har fyra faser med tre steg i varje. Mer: <https://x.se/2021/08/m.pdf>"
    assert unstated_quantity("Hur lång tid tar varje fas?", [phases]) == "duration"
    assert not unstated_quantity("Hur lång tid tar en fas?", ["En fas tar tre månader."])
    assert unstated_quantity("Vilket år togs modellen fram?", [phases]) == "time"
    question = "How many municipalities work with the region in the Värmland council?"
    assert not unstated_quantity(question, [varmland])
    assert unstated_quantity("How much money does the council get?", [varmland]) == "money"


def test_which_municipalities_needs_municipalities_named():
    """ "Vilka kommuner …?" is answered by naming them (or by "alla kommunerna"), not by a
    passage about the county that names none."""
    county = "Ojämlikheten i Gävleborg blir alltmer koncentrerad till vissa grupper."
    named = "Metoden har testats i Nyköpings kommun och i Flens kommun."
    listed = "Kommunerna Nyköping, Flen och Katrineholm har testat metoden."
    council = "I rådet samarbetar regionen och alla 16 kommunerna."
    question = "Vilka kommuner i Gävleborg har störst ojämlikhet?"
    assert municipalities_unnamed(question, [county])
    assert not municipalities_unnamed(question, [named])
    assert not municipalities_unnamed(question, [listed])
    assert not municipalities_unnamed("Vilka kommuner ingår i rådet?", [council])
    assert municipalities_unnamed("Which municipalities have tested the method?", [county])
    assert not municipalities_unnamed("Hur arbetar kommunerna i Gävleborg?", [county])  # not asked
    # a compound asks the same ("sörmlandskommuner", "vilken hemkommun")
    assert municipalities_unnamed("Vilka sörmlandskommuner har testat metoden?", [county])
    assert not municipalities_unnamed("Vilka sörmlandskommuner har testat metoden?", [named])
    assert municipalities_unnamed("Vilken hemkommun har hon?", [county])
    assert not municipalities_unnamed("Vilken kommunikation behövs?", [county])  # no compound
    assert not DEFAULT_MODEL.decide(_evidence(unstated="municipalities"))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hur ofta träffas rådet?", "frequency"),
        ("Hur mycket pengar får projektet?", "money"),
        ("Vad kostade utredningen?", "money"),
        ("Hur mycket finansiering fick projektet?", "money"),
        ("How much funding does the agency put into it?", "money"),
        ("How much does the council cost to run each year?", "money"),  # not any number
        ("Hur stor andel är kvinnor?", "share"),
        ("Hur många procent minskade utsläppen?", "share"),
        ("Hur många nya invånare behövs?", "count"),
        ("När avslutas projektet?", "time"),
        ("Hur länge har lagen funnits?", "duration"),
        ("Hur lång tid tar varje fas?", "duration"),
        ("Hur lång är rapporten?", "number"),
        ("How many engineers were recruited?", "number"),
    ],
)
def test_the_kind_of_quantity_asked_for(question, kind):
    assert quantity_kind(question) == kind


def test_the_evidence_says_what_was_not_stated():
    council = "I rådet samarbetar regionen och alla 16 kommunerna."
    hits = [SimpleNamespace(dense=0.9, passage=SimpleNamespace(text=council))]
    pool = Pool(np.array([0.9, 0.8, 0.7], dtype=np.float32))
    assert gather("Hur mycket pengar får rådet?", hits, pool, None, []).unstated == "money"
    assert gather("Vilka kommuner i länet?", hits, pool, None, []).unstated == ""
    assert gather("Vilka kommuner finns i Skåne?", [], pool, None, []).unstated == ""
    assert gather("Hur arbetar rådet?", hits, pool, None, []).unstated == ""


def test_english_is_told_from_swedish():
    assert is_english("What did the conference say about hydrogen?")
    assert is_english("housing shortage in growing northern towns")
    assert not is_english("Vad säger Jönköpings län om turism?")
    assert not is_english("cykelbibliotek")


def _evidence(**kw) -> Evidence:
    base = dict(dense=0.88, peak=3.0, coverage=1.0, overlap=1.0, sentence=0.88)
    return Evidence(**{**base, **kw})


def test_missing_names_and_unstated_quantities_always_refuse():
    assert DEFAULT_MODEL.decide(_evidence())
    assert not DEFAULT_MODEL.decide(_evidence(missing_names=("Jönköpings län",)))
    assert not DEFAULT_MODEL.decide(_evidence(unstated="money"))
    assert not ConfidenceModel.always().decide(_evidence(missing_names=("SKR",)))


def test_the_model_prefers_evidence():
    weak = _evidence(dense=0.80, coverage=0.0, overlap=0.0, sentence=0.82)
    strong = _evidence(dense=0.88, coverage=1.0, overlap=0.8)
    assert DEFAULT_MODEL.probability(strong) > DEFAULT_MODEL.probability(weak)
    assert DEFAULT_MODEL.decide(strong) and not DEFAULT_MODEL.decide(weak)
    assert len(DEFAULT_MODEL.weights) == len(FEATURES) == len(strong.vector())
    # one sentence that says it: more confident than a passage that is only near
    said = _evidence(overlap=0.3, sentence=0.90)
    near = _evidence(overlap=0.3, sentence=0.84)
    assert DEFAULT_MODEL.probability(said) > DEFAULT_MODEL.probability(near)
    # no weight is negative: more evidence never lowers the confidence
    assert min(DEFAULT_MODEL.weights) >= 0


def test_the_best_sentence_is_read_from_the_top_hits_alone():
    """The best cosine of the question with one sentence (of four words or more) of the
    top three hits: a fourth hit's sentence, or a fragment, never counts."""
    emb = FakeEmbedder()

    def hit(text):
        return SimpleNamespace(passage=SimpleNamespace(text=text))

    question = "Vilken region har ett cykelbibliotek för pendlare?"
    qvec = emb.encode_queries([question])[0]
    told = "Region Örebro län har ett cykelbibliotek för pendlare."
    filler = "Kommunerna får stöd med kunskapsunderlag och nätverksträffar."
    best = float(emb.encode_passages([told])[0] @ qvec)
    assert best_sentence(emb, qvec, [hit(f"{filler} {told}"), hit(filler)]) == pytest.approx(best)
    others = [hit(filler), hit(filler), hit(filler), hit(told)]
    assert best_sentence(emb, qvec, others) < best
    assert best_sentence(emb, qvec, [hit("Cykelbibliotek för pendlare.")]) == 0.0
    assert best_sentence(emb, qvec, []) == 0.0


def test_how_large_is_answered_by_a_comparison():
    assert quantity_kind("Hur stora är industrisatsningarna i norr?") == "size"
    question = "Hur stor är industrisatsningen i norr?"
    assert quantity_kind(question) == "size"
    assert quantity_kind("Hur stor andel av företagen använder AI?") == "share"
    record = "De största industriella investeringarna i Sveriges historia sker nu."
    assert not unstated_quantity(question, [record])
    assert unstated_quantity(question, ["Industrin i norr växer och behöver el."]) == "size"


def test_keyword_questions_ask_for_a_count_or_a_date():
    assert quantity_kind("Antal expeditioner i Örebro?") == "count"
    assert unstated_quantity(
        "Antal expeditioner i Örebro?", ["Med expeditioner utvecklas arbetssättet."]
    )
    assert not unstated_quantity(
        "Antal kommuner i Värmlandsrådet?", ["Regionen och alla 16 kommunerna samarbetar."]
    )
    assert quantity_kind("Startdatum för Rena resan?") == "time"
    assert unstated_quantity("Rena resan start date?", ["Mirja Mattsson leder Rena resan."])


def test_actors_counted_as_organisations():
    vinnova = "Det finns över 400 organisationer i Sverige som hjälper små och medelstora företag."
    assert not unstated_quantity("Hur många aktörer erbjuder företagsstöd i Sverige?", [vinnova])
    assert not unstated_quantity("Antal stödaktörer för småföretag i landet?", [vinnova])
    # another unit is still no answer
    assert unstated_quantity("Hur många laddstolpar finns i Sverige?", [vinnova])


def test_a_claim_about_what_the_texts_never_mention_is_not_confirmed():
    text = "Vem är den normativa företagaren vi finansierar?"
    hits = [SimpleNamespace(dense=0.9, passage=SimpleNamespace(text=text))]
    pool = Pool(np.array([0.9, 0.8, 0.7], dtype=np.float32))
    absent = Grounding([Term("kvotering", False, False), Term("företagsstöd", False, True)])
    present = Grounding([Term("företagsstöd", False, True)])
    claim = "Stämmer det att Västmanland har infört kvotering av företagsstöd?"
    assert gather(claim, hits, pool, absent, []).unstated == "claim"
    assert gather(claim, hits, pool, absent, []).ruled_out
    # topic mentioned, deed told: the texts may say it is so
    told = "Regionen har infört nya krav på företagsstöd."
    told_hits = [SimpleNamespace(dense=0.9, passage=SimpleNamespace(text=told))]
    assert gather(claim, told_hits, pool, present, []).unstated == ""
    # topic mentioned, deed never told ("infört" where the text only asks a question)
    assert gather(claim, hits, pool, present, []).unstated == "claim"
    # not a claim to check: the missing word only lowers the coverage
    assert gather("Hur arbetar Västmanland med kvotering?", hits, pool, absent, []).unstated == ""
