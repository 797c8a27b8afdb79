"""Readers of office documents: Word (.docx) and PDF.

They open a file with a document library (python-docx, pypdf), imported only when such a
file is read, and check a .docx's zip and XML before the library sees it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from confsearch.reading import pdflayout, xmlguard
from confsearch.reading.layout import (
    Parsed,
    split_heading_lines,
)
from confsearch.reading.readlimits import (
    MAX_DOCUMENT_CHARS,
    MAX_DOCX_ELEMENTS,
    MAX_DOCX_PARAGRAPHS,
    MAX_PDF_PAGES,
    MAX_UNPACKED_BYTES,
    UNREADABLE_PDF,
    UNREADABLE_WORD,
    Budget,
    Unreadable,
    check_chars,
    megabytes,
)
from confsearch.reading.textformats import TextBuilder, clean_text, parse_plain
from confsearch.text import words


def _docx_heading_level(style_name: str) -> int | None:
    name = style_name.strip().lower()
    if name in ("title", "rubrik"):
        return 1
    m = re.match(r"(?:heading|rubrik)\s*(\d)$", name)
    return int(m.group(1)) + 1 if m else None


def _check_docx(path: Path) -> None:
    """Refuse zip bombs before python-docx unpacks anything: the unpacked size of every
    member (zipfile never inflates past the size a header declares), then the elements of
    every XML part and the paragraphs, counted by namespace whatever the prefix while
    streaming (:mod:`confsearch.reading.xmlguard`)."""
    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise Unreadable(
                    f"Word-filen packas upp till {megabytes(unpacked)}; gränsen är "
                    f"{megabytes(MAX_UNPACKED_BYTES)}"
                )
            zf.getinfo("word/document.xml")
        xmlguard.count_docx(path, MAX_DOCX_ELEMENTS, MAX_DOCX_PARAGRAPHS)
    except Unreadable:
        raise
    except xmlguard.OverBudget as exc:
        if exc.args[0] == "paragraphs":
            limit = f"fler än {MAX_DOCX_PARAGRAPHS:,} stycken (gränsen)"
        else:
            limit = f"fler än {MAX_DOCX_ELEMENTS:,} XML-element (gränsen)"
        raise Unreadable(f"Word-filen har {limit}".replace(",", " ")) from exc
    except xmlguard.BrokenXml as exc:
        raise Unreadable("Word-filen är trasig (innehållet är inte giltig XML)") from exc
    except KeyError as exc:
        raise Unreadable("Word-filen saknar sitt huvuddokument (word/document.xml)") from exc
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
        raise Unreadable(UNREADABLE_WORD) from exc


def parse_docx(path: Path, budget: Budget) -> Parsed:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_docx(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types
        raise Unreadable(UNREADABLE_WORD) from exc
    builder = TextBuilder()
    for n, item in enumerate(document.iter_inner_content()):
        if n % 256 == 0:
            budget.check()
        if isinstance(item, Paragraph):
            style = item.style.name if item.style is not None else ""
            links = []
            for link in item.hyperlinks:
                try:
                    url = link.url
                except Exception:  # malformed relationship
                    url = ""
                if url:
                    links.append(url)
            builder.add(item.text, _docx_heading_level(style or ""), links)
        elif isinstance(item, Table):
            for row in item.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                builder.add(" | ".join(cells))
    props = document.core_properties
    meta = {k: v for k, v in (("author", props.author), ("subject", props.subject)) if v}
    parsed = Parsed(
        text=check_chars(builder.text),
        blocks=builder.blocks,
        fmt="docx",
        explicit=any(b.level is not None for b in builder.blocks),
        title=(props.title or "").strip() or None,
        metadata=meta,
    )
    if not parsed.explicit:
        parsed.blocks = split_heading_lines(parsed.text, parsed.blocks)
    return parsed


_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:sida\s*)?\d{1,4}(?:\s*(?:av|/)\s*\d{1,4})?\s*$", re.IGNORECASE
)


def parse_pdf(path: Path, budget: Budget) -> Parsed:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise Unreadable("PDF-filen är lösenordsskyddad") from exc
        if len(reader.pages) > MAX_PDF_PAGES:
            raise Unreadable(
                f"PDF-filen har {len(reader.pages)} sidor; gränsen är {MAX_PDF_PAGES} sidor"
            )
        pages = []
        styles: dict[str, tuple[float, bool]] = {}
        chars = 0
        for page in reader.pages:
            budget.check()
            page_text, page_styles = pdflayout.read_page(page)  # text and font per line
            pages.append(page_text)
            styles.update(page_styles)
            chars += len(pages[-1])
            if chars > MAX_DOCUMENT_CHARS:
                check_chars("x" * chars)
    except Unreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise Unreadable(UNREADABLE_PDF) from exc
    cleaned = []
    for page_text in pages:
        lines = [ln for ln in clean_text(page_text).split("\n") if not _PAGE_NUMBER_RE.match(ln)]
        cleaned.append("\n".join(lines).strip())
    text = "\n\n".join(p for p in cleaned if p)
    if not words(text):
        raise Unreadable(
            "PDF-filen saknar textlager (troligen inskannad bild); kör OCR på den först"
        )
    parsed = parse_plain(text, "pdf")
    pdflayout.apply_styles(parsed, styles)  # larger or bold lines are headings
    parsed.metadata["pages"] = len(pages)
    try:
        info = reader.metadata
        info_title = str(info.title).strip() if info is not None and info.title else ""
    except Exception:  # broken document info dictionary: not worth failing the file
        info_title = ""
    parsed.title = info_title or None
    return parsed
