"""The page's cards and tables as pure functions: escaped, complete, Swedish."""

from __future__ import annotations

from types import SimpleNamespace

from confsearch import cards
from confsearch.store import DocumentInfo

# ---------------------------------------------------------------- corpus summary


def _p(doc, session, regions):
    return SimpleNamespace(doc_id=doc, session=session, regions=tuple(regions))


def test_corpus_summary_counts_passages_per_document_and_session():
    index = SimpleNamespace(
        passages=[
            _p("a", "S1", ["Region X"]),
            _p("a", "S1", ["Region X", "Vinnova"]),
            _p("a", "S2", []),
            _p("b", "T", ["Region Y"]),
        ],
        manifest=SimpleNamespace(
            documents=[
                DocumentInfo("a", "Dok A", "corpus/a.txt", ("S1", "S2")),
                DocumentInfo("b", "", "corpus/b.md", ("T",)),
            ]
        ),
    )
    s = cards.corpus_summary(index)
    assert s.passages == 4
    assert s.documents == [
        {"Dokument": "Dok A", "Fil": "corpus/a.txt", "Lärpass": 2, "Stycken": 3},
        {"Dokument": "b", "Fil": "corpus/b.md", "Lärpass": 1, "Stycken": 1},
    ]
    assert s.sessions[0] == {
        "Lärpass": "S1",
        "Region/organisation": "Region X, Vinnova",
        "Stycken": 2,
        "Dokument": "Dok A",
    }
    assert cards.session_regions(index)["S1"] == ["Region X", "Vinnova"]
    assert cards.document_titles(index) == {"a": "Dok A", "b": "b"}


def _hit(text="<script>x</script> Vi har cykelbibliotek.", **kw):
    passage = SimpleNamespace(
        text=text,
        session=kw.get("session", "Rena *resor*"),
        regions=kw.get("regions", ("Region Örebro län",)),
        speakers=kw.get("speakers", ("Mirja <b>Mattsson</b>",)),
        source="corpus/a.txt",
        doc_id="a",
    )
    return SimpleNamespace(rank=1, passage=passage, matched_terms=["<cykel>"])


def test_hit_card_escapes_every_field():
    html = cards.hit_card(_hit(), "fråga", [(19, 41)], "Relevant", "Dok <i>")
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html and "*" not in html
    assert "<mark>" in html and 'id="traff-1"' in html
    assert "Matchade på orden: «&#60;cykel&#62;»" in html
    assert "Region Örebro län" in html and "Talare:" in html


def test_cards_say_when_something_is_missing():
    html = cards.hit_card(_hit(session="", regions=(), speakers=()), "f", [], "Svag träff")
    assert "Utan lärpass" in html and "Ingen region angiven" in html and "Talare" not in html
    region = SimpleNamespace(region="Region X", passages=1, sessions=["S"], best=_hit())
    assert "1 stycke ·" in cards.region_card(1, region, [])
