"""Format readers: file bytes → text plus blocks (txt, md, docx, pdf, html, jsonl).

Each reader returns :class:`confsearch.reading.layout.Parsed` documents: the cleaned text, its
blocks with heading levels where the format marks them, and what the format says about the
document (title, metadata). Encodings: UTF-8, UTF-16 with BOM, Windows-1252, Latin-1, with
mojibake repair. Everything that can go wrong with a file is raised as
:class:`Unreadable` with a Swedish reason.

This module picks the reader for a file. The readers live in
:mod:`~confsearch.reading.textformats` (txt, md, html, jsonl) and
:mod:`~confsearch.reading.officeformats` (docx, pdf), their limits in
:mod:`~confsearch.reading.readlimits`; every name is importable from here too.
"""

from __future__ import annotations

from pathlib import Path

from confsearch.reading.layout import Parsed
from confsearch.reading.officeformats import parse_docx, parse_pdf
from confsearch.reading.readlimits import (
    BLANK_RUN_RE,
    FILE_SECONDS,
    MAX_BLOCKS,
    MAX_DOCUMENT_CHARS,
    MAX_DOCX_ELEMENTS,
    MAX_DOCX_PARAGRAPHS,
    MAX_HTML_ELEMENTS,
    MAX_JSONL_DOCUMENTS,
    MAX_PDF_PAGES,
    MAX_UNPACKED_BYTES,
    UNREADABLE_PDF,
    UNREADABLE_WORD,
    Budget,
    Unreadable,
    check_blocks,
    check_chars,
    too_many_blocks,
)
from confsearch.reading.textformats import (
    clean_text,
    decode_bytes,
    parse_html,
    parse_jsonl,
    parse_markdown,
    parse_plain,
    title_from_filename,
)

__all__ = [
    "FILE_SECONDS",
    "MAX_BLOCKS",
    "MAX_DOCUMENT_CHARS",
    "MAX_DOCX_ELEMENTS",
    "MAX_DOCX_PARAGRAPHS",
    "MAX_HTML_ELEMENTS",
    "MAX_JSONL_DOCUMENTS",
    "MAX_PDF_PAGES",
    "MAX_UNPACKED_BYTES",
    "SUPPORTED_EXTENSIONS",
    "UNREADABLE_PDF",
    "UNREADABLE_WORD",
    "Budget",
    "Unreadable",
    "check_blocks",
    "check_chars",
    "clean_text",
    "decode_bytes",
    "parse_file",
    "parse_jsonl",
    "title_from_filename",
]

SUPPORTED_EXTENSIONS = frozenset(
    {".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm", ".jsonl"}
)


def parse_file(path: Path, data: bytes, budget: Budget | None = None) -> list[Parsed]:
    """The parsed document(s) of one file (not .jsonl); raises :class:`Unreadable`."""
    budget = budget or Budget()
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return [check_blocks(parse_docx(path, budget))]
    if suffix == ".pdf":
        return [check_blocks(parse_pdf(path, budget))]
    if suffix in (".html", ".htm"):
        return [check_blocks(parse_html(data, budget))]
    text, encoding = decode_bytes(data)
    text = clean_text(check_chars(text))
    # Every run of blank lines separates two blocks (and blocks are only split further),
    # so this many separators means too many blocks, counted before any block is built.
    if sum(1 for _ in BLANK_RUN_RE.finditer(text)) - 1 > MAX_BLOCKS:
        raise too_many_blocks()
    parsed = parse_markdown(text) if suffix in (".md", ".markdown") else parse_plain(text)
    parsed.metadata["encoding"] = encoding
    return [check_blocks(parsed)]
