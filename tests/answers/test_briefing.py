"""Briefing notes: pinning, ordering, plain-data round trip, Markdown and Word export."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re

import pytest

from confsearch.answers.briefing import BriefingNote, NoteItem, brief, note_from_hit, to_markdown
from confsearch.answers.citation import Source
from confsearch.answers.wordnote import to_docx
from confsearch.markup import md_escape
from confsearch.reading.documents import Passage
from confsearch.retrieval.confidence import ConfidenceModel
from confsearch.retrieval.index import build_index, load_index
from confsearch.retrieval.search import FusionConfig, Hit, Searcher
from confsearch.text import strip_emphasis
from tests.answers.test_answer import CORPUS_TEXT
from tests.conftest import FakeEmbedder

TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)
REGLAB = Source(
    title="Följ med till några av lärpassen",
    organiser="Reglab",
    event="Reglabs årskonferens 2022",
    date="9–10 februari 2022",
    year=2022,
    url="https://www.reglab.se/larpass-2022/",
    file="corpus/arskonferens-2022-larpass.txt",
)
EVIL = "Läs mer <script>alert('x')</script> och [länk](http://evil.example) # inte rubrik *fet*"


def make_hit(pid: str, text: str, session: str = "Rena resor är rena vinsten", **kw) -> Hit:
    passage = Passage(
        id=pid,
        doc_id="doc",
        text=text,
        session=session,
        regions=kw.get("regions", ("Region Örebro län",)),
        speakers=kw.get("speakers", ("Mirja Mattsson",)),
        source=kw.get("source", "corpus/arskonferens-2022-larpass.txt"),
        start=0,
        end=len(text),
    )
    return Hit(rank=kw.get("rank", 1), score=0.9, passage=passage, dense=0.9, lexical=1.0)


@pytest.fixture
def note() -> BriefingNote:
    n = BriefingNote(heading="Underlag om cykling", intro="Inför mötet med nämnden.")
    n.add(
        make_hit("a", "Vi har cykelbibliotek, säger Mirja Mattsson."),
        "Vem har cykelbibliotek?",
        REGLAB,
    )
    n.add(
        make_hit(
            "b",
            "Värmlandsrådet har utvärderats.",
            session="Värmland leder tillsammans",
            regions=("Region Värmland",),
            speakers=("Ingrid Strengsdal",),
        ),
        "Hur utvärderades Värmlandsrådet?",
        REGLAB,
    )
    n.add(make_hit("c", "Rena resor ger bättre sömn."), "Vem har cykelbibliotek?", REGLAB)
    return n


# ------------------------------------------------------------------ the note as data


def test_note_from_hit_copies_passage_fields():
    hit = make_hit("x", "Text.", speakers=("A", "B"))
    item = note_from_hit(hit, "Fråga?")
    assert item == NoteItem(
        passage_id="x",
        text="Text.",
        session="Rena resor är rena vinsten",
        regions=["Region Örebro län"],
        speakers=["A", "B"],
        source="corpus/arskonferens-2022-larpass.txt",
        query="Fråga?",
    )


def test_defaults():
    n = BriefingNote()
    assert n.heading == "Underlag" and n.intro == "" and n.items == [] and n.questions == []


def test_add_without_duplicates_records_questions(note):
    assert [i.passage_id for i in note.items] == ["a", "b", "c"]
    assert note.questions == ["Vem har cykelbibliotek?", "Hur utvärderades Värmlandsrådet?"]
    assert note.add(make_hit("a", "Vi har cykelbibliotek."), "En helt annan fråga") is False
    assert len(note.items) == 3 and "a" in note
    assert note.questions == ["Vem har cykelbibliotek?", "Hur utvärderades Värmlandsrådet?"]
    assert note.add(make_hit("d", "Ny."), "Ny fråga?") is True
    assert note.questions[-1] == "Ny fråga?"


def test_remove(note):
    assert note.remove("b") is True
    assert [i.passage_id for i in note.items] == ["a", "c"]
    assert note.remove("b") is False
    assert "Hur utvärderades Värmlandsrådet?" in note.questions  # it was still asked


def test_move_reorders_and_clamps(note):
    assert note.move("c", -1) == 1
    assert [i.passage_id for i in note.items] == ["a", "c", "b"]
    assert note.move("c", -5) == 0
    assert [i.passage_id for i in note.items] == ["c", "a", "b"]
    assert note.move("c", 1) == 1
    assert [i.passage_id for i in note.items] == ["a", "c", "b"]
    assert note.move("b", 1) == 2  # already last
    assert [i.passage_id for i in note.items] == ["a", "c", "b"]
    assert note.move("okänd", 1) is None


def test_dict_round_trip(note):
    note.set_comment("a", "Bra exempel för oss.")
    d = note.to_dict()
    plain = json.loads(json.dumps(d, ensure_ascii=False))  # plain data only
    again = BriefingNote.from_dict(plain)
    assert again == note
    assert again.items[0].comment == "Bra exempel för oss."
    assert BriefingNote.from_dict({}) == BriefingNote()
    assert BriefingNote.from_dict(None) == BriefingNote()


def test_from_dict_drops_duplicate_items(note):
    d = note.to_dict()
    d["items"].append(dict(d["items"][0]))
    assert len(BriefingNote.from_dict(d).items) == 3


# ------------------------------------------------------------------ Markdown


def test_markdown_contains_heading_passages_citations_and_questions(note):
    md = to_markdown(note, today=TODAY)
    lines = md.splitlines()
    assert lines[0] == "# Underlag om cykling"
    assert lines[2] == "*Anteckning från Konferenssök, 27 november 2026 · 3 stycken*"
    assert "Inför mötet med nämnden." in lines
    assert "### Rena resor är rena vinsten — Region Örebro län" in lines
    assert "### Värmland leder tillsammans — Region Värmland" in lines
    assert "> Vi har cykelbibliotek, säger Mirja Mattsson." in lines
    # grouped by session: both Örebro passages come before the Värmland one, numbered in
    # order, each with "Lärpass · Region · Talare — Dokument (Arrangör, år)" linked
    assert (
        "[1] Rena resor är rena vinsten · Region Örebro län · Mirja Mattsson — "
        "[Följ med till några av lärpassen](<https://www.reglab.se/larpass-2022/>) "
        "(Reglab, 2022)" in lines
    )
    assert lines.index("> Rena resor ger bättre sömn.") < lines.index(
        "### Värmland leder tillsammans — Region Värmland"
    )
    assert any(line.startswith("[2] Rena resor är rena vinsten · ") for line in lines)
    assert any(
        line.startswith("[3] Värmland leder tillsammans · Region Värmland · Ingrid Strengsdal")
        for line in lines
    )
    assert "## Frågor som ställdes\n" in md
    assert "- Vem har cykelbibliotek?" in lines
    assert "- Hur utvärderades Värmlandsrådet?" in lines
    sources = lines[lines.index("## Källor") + 2 :]
    assert sources == [
        "- Följ med till några av lärpassen. Reglabs årskonferens 2022, 9–10 februari 2022. "
        "Arrangör: Reglab. <https://www.reglab.se/larpass-2022/>"
    ]
    assert "&" not in md  # no HTML entities anywhere


def test_markdown_keeps_the_authors_emphasis_and_makes_addresses_links():
    n = BriefingNote()
    n.add(
        make_hit("x", "Lärpasset *Oväntade vinster* visade <https://www.reglab.se/a_b.pdf>."),
        "Fråga?",
    )
    md = to_markdown(n, today=TODAY)
    assert "> Lärpasset *Oväntade vinster* visade <https://www.reglab.se/a_b.pdf>." in md
    assert "&lt;" not in md and "&gt;" not in md


def test_markdown_escapes_corpus_text():
    n = BriefingNote(heading="Rubrik <b>")
    n.add(make_hit("x", EVIL + "\n\n- Citat med _understreck_\n1. inte en lista"), "Fråga [x](y)?")
    md = to_markdown(n)
    assert not re.search(r"(?<!\\)<script>", md) and "\\<script>" in md and "&lt;" not in md
    assert "[länk](http://evil.example)" not in md
    # the address is a real link that shows itself; the Markdown link syntax is text
    assert "\\[länk\\](<http://evil.example>)" in md
    assert " # inte rubrik *fet*" in md  # the author's emphasis stays emphasis; no "\\#" mid-line
    assert "> – Citat med *understreck*" in md  # a spoken line: the dialogue dash, no "\\-"
    assert "> 1\\. inte en lista" in md
    assert not re.search(r"(?<!\\)<b>", md) and "Fråga \\[x\\](y)?" in md


def test_markdown_renders_literally():
    markdown_it = pytest.importorskip("markdown_it")
    md = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    n = BriefingNote()
    n.add(make_hit("x", EVIL + "\n- Citat | tabell ~~stryk~~ `kod` ![bild](x.png)"), "F?")
    rendered = md.render(to_markdown(n))
    for tag in ("<script", "<img", "<strong", "<code", "<del", "<table", "<li>- "):
        assert tag not in rendered
    # Only the author's emphasis and the visible address become markup.
    assert "<em>fet</em>" in rendered
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', rendered) == [
        ("http://evil.example", "http://evil.example")
    ]
    visible = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert strip_emphasis(EVIL) in visible
    assert "– Citat | tabell ~~stryk~~ `kod` ![bild](x.png)" in visible


@pytest.mark.parametrize(
    "text",
    ["<script>x</script>", "[a](b)", "# h", "* p", "- q", "1. n", "2) n", "> c", "===", "&lt;",
     "a_b*c`d|e~f", "    kod", "\\*", "5 * 3 mnkr <viktigt>", "_x_ __y__ a_b_c", "~~s~~",
     "a\\b c\\* d\\", "<https://x.se> <!-- k -->", "* * *", "# rubrik # 2", "Möte #", "a ## ",
     "x > y\n> c", "**fet** * lös", "2 < 3 <b>"],
)  # fmt: skip
def test_md_escape_roundtrip(text):
    markdown_it = pytest.importorskip("markdown_it")
    rendered = (
        markdown_it.MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .render(md_escape(text, export=True))
    )
    assert rendered.startswith("<p>")
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip() == text.strip()


def test_empty_note_markdown():
    md = to_markdown(BriefingNote())
    assert md.startswith("# Underlag\n")
    assert "Inga stycken i anteckningen." in md


# ------------------------------------------------------------------ Word


def test_docx_round_trip(note):
    docx = pytest.importorskip("docx")
    note.items[0].text = "Vi har *cykelbibliotek* <script>\x00\x0b"  # XML-invalid characters
    data = to_docx(note, now=NOW)
    assert data[:2] == b"PK"
    doc = docx.Document(io.BytesIO(data))
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    texts = [t for _, t in paras]
    assert ("Heading 1", "Underlag om cykling") in paras
    assert "Anteckning från Konferenssök, 27 november 2026 · 3 stycken" in texts
    assert "Inför mötet med nämnden." in texts
    assert ("Heading 2", "Rena resor är rena vinsten — Region Örebro län") in paras
    assert ("Quote", "Vi har cykelbibliotek <script>") in paras
    emphasis = next(p for p in doc.paragraphs if p.text.startswith("Vi har cykelbibliotek"))
    assert [r.text for r in emphasis.runs if r.italic] == ["cykelbibliotek"]
    assert ("Quote", "Värmlandsrådet har utvärderats.") in paras
    assert (
        "[1] Rena resor är rena vinsten · Region Örebro län · Mirja Mattsson — "
        "Följ med till några av lärpassen (Reglab, 2022)" in texts
    )
    assert any(
        t.startswith("[3] Värmland leder tillsammans · Region Värmland · Ingrid") for t in texts
    )
    assert ("Heading 2", "Frågor som ställdes") in paras
    assert "Hur utvärderades Värmlandsrådet?" in texts
    assert ("Heading 2", "Källor") in paras


def test_docx_is_fit_for_a_swedish_office(note):
    """A4, Swedish, title and author set, clickable links: checked by re-opening the file."""
    docx = pytest.importorskip("docx")
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn

    note.add(make_hit("d", "Läs mer på <https://digitalavasterbotten.se/kompetens/regai/>."), "AI?")
    doc = docx.Document(io.BytesIO(to_docx(note, now=NOW)))
    for section in doc.sections:
        assert round(section.page_width.cm, 1) == 21.0
        assert round(section.page_height.cm, 1) == 29.7
    props = doc.core_properties
    assert props.title == "Underlag om cykling"
    assert props.author == "Konferenssök" and props.last_modified_by == "Konferenssök"
    assert props.language == "sv-SE"
    assert "python-docx" not in " ".join(
        str(getattr(props, k)) for k in ("author", "comments", "subject", "keywords")
    )
    assert props.created == NOW
    assert b"Microsoft" not in b"".join(
        p.blob for p in doc.part.package.iter_parts() if "docProps" in str(p.partname)
    )
    footer = doc.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("Sida ") and 'w:instr="PAGE"' in footer._p.xml
    normal = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert normal.get(qn("w:val")) == "sv-SE"
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert defaults.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
    assert doc.settings.element.find(qn("w:themeFontLang")).get(qn("w:val")) == "sv-SE"
    links = {
        rel.target_ref
        for rel in doc.part.rels.values()
        if rel.reltype == RELATIONSHIP_TYPE.HYPERLINK and rel.is_external
    }
    assert links == {
        "https://www.reglab.se/larpass-2022/",
        "https://digitalavasterbotten.se/kompetens/regai/",
    }
    body = doc.element.body
    hyperlinks = body.findall(".//" + qn("w:hyperlink"))
    shown = {"".join(t.text for t in h.iter(qn("w:t"))) for h in hyperlinks}
    assert "Följ med till några av lärpassen" in shown
    assert "https://digitalavasterbotten.se/kompetens/regai/" in shown
    assert all(h.get(qn("r:id")) in doc.part.rels for h in hyperlinks)


def test_docx_of_empty_note():
    docx = pytest.importorskip("docx")
    doc = docx.Document(io.BytesIO(to_docx(BriefingNote())))
    assert doc.paragraphs[0].text == "Underlag"


# ------------------------------------------------------------------ brief() over an index


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("brief")
    (tmp / "corpus").mkdir()
    (tmp / "corpus" / "konferens.txt").write_text(CORPUS_TEXT, encoding="utf-8")
    emb = FakeEmbedder()
    build_index(tmp / "corpus", tmp / "index", emb)
    return load_index(tmp / "index", emb), emb


def test_brief_collects_top_passages_per_question(small_index):
    index, emb = small_index
    searcher = Searcher(index, emb, FusionConfig(confidence=ConfidenceModel.always()))
    questions = ["Vilken region har cykelbibliotek?", "Hur utvärderades Värmlandsrådet?"]
    n = brief(searcher, questions, k=2, only_confident=False)
    assert n.questions == questions
    ids = [i.passage_id for i in n.items]
    assert len(ids) == len(set(ids)) and 2 <= len(ids) <= 4
    assert {i.query for i in n.items} == set(questions)
    first = next(i for i in n.items if i.query == questions[0])
    assert "cykelbibliotek" in first.text and first.regions == ["Region Örebro län"]
    md = to_markdown(n)
    assert "Region Örebro län" in md and "Region Värmland" in md


def test_brief_lists_unanswered_questions_without_passages(small_index):
    index, emb = small_index
    strict = Searcher(index, emb, FusionConfig(confidence=ConfidenceModel.never()))
    n = brief(strict, ["Hur bakar man surdegsbröd?"], k=3)
    assert n.items == [] and n.questions == ["Hur bakar man surdegsbröd?"]
    assert "- Hur bakar man surdegsbröd? (inga stycken i anteckningen)" in to_markdown(n)


def test_docx_cleans_every_string_it_writes_properties_included():
    """Issue 27, finding 13: a control character in a question (the core properties'
    comments), a heading, a session, a comment or a link's address made to_docx raise."""
    docx = pytest.importorskip("docx")
    bad = "\x01\x0b\x1f\ufffe"
    n = BriefingNote(heading=f"Underlag{bad}", intro=f"Inför{bad} mötet.")
    source = Source(
        title=f"Titel{bad}",
        organiser=f"Reglab{bad}",
        year=2022,
        url=f"https://www.reglab.se/{bad}larpass/",
        file="corpus/x.txt",
    )
    hit = make_hit("a", f"Vi har{bad} cykelbibliotek.", session=f"Pass{bad}", regions=(f"R{bad}",))
    n.add(hit, f"Vem har{bad} cykelbibliotek?", source)
    n.set_comment("a", f"Viktigt{bad}")
    data = to_docx(n, now=NOW)
    doc = docx.Document(io.BytesIO(data))
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert "Vem har cykelbibliotek?" in texts and "Viktigt" in texts
    assert doc.core_properties.comments == "Frågor: Vem har cykelbibliotek?"
    assert doc.core_properties.title == "Underlag"
    assert "Vem har cykelbibliotek? (" not in texts  # answered: no "no passages" remark
    assert not any(c in texts for c in bad)


def test_the_default_page_heading_is_not_repeated_in_the_dateline():
    from confsearch.answers.briefing import dateline

    day = dt.date(2026, 12, 6)
    assert dateline(day, 2, "Anteckning från Konferenssök") == "6 december 2026 · 2 stycken"
    assert dateline(day, 1, "Underlag om cykling") == (
        "Anteckning från Konferenssök, 6 december 2026 · 1 stycke"
    )


def test_export_file_names_are_safe_ascii_with_the_day():
    from confsearch.answers.briefing import export_filename

    day = dt.date(2026, 12, 6)
    assert (
        export_filename("Anteckning: Cykling", "docx", day) == "anteckning-cykling-2026-12-06.docx"
    )
    assert export_filename("Möte i Växjö", "md") == "mote-i-vaxjo.md"
    assert export_filename("../../etc/passwd ÅÄÖ", "md") == "etc-passwd-aao.md"
    assert export_filename("", "md", day) == "anteckning-2026-12-06.md"


def test_a_pinned_answer_keeps_each_sentence_with_its_citation():
    import docx

    from confsearch.answers.briefing import is_answer, note_from_answer
    from confsearch.notes import missing_passages

    item = note_from_answer(
        "Vilken  region har ett cykelbibliotek?",
        [
            ("Region Örebro län har ett cykelbibliotek.", "Rena resor · Region Örebro län — Dok"),
            ("Det kostar 5 * 3 mnkr <totalt>.", "Annat lärpass — Dok"),
        ],
    )
    assert is_answer(item) and item.query == "Vilken region har ett cykelbibliotek?"
    n = BriefingNote(heading="Svar till chefen")
    n.add_item(item)
    assert not n.add_item(note_from_answer(item.query, []))  # one per question
    md = to_markdown(n, today=TODAY)
    assert (
        "> Region Örebro län har ett cykelbibliotek. (Rena resor · Region Örebro län — Dok)" in md
    )
    assert "> Det kostar 5 * 3 mnkr \\<totalt>. (Annat lärpass — Dok)" in md
    assert "[1]" not in md and "## Källor" not in md  # the citations are in the sentences
    text = " ".join(p.text for p in docx.Document(io.BytesIO(to_docx(n))).paragraphs)
    assert "cykelbibliotek. (Rena resor · Region Örebro län — Dok)" in text and "[1]" not in text
    assert missing_passages(n, lambda pid: None) == set()  # not a passage of the index
    assert BriefingNote.from_dict(n.to_dict()).items == [item]  # stored and read back whole
