"""The page's cards and tables as pure functions: escaped, complete, Swedish."""

from __future__ import annotations

import html as html_module
import re
from types import SimpleNamespace

from confsearch.answers.citation import Source, unknown_source
from confsearch.retrieval.store import DocumentInfo
from confsearch.web import cards

# ---------------------------------------------------------------- corpus summary


def _p(doc, session, regions):
    return SimpleNamespace(doc_id=doc, session=session, regions=tuple(regions))


def _summary_index(passages, documents):
    """Just what ``corpus_summary`` reads of an index: its passages and manifest documents."""
    return SimpleNamespace(passages=passages, manifest=SimpleNamespace(documents=documents))


def test_corpus_summary_counts_passages_per_document_and_session():
    index = _summary_index(
        [
            _p("a", "S1", ["Region X"]),
            _p("a", "S1", ["Region X", "Vinnova"]),
            _p("a", "S2", []),
            _p("b", "T", ["Region Y"]),
        ],
        [
            DocumentInfo(
                "a",
                "Dok A",
                "corpus/a.txt",
                ("S1", "S2"),
                {"organiser": "Reglab", "year": 2022, "url": "https://www.reglab.se/"},
            ),
            DocumentInfo("b", "", "corpus/b.md", ("T",)),
        ],
    )
    s = cards.corpus_summary(index)
    assert s.passages == 4
    assert s.documents == [
        {
            "Dokument": "Dok A",
            "Arrangör": "Reglab",
            "Evenemang": "",
            "Datum": "2022",
            "Fil": "corpus/a.txt",
            "Lärpass": 2,
            "Stycken": 3,
        },
        {
            "Dokument": "b",
            "Arrangör": "",
            "Evenemang": "",
            "Datum": "",
            "Fil": "corpus/b.md",
            "Lärpass": 1,
            "Stycken": 1,
        },
    ]
    assert s.links == ["https://www.reglab.se/", ""]
    assert s.sessions[0] == {
        "Lärpass": "S1",
        "Region/organisation": "Region X, Vinnova",
        "Stycken": 2,
        "Dokument": "Dok A",
    }
    assert cards.session_regions(index)["S1"] == ["Region X", "Vinnova"]
    table = cards.table_html(s.documents, "Dokument", s.links)
    hrefs = re.findall(r'<a href="([^"]+)" target="_blank"', table)
    assert [html_module.unescape(h) for h in hrefs] == ["https://www.reglab.se/"]
    assert "<caption>Dokument</caption>" in table and '<td class="ks-num">3</td>' in table


def _hit(text="<script>x</script> Vi har cykelbibliotek.", **kw):
    passage = SimpleNamespace(
        text=text,
        session=kw.get("session", "Rena *resor*"),
        regions=kw.get("regions", ("Region Örebro län",)),
        speakers=kw.get("speakers", ("Mirja <b>Mattsson</b>",)),
        source="corpus/a.txt",
        doc_id="a",
    )
    return SimpleNamespace(
        rank=1, passage=passage, matched_terms=["<cykel>"], matched_forms=["<cykel>"]
    )


SOURCE = Source("Dok <i>", "Reglab", year=2022, url="https://www.reglab.se/x?a=1&b=2")


def test_hit_card_escapes_every_field():
    html = cards.hit_card(_hit(), "fråga", [(19, 41)], "Relevant", SOURCE)
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html and "*" not in html
    assert "<mark>" in html and 'id="traff-1"' in html
    assert "Matchade på orden: «&#60;cykel&#62;»" in html
    assert "Region Örebro län" in html and "Talare:" in html


def test_hit_card_cites_lärpass_region_speakers_and_document_with_a_link():
    html = cards.hit_card(_hit(text="Vi har cykelbibliotek."), "f", [], "Relevant", SOURCE)
    source = re.search(r'<div class="ks-meta ks-source"[^>]*>(.*?)</div>', html).group(1)
    link = re.search(r'<a href="([^"]+)" target="_blank" rel="noopener noreferrer">', source)
    assert html_module.unescape(link.group(1)) == "https://www.reglab.se/x?a=1&b=2"
    visible = html_module.unescape(re.sub(r"<[^>]+>", "", source))
    assert visible == (
        "Källa: Rena *resor* · Region Örebro län · Mirja <b>Mattsson</b> — Dok <i> (Reglab, 2022)"
    )


def test_cards_say_when_something_is_missing():
    html = cards.hit_card(
        _hit(session="", regions=(), speakers=()), "f", [], "Svag träff", unknown_source("a.txt")
    )
    assert "Utan lärpass" in html and "Ingen region angiven" in html and "Talare" not in html
    region = SimpleNamespace(region="Region X", passages=1, sessions=["S"], best=_hit())
    assert "1 stycke ·" in cards.region_card(1, region, [], SOURCE)


def test_region_bars_keep_full_names_and_scale_to_the_first():
    long = "Myndigheten för ungdoms- och civilsamhällesfrågor"
    results = [
        SimpleNamespace(region="Region <X>", score=0.8, passages=3, sessions=["A", "B"]),
        SimpleNamespace(region=long, score=0.4, passages=1, sessions=["C"]),
    ]
    html = cards.region_bars(results)
    assert long in html and "&#60;X&#62;" in html and "<X>" not in html
    assert re.findall(r"width: (\d+)%", html) == ["100", "50"]
    assert "3 stycken · 2 lärpass" in html and "1 stycke · 1 lärpass" in html
    assert cards.region_bars([]) == ""
    # tagged with the question as the cards are, whatever the question holds
    from confsearch.markup import query_tag

    question = 'cykelns "bibliotek" <b>'
    tagged = cards.region_bars(results, question)
    assert f'data-fraga="{query_tag(question)}"' in tagged and "<b>" not in tagged


def test_a_whole_lärpass_is_escaped_in_text_order_with_the_hit_marked():
    index = SimpleNamespace(
        passages=[
            SimpleNamespace(id="b", doc_id="d", session="S", start=50, end=90, text="Andra <b>"),
            SimpleNamespace(id="x", doc_id="d", session="T", start=0, end=40, text="Annat pass"),
            SimpleNamespace(id="a", doc_id="d", session="S", start=0, end=40, text="Första"),
        ]
    )
    whole = cards.session_passages(index, index.passages[0])
    assert [q.id for q in whole] == ["a", "b"]
    html = cards.session_text_html(whole, "b")
    assert html.index("Första") < html.index("Andra") and "<b>" not in html
    assert '<p class="ks-current" aria-current="true">Andra &#60;b&#62;</p>' in html


def test_corpus_summary_shows_the_organisations_the_reader_saw_acting():
    """Issue 23: a session's acting organisations as the reader found them (a university
    outside the region register, not the region of the venue), else its passages' regions."""
    index = _summary_index(
        [_p("a", "S1", ["Region Gävleborg"]), _p("a", "S2", ["Region Y"])],
        [
            DocumentInfo(
                "a",
                "Dok A",
                "corpus/a.txt",
                ("S1", "S2"),
                session_organisations=(("Högskolan i Gävle", "Sandvikens kommun"), ()),
            )
        ],
    )
    rows = cards.corpus_summary(index).sessions
    assert rows[0]["Region/organisation"] == "Högskolan i Gävle, Sandvikens kommun"
    assert rows[1]["Region/organisation"] == "Region Y"
