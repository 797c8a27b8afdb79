"""Escaping corpus text for HTML and Markdown, and highlighting: no Streamlit needed."""

from __future__ import annotations

import html
import re

import pytest

from confsearch import markup
from confsearch.text import sentence_spans, strip_emphasis

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
    out = markup.esc(text)
    # No tag can open and no Markdown link/emphasis syntax survives…
    bare = re.sub(r"&#\d+;", "", out.replace("<br>", ""))
    for ch in "<>[]*_`$:~|#\"'":
        assert ch not in bare
    # …yet the browser shows exactly the original characters.
    assert html.unescape(out.replace("<br><br>", "\n\n").replace("<br>", "\n")) == text


def test_esc_never_leaves_a_blank_line_and_drops_control_characters():
    out = markup.esc("a\n\n\nb\x00c\x1bd\ne")
    assert "\n" not in out
    assert html.unescape(out) == "a<br><br>b c d<br>e"
    assert markup.esc("a\n b", newlines=False) == "a b"
    assert markup.esc(None) == ""


def test_md_escape_backslashes_markdown():
    assert markup.md_escape("[a](b) *c* _d_") == r"\[a\]\(b\) \*c\* \_d\_"
    assert markup.md_escape("Åsa säger: hej") == r"Åsa säger\: hej"


def test_query_tag_is_stable_and_short():
    assert markup.query_tag("Vad?") == markup.query_tag("Vad?")
    assert markup.query_tag("Vad?") != markup.query_tag("Vem?")
    assert len(markup.query_tag("x")) == 10


# ---------------------------------------------------------------- sentences & highlighting

TEXT = (
    "Region Örebro län arbetar med rena resor. Vi har cykelbibliotek och vikcyklar! "
    "Vad händer sen?\n- Det finns ett sug efter berättelser, säger Mirja."
)


def test_best_sentences_prefer_answer_quotes_then_query_words():
    quoted = ["Vi har cykelbibliotek och vikcyklar!"]
    spans = markup.best_sentence_spans(TEXT, quoted=quoted, query_words=["resor"])
    assert [TEXT[s:e] for s, e in spans] == quoted
    spans = markup.best_sentence_spans(TEXT, query_words=["Vilken region har cykelbibliotek?"])
    assert [TEXT[s:e] for s, e in spans] == ["Vi har cykelbibliotek och vikcyklar!"] or [
        TEXT[s:e] for s, e in spans
    ] == ["Region Örebro län arbetar med rena resor.", "Vi har cykelbibliotek och vikcyklar!"]
    assert markup.best_sentence_spans(TEXT, query_words=["xyzzy"]) == []
    # The answer drops the quote dash and may quote a whole quote line.
    spans = markup.best_sentence_spans(
        TEXT, quoted=["Det finns ett sug efter berättelser, säger Mirja. Och mer."]
    )
    assert [TEXT[s:e] for s, e in spans] == ["- Det finns ett sug efter berättelser, säger Mirja."]


def test_highlight_wraps_spans_and_escapes_everything():
    text = "Första <b>meningen</b>. Andra [länk](x) meningen."
    spans = sentence_spans(text)
    out = markup.highlight_passage(text, [spans[1]])
    assert out.count("<mark>") == 1
    assert "<b>" not in out and "[" not in out
    assert html.unescape(out.replace("<mark>", "").replace("</mark>", "")) == text


def test_md_escape_for_export_is_readable_and_entity_free():
    out = markup.md_escape("a <b> &amp; *x* [l](u)\n1. item\n- q\n    kod", export=True)
    assert out == "a \\<b> \\&amp; \\*x\\* \\[l\\](u)\n1\\. item\n\\- q\nkod"
    assert "&lt;" not in out and "&gt;" not in out


def test_md_escape_for_export_escapes_only_what_markdown_would_read():
    """Pasted as plain text, a note shows the speaker's words, not backslashes."""
    text = "5 * 3 mnkr, 2 < 3 > 1, snitt_värde, cirka ~ 40 % # 2 och a\\b"
    assert markup.md_escape(text, export=True) == text
    assert markup.md_escape("<viktigt> *mycket*", export=True) == "\\<viktigt> \\*mycket\\*"


# ---------------------------------------------------------------- corpus text: emphasis and links


def _tags(out: str) -> set[str]:
    return set(re.findall(r"</?([a-z]+)", out))


def test_rich_shows_the_authors_emphasis():
    out = markup.rich("Lärpasset hette *Oväntade vinster* och **Rena resan** och _kursiv_.")
    assert "<em>Oväntade vinster</em>" in out and "<strong>Rena resan</strong>" in out
    assert "<em>kursiv</em>" in out and "*" not in out


@pytest.mark.parametrize(
    "text",
    [
        "*<script>alert(1)</script>*",
        "**<img src=x onerror=alert(1)>**",
        "*[klicka](javascript:alert(1))*",
        "<a href='javascript:alert(1)'>x</a> javascript:alert(1)",
        '<https://evil.example/"onmouseover="alert(1)>',
        "*:red[färg]* $x$ `kod`",
    ],
)
def test_rich_is_still_escaped_against_injection(text):
    out = markup.rich(text)
    assert _tags(out) <= {"em", "strong", "a"}
    for href in re.findall(r'href="([^"]*)"', out):
        assert html.unescape(href).startswith(("https://", "http://"))
    assert "javascript" not in "".join(re.findall(r'href="([^"]*)"', out))
    # Only our own tags are HTML; every other character of the text is shown as written.
    visible = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert visible == strip_emphasis(text)


def test_rich_makes_web_addresses_clickable_and_shows_them_as_written():
    out = markup.rich("Läs mer: <https://www.reglab.se/a_b.pdf>. Eller www.mucf.se, tack.")
    links = re.findall(
        r'<a href="([^"]+)" target="_blank" rel="noopener noreferrer">([^<]+)</a>', out
    )
    assert [(html.unescape(h), html.unescape(t)) for h, t in links] == [
        ("https://www.reglab.se/a_b.pdf", "https://www.reglab.se/a_b.pdf"),
        ("https://www.mucf.se", "www.mucf.se"),
    ]
    assert "&#60;https" not in out  # no raw "<https://…>" around the link
    assert html.unescape(re.sub(r"<[^>]+>", "", out)).endswith(", tack.")


def test_text_outside_links_is_never_autolinked_by_markdown():
    # Streamlit's Markdown turns "www.x.se" and "a@b.se" into links on its own.
    out = markup.esc("www.reglab.se och kansliet@reglab.se")
    assert "www." not in out and "@" not in out
    assert html.unescape(out) == "www.reglab.se och kansliet@reglab.se"


def test_highlight_keeps_emphasis_and_links_inside_a_sentence():
    text = "Första meningen. Region Örebro höll *Rena resan* se <https://a.se/x>. Sista."
    spans = sentence_spans(text)
    out = markup.highlight_passage(text, [spans[1]])
    assert "<mark>Region Örebro höll <em>Rena resan</em> se <a href=" in out
    assert out.count("<mark>") == 1
