"""Readers bounded by the XML structure, not by a prefix (issue 27, finding 11): a .docx
whose paragraphs are written ``<x:p>`` with ``x`` bound to the WordprocessingML namespace
is counted like ``<w:p>``; every XML part has an element budget; HTML elements are start
tags, not ``<`` characters. No library error reaches the user."""

from __future__ import annotations

import pytest

from confsearch.reading import officeformats, readers, readlimits, textformats
from confsearch.reading.corpus import read_corpus
from confsearch.reading.readers import (
    MAX_BLOCKS,
    MAX_DOCX_ELEMENTS,
    MAX_DOCX_PARAGRAPHS,
    MAX_JSONL_DOCUMENTS,
)
from tests.docxfiles import docx_package
from tests.reading.test_readers_limits import read_in_child


def lower_limit(monkeypatch, name: str, value: int) -> None:
    """Lower a reader limit wherever a reader module reads it (the limits live in
    readlimits; the format readers import the ones they check)."""
    for module in (readers, readlimits, textformats, officeformats):
        if hasattr(module, name):
            monkeypatch.setattr(module, name, value)


W_NS = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def prefixed_docx(body: bytes, prefix: bytes = b"x", extra: dict | None = None) -> bytes:
    """A .docx whose document.xml uses ``prefix`` for WordprocessingML; ``body`` is the
    content of the body element, written with that prefix."""
    doc = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<%s:document xmlns:%s="%s"><%s:body>'
        % (prefix, prefix, W_NS, prefix)
        + body
        + b"</%s:body></%s:document>" % (prefix, prefix)
    )
    return docx_package(doc, extra, compresslevel=9)


def paragraph_bomb(paragraphs: int, prefix: bytes = b"x") -> bytes:
    return prefixed_docx(b"<%s:p/>" % prefix * paragraphs, prefix)


def _read_one(tmp_path, name: str, data: bytes):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / name).write_bytes(data)
    (corpus / "ok.txt").write_text("Rubrik\n\nEn vanlig text om cyklar i Region Örebro län.\n")
    return corpus


@pytest.mark.parametrize("prefix", [b"w", b"x", b"ns0"])
def test_docx_paragraphs_are_counted_whatever_the_prefix(tmp_path, prefix):
    data = paragraph_bomb(MAX_DOCX_PARAGRAPHS + 1000, prefix)
    result = read_corpus(_read_one(tmp_path, "bomb.docx", data))
    [error] = result.errors
    assert error.file == "bomb.docx" and "fler än 50 000 stycken (gränsen)" in error.message
    assert any(p.source.endswith("ok.txt") for p in result.passages)


# Counting a million elements is the same loop as counting ten thousand: the element
# budget is lowered for the tests below (the message still names the budget in force).
SMALL_BUDGET = 10_000


def test_docx_elements_outside_paragraphs_are_counted_too(tmp_path, monkeypatch):
    lower_limit(monkeypatch, "MAX_DOCX_ELEMENTS", SMALL_BUDGET)
    body = b"<x:p>" + b"<x:r/>" * (SMALL_BUDGET + 10) + b"</x:p>"
    result = read_corpus(_read_one(tmp_path, "runs.docx", prefixed_docx(body)))
    [error] = result.errors
    assert "fler än 10 000 XML-element (gränsen)" in error.message


def test_docx_styles_part_counts_against_the_element_budget(tmp_path, monkeypatch):
    lower_limit(monkeypatch, "MAX_DOCX_ELEMENTS", SMALL_BUDGET)
    styles = b"<s:styles xmlns:s='%s'>" % W_NS + b"<s:style/>" * (SMALL_BUDGET + 10)
    data = prefixed_docx(
        b"<x:p><x:r><x:t>Hej</x:t></x:r></x:p>", extra={"word/styles.xml": styles + b"</s:styles>"}
    )
    result = read_corpus(_read_one(tmp_path, "stilar.docx", data))
    [error] = result.errors
    assert "fler än 10 000 XML-element (gränsen)" in error.message


def test_the_real_element_budget_is_a_million():
    assert MAX_DOCX_ELEMENTS == 1_000_000


def test_docx_that_is_not_xml_is_named_in_swedish(tmp_path):
    data = prefixed_docx(b"<x:p><x:r><x:t>Hej</x:t></x:r></x:p><x:p>&bad;<")
    result = read_corpus(_read_one(tmp_path, "trasig.docx", data))
    [error] = result.errors
    assert "Word-filen är trasig (innehållet är inte giltig XML)" in error.message
    assert "Error" not in error.message and "(x" not in error.message


def test_docx_with_another_prefix_is_read_as_usual(tmp_path):
    body = b"".join(
        b"<x:p><x:r><x:t>Region %d ordnar cykelbibliotek i kommunen.</x:t></x:r></x:p>" % i
        for i in range(50)
    )
    result = read_corpus(_read_one(tmp_path, "ok.docx", prefixed_docx(body)))
    assert result.errors == ()
    assert any("cykelbibliotek" in p.text for p in result.passages if "ok.docx" in p.source)


def test_html_less_than_signs_that_are_no_elements_are_not_counted(tmp_path):
    """Elements are start tags: a comparison in a script or in prose is no element (each
    ``<`` was counted as one, so this page was refused)."""
    script = "<script>" + "if (a<b) { n++; } " * 210_000 + "</script>"
    prose = "<p>Kostnaden per resa < 20 kronor i Region Skåne.</p>"
    html = f"<html><head>{script}</head><body><h1>Jämförelse</h1>{prose}</body></html>"
    assert html.count("<") > 200_000
    result = read_corpus(_read_one(tmp_path, "jamforelse.html", html.encode()))
    assert result.errors == ()
    assert any("< 20 kronor" in p.text for p in result.passages)


@pytest.mark.process
def test_the_probes_132_kb_prefix_bomb_is_refused_cheaply(tmp_path):
    """The probe's file: 132 KB on disk, ~80 MB of ``<x:p/>`` unpacked (under the 100 MB
    unpacked limit). It took 3.0 GB and ended in "oväntat fel (XPathEvalError)"."""
    data = paragraph_bomb(13_000_000)
    assert len(data) < 200_000
    out = read_in_child(_read_one(tmp_path, "bomb.docx", data))  # asserts ≤ 1.5 GB peak
    [(file, kind, message)] = out["errors"]
    assert (file, kind) == ("bomb.docx", "error")
    assert "fler än 50 000 stycken (gränsen)" in message
    assert out["rss_mb"] < 200  # the streaming count keeps no tree


@pytest.mark.parametrize(
    ("name", "text", "limit"),
    [
        ("stycken.txt", "Titel\n\n" + "ord\n\n" * (MAX_BLOCKS + 10), MAX_BLOCKS),
        ("stycken.md", "# Titel\n\n" + "ord\n\n" * (MAX_BLOCKS + 10), MAX_BLOCKS),
        # HTML is parsed (within its element budget) before its blocks are counted: the
        # same count at a lowered limit (50 000 paragraphs cost 1.6 s of the unit tier)
        ("stycken.html", "<html><body>" + "<p>ord</p>" * 510 + "</body></html>", 500),
    ],
)
def test_a_document_of_too_many_paragraphs_is_refused_in_any_format(
    tmp_path, monkeypatch, name, text, limit
):
    """A 5 MB text of one-word paragraphs took minutes to split into passages; every
    format now has the paragraph limit that .docx had."""
    lower_limit(monkeypatch, "MAX_BLOCKS", limit)
    result = read_corpus(_read_one(tmp_path, name, text.encode()))
    [error] = result.errors
    shown = f"{limit:,}".replace(",", " ")
    assert error.file == name and f"fler än {shown} stycken (gränsen)" in error.message
    assert any(p.source.endswith("ok.txt") for p in result.passages)


def test_a_jsonl_file_of_too_many_documents_is_refused(tmp_path, monkeypatch):
    """The same check as at the real limit of 50 000 lines, at 500 (0.7 s less)."""
    lower_limit(monkeypatch, "MAX_JSONL_DOCUMENTS", 500)
    line = '{"id": "%d", "text": "Region Skåne om tåg."}\n'
    data = "".join(line % i for i in range(500 + 10)).encode()
    result = read_corpus(_read_one(tmp_path, "rader.jsonl", data))
    [error] = result.errors
    assert error.file == "rader.jsonl" and "fler än 500 dokument" in error.message


def test_the_real_limits_are_fifty_thousand():
    assert MAX_BLOCKS == MAX_JSONL_DOCUMENTS == 50_000


@pytest.mark.process
def test_a_5_mb_text_of_one_word_paragraphs_is_refused_before_its_blocks_are_built(tmp_path):
    """A million blocks were built (463 MB) before they were counted."""
    data = ("ord\n\n" * 1_000_000).encode()
    out = read_in_child(_read_one(tmp_path, "stor.txt", data))
    [(file, _kind, message)] = out["errors"]
    assert file == "stor.txt" and "fler än 50 000 stycken (gränsen)" in message
    assert out["rss_mb"] < 200
