"""Regioner credits the organisations acting in a session – a municipality's or a
university's speakers – as written, never the region of the town the session is held in
(issue 23, "What to build" 3 and 5). Invented programme, fake embedder."""

from __future__ import annotations

from dataclasses import replace

import pytest

from confsearch.reading.corpus import read_corpus
from confsearch.reading.evidence import evidence, org_key
from confsearch.retrieval.confidence import ConfidenceModel
from confsearch.retrieval.index import build_index, load_index
from confsearch.retrieval.search import FusionConfig, Searcher
from tests.conftest import FakeEmbedder

VENUE = "Region Jönköpings län"
HOUSING = "hyresrätter trångboddhet unga vuxna"
SOLAR = "solcellsparker lantgårdar el"

PROGRAMME = """Landsbygdsdagarna 2024

Pass 1: Ungas boende i förorten
Talare: Sara Lindqvist, bostadsstrateg, Botkyrka kommun
Passet hålls i Jönköping, Jönköpings län. Sara Lindqvist berättar hur kommunen arbetar \
med hyresrätter och trångboddhet för unga vuxna som vill flytta hemifrån.

Bostadsbristen slår hårdast mot unga vuxna. Kommunen bygger nya hyresrätter nära \
pendeltåget, och trångboddheten i förorten har minskat något sedan förra året, men \
köerna till hyresrätter är fortfarande flera år långa för den som är under trettio.

Pass 2: Forskning om solceller på lantgårdar
Talare: Johan Ek, docent i energisystem, Högskolan i Gävle
Passet hålls i Jönköping, Jönköpings län. Johan Ek presenterar mätningar av \
solcellsparker på lantgårdar och hur bönder kan sälja el till grannar och företag.

Solcellsparker på lantgårdar gav mer el än väntat under vintern. Bönderna sålde \
överskottet av el till en lokal elhandlare, och flera lantgårdar vill nu bygga fler \
solcellsparker på mark som inte längre odlas.
"""


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("acting")
    (root / "corpus").mkdir()
    (root / "corpus" / "landsbygdsdagarna.txt").write_text(PROGRAMME, encoding="utf-8")
    return root / "corpus"


@pytest.fixture(scope="module")
def searcher(corpus_dir):
    emb = FakeEmbedder()
    build_index(corpus_dir, corpus_dir.parent / "index", emb)
    config = FusionConfig(confidence=ConfidenceModel.always())
    return Searcher(load_index(corpus_dir.parent / "index", emb), emb, config)


def _sessions(corpus_dir):
    result = read_corpus(corpus_dir)
    return {s.title: s for d in result.documents for s in d.sessions}


def test_the_reader_sees_the_venue_beside_the_acting_organisation(corpus_dir):
    # the premise: the gazetteer files each session under the venue's region too
    sessions = _sessions(corpus_dir)
    housing = sessions["Ungas boende i förorten"]
    solar = sessions["Forskning om solceller på lantgårdar"]
    assert housing.organisations == ("Botkyrka kommun",)
    assert solar.organisations == ("Högskolan i Gävle",)
    assert VENUE in housing.regions and VENUE in solar.regions


def test_no_passage_is_evidence_for_the_venue(corpus_dir):
    result = read_corpus(corpus_dir)
    acting = {"Ungas boende i förorten": "Botkyrka kommun"}
    acting["Forskning om solceller på lantgårdar"] = "Högskolan i Gävle"
    passages = [p for p in result.passages if p.session in acting]
    assert len(passages) >= 2
    for p in passages:
        record = p.metadata["evidence"]
        assert record["default"] == [acting[p.session]]
        credited = {o for _, _, found in record["sentences"] for o in found}
        assert credited <= {acting[p.session]}


@pytest.mark.parametrize(
    ("query", "actor", "other"),
    [
        (HOUSING, "Botkyrka kommun", "Högskolan i Gävle"),
        (SOLAR, "Högskolan i Gävle", "Botkyrka kommun"),
    ],
)
def test_regions_names_the_acting_organisation_never_the_venue(searcher, query, actor, other):
    names = [r.region for r in searcher.regions(query)]
    assert names and names[0] == actor
    assert VENUE not in names and other not in names


def test_a_gazetteer_presenter_keeps_the_gazetteer_rules(corpus_dir):
    # a session where a gazetteer organisation acts is read as before: the region it
    # names beside its presenter still counts (as in the seed's "Det nya Norrland?")
    session = _sessions(corpus_dir)["Ungas boende i förorten"]
    both = replace(
        session,
        regions=("Region Norrbotten", "Region Västerbotten"),
        organisations=("Region Norrbotten",),
        speakers=(),
    )
    record = evidence(both, "Bakgrund om arbetsmarknaden i norr.")
    assert record["default"] == ["Region Norrbotten", "Region Västerbotten"]


def test_one_organisation_however_written():
    assert org_key("SKL") == org_key("Sveriges Kommuner och Landsting")
    assert org_key("SKL") != org_key("SKR")
    assert org_key("Region Västerbotten") == "Region Västerbotten"
