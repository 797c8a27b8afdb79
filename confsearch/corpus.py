"""Reading the corpus folder into documents, sessions and passages.

A conference text is a *document* (one file, or one line of a ``.jsonl`` file) made of
*sessions* (lärpass, seminars): a heading followed by paragraphs. Search works on
*passages*: roughly one paragraph each, short ones merged and long ones split so that
every passage fits the embedding model's token budget. Passages never cross a session,
because a hit is shown – and attributed to a region – as part of its session.

Design notes

* Plain text has no markup, so session headings are found by a heuristic
  (:func:`is_heading_line`, :func:`_assign_heading_levels`): a heading is a short
  single line, on its own between blank lines, starting with a capital letter, without
  sentence punctuation except an optional single final "?", and followed by a prose
  paragraph (never by a URL line). The first such line of a file is the document title.
  Markdown ``#``, HTML ``<h1>``–``<h3>`` and Word heading styles are used as given.
* Everything that can go wrong with one file (unreadable, binary, empty, broken JSON
  lines, duplicates) is reported as a :class:`ReadError` with a Swedish message and the
  rest of the corpus is still read.
* Offsets (``start``/``end``) index :attr:`Document.text`, the cleaned text of the file
  (for Word/HTML/PDF: the extracted text, blocks separated by blank lines), so a hit can
  be shown in context. Passage text is that slice with whitespace tidied up.
* Passage ids hash (source, document id, session title, passage text): they survive edits
  elsewhere in the file, so cached embeddings and bookmarks stay valid.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from confsearch import regions as gazetteer

# ------------------------------------------------------------------------- constants

SUPPORTED_EXTENSIONS = frozenset(
    {".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm", ".jsonl"}
)
DEFAULT_MAX_TOKENS = 480
# Larger files are named and skipped: 20 MB of text is ~3M words, hours of embedding on a
# laptop, and almost always an export that should be split or is not prose at all.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Paragraphs with fewer words than this (URLs not counted) are merged with a neighbour:
# stubs ("Hela modellen finns presenterad här: <länk>") are poor search hits on their own
# but useful context for the paragraph next to them. So are one-sentence paragraphs
# shorter than ONE_LINER_WORDS ("De prioriterar om i RUS:en för att fler ska känna
# ägarskap och engagemang."), and a paragraph ending in ":" always introduces the next.
MIN_PASSAGE_WORDS = 12
ONE_LINER_WORDS = 20
# Heading heuristic limits (plain text / PDF).
MAX_HEADING_WORDS = 12
MAX_QUESTION_HEADING_WORDS = 8
MAX_HEADING_CHARS = 120
MIN_PROSE_WORDS = 8

QUOTE_PREFIXES = ("- ", "– ", "— ", "-\t", "–\t")
BULLET_PREFIXES = ("• ", "* ", "· ")

# Speech verbs that attach a name to a quote or statement.
SPEECH_VERBS = (
    "säger",
    "sa",
    "sade",
    "fyller i",
    "fyller på",
    "fyller",
    "frågar",
    "berättar",
    "menar",
    "konstaterar",
    "tillägger",
    "påpekar",
    "förklarar",
    "betonar",
    "understryker",
    "poängterar",
    "avslutar",
    "svarar",
    "framhåller",
    "beskriver",
    "tycker",
    "anser",
)

# ---------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class Person:
    """A named speaker; role and organisation as written next to the name, if at all."""

    name: str
    role: str | None = None
    organisation: str | None = None


@dataclass(frozen=True)
class Session:
    """One session (lärpass): heading, body and what was extracted from it.

    ``regions`` is ordered, presenting organisation first (see :mod:`confsearch.regions`).
    ``start``/``end`` are offsets into :attr:`Document.text` covering heading and body;
    ``paragraph_spans`` gives the offsets of each entry of ``paragraphs``.
    """

    title: str
    doc_id: str
    source: str
    regions: tuple[str, ...]
    speakers: tuple[Person, ...]
    paragraphs: tuple[str, ...]
    quotes: tuple[str, ...]
    links: tuple[str, ...]
    start: int
    end: int
    paragraph_spans: tuple[tuple[int, int], ...] = ()

    @property
    def region(self) -> str:
        return self.regions[0] if self.regions else ""

    @property
    def speaker_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.speakers)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Document:
    """One conference text. ``text`` is what all offsets of its sessions/passages index."""

    doc_id: str
    title: str
    source: str
    sessions: tuple[Session, ...]
    metadata: dict[str, Any] = field(default_factory=dict, hash=False)
    text: str = field(default="", repr=False)


@dataclass(frozen=True)
class Passage:
    """The unit that is embedded and retrieved.

    ``text`` excludes the session title (the indexer adds it as context). ``speakers``
    are the names of the session's speakers, ``links`` the session's links with those
    occurring in this passage first. ``document.text[start:end]`` is the passage's
    source span (for merged passages it spans all merged paragraphs).
    """

    id: str
    doc_id: str
    text: str
    session: str
    regions: tuple[str, ...]
    speakers: tuple[str, ...]
    source: str
    start: int
    end: int
    links: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def region(self) -> str:
        return self.regions[0] if self.regions else ""


@dataclass(frozen=True)
class ReadError:
    """A file (or part of one) that was not read; ``message`` is Swedish, for the user.

    ``kind`` is "error" (nothing read), "partial" (some lines skipped) or "duplicate"
    (identical to an earlier document, skipped on purpose).
    """

    path: str
    message: str
    kind: str = "error"

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class CorpusResult:
    """Everything read from a corpus folder, plus what could not be read."""

    documents: tuple[Document, ...]
    passages: tuple[Passage, ...]
    errors: tuple[ReadError, ...]

    @property
    def sessions(self) -> tuple[Session, ...]:
        return tuple(s for d in self.documents for s in d.sessions)

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)


def iter_sessions(result: CorpusResult | Iterable[Document]) -> Iterator[tuple[Document, Session]]:
    """(document, session) pairs in reading order."""
    docs = result.documents if isinstance(result, CorpusResult) else result
    for doc in docs:
        for session in doc.sessions:
            yield doc, session


# ------------------------------------------------------------------------ tokens


def approx_token_count(text: str) -> int:
    """Cheap, deliberately generous estimate of subword tokens for Swedish text.

    XLM-R style tokenizers (multilingual-e5) spend about 1.3–1.8 tokens per Swedish word
    (compounds split into several pieces); punctuation is a token of its own. We count
    1.6 per word plus one per punctuation mark, so a budget that holds here holds for the
    real tokenizer too. Pass the model's own counter to :func:`read_corpus` for accuracy.
    """
    words = len(re.findall(r"\w+", text))
    punct = len(re.findall(r"[^\w\s]", text))
    return math.ceil(words * 1.6 + punct)


# -------------------------------------------------------------------- decoding/cleaning


class _Unreadable(Exception):
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
    again ("fÃ¶r") is repaired. Raises ``_Unreadable`` for binary data.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _Unreadable("filen ser ut som UTF-16 men går inte att avkoda") from exc
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _Unreadable(f"filen är {what}, inte text (fel filändelse?)")
    sample = data[:65536]
    if sample:
        control = sum(1 for b in sample if b in _CONTROL_BYTES)
        if control / len(sample) > 0.02:
            raise _Unreadable("filen innehåller binärdata, inte text")
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


# ----------------------------------------------------------------------- text helpers

_WORD_RE = re.compile(r"\w+")
_LINK_RE = re.compile(
    r"<((?:https?|ftp)://[^<>\s]+)>|((?:https?|ftp)://[^\s<>\"”»]+|www\.[^\s<>\"”»]+)"
)
_ENDS_WITH_URL_RE = re.compile(r"(?:<[^<>\s]+>|(?:https?://|www\.)\S+)$")
_URL_ONLY_RE = re.compile(r"^\s*(?:<[^<>\s]+>|(?:https?://|www\.)\S+)\s*$")
_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|(?<!\w)_)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_HR_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def words(text: str) -> int:
    """Number of words, not counting URLs."""
    return len(_WORD_RE.findall(_LINK_RE.sub(" ", text)))


def strip_emphasis(text: str) -> str:
    """``*Rena resan*`` → ``Rena resan`` (Markdown emphasis markers only)."""
    return _EMPHASIS_RE.sub(r"\2", text)


def extract_links(text: str) -> list[str]:
    """URLs in ``<…>`` and bare form, in order, without trailing punctuation."""
    out: list[str] = []
    for m in _LINK_RE.finditer(text):
        url = m.group(1) or m.group(2)
        url = url.rstrip(".,;:!?)]}'’")
        if url.startswith("www."):
            url = "https://" + url
        out.append(url)
    return list(dict.fromkeys(out))


def _is_quote_line(line: str) -> bool:
    s = line.lstrip()
    return s.startswith(QUOTE_PREFIXES) or s.startswith(">")


def _is_list_line(line: str) -> bool:
    s = line.lstrip()
    return _is_quote_line(s) or s.startswith(BULLET_PREFIXES) or bool(re.match(r"\d+[.)]\s", s))


def _clean_paragraph(raw: str) -> str:
    """Whitespace-tidy one paragraph: wrapped lines joined, list/quote lines kept apart."""
    parts: list[str] = []
    for line in raw.split("\n"):
        s = line.strip()
        if not s or _HR_RE.match(s):
            continue
        heading = _MD_HEADING_RE.match(s)
        if heading:
            s = heading.group(2)
        if s.startswith(">"):  # Markdown blockquote: keep the marker, it marks a quote
            s = "> " + s.lstrip("> ").strip()
            if s == "> ":
                continue
        s = re.sub(r"[ \t]+", " ", s)
        if parts and not _is_list_line(s):
            parts[-1] = f"{parts[-1]} {s}"
        else:
            parts.append(s)
    return "\n".join(parts)


def clean_slice(raw: str) -> str:
    """Tidy a span of document text that may hold several paragraphs (blank-line separated)."""
    paras = [_clean_paragraph(p) for p in re.split(r"\n[ \t]*\n", raw)]
    return "\n\n".join(p for p in paras if p)


def quote_text(paragraph: str) -> str | None:
    """The quote without its dash if ``paragraph`` is a speaker quote, else None."""
    s = paragraph.strip()
    if s.startswith(QUOTE_PREFIXES) or s.startswith(">"):
        body = s.lstrip(">").strip()
        body = re.sub(r"^[-–—]\s*", "", body)
        if words(body) >= 4:
            return body
    return None


# ----------------------------------------------------------------- sentence splitting

# Words that end with "." without ending a sentence ("osv." and "etc." usually do end one).
# fmt: off
_ABBREVIATIONS = frozenset((
    "t.ex", "ex", "bl.a", "m.fl", "m.m", "s.k", "d.v.s", "dvs", "t.o.m", "fr.o.m", "o.s.v",
    "ca", "kap", "nr", "jfr", "resp", "tel", "prof", "dr", "doc", "fil", "mag", "mfl", "sk",
    "st", "vs", "pga", "p.g.a", "f.d", "fd", "jan", "feb", "mar", "apr", "aug", "sep", "sept",
    "okt", "nov", "dec", "kl",
))
# fmt: on
_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"”»’')\]]*(?=\s)")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]`` (absolute offsets, whitespace trimmed).

    A boundary is sentence punctuation followed by whitespace and a capital letter, digit,
    quote or dash – unless the word before is a known abbreviation ("t.ex.") or an initial.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _SENTENCE_END_RE.finditer(text, start, end):
        nxt = re.compile(r"\s+").match(text, m.end(), end)
        if not nxt or nxt.end() >= end:
            continue
        ch = text[nxt.end()]
        if not (ch.isupper() or ch.isdigit() or ch in "\"”»'’–-—<(["):
            continue
        if text[m.start()] == ".":
            before = re.search(r"(\S+)$", text[cur : m.start()])
            token = before.group(1).lower().lstrip('("”»') if before else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        spans.append((cur, m.end()))
        cur = nxt.end()
    spans.append((cur, end))
    return trim_spans(text, spans)


def trim_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Shrink each span past surrounding whitespace; spans that become empty are dropped."""
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


# ---------------------------------------------------------------------- block model


@dataclass
class _Block:
    """A run of non-blank lines (or an HTML/Word paragraph) with offsets into the text.

    ``level``: None for body text, 1 for a document title, 2+ for session headings.
    """

    start: int
    end: int
    level: int | None = None
    links: tuple[str, ...] = ()
    title: str | None = None  # heading text, if different from the raw slice


@dataclass
class _Parsed:
    """A document before sessions are built: its text, blocks and what the format said."""

    text: str
    blocks: list[_Block]
    fmt: str
    explicit: bool  # headings come from markup (Markdown/HTML/Word), not the heuristic
    title: str | None = None  # title given by the format (HTML <title>, Word core props)
    metadata: dict[str, Any] = field(default_factory=dict)
    doc_id: str | None = None
    session_title: str | None = None  # jsonl: the whole text is this one session
    regions: tuple[str, ...] | None = None
    links: tuple[str, ...] = ()


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        spans.append((pos, stop))
        if nl == -1:
            break
        pos = nl + 1
    return spans


def _raw_blocks(text: str, start: int = 0, end: int | None = None) -> list[_Block]:
    """Blank-line separated blocks of ``text[start:end]``."""
    end = len(text) if end is None else end
    blocks: list[_Block] = []
    cur: list[tuple[int, int]] = []
    for s, e in [*_line_spans(text, start, end), (end, end)]:
        if text[s:e].strip():
            cur.append((s, e))
            continue
        if cur:
            first_s, _ = cur[0]
            blocks.append(_Block(first_s + _lead_ws(text[first_s : cur[-1][1]]), cur[-1][1]))
            cur = []
    return blocks


def _lead_ws(s: str) -> int:
    return len(s) - len(s.lstrip())


def is_heading_line(line: str) -> bool:
    """Could this single line be a heading? (Shape only; context is checked elsewhere.)

    Short (≤ 12 words, ≤ 120 characters), starts with a capital letter or a section
    number, contains no URL, is not a quote or list item, and has no sentence
    punctuation – except one final "?" on a short line ("Det nya Norrland?"). Lines
    ending in ":" introduce what follows and are never headings.
    """
    s = line.strip()
    if not s or len(s) > MAX_HEADING_CHARS or "\n" in s:
        return False
    if _is_list_line(s) or _LINK_RE.search(s) or "@" in s:
        return False
    s = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", s)  # "2.1 Bakgrund"
    s = strip_emphasis(s).strip("*_ ")
    if not s or not (s[0].isupper() or s[0].isdigit()):
        return False
    n = words(s)
    if n == 0 or n > MAX_HEADING_WORDS:
        return False
    body = s
    if s.endswith("?"):
        if s.endswith(("??", "?!", "!?")) or n > MAX_QUESTION_HEADING_WORDS:
            return False
        body = s[:-1]
    if re.search(r"[.!?:;…]\s*[\"”»’')\]]*$", body) or body.endswith(","):
        return False
    # No sentence boundary inside ("Vad händer nu? Vi vet inte").
    return not re.search(r"[.!?…]\s+\S", body)


def _heading_shaped(block_text: str) -> bool:
    """A block that could be a heading: one line, or two if a long heading was
    hard-wrapped, that reads as a heading line when joined."""
    lines = [ln.strip() for ln in block_text.strip().split("\n")]
    return len(lines) <= 2 and is_heading_line(" ".join(lines))


def _is_prose(text: str) -> bool:
    """Body text fit to follow a heading: sentences, not a bare link or another heading.

    Either a real paragraph (≥ 8 words with sentence punctuation) or at least a short
    finished sentence ("Kort inledning.").
    """
    s = text.strip()
    if not s or _URL_ONLY_RE.match(s.split("\n", 1)[0]):
        return False
    if _heading_shaped(s):
        return False
    n = words(s)
    if n >= MIN_PROSE_WORDS and re.search(r"[.!?…:]", s):
        return True
    return n >= 2 and bool(re.search(r"[.!?…][\"”»’')\]]*$", s))


def _split_heading_lines(text: str, blocks: list[_Block]) -> list[_Block]:
    """Promote heading lines hidden inside multi-line blocks (PDF text, files without
    blank lines) to blocks of their own.

    Only lines that look like headings, are clearly shorter than the block's wrapped
    lines, contain no comma, follow a finished sentence (or another heading) and are
    followed by a line starting with a capital letter qualify – a wrapped line of a
    running paragraph practically never meets all of these.
    """
    out: list[_Block] = []
    for block in blocks:
        lines = [(s, e) for s, e in _line_spans(text, block.start, block.end) if text[s:e].strip()]
        if len(lines) < 3:
            out.append(block)
            continue
        width = max(len(text[s:e].strip()) for s, e in lines)
        marks = []
        prev_heading = False
        for i, (s, e) in enumerate(lines):
            line = text[s:e].strip()
            prev_line = text[lines[i - 1][0] : lines[i - 1][1]].strip() if i else ""
            prev_done = (
                i == 0
                or prev_heading
                or bool(re.search(r"[.!?…:][\"”»’')]*$", prev_line))
                or bool(_ENDS_WITH_URL_RE.search(prev_line))  # a link ends its paragraph
            )
            nxt = text[lines[i + 1][0] : lines[i + 1][1]].strip() if i + 1 < len(lines) else ""
            is_head = (
                prev_done
                and is_heading_line(line)
                and "," not in line
                and len(line) < 0.6 * width
                and bool(nxt)
                and (nxt[0].isupper() or nxt[0].isdigit() or _is_quote_line(nxt))
            )
            marks.append(is_head)
            prev_heading = is_head
        if not any(marks):
            out.append(block)
            continue
        cur: list[tuple[int, int]] = []
        for (s, e), is_head in zip(lines, marks, strict=True):
            if is_head:
                if cur:
                    out.append(
                        _Block(cur[0][0] + _lead_ws(text[cur[0][0] : cur[0][1]]), cur[-1][1])
                    )
                    cur = []
                out.append(_Block(s + _lead_ws(text[s:e]), e))
            else:
                cur.append((s, e))
        if cur:
            out.append(_Block(cur[0][0] + _lead_ws(text[cur[0][0] : cur[0][1]]), cur[-1][1]))
    return out


def _assign_heading_levels(text: str, blocks: list[_Block]) -> None:
    """Heuristic headings for unmarked text: the first heading-like block is the title
    (level 1); later single-line heading-like blocks followed by prose are sessions."""
    for i, block in enumerate(blocks):
        if block.level is not None:
            continue
        if not _heading_shaped(text[block.start : block.end]):
            continue
        if i == 0:
            block.level = 1
        elif i + 1 < len(blocks):
            nxt = blocks[i + 1]
            if nxt.level is None and _is_prose(text[nxt.start : nxt.end]):
                block.level = 2


def _paragraph_spans(text: str, block: _Block) -> list[tuple[int, int]]:
    """Paragraphs inside a body block.

    A new paragraph starts at every quote/list line ("- Det finns …, säger …"), and after
    a line that ends a sentence when the text is not hard-wrapped (long lines) or that
    line is visibly shorter than the wrapped width (the end of a wrapped paragraph).
    """
    lines = [(s, e) for s, e in _line_spans(text, block.start, block.end) if text[s:e].strip()]
    if not lines:
        return []
    width = max(len(text[s:e].strip()) for s, e in lines)
    paras: list[list[tuple[int, int]]] = []
    for s, e in lines:
        line = text[s:e].strip()
        if _HR_RE.match(line):
            continue
        new = not paras or _is_list_line(line)
        if not new:
            prev = text[paras[-1][-1][0] : paras[-1][-1][1]].strip()
            ends = bool(re.search(r"[.!?…:][\"”»’')]*$", prev))
            starts = line[0].isupper() or line[0].isdigit() or line[0] in '"”»'
            new = ends and starts and (width > 100 or len(prev) < 0.8 * width)
        if new:
            paras.append([(s, e)])
        else:
            paras[-1].append((s, e))
    out = []
    for p in paras:
        s, e = p[0][0], p[-1][1]
        s += _lead_ws(text[s:e])
        out.append((s, e))
    return out


# ---------------------------------------------------------------------- format readers


def _title_from_filename(path: Path) -> str:
    stem = re.sub(r"[-_]+", " ", path.stem).strip()
    return stem[:1].upper() + stem[1:] if stem else path.name


def _parse_plain(text: str, fmt: str = "txt") -> _Parsed:
    blocks = _split_heading_lines(text, _raw_blocks(text))
    return _Parsed(text=text, blocks=blocks, fmt=fmt, explicit=False)


_SETEXT_RE = re.compile(r"^(=+|-+)\s*$")
_FRONT_MATTER_RE = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def _parse_markdown(text: str) -> _Parsed:
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
    blocks: list[_Block] = []
    in_code = False
    for block in _raw_blocks(text, offset):
        lines = _line_spans(text, block.start, block.end)
        cur: list[tuple[int, int]] = []

        def flush(cur: list[tuple[int, int]] = cur) -> None:
            if cur:
                blocks.append(_Block(cur[0][0], cur[-1][1]))
                cur.clear()

        for idx, (s, e) in enumerate(lines):
            line = text[s:e]
            if line.lstrip().startswith(("```", "~~~")):
                in_code = not in_code
            m = None if in_code else _MD_HEADING_RE.match(line.strip())
            nxt = text[lines[idx + 1][0] : lines[idx + 1][1]] if idx + 1 < len(lines) else ""
            if m and line.lstrip().startswith("#"):
                flush()
                blocks.append(_Block(s, e, level=len(m.group(1)), title=m.group(2)))
            elif (
                not in_code
                and idx + 1 < len(lines)
                and _SETEXT_RE.match(nxt)
                and line.strip()
                and not _is_list_line(line)
            ):
                flush()
                level = 1 if nxt.strip().startswith("=") else 2
                blocks.append(_Block(s, lines[idx + 1][1], level=level, title=line.strip()))
            elif idx > 0 and _SETEXT_RE.match(line) and blocks and blocks[-1].end == e:
                continue
            elif _HR_RE.match(line):
                flush()
            else:
                cur.append((s, e))
        flush()
    explicit = any(b.level is not None for b in blocks)
    if not explicit:
        blocks = _split_heading_lines(text, blocks)
    return _Parsed(
        text=text, blocks=blocks, fmt="md", explicit=explicit, title=title, metadata=meta
    )


class _TextBuilder:
    """Builds a document text from extracted blocks, separated by blank lines."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blocks: list[_Block] = []
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
        self.blocks.append(_Block(start, self.pos, level=level, links=tuple(links), title=title))

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _docx_heading_level(style_name: str) -> int | None:
    name = style_name.strip().lower()
    if name in ("title", "rubrik"):
        return 1
    m = re.match(r"(?:heading|rubrik)\s*(\d)$", name)
    return int(m.group(1)) + 1 if m else None


def _parse_docx(path: Path) -> _Parsed:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types
        raise _Unreadable(f"Word-filen går inte att öppna ({type(exc).__name__})") from exc
    builder = _TextBuilder()
    for item in document.iter_inner_content():
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
    parsed = _Parsed(
        text=builder.text,
        blocks=builder.blocks,
        fmt="docx",
        explicit=any(b.level is not None for b in builder.blocks),
        title=(props.title or "").strip() or None,
        metadata=meta,
    )
    if not parsed.explicit:
        parsed.blocks = _split_heading_lines(parsed.text, parsed.blocks)
    return parsed


_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:sida\s*)?\d{1,4}(?:\s*(?:av|/)\s*\d{1,4})?\s*$", re.IGNORECASE
)


def _parse_pdf(path: Path) -> _Parsed:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise _Unreadable("PDF-filen är lösenordsskyddad") from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except _Unreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise _Unreadable(f"PDF-filen är trasig eller går inte att läsa ({exc})") from exc
    cleaned = []
    for page in pages:
        lines = [ln for ln in clean_text(page).split("\n") if not _PAGE_NUMBER_RE.match(ln)]
        cleaned.append("\n".join(lines).strip())
    text = "\n\n".join(p for p in cleaned if p)
    if not words(text):
        raise _Unreadable(
            "PDF-filen saknar textlager (troligen inskannad bild); kör OCR på den först"
        )
    parsed = _parse_plain(text, "pdf")
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


def _parse_html(data: bytes) -> _Parsed:
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import PreformattedString

    soup = BeautifulSoup(data, "html.parser")
    head_title = soup.title.get_text(" ", strip=True) if soup.title else None
    builder = _TextBuilder()
    buf: list[str] = []
    links: list[str] = []

    def flush() -> None:
        if buf:
            builder.add("".join(buf), None, links)
            buf.clear()
            links.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, PreformattedString):  # comments, doctype, CDATA
                continue
            if isinstance(child, NavigableString):
                buf.append(re.sub(r"\s+", " ", str(child)))
                continue
            if not isinstance(child, Tag) or child.name in _HTML_DROP:
                continue
            name = child.name
            if re.fullmatch(r"h[1-6]", name):
                flush()
                builder.add(child.get_text(" ", strip=True), int(name[1]))
            elif name == "br":
                buf.append("\n")
            elif name in ("td", "th"):
                buf.append(" ")
                walk(child)
                buf.append(" ")
            elif name in _HTML_BLOCKS:
                flush()
                walk(child)
                flush()
            else:
                if name == "a":
                    href = str(child.get("href") or "")
                    if re.match(r"(?:https?|ftp)://", href):
                        links.append(href)
                walk(child)

    walk(soup)
    flush()
    parsed = _Parsed(
        text=builder.text,
        blocks=builder.blocks,
        fmt="html",
        explicit=any(b.level is not None for b in builder.blocks),
        title=head_title or None,
    )
    if not parsed.explicit:
        parsed.blocks = _split_heading_lines(parsed.text, parsed.blocks)
    return parsed


def _parse_jsonl(data: bytes) -> tuple[list[_Parsed], list[str]]:
    """One document per line. Returns parsed lines and Swedish notes on broken lines."""
    text, _ = decode_bytes(data)
    parsed: list[_Parsed] = []
    problems: list[str] = []
    for lineno, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            problems.append(f"rad {lineno} (ogiltig JSON)")
            continue
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
            _Parsed(
                text=body,
                blocks=_raw_blocks(body),
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


# -------------------------------------------------------------------- speaker parsing

_UPPER = "A-ZÅÄÖÉÜÆØ"
_LOWER = "a-zåäöéèüëïæøáíóúñç"
_NAME_TOKEN = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_NAME = rf"{_NAME_TOKEN}(?:[ \t]+{_NAME_TOKEN}){{1,3}}"
_NAMES = rf"(?P<names>{_NAME}(?:[ \t]+(?:och|samt|&)[ \t]+{_NAME})*)"
_VERB_ALT = "|".join(re.escape(v) for v in SPEECH_VERBS)
_REST = r"(?P<rest>(?:[ \t]*,[ \t]*[^,.!?;:\n]+)*)"
_ORG = rf"(?P<org>[{_UPPER}][\w-]*(?:[ \t]+(?:(?:för|och|i|av)[ \t]+)?[{_UPPER}0-9][\w-]*)*)"
_SPEAKER_PATTERNS = (
    # "…, säger Mirja Mattsson, projektledare för Rena resan."
    re.compile(rf"\b(?:{_VERB_ALT})[ \t]+(?:även[ \t]+|också[ \t]+)?{_NAMES}{_REST}"),
    # "Thomas Kvist, Region Västerbotten, berättar …" / "Per-Erik Andersson berättar …"
    re.compile(
        rf"(?<![\w-]){_NAMES}{_REST}[ \t]*,?[ \t]+(?:även[ \t]+|också[ \t]+)?(?:{_VERB_ALT})\b"
    ),
    # "Göran Andersson och Kjell Håkan Närfelt från Vinnova"
    re.compile(rf"(?<![\w-]){_NAMES}[ \t]+från[ \t]+{_ORG}"),
)
# Capitalised words that start a sentence or an organisation, never a person's name.
# fmt: off
_NOT_NAME_START = frozenset((
    "Region", "Regionen", "Myndigheten", "Sveriges", "Statens", "Länsstyrelsen", "Det", "De",
    "Den", "Dem", "Detta", "Vi", "Ni", "Han", "Hon", "Här", "Där", "Nu", "Så", "Även", "Också",
    "Men", "Och", "Att", "Som", "När", "Då", "Vem", "Vad", "Hur", "Varför", "Vilka", "Vilken",
    "Alla", "Många", "Hela", "Genom", "Efter", "Under", "Med", "För", "Från", "Till", "The",
    "Agenda", "Vinnova",
))
# fmt: on
_SEGMENT_STOP = frozenset(("och", "men", "som", "att", "eftersom", "när", "då", "där", "vilket"))


def _valid_name(name: str) -> bool:
    tokens = name.split()
    if tokens[0] in _NOT_NAME_START:
        return False
    return not gazetteer.find_mentions(name)


def _split_names(names: str) -> list[str]:
    return [n.strip() for n in re.split(r"[ \t]+(?:och|samt|&)[ \t]+", names) if n.strip()]


def _classify_rest(rest: str) -> tuple[str | None, str | None]:
    """Split ", projektledare för X, Region Y" into (role, organisation)."""
    roles: list[str] = []
    orgs: list[str] = []
    for segment in rest.split(","):
        seg = segment.strip()
        if not seg:
            continue
        first = seg.split()[0]
        if first.lower() in _SEGMENT_STOP or first.lower() in SPEECH_VERBS or len(seg.split()) > 8:
            break
        if seg[0].isupper() or gazetteer.find_mentions(seg):
            orgs.append(seg)
        else:
            roles.append(seg)
    return (", ".join(roles) or None, ", ".join(orgs) or None)


def _name_key(name: str) -> str:
    return gazetteer.fold(name.replace("-", " "))


def extract_speakers(paragraphs: Sequence[str]) -> tuple[Person, ...]:
    """People named as speakers/presenters, in order of first appearance, deduplicated
    ("Per Erik Andersson" and "Per-Erik Andersson" are one person; the first spelling is
    kept, role/organisation filled in from whichever mention gives them)."""
    found: list[tuple[int, int, str, str | None, str | None]] = []
    for pi, paragraph in enumerate(paragraphs):
        text = strip_emphasis(paragraph)
        for kind, pattern in enumerate(_SPEAKER_PATTERNS):
            for m in pattern.finditer(text):
                if kind == 2:
                    role, org = None, m.group("org").strip()
                else:
                    role, org = _classify_rest(m.group("rest") or "")
                for name in _split_names(m.group("names")):
                    if _valid_name(name):
                        found.append(
                            (pi, m.start("names") + m.group("names").find(name), name, role, org)
                        )
    found.sort(key=lambda t: (t[0], t[1]))
    people: dict[str, list[str | None]] = {}
    for _, _, name, role, org in found:
        key = _name_key(name)
        if key not in people:
            people[key] = [name, role, org]
        else:
            entry = people[key]
            entry[1] = entry[1] or role
            entry[2] = entry[2] or org
    return tuple(Person(str(n), r, o) for n, r, o in people.values())


# ---------------------------------------------------------------------- sessions


def _build_sessions(
    parsed: _Parsed, doc_id: str, source: str, fallback_title: str
) -> tuple[str, list[Session]]:
    """Document title and sessions from the blocks' heading levels."""
    text = parsed.text
    blocks = [b for b in parsed.blocks if text[b.start : b.end].strip()]
    if not parsed.explicit:
        _assign_heading_levels(text, blocks)

    def heading_text(b: _Block) -> str:
        raw = b.title if b.title is not None else text[b.start : b.end]
        return " ".join(strip_emphasis(raw).split()).strip("#").strip()

    levels = sorted({b.level for b in blocks if b.level is not None})
    title = parsed.title
    session_level: int | None = None
    title_block: _Block | None = None
    if parsed.session_title is None and levels:
        top = [b for b in blocks if b.level == levels[0]]
        first_heading = next(b for b in blocks if b.level is not None)
        # A single top-level heading that opens the document is its title.
        if len(top) == 1 and top[0] is first_heading and (levels[0] == 1 or blocks[0] is top[0]):
            title_block = top[0]
            title = heading_text(title_block) if levels[0] == 1 or not title else title
            session_level = levels[1] if len(levels) > 1 else None
        else:
            session_level = levels[0]
    title = title or fallback_title

    # Group: (heading block or None, body blocks)
    groups: list[tuple[_Block | None, list[_Block]]] = [(None, [])]
    for b in blocks:
        if b is title_block:
            continue
        if session_level is not None and b.level == session_level:
            groups.append((b, []))
        elif b.level is not None and session_level is not None and b.level < session_level:
            groups.append((None, []))  # a second title-level heading: starts an untitled part
        else:
            groups[-1][1].append(b)

    sessions: list[Session] = []
    for heading, body in groups:
        spans: list[tuple[int, int]] = []
        block_links: list[str] = []
        for b in body:
            block_links.extend(b.links)
            if b.level is not None:  # a sub-heading inside a session: keep as a paragraph
                spans.append((b.start, b.end))
            else:
                spans.extend(_paragraph_spans(text, b))
        spans = [(s, e) for s, e in spans if clean_slice(text[s:e])]
        if not spans:
            continue
        s_title = (
            parsed.session_title
            if parsed.session_title is not None
            else heading_text(heading)
            if heading is not None
            else title
        )
        paragraphs = tuple(clean_slice(text[s:e]) for s, e in spans)
        quotes = tuple(q for q in (quote_text(p) for p in paragraphs) if q)
        links = list(parsed.links)
        for p in paragraphs:
            links.extend(extract_links(p))
        links.extend(block_links)
        regions = (
            parsed.regions
            if parsed.regions is not None
            else tuple(gazetteer.attribute(paragraphs, s_title))
        )
        sessions.append(
            Session(
                title=s_title,
                doc_id=doc_id,
                source=source,
                regions=regions,
                speakers=extract_speakers(paragraphs),
                paragraphs=paragraphs,
                quotes=quotes,
                links=tuple(dict.fromkeys(links)),
                start=heading.start if heading is not None else spans[0][0],
                end=spans[-1][1],
                paragraph_spans=tuple(spans),
            )
        )
    return title, sessions


# ---------------------------------------------------------------------- passages


@dataclass
class _Unit:
    start: int
    end: int
    first_para: int
    last_para: int
    split: bool = False


def _join(a: _Unit, b: _Unit) -> _Unit:
    """Adjacent (or overlapping) units as one span."""
    return _Unit(a.start, b.end, a.first_para, b.last_para, a.split or b.split)


def _chunk_sentences(
    text: str,
    start: int,
    end: int,
    fits: Callable[[int, int], bool],
) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into spans that fit, at sentence boundaries, each chunk
    repeating the previous chunk's last sentence for context (when that still fits)."""
    sents = sentence_spans(text, start, end)
    # A single sentence that is too long is cut at word boundaries.
    pieces: list[tuple[int, int]] = []
    for s, e in sents:
        pieces.extend([(s, e)] if fits(s, e) else _chunk_words(text, s, e, fits))
    chunks: list[tuple[int, int]] = []
    i = 0
    n = len(pieces)
    while i < n:
        j = i
        while j + 1 < n and fits(pieces[i][0], pieces[j + 1][1]):
            j += 1
        chunks.append((pieces[i][0], pieces[j][1]))
        if j == n - 1:
            break
        # Overlap one sentence, unless that sentence and the next do not fit together.
        i = j if j > i and fits(pieces[j][0], pieces[j + 1][1]) else j + 1
    return chunks


def _chunk_words(
    text: str, start: int, end: int, fits: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    bounds = [m.span() for m in re.finditer(r"\S+", text[start:end])]
    bounds = [(start + s, start + e) for s, e in bounds]
    out = []
    i = 0
    while i < len(bounds):
        lo, hi = i, len(bounds) - 1
        while lo < hi:  # largest j with bounds[i..j] fitting
            mid = (lo + hi + 1) // 2
            if fits(bounds[i][0], bounds[mid][1]):
                lo = mid
            else:
                hi = mid - 1
        out.append((bounds[i][0], bounds[lo][1]))
        i = lo + 1
    return out


def _passage_id(source: str, doc_id: str, session: str, text: str) -> str:
    key = "\x1f".join((source, doc_id, session, text))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def build_passages(
    document: Document,
    *,
    count_tokens: Callable[[str], int] | None = None,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    min_words: int = MIN_PASSAGE_WORDS,
    one_liner_words: int = ONE_LINER_WORDS,
) -> list[Passage]:
    """Passages of one document (see module docstring for the rules)."""
    count = count_tokens or approx_token_count
    text = document.text
    cache: dict[tuple[int, int], int] = {}

    def tokens(s: int, e: int) -> int:
        if (s, e) not in cache:
            cache[(s, e)] = count(clean_slice(text[s:e]))
        return cache[(s, e)]

    def fits(s: int, e: int) -> bool:
        return tokens(s, e) <= max_tokens

    passages: list[Passage] = []
    for session in document.sessions:
        units: list[_Unit] = []
        for pi, (s, e) in enumerate(session.paragraph_spans):
            if fits(s, e):
                units.append(_Unit(s, e, pi, pi))
            else:
                units.extend(
                    _Unit(cs, ce, pi, pi, True) for cs, ce in _chunk_sentences(text, s, e, fits)
                )

        def needs_neighbour(u: _Unit) -> bool:
            body = clean_slice(text[u.start : u.end])
            n = words(body)
            if n < min_words or body.rstrip().endswith(":"):
                return True
            return n < one_liner_words and len(sentence_spans(body)) == 1

        # Short units join the next unit if it fits, else the previous one; a short unit
        # stands alone only when neither fits the budget.
        merged: list[_Unit] = []
        buf: _Unit | None = None
        for u in [*units, None]:
            if buf is None:
                buf = u
                continue
            if needs_neighbour(buf):
                if u is not None and fits(buf.start, u.end):
                    buf = _join(buf, u)
                    continue
                if merged and fits(merged[-1].start, buf.end):
                    buf = _join(merged.pop(), buf)
            merged.append(buf)
            buf = u

        for u in merged:
            body = clean_slice(text[u.start : u.end])
            own = extract_links(body)
            links = tuple(dict.fromkeys([*own, *session.links]))
            meta: dict[str, Any] = {
                "doc_title": document.title,
                "format": document.metadata.get("format"),
                "paragraphs": [u.first_para, u.last_para],  # a list: survives JSON as is
                "split": u.split,
            }
            if document.metadata.get("format") == "jsonl":
                meta.update({k: v for k, v in document.metadata.items() if k != "format"})
            passages.append(
                Passage(
                    id=_passage_id(document.source, document.doc_id, session.title, body),
                    doc_id=document.doc_id,
                    text=body,
                    session=session.title,
                    regions=session.regions,
                    speakers=session.speaker_names,
                    source=document.source,
                    start=u.start,
                    end=u.end,
                    links=links,
                    metadata=meta,
                )
            )
    return passages


# ---------------------------------------------------------------------- the reader


def _relative_source(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def _walk(corpus_dir: Path) -> list[Path]:
    """Supported files under ``corpus_dir``, sorted, skipping hidden and temp files."""
    out = []
    for dirpath, dirnames, filenames in os.walk(corpus_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith((".", "~")):  # hidden files, Office lock files
                continue
            path = Path(dirpath) / name
            if path.suffix.lower() in SUPPORTED_EXTENSIONS:
                out.append(path)
    return sorted(out, key=lambda p: p.relative_to(corpus_dir).as_posix())


def _parse_file(path: Path, data: bytes) -> list[_Parsed]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return [_parse_docx(path)]
    if suffix == ".pdf":
        return [_parse_pdf(path)]
    if suffix in (".html", ".htm"):
        return [_parse_html(data)]
    text, encoding = decode_bytes(data)
    text = clean_text(text)
    parsed = _parse_markdown(text) if suffix in (".md", ".markdown") else _parse_plain(text)
    parsed.metadata["encoding"] = encoding
    return [parsed]


def _dedup_key(text: str) -> str:
    folded = " ".join(text.split()).casefold()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


def read_corpus(
    corpus_dir: Path,
    *,
    count_tokens: Callable[[str], int] | None = None,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    source_root: Path | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> CorpusResult:
    """Read every supported file under ``corpus_dir`` (recursively, in sorted order).

    ``count_tokens`` measures passage length (default :func:`approx_token_count`);
    passages are at most ``max_tokens`` long. ``source`` paths are relative to
    ``source_root`` (default: the parent of ``corpus_dir``), e.g.
    ``corpus/arskonferens-2022-larpass.txt``. Problems never abort the run: they are
    returned in ``errors``.
    """
    corpus_dir = Path(corpus_dir)
    root = Path(source_root) if source_root is not None else corpus_dir.parent
    documents: list[Document] = []
    passages: list[Passage] = []
    errors: list[ReadError] = []
    if not corpus_dir.is_dir():
        label = _relative_source(corpus_dir, root)
        errors.append(ReadError(label, f"Mappen {label} finns inte eller är ingen mapp."))
        return CorpusResult((), (), tuple(errors))

    seen_text: dict[str, str] = {}
    seen_ids: set[str] = set()
    seen_passage_ids: set[str] = set()
    for path in _walk(corpus_dir):
        source = _relative_source(path, root)
        try:
            size = path.stat().st_size
            if size > max_file_bytes:
                errors.append(
                    ReadError(
                        source,
                        f"{source} är för stor ({size / 1048576:.0f} MB, gränsen är "
                        f"{max_file_bytes / 1048576:.0f} MB) och lästes inte in. "
                        "Dela upp den i mindre filer.",
                    )
                )
                continue
            data = path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            errors.append(ReadError(source, f"Kunde inte läsa {source}: {reason}."))
            continue
        if not data.strip():
            errors.append(ReadError(source, f"Kunde inte läsa {source}: filen är tom."))
            continue
        try:
            if path.suffix.lower() == ".jsonl":
                parsed_list, problems = _parse_jsonl(data)
                if problems:
                    total = len(problems) + len(parsed_list)
                    errors.append(
                        ReadError(
                            source,
                            f"{len(problems)} av {total} rader i {source} kunde inte läsas: "
                            + ", ".join(problems)
                            + ".",
                            "partial" if parsed_list else "error",
                        )
                    )
            else:
                parsed_list = _parse_file(path, data)
        except _Unreadable as exc:
            errors.append(ReadError(source, f"Kunde inte läsa {source}: {exc.args[0]}."))
            continue
        except Exception as exc:  # a reader library failing on a malformed file
            errors.append(
                ReadError(source, f"Kunde inte läsa {source}: oväntat fel ({type(exc).__name__}).")
            )
            continue

        base_id = path.relative_to(corpus_dir).with_suffix("").as_posix()
        for parsed in parsed_list:
            label = source if parsed.doc_id is None else f"{source} (id {parsed.doc_id})"
            if not words(parsed.text):
                errors.append(
                    ReadError(source, f"Kunde inte läsa {label}: filen innehåller ingen text.")
                )
                continue
            key = _dedup_key(parsed.text)
            if key in seen_text:
                errors.append(
                    ReadError(
                        source,
                        f"{label} är en dubblett av {seen_text[key]} och lästes inte in igen.",
                        "duplicate",
                    )
                )
                continue
            doc_id = parsed.doc_id or base_id
            if doc_id in seen_ids:
                if parsed.doc_id is not None:
                    errors.append(
                        ReadError(
                            source,
                            f"{label}: id:t {doc_id} används redan; raden lästes inte in.",
                            "duplicate",
                        )
                    )
                    continue
                doc_id = path.relative_to(corpus_dir).as_posix()
            seen_text[key] = label
            seen_ids.add(doc_id)
            fallback = parsed.title or _title_from_filename(path)
            title, sessions = _build_sessions(parsed, doc_id, source, fallback)
            meta = {"format": parsed.fmt, **parsed.metadata}
            document = Document(
                doc_id=doc_id,
                title=title,
                source=source,
                sessions=tuple(sessions),
                metadata=meta,
                text=parsed.text,
            )
            documents.append(document)
            for p in build_passages(document, count_tokens=count_tokens, max_tokens=max_tokens):
                pid = p.id
                n = 2
                while pid in seen_passage_ids:  # identical passage twice in one session
                    pid = f"{p.id}-{n}"
                    n += 1
                seen_passage_ids.add(pid)
                passages.append(p if pid == p.id else _replace_id(p, pid))
    return CorpusResult(tuple(documents), tuple(passages), tuple(errors))


def _replace_id(p: Passage, pid: str) -> Passage:
    from dataclasses import replace

    return replace(p, id=pid)
