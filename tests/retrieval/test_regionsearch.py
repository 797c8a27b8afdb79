"""The regions overview's rule (confsearch.retrieval.regionsearch) on hand-made hits: what a
"which region" question is answered with."""

from __future__ import annotations

from confsearch.reading.documents import Passage
from confsearch.retrieval.hits import Hit, SearchResponse
from confsearch.retrieval.regionsearch import regions_of


def hit(rank: int, score: float, session: str, *regions: str) -> Hit:
    passage = Passage(
        id=f"p{rank}",
        doc_id="d",
        text=f"Text om {session}.",
        session=session,
        regions=regions,
        speakers=(),
        source="d.md",
        start=0,
        end=1,
    )
    return Hit(rank, score, passage, dense=0.9, lexical=1.0, matched_terms=["forum"])


def names(query: str, hits: list[Hit]) -> list[str]:
    return [r.region for r in regions_of(SearchResponse(query, hits, confident=True))]


HITS = [
    hit(1, 1.00, "Forum över sektorsgränser", "Region Örebro län"),
    hit(2, 0.95, "Designmetod för hållbarhet", "Region Sörmland"),
    hit(3, 0.90, "Projektkyrkogårdar", "Vinnova"),
]


def test_one_region_asked_is_answered_from_the_best_session_only():
    assert names("Vilken region arbetar med forum?", HITS) == ["Region Örebro län"]
    assert names("Which county works with forums?", HITS) == ["Region Örebro län"]
    # several asked: the strong hits of other sessions answer too
    assert names("Vilka regioner arbetar med forum?", HITS) == [
        "Region Örebro län",
        "Region Sörmland",
    ]


def test_a_count_asked_caps_the_list():
    assert names("Vilka två aktörer arbetar med forum?", HITS) == [
        "Region Örebro län",
        "Region Sörmland",
    ]
    assert len(names("Vilka aktörer arbetar med forum?", HITS)) == 3


def test_regions_asked_are_regions_not_agencies():
    agency_first = [HITS[2], HITS[0], HITS[1]]
    assert names("Vilken region arbetar med forum?", agency_first) == [
        "Region Örebro län",
        "Region Sörmland",
    ]
    assert "Vinnova" in names("Vilka aktörer arbetar med forum?", agency_first)


def test_the_organisation_the_question_names_is_no_answer():
    both = [hit(1, 1.0, "Det nya Norrland", "Region Norrbotten", "Region Västerbotten")]
    assert names("Vilken region samarbetar Region Norrbotten med?", both) == ["Region Västerbotten"]
    # unless nothing else is found
    alone = [hit(1, 1.0, "Det nya Norrland", "Region Norrbotten")]
    assert names("Vilken region samarbetar Region Norrbotten med?", alone) == ["Region Norrbotten"]
