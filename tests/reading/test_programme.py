"""Reading programmes in any layout: items, breaks, labels, metadata, speakers,
organisations, PDF fonts, tables, sidecar sessions and passage-level evidence."""

from __future__ import annotations

import json
from pathlib import Path

from confsearch.reading import proglines
from confsearch.reading.corpus import read_corpus
from confsearch.reading.doclisting import describe
from confsearch.reading.evidence import for_hit
from tests.conftest import REAL_CORPUS
from tests.pdfs import assemble_pdf, pdf_literal
from tests.reading.test_corpus import read_one as read_one_file

PROGRAMME = """Framtidsdagen 2018

Arrangör: Region Kronoberg
Datum: 12 april 2018
Plats: Kulturhuset, Växjö

Innehåll

08.30–09.00 Registrering och kaffe

09.00–09.45 Nya jobb i skogslänet
Moderator: Per Ek, Senioranalytiker, Sydsvenska Handelskammaren
Medverkande: Lena Holm, Ljungby kommun; Karl Ström, GD Svenska ESF-rådet

Samtalet handlar om hur länet kan ta tillvara de nya jobben i skogsnäringen.

10.00–10.45 Pass 2: Cirkulär ekonomi
• Eva Lind, analytiker, Tillväxtanalys
• Olof Berg och Isak Karlsson, Borås Stad

11.45–13.00 Lunch med utställningar och möten

Anmälan

Anmäl dig senast den 1 april via webbplatsen. Konferensen är kostnadsfri.
"""


def read_one(tmp_path: Path, name: str, content: str | bytes):
    """The one document's description (and the whole reading) of a corpus of one file."""
    result = read_one_file(tmp_path, name, content)
    (doc,) = describe(result)
    return doc, result


def test_line_forms_of_a_programme():
    item = proglines.timetable("Kl. 9.15 – 10.00 Seminariepass A: Grön omställning")
    assert (item.time, item.label, item.title) == (
        "9.15–10.00",
        "Seminariepass A",
        "Grön omställning",
    )
    assert proglines.numbered("1:2 Unga som medskapare").label == "1:2"
    assert proglines.numbered("2 a) Säsongsförlängning").label == "2 a)"
    assert not proglines.is_break("Mat från trakten")
    assert proglines.is_break("Lunch med utställningar och möten")
    assert proglines.is_break("Incheckning med frukost")
    assert not proglines.is_break("Lunchföreläsning om mat")
    assert proglines.is_page_label("Innehåll") and proglines.is_page_label("Målgrupp")
    assert proglines.is_reference("AKTNR 3329-18985")
    assert proglines.metadata_line("Arrangör: Reglab") == ("Arrangör", "Reglab")
    # an hour range before a month is a date
    assert proglines.timetable("14–15 november 2023, Stockholm") is None


def test_speaker_lines_of_every_common_form():
    (mod,) = proglines.speaker_line(
        "Moderator: Fredrik Ek, Senioranalytiker, Stockholms Handelskammare"
    )
    assert (mod.name, mod.role, mod.organisation, mod.part) == (
        "Fredrik Ek",
        "Senioranalytiker",
        "Stockholms Handelskammare",
        "moderator",
    )
    a, b = proglines.speaker_line("Anna Berg, SKL; Per Ek, vd, Kiruna Guideturer")
    assert (a.organisation, b.role, b.organisation) == ("SKL", "vd", "Kiruna Guideturer")
    (gd,) = proglines.speaker_line("Lena Holm, GD Svenska ESF-rådet")
    assert (gd.role, gd.organisation) == ("GD", "Svenska ESF-rådet")
    (stad,) = proglines.speaker_line("Lena Holm, Borås Stad")  # Borås Stad is no person
    assert stad.organisation == "Borås Stad"
    both = proglines.speaker_line("Olof Berg och Isak Karlsson, Tillväxtverket")
    assert [p.organisation for p in both] == ["Tillväxtverket", "Tillväxtverket"]
    loose = proglines.speaker_line(
        "Medverkande: Ulla Holm, SKL, samtalar med Gunnar Ek, Örebro universitet."
    )
    assert [(p.name, p.organisation) for p in loose] == [
        ("Ulla Holm", "SKL"),
        ("Gunnar Ek", "Örebro universitet"),
    ]


def test_a_plain_text_programme_is_read_into_its_items(tmp_path):
    doc, result = read_one(tmp_path, "program.txt", PROGRAMME)
    assert doc["title"] == "Framtidsdagen 2018"
    assert doc["organiser"] == "Region Kronoberg" and doc["year"] == 2018
    sessions = doc["sessions"]
    assert [(s["time"], s["label"], s["title"]) for s in sessions] == [
        ("09.00–09.45", None, "Nya jobb i skogslänet"),
        ("10.00–10.45", "Pass 2", "Cirkulär ekonomi"),
    ]
    first, second = sessions
    assert [(p["name"], p["part"], p["organisation"]) for p in first["speakers"]] == [
        ("Per Ek", "moderator", "Sydsvenska Handelskammaren"),
        ("Lena Holm", None, "Ljungby kommun"),
        ("Karl Ström", None, "Svenska ESF-rådet"),
    ]
    assert second["organisations"] == ["Tillväxtanalys", "Borås Stad"]
    assert set(doc["acting_organisations"]) >= {"Region Kronoberg", "Tillväxtanalys"}
    # metadata lines, breaks and page labels are never in a passage or a session
    for p in result.passages:
        assert "Arrangör:" not in p.text and "Datum:" not in p.text
        assert "Lunch med utställningar" not in p.text
    assert any("kostnadsfri" in p.text for p in result.passages)  # still searchable


def test_organiser_and_year_from_running_text(tmp_path):
    text = (
        "Landsbygd i tillväxt\n\n"
        "Konferensen arrangeras av Länsstyrelsen i Västmanlands län i samarbete med "
        "LRF Mälardalen, den 25–26 mars 2015 i Västerås.\n\n"
        "Lokal mat som tillväxtmotor\n\n"
        "Karin Ek och Olle Sten, LRF Mälardalen, berättar om lokalproducerad mat.\n"
    )
    doc, _ = read_one(tmp_path, "konf.txt", text)
    assert doc["organiser"] == "Länsstyrelsen i Västmanlands län"
    assert doc["year"] == 2015 and doc["date"] == "25–26 mars 2015"
    assert "LRF Mälardalen" in doc["acting_organisations"]


def test_markdown_table_programme(tmp_path):
    text = (
        "# Innovationsdag 2024\n\nArrangör: Region Halland\n\n## Program\n\n"
        "| Tid | Programpunkt | Medverkande |\n|---|---|---|\n"
        "| 09.00–09.30 | Registrering | |\n"
        "| 09.30–10.15 | AI i små företag | Anna Berg, forskare, Högskolan i Halmstad |\n"
        "| 10.15–11.00 | Seminarium A: Upphandling | Per Ek, Upphandlingsmyndigheten |\n"
    )
    doc, _ = read_one(tmp_path, "dag.md", text)
    assert [(s["label"], s["title"]) for s in doc["sessions"]] == [
        (None, "AI i små företag"),
        ("Seminarium A", "Upphandling"),
    ]
    assert doc["sessions"][1]["speakers"][0]["organisation"] == "Upphandlingsmyndigheten"


def font_pdf(lines: list[tuple[int, bool, str]]) -> bytes:
    """A one-page PDF: (size, bold, text) per line, Helvetica and Helvetica-Bold."""

    y, content = 800, b""
    for size, bold, text in lines:
        font = b"F2" if bold else b"F1"
        content += b"BT /%s %d Tf 60 %d Td (" % (font, size, y) + pdf_literal(text) + b") Tj ET\n"
        y -= size + 10
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << "
        b"/F1 3 0 R /F2 4 0 R >> >> /Contents 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    return assemble_pdf(objects)


def test_pdf_sessions_set_as_larger_bold_headings(tmp_path):
    pdf = font_pdf(
        [
            (18, True, "Besöksnäringens dag 2021"),
            (10, False, "Arrangör: Region Jämtland Härjedalen"),
            (10, False, "Datum: 3 mars 2021"),
            (13, True, "Hållbara resor i fjällen"),
            (10, False, "Hur kan fler resa kollektivt till fjällen? Erfarenheter från två"),
            (10, False, "destinationer som har provat nya lösningar under vintern."),
            (13, True, "Mat från trakten"),
            (10, False, "Lokala producenter berättar om hur restaurangerna kan köpa mer mat"),
            (10, False, "direkt från gårdarna i länet och vad som behövs för det."),
        ]
    )
    doc, result = read_one(tmp_path, "program.pdf", pdf)
    assert doc["title"] == "Besöksnäringens dag 2021"
    assert [s["title"] for s in doc["sessions"]] == ["Hållbara resor i fjällen", "Mat från trakten"]
    assert doc["organiser"] == "Region Jämtland Härjedalen" and doc["year"] == 2021
    assert not any("Arrangör" in p.text or "Datum" in p.text for p in result.passages)


def test_a_sidecar_listing_sessions_wins(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "program.txt").write_text(PROGRAMME, encoding="utf-8")
    sidecar = {
        "sessions": [
            {
                "title": "Cirkulär ekonomi",
                "label": "Pass B",
                "speakers": [{"name": "Eva Lind", "role": "moderator", "organisation": "SKR"}],
            },
            {"title": "Ett pass utan text", "time": "14.00"},
        ]
    }
    (corpus / "program.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    result = read_corpus(corpus)
    (doc,) = describe(result)
    assert [(s["title"], s["label"]) for s in doc["sessions"]] == [
        ("Cirkulär ekonomi", "Pass B"),
        ("Ett pass utan text", None),
    ]
    (person,) = doc["sessions"][0]["speakers"]
    assert (person["name"], person["part"], person["organisation"]) == (
        "Eva Lind",
        "moderator",
        "SKR",
    )
    # the text the sidecar does not list is still searchable
    assert any("skogsnäringen" in p.text for p in result.passages)


def test_a_passage_is_evidence_only_for_what_it_shows():
    result = read_corpus(REAL_CORPUS)
    norrland = [p for p in result.passages if p.session == "Det nya Norrland?"]
    # the session is filed under both regions, as before ...
    assert all(p.regions == ("Region Norrbotten", "Region Västerbotten") for p in norrland)
    # ... but Region Norrbotten's quote on kompetensförsörjning is its evidence alone
    (quote,) = [p for p in norrland if "kompetensförsörjningen" in p.text]
    assert "Region Västerbotten" in quote.text
    record = quote.metadata["evidence"]
    assert for_hit(record, quote.text, ["kompetensförsörjning"]) == ["Region Norrbotten"]
    # the sentence on who cooperates is evidence for both
    assert for_hit(record, quote.text, ["samarbetar"]) == [
        "Region Norrbotten",
        "Region Västerbotten",
    ]


FACT_BOX_PAGE = """<html><head><title>Webbinarium | Exempel</title></head><body>
<nav><a href="/">Start</a></nav>
<h1>Digital välfärd 2020</h1>
<dl><dt>Datum</dt><dd>10 juni 2020</dd><dt>Tid</dt><dd>09.00–12.00</dd>
<dt>Arrangör</dt><dd>Region Örebro län</dd></dl>
<h2>Program</h2>
<dl>
<dt>09.00–09.45</dt><dd><b>Digitala vårdmöten i glesbygd</b><br>
Talare: Anna Berg, utvecklingsledare, Region Örebro län</dd>
<dt>09.45–10.00</dt><dd><b>Paus</b></dd>
<dt>10.00–11.00</dt><dd><b>Panel: Vem bär kostnaden?</b><br>
Panel: Per Ek, SKR; Eva Lind, Lekebergs kommun<br>Moderator: Karin Holm, Örebro universitet</dd>
</dl></body></html>"""


def test_html_fact_box_and_definition_list_programme(tmp_path):
    doc, result = read_one(tmp_path, "webbinarium.html", FACT_BOX_PAGE)
    assert doc["title"] == "Digital välfärd 2020"
    assert doc["organiser"] == "Region Örebro län" and doc["year"] == 2020
    assert [(s["time"], s["title"]) for s in doc["sessions"]] == [
        ("09.00–09.45", "Digitala vårdmöten i glesbygd"),
        ("10.00–11.00", "Panel: Vem bär kostnaden?"),
    ]
    panel = doc["sessions"][1]["speakers"]
    assert [(p["name"], p["part"]) for p in panel] == [
        ("Per Ek", "panel"),
        ("Eva Lind", "panel"),
        ("Karin Holm", "moderator"),
    ]
    assert not any("Arrangör" in p.text for p in result.passages)


def test_pdf_time_line_under_a_session_heading_is_its_time(tmp_path):
    pdf = font_pdf(
        [
            (18, True, "Besöksnäringens dag 2022"),
            (13, True, "Hållbara resor i fjällen"),
            (10, False, "Kl. 10.00–11.00"),
            (10, False, "• Anna Berg, vd, Visit Jämtland"),
            (10, False, "Kaffe 11.00–11.30"),
            (13, True, "Mat från trakten"),
            (10, False, "Kl. 11.30–12.15"),
            (10, False, "• Per Ek, kock, Jamtli"),
        ]
    )
    doc, _ = read_one(tmp_path, "dag.pdf", pdf)
    assert [(s["time"], s["title"]) for s in doc["sessions"]] == [
        ("10.00–11.00", "Hållbara resor i fjällen"),
        ("11.30–12.15", "Mat från trakten"),
    ]
    assert doc["sessions"][0]["speakers"][0]["organisation"] == "Visit Jämtland"


def test_a_news_item_about_one_seminar_is_one_session_named_as_quoted(tmp_path):
    text = (
        "Fler unga vill bo kvar på landsbygden\n\n"
        "Publicerad 3 juni 2021\n\n"
        "På seminariet ”Unga röster om framtiden” under Landsbygdsdagarna berättade "
        "Sara Ek, ungdomsstrateg i Ljusdals kommun, om kommunens nya ungdomsråd.\n\n"
        "Rådet har funnits i ett år\n\n"
        "- Vi ser att de unga vill vara med och bestämma, säger Sara Ek.\n"
    )
    doc, _ = read_one(tmp_path, "nyhet.txt", text)
    assert doc["title"] == "Fler unga vill bo kvar på landsbygden"
    (session,) = doc["sessions"]
    assert session["title"] == "Unga röster om framtiden"
    assert [(p["name"], p["organisation"]) for p in session["speakers"]] == [
        ("Sara Ek", "Ljusdals kommun")
    ]
    assert doc["year"] == 2021


def test_the_corpus_listing_of_an_index_names_only_real_sessions(tmp_path):
    from confsearch.retrieval.index import build_index, load_index
    from tests.conftest import FakeEmbedder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "program.txt").write_text(PROGRAMME, encoding="utf-8")
    build_index(corpus, tmp_path / "index", FakeEmbedder())
    (info,) = load_index(tmp_path / "index").manifest.documents
    assert info.sessions == ("Nya jobb i skogslänet", "Cirkulär ekonomi")
    assert info.metadata["organiser"] == "Region Kronoberg" and info.metadata["year"] == 2018
