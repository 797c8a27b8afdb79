"""The files of ``bench/hostile.py``: for every reader its worst accepted case (just under
each limit) and the hostile cases the probes used (issues 13 and 27)."""

from __future__ import annotations

import json
import re

from confsearch.reading.readers import (
    MAX_BLOCKS,
    MAX_DOCX_ELEMENTS,
    MAX_DOCX_PARAGRAPHS,
    MAX_HTML_ELEMENTS,
    MAX_JSONL_DOCUMENTS,
    MAX_PDF_PAGES,
)
from tests.pdfs import assemble_pdf
from tests.reading.test_readers_limits import docx_bytes
from tests.reading.test_readers_structure import paragraph_bomb, prefixed_docx
from tests.test_swedish_errors import cyclic_pdf

UNDER = 10  # how far under a limit the "worst accepted" cases stay


def text_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` pages that share one content stream with one line of text."""
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    line = b"BT /F1 12 Tf 72 720 Td (Region Skane berattade om tag och cyklar.) Tj ET"
    objs.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(line), line))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    page += b"/Resources << /Font << /F1 3 0 R >> >> >>"
    objs += [page] * pages
    return assemble_pdf(objs)


def widest_docx() -> bytes:
    """Just under both .docx limits: MAX_DOCX_PARAGRAPHS paragraphs of runs, about
    MAX_DOCX_ELEMENTS elements in all."""
    paragraphs = MAX_DOCX_PARAGRAPHS - UNDER
    runs = (MAX_DOCX_ELEMENTS - 1000) // paragraphs // 2 - 1
    para = b"<w:p>" + b"<w:r><w:t>ord </w:t></w:r>" * runs + b"</w:p>"
    return prefixed_docx(para * paragraphs, b"w")


def cases() -> dict[str, tuple[str, bytes]]:
    """label -> (file name, bytes), in the order of the table."""
    words = ["region", "kommun", "samverkan", "cykel", "utveckling", "hållbar", "näringsliv"]
    out: dict[str, tuple[str, bytes]] = {}
    for kb in (100, 200, 400):
        text = " ".join(words[i % len(words)] for i in range(kb * 130))[: kb * 1024]
        out[f".txt without full stops, {kb} KB"] = (
            "utan.txt",
            ("Titel\n\nEtt pass\n\n" + text).encode(),
        )
    n = MAX_BLOCKS - UNDER
    out[f".txt, {n:,} one-word paragraphs (worst accepted)"] = (
        "stycken.txt",
        ("Titel\n\n" + "ord\n\n" * n).encode(),
    )
    out[".txt, 5 MB of one-word paragraphs"] = ("stor.txt", ("ord\n\n" * 1_000_000).encode())
    line = "Det här är en mening. ".encode()
    out[".txt, 19 MB on one line"] = ("rad.txt", line * (19 * 1024 * 1024 // len(line) + 1))
    out[f".md, {n:,} one-word paragraphs (worst accepted)"] = (
        "stycken.md",
        ("# Titel\n\n" + "ord\n\n" * n).encode(),
    )
    out[".docx, 10 000 paragraphs"] = ("lang.docx", docx_bytes(10_000))
    out[".docx, 49 990 paragraphs, ~1 000 000 elements (worst accepted)"] = (
        "bred.docx",
        widest_docx(),
    )
    out[".docx zip bomb, 400 000 paragraphs"] = ("bomb.docx", docx_bytes(400_000))
    out[".docx zip bomb, 400 000 paragraphs, prefix x:"] = ("x.docx", paragraph_bomb(400_000))
    out[".docx zip bomb, 13 000 000 paragraphs, prefix x: (the probe's 132 KB)"] = (
        "x13.docx",
        paragraph_bomb(13_000_000),
    )
    out[".docx, 1 000 010 runs in one paragraph, prefix x:"] = (
        "runs.docx",
        prefixed_docx(b"<x:p>" + b"<x:r/>" * (MAX_DOCX_ELEMENTS + 10) + b"</x:p>"),
    )
    out[".docx unpacking to 300 MB"] = ("stor.docx", docx_bytes(10, b"\0" * (300 << 20)))
    out[f".html, {n:,} paragraphs (worst accepted)"] = (
        "stycken.html",
        ("<html><body>" + "<p>ord</p>" * n + "</body></html>").encode(),
    )
    e = MAX_HTML_ELEMENTS - UNDER
    out[f".html, {e:,} inline elements in one paragraph (worst accepted)"] = (
        "inline.html",
        ("<html><body><p>" + "<b>ord</b> " * (e - 3) + "</p></body></html>").encode(),
    )
    out[".html element bomb, 1 000 000 elements"] = (
        "bomb.html",
        ("<html><body>" + "<i>" * 1_000_000).encode(),
    )
    out[f".pdf, {MAX_PDF_PAGES - UNDER:,} pages of text (worst accepted)"] = (
        "sidor.pdf",
        text_pdf(MAX_PDF_PAGES - UNDER),
    )
    out[f".pdf, {MAX_PDF_PAGES + 1:,} pages"] = ("for-manga.pdf", text_pdf(MAX_PDF_PAGES + 1))
    out[".pdf with a cyclic page tree"] = ("cykel.pdf", cyclic_pdf())
    j = MAX_JSONL_DOCUMENTS - UNDER
    sentence = "Region Skåne berättade om tåg och cyklar i regionen, del {}. "
    out[f".jsonl, {j:,} documents (worst accepted)"] = (
        "rader.jsonl",
        "".join(
            json.dumps({"id": str(i), "text": sentence.format(i) * 4}) + "\n" for i in range(j)
        ).encode(),
    )
    return {re.sub(r"(?<=\d),(?=\d)", " ", label): v for label, v in out.items()}  # 49 990
