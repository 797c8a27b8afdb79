"""Readers of text formats: plain text, Markdown, HTML and JSON Lines, and the decoding they share.

These start from bytes the corpus reader already holds (encodings: UTF-8, UTF-16 with BOM,
Windows-1252, Latin-1, with mojibake repair) and need no document library but
BeautifulSoup for HTML.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from confsearch.reading import docmeta, xmlguard
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
from confsearch.reading.readlimits import (
    MAX_HTML_ELEMENTS,
    MAX_JSONL_DOCUMENTS,
    Budget,
    Unreadable,
    check_chars,
)
from confsearch.text import is_http_url, is_list_line

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


def parse_plain(text: str, fmt: str = "txt") -> Parsed:
    blocks = split_heading_lines(text, raw_blocks(text))
    return Parsed(text=text, blocks=blocks, fmt=fmt, explicit=False)


_SETEXT_RE = re.compile(r"^(=+|-+)\s*$")
_FRONT_MATTER_RE = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def parse_markdown(text: str) -> Parsed:
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


class TextBuilder:
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


def parse_html(data: bytes, budget: Budget) -> Parsed:
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
    builder = TextBuilder()
    buf: list[str] = []
    links: list[str] = []

    def flush() -> None:
        if buf:
            builder.add("".join(buf), None, links)
            buf.clear()
            links.clear()

    # Work items, done in document order: ("node", tag) visits the tag's children,
    # ("text", s) and ("link", url) collect, ("flush", None) ends a block, ("heading", tag).
    stack: list[tuple[str, Any]] = [("node", soup)]
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
        todo: list[tuple[str, Any]] = []
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
