"""Page logic behind ``app.py`` that can be tested without a browser.

* Escaping: every piece of corpus text that reaches the page goes through :func:`esc`
  (HTML *and* Markdown neutralised) or :func:`md_escape` (for Streamlit's Markdown-only
  elements such as ``st.info``), so a passage containing ``<script>`` or
  ``[länk](http://…)`` is shown as the characters it contains.
* Highlighting: :func:`highlight_passage` marks the sentences of a passage that best match
  the question (those quoted in the answer, else those sharing the most query words).
* Uploads: :func:`save_upload` checks type and size, sanitises the file name (no path
  parts, no hidden names) and never overwrites an existing corpus file.
* Loading: the model and the index are cached once per process with
  ``st.cache_resource``; the index cache is keyed on the index version (the ``CURRENT``
  pointer), so a re-index is picked up by every session without a restart.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from confsearch.corpus import trim_spans
from confsearch.settings import Settings

ALLOWED_UPLOAD_TYPES = ("txt", "md", "docx", "pdf", "jsonl")
MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_NAME_CHARS = 80
# Torch threads for answering questions in the page (override: CONFSEARCH_PAGE_THREADS).
# One short query does not parallelise, and on a small machine shared with the browser two
# spinning OpenMP threads made query encoding 10-25x slower (275 ms instead of 10 ms on the
# 2-core test machine under load); index builds still use every core.
PAGE_THREADS = 1

# How many times each expensive resource was created in this process (tests read this to
# prove that a second session reloads nothing).
LOADS: Counter[str] = Counter()

# ------------------------------------------------------------------------- escaping

# Characters that Markdown (and Streamlit's extensions: :color[…], $math$, emoji
# shortcodes, tables) would interpret. Replaced by numeric character references, which
# render as the same character but are never parsed as syntax.
_MD_SPECIAL = set("\\`*_[]<>&\"'$:~|#")
_MD_ENTITY = {ch: f"&#{ord(ch)};" for ch in _MD_SPECIAL}


def esc(text: object, *, newlines: bool = True) -> str:
    """Corpus text → HTML that displays exactly that text, inside ``unsafe_allow_html``.

    HTML tags become visible text and Markdown syntax is neutralised, so neither a
    ``<script>`` nor a Markdown link in a passage can do anything. Newlines become
    ``<br>`` so the HTML block never contains a blank line (which would end it).
    """
    s = "" if text is None else str(text)
    s = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in s)
    out = "".join(_MD_ENTITY.get(ch, ch) for ch in s)
    if newlines:
        out = re.sub(r"\n\s*\n", "<br><br>", out)
        out = out.replace("\n", "<br>")
    else:
        out = " ".join(out.split())
    return out


_MD_BACKSLASH = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:<>&])")


def md_escape(text: object) -> str:
    """Text for Streamlit elements that render Markdown without HTML (st.info, labels…)."""
    s = "" if text is None else str(text)
    s = "".join(ch if ch.isprintable() else " " for ch in s)
    return _MD_BACKSLASH.sub(r"\\\1", s)


def query_tag(query: str) -> str:
    """Short stable tag of a question, put on the result cards (the browser test waits on it)."""
    return hashlib.sha1(query.encode("utf-8")).hexdigest()[:10]


# ------------------------------------------------------------------------- sentences

# A sentence ends at . ! ? … (optionally followed by a closing quote or bracket) before
# whitespace; line breaks always end one (quotes in the corpus are one line each).
_SENTENCE_END = re.compile(r"(?<=[.!?…])([\"”’)\]]*)\s+|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text`` (whitespace excluded)."""
    spans = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() + len(m.group(1) or "")
        if text[pos:end].strip():
            spans.append((pos, end))
        pos = m.end()
    if text[pos:].strip():
        spans.append((pos, len(text)))
    return trim_spans(text, spans)


_LEADING_MARKER = re.compile(r"^\s*(?:[-–—•·*]\s+|\d{1,2}[.)]\s+)")


def _norm(text: str) -> str:
    """Comparable form of a sentence: case, spacing and a leading quote dash ignored."""
    text = _LEADING_MARKER.sub("", unicodedata.normalize("NFKC", text), count=1)
    return " ".join(text.casefold().split())


def _terms(text: str) -> set[str]:
    from confsearch.lexical import analyze

    return set(analyze(text))


def best_sentence_spans(
    text: str, *, quoted: Iterable[str] = (), query_words: Iterable[str] = ()
) -> list[tuple[int, int]]:
    """Sentences to highlight in a passage.

    Sentences quoted in the answer come first (they are what the answer relied on);
    otherwise the sentence(s) sharing the most analysed terms with the query words.
    """
    spans = sentence_spans(text)
    quoted_norm = [_norm(q) for q in quoted if q and q.strip()]
    if quoted_norm:
        chosen = [
            (s, e)
            for s, e in spans
            if any(_norm(text[s:e]) in q or q in _norm(text[s:e]) for q in quoted_norm)
        ]
        if chosen:
            return chosen
    wanted: set[str] = set()
    for w in query_words:
        wanted |= _terms(w)
    if not wanted:
        return []
    scored = [(len(_terms(text[s:e]) & wanted), (s, e)) for s, e in spans]
    best = max((n for n, _ in scored), default=0)
    if best == 0:
        return []
    return [span for n, span in scored if n == best][:2]


def highlight_passage(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Escaped passage HTML with the given spans wrapped in ``<mark>``."""
    out = []
    pos = 0
    for s, e in sorted(spans):
        if s < pos:
            continue
        out.append(esc(text[pos:s]))
        out.append(f"<mark>{esc(text[s:e])}</mark>")
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out)


# ------------------------------------------------------------------------- uploads


class UploadError(ValueError):
    """An upload was refused; the message is for the user (Swedish)."""


def allowed_types_text() -> str:
    return ", ".join(f".{t}" for t in ALLOWED_UPLOAD_TYPES)


def sanitize_filename(name: str) -> str:
    """A safe corpus file name from whatever the browser sent.

    Drops any directory part (``../``, ``C:\\…``), control characters and characters
    outside letters, digits and ``-_. ()``; never returns a hidden name (leading dot or
    ``~``); refuses types that are not allowed.
    """
    raw = unicodedata.normalize("NFC", str(name or ""))
    raw = raw.replace("\\", "/").split("/")[-1]
    raw = "".join(ch for ch in raw if ch.isprintable())
    raw = re.sub(r"[^\w\-. ()]+", "_", raw)
    raw = " ".join(raw.split())
    stem, dot, ext = raw.rpartition(".")
    if not dot:
        stem, ext = raw, ""
    ext = ext.lower().strip()
    if ext not in ALLOWED_UPLOAD_TYPES:
        shown = f".{ext}" if ext else "utan filändelse"
        raise UploadError(
            f"Filtypen {shown} stöds inte. Tillåtna filtyper: {allowed_types_text()}."
        )
    stem = re.sub(r"\.{2,}", ".", stem).strip(" ._-~")[:MAX_NAME_CHARS].strip(" ._-~")
    return f"{stem or 'dokument'}.{ext}"


def _sniff(ext: str, data: bytes) -> None:
    if ext == "docx" and not data.startswith(b"PK\x03\x04"):
        raise UploadError("Filen ser inte ut som ett Word-dokument (.docx).")
    if ext == "pdf" and not data.lstrip()[:5].startswith(b"%PDF"):
        raise UploadError("Filen ser inte ut som en PDF.")
    if ext in ("txt", "md", "jsonl") and b"\x00" in data[:65536]:
        raise UploadError("Filen ser inte ut som en textfil (den innehåller binära data).")


def save_upload(corpus_dir: Path, name: str, data: bytes) -> Path:
    """Write an uploaded file into the corpus folder; returns the path it got.

    An existing file is never overwritten: ``rapport.pdf`` becomes ``rapport-2.pdf`` and
    so on. The file appears under its final name only when completely written (hard
    link of a hidden temporary file, which the corpus reader ignores).
    """
    if len(data) == 0:
        raise UploadError("Filen är tom.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"Filen är {len(data) / 1024 / 1024:.1f} MB; största tillåtna storlek är "
            f"{MAX_UPLOAD_MB} MB."
        )
    safe = sanitize_filename(name)
    stem, _, ext = safe.rpartition(".")
    _sniff(ext, data)
    corpus_dir = Path(corpus_dir)
    try:
        corpus_dir.mkdir(parents=True, exist_ok=True)
        tmp = corpus_dir / f".upload-{secrets.token_hex(6)}.part"
        with tmp.open("xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise UploadError(
            f"Filen kunde inte sparas i korpusmappen ({exc.strerror or type(exc).__name__})."
        ) from exc
    try:
        for n in range(1, 1000):
            candidate = corpus_dir / (safe if n == 1 else f"{stem}-{n}.{ext}")
            try:
                os.link(tmp, candidate)  # fails if the name exists: no silent overwrite
            except FileExistsError:
                continue
            except OSError as exc:
                raise UploadError(
                    f"Filen kunde inte sparas i korpusmappen ({exc.strerror or exc})."
                ) from exc
            return candidate
        raise UploadError("Det finns redan för många filer med det namnet.")
    finally:
        tmp.unlink(missing_ok=True)


# ------------------------------------------------------------------------- corpus summary


@dataclass
class CorpusSummary:
    documents: list[dict]  # rows for the documents table
    sessions: list[dict]  # rows for the sessions table
    passages: int


def corpus_summary(index) -> CorpusSummary:
    """Documents and sessions of a loaded index with their passage counts (Swedish columns)."""
    per_doc = Counter(p.doc_id for p in index.passages)
    per_session: Counter[tuple[str, str]] = Counter((p.doc_id, p.session) for p in index.passages)
    regions_of: dict[tuple[str, str], list[str]] = {}
    for p in index.passages:
        regs = regions_of.setdefault((p.doc_id, p.session), [])
        for r in p.regions:
            if r not in regs:
                regs.append(r)
    docs = []
    sessions = []
    for d in index.manifest.get("documents", []):
        titles = list(dict.fromkeys(d.get("sessions", [])))
        docs.append(
            {
                "Dokument": d.get("title") or d.get("doc_id"),
                "Fil": d.get("source", ""),
                "Lärpass": len(titles),
                "Stycken": per_doc.get(d.get("doc_id"), 0),
            }
        )
        for title in titles:
            key = (d.get("doc_id"), title)
            sessions.append(
                {
                    "Lärpass": title or "(utan rubrik)",
                    "Region/organisation": ", ".join(regions_of.get(key, [])),
                    "Stycken": per_session.get(key, 0),
                    "Dokument": d.get("title") or d.get("doc_id"),
                }
            )
    return CorpusSummary(docs, sessions, len(index.passages))


def document_titles(index) -> dict[str, str]:
    return {
        d.get("doc_id"): d.get("title") or d.get("doc_id")
        for d in index.manifest.get("documents", [])
    }


def session_regions(index) -> dict[str, list[str]]:
    """Session title → its regions (for labelling the session filter)."""
    out: dict[str, list[str]] = {}
    for p in index.passages:
        regs = out.setdefault(p.session, [])
        for r in p.regions:
            if r not in regs:
                regs.append(r)
    return out


# ------------------------------------------------------------------------- loading (cached)


def index_version(index_dir: Path) -> str | None:
    from confsearch.index import current_version_dir

    folder = current_version_dir(Path(index_dir))
    return folder.name if folder is not None else None


def needs_build(settings: Settings, model_name: str) -> bool:
    from confsearch.index import is_stale

    if not settings.corpus_dir.is_dir():
        # No corpus to build from: use whatever index exists (the load reports problems).
        return False
    return is_stale(settings.index_dir, settings.corpus_dir, model_name)


def _cache_resource(**kwargs):
    import streamlit as st

    return st.cache_resource(**kwargs)


def page_threads() -> int:
    try:
        return max(1, int(os.environ.get("CONFSEARCH_PAGE_THREADS", PAGE_THREADS)))
    except ValueError:
        return PAGE_THREADS


def _set_threads(n: int) -> None:
    import torch

    torch.set_num_threads(max(1, n))


@_cache_resource(show_spinner="Laddar språkmodellen …")
def get_embedder(model: str, dtype: str, cache_dir: str):
    """The embedding model, loaded once per process (shared by every session)."""
    from confsearch.model import load_embedder

    LOADS["embedder"] += 1
    embedder = load_embedder(Settings(model=model, dtype=dtype, cache_dir=Path(cache_dir)))
    _set_threads(page_threads())
    return embedder


def embedder_for(settings: Settings):
    return get_embedder(settings.model, settings.dtype, str(settings.cache_dir))


@_cache_resource(show_spinner="Laddar sökindexet …", max_entries=4)
def get_searcher(index_dir: str, version: str, model: str, dtype: str, cache_dir: str):
    """Index + searcher for one index *version*; a re-index gives a new version and key."""
    from confsearch.index import load_index
    from confsearch.search import Searcher

    embedder = get_embedder(model, dtype, cache_dir)
    LOADS["index"] += 1
    return Searcher(load_index(Path(index_dir), embedder), embedder)


def searcher_for(settings: Settings, version: str):
    return get_searcher(
        str(settings.index_dir), version, settings.model, settings.dtype, str(settings.cache_dir)
    )


def build(settings: Settings, embedder, progress: Callable[[str, int, int], None] | None = None):
    """Build (or refresh) the index; unchanged passages reuse their stored vectors."""
    from confsearch.index import build_index

    _set_threads(os.cpu_count() or 1)  # embedding many passages does parallelise
    try:
        return build_index(
            settings.corpus_dir,
            settings.index_dir,
            embedder,
            batch_size=settings.batch_size,
            progress=progress,
        )
    finally:
        _set_threads(page_threads())
