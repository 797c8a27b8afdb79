"""What the page and the JSON claim a hit matched, made true by construction.

:func:`matched_forms` — "Matchade på orden" lists the passage's own word forms, as they
are written in it, that matched the question (a typo in the question, a word found only
in the card's metadata or a compound the passage never uses is never shown). The
relevance words of the cards are presentation: :mod:`confsearch.answers.labels`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain

from confsearch.analysis import term_of
from confsearch.text import fold, is_generic

_WORD = re.compile(r"[^\W\d_][\w-]*(?::[a-zåäö]+)?")
_FORMS: dict[tuple[int, str], list[tuple[str, frozenset[str]]]] = {}
MAX_CACHED = 50_000


def query_terms(lexical, query: str) -> frozenset[str]:
    """The index terms a question's content words can match (its readings: the word,
    its spellings without å/ä/ö, its compound parts, derivations, a typo's correction)."""
    terms: set[str] = set()
    for surface, _count, alts in lexical._query_plan(query):
        if is_generic(surface):
            continue
        terms.update(lexical._terms[tid] for tid, _w in chain.from_iterable(alts))
    return frozenset(terms)


def _passage_words(lexical, text: str) -> list[tuple[str, frozenset[str]]]:
    key = (id(lexical), text)
    words = _FORMS.get(key)
    if words is None:
        words = []
        for word in dict.fromkeys(_WORD.findall(text)):
            bare = word.split(":")[0]
            term = term_of(bare.lower())
            if term is None or is_generic(bare):
                continue
            words.append((bare, frozenset((term, *lexical.decompound(bare)))))
        if len(_FORMS) >= MAX_CACHED:
            _FORMS.clear()
        _FORMS[key] = words
    return words


def matched_forms(
    lexical, terms: frozenset[str], text: str, missing: Iterable[str] = ()
) -> list[str]:
    """The word forms of ``text`` that match ``terms`` (:func:`query_terms`), as written,
    once each, never one the page says the texts do not mention."""
    absent = {fold(m) for m in missing}
    out: dict[str, str] = {}
    for word, keys in _passage_words(lexical, text):
        if keys & terms and fold(word) not in absent:
            out.setdefault(word.lower(), word)
    return list(out.values())
