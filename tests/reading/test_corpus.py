"""Reading the corpus: the real file's ten sessions, passage invariants, all formats and
the ways a file can be broken. Fast: no model, every fixture file is built in tmp_path."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from confsearch.reading.corpus import read_corpus
from confsearch.reading.documents import CorpusResult, Passage, Person, iter_sessions
from confsearch.reading.layout import is_heading_line
from confsearch.reading.passages import approx_token_count
from confsearch.reading.readers import decode_bytes
from confsearch.text import sentence_spans
from tests.pdfs import assemble_pdf, pdf_literal

ROOT = Path(__file__).resolve().parents[2]
REAL_CORPUS = ROOT / "corpus"
REAL_FILE = "corpus/arskonferens-2022-larpass.txt"

EXPECTED = [
    (
        "Rena resor är rena vinsten",
        ["Region Örebro län"],
        [
            Person("Mirja Mattsson", "projektledare för Rena resan", None),
            Person("Katja Hagström", "projektledare för Fossilfritt 2030", None),
        ],
    ),
    (
        "Värmland leder tillsammans",
        ["Region Värmland"],
        [Person("Ingrid Strengsdal", "chef Värmlandsrådsavdelningen", None)],
    ),
    (
        "Affärsstrategi – en förutsättning för att öka AI-tillämpningar i näringslivet",
        ["Region Västerbotten"],
        [Person("Thomas Kvist", None, "Region Västerbotten")],
    ),
    (
        "Det nya Norrland?",
        ["Region Norrbotten", "Region Västerbotten"],
        [Person("Per Erik Andersson", None, "Region Norrbotten")],
    ),
    ("Hängrännen som förenar stuprören", ["Region Örebro län"], []),
    (
        "Samverkansmodell med civilsamhället",
        ["Myndigheten för ungdoms- och civilsamhällesfrågor"],
        [],
    ),
    (
        "Vilka företagare främjas?",
        ["Region Västmanland"],
        [
            Person("Maria Lidberg", None, "Omställning Västmanland, Region Västmanland"),
            Person("Maarit Nurkkala", None, "Omställning Västmanland, Region Västmanland"),
        ],
    ),
    (
        "Undvik projektkyrkogårdar",
        ["Vinnova"],
        [
            Person("Göran Andersson", None, "Vinnova"),
            Person("Kjell Håkan Närfelt", None, "Vinnova"),
        ],
    ),
    (
        "Jämlika livsvillkor",
        ["Region Gävleborg"],
        [Person("Maria Sundman", None, "Region Gävleborg")],
    ),
    (
        "Designmetod för hållbarhet",
        ["Region Sörmland"],
        [Person("Mona Karila", None, "Region Sörmland")],
    ),
]


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def real() -> CorpusResult:
    return read_corpus(REAL_CORPUS)


@pytest.fixture(scope="module")
def real_doc(real):
    (doc,) = real.documents
    return doc


def read_one(tmp_path: Path, name: str, content: str | bytes, **kw) -> CorpusResult:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    path = corpus / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return read_corpus(corpus, **kw)


def assert_passage_invariants(result: CorpusResult, max_tokens: int, count=approx_token_count):
    docs = {d.doc_id: d for d in result.documents}
    ids = [p.id for p in result.passages]
    assert len(ids) == len(set(ids))
    for p in result.passages:
        doc = docs[p.doc_id]
        (session,) = [s for s in doc.sessions if s.title == p.session and s.start <= p.start]
        assert session.start <= p.start < p.end <= session.end, "passage crosses its session"
        assert norm(p.text) == norm(_tidy(doc.text[p.start : p.end]))
        assert count(p.text) <= max_tokens
        assert p.regions == session.regions
        assert p.speakers == tuple(s.name for s in session.speakers)
        assert p.source == doc.source
        assert p.text.strip() == p.text and p.text


def _tidy(raw: str) -> str:
    # Passage text drops Markdown heading marks, nothing else.
    return re.sub(r"(?m)^\s*#{1,6}\s+", "", raw)


# -------------------------------------------------------------------- the real corpus


def test_real_corpus_reads_without_errors(real, real_doc):
    assert real.errors == ()
    assert real_doc.title == "Följ med till några av lärpassen på årskonferensen 2022"
    assert real_doc.source == REAL_FILE
    assert real_doc.doc_id == "arskonferens-2022-larpass"
    assert real_doc.metadata["format"] == "txt"


def test_real_corpus_ten_sessions_exactly(real_doc):
    got = [(s.title, list(s.regions), list(s.speakers)) for s in real_doc.sessions]
    assert got == EXPECTED


def test_real_corpus_sessions_are_in_order_and_disjoint(real_doc):
    prev_end = 0
    for s in real_doc.sessions:
        assert prev_end <= s.start < s.end
        assert real_doc.text[s.start :].startswith(s.title)
        prev_end = s.end
        for (a, b), para in zip(s.paragraph_spans, s.paragraphs, strict=True):
            assert norm(real_doc.text[a:b]) == norm(para)
            assert s.start <= a < b <= s.end


def test_real_corpus_links(real_doc):
    by_title = {s.title: s for s in real_doc.sessions}
    affars = by_title[EXPECTED[2][0]]
    assert affars.links == ("https://digitalavasterbotten.se/kompetens/regai/",)
    samverkan = by_title["Samverkansmodell med civilsamhället"]
    assert samverkan.links == (
        "https://www.reglab.se/wp-content/uploads/2021/08/LP-10-mucfSamverkansmodell.pdf",
    )
    assert by_title["Rena resor är rena vinsten"].links == ()


def test_real_corpus_quotes(real_doc):
    by_title = {s.title: s for s in real_doc.sessions}
    rena = by_title["Rena resor är rena vinsten"].quotes
    assert len(rena) == 4
    assert rena[0].startswith("Det finns ett sug efter berättelser")
    assert rena[2].endswith("fyller Katja Hagström, projektledare för *Fossilfritt 2030*.")
    assert all(not q.startswith(("-", "–")) for s in real_doc.sessions for q in s.quotes)
    assert len(by_title["Det nya Norrland?"].quotes) == 2
    assert by_title["Undvik projektkyrkogårdar"].quotes == ()


def test_real_corpus_non_headings_stay_in_their_sessions(real_doc):
    titles = [s.title for s in real_doc.sessions]
    assert not any(
        t.startswith(("Länk till projektet", "Starta genom", "Finns det")) for t in titles
    )
    undvik = real_doc.sessions[7]
    assert any(p.startswith("Starta genom att ändra fokus") for p in undvik.paragraphs)
    assert undvik.paragraphs[-1].startswith("Finns det behov i ekosystemet")
    affars = real_doc.sessions[2]
    assert affars.paragraphs[-2].startswith("Länk till projektet")


def test_per_erik_is_one_person_and_vinnova_genitive_ignored(real_doc):
    norrland = real_doc.sessions[3]
    assert [p.name for p in norrland.speakers] == ["Per Erik Andersson"]
    assert "Vinnova" not in norrland.regions


def test_real_passages_invariants(real):
    assert_passage_invariants(real, 480)
    titles = [t for t, _, _ in EXPECTED]
    assert {p.session for p in real.passages} == set(titles)
    # Passages follow the sessions' order and every paragraph is covered by a passage.
    order = [titles.index(p.session) for p in real.passages]
    assert order == sorted(order)
    for _doc, session in iter_sessions(real):
        spans = [(p.start, p.end) for p in real.passages if p.session == session.title]
        for a, b in session.paragraph_spans:
            assert any(s <= a and b <= e for s, e in spans)


def test_real_passages_carry_session_info(real):
    first = real.passages[0]
    assert first.session == "Rena resor är rena vinsten"
    assert first.region == "Region Örebro län"
    assert first.speakers == ("Mirja Mattsson", "Katja Hagström")
    assert first.source == REAL_FILE
    assert first.metadata["doc_title"].startswith("Följ med")
    assert not first.text.startswith("Rena resor är rena vinsten")  # title not in the text
    link_passages = [p for p in real.passages if "regai" in p.text]
    assert link_passages and link_passages[0].links[0].endswith("/regai/")
    # One-liners and link stubs are merged, never left alone.
    assert all(len(p.text.split()) >= 12 for p in real.passages)
    stub = next(p for p in real.passages if "Hela modellen finns presenterad" in p.text)
    assert stub.text.startswith("Myndigheten för ungdoms")


def test_passage_ids_stable_across_reads_and_unrelated_edits(real, tmp_path):
    again = read_corpus(REAL_CORPUS)
    assert [p.id for p in again.passages] == [p.id for p in real.passages]

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (REAL_CORPUS / "arskonferens-2022-larpass.txt").read_text(encoding="utf-8")
    edited = text.replace("kommundirektörer samla en grupp", "kommundirektörer samla en stor grupp")
    edited = "\n\n" + edited + "\n\nEn helt ny avslutande rad som inte hör till något pass alls.\n"
    assert edited != text
    (corpus / "arskonferens-2022-larpass.txt").write_text(edited, encoding="utf-8")
    changed = read_corpus(corpus)
    old = {p.id for p in real.passages if p.session != "Designmetod för hållbarhet"}
    new = {p.id for p in changed.passages}
    assert old <= new


def test_token_budget_respected_with_custom_counter(real):
    def count(text: str) -> int:
        return len(text.split()) * 2 + 2

    small = read_corpus(REAL_CORPUS, count_tokens=count, max_tokens=60)
    assert_passage_invariants(small, 60, count)
    assert len(small.passages) > len(real.passages)


def test_source_root(tmp_path):
    result = read_corpus(REAL_CORPUS, source_root=REAL_CORPUS)
    assert result.documents[0].source == "arskonferens-2022-larpass.txt"


# ------------------------------------------------------------------ heading heuristic


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Rena resor är rena vinsten", True),
        ("Det nya Norrland?", True),
        ("Vilka företagare främjas?", True),
        ("Affärsstrategi – en förutsättning för att öka AI-tillämpningar i näringslivet", True),
        ("2.1 Bakgrund och syfte", True),
        (
            "Starta genom att ändra fokus redan vid bedömning av vilka projekt som får pengar:",
            False,
        ),
        ("Finns det behov i ekosystemet av det som föreslås? Efterfrågas lösningen?", False),
        ("Vad händer nu? Vi vet inte", False),
        ("Varför samspelar det inte som i ett urverk eller i en väl fungerande maskin?", False),
        ("De prioriterar om i RUS:en för att fler ska känna ägarskap.", False),
        ("- Det finns ett sug efter berättelser", False),
        ("<https://digitalavasterbotten.se/kompetens/regai/>", False),
        ("små bokstäver i början", False),
        ("Hela modellen finns presenterad här: <https://x.se/a.pdf>", False),
        ("", False),
    ],
)
def test_is_heading_line(line, expected):
    assert is_heading_line(line) is expected


def test_link_label_before_url_is_not_a_heading(tmp_path):
    text = (
        "Dokumentets titel\n\nFörsta passet\n\n"
        "Region Skåne berättar om ett projekt som pågår i flera kommuner och har många delar.\n\n"
        "Länk till projektet och inspelade seminarier\n\n<https://example.se/projekt>\n"
    )
    (doc,) = read_one(tmp_path, "a.txt", text).documents
    assert [s.title for s in doc.sessions] == ["Första passet"]
    assert doc.sessions[0].links == ("https://example.se/projekt",)


def test_plain_text_without_title_line_uses_file_name(tmp_path):
    text = "Det här är en text utan rubrik som handlar om Region Halland och dess arbete.\n"
    (doc,) = read_one(tmp_path, "min-fina_fil.txt", text).documents
    assert doc.title == "Min fina fil"
    assert [s.title for s in doc.sessions] == ["Min fina fil"]
    assert doc.sessions[0].regions == ("Region Halland",)


def test_intro_before_first_session_is_its_own_session(tmp_path):
    text = (
        "Konferensen 2023\n\n"
        "Här följer en sammanfattning av dagens pass, skriven av arrangören efteråt.\n\n"
        "Cykling i Skåne\n\n"
        "Region Skåne berättar om sitt cykelprogram och om hur fler ska välja cykeln.\n"
    )
    (doc,) = read_one(tmp_path, "k.txt", text).documents
    assert doc.title == "Konferensen 2023"
    assert [s.title for s in doc.sessions] == ["Konferensen 2023", "Cykling i Skåne"]
    assert doc.sessions[0].regions == ()


# ------------------------------------------------------------------------ sentences


def test_sentence_spans_respect_abbreviations():
    text = "Vi har t.ex. cyklar. Det är bra! Men K. H. Närfelt sa nej. Osv."
    got = [text[a:b] for a, b in sentence_spans(text)]
    assert got == ["Vi har t.ex. cyklar.", "Det är bra!", "Men K. H. Närfelt sa nej.", "Osv."]


# ------------------------------------------------------------------------- passages

SENTENCES = [
    f"Mening nummer {i} handlar om regional utveckling och samverkan i länet {i}."
    for i in range(40)
]


def test_long_paragraph_splits_with_one_sentence_overlap(tmp_path):
    text = "Titeln\n\nEtt pass\n\n" + " ".join(SENTENCES) + "\n"
    result = read_one(tmp_path, "lang.txt", text, max_tokens=100)
    passages = [p for p in result.passages if p.session == "Ett pass"]
    assert len(passages) > 3
    assert_passage_invariants(result, 100)
    for a, b in itertools.pairwise(passages):
        last_of_a = sentence_spans(a.text)[-1]
        first_of_b = sentence_spans(b.text)[0]
        assert a.text[slice(*last_of_a)] == b.text[slice(*first_of_b)]
        assert b.start < a.end  # overlapping spans
    covered = " ".join(p.text for p in passages)
    assert all(s in covered for s in SENTENCES)
    assert all(p.metadata["split"] for p in passages)


def test_giant_sentence_is_cut_at_word_boundaries(tmp_path):
    words = " ".join(f"ord{i}" for i in range(600))
    result = read_one(tmp_path, "jatte.txt", f"Titel\n\nPass\n\n{words}.\n", max_tokens=50)
    assert len(result.passages) > 5
    assert_passage_invariants(result, 50)
    rebuilt = " ".join(p.text for p in result.passages).split()
    assert [w for w in rebuilt if w.startswith("ord")][:3] == ["ord0", "ord1", "ord2"]


def test_short_paragraphs_merge_within_but_never_across_sessions(tmp_path):
    long_a = "Region Skåne berättar om hur de arbetar med kompetens och vad som har fungerat bra."
    long_b = "Region Halland berättar om ett nytt program för landsbygdens företag och föreningar."
    text = (
        "Titel\n\nFörsta passet\n\n"
        "Kort inledning.\n\n"
        f"{long_a} {long_a}\n\n"
        "En kort avslutning.\n\n"
        "Andra passet\n\n"
        f"{long_b} {long_b}\n\n"
        "Läs mer: <https://example.se/b>\n"
    )
    result = read_one(tmp_path, "kort.txt", text)
    by_session: dict[str, list[Passage]] = {}
    for p in result.passages:
        by_session.setdefault(p.session, []).append(p)
    (first,) = by_session["Första passet"]
    assert first.text.startswith("Kort inledning.\n\n")
    assert first.text.endswith("En kort avslutning.")
    (second,) = by_session["Andra passet"]
    assert second.text.endswith("Läs mer: <https://example.se/b>")
    assert second.links == ("https://example.se/b",)
    assert "Halland" not in first.text and "avslutning" not in second.text
    assert_passage_invariants(result, 480)


def test_short_paragraph_joins_previous_when_next_is_too_big(tmp_path):
    a = "Region Skåne berättar om cykling. Det har gått bra i flera kommuner under året."
    b = " ".join(f"Mening {i} om vatten och torka i länet." for i in range(6))
    text = f"Titel\n\nPass\n\n{a}\n\nKort stycke.\n\n{b}\n"
    result = read_one(tmp_path, "mitt.txt", text, max_tokens=70)
    texts = [p.text for p in result.passages]
    assert texts[0] == f"{a}\n\nKort stycke."
    assert not any(t.startswith("Kort stycke") for t in texts)
    assert_passage_invariants(result, 70)


def test_identical_paragraphs_get_distinct_ids(tmp_path):
    para = (
        "Samma stycke med tillräckligt många ord för att stå på egna ben. "
        "Det har dessutom två meningar så att det inte slås ihop med grannen."
    )
    result = read_one(tmp_path, "dubbel.txt", f"Titel\n\nPass\n\n{para}\n\n{para}\n")
    ids = [p.id for p in result.passages]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_approx_token_count_is_generous():
    assert approx_token_count("") == 0
    assert approx_token_count("ett två tre") >= 3
    assert approx_token_count("Region Västerbotten, AI.") >= 5


# -------------------------------------------------------------------------- formats


def test_markdown(tmp_path):
    text = (
        "# Konferens 2023\n\n"
        "## Gröna jobb i *Dalarna*\n\n"
        "Region Dalarna berättar om gröna jobb, se [rapporten](https://example.se/r.pdf).\n\n"
        "> Vi ser en stor efterfrågan på kompetens i hela länet, säger Eva Ek, Region Dalarna.\n\n"
        "### Bakgrund\n\n"
        "Satsningen startade 2021 och har sedan dess vuxit till flera kommuner i länet.\n\n"
        "## Bostäder\n\n"
        "Boverket beskriver hur planeringen av bostäder kan förenklas för små kommuner.\n"
    )
    (doc,) = read_one(tmp_path, "konf.md", text).documents
    assert doc.title == "Konferens 2023"
    assert [s.title for s in doc.sessions] == ["Gröna jobb i Dalarna", "Bostäder"]
    first, second = doc.sessions
    assert first.regions == ("Region Dalarna",)
    assert first.links == ("https://example.se/r.pdf",)
    assert first.speakers == (Person("Eva Ek", None, "Region Dalarna"),)
    assert first.quotes and first.quotes[0].startswith("Vi ser en stor efterfrågan")
    assert "Bakgrund" in first.paragraphs  # a sub-heading stays inside its session
    assert second.regions == ("Boverket",)
    assert doc.metadata["format"] == "md"


def test_markdown_only_second_level_headings(tmp_path):
    text = (
        "---\ntitle: Från front matter\n---\n"
        "## Ett\n\nRegion Gotland berättar om vatten och torka på ön under sommaren.\n\n"
        "## Två\n\nRegion Blekinge berättar om hamnar och sjöfart längs kusten i länet.\n"
    )
    (doc,) = read_one(tmp_path, "x.md", text).documents
    assert doc.title == "Från front matter"
    assert [(s.title, s.regions) for s in doc.sessions] == [
        ("Ett", ("Region Gotland",)),
        ("Två", ("Region Blekinge",)),
    ]


def test_docx_with_heading_styles(tmp_path):
    docx = pytest.importorskip("docx")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    d = docx.Document()
    d.add_heading("Dokumenttitel", level=0)
    d.add_heading("Första passet", level=1)
    d.add_paragraph(
        "Region Halland berättar om hur de arbetar med kompetensförsörjning och vad de lärt sig."
    )
    d.add_paragraph(
        "- Det här är ett citat som är långt nog att räknas, säger Anna Svensson, Region Halland."
    )
    d.add_heading("Andra passet", level=1)
    d.add_paragraph(
        "Tillväxtverket presenterar en ny rapport om regional utveckling och länens roll."
    )
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Åtgärd"
    table.rows[0].cells[1].text = "Cykelbibliotek i Örebro län"
    d.save(corpus / "dok.docx")
    result = read_corpus(corpus)
    assert result.errors == ()
    (doc,) = result.documents
    assert doc.title == "Dokumenttitel"
    assert [(s.title, s.regions) for s in doc.sessions] == [
        ("Första passet", ("Region Halland",)),
        ("Andra passet", ("Tillväxtverket", "Region Örebro län")),
    ]
    assert doc.sessions[0].speakers == (Person("Anna Svensson", None, "Region Halland"),)
    assert "Åtgärd | Cykelbibliotek i Örebro län" in doc.sessions[1].paragraphs
    assert_passage_invariants(result, 480)


def test_docx_without_heading_styles_uses_heuristic(tmp_path):
    docx = pytest.importorskip("docx")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    d = docx.Document()
    d.add_paragraph("Minnesanteckningar")
    d.add_paragraph("Vatten på Gotland")
    d.add_paragraph("Region Gotland berättar om hur ön hanterar vattenbrist under sommarmånaderna.")
    d.save(corpus / "anteckningar.docx")
    (doc,) = read_corpus(corpus).documents
    assert doc.title == "Minnesanteckningar"
    assert [s.title for s in doc.sessions] == ["Vatten på Gotland"]


def make_pdf(lines: list[tuple[int, int, str]]) -> bytes:
    """A minimal one-page PDF with a real text layer (Helvetica, WinAnsi for åäö)."""

    content = b"".join(
        b"BT /F1 %d Tf 72 %d Td (" % (size, y) + pdf_literal(text) + b") Tj ET\n"
        for y, size, text in lines
    )
    if not lines:
        content = b"0 0 m 100 100 l S\n"  # a drawing, no text
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    return assemble_pdf(objects)


def test_pdf_with_text_layer(tmp_path):
    pdf = make_pdf(
        [
            (800, 16, "Konferensdokumentation 2023"),
            (760, 12, "Gröna näringar i Värmland"),
            (
                740,
                10,
                "Region Värmland berättar om hur länets företag ställer om till förnybar energi"
                " och",
            ),
            (
                726,
                10,
                "vad det betyder för kompetensförsörjningen. Det är ett långsiktigt arbete som"
                " kräver",
            ),
            (712, 10, "samverkan mellan många aktörer i hela länet."),
            (690, 12, "Nästa steg för Skåne"),
            (
                670,
                10,
                "Region Skåne beskriver sitt arbete med innovation och hur de samverkar med"
                " näringslivet",
            ),
            (656, 10, "och akademin för att stärka tillväxten i regionen på lång sikt."),
            (40, 9, "1"),  # page number, dropped
        ]
    )
    result = read_one(tmp_path, "dok.pdf", pdf)
    assert result.errors == ()
    (doc,) = result.documents
    assert doc.title == "Konferensdokumentation 2023"
    assert [(s.title, s.regions) for s in doc.sessions] == [
        ("Gröna näringar i Värmland", ("Region Värmland",)),
        ("Nästa steg för Skåne", ("Region Skåne",)),
    ]
    assert "förnybar energi och vad det betyder" in doc.sessions[0].paragraphs[0]
    assert doc.metadata["pages"] == 1
    assert_passage_invariants(result, 480)


def test_pdf_without_text_layer_is_reported(tmp_path):
    result = read_one(tmp_path, "skannad.pdf", make_pdf([]))
    assert result.documents == ()
    (err,) = result.errors
    assert err.path == "corpus/skannad.pdf"
    assert "skannad.pdf" in err.message and "textlager" in err.message


def test_broken_pdf_is_reported(tmp_path):
    result = read_one(tmp_path, "trasig.pdf", b"%PDF-1.4\nnot really a pdf")
    (err,) = result.errors
    assert "trasig.pdf" in err.message


def test_broken_word_and_pdf_files_say_what_to_do_in_swedish(tmp_path):
    """No exception names or the reader library's English ("BadZipFile", "Stream has
    ended unexpectedly"); shown to the user, the file is named without "corpus/"."""
    read_one(tmp_path, "trasig.docx", b"PK\x03\x04 not really a zip")
    result = read_one(tmp_path, "avbruten.pdf", b"%PDF-1.4\n1 0 obj << /Length 99 >>\nstream\nab")
    messages = {e.file: e for e in result.errors}
    assert set(messages) == {"trasig.docx", "avbruten.pdf"}
    for err in messages.values():
        assert "försök igen" in err.message
        assert not re.search(r"[A-Z][a-z]+[A-Z]\w*|Error|Stream|unexpected", err.message)
        assert err.for_user().startswith(f"Kunde inte läsa {err.file}: ")
        assert "corpus/" not in err.for_user() and "corpus/" not in err.reason()


def test_html(tmp_path):
    html = """<!doctype html><html><head><title>Sida | Reglab</title>
    <style>p { color: red }</style><script>var Vinnova = 1;</script></head><body>
    <nav>Meny Hem Region Skåne</nav><!-- Region Halland -->
    <h1>Webbtitel</h1>
    <h2>Pass ett</h2>
    <p>Region Dalarna berättar om <a href="https://example.se/a">besöksnäringen</a> och hur den
    har utvecklats under de senaste åren.</p>
    <p>- Vi har lärt oss mycket av det här arbetet, säger Per Persson, Region Dalarna.<br>
    - Och vi fortsätter nästa år med fler insatser i hela länet.</p>
    <h3>Bakgrund</h3><p>Arbetet började med en kartläggning av besöksmål i länet.</p>
    <h2>Pass två</h2><div>Boverket beskriver planering av bostäder i glesbygd och verktygen.</div>
    </body></html>"""
    result = read_one(tmp_path, "sida.html", html)
    (doc,) = result.documents
    assert doc.title == "Webbtitel"
    assert [(s.title, s.regions) for s in doc.sessions] == [
        ("Pass ett", ("Region Dalarna",)),
        ("Pass två", ("Boverket",)),
    ]
    first = doc.sessions[0]
    assert first.links == ("https://example.se/a",)
    assert len(first.quotes) == 2
    assert first.speakers == (Person("Per Persson", None, "Region Dalarna"),)
    assert "color" not in doc.text and "var Vinnova" not in doc.text and "Meny" not in doc.text
    assert "Halland" not in doc.text
    assert_passage_invariants(result, 480)


def test_jsonl_with_broken_lines(tmp_path):
    lines = [
        json.dumps(
            {
                "id": "a1",
                "text": "Vi pratar om cykling i hela länet och hur fler ska välja cykeln.",
                "session": "Cykelpasset",
                "title": "Konferens 2023",
                "region": "värmland",
                "url": "https://example.se/cykel",
                "year": 2023,
            },
            ensure_ascii=False,
        ),
        "{inte json",
        json.dumps({"id": "a2"}),
        json.dumps([1, 2]),
        "",
        json.dumps(
            {
                "id": 7,
                "text": "Region Gotland berättar om vatten och torka.\n\nMer om ön.",
                "title": "Vatten",
            },
            ensure_ascii=False,
        ),
        json.dumps({"text": "saknar id men har text som är lång nog att läsas in här."}),
    ]
    result = read_one(tmp_path, "data.jsonl", "\n".join(lines) + "\n")
    assert [d.doc_id for d in result.documents] == ["a1", "7"]
    (err,) = result.errors
    assert err.kind == "partial"
    assert "data.jsonl" in err.message
    for lineno in ("rad 2", "rad 3", "rad 4", "rad 7"):
        assert lineno in err.message
    assert "rad 5" not in err.message and "rad 6" not in err.message

    cykel, vatten = result.documents
    assert cykel.title == "Konferens 2023"
    (s,) = cykel.sessions
    assert s.title == "Cykelpasset"
    assert s.regions == ("Region Värmland",)
    assert s.links == ("https://example.se/cykel",)
    assert cykel.metadata["year"] == 2023
    (p,) = [p for p in result.passages if p.doc_id == "a1"]
    assert p.metadata["year"] == 2023 and p.links == ("https://example.se/cykel",)
    assert p.source == "corpus/data.jsonl"

    (vs,) = vatten.sessions
    assert vs.title == "Vatten" and vs.regions == ("Region Gotland",)
    assert vs.paragraphs == ("Region Gotland berättar om vatten och torka.", "Mer om ön.")
    assert_passage_invariants(result, 480)


def test_jsonl_all_lines_broken_is_an_error(tmp_path):
    result = read_one(tmp_path, "bad.jsonl", "{\n[1]\n")
    (err,) = result.errors
    assert err.kind == "error" and "rad 1" in err.message and "rad 2" in err.message


def test_jsonl_duplicate_ids(tmp_path):
    a = json.dumps(
        {"id": "x", "text": "Första texten om Region Skåne och deras arbete med cykling."}
    )
    b = json.dumps(
        {"id": "x", "text": "Andra texten om Region Halland och deras arbete med vatten."}
    )
    result = read_one(tmp_path, "d.jsonl", f"{a}\n{b}\n")
    assert [d.doc_id for d in result.documents] == ["x"]
    assert any(e.kind == "duplicate" for e in result.errors)


# ------------------------------------------------------------------------ encodings

SWEDISH = "Ett pass på Gotland\n\nRegion Gotland berättar om ÅÄÖ och åäö – både ”citat” och é.\n"


def test_cp1252_file_decodes_without_mojibake(tmp_path):
    result = read_one(
        tmp_path, "win.txt", ("Rubrik\n\n" + SWEDISH).replace("\n", "\r\n").encode("cp1252")
    )
    (doc,) = result.documents
    assert doc.metadata["encoding"] == "cp1252"
    assert "ÅÄÖ och åäö – både ”citat” och é" in doc.text
    assert "\r" not in doc.text
    assert doc.sessions[0].title == "Ett pass på Gotland"


def test_latin1_file(tmp_path):
    data = ("Rubrik\n\n" + SWEDISH.replace("–", "-").replace("”", '"')).encode("latin-1") + b"\x81"
    (doc,) = read_one(tmp_path, "latin.txt", data).documents
    assert "ÅÄÖ och åäö" in doc.text


def test_utf8_bom_and_control_characters(tmp_path):
    raw = (
        "\ufeffRubrik\r\n\r\nEtt pass\x00 på Gotland\r\n\r\n"
        "Region Gotland\x07 berättar\u00a0om vatten.\r\n"
    )
    (doc,) = read_one(tmp_path, "bom.txt", raw.encode("utf-8")).documents
    assert doc.title == "Rubrik"
    assert doc.sessions[0].title == "Ett pass på Gotland"
    assert doc.text.rstrip().endswith("Region Gotland berättar om vatten.")
    assert not re.search("[\x00-\x08\ufeff\r\u00a0]", doc.text)


def test_nfc_normalisation(tmp_path):
    decomposed = "Rubrik\n\nPass\n\nRegion Va\u0308rmland berättar om sitt arbete i hela länet.\n"
    (doc,) = read_one(tmp_path, "nfd.txt", decomposed).documents
    assert "Värmland" in doc.text
    assert doc.sessions[0].regions == ("Region Värmland",)


def test_double_encoded_utf8_is_repaired():
    broken = "Region Värmland berättar om förändring".encode().decode("cp1252")
    assert "Ã" in broken
    text, encoding = decode_bytes(broken.encode("utf-8"))
    assert text == "Region Värmland berättar om förändring"
    assert "reparerad" in encoding


def test_utf16_with_bom(tmp_path):
    (doc,) = read_one(tmp_path, "u16.txt", ("Rubrik\n\n" + SWEDISH).encode("utf-16")).documents
    assert "ÅÄÖ och åäö" in doc.text


# ----------------------------------------------------------------- broken/odd files


def test_bad_files_are_reported_and_the_rest_is_read(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    good = "Rubrik\n\nEtt pass\n\nRegion Skåne berättar om cykling och hur fler ska cykla.\n"
    (corpus / "bra.txt").write_text(good, encoding="utf-8")
    (corpus / "tom.txt").write_bytes(b"")
    (corpus / "blank.md").write_text("   \n\n  \n", encoding="utf-8")
    (corpus / "bild.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (corpus / "brus.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "zip.txt").write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    (corpus / "sub" / "kopia.txt").write_text(good.replace("\n", "\r\n"), encoding="utf-8")
    (corpus / "trasig.docx").write_bytes(b"inte en zip")
    os.symlink(corpus / "finns-inte.txt", corpus / "bruten.txt")
    (corpus / ".dold.txt").write_text(good + "dold", encoding="utf-8")
    (corpus / ".git").mkdir()
    (corpus / ".git" / "x.txt").write_text(good + "git", encoding="utf-8")
    (corpus / "~$lås.docx").write_bytes(b"lock")
    (corpus / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")

    result = read_corpus(corpus)
    assert [d.source for d in result.documents] == ["corpus/bra.txt"]
    errors = {e.path: e for e in result.errors}
    assert set(errors) == {
        "corpus/tom.txt",
        "corpus/blank.md",
        "corpus/bild.txt",
        "corpus/brus.txt",
        "corpus/zip.txt",
        "corpus/sub/kopia.txt",
        "corpus/trasig.docx",
        "corpus/bruten.txt",
    }
    for path, err in errors.items():
        assert Path(path).name in err.message, err.message
    assert "tom" in errors["corpus/tom.txt"].message
    assert "tom" in errors["corpus/blank.md"].message
    assert "PNG" in errors["corpus/bild.txt"].message
    assert "binärdata" in errors["corpus/brus.txt"].message
    assert errors["corpus/sub/kopia.txt"].kind == "duplicate"
    assert "dubblett av corpus/bra.txt" in errors["corpus/sub/kopia.txt"].message
    assert all(e.kind == "error" for p, e in errors.items() if p != "corpus/sub/kopia.txt")
    assert str(errors["corpus/tom.txt"]) == errors["corpus/tom.txt"].message


def test_missing_corpus_dir(tmp_path):
    result = read_corpus(tmp_path / "saknas")
    assert result.documents == () and result.passages == ()
    (err,) = result.errors
    assert "saknas" in err.message


def test_walk_is_recursive_sorted_and_ids_stable(tmp_path):
    corpus = tmp_path / "corpus"
    for rel in ("b/z.txt", "a.md", "b/a.txt", "c.txt"):
        path = corpus / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"Titel {rel}\n\nPass\n\nRegion Skåne berättar om {rel} och mycket annat i länet.\n",
            encoding="utf-8",
        )
    result = read_corpus(corpus)
    assert [d.doc_id for d in result.documents] == ["a", "b/a", "b/z", "c"]
    assert [d.source for d in result.documents] == [
        "corpus/a.md",
        "corpus/b/a.txt",
        "corpus/b/z.txt",
        "corpus/c.txt",
    ]
    again = read_corpus(corpus)
    assert [p.id for p in again.passages] == [p.id for p in result.passages]


def test_same_stem_different_extension_gets_distinct_ids(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "x.md").write_text(
        "# A\n\nRegion Skåne berättar om en sak i länet.\n", encoding="utf-8"
    )
    (corpus / "x.txt").write_text(
        "B\n\nRegion Halland berättar om något annat.\n", encoding="utf-8"
    )
    ids = [d.doc_id for d in read_corpus(corpus).documents]
    assert ids == ["x", "x.txt"]


def test_copied_real_corpus_with_extra_files(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(REAL_CORPUS, corpus)
    (corpus / "tom.txt").write_bytes(b"")
    result = read_corpus(corpus)
    assert len(result.documents) == 1
    assert [s.title for s in result.documents[0].sessions] == [t for t, _, _ in EXPECTED]
    assert [e.path for e in result.errors] == ["corpus/tom.txt"]


def test_hard_wrapped_real_corpus_gives_the_same_sessions(tmp_path):
    import textwrap

    text = (REAL_CORPUS / "arskonferens-2022-larpass.txt").read_text(encoding="utf-8")
    paragraphs = re.split(r"\n\s*\n", text)
    wrapped = "\n\n".join(
        "\n".join(textwrap.fill(line, 60, break_on_hyphens=False) for line in p.split("\n"))
        for p in paragraphs
    )
    result = read_one(tmp_path, "wrapped.txt", wrapped)
    (doc,) = result.documents
    assert doc.title == "Följ med till några av lärpassen på årskonferensen 2022"
    assert [(s.title, list(s.regions)) for s in doc.sessions] == [(t, r) for t, r, _ in EXPECTED]
    assert [list(s.speakers) for s in doc.sessions] == [sp for _, _, sp in EXPECTED]
    assert_passage_invariants(result, 480)


def test_real_corpus_without_blank_lines_gives_the_same_sessions(tmp_path):
    text = (REAL_CORPUS / "arskonferens-2022-larpass.txt").read_text(encoding="utf-8")
    dense = "\n".join(line for line in text.split("\n") if line.strip())
    result = read_one(tmp_path, "dense.txt", dense)
    (doc,) = result.documents
    assert doc.title == "Följ med till några av lärpassen på årskonferensen 2022"
    got = [(s.title, list(s.regions), list(s.speakers)) for s in doc.sessions]
    assert got == EXPECTED
    assert_passage_invariants(result, 480)


def test_passages_survive_json_round_trip(real, tmp_path):
    from dataclasses import asdict

    lines = [json.dumps({"id": "j1", "text": "Region Skåne berättar om cykling.", "tags": ["a"]})]
    jsonl = read_one(tmp_path, "d.jsonl", "\n".join(lines))
    for p in [*real.passages, *jsonl.passages]:
        d = asdict(p)
        back = json.loads(json.dumps(d, ensure_ascii=False))
        for key in ("regions", "speakers", "links"):
            back[key] = tuple(back[key])
        assert Passage(**back) == p


def test_thousands_of_identical_passages_get_numbered_ids(tmp_path):
    """Identical passages in one session get id, id-2, id-3 … (the suffix is remembered,
    so 25 000 of them no longer cost a quadratic search: issue 27's widest .docx)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paragraph = "Region Skåne ordnar cykelbibliotek i kommunerna och berättar om det. " * 30
    (corpus / "samma.txt").write_text("Titel\n\n" + (paragraph + "\n\n") * 100)
    passages = read_corpus(corpus).passages
    ids = [p.id for p in passages]
    assert len(ids) == len(set(ids)) >= 100
    base = ids[0]
    numbered = [i for i in ids if i.startswith(f"{base}-")]
    assert numbered == [f"{base}-{n}" for n in range(2, len(numbered) + 2)]
    assert len(numbered) == 99
