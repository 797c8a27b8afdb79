"""Answer units: the sentences an answer may copy (a quote line's too), and the context each needs.

A passage is cut into units once, the same way for scoring and for showing, so an answer
sentence is always shown with exactly the sentences before it that it points back to, and
a quote's sentence with the rest of the quote up to its speaker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from confsearch.answers.standalone import needs_next, needs_previous
from confsearch.reading.people import extract_speakers
from confsearch.text import QUOTE_LINE_RE, split_sentences, strip_marker
from confsearch.tuning import MAX_CONTEXT, MAX_UNIT_CHARS

# --------------------------------------------------------------------------- units


@dataclass(frozen=True)
class Unit:
    text: str
    quote: bool  # a sentence of a quote line
    line: int = -1  # the quote line it belongs to (its sentences share it)


def units_of(text: str) -> list[Unit]:
    units: list[Unit] = []
    for n, raw in enumerate((text or "").splitlines()):
        line = " ".join(raw.split())
        if not line:
            continue
        quote = bool(QUOTE_LINE_RE.match(line)) and len(line) <= MAX_UNIT_CHARS
        units.extend(Unit(s, quote, n if quote else -1) for s in split_sentences(line))
    return units


def answer_units(text: str) -> list[str]:
    """The candidate answer sentences of a passage, one line at a time: every line is
    split into sentences by :func:`confsearch.text.split_sentences`, a quote line too
    (its sentences are shown up to its speaker: :func:`context_range`)."""
    return [u.text for u in units_of(text)]


def joined(units: list[str], first: int, last: int) -> str:
    """Units ``first``..``last`` as one text, as an answer shows them (list and quote
    markers off)."""
    return " ".join(strip_marker(u) for u in units[first : last + 1])


def quote_spans(units: list[Unit]) -> dict[int, tuple[int, int]]:
    """For each unit of a quote line, the (first, last) units of that line."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for i, u in enumerate(units):
        if u.quote:
            first.setdefault(u.line, i)
            last[u.line] = i
    return {i: (first[u.line], last[u.line]) for i, u in enumerate(units) if u.quote}


def context_range(
    units: list[str], i: int, quotes: Mapping[int, tuple[int, int]] | None = None
) -> tuple[int, int] | None:
    """The units (first, last) that make unit ``i`` a whole statement.

    The sentences before it that it points back to
    (:func:`confsearch.answers.standalone.needs_previous`, at most :data:`MAX_CONTEXT`)
    and, if it ends with ":", the sentence it introduces. None when what it introduces is
    missing: a fragment is never an answer. A sentence of a quote line (``quotes``: unit ->
    the quote's first and last unit) is shown to the quote's end, so the speaker named
    there stays with it, and from the quote's start when the speaker is named only before
    it; quotes are never brought along as context.
    """
    quotes = quotes or {}
    if i in quotes:
        start, end = quotes[i]
        first = i
        while first > start and i - first < MAX_CONTEXT and needs_previous(units[first]):
            first -= 1
        named_before = first > start and _speaker_in(units[start:first])
        if named_before and not _speaker_in(units[first : end + 1]):
            first = start
        return first, end
    first = i
    while (
        first > 0
        and i - first < MAX_CONTEXT
        and first not in quotes
        and (first - 1) not in quotes
        and needs_previous(units[first])
    ):
        first -= 1
    last = i
    if needs_next(units[i]):
        if i + 1 >= len(units):
            return None
        last = quotes.get(i + 1, (0, i + 1))[1]  # a quote it introduces, whole
    return first, last


def _speaker_in(units: list[str]) -> bool:
    return _names_speaker(" ".join(units))


@lru_cache(maxsize=4096)
def _names_speaker(text: str) -> bool:
    """Whether ``text`` names who said it (cached: passages are cut at every question)."""
    return bool(extract_speakers([text]))
