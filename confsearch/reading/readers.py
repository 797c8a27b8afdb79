"""Format readers: file bytes → text plus blocks (txt, md, docx, pdf, html, jsonl).

Each reader returns :class:`confsearch.reading.layout.Parsed` documents: the cleaned text, its
blocks with heading levels where the format marks them, and what the format says about the
document (title, metadata). Encodings: UTF-8, UTF-16 with BOM, Windows-1252, Latin-1, with
mojibake repair. Everything that can go wrong with a file is raised as
:class:`Unreadable` with a Swedish reason.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from confsearch.reading import docmeta, pdflayout, xmlguard
from confsearch.reading import regions as gazetteer
from confsearch.reading.layout import (
    HR_RE,
    MD_HEADING_RE,
    Block,
    Parsed,
    line_spans,
    raw_blocks,
    split_heading_lines,
)
from confsearch.text import is_http_url, is_list_line, words

SUPPORTED_EXTENSIONS = frozenset(
    {".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm", ".jsonl"}
)

# ---------------------------------------------------------------- limits
# Every reader is bounded: a file over a limit is refused with a message that names the
# limit, and the rest of the corpus is read. Reading is linear in the text length, so
# these bound the time and memory one file can cost (tests/reading/test_readers_limits.py).
MAX_DOCUMENT_CHARS = 5_000_000  # about 2 500 pages of prose
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a .docx unpacked: every file inside the zip
MAX_DOCX_PARAGRAPHS = 50_000
# Paragraphs (blocks) of one document in any format, and documents of one .jsonl file:
# building passages costs about 0.2 ms per paragraph, so this bounds a 5 MB text of one-word
# paragraphs (1 000 000 of them, minutes) at the cost of the longest .docx accepted.
MAX_BLOCKS = 50_000
MAX_JSONL_DOCUMENTS = 50_000
MAX_DOCX_ELEMENTS = 1_000_000  # every XML part of a .docx together, whatever the prefix
MAX_HTML_ELEMENTS = 200_000
MAX_PDF_PAGES = 5_000
FILE_SECONDS = 120.0  # reading one file; checked between pages, paragraphs and elements


class Budget:
    """The time one file may take to read (checked cooperatively by the readers)."""

    def __init__(self, seconds: float = FILE_SECONDS) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise Unreadable(
                f"filen tog längre tid än {self.seconds:.0f} sekunder att läsa (gränsen) och "
                "lästes inte in"
            )


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def check_chars(text: str) -> str:
    if len(text) > MAX_DOCUMENT_CHARS:
        raise Unreadable(
            f"filen innehåller {len(text):,} tecken; gränsen är {MAX_DOCUMENT_CHARS:,} tecken "
            "per dokument. Dela upp den i mindre filer".replace(",", " ")
        )
    return text


# What the user can do about a file the reader library refuses; the library's own words
# (an exception name, "Stream has ended unexpectedly") mean nothing to her.
UNREADABLE_WORD = (
    "Word-filen går inte att öppna; den kan vara skadad. Öppna den i Word, spara den på "
    "nytt och försök igen"
)
UNREADABLE_PDF = (
    "PDF-filen är trasig eller går inte att läsa. Spara eller exportera den på nytt som "
    "PDF och försök igen"
)


class Unreadable(Exception):
    """Internal: a file cannot be turned into text; ``args[0]`` is the Swedish reason."""


_MAGIC = (
    (b"%PDF", "en PDF-fil"),
    (b"PK\x03\x04", "en ZIP-fil (t.ex. Word eller Excel)"),
    (b"\x89PNG", "en PNG-bild"),
    (b"\xff\xd8\xff", "en JPEG-bild"),
    (b"GIF8", "en GIF-bild"),
    (b"\xd0\xcf\x11\xe0", "ett äldre Office-dokument"),
    (b"\x1f\x8b", "en gzip-komprimerad fil"),
    (b"\x7fELF", "ett program"),
)
_CONTROL_BYTES = frozenset(range(0, 32)) - {9, 10, 12, 13} | {127}
_MOJIBAKE_RE = re.compile("Ã[\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes to text, returning (text, encoding used).

    UTF-8 (with or without BOM) and UTF-16 with BOM first; otherwise Windows-1252, the
    usual encoding of older Swedish Windows files (a superset of Latin-1 for letters), and
    Latin-1 as the last resort. UTF-8 that was once mis-decoded as Windows-1252 and saved
    again ("fÃ¶r") is repaired. Raises ``Unreadable`` for binary data.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise Unreadable("filen ser ut som UTF-16 men går inte att avkoda") from exc
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise Unreadable(f"filen är {what}, inte text (fel filändelse?)")
    sample = data[:65536]
    if sample:
        control = sum(1 for b in sample if b in _CONTROL_BYTES)
        if control / len(sample) > 0.02:
            raise Unreadable("filen innehåller binärdata, inte text")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
    if _MOJIBAKE_RE.search(text):
        for enc in ("cp1252", "latin-1"):
            try:
                repaired = text.encode(enc).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            return repaired, f"{encoding} (reparerad dubbelkodning)"
    return text, encoding


_STRIP_CHARS_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u2060\ufeff\u00ad]"
)
_SPACE_CHARS_RE = re.compile("[\u00a0\u2007\u202f\u2028\u2029]")


def clean_text(text: str) -> str:
    """Normalise text: NFC, \\n line ends, no control characters (except \\n and \\t),
    non-breaking spaces as spaces, soft hyphens/zero-width characters removed, trailing
    whitespace stripped from every line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _SPACE_CHARS_RE.sub(" ", text)
    text = _STRIP_CHARS_RE.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def title_from_filename(path: Path) -> str:
    stem = re.sub(r"[-_]+", " ", path.stem).strip()
    return stem[:1].upper() + stem[1:] if stem else path.name


def _parse_plain(text: str, fmt: str = "txt") -> Parsed:
    blocks = split_heading_lines(text, raw_blocks(text))
    return Parsed(text=text, blocks=blocks, fmt=fmt, explicit=False)


_SETEXT_RE = re.compile(r"^(=+|-+)\s*$")
_FRONT_MATTER_RE = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def _parse_markdown(text: str) -> Parsed:
    """``#`` headings are explicit; setext (underlined) headings too; front matter
    ``title:`` is the document title. Without any heading, the plain-text heuristic."""
    meta: dict[str, Any] = {}
    title = None
    offset = 0
    fm = _FRONT_MATTER_RE.match(text)
    if fm:
        for line in fm.group(1).split("\n"):
            key, sep, value = line.partition(":")
            if sep and key.strip():
                meta[key.strip()] = value.strip().strip("\"'")
        title = meta.get("title") or None
        offset = fm.end()
    blocks: list[Block] = []
    in_code = False
    for block in raw_blocks(text, offset):
        lines = line_spans(text, block.start, block.end)
        cur: list[tuple[int, int]] = []

        def flush(cur: list[tuple[int, int]] = cur) -> None:
            if cur:
                blocks.append(Block(cur[0][0], cur[-1][1]))
                cur.clear()

        for idx, (s, e) in enumerate(lines):
            line = text[s:e]
            if line.lstrip().startswith(("```", "~~~")):
                in_code = not in_code
            m = None if in_code else MD_HEADING_RE.match(line.strip())
            nxt = text[lines[idx + 1][0] : lines[idx + 1][1]] if idx + 1 < len(lines) else ""
            if m and line.lstrip().startswith("#"):
                flush()
                blocks.append(Block(s, e, level=len(m.group(1)), title=m.group(2)))
            elif (
                not in_code
                and idx + 1 < len(lines)
                and _SETEXT_RE.match(nxt)
                and line.strip()
                and not is_list_line(line)
            ):
                flush()
                level = 1 if nxt.strip().startswith("=") else 2
                blocks.append(Block(s, lines[idx + 1][1], level=level, title=line.strip()))
            elif idx > 0 and _SETEXT_RE.match(line) and blocks and blocks[-1].end == e:
                continue
            elif HR_RE.match(line):
                flush()
            else:
                cur.append((s, e))
        flush()
    explicit = any(b.level is not None for b in blocks)
    if not explicit:
        blocks = split_heading_lines(text, blocks)
    return Parsed(text=text, blocks=blocks, fmt="md", explicit=explicit, title=title, metadata=meta)


class _TextBuilder:
    """Builds a document text from extracted blocks, separated by blank lines."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blocks: list[Block] = []
        self.pos = 0

    def add(self, raw: str, level: int | None = None, links: Iterable[str] = ()) -> None:
        text = clean_text(raw).strip("\n")
        text = "\n".join(line.strip() for line in text.split("\n") if line.strip())
        if not text:
            return
        if self.parts:
            self.parts.append("\n\n")
            self.pos += 2
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        title = " ".join(text.split()) if level is not None else None
        self.blocks.append(Block(start, self.pos, level=level, links=tuple(links), title=title))

    @property
    def text(self) -> str:
        return "".join(self.parts)


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
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise Unreadable(
                    f"Word-filen packas upp till {_mb(unpacked)}; gränsen är "
                    f"{_mb(MAX_UNPACKED_BYTES)}"
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


def _parse_docx(path: Path, budget: Budget) -> Parsed:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_docx(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types
        raise Unreadable(UNREADABLE_WORD) from exc
    builder = _TextBuilder()
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


def _parse_pdf(path: Path, budget: Budget) -> Parsed:
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
    for page in pages:
        lines = [ln for ln in clean_text(page).split("\n") if not _PAGE_NUMBER_RE.match(ln)]
        cleaned.append("\n".join(lines).strip())
    text = "\n\n".join(p for p in cleaned if p)
    if not words(text):
        raise Unreadable(
            "PDF-filen saknar textlager (troligen inskannad bild); kör OCR på den först"
        )
    parsed = _parse_plain(text, "pdf")
    pdflayout.apply_styles(parsed, styles)  # larger or bold lines are headings
    parsed.metadata["pages"] = len(pages)
    try:
        info = reader.metadata
        info_title = str(info.title).strip() if info is not None and info.title else ""
    except Exception:  # broken document info dictionary: not worth failing the file
        info_title = ""
    parsed.title = info_title or None
    return parsed


_HTML_DROP = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "head", "nav", "form", "button"}
)
_HTML_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "li", "ul",
        "ol", "blockquote", "pre", "figure", "figcaption", "table", "tr", "dl", "dt", "dd",
        "address", "details", "summary", "body", "html",
    }
)  # fmt: skip


def _parse_html(data: bytes, budget: Budget) -> Parsed:
    """HTML → blocks, walking the tree with an explicit stack (any nesting depth)."""
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import PreformattedString

    try:
        xmlguard.count_html(data, MAX_HTML_ELEMENTS)
    except xmlguard.OverBudget as exc:
        raise Unreadable(
            f"HTML-filen har fler än {MAX_HTML_ELEMENTS:,} element (gränsen)".replace(",", " ")
        ) from exc
    soup = BeautifulSoup(data, "html.parser")
    head_title = soup.title.get_text(" ", strip=True) if soup.title else None
    page_meta: dict[str, str] = {}
    for tag in soup.find_all(["meta", "link"], limit=500):
        key = str(tag.get("property") or tag.get("name") or "").strip().lower()
        if tag.name == "link" and "canonical" in (tag.get("rel") or []):
            key, value = "canonical", tag.get("href")
        else:
            value = tag.get("content")
        if key and value and key not in page_meta:
            page_meta[key] = str(value)
    builder = _TextBuilder()
    buf: list[str] = []
    links: list[str] = []

    def flush() -> None:
        if buf:
            builder.add("".join(buf), None, links)
            buf.clear()
            links.clear()

    # Work items, done in document order: ("node", tag) visits the tag's children,
    # ("text", s) and ("link", url) collect, ("flush", None) ends a block, ("heading", tag).
    stack: list[tuple[str, object]] = [("node", soup)]
    steps = 0
    while stack:
        steps += 1
        if steps % 1024 == 0:
            budget.check()
        kind, item = stack.pop()
        if kind == "text":
            buf.append(item)
            continue
        if kind == "link":
            links.append(item)
            continue
        if kind == "flush":
            flush()
            continue
        if kind == "heading":
            flush()
            builder.add(item.get_text(" ", strip=True), int(item.name[1]))
            continue
        todo: list[tuple[str, object]] = []
        for child in item.children:
            if isinstance(child, PreformattedString):  # comments, doctype, CDATA
                continue
            if isinstance(child, NavigableString):
                todo.append(("text", re.sub(r"\s+", " ", str(child))))
                continue
            if not isinstance(child, Tag) or child.name in _HTML_DROP:
                continue
            name = child.name
            if re.fullmatch(r"h[1-6]", name):
                todo.append(("heading", child))
            elif name == "br":
                todo.append(("text", "\n"))
            elif name in ("td", "th"):
                todo += [("text", " "), ("node", child), ("text", " ")]
            elif name in _HTML_BLOCKS:
                todo += [("flush", None), ("node", child), ("flush", None)]
            else:
                if name == "a":
                    href = str(child.get("href") or "")
                    if is_http_url(href):
                        todo.append(("link", href))
                todo.append(("node", child))
        stack.extend(reversed(todo))
    flush()
    parsed = Parsed(
        text=check_chars(builder.text),
        blocks=builder.blocks,
        fmt="html",
        explicit=any(b.level is not None for b in builder.blocks),
        title=head_title or None,
        format_fields=docmeta.html_fields(page_meta),
    )
    if not parsed.explicit:
        parsed.blocks = split_heading_lines(parsed.text, parsed.blocks)
    return parsed


def parse_jsonl(data: bytes) -> tuple[list[Parsed], list[str]]:
    """One document per line. Returns parsed lines and Swedish notes on broken lines."""
    text, _ = decode_bytes(data)
    parsed: list[Parsed] = []
    problems: list[str] = []
    for lineno, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            problems.append(f"rad {lineno} (ogiltig JSON)")
            continue
        if len(parsed) >= MAX_JSONL_DOCUMENTS:
            raise Unreadable(
                f"filen har fler än {MAX_JSONL_DOCUMENTS:,} dokument (rader); det är gränsen. "
                "Dela upp den i mindre filer".replace(",", " ")
            )
        if not isinstance(obj, dict):
            problems.append(f"rad {lineno} (inte ett JSON-objekt)")
            continue
        doc_id = obj.get("id")
        body = obj.get("text")
        if doc_id is None or str(doc_id).strip() == "":
            problems.append(f"rad {lineno} (saknar fältet ”id”)")
            continue
        if not isinstance(body, str) or not body.strip():
            problems.append(f"rad {lineno} (saknar text i fältet ”text”)")
            continue
        body = clean_text(body).strip()
        title = _str_or_none(obj.get("title"))
        session = _str_or_none(obj.get("session")) or title or str(doc_id)
        region_field = obj.get("region")
        if isinstance(region_field, str):
            region_field = [region_field]
        regions_out: tuple[str, ...] | None = None
        if isinstance(region_field, list):
            names = []
            for r in region_field:
                if isinstance(r, str) and r.strip():
                    names.append(gazetteer.match_region_filter(r) or r.strip())
            regions_out = tuple(dict.fromkeys(names)) or None
        url = _str_or_none(obj.get("url"))
        extra = {
            k: v
            for k, v in obj.items()
            if k not in {"id", "text", "title", "session", "region", "url"}
        }
        extra["line"] = lineno
        if url:
            extra["url"] = url
        parsed.append(
            Parsed(
                text=body,
                blocks=raw_blocks(body),
                fmt="jsonl",
                explicit=True,
                title=title or session,
                metadata=extra,
                doc_id=str(doc_id).strip(),
                session_title=session,
                regions=regions_out,
                links=(url,) if url else (),
            )
        )
    return parsed, problems


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    s = " ".join(str(value).split())
    return s or None


def parse_file(path: Path, data: bytes, budget: Budget | None = None) -> list[Parsed]:
    """The parsed document(s) of one file (not .jsonl); raises :class:`Unreadable`."""
    budget = budget or Budget()
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return [check_blocks(_parse_docx(path, budget))]
    if suffix == ".pdf":
        return [check_blocks(_parse_pdf(path, budget))]
    if suffix in (".html", ".htm"):
        return [check_blocks(_parse_html(data, budget))]
    text, encoding = decode_bytes(data)
    text = clean_text(check_chars(text))
    # Every run of blank lines separates two blocks (and blocks are only split further),
    # so this many separators means too many blocks, counted before any block is built.
    if sum(1 for _ in _BLANK_RUN_RE.finditer(text)) - 1 > MAX_BLOCKS:
        raise _too_many_blocks()
    parsed = _parse_markdown(text) if suffix in (".md", ".markdown") else _parse_plain(text)
    parsed.metadata["encoding"] = encoding
    return [check_blocks(parsed)]


_BLANK_RUN_RE = re.compile(r"\n(?:[^\S\n]*\n)+")


def _too_many_blocks() -> Unreadable:
    return Unreadable(
        f"filen har fler än {MAX_BLOCKS:,} stycken (gränsen). Dela upp den i mindre filer".replace(
            ",", " "
        )
    )


def check_blocks(parsed: Parsed) -> Parsed:
    if len(parsed.blocks) > MAX_BLOCKS:
        raise _too_many_blocks()
    return parsed
