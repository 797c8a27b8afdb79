"""What a question asks for, its focus, and whether a sentence answers it (issue 24)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from confsearch.answers import labels as claims
from confsearch.answers.answer import answer
from confsearch.answers.definitions import defines
from confsearch.answers.sentences import (
    announces_session,
    enumerates,
    holds_item,
    tells_action,
)
from confsearch.answers.unsaid import unanswered
from confsearch.evaluation.answereval import AnswerMetrics, eval_answers, holds_key, is_answerable
from confsearch.retrieval.question import analyse, verb_words
from confsearch.retrieval.search import FusionConfig
from confsearch.retrieval.stated import tells
from confsearch.text import is_generic
from tests.answers.test_answer import make_hit, response


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("När antogs planen?", "time"),
        ("When was the plan adopted?", "time"),
        ("Hur länge pågick projektet?", "duration"),
        ("Vad kostade satsningen?", "money"),
        ("How much funding does the agency put into it?", "money"),
        ("Hur många kommuner deltar?", "number"),
        ("Vem ledde arbetet?", "person"),
        # "Vilka från/på <body>": which of its people
        ("Vilka från Region Västmanland höll i passet?", "person"),
        ("Vilka av de 400 organisationerna är bäst?", "other"),
        ("Vilken politiker är ordförande?", "person"),
        ("Vilken region har ett cykelbibliotek?", "organisation"),
        ("Which consultancy helped the region?", "organisation"),
        ("Vilken konsultbyrå hjälpte regionen?", "organisation"),  # a compound's head
        ("Vilka andra länder än Indien nämns?", "place"),
        ("Var finns rapporten?", "place"),
        ("Varför ändrades arbetssättet?", "reason"),
        ("Hur arbetar regionen med unga?", "method"),
        ("Vad är en projektkyrkogård?", "definition"),
        ("vad ar rus", "definition"),
        ("Vad sa Anna Berg om cyklar?", "said"),
        ("Vilken titel har Anna Berg?", "title"),
        ("What is Olle Berg's job title?", "title"),
        ("Vilken befattning har talaren?", "title"),
        # "roll" asks a title only of a person
        ("Vilken roll har föreningarna i modellen?", "other"),
        ("Vilken roll har Karin Ek i projektet?", "title"),
        ("What did Anna Berg say about bikes?", "said"),
        # "när" opening a clause is no time question
        ("När regionen granskade rådet, vad kom man fram till?", "other"),
    ],
)
def test_what_a_question_asks_for(question, asks):
    assert analyse(question).asks == asks


def test_focus_is_what_is_asked_about_not_who_locates_it():
    q = analyse("Vad sa Per-Erik Andersson om Indien?")
    assert q.focus == ("Indien",) and "Andersson" in q.locators
    q = analyse("Hur når Region Örebro län allmänheten?")
    assert "allmänheten" in q.focus and "Örebro" not in q.focus
    q = analyse("Förutom Indien, vilka andra länder nämns?")
    assert q.asks == "place" and q.excluded == ("Indien",)


@pytest.mark.parametrize(
    ("question", "excluded"),
    [
        # what is left out comes last and ends where the clause's own verb begins
        ("Vilka miljövinster utöver klimatnyttan nämnde Katja Hagström?", ("klimatnyttan",)),
        ("Vilka länder förutom Indien och Kina tittar man på?", ("Indien", "Kina")),
        ("Which sectors are growing besides steel and mining?", ("steel", "mining")),
    ],
)
def test_what_is_left_out_ends_at_the_clauses_verb(question, excluded):
    assert analyse(question).excluded == excluded


def test_the_question_verbs_are_no_topic():
    assert "talat" in verb_words("Vem har talat om landsbygden?")
    assert "surdegsbröd" not in verb_words("Hur bakar man surdegsbröd?")
    assert "regioner" not in verb_words("Vilka regioner arbetar med cykling?")
    # after an auxiliary, a noun's definite form is the inverted subject
    assert "länsstyrelserna" not in verb_words("Vilken roll hade länsstyrelserna i lärpassen?")
    assert "utredningen" not in verb_words("Hur har utredningen gått till?")
    # a capitalised word after an auxiliary opening the question is a name
    assert "Tillväxtanalys" not in verb_words("Har Tillväxtanalys utvärderat projekten?")


def test_a_sentence_holds_the_asked_for_item():
    when = analyse("När startade cykelbiblioteket?")
    assert holds_item(when, "Cykelbiblioteket startade i maj 2021.")
    assert not holds_item(when, "Cykelbiblioteket lånar ut 40 cyklar.")
    assert not holds_item(when, "Arbetet följer Agenda 2030.")  # a name, not a time
    money = analyse("How much funding does Vinnova put into LUX?")
    assert not holds_item(money, "LUX består av tre delar.")
    assert holds_item(money, "LUX får 4 miljoner kronor.")
    other = analyse("Vilka andra länder än Indien rekryterar man från?")
    assert not holds_item(other, "Man tittar bland annat på Indien.")
    assert holds_item(other, "Man tittar på Indien och Polen.")
    # named in English, the country is the one the Swedish texts name
    english = analyse("Which other countries besides India do they recruit from?")
    assert not holds_item(english, "Man tittar bland annat på Indien.")
    assert holds_item(english, "Man tittar på Indien och Polen.")
    assert unanswered(english) == "Texterna säger inte vilka andra länder än Indien."
    size = analyse("Hur stora är industrisatsningarna i norr?")
    assert holds_item(size, "De största industriella investeringarna i Sveriges historia sker nu.")
    assert not holds_item(size, "Industrin i norr behöver el.")
    who = analyse("Vem genomförde utvärderingen av Värmlandsrådet?")
    # the question's own names, and an agentless passive, say nothing about who
    assert not holds_item(who, "Värmlandsrådet har utvärderats av region Värmland.")
    assert not holds_item(who, "Värmlandsrådet har utvärderats.", ("Region Värmland",))
    assert holds_item(who, "Utvärderingen gjordes av Karin Ek och Olle Berg.")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        # "var" is "was" before a subject: a yes/no question, not where
        ("Var utredningsgruppen i Gävleborg tvärfunktionell?", "other"),
        ("Var han med i projektet?", "other"),
        ("Var finns cykelbiblioteket?", "place"),
        ("Var ligger Kiruna?", "place"),
        ("var ar cykelbiblioteket", "place"),
        ("Var presenterades modellen?", "place"),
        # keyword questions
        ("Antal expeditioner i Örebro?", "number"),
        ("Startdatum för Rena resan?", "time"),
        # a kind of manager is no person; a compound role is
        ("Vilka slags chefer blandas i arbetsgruppen?", "list"),
        ("Vilka Vinnova-företrädare pratade om splittringen?", "person"),
        # "vilka är" before a definite plural asks for the things named; before a
        # particle or a pronoun it does not
        ("Vilka är faserna i samverkansmodellen?", "list"),
        # asked to give instances: things named, as "vilka"
        ("Ge exempel på branscher som Norrbotten vill växa i", "list"),
        ("Nämn några åtgärder som Örebro gör.", "list"),
        ("Räkna upp de grupper som rekommendationerna sorterades in i", "list"),
        ("Give examples of benefits of clean travel.", "list"),
        ("Vilka var de tre delarna?", "list"),
        ("Vilka är med i forumet?", "other"),
        # one of a series by its ordinal: given where the series is listed
        ("Vad är andra fasen?", "list"),
        ("Sista fasen i modellen?", "list"),
        ("What is the final phase of the model?", "list"),
        # "de andra delarna" are the other parts; "nästa steg" is no listed series
        ("Vad sa hon om de andra delarna?", "said"),
        ("Vad är nästa steg?", "other"),
    ],
)
def test_var_and_vilka_read_by_what_follows(question, asks):
    assert analyse(question).asks == asks


@pytest.mark.parametrize(
    ("question", "actions"),
    [
        ("Vem utvärderade Värmlandsrådet?", ("utvarder",)),
        ("Vem har låtit granska samarbetsorganet?", ("gransk",)),
        # which organisation: its card answers whatever the sentence's verb (the texts
        # paraphrase a region's deed: "granska" where they say "utvärderats")
        ("Vilken region har låtit granska sitt samarbetsorgan?", ()),
        # a verb of saying asks who said it: a quote answers whatever its words
        ("Vem menade att människor vill ha berättelser?", ()),
        ("Vem i Norrbotten varnade för fly in fly out?", ()),
        ("Vem pratade om cykling?", ()),
        # likening and questioning are ways of saying
        ("Vem jämförde stödsystemet med ett urverk?", ()),
        # putting a question is asking it
        ("Vilka personer ställde frågan om vem som får stöd?", ()),
        ("Vem ställde samman rapporten?", ("stalld",)),
        ("Vilka personer ifrågasatte bilden av företagaren?", ()),
        # taking part in the session asks who spoke: the session's speakers answer
        ("Vilka två personer från Vinnova medverkade i passet?", ()),
        ("Vem föreläste om cykling?", ()),
        # a verb in a clause of its own, or a deed named by its noun
        ("Vem var chef för avdelningen som sköter Värmlandsrådet?", ()),
        ("Vem genomförde utvärderingen av Värmlandsrådet?", ()),
        ("Vilken region har ett cykelbibliotek?", ()),
        # English deeds, by the start the Swedish texts write them with
        ("Who funds the Fossilfritt 2030 project?", ("finansi",)),
        ("Who evaluated the council?", ("utvard",)),
        ("Who spoke about cycling?", ()),
        ("Who led the Gävleborg inquiry?", ("led",)),
        ("Who heads the council?", ("led",)),
        # leading is a deed, not a way of saying (its stem is too short to be a term)
        ("Vem ledde utredningen i Gävleborg?", ("led",)),
        ("Vem leder projektet Rena resan?", ("led",)),
        # a keyword question naming the doer: its noun is the deed
        ("Finansiär för Västerbottens AI-projekt?", ("finansiar",)),
        ("Deltagare i Västmanlands workshop?", ("deltagare",)),
    ],
)
def test_the_deed_a_who_question_asks_the_doer_of(question, actions):
    assert analyse(question).actions == actions


def test_who_within_a_body_in_english_asks_for_a_person():
    q = analyse("Who from the youth and civil society agency presented the model?")
    assert q.asks == "person" and q.people_only


def test_a_doer_is_named_in_a_sentence_of_the_deed():
    who = analyse("Vem utvärderade Värmlandsrådet?")
    # a speaker's quote about something else names no evaluator
    quote = "Vi bygger upp tillit, säger Ingrid Strengsdal, chef Värmlandsrådsavdelningen."
    assert not holds_item(who, quote)
    assert holds_item(who, "Värmlandsrådet utvärderades av Karin Ek på Ramböll.")
    funder = analyse("Finansiär för Västerbottens AI-projekt?")
    assert funder.asks == "person"
    assert not holds_item(funder, "Thomas Kvist, Region Västerbotten, berättar om data.")
    assert holds_item(funder, "AI-projektet finansieras av Vinnova.")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        # a memo's context clause before a colon is not what is asked
        (
            "Inför en diskussion om vilka företag vi stöttar: vilka bilder ställdes mot varandra?",
            "list",
        ),
        ("När vi granskar projektförslag: vad bör man fråga sökanden?", "other"),
        ("Jag vill göra vår RUS mer konkret: hur utgår Sörmland från vardagen?", "method"),
        # typed without å/ä/ö
        ("varfor maste norrbotten vara attraktivt", "reason"),
        # a context clause after a dash, but not a question before the dash
        ("Vi vill utreda levnadsvillkor – vilken region har gjort något liknande?", "organisation"),
        ("Vad säger lärpasset om företagare – vem möter fler hinder?", "said"),
        ("När vi granskar projektförslag: vad bör man fråga sökanden?", "other"),
    ],
)
def test_a_context_clause_does_not_decide_what_is_asked(question, asks):
    assert analyse(question).asks == asks


def test_a_title_question_needs_the_persons_role():
    title = analyse("Vilken titel har Karin Ek på Region Halland?")
    assert "titel" not in title.focus and "Karin" in title.focus
    assert holds_item(title, "Det går bra, säger Karin Ek, utvecklingsledare på Region Halland.")
    assert not holds_item(title, "Karin Ek, Region Halland, berättar om arbetet.")
    # another person's role says nothing about hers
    assert not holds_item(title, "Det går bra, säger Olle Berg, enhetschef på Region Halland.")
    # typed in lower case, the question still names her: Olle Berg's role is no answer
    lower = analyse("vilken befattning har Karin?")
    assert lower.asks == "title"
    assert not holds_item(lower, "Det går bra, säger Olle Berg, enhetschef på Region Halland.")
    assert holds_item(lower, "Det går bra, säger Karin Ek, enhetschef på Region Halland.")


def test_who_at_a_body_wants_a_person_and_which_companies_a_company():
    who = analyse("Vem på myndigheten presenterade modellen?")
    assert who.people_only
    assert not holds_item(who, "Myndigheten för kultur berättar om modellen.", ("Region Halland",))
    assert holds_item(who, "Modellen presenterades av Karin Ek.")
    firms = analyse("Vilka företag investerar i regionen?")
    assert firms.companies_only
    assert not holds_item(firms, "De största investeringarna sker nu.", ("Region Halland",))
    assert not holds_item(firms, "Investeringarna sker i samarbete med Region Halland.")
    assert holds_item(firms, "Investeringarna görs av Nordiska Stålbolaget och andra.")


def test_a_who_question_that_names_a_role_wants_that_role():
    chair = analyse("Vilken politiker är ordförande i Hallandsrådet?")
    assert chair.roles == ("politiker", "ordforande")
    assert not holds_item(chair, "Det går bra, säger Karin Ek, enhetschef på Region Halland.")
    assert holds_item(chair, "Rådets ordförande Karin Ek berättade om arbetet.")
    assert analyse("Who chairs the council?").roles == ("ordforande",)
    assert analyse("Vem leder projektet?").roles == ()
    # a role's holder by name, the role ending a compound
    named = analyse("Vad heter regiondirektören i Värmland?")
    assert (named.asks, named.roles) == ("person", ("direktor",))
    # a role in a clause of its own is no role asked for
    assert analyse("Vem berättade att politikerna stod bakom utredningen?").roles == ()


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Vilken roll har Maria Sundman?", "title"),
        ("Thomas Kvists roll?", "title"),
        # the role of others she spoke of is no title of hers
        ("Hur beskrev Maria Sundman politikernas roll för utredningen?", "method"),
        # a job-title word in a "why" question is what the question is about, not asked
        ("Vilken befattning har Maria Sundman?", "title"),
        ("Varför känner sig personer i mellanledande befattningar hotade?", "reason"),
    ],
)
def test_a_title_is_asked_of_the_person_named(question, asks):
    assert analyse(question).asks == asks


def test_people_named_by_their_role_as_a_group_answer_who():
    text = "Med bilderna kan kommundirektörer samla en grupp och se hur det kan förbättras."
    assert holds_item(analyse("Vem kan använda bilderna för att samla en grupp?"), text)
    # not when names are asked, nor the doer of a deed the role noun seems to tell
    text = "I arbetsgruppen blandas direktörer från regionen och kommunerna."
    assert not holds_item(analyse("Vad heter direktörerna i arbetsgruppen?"), text)
    led = analyse("Vem leder forumet?")
    assert not holds_item(led, "Tiden för forumet är förankrad i ledningsgruppen.")
    # a management by its name ("koncernledningen") is people by their role too
    took = analyse("Vem tog över resultatet av utredningen?")
    assert holds_item(took, "Resultatet har överlämnats till koncernledningen.")


def test_a_persons_name_is_no_place():
    where = analyse("Var ligger kontoret?")
    assert not holds_item(where, "Det går bra, säger Karin Ek, enhetschef.")
    assert holds_item(where, "Kontoret ligger i Halmstad.")


def test_where_to_watch_or_listen_is_answered_by_a_link():
    for text in ("Where can I watch the recordings?", "Var kan jag lyssna på seminariet?"):
        where = analyse(text)
        assert holds_item(where, "Inspelningarna finns här: https://exempel.se/filmer")
        assert not holds_item(where, "Seminarierna spelades in i Halmstad.")


def test_a_place_the_question_names_does_not_say_where():
    where = analyse("Var hölls seminariet om Hallandsrådet?")
    assert not holds_item(where, "I Hallandsrådet samarbetar region Halland och kommunerna.")
    assert holds_item(where, "Seminariet hölls i Halmstad, berättar Region Halland.")


def test_the_deed_of_a_who_question_is_not_its_focus():
    """ "Vem leder expeditionerna?" is about the expeditions: "Rena resor leder till …,
    fyller Katja Hagström, projektledare" tells a deed of leading, not of them."""
    q = analyse("Vem på Region Örebro län leder expeditionerna?")
    assert q.actions == ("led",)
    assert q.focus == ("expeditionerna",)


def test_when_is_answered_by_a_date_or_by_a_clause_of_its_verb():
    when = analyse("När ökar samarbetet mellan förvaltningarna?")
    assert holds_item(when, "Samarbetet ökar när de teamar ihop i handlingsplaner.")
    assert holds_item(when, "Samarbetet ökade under 2021.")
    assert not holds_item(when, "Samarbetet ökar mellan förvaltningarna.")
    # a clause of another verb tells no time of this one
    adopted = analyse("När antogs planen?")
    assert not holds_item(adopted, "Planen beskriver vad som händer när företag växer.")


def test_a_common_word_with_a_capital_is_no_place():
    where = analyse("Var i Halland ligger de nya cykelvägarna?")
    assert not holds_item(where, "Det ger vinster inom alla mål i Agenda 2030.")
    assert holds_item(where, "Cykelvägarna ligger i Varberg och i Falkenberg.")


def test_definitions_and_enumerations():
    assert defines("projektkyrkogård", "En projektkyrkogård är projekt som dör efteråt.")
    assert not defines("projektkyrkogård", "Undvik projektkyrkogårdar genom att bedöma behov.")
    assert not defines("RUS", "Det stärker RUS-genomförandet och RUS:en blir viktig.")
    # a coinage in quotes and what it serves as, not a relative clause after it
    assert defines("tratten", "De ritade bilden ”tratten” som karta över stödet.")
    assert not defines("tratten", "De ritade ”tratten” som de sedan visade.")
    assert enumerates("Det ger mindre buller, bättre vattenkvalitet och mindre stress.")
    assert not enumerates("En lång lista med åtgärder upprättades.")
    assert unanswered(analyse("Vad är RUS?")).startswith("Texterna använder «RUS»")
    assert unanswered(analyse("När antogs planen?")) == "Texterna säger inte när det skedde."


def test_answer_leads_with_the_focus_and_names_the_region():
    hits = [
        make_hit(
            1,
            "Loket hjälper klustren att växa. Man tittar bland annat på Indien där det "
            "finns många ingenjörer.",
            regions=("Region Norrbotten",),
        ),
        make_hit(
            2,
            "Vi har cykelbibliotek och vikcyklar för pendlare, säger Anna Berg.",
            regions=("Region Örebro län",),
        ),
    ]
    ans = answer(response("Vad sa Per Andersson om Indien?", hits))
    assert "Indien" in ans.sentences[0].text
    ans = answer(response("Vilken region har ett cykelbibliotek?", hits[1:]))
    assert ans.confident and ans.sentences[0].text.startswith("Region Örebro län: ")


def test_who_and_which_region_are_named_in_the_first_sentence():
    """A name only at the end of a two-sentence quote is brought to the front (the first
    sentence is what a reader copies); of the card's two regions, the one the text names."""
    quote = (
        "- Kommunerna spelar roll för strategin. Vi ville att de ska se det, "
        "säger Mona Karila, Region Sörmland."
    )
    hits = [make_hit(1, quote, regions=("Region Sörmland",), speakers=("Mona Karila",))]
    ans = answer(response("Vem sa att kommunerna spelar roll för strategin?", hits))
    assert ans.confident and ans.sentences[0].text.startswith("Mona Karila: Kommunerna")
    # named in its first sentence already: shown as written
    first = "- Mona Karila sa att kommunerna spelar roll. Vi ville att de ska se det."
    hits = [make_hit(1, first, regions=("Region Sörmland",), speakers=("Mona Karila",))]
    ans = answer(response("Vem sa att kommunerna spelar roll för strategin?", hits))
    assert ans.sentences[0].text.startswith("Mona Karila sa")
    two = make_hit(
        1,
        "Ekonomin domineras av stål och gruva. Vi vill bredda den, säger Region Norrbotten.",
        regions=("Region Norrbotten", "Region Västerbotten"),
    )
    ans = answer(response("Vilken region vill bredda ekonomin bortom stål och gruva?", [two]))
    # the sentence that names it in its own words leads (answers.naming.names_answer)
    assert ans.sentences[0].text == "Vi vill bredda den, säger Region Norrbotten."
    # in a quote, named at its end: brought to the front, the card's region the text
    # names and not both
    one = make_hit(
        1,
        "- Ekonomin domineras av stål och gruva. Vi vill bredda den, säger Region Norrbotten.",
        regions=("Region Norrbotten", "Region Västerbotten"),
    )
    ans = answer(response("Vilken region vill bredda ekonomin bortom stål och gruva?", [one]))
    assert ans.sentences[0].text.startswith("Region Norrbotten: Ekonomin")


def test_near_miss_is_refused_with_what_the_texts_do_not_say():
    hits = [make_hit(1, "Affärsplan Västmanland är regionens plan för näringslivsutveckling.")]
    ans = answer(response("När antogs Affärsplan Västmanland?", hits))
    assert not ans.confident and ans.message == "Texterna säger inte när det skedde."
    assert ans.sentences  # the nearest, marked as such by format_answer


def test_labels_never_rise_and_cited_cards_are_never_weaker():
    raw = ["Svag träff", "Delvis relevant", "Mycket relevant", "Svag träff"]
    out = claims.card_labels(raw, confident=True, cited=[3])
    levels = [claims.level(x) for x in out]
    assert levels == sorted(levels, reverse=True)
    assert levels[3] >= max(levels[:3])
    unsure = claims.card_labels(["Mycket relevant", "Relevant"], confident=False)
    assert unsure == ["Delvis relevant", "Delvis relevant"]
    assert claims.shown_count(["Relevant", "Svag träff", "Svag träff", "Svag träff"]) == 3


def test_answer_figures_read_keys_and_kinds():
    assert holds_key(["Det finns över 400 organisationer i Sverige."], ["över 400 organisationer"])
    assert holds_key(["Mindre buller,", "bättre vattenkvalitet."], ["buller, bättre"])
    assert not holds_key(["Inget här."], ["över 400"])
    assert not is_answerable({"query": "x", "near_session": "S", "subkind": "near_miss"})
    assert is_answerable({"query": "x", "gold_session": "S", "key": ["y"]})


def test_a_filter_that_hides_the_answer_is_named():
    from confsearch.answers.asking import filter_blame

    inside = response("Vilken region har ett cykelbibliotek?", [make_hit(1, "Annat.")])
    inside.region_filter = "Region Gävleborg"
    outside = response(
        "Vilken region har ett cykelbibliotek?",
        [make_hit(1, "Vi har cykelbibliotek.", regions=("Region Örebro län",))],
    )
    text = filter_blame(inside, outside)
    assert text.startswith("Inget svar från Region Gävleborg: filtret utesluter svaret.")
    assert "Region Örebro län" in text and "sök utan filter" in text


def test_eval_prints_uncovered_and_near_miss_refusal_apart():
    m = AnswerMetrics(n=2, answered=1.0, n_uncovered=3, refused=2 / 3)
    m.n_near, m.near_refused, m.n_off, m.off_refused = 1, 0.0, 2, 1.0
    text = "\n".join(m.lines())
    assert "utanför ämnet 1.000 (n=2)" in text
    assert "nära miss 0.000 (n=1)" in text


def test_eval_tells_the_first_item_from_its_first_sentence():
    """The lead with the context it points back to is one item of two sentences: the key
    in its second sentence counts for nyckel@första, not for "första meningen"."""
    text = (
        "Maria Sundman berättar att utredningen hade en blandad arbetsgrupp i länet. "
        "De hade även politiken i ryggen, med en tydlig viljeinriktning."
    )

    class Stub:
        embedder = None
        config = FusionConfig()

        def search(self, query: str, k: int = 5):
            return response(query, [make_hit(1, text)])

    row = {
        "query": "Vad berättar Maria Sundman om utredningen?",
        "gold_session": "Testpass",
        "key": ["politiken i ryggen"],
    }
    m = eval_answers(Stub(), [row])  # type: ignore[arg-type]
    assert (m.key_lead, m.key_first, m.key_answer) == (1.0, 0.0, 1.0)
    assert "nyckel@första 1.000 (första meningen 0.000)" in "\n".join(m.lines())


def test_a_sentence_announcing_the_session_is_told_from_one_stating_a_fact():
    assert announces_session("Region Gävleborg berättar om en utredning om livsvillkor.")
    assert announces_session("Region Örebro län höll ett lärpas som hette Rena resor.")
    assert not announces_session("Resultaten visar att ojämlikheten blir alltmer koncentrerad.")


def test_positional_verbs_and_prepositions_are_no_topic():
    """'står bakom', 'ligger', 'hänt' frame a question; folded look-alikes of content
    words ("stod" is "stöd" folded, "låg" is "lag") are not among them."""
    for word in ("står", "bakom", "ligger", "hänt", "görs"):
        assert is_generic(word), word
    for word in ("stöd", "lag"):
        assert not is_generic(word), word


def test_pronouns_typed_as_spoken_are_no_topic():
    """ "vad sa dom", "finns det nåt om …": never "Texterna nämner inte: dom"."""
    for word in ("dom", "nån", "nåt", "dej"):
        assert is_generic(word), word


def test_what_kind_how_many_and_by_what_name_frame_a_question():
    """ "Vilken typ av åtgärder …", "Antal faser …?", "med namn": never missing words."""
    for word in ("typ", "typer", "sorters", "Antal", "antalet", "namn", "dag"):
        assert is_generic(word), word


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        # advice on the first step is a method, not a location
        ("Var bör man börja ändra fokus enligt Vinnova?", "method"),
        ("var ska man borja om man vill slippa projekt som dor", "method"),
        ("Where should the change start, according to Vinnova?", "method"),
        # where something started or lies is still a place
        ("Var startade projektet Loket?", "place"),
        ("Where did the project start?", "place"),
        ("Var ligger cykelbiblioteket?", "place"),
    ],
)
def test_where_to_start_asks_for_a_method(question, asks):
    assert analyse(question).asks == asks


def test_a_phrase_the_glossary_translates_whole_is_one_focus_item():
    from confsearch.answers.focus import focus_share, focus_terms

    q = analyse("What is the Chamber of Commerce supposed to look into?")
    focus = focus_terms(q)
    chamber = [alts for alts in focus if any(t.startswith("handelskamm") for t in alts)]
    assert len(chamber) == 1  # "Chamber" and "Commerce" together, counted once
    told = focus_share(focus, {"handelskamm", "anlit", "export"})
    assert told > focus_share(focus, {"export"})


def test_a_focus_word_every_candidate_mentions_weighs_less():
    from confsearch.answers.focus import focus_share, focus_weights

    focus = [{"varmlandsrad"}, {"lopand"}]
    candidates = [
        {"varmlandsrad", "samarbet"},
        {"varmlandsrad", "utvarder"},
        {"lopand", "avstamning"},
        {"varmlandsrad", "tillit"},
    ]
    weights = focus_weights(focus, candidates)
    assert weights[0] < weights[1]
    # the sentence with the rare word now outweighs one with the word all of them share
    assert focus_share(focus, candidates[2], weights) > focus_share(focus, candidates[0], weights)
    assert focus_share(focus, candidates[2]) == focus_share(focus, candidates[0])  # unweighted


def test_a_definitions_term_leaves_out_the_region_that_only_says_where():
    assert analyse("vad ar LUX i norrbotten").term == "LUX"
    assert analyse("What is LUX in Norrbotten?").term == "LUX"
    assert analyse("Vad är kabeltrumman i Sörmland?").term == "kabeltrumman"
    # not a region: the words may be the term's own
    assert analyse("Vad är vård i hemmet?").term == "vård i hemmet"


@pytest.mark.parametrize(
    ("question", "asks", "term"),
    [
        # the term as the texts would write it, without the question's frame words
        ("vad står förkortningen LUX för", "definition", "LUX"),
        ("What does the abbreviation RUS stand for?", "definition", "RUS"),
        ("Vad är Affärsplan Västmanland för något?", "definition", "Affärsplan Västmanland"),
        # what a region holds, or one of many picked by a superlative: a fact, no term
        ("vad ar gavleborgs storsta utmaning", "other", ""),
        ("What is the biggest challenge?", "other", ""),
        # an ordinal picks one of a series: a fact, no term
        ("Vad är den första fasen?", "list", ""),
        ("vad är andra fasen", "list", ""),
        ("What is the next step?", "other", ""),
        # a memo's context clause before the question is no part of the term
        ("Inför mötet: vad är en projektkyrkogård?", "definition", "projektkyrkogård"),
        ("modell för samarbete med föreningslivet – vad är andra fasen?", "list", ""),
        ("Vad är en lista?", "definition", "lista"),
        # a purpose or a comparison is asked, not what words mean
        ("Vad är syftet med kabeltrumman?", "reason", ""),
        ("What is the purpose of the cable drum?", "reason", ""),
        ("Vad är skillnaden mellan RUS och RUP?", "other", ""),
        ("Vad är problemet med företagsstödet?", "other", ""),
        # where the term is used is no part of it: a name, or "in this context"
        ("Vad är en expedition i Örebros arbetssätt?", "definition", "expedition"),
        ("Vad är en projektkyrkogård enligt Vinnova?", "definition", "projektkyrkogård"),
        ("What is a keystone team according to Vinnova?", "definition", "keystone team"),
        ("Vad betyder pay it forward i det här sammanhanget?", "definition", "pay it forward"),
        # what a thing comes to in someone's work is described, not defined
        ("Vad innebär ett normkritiskt förhållningssätt i Västmanlands arbete?", "other", ""),
        # a fact with a place in it, not a term
        ("Vad är priset på guld idag?", "other", ""),
    ],
)
def test_what_a_definition_question_asks_to_define(question, asks, term):
    q = analyse(question)
    assert (q.asks, q.term) == (asks, term)
    if asks == "definition":
        assert unanswered(q).startswith(f"Texterna använder «{term}» men ")


def test_what_an_abbreviation_stands_for_needs_its_words_spelled_out():
    from confsearch.answers.definitions import expands

    q = analyse("Vad står förkortningen LUX för?")
    assert q.asks == "definition" and q.term == "LUX" and q.expansion
    assert not analyse("Vad är LUX?").expansion
    assert expands("LUX", "Projektet LUX (Lokal utveckling i Xylanda) startade i år.")
    assert expands("RUS", "Den regionala utvecklingsstrategin (RUS) styr arbetet.")
    assert expands("RUS", "Regional utvecklingsstrategi (RUS) styr arbetet.")
    assert expands("LUX", "LUX står för Lokal utveckling i Xylanda.")
    assert not expands("LUX", "LUX är Vinnovas projekt för nationella synergier.")
    assert unanswered(q) == "Texterna använder «LUX» men säger inte vad förkortningen står för."


@pytest.mark.parametrize(
    ("deed", "sentence", "told"),
    [
        ("led", "Maria Sundman ledde utredningen.", True),
        # the doer's noun ending a compound tells who leads
        ("led", "Det säger Mirja Mattsson, projektledare för Rena resan.", True),
        # "leda till" is another sense: leading to something leads no one
        ("led", "Rena resor leder också till mindre buller.", False),
        ("led", "Maria Sundman berättar om utredningen.", False),
        # who heads a body leads it
        ("led", "Det säger Ingrid Strengsdal, chef Värmlandsrådsavdelningen.", True),
        ("led", "Det säger Karin Ek, regiondirektör i Halland.", True),
        ("utvarder", "Värmlandsrådet har utvärderats av Karin Ek.", True),
    ],
)
def test_a_sentence_tells_a_deed_in_any_form_or_by_its_doer(deed, sentence, told):
    assert tells(deed, sentence) is told


def test_the_questions_own_nouns_do_not_tell_its_deed():
    """ "Vem leder ledningsgruppen?" is not answered by a sentence that names the group."""
    question = "Vem leder ledningsgruppen i Region Örebro län?"
    sentence = "Hela ledningsgruppen för regional utveckling är med."
    assert tells_action(("led",), sentence, question) is False
    assert tells_action(("led",), "Anna Berg leder ledningsgruppen.", question) is True


@pytest.mark.parametrize(
    ("question", "presenter"),
    [
        ("Vem berättade om AI-satsningen i Västerbotten?", True),
        ("Who from Region Västmanland presented the analysis?", True),
        ("Vem från Norrbotten talade om industriboomen?", True),
        ("Vem från Sörmland citeras i passet om designmetod?", True),  # whose words
        # a deed, or presenting in a clause of its own, asks something else
        ("Vem utvärderade Värmlandsrådet?", False),
        ("Vem ledde arbetet som de berättade om?", False),
        # saying is presenting: "Vem menade att …?" is answered by the session's speakers
        ("Vem sa att man måste berätta om resultaten?", True),
        ("Vem från Region Västerbotten menade att regionerna behöver mogna?", True),
    ],
)
def test_a_who_question_about_presenting_is_answered_by_the_sessions_speakers(question, presenter):
    assert analyse(question).presenter is presenter


def test_who_presented_is_named_from_the_card_when_the_sentence_does_not_say():
    """The session's speaker presented what any of its sentences tells, not only what
    her quotes say: she is named first."""
    hit = make_hit(1, "Regionen startade en satsning på AI i näringslivet.")
    hit = replace(hit, passage=replace(hit.passage, speakers=("Thomas Kvist",)))
    ans = answer(response("Vem berättade om AI-satsningen i näringslivet?", [hit]))
    assert ans.confident
    assert ans.sentences[0].text.startswith("Thomas Kvist: Regionen startade")


@pytest.mark.parametrize(
    ("question", "presenter", "actions"),
    [
        ("Who ran the Västmanland session on which entrepreneurs get support?", True, ()),
        ("Vem ledde lärpasset om AI?", True, ()),
        # leading a project is a deed the texts tell ("projektledare för …")
        ("Vem leder projektet Fossilfritt 2030?", False, ("led",)),
    ],
)
def test_who_ran_the_session_asks_who_presented_it(question, presenter, actions):
    q = analyse(question)
    assert (q.presenter, q.actions) == (presenter, actions)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        # a yes/no question asks whether; "över vilka aktörer" is about its noun
        ("Har Sörmland gjort någon systemkarta över vilka aktörer som ansvarar för vad?", "other"),
        # an indirect question after a verb of telling still asks which
        ("Kan du berätta vilka regioner som jobbar med cykling?", "organisation"),
    ],
)
def test_an_interrogative_embedded_in_a_yes_no_question_asks_nothing(question, asks):
    assert analyse(question).asks == asks


@pytest.mark.parametrize(
    ("question", "proposes"),
    [
        ("Gjordes den intersektionella analysen av en extern konsult?", True),
        ("Tog Region Halland hjälp av en designbyrå för att ta fram kartan?", True),
        ("Anlitade Värmland en konsult för utvärderingen?", True),
        ("Was the Halland study done by a consultancy or a university?", True),
        ("Did the region hire an agency for the campaign?", True),
        ("Var det en extern konsult som tog fram kartan i Halland?", True),  # a cleft
        ("Was it a university that made the Halland map?", True),
        ("Var det en bra idé att ta fram kartan?", False),
        # a doer named is no proposal of a kind; a wh-question asks who anyway
        ("Tog Norrbotten hjälp av Handelskammaren?", False),
        ("Vem tog fram kartan, var det en designbyrå?", False),
        ("Finns det behov av en ny strategi?", False),
    ],
)
def test_a_yes_no_question_proposing_a_doer_asks_who_did_it(question, proposes):
    q = analyse(question)
    assert (q.asks == "organisation" and q.other_bodies) is proposes
    if proposes:
        assert unanswered(q) == "Texterna säger inte vem som gjorde det."
        assert not holds_item(q, "Analysen gjordes och kartan togs fram, berättar Region Halland.")
        assert holds_item(q, "Kartan togs fram av Halmstads universitet och Byrå Nord AB.")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Hur når Region Örebro län allmänheten?", "method"),
        ("How do the regions reach the public?", "method"),
        # what a thing is like, how much it matters, where it is heading: no means
        ("Hur ser det ut för de svagaste grupperna i Gävleborg?", "other"),
        ("Inför vårt AI-projekt: hur viktig är datakvaliteten?", "other"),
        ("Hur fungerar flernivåstyrningen i Värmland?", "other"),
        ("Hur utvecklas klyftorna i länet?", "other"),
        ("How important has trust been for the council?", "other"),
    ],
)
def test_how_asks_a_means_unless_it_asks_what_a_thing_is_like(question, asks):
    assert analyse(question).asks == asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Var har Region Halland målat de nya cykelvägarna?", "place"),
        ("Vad heter faserna i samverkansmodellen?", "list"),
        ("Vad heter regiondirektören?", "person"),
    ],
)
def test_where_has_and_what_are_they_called(question, asks):
    assert analyse(question).asks == asks
