"""Hostile and unlucky files: every reader is bounded, nothing hangs, nothing is truncated.

Each hostile file is read in a child process that reports its peak memory, so a reader
that explodes cannot take the test run with it; the child's timeout is only a hang guard
(5× the 30 s the issue allows). ``bench/hostile.py`` measures and records the times.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from confsearch.reading.corpus import read_corpus
from confsearch.reading.passages import approx_token_count
from tests.conftest import ROOT
from tests.docxfiles import docx_package

HANG_GUARD = 150  # seconds; the budget is 30 s, tests allow a 5× slower machine
MAX_RSS_MB = 1536

# Peak RSS from VmHWM: ru_maxrss would include the pytest parent's memory at fork time.
CHILD = """
import json, re, sys, time
from pathlib import Path
from confsearch.reading.corpus import read_corpus
t0 = time.perf_counter()
result = read_corpus(Path(sys.argv[1]))
hwm = re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1)
print(json.dumps({
    "seconds": time.perf_counter() - t0,
    "rss_mb": int(hwm) / 1024,
    "passages": len(result.passages),
    "errors": [[e.file, e.kind, e.message] for e in result.errors],
}))
"""


def read_in_child(corpus: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(corpus)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    print(f"\n{corpus.name}: {out['seconds']:.2f} s, {out['rss_mb']:.0f} MB, {out['errors']}")
    assert out["rss_mb"] <= MAX_RSS_MB
    return out


def docx_bytes(paragraphs: int, filler: bytes = b"") -> bytes:
    """A minimal Word document with ``paragraphs`` tiny paragraphs (a zip bomb when many)."""
    body = b"".join(b"<w:p><w:r><w:t>Ord %d</w:t></w:r></w:p>" % i for i in range(paragraphs))
    doc = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + body + b"</w:body></w:document>"
    )
    return docx_package(doc, {"word/media/filler.bin": filler} if filler else None)


@pytest.mark.process
def test_docx_zip_bomb_of_paragraphs_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    data = docx_bytes(400_000)
    (corpus / "bomb.docx").write_bytes(data)
    (corpus / "ok.txt").write_text("Rubrik\n\nEn vanlig text om cyklar i Region Örebro län.\n")
    out = read_in_child(corpus)
    assert len(data) < 2_000_000  # small on disk …
    [(file, kind, message)] = out["errors"]
    assert (file, kind) == ("bomb.docx", "error") and "stycken (gränsen)" in message
    assert out["passages"] >= 1  # … and the rest of the corpus is read


@pytest.mark.process
def test_docx_that_unpacks_to_gigabytes_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bomb.docx").write_bytes(docx_bytes(10, filler=b"\0" * (300 * 1024 * 1024)))
    out = read_in_child(corpus)
    [(_file, _kind, message)] = out["errors"]
    assert "packas upp till 300 MB" in message and "gränsen är 100 MB" in message


@pytest.mark.process
def test_docx_of_ten_thousand_paragraphs_is_read(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "lang.docx").write_bytes(docx_bytes(10_000))
    out = read_in_child(corpus)
    assert out["errors"] == [] and out["passages"] > 100


@pytest.mark.process
def test_19_mb_single_line_is_refused_by_the_character_limit(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "rad.txt").write_text("Det här är en mening om regioner. " * 570_000)
    assert (corpus / "rad.txt").stat().st_size > 19_000_000
    out = read_in_child(corpus)
    [(_file, _kind, message)] = out["errors"]
    assert "gränsen är 5 000 000 tecken" in message


@pytest.mark.process
@pytest.mark.parametrize("kb", [100, 200, 400])
def test_text_without_full_stops_is_read(tmp_path, kb):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    words = ("region kommun samverkan cykel utveckling hållbar näringsliv projekt " * 2000).split()
    text = " ".join(words)
    while len(text) < kb * 1024:
        text += " " + text
    (corpus / "utan.txt").write_text("Titel\n\nEtt pass\n\n" + text[: kb * 1024])
    out = read_in_child(corpus)
    assert out["errors"] == [] and out["passages"] >= kb // 4


@pytest.mark.process
def test_deeply_nested_html_is_read_without_recursion_errors(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    depth = 20_000
    html = "<html><body>" + "<div>" * depth + "<p>Djupt inne finns en text om cyklar.</p>"
    (corpus / "djup.html").write_text(html + "</div>" * depth + "</body></html>")
    out = read_in_child(corpus)
    assert out["errors"] == [], out["errors"]
    assert out["passages"] == 1


def test_html_with_too_many_elements_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "stor.html").write_text("<html><body>" + "<span>x</span>" * 250_000)
    result = read_corpus(corpus)
    assert "element (gränsen)" in result.errors[0].message


def test_a_giant_word_is_split_never_truncated(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    word = "abcdefghij" * 10_000  # 100 000 characters, no space
    (corpus / "ord.txt").write_text(f"Titel\n\nEtt pass\n\nFöre {word} efter.\n")
    result = read_corpus(corpus, max_tokens=480)
    joined = "".join(p.text.replace(" ", "") for p in result.passages)
    assert word in joined  # every character is in some passage
    assert all(approx_token_count(p.text) <= 480 for p in result.passages)


def test_markdown_with_only_headings_is_reported(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "rubriker.md").write_text("# Titel\n\n## Ett\n\n## Två\n", encoding="utf-8")
    result = read_corpus(corpus)
    assert result.passages == ()
    [error] = result.errors
    assert error.file == "rubriker.md" and "bara rubriker" in error.message


def test_files_that_are_not_what_they_seem(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("Rubrik\n\nEn vanlig text om cyklar i Region Örebro län.\n")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "noll.txt").symlink_to("/dev/zero")
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "inne.txt").symlink_to(corpus / "ok.txt")  # a link inside the folder is fine
    result = read_corpus(corpus)  # a FIFO opened for reading would block forever
    by_file = {e.file: e.message for e in result.errors}
    assert "utanför korpusmappen" in by_file["passwd.txt"]
    assert "utanför korpusmappen" in by_file["noll.txt"]
    assert "ingen vanlig fil" in by_file["pipe.txt"]
    assert not any("root:" in p.text for p in result.passages)
    assert "utanför" not in by_file.get("inne.txt", "")  # at most a duplicate of ok.txt


def test_pdf_over_the_page_limit_is_refused_and_the_rest_read(tmp_path, monkeypatch):
    from pypdf import PdfWriter

    from confsearch.reading import officeformats

    monkeypatch.setattr(officeformats, "MAX_PDF_PAGES", 2)  # a 5 001-page PDF, in miniature
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=200, height=200)
    with (corpus / "lang.pdf").open("wb") as f:
        writer.write(f)
    (corpus / "ok.txt").write_text("Rubrik\n\nEn vanlig text om cyklar i Region Örebro län.\n")
    result = read_corpus(corpus)
    [error] = result.errors
    assert error.file == "lang.pdf" and "PDF-filen har 3 sidor; gränsen är 2 sidor" in error.message
    assert result.passages and all(p.source.endswith("ok.txt") for p in result.passages)


def test_a_file_over_its_time_budget_is_refused_and_the_rest_read(tmp_path, monkeypatch):
    """The per-file time budget, spent before the reader starts (as if the file were slow)."""
    from confsearch.reading import corpus as corpus_module
    from confsearch.reading.readers import Budget

    monkeypatch.setattr(corpus_module, "Budget", lambda: Budget(seconds=-1.0))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "sida.html").write_text("<html><body>" + "<p>Ett stycke.</p>" * 3000)
    (corpus / "ok.txt").write_text("Rubrik\n\nEn vanlig text om cyklar i Region Örebro län.\n")
    result = read_corpus(corpus)
    [error] = result.errors
    assert error.file == "sida.html" and "tog längre tid än" in error.message
    assert "(gränsen)" in error.message
    assert any(p.source.endswith("ok.txt") for p in result.passages)
