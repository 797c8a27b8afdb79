"""Answer units: the sentences and quote lines an answer may copy, and the context each needs.

A passage is cut into units once, the same way for scoring and for showing, so an answer
sentence is always shown with exactly the sentences before it that it points back to.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from confsearch.text import (
    QUOTE_LINE_RE,
    needs_next,
    needs_previous,
    split_sentences,
)
from confsearch.tuning import MAX_CONTEXT, MAX_UNIT_CHARS

# --------------------------------------------------------------------------- units


@dataclass(frozen=True)
class Unit:
    text: str
    quote: bool  # a whole quote line


def units_of(text: str) -> list[Unit]:
    units: list[Unit] = []
    for raw in (text or "").splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if QUOTE_LINE_RE.match(line) and len(line) <= MAX_UNIT_CHARS:
            units.append(Unit(line, True))
        else:
            units.extend(Unit(s, False) for s in split_sentences(line))
    return units


def answer_units(text: str) -> list[str]:
    """The candidate answer sentences of a passage, one line at a time.

    A quote line ("- Vi har … säger X.") stays one unit so the speaker stays with what was
    said, unless it is very long; every other line is split into sentences by
    :func:`confsearch.text.split_sentences`.
    """
    return [u.text for u in units_of(text)]


def context_range(
    units: list[str], i: int, quotes: Set[int] = frozenset()
) -> tuple[int, int] | None:
    """The units (first, last) that make unit ``i`` a whole statement.

    The sentences before it that it points back to (:func:`confsearch.text.needs_previous`,
    at most :data:`MAX_CONTEXT`) and, if it ends with ":", the sentence it introduces.
    None when what it introduces is missing: a fragment is never an answer. Quote lines
    (indices in ``quotes``) stand alone and are never brought along as context.
    """
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
        last = i + 1
    return first, last
