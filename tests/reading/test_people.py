"""Speakers and organisations in the lärpass-listing layout: a title line, a description
paragraph, then "Name, Organisation och Name, Organisation" (tests/data/listing/)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from confsearch.reading.corpus import read_corpus
from confsearch.reading.documents import Person
from confsearch.reading.people import presenter_line, presenting_organisations

LISTING = Path(__file__).parents[1] / "data" / "listing" / "larpass-2019.txt"

# Every lärpass of the listing: its presenting organisations (gazetteer entries by their
# canonical name, anything else as written) and its speakers with organisation.
EXPECTED = {
    "Framtidsbilder för norra Sverige": (
        ("Region Norrbotten", "Luleå tekniska universitet"),
        (
            Person("Per Erik Andersson", None, "Region Norrbotten"),
            Person("Daniel Örtqvist", None, "Luleå tekniska universitet"),
        ),
    ),
    "Nordens regioner i siffror": (
        ("Nordregio",),
        (Person("Kjell Nilsson", "direktör", "Nordregio"),),
    ),
    "Regionernas roll i tillväxtarbetet": (
        ("Sveriges Kommuner och Regioner", "Region Västernorrland"),
        (
            Person("Lisbet Mellgren", None, "SKL"),
            Person("Susanne Sahlin", None, "Landstinget Västernorrland"),
        ),
    ),
    "Platsens betydelse för industrin": (
        ("Tillväxtverket", "Karlstads universitet"),
        (
            Person("Olof Berg", None, "Tillväxtverket"),
            Person("Maria Ljung", None, "Tillväxtverket"),
            Person("Isak Karlsson", None, "Tillväxtverket"),
            Person("Sara Lind", None, "Karlstads universitet"),
        ),
    ),
    "Kompetensförsörjning i samverkan": (
        ("Region Jämtland Härjedalen", "Mittuniversitetet"),
        (
            Person("Anna Holm", "utvecklingsledare", "Region Jämtland Härjedalen"),
            Person("Jonas Ek", None, "Mittuniversitetet"),
        ),
    ),
    "Smart specialisering i praktiken": (
        ("Vinnova", "Region Skåne"),
        (
            Person("Eva Strand", "analytiker", "Vinnova"),
            Person("Karin Berg", None, "Region Skåne"),
        ),
    ),
    "Att utvärdera regional tillväxtpolitik": (
        ("Myndigheten för tillväxtpolitiska utvärderingar och analyser",),
        (
            Person(
                "Johan Lund", None, "Myndigheten för tillväxtpolitiska utvärderingar och analyser"
            ),
        ),
    ),
    "Hållbar besöksnäring på öar": (
        ("Region Gotland", "Uppsala universitet"),
        (
            Person("Lena Nord", None, "Region Gotland"),
            Person("Peter Sand", None, "Uppsala universitet"),
        ),
    ),
}


def _blank_lines(text: str) -> str:
    """The same listing with every title, description and presenter line apart."""
    return "\n\n".join(line for line in text.splitlines() if line.strip()) + "\n"


def _html(text: str) -> str:
    """The same listing as a web page: <h1>, <h2> per lärpass, <p> per line."""
    blocks = [b.splitlines() for b in text.strip().split("\n\n")]
    out = [f"<html><head><title>{html.escape(blocks[0][0])}</title></head><body>"]
    out.append(f"<h1>{html.escape(blocks[0][0])}</h1>")
    for block in blocks[1:]:
        if block[0] in EXPECTED:
            out.append(f"<h2>{html.escape(block[0])}</h2>")
            block = block[1:]
        out += [f"<p>{html.escape(line)}</p>" for line in block]
    return "\n".join(out) + "</body></html>"


@pytest.mark.parametrize("layout", ["as written", "blank lines", "web page"])
def test_listing_layout_yields_every_speaker_with_organisation(tmp_path, layout):
    text = LISTING.read_text(encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    if layout == "as written":
        (corpus / LISTING.name).write_text(text, encoding="utf-8")
    elif layout == "blank lines":
        (corpus / LISTING.name).write_text(_blank_lines(text), encoding="utf-8")
    else:
        (corpus / "larpass-2019.html").write_text(_html(text), encoding="utf-8")
    result = read_corpus(corpus)
    assert not result.errors
    (doc,) = result.documents
    assert doc.title == "Lärpass på Reglabs årskonferens 2019"
    assert doc.metadata["organiser"] == "Reglab" and doc.metadata["year"] == 2019
    sessions = {s.title: s for s in doc.sessions if s.title != doc.title}
    assert list(sessions) == list(EXPECTED)
    for title, (organisations, speakers) in EXPECTED.items():
        session = sessions[title]
        assert session.speakers == speakers, title
        assert all(p.organisation for p in session.speakers), title
        # a presenting organisation for every session, the presenting ones first
        assert session.regions[: len(organisations)] == organisations, title
    # Passages carry the session's speakers and organisations.
    for p in result.passages:
        if p.session in EXPECTED:
            assert p.regions and p.speakers


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Per Erik Andersson, Region Norrbotten och Daniel Örtqvist, Luleå tekniska universitet",
            [("Per Erik Andersson", None, "Region Norrbotten"),
             ("Daniel Örtqvist", None, "Luleå tekniska universitet")],
        ),
        ("Kjell Nilsson, direktör Nordregio.", [("Kjell Nilsson", "direktör", "Nordregio")]),
        (
            "Medverkande: Johanna Mikaelsson och Per Johansson, Tillväxtverket",
            [("Johanna Mikaelsson", None, "Tillväxtverket"),
             ("Per Johansson", None, "Tillväxtverket")],
        ),
        (
            "Anna Berg, Sveriges Kommuner och Regioner",
            [("Anna Berg", None, "Sveriges Kommuner och Regioner")],
        ),
        ("Eva Ek, projektledare för Rena resan",
         [("Eva Ek", "projektledare för Rena resan", None)]),
        ("Eva Ek, chef på Region Skåne", [("Eva Ek", "chef", "Region Skåne")]),
    ],
)  # fmt: skip
def test_presenter_lines(line, expected):
    people = presenter_line(line)
    assert people is not None
    assert [(p.name, p.role, p.organisation) for p in people] == expected


@pytest.mark.parametrize(
    "line",
    [
        "Thomas Kvist, Region Västerbotten, berättar även att ordning och reda är en bra grund.",
        "Vem är den normativa företagaren vi finansierar, frågar Maria Lidberg och Maarit "
        "Nurkkala, Omställning Västmanland, Region Västmanland.",
        "Region Norrbotten och Region Västerbotten samarbetar för att hantera utmaningarna.",
        "Per Erik Andersson",  # a name without an organisation says too little
        "Framtidsbilder för norra Sverige",
        "Göran Andersson och Kjell Håkan Närfelt från Vinnova sa de ser bra organisationer.",
        "Anna Berg, Region Skåne: så gjorde vi",
    ],
)
def test_sentences_are_never_presenter_lines(line):
    assert presenter_line(line) is None


def test_presenting_organisations_use_the_gazetteer_and_keep_the_rest_as_written():
    paragraphs = [
        "Beskrivning av passet.",
        "Lisbet Mellgren, SKL och Susanne Sahlin, Landstinget Västernorrland\n"
        "Kjell Nilsson, direktör Nordregio",
    ]
    assert presenting_organisations(paragraphs) == [
        "Sveriges Kommuner och Regioner",
        "Region Västernorrland",
        "Nordregio",
    ]


def test_the_real_corpus_has_no_presenter_lines():
    from tests.conftest import REAL_CORPUS

    for p in read_corpus(REAL_CORPUS).passages:
        for line in p.text.splitlines():
            assert presenter_line(line) is None, line
    assert not re.search(r"\bSKL\b", (REAL_CORPUS / "arskonferens-2022-larpass.txt").read_text())
