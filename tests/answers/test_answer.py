"""Extractive answers: sentence splitting, scoring, citations, confidence, text output."""

from __future__ import annotations

from dataclasses import replace

import pytest

from confsearch import qa
from confsearch.answers.answer import (
    MAX_EMBED,
    NO_ANSWER,
    Answer,
    AnswerSentence,
    answer,
    answer_units,
    context_range,
    format_answer,
)
from confsearch.answers.candidates import find_candidates
from confsearch.answers.citation import Source
from confsearch.answers.naming import asked_names, quotes_the_asked
from confsearch.answers.units import quote_spans, units_of
from confsearch.reading.documents import Passage
from confsearch.retrieval.confidence import ConfidenceModel
from confsearch.retrieval.index import build_index, load_index
from confsearch.retrieval.question import analyse
from confsearch.retrieval.search import FusionConfig, Hit, Searcher, SearchResponse
from confsearch.text import strip_marker
from tests.conftest import FakeEmbedder

CORPUS_TEXT = """Lärpass från testkonferensen

Cyklar i vardagen

Region Örebro län har cykelbibliotek där invånare kan låna cyklar gratis. Biblioteket har \
t.ex. lastcyklar, elcyklar och vikcyklar för resor med tåg.

- Vi lånar ut cyklar till alla som vill prova, säger Anna Berg, projektledare.

Resultaten visar att fler kommuner vill starta egna cykelbibliotek under 2.5 år framöver.

Samverkan med kommunerna

Region Värmland samarbetar med alla kommuner i Värmlandsrådet. Rådet har utvärderats och \
arbetsgruppens roll behöver tydliggöras bl.a. genom nya arbetsformer.

Utvärderingen visade att återkopplingen i organisationerna behöver bli bättre. \
Rekommendationerna har klustrats och samverkansavtalet har kompletterats.
"""


def make_hit(
    rank: int,
    text: str,
    *,
    score: float | None = None,
    pid: str | None = None,
    session: str = "Testpass",
    regions: tuple[str, ...] = ("Region Testland",),
    dense: float = 0.85,
    speakers: tuple[str, ...] = (),
) -> Hit:
    passage = Passage(
        id=pid or f"p{rank}",
        doc_id="doc",
        text=text,
        session=session,
        regions=regions,
        speakers=speakers,
        source="corpus/test.txt",
        start=0,
        end=len(text),
    )
    score = 1.0 / rank if score is None else score
    return Hit(rank=rank, score=score, passage=passage, dense=dense, lexical=0.0)


def response(query: str, hits: list[Hit], confident: bool = True) -> SearchResponse:
    return SearchResponse(query=query, hits=hits, confident=confident)


# ------------------------------------------------------------------ sentence splitting


def test_every_line_splits_into_sentences_a_quote_line_too():
    text = (
        "Inledande mening om resor. Andra meningen här.\n\n"
        "- Vi har cykelbibliotek. Det är populärt, säger Mirja Mattsson.\n"
        "- En annan röst hörs, fyller Katja Hagström."
    )
    assert answer_units(text) == [
        "Inledande mening om resor.",
        "Andra meningen här.",
        "- Vi har cykelbibliotek.",
        "Det är populärt, säger Mirja Mattsson.",
        "- En annan röst hörs, fyller Katja Hagström.",
    ]
    assert quote_spans(units_of(text)) == {2: (2, 3), 3: (2, 3), 4: (4, 4)}


def test_a_quote_sentence_is_shown_to_its_speaker():
    """A sentence of a quote is shown from itself (or what it points back to) to the
    quote's end, where its speaker is named; from the quote's start when the speaker is
    named only there."""
    end = (
        "- Vi började med teknik. Vi försöker nu utveckla rymd och besöksnäring. "
        "Det ger bredare arbetsmarknad, säger Per Andersson."
    )
    units = units_of(end)
    texts, quotes = [u.text for u in units], quote_spans(units)
    assert context_range(texts, 1, quotes) == (1, 2)
    assert context_range(texts, 2, quotes) == (1, 2)  # "Det" points back to the one before
    assert context_range(texts, 0, quotes) == (0, 2)
    start = "- Vi började med teknik, säger Per Andersson. Nu testar vi rymdföretag i Kiruna."
    units = units_of(start)
    assert context_range([u.text for u in units], 1, quote_spans(units)) == (0, 1)
    hit = make_hit(1, end, speakers=("Per Andersson",))
    ans = answer(response("Vilka andra områden som rymd vill de utveckla?", [hit]))
    assert ans.sentences[0].text.startswith("Vi försöker nu utveckla rymd")
    assert ans.sentences[0].text.endswith("säger Per Andersson.")
    # the quote's sentences before the lead follow it, none of them shown twice
    ans = answer(response("Vilka områden som rymd och teknik vill de utveckla?", [hit]))
    shown = " ".join(x.text for x in ans.sentences)
    for unit in texts:
        assert shown.count(strip_marker(unit)) <= 1, unit


def test_what_someone_said_is_their_quote_whole_and_in_order():
    text = "- Kommunerna spelar roll för strategin. Vi ville att de ser det, säger Anna Berg."
    hit = make_hit(1, text, speakers=("Anna Berg",))
    ans = answer(response("Vad sa Anna Berg?", [hit]))
    assert ans.sentences[0].text == strip_marker(text)
    # asked about one thing she said, the sentence that says it leads
    ans = answer(response("Vad sa Anna Berg om att de ser det?", [hit]))
    assert ans.sentences[0].text.startswith("Vi ville")


def test_a_quote_is_never_put_in_another_speakers_mouth():
    text = "- Rena resor ger mindre buller och stress, fyller Katja Berg, projektledare."
    hit = make_hit(1, text, speakers=("Mirja Mattsson", "Katja Berg"))
    ans = answer(response("Vem betalar projektet som Katja Berg leder?", [hit]))
    assert not ans.sentences[0].text.startswith("Mirja Mattsson")


def test_the_card_names_no_company_municipality_and_no_refused_answer():
    """A card's presenting regions are no answer to "which companies/municipalities", and
    the nearest sentences of a refusal are shown as written (a name put first would read
    as the answer the message says the texts do not give)."""
    hit = make_hit(
        1, "Vi har cykelbibliotek och vikcyklar för pendlare.", regions=("Region Örebro län",)
    )
    for question in ("Vilka kommuner har cykelbibliotek?", "Vilka företag har cykelbibliotek?"):
        ans = answer(response(question, [hit]))
        assert not ans.sentences[0].text.startswith("Region Örebro län"), question
    ans = answer(response("Vilken region har cykelbibliotek?", [hit]))
    assert ans.sentences[0].text.startswith("Region Örebro län: ")
    ans = answer(response("Vilken region har cykelbibliotek?", [hit], confident=False))
    assert not ans.confident and ans.sentences[0].text.startswith("Vi har")


def test_municipalities_consultancies_and_companies_are_named_in_the_sentence():
    """ "Vilka sörmländska kommuner …?" is not answered by a region the sentence names, nor
    "Which consultancy …?" by the speaker of a quote; a municipality by name answers."""
    from confsearch.answers.sentences import holds_item

    region = ("Region Sörmland",)
    q = analyse("Vilka sörmländska kommuner har provat kabeltrumman?")
    assert not holds_item(q, "För att förstå systemet i Sörmland skapades kabeltrumman.", region)
    assert holds_item(q, "Eskilstuna kommun har provat kabeltrumman.", region)
    quote = "- Fånga upp kommunernas kopplingar, säger Mona Karila, Region Sörmland."
    for asked in ("Which consultancy helped Region Sörmland?", "Vilka företag hjälpte till?"):
        assert not holds_item(analyse(asked), quote, region, ("Mona Karila",), quote=True)
    assert holds_item(analyse("Which consultancy helped?"), "Det gjorde Sweco Sverige.")


def test_a_party_is_named_in_the_sentence():
    """ "Vilket parti …?" asks for a party: neither the card's region nor its speaker is
    one; a party by name answers."""
    from confsearch.answers.sentences import holds_item
    from confsearch.answers.unsaid import unanswered

    region, speaker = ("Region Gävleborg",), ("Maria Sundman",)
    said = "Maria Sundman, Region Gävleborg, berättar att de hade politiken i ryggen."
    for asked in ("Vilket parti styr Region Gävleborg?", "Which political party backed it?"):
        q = analyse(asked)
        assert q.asks == "organisation", asked
        assert not holds_item(q, said, region, speaker), asked
        assert holds_item(q, "Utredningen drevs av Centerpartiet i regionen.", region), asked
        assert unanswered(q) == "Texterna säger inte vilket parti det var.", asked


def test_a_company_or_a_ministry_of_any_compound_is_asked_by_kind():
    """ "Vilket kollektivtrafikbolag …?" and "Which bus operator …?" ask for a company,
    "Which government ministry …?" for a body no presenting region is: the card's region
    answers neither, and the box says which kind the texts do not name."""
    from confsearch.answers.sentences import holds_item
    from confsearch.answers.unsaid import unanswered

    region = ("Region Örebro län",)
    said = "Region Örebro län samarbetar med kommunerna om rena resor."
    for asked in (
        "Vilket kollektivtrafikbolag samarbetar med Rena resan?",
        "Which bus operator runs it?",
    ):
        q = analyse(asked)
        assert q.asks == "organisation" and q.companies_only, asked
        assert not holds_item(q, said, region), asked
        assert unanswered(q) == "Texterna säger inte vilket företag det var.", asked
    q = analyse("Which government ministry commissioned the model?")
    assert q.asks == "organisation" and q.other_bodies
    assert not holds_item(q, said, region)
    assert not analyse("Vilket företagsstöd finns?").companies_only


def test_a_presenter_is_named_first_though_a_project_name_comes_first():
    text = "Arbetet består av tre delar: Loket, LUX och The North Sweden Green Deal."
    hit = make_hit(1, text, regions=("Region Norrbotten",), speakers=("Per Andersson",))
    ans = answer(response("Vem från Region Norrbotten presenterade arbetet med Loket?", [hit]))
    assert ans.sentences[0].text == f"Per Andersson: {text}"


def test_split_handles_empty_and_whitespace():
    assert answer_units("") == []
    assert answer_units("  \n\n  ") == []
    assert answer_units("Utan slutpunkt") == ["Utan slutpunkt"]


# ------------------------------------------------------------------ answering (constructed hits)


def test_answer_cites_the_card_that_holds_the_sentence():
    hits = [
        make_hit(1, "Regionen arbetar med kollektivtrafik och bussar på landsbygden i länet."),
        make_hit(
            2,
            "Detta är en inledning om projektet och dess bakgrund i regionen. "
            "Region Örebro län har cykelbibliotek där invånarna lånar cyklar gratis.",
        ),
        make_hit(3, "Kulturen och museerna fick mer stöd från staten under året som gick."),
    ]
    ans = answer(response("Vilken region har cykelbibliotek?", hits))
    assert ans.confident and ans.message != NO_ANSWER
    assert ans.sentences
    cyk = [s for s in ans.sentences if "cykelbibliotek" in s.text]
    assert cyk and cyk[0].citation == 2 and cyk[0].hit is hits[1]
    assert ans.sentences[0].citation in {1, 2}
    # the unrelated museum sentence is not padded in
    assert all("museerna" not in s.text for s in ans.sentences)


def test_quote_dash_is_removed_and_speaker_kept():
    hits = [make_hit(1, "- Vi har cykelbibliotek för alla invånare, säger Mirja Mattsson.")]
    ans = answer(response("cykelbibliotek", hits))
    assert ans.sentences[0].text == "Vi har cykelbibliotek för alla invånare, säger Mirja Mattsson."


def test_not_confident_keeps_nearest_sentences():
    hits = [make_hit(1, "Region Värmland har ett råd där alla kommuner samarbetar tillsammans.")]
    ans = answer(response("Hur bakar man surdegsbröd?", hits, confident=False))
    assert not ans.confident
    assert ans.message == "Inget tydligt svar i konferenstexterna."
    assert ans.sentences and ans.sentences[0].citation == 1


def test_no_hits():
    ans = answer(response("cykelbibliotek", []))
    assert ans == Answer(sentences=[], confident=False, message=NO_ANSWER, query="cykelbibliotek")
    assert format_answer(ans) == NO_ANSWER


def test_at_most_two_sentences_per_passage_and_readable_order():
    text = (
        "Cykelbibliotek finns i Örebro och används mycket. "
        "Cykelbibliotek lånar ut lastcyklar till familjer. "
        "Cykelbibliotek har öppet varje dag under sommaren."
    )
    hits = [
        make_hit(1, text),
        make_hit(2, "Ett cykelbibliotek startades också i Gävle under våren."),
    ]
    ans = answer(response("cykelbibliotek", hits), max_sentences=3)
    from_first = [s for s in ans.sentences if s.citation == 1]
    assert len(from_first) <= 2
    assert len(ans.sentences) <= 3
    # readable order: the lead (the best sentence) first, the rest by card, then by
    # position in the passage
    keys = [(s.citation, answer_units(s.hit.passage.text).index(s.text)) for s in ans.sentences]
    assert keys[1:] == sorted(keys[1:])
    assert ans.sentences[0].score == max(s.score for s in ans.sentences)


def test_near_duplicates_and_fragments_are_dropped():
    same = "Region Örebro län har cykelbibliotek där invånarna lånar cyklar gratis."
    hits = [
        make_hit(1, same + " Ja."),
        make_hit(2, same, pid="annan"),  # the same sentence in another document
    ]
    ans = answer(response("Vilken region har cykelbibliotek?", hits))
    assert [s.text for s in ans.sentences] == [same]
    assert ans.sentences[0].citation == 1


def test_max_sentences_and_max_hits():
    hits = [
        make_hit(i, f"Cykelbibliotek nummer {i} finns i kommunen sedan länge.") for i in (1, 2, 3)
    ]
    hits.append(make_hit(4, "Cykelbibliotek finns i den fjärde kommunen sedan i fjol."))
    ans = answer(response("cykelbibliotek", hits), max_sentences=2, max_hits=3)
    assert 1 <= len(ans.sentences) <= 2
    assert all(s.citation <= 3 for s in ans.sentences)
    ans1 = answer(response("cykelbibliotek", hits), max_sentences=1)
    assert len(ans1.sentences) == 1


def test_embedder_is_called_once_per_side_and_bounded(fake_embedder):
    long_text = " ".join(
        f"Mening nummer {i} handlar om cyklar och bussar i länet." for i in range(40)
    )
    hits = [
        make_hit(1, long_text),
        make_hit(2, long_text, pid="b"),
        make_hit(3, long_text, pid="c"),
    ]
    ans = answer(response("cyklar i länet", hits), embedder=fake_embedder)
    assert fake_embedder.calls == 2  # one query call, one batch of sentences
    # the question and its focus ("cyklar", "länet"), then the sentences
    assert fake_embedder.texts_encoded <= 2 + MAX_EMBED
    assert ans.sentences


def test_embedder_breaks_ties_towards_the_meaning(fake_embedder):
    hits = [
        make_hit(
            1,
            "Vårt arbete med lastcyklar och elcyklar ökar varje år i länet. "
            "Kommunen satsar på parker, lekplatser och grönområden i staden.",
        )
    ]
    ans = answer(response("lastcyklar elcyklar", hits), embedder=fake_embedder, max_sentences=1)
    assert "lastcyklar" in ans.sentences[0].text


# ------------------------------------------------------------------ whole sentences

KABELTRUMMAN = (
    "För att förstå systemet i Sörmland utvecklade de bilden kabeltrumman. "
    "Det översta planet i trumman är vardagslivet, den nedre basen är det bärande systemet. "
    "Det vill säga alla aktörer som bär upp vardagssystemet. "
    "Utifrån statistik skapades verkliga hushåll i länet."
)


def test_a_sentence_that_points_back_brings_its_predecessor():
    hits = [make_hit(1, KABELTRUMMAN)]
    ans = answer(response("Vilka aktörer bär upp vardagssystemet?", hits), max_sentences=1)
    shown = ans.sentences[0].text
    assert shown.endswith("Det vill säga alla aktörer som bär upp vardagssystemet.")
    # "Det vill säga …" needs "Det översta planet …", which stands on its own: an article
    # before a superlative points back to nothing (a name may be put before it)
    assert shown.split(": ", 1)[-1].startswith("Det översta planet i trumman")
    assert "För att förstå systemet i Sörmland" not in shown


def test_the_best_sentence_opens_the_answer_even_after_a_chosen_neighbour():
    # The sentence before the best one is chosen too: it follows the lead as a sentence
    # of its own, never merged in front of it (what a reader copies first is the answer).
    text = (
        "Invånare i staden kan låna lastcyklar på cykelbiblioteket sedan i fjol. "
        "Cykelbiblioteket lånar ut lastcyklar gratis till alla invånare varje vecka. "
        "Parkerna i staden är stora och gröna."
    )
    q = "Lånar cykelbiblioteket ut lastcyklar gratis till invånare?"
    shown = [s.text for s in answer(response(q, [make_hit(1, text)])).sentences]
    assert shown == [
        "Cykelbiblioteket lånar ut lastcyklar gratis till alla invånare varje vecka.",
        "Invånare i staden kan låna lastcyklar på cykelbiblioteket sedan i fjol.",
    ]
    # part of the lead's statement, the neighbour takes no place of its own: with two
    # places, the next card's sentence is shown too
    other = make_hit(2, "Lastcyklar lånas gratis ut av invånare i grannkommunen, säger hon.")
    two = answer(response(q, [make_hit(1, text), other]), max_sentences=2).sentences
    assert [s.citation for s in two] == [1, 1, 2]


def test_a_sentence_that_goes_on_from_the_best_one_leads_with_it():
    # The question's words are all in the first sentence; the one after it points back
    # ("De …") and says more: it leads, shown with the sentence it goes on from.
    text = (
        "Maria Sundman berättar att utredningen hade en blandad arbetsgrupp i länet. "
        "De hade även politiken i ryggen, med en tydlig viljeinriktning. "
        "Kommunerna i länet ordnar parker och lekplatser i staden."
    )
    ans = answer(response("Vad berättar Maria Sundman om utredningen?", [make_hit(1, text)]))
    lead = ans.sentences[0].text
    assert lead.startswith("Maria Sundman berättar att utredningen")
    assert lead.endswith("med en tydlig viljeinriktning.")
    # shown once: the first sentence is not cited again on its own
    assert not any(s.text.startswith("Maria Sundman") for s in ans.sentences[1:])


@pytest.mark.parametrize(
    ("text", "question", "expected"),
    [
        (
            "Region Gävleborg utredde jämlika livsvillkor i länet. "
            "Hon berättar att arbetsgruppen var blandad och bra.",
            "Hur var arbetsgruppen sammansatt?",
            "Region Gävleborg utredde jämlika livsvillkor i länet. "
            "Hon berättar att arbetsgruppen var blandad och bra.",
        ),
        (
            "Resultaten visar att ojämlikheten i länet ökar. "
            "Detta gäller särskilt de resurssvaga grupperna i regionen.",
            "Vilka grupper är resurssvaga?",
            "Resultaten visar att ojämlikheten i länet ökar. "
            "Detta gäller särskilt de resurssvaga grupperna i regionen.",
        ),
        (
            "Starta genom att ändra fokus vid bedömning av projekt som får finansiering: "
            "Finns det behov i ekosystemet av det som föreslås?",
            "Hur bedöms projekt som får finansiering?",
            "Starta genom att ändra fokus vid bedömning av projekt som får finansiering: "
            "Finns det behov i ekosystemet av det som föreslås?",
        ),
    ],
)
def test_answer_sentences_are_whole(text, question, expected):
    ans = answer(response(question, [make_hit(1, text)]), max_sentences=1)
    assert ans.sentences[0].text == expected


def test_a_sentence_ending_in_a_colon_without_continuation_is_never_an_answer():
    text = (
        "Regionerna behöver utveckla sina ekosystem koordinerat och tillsammans.\n\n"
        "Starta genom att ändra fokus vid bedömning av projekt som får finansiering:"
    )
    ans = answer(response("finansiering av projekt", [make_hit(1, text)]))
    assert ans.sentences
    assert all(not s.text.endswith(":") for s in ans.sentences)


def test_quote_lines_stand_alone_and_context_is_never_shown_twice():
    text = (
        "Region Sörmland skapar persona-hushåll för att visa vilka insatser som behövs.\n"
        "- Det kommuner gör spelar roll för den regionala strategin, säger Mona Karila.\n"
        "De prioriterar om i strategin för att fler kommuner ska känna ägarskap."
    )
    units = answer_units(text)
    quotes = quote_spans(units_of(text))
    assert context_range(units, 1, quotes) == (1, 1)  # a quote starting with "Det"
    assert context_range(units, 2, quotes) == (2, 2)  # its predecessor is a quote
    assert context_range(units, 0) == (0, 0)
    two = (
        "Projektet lånar ut lastcyklar till alla familjer i kommunen. "
        "De lånar också ut elcyklar till pendlare i kommunen."
    )
    ans = answer(response("lastcyklar elcyklar familjer pendlare", [make_hit(1, two)]))
    assert len(ans.sentences) == 1  # the first sentence is already inside the second
    assert ans.sentences[0].text == two


# ------------------------------------------------------------------ text output


def test_format_answer_lines_and_sources():
    hit1 = make_hit(1, "x", session="Rena resor", regions=("Region Örebro län",))
    hit2 = make_hit(2, "y", session="Värmland", regions=("Region Värmland", "Karlstad"))
    ans = Answer(
        sentences=[
            AnswerSentence("Region Örebro län har cykelbibliotek.", 1, hit1),
            AnswerSentence("Värmlandsrådet har utvärderats.", 2, hit2),
        ],
        confident=True,
        message="",
    )
    text = format_answer(ans)
    assert text.splitlines() == [
        "Region Örebro län har cykelbibliotek. [1]",
        "Värmlandsrådet har utvärderats. [2]",
        "",
        "Källor:",
        "[1] Rena resor · Region Örebro län — corpus/test.txt",
        "[2] Värmland · Region Värmland, Karlstad — corpus/test.txt",
    ]
    # With the document's metadata: "Lärpass · Region · Talare — Dokument (Arrangör, år)".
    hit1.passage = replace(hit1.passage, speakers=("Mirja Mattsson",))
    doc = Source("Lärpass 2022", "Reglab", year=2022, url="https://www.reglab.se/x")
    assert format_answer(ans, {"doc": doc}).splitlines()[-2:] == [
        "[1] Rena resor · Region Örebro län · Mirja Mattsson — Lärpass 2022 (Reglab, 2022) "
        "<https://www.reglab.se/x>",
        "[2] Värmland · Region Värmland, Karlstad — Lärpass 2022 (Reglab, 2022) "
        "<https://www.reglab.se/x>",
    ]


def test_format_not_confident_shows_message_first():
    hit = make_hit(1, "x", session="", regions=())
    ans = Answer([AnswerSentence("Närmaste mening finns här.", 1, hit)], False, NO_ANSWER)
    lines = format_answer(ans).splitlines()
    assert lines[0] == NO_ANSWER
    assert "Närmaste mening finns här. [1]" in lines
    assert "[1] Utan lärpass — corpus/test.txt" in lines


# ------------------------------------------------------------------ over a real (small) index


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("answer")
    (tmp / "corpus").mkdir()
    (tmp / "corpus" / "konferens.txt").write_text(CORPUS_TEXT, encoding="utf-8")
    emb = FakeEmbedder()
    build_index(tmp / "corpus", tmp / "index", emb)
    return load_index(tmp / "index", emb), emb


def test_answer_over_index_cites_rank_of_passage(small_index):
    index, emb = small_index
    searcher = Searcher(index, emb, FusionConfig(confidence=ConfidenceModel.always()))
    resp = searcher.search("Vilken region har cykelbibliotek?", k=4)
    ans = answer(resp, embedder=emb)
    assert ans.confident
    for s in ans.sentences:
        assert s.hit is resp.hits[s.citation - 1]
        assert s.text in " ".join(s.hit.passage.text.split())
    assert any("cykelbibliotek" in s.text for s in ans.sentences)
    assert all("Örebro" in s.hit.passage.region for s in ans.sentences if "cykel" in s.text)


def test_ask_text(small_index):
    """``python -m confsearch ask``'s text: the answer, then its sources (confsearch.qa)."""
    index, emb = small_index
    searcher = Searcher(index, emb, FusionConfig(confidence=ConfidenceModel.always()))
    text = qa.ask(searcher, qa.Question("Hur utvärderades Värmlandsrådet?", k=3)).text()
    body, _, sources = text.partition("\nKällor:\n")
    assert "[1]" in body and "Värmland" in body
    assert "Samverkan med kommunerna · Region Värmland — Lärpass från testkonferensen" in sources
    strict = Searcher(index, emb, FusionConfig(confidence=ConfidenceModel.never()))
    refused = qa.ask(strict, qa.Question("Hur bakar man surdegsbröd?")).text()
    assert refused.startswith(NO_ANSWER)


# ------------------------------------------------------------------ real model


def test_real_model_answer_quotes_the_cykelbibliotek_card(real_index, real_embedder):
    searcher = Searcher(load_index(real_index / "index", real_embedder), real_embedder)
    resp = searcher.search("Vilken region har ett cykelbibliotek?", k=5)
    ans = answer(resp, embedder=real_embedder)
    assert ans.confident
    cited = [s for s in ans.sentences if "cykelbibliotek" in s.text]
    assert cited
    assert cited[0].hit.passage.region == "Region Örebro län"
    assert resp.hits[cited[0].citation - 1] is cited[0].hit
    off = answer(searcher.search("Hur bakar man surdegsbröd?", k=5), embedder=real_embedder)
    assert not off.confident and off.message.startswith(NO_ANSWER)
    assert "Texterna nämner inte: " in off.message and "surdegsbröd" in off.message


def test_a_who_answer_leads_with_the_sentence_that_names_the_person():
    # Both sentences are about Loket and the card names its speaker, so either would
    # "hold" a person; the one whose own words name him leads, not the card's name put
    # before the other.
    text = (
        "Loket ger de industriella klustren hjälp att växa och leda processen. "
        "Per-Erik Andersson berättar att Loket ger klustren hjälp att växa."
    )
    hits = [make_hit(1, text, speakers=("Per-Erik Andersson",))]
    q = "Vem berättade att Loket ger industriella kluster hjälp att växa?"
    first = answer(response(q, hits)).sentences[0].text
    assert first == "Per-Erik Andersson berättar att Loket ger klustren hjälp att växa."
    # a sentence of another passage that names someone never takes the lead from it
    other = make_hit(2, "Anna Berg berättar att Loket ger klustren hjälp.", pid="p2")
    first = answer(response(q, [make_hit(1, text.split(". ")[0] + "."), other]))
    assert "Anna Berg" not in first.sentences[0].text


def test_what_an_organisation_thinks_leads_with_the_sentence_that_quotes_it():
    # The question names Vinnova (an agency, not the session's region): the sentence that
    # tells what people from Vinnova said leads, not the one about the same topic before it.
    text = (
        "Det finns över 400 organisationer i Sverige som hjälper små och medelstora företag "
        "att växa i hela landet. "
        "Anna Berg från Vinnova sa att organisationer för små och medelstora företag är "
        "splittrade."
    )
    hits = [make_hit(1, text, regions=("Vinnova",))]
    q = "Vad tycker Vinnova om organisationer som hjälper små och medelstora företag?"
    first = answer(response(q, hits)).sentences[0].text
    assert first.startswith("Anna Berg från Vinnova sa")
    # a region the question names locates the session (any sentence of it is the
    # region's): no sentence is preferred for it; asking is no statement of theirs
    assert asked_names(analyse("Vad tycker Region Värmland om samverkan?")) == []
    asked = asked_names(analyse(q))
    asking = make_hit(1, "Vem finansierar vi, frågar Anna Berg från Vinnova.")
    assert not quotes_the_asked(find_candidates([asking])[0], asked)


def test_a_pronoun_led_answer_opens_with_its_sentence_and_names_the_referent(fake_embedder):
    # "De utvecklade modellen …" answers; it points back to a sentence that opens with
    # the name "De" stands for: the answer opens with it, the name put before it.
    text = (
        "Myndigheten för ungdoms- och civilsamhällesfrågor berättar om en samverkansmodell "
        "för offentliga aktörer. De utvecklade modellen via samråd och referensgrupper."
    )
    q = "Hur utvecklades modellen, via samråd och referensgrupper?"
    ans = answer(response(q, [make_hit(1, text)]), fake_embedder)
    assert ans.sentences[0].text == (
        "Myndigheten för ungdoms- och civilsamhällesfrågor: "
        "De utvecklade modellen via samråd och referensgrupper."
    )
    # when what is asked is in the sentence pointed back to, it is shown first, as written
    q = "Vad berättar myndigheten om en samverkansmodell för offentliga aktörer?"
    ans = answer(response(q, [make_hit(1, text)]), fake_embedder)
    assert ans.sentences[0].text.startswith(
        "Myndigheten för ungdoms- och civilsamhällesfrågor berättar"
    )
    # no name to put first ("Utifrån statistik …"): shown as written
    plain = (
        "Utifrån statistik skapades hushåll. De utvecklade modellen via samråd och referensgrupper."
    )
    q = "Hur utvecklades modellen, via samråd och referensgrupper?"
    ans = answer(response(q, [make_hit(1, plain)]), fake_embedder)
    assert ans.sentences[0].text.startswith("Utifrån statistik")


def test_a_how_question_is_led_by_the_sentence_that_tells_it_in_other_words():
    """A "how" answered without "genom"/"med" ("Allmänheten möter kampanjer …") may lead:
    the means words only rank; the passage's opening sentence is no better answer."""
    text = (
        "Region Testland har ett program för hållbara resor. "
        "Allmänheten i länet möter kampanjer och nudging-åtgärder. "
        "Vi arbetar med allmänheten på flera sätt."
    )
    ans = answer(response("Hur når Region Testland allmänheten i länet?", [make_hit(1, text)]))
    assert ans.confident
    assert ans.sentences[0].text.startswith("Allmänheten i länet möter kampanjer")


def test_a_result_of_another_session_does_not_answer_what_came_of_this_one():
    """A checked question (what came of it) is answered from another session only by a
    sentence about its focus: one session's evaluation is not another's result."""
    hits = [
        make_hit(1, "Föreningar i länet var med från början.", session="Modell"),
        make_hit(2, "Resultatet visade att samverkan behöver bli tydligare.", session="Råd"),
    ]
    ans = answer(response("Vad har samverkansmodellen gett för resultat hittills?", hits))
    assert not ans.confident
    assert ans.message.startswith("Texterna säger inget om vad det har lett till")
    # the same sentence in the top hit's session answers
    hits[1] = make_hit(2, hits[1].passage.text, session="Modell")
    assert answer(
        response("Vad har samverkansmodellen gett för resultat hittills?", hits)
    ).confident


def test_a_number_the_question_gives_is_no_answer():
    """ "Hur många av de 400 organisationerna …?" asks another number than the 400 it
    gives; a sentence with only that one does not answer it, one with another does."""
    from confsearch.answers.sentences import holds_item
    from confsearch.retrieval.stated import without_given_numbers

    q = analyse("Hur många av de 400 organisationerna finansieras av Vinnova?")
    assert q.asks == "number"
    assert not holds_item(q, "Det finns över 400 organisationer som hjälper företag.")
    assert holds_item(q, "Av dem finansieras 35 organisationer av Vinnova.")
    assert (
        without_given_numbers("Hur många?", "över 400 organisationer") == "över 400 organisationer"
    )
    assert (
        without_given_numbers("Var 1 000 med?", "Det var 1 000, inte 1 200.")
        == "Det var  , inte 1 200."
    )
