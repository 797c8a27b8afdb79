"""One citation everywhere: "Lärpass · Region · Talare — Dokument (Arrangör, år)"."""

from __future__ import annotations

from confsearch.answers.citation import Source, cite, describe_collection, sources, unknown_source
from confsearch.retrieval.store import DocumentInfo

REGLAB = Source(
    title="Följ med till några av lärpassen på årskonferensen 2022",
    organiser="Reglab",
    event="Reglabs årskonferens 2022",
    date="9–10 februari 2022",
    year=2022,
)


def test_cite_has_every_known_part_in_order():
    assert cite(
        "Rena resor är rena vinsten",
        ["Region Örebro län"],
        ["Mirja Mattsson", "Katja Hagström"],
        REGLAB,
    ) == (
        "Rena resor är rena vinsten · Region Örebro län · Mirja Mattsson, Katja Hagström — "
        "Följ med till några av lärpassen på årskonferensen 2022 (Reglab, 2022)"
    )


def test_unknown_parts_are_left_out_never_guessed():
    assert cite("Lärpass", [], [], Source("Dok")) == "Lärpass — Dok"
    assert cite("", [], [], unknown_source("corpus/x.txt")) == "corpus/x.txt"
    assert Source("Dok", date="mars 2019").label() == "Dok (mars 2019)"
    assert Source("Dok", organiser="SKR").label() == "Dok (SKR)"


def test_reference_names_the_event_and_date():
    assert REGLAB.reference() == (
        "Följ med till några av lärpassen på årskonferensen 2022. "
        "Reglabs årskonferens 2022, 9–10 februari 2022. Arrangör: Reglab."
    )
    same = Source("Reglabs årskonferens 2022 – lärpass", event="Reglabs årskonferens 2022")
    assert same.reference() == "Reglabs årskonferens 2022 – lärpass."


def test_sources_from_the_manifest_and_the_collection():
    docs = [
        DocumentInfo(
            "a",
            "Lärpass",
            "corpus/a.txt",
            (),
            {"organiser": "Reglab", "event": "Reglabs årskonferens 2022", "year": 2022},
        ),
        DocumentInfo("b", "", "corpus/b.md", (), {}),
        DocumentInfo("c", "Seminarium", "corpus/c.txt", (), {"organiser": "SKR"}),
    ]
    by_id = sources(docs)
    assert by_id["a"].label() == "Lärpass (Reglab, 2022)"
    assert by_id["b"].title == "corpus/b.md"  # a document without a title: its file
    assert describe_collection(by_id.values()) == "Reglabs årskonferens 2022 och Seminarium (SKR)"
    assert describe_collection([by_id["b"]]) == ""
