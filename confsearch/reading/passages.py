"""Passages: the units that are embedded and retrieved.

Roughly one paragraph each: short ones are merged with a neighbour, long ones split at
sentences (:func:`confsearch.text.sentence_spans`) so that every passage fits the
embedding model's token budget, with one sentence of overlap. Passages never cross a
session, because a hit is shown – and attributed to a region – as part of its session.
Passage ids hash (source, document id, session title, passage text): they survive edits
elsewhere in the file, so cached embeddings and bookmarks stay valid.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from confsearch.reading.documents import Document, Passage
from confsearch.reading.evidence import evidence
from confsearch.reading.layout import clean_slice
from confsearch.text import extract_links, sentence_spans, words

DEFAULT_MAX_TOKENS = 480
# Paragraphs with fewer words than this (URLs not counted) are merged with a neighbour:
# stubs ("Hela modellen finns presenterad här: <länk>") are poor search hits on their own
# but useful context for the paragraph next to them. So are one-sentence paragraphs
# shorter than ONE_LINER_WORDS ("De prioriterar om i RUS:en för att fler ska känna
# ägarskap och engagemang."), and a paragraph ending in ":" always introduces the next.
MIN_PASSAGE_WORDS = 12
ONE_LINER_WORDS = 20


def approx_token_count(text: str) -> int:
    """Cheap, deliberately generous estimate of subword tokens for Swedish text.

    XLM-R style tokenizers (multilingual-e5) spend about 1.3–1.8 tokens per Swedish word
    (compounds split into several pieces); punctuation is a token of its own. We count
    1.6 per word (one per six letters for long words: a 100 000-letter "word" is thousands
    of tokens, not two) plus one per punctuation mark, so a budget that holds here holds
    for the real tokenizer too. Pass the model's own counter to :func:`read_corpus` for
    accuracy.
    """
    words = sum(max(1.6, len(w) / 6) for w in re.findall(r"\w+", text))
    punct = len(re.findall(r"[^\w\s]", text))
    return math.ceil(words + punct)


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


def _largest_fitting(lo: int, hi: int, fits_window: Callable[[int, int], bool]) -> int:
    """Largest j in [lo, hi] with ``fits_window(lo, j)`` (``fits_window(lo, lo)`` is assumed
    true)."""
    start = lo
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits_window(start, mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _word_limit(counts: list[int], i: int, max_words: int) -> int:
    """Last index j >= i such that pieces i..j hold at most ``max_words`` words (at least i).

    Every word is at least one token, so a window with more words than the token budget
    can never fit: the search for the largest fitting window never looks past this bound,
    which keeps chunking linear in the text length whatever the text looks like.
    """
    total, j = counts[i], i
    while j + 1 < len(counts) and total + counts[j + 1] <= max_words:
        j += 1
        total += counts[j]
    return j


def _chunk_sentences(
    text: str,
    start: int,
    end: int,
    fits: Callable[[int, int], bool],
    max_words: int,
) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into spans that fit, at sentence boundaries, each chunk
    repeating the previous chunk's last sentence for context (when that still fits)."""
    pieces: list[tuple[int, int]] = []
    for s, e in sentence_spans(text, start, end):
        # A single sentence that is too long is cut at word boundaries.
        fit = _word_count(text, s, e) <= max_words and fits(s, e)
        pieces.extend([(s, e)] if fit else _chunk_words(text, s, e, fits, max_words))
    counts = [_word_count(text, s, e) for s, e in pieces]
    chunks: list[tuple[int, int]] = []
    i = 0
    n = len(pieces)
    while i < n:
        hi = _word_limit(counts, i, max_words)
        j = _largest_fitting(i, hi, lambda a, b: fits(pieces[a][0], pieces[b][1]))
        chunks.append((pieces[i][0], pieces[j][1]))
        if j == n - 1:
            break
        # Overlap one sentence, unless that sentence and the next do not fit together.
        overlap = j > i and counts[j] + counts[j + 1] <= max_words
        i = j if overlap and fits(pieces[j][0], pieces[j + 1][1]) else j + 1
    return chunks


def _chunk_words(
    text: str, start: int, end: int, fits: Callable[[int, int], bool], max_words: int
) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` at word boundaries into spans that fit. A single word too
    long to fit (a 100 000-character "word") is cut into pieces of characters: nothing is
    ever silently truncated by the model."""
    bounds: list[tuple[int, int]] = []
    for m in _NON_SPACE_RE.finditer(text, start, end):
        s, e = m.span()
        if e - s <= MAX_WORD_CHARS and fits(s, e):
            bounds.append((s, e))
            continue
        step = max(1, MAX_WORD_CHARS // 2)
        while s < e:  # pieces of a giant word: each fits, halving until it does
            cut = min(e, s + step)
            while cut - s > 1 and not fits(s, cut):
                cut = s + (cut - s) // 2
            bounds.append((s, cut))
            s = cut
    out = []
    counts = [1] * len(bounds)
    i = 0
    while i < len(bounds):
        hi = _word_limit(counts, i, max_words)
        j = _largest_fitting(i, hi, lambda a, b: fits(bounds[a][0], bounds[b][1]))
        out.append((bounds[i][0], bounds[j][1]))
        i = j + 1
    return out


_NON_SPACE_RE = re.compile(r"\S+")
# Longer runs without a space are cut into pieces before token counting.
MAX_WORD_CHARS = 200


def _word_count(text: str, start: int, end: int) -> int:
    return sum(1 for _ in _NON_SPACE_RE.finditer(text, start, end))


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

    def paragraph_fits(s: int, e: int) -> bool:
        # never tokenize a huge paragraph just to learn that it is too long
        return _word_count(text, s, e) <= max_tokens and fits(s, e)

    passages: list[Passage] = []
    for session in document.sessions:
        units: list[_Unit] = []
        for pi, (s, e) in enumerate(session.paragraph_spans):
            if paragraph_fits(s, e):
                units.append(_Unit(s, e, pi, pi))
            else:
                chunks = _chunk_sentences(text, s, e, fits, max_tokens)
                units.extend(_Unit(cs, ce, pi, pi, True) for cs, ce in chunks)

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
                # the organisations this passage itself is evidence for
                # (confsearch.reading.evidence)
                "evidence": evidence(session, body),
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
