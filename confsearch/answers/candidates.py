"""Candidate answer sentences from the top hits, and the lexical half of their scores.

Every unit of every hit becomes a candidate with its hit's standing and its analysed
terms; overlapping and near-duplicate candidates are merged before the answer is chosen
(:func:`confsearch.answers.answer.answer`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from confsearch.analysis import analyze, term_match
from confsearch.answers.units import context_range, joined, quote_spans, units_of
from confsearch.retrieval.search import Hit
from confsearch.text import (
    comparable,
    is_url_only,
    strip_marker,
)
from confsearch.tuning import (
    DEFINES_WEIGHT,
    DENSE_W,
    DUPLICATE_JACCARD,
    FOCUS_WEIGHT,
    ITEM_WEIGHT,
    LEXICAL_W,
    LONG_WORDS,
    META_FACTOR,
    MIN_WORDS,
    OPENING_PENALTY,
    PRIOR_W,
    SHORT_FACTOR,
    SHORT_WORDS,
)


@dataclass
class Candidate:
    text: str  # what the answer shows: the sentence with the context it needs
    hit: Hit
    citation: int
    position: int
    terms: list[str]
    words: int
    prior: float
    lexical: float = 0.0
    dense: float | None = None
    score: float = 0.0
    core: str = ""  # the sentence itself, what is scored
    embedded: str = ""  # the sentence with the context it needs, what is embedded
    span: tuple[int, int] = (0, 0)  # the units shown (see context_range)
    units: list[str] = field(default_factory=list)  # all units of the passage
    focus: float = 0.0  # share of the question's focus it mentions
    item: bool = False  # holds an item of the kind asked for
    defines: bool = False  # defines the term a definition question asks about
    quote: bool = False  # a sentence of a quote line: said by someone of the session
    meta: bool = False  # says what the session is about, not a fact of it


def find_candidates(hits: list[Hit]) -> list[Candidate]:
    top = max((h.score for h in hits), default=0.0)
    out = []
    for h in hits:
        norm = h.score / top if top > 0 else 0.0
        prior = 0.5 * min(max(norm, 0.0), 1.0) + 0.5 / max(h.rank, 1)
        units = units_of(h.passage.text)
        texts = [u.text for u in units]
        quotes = quote_spans(units)
        for pos, unit in enumerate(units):
            core = strip_marker(unit.text)
            if is_url_only(core):
                # a link is shown with the line that says what it is ("Länk till …")
                if pos == 0 or is_url_only(texts[pos - 1]):
                    continue
                core = f"{strip_marker(texts[pos - 1])} {core}"
            words = len(core.split())
            if words < MIN_WORDS:
                continue
            span = context_range(texts, pos, quotes)
            if is_url_only(strip_marker(unit.text)) and span is not None:
                span = (min(span[0], pos - 1), span[1])
            if span is None:
                continue
            shown = joined(texts, span[0], span[1])
            # a quote's sentence is shown on to its speaker, but that is not its content
            upto = pos if unit.quote else span[1]
            embedded = joined(texts, span[0], upto)
            # Words scored on the sentence itself; shown (and embedded) with its context.
            out.append(
                Candidate(
                    text=shown,
                    hit=h,
                    citation=h.rank,
                    position=pos,
                    terms=analyze(core),
                    words=words,
                    prior=prior,
                    core=core,
                    embedded=embedded,
                    span=span,
                    units=texts,
                    quote=unit.quote,
                )
            )
    return out


def lexical_scores(query_terms: list[str], cands: list[Candidate]) -> None:
    qset = list(dict.fromkeys(query_terms))
    if not qset or not cands:
        return
    sets = [set(c.terms) for c in cands]
    # a compound counts less here than in the focus share: 5 letters, half a match
    rows = [[term_match(q, s, inner_from=5, inner=0.5) for q in qset] for s in sets]
    matches = np.array(rows, dtype=np.float64)
    # Local IDF over the candidate sentences: a term in every sentence says little.
    df = (matches > 0).sum(axis=0)
    weights = np.log1p(len(cands) / np.maximum(df, 1))
    total = float(weights.sum())
    for c, row in zip(cands, matches, strict=True):
        c.lexical = float(row @ weights) / total if total > 0 else 0.0


def _length_factor(words: int) -> float:
    if words < SHORT_WORDS:
        return SHORT_FACTOR
    if words > LONG_WORDS:
        return 0.9
    return 1.0


def combined_score(c: Candidate) -> float:
    if c.dense is None:
        base = 0.6 * c.lexical + 0.4 * c.prior
    else:
        base = DENSE_W * c.dense + LEXICAL_W * c.lexical + PRIOR_W * c.prior
    bonus = FOCUS_WEIGHT * c.focus + ITEM_WEIGHT * c.item + DEFINES_WEIGHT * c.defines
    meta = META_FACTOR if c.meta else 1.0
    opening = OPENING_PENALTY if c.position == 0 else 0.0  # introduces the passage
    return (base + bonus) * _length_factor(c.words) * meta - opening


def overlaps(a: Candidate, b: Candidate) -> bool:
    """Whether two candidates of one passage would show a sentence twice."""
    same = a.hit.passage.id == b.hit.passage.id
    return same and a.span[0] <= b.span[1] + 1 and b.span[0] <= a.span[1] + 1


def merge_candidates(into: Candidate, other: Candidate) -> None:
    first, last = min(into.span[0], other.span[0]), max(into.span[1], other.span[1])
    into.position = min(into.position, other.position)
    show_span(into, first, last)


def show_span(c: Candidate, first: int, last: int) -> None:
    """Show the passage's units ``first``..``last`` as ``c``'s text."""
    c.span = (first, last)
    c.text = joined(c.units, first, last)


def near_duplicate(a: Candidate, b: Candidate) -> bool:
    na, nb = comparable(a.text), comparable(b.text)
    if na in nb or nb in na:
        return True
    sa, sb = set(a.terms), set(b.terms)
    if not sa or not sb:
        return False
    return len(sa & sb) / len(sa | sb) >= DUPLICATE_JACCARD
