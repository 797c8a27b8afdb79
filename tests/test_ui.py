"""Page helpers that need no browser: escaping, highlighting, uploads, corpus summary."""

from __future__ import annotations

import html
import os
import re
from types import SimpleNamespace

import pytest

from confsearch import ui

# ---------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "[klicka här](https://example.com/elak)",
        "**fet** _kursiv_ `kod` $x^2$ :red[röd] ~~struken~~ | tabell |",
        '<img src=x onerror="alert(1)"> & "citat"',
        "# Rubrik\n\n> citat\n- lista",
    ],
)
def test_esc_neutralises_html_and_markdown(text):
    out = ui.esc(text)
    # No tag can open and no Markdown link/emphasis syntax survives…
    bare = re.sub(r"&#\d+;", "", out.replace("<br>", ""))
    for ch in "<>[]*_`$:~|#\"'":
        assert ch not in bare
    # …yet the browser shows exactly the original characters.
    assert html.unescape(out.replace("<br><br>", "\n\n").replace("<br>", "\n")) == text


def test_esc_never_leaves_a_blank_line_and_drops_control_characters():
    out = ui.esc("a\n\n\nb\x00c\x1bd\ne")
    assert "\n" not in out
    assert html.unescape(out) == "a<br><br>b c d<br>e"
    assert ui.esc("a\n b", newlines=False) == "a b"
    assert ui.esc(None) == ""


def test_md_escape_backslashes_markdown():
    assert ui.md_escape("[a](b) *c* _d_") == r"\[a\]\(b\) \*c\* \_d\_"
    assert ui.md_escape("Åsa säger: hej") == r"Åsa säger\: hej"


def test_query_tag_is_stable_and_short():
    assert ui.query_tag("Vad?") == ui.query_tag("Vad?")
    assert ui.query_tag("Vad?") != ui.query_tag("Vem?")
    assert len(ui.query_tag("x")) == 10


# ---------------------------------------------------------------- sentences & highlighting

TEXT = (
    "Region Örebro län arbetar med rena resor. Vi har cykelbibliotek och vikcyklar! "
    "Vad händer sen?\n- Det finns ett sug efter berättelser, säger Mirja."
)


def test_sentence_spans_split_on_punctuation_and_lines():
    sentences = [TEXT[s:e] for s, e in ui.sentence_spans(TEXT)]
    assert sentences == [
        "Region Örebro län arbetar med rena resor.",
        "Vi har cykelbibliotek och vikcyklar!",
        "Vad händer sen?",
        "- Det finns ett sug efter berättelser, säger Mirja.",
    ]


def test_sentence_spans_keep_closing_quotes():
    text = "Han sa ”vi testar.” Sedan gick han."
    assert [text[s:e] for s, e in ui.sentence_spans(text)] == [
        "Han sa ”vi testar.”",
        "Sedan gick han.",
    ]


def test_best_sentences_prefer_answer_quotes_then_query_words():
    quoted = ["Vi har cykelbibliotek och vikcyklar!"]
    spans = ui.best_sentence_spans(TEXT, quoted=quoted, query_words=["resor"])
    assert [TEXT[s:e] for s, e in spans] == quoted
    spans = ui.best_sentence_spans(TEXT, query_words=["Vilken region har cykelbibliotek?"])
    assert [TEXT[s:e] for s, e in spans] == ["Vi har cykelbibliotek och vikcyklar!"] or [
        TEXT[s:e] for s, e in spans
    ] == ["Region Örebro län arbetar med rena resor.", "Vi har cykelbibliotek och vikcyklar!"]
    assert ui.best_sentence_spans(TEXT, query_words=["xyzzy"]) == []
    # The answer drops the quote dash and may quote a whole quote line.
    spans = ui.best_sentence_spans(
        TEXT, quoted=["Det finns ett sug efter berättelser, säger Mirja. Och mer."]
    )
    assert [TEXT[s:e] for s, e in spans] == ["- Det finns ett sug efter berättelser, säger Mirja."]


def test_highlight_wraps_spans_and_escapes_everything():
    text = "Första <b>meningen</b>. Andra [länk](x) meningen."
    spans = ui.sentence_spans(text)
    out = ui.highlight_passage(text, [spans[1]])
    assert out.count("<mark>") == 1
    assert "<b>" not in out and "[" not in out
    assert html.unescape(out.replace("<mark>", "").replace("</mark>", "")) == text


# ---------------------------------------------------------------- uploads


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("rapport.pdf", "rapport.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\evil.md", "evil.md"),
        (".hidden.txt", "hidden.txt"),
        ("~$lås.docx", "lås.docx"),
        ("...txt", "dokument.txt"),
        ("Årsrapport 2022 (slutlig).DOCX", "Årsrapport 2022 (slutlig).docx"),
        ("a<b>|c?.md", "a_b_c.md"),
        ("data.JSONL", "data.jsonl"),
    ],
)
def test_sanitize_filename(name, expected):
    assert ui.sanitize_filename(name) == expected


@pytest.mark.parametrize("name", ["virus.exe", "bild.png", "ingen_filändelse", "sida.html", ""])
def test_sanitize_filename_refuses_other_types(name):
    with pytest.raises(ui.UploadError, match="stöds inte"):
        ui.sanitize_filename(name)


def test_save_upload_never_overwrites(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "text.txt").write_text("original", encoding="utf-8")
    first = ui.save_upload(corpus, "text.txt", b"ny text")
    second = ui.save_upload(corpus, "../text.txt", b"nyare text")
    assert (first.name, second.name) == ("text-2.txt", "text-3.txt")
    assert (corpus / "text.txt").read_text(encoding="utf-8") == "original"
    assert first.read_bytes() == b"ny text"
    # Nothing hidden or temporary is left behind, and nothing escaped the folder.
    assert sorted(p.name for p in corpus.iterdir()) == ["text-2.txt", "text-3.txt", "text.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


def test_save_upload_checks_size_and_content(tmp_path, monkeypatch):
    with pytest.raises(ui.UploadError, match="tom"):
        ui.save_upload(tmp_path, "a.txt", b"")
    monkeypatch.setattr(ui, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ui.UploadError, match="största tillåtna"):
        ui.save_upload(tmp_path, "a.txt", b"x" * 11)
    monkeypatch.undo()
    with pytest.raises(ui.UploadError, match="Word"):
        ui.save_upload(tmp_path, "a.docx", b"not a zip")
    with pytest.raises(ui.UploadError, match="PDF"):
        ui.save_upload(tmp_path, "a.pdf", b"hello")
    with pytest.raises(ui.UploadError, match="binära"):
        ui.save_upload(tmp_path, "a.txt", b"\x00\x01\x02")
    assert os.listdir(tmp_path) == []


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
        manifest={
            "documents": [
                {
                    "doc_id": "a",
                    "title": "Dok A",
                    "source": "corpus/a.txt",
                    "sessions": ["S1", "S2"],
                },
                {"doc_id": "b", "title": "", "source": "corpus/b.md", "sessions": ["T"]},
            ]
        },
    )
    s = ui.corpus_summary(index)
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
    assert ui.session_regions(index)["S1"] == ["Region X", "Vinnova"]
    assert ui.document_titles(index) == {"a": "Dok A", "b": "b"}
