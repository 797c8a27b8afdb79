"""Questions that ask for a comparison, and the sentences that make it.

"Hur står sig ojämlikheten i Gävleborg jämfört med riksgenomsnittet?" is about
Gävleborg's inequality, which the texts describe, but asks how it compares with the
national average, which they never mention. A sentence about the inequality alone does
not answer it: one that names what it is compared with does (issue 24: a near miss
answered as if answered). A comparison with the past ("jämfört med tidigare") is told
in many words ("aldrig tidigare", "i Sveriges historia"), so it is not checked.
"""

from __future__ import annotations

import re

from confsearch.patterns import WORD_RE
from confsearch.text import FUNCTION_WORDS, fold
from confsearch.wordlists import COUNTRY_IN_SWEDISH

# What the question compares with: the words after "jämfört med", up to the clause's end.
_COMPARED = re.compile(
    r"\b(?:jämfört|jamfort|jämförd|jämförda|jämförelse|jamforelse)\s+med\s+(?P<a>[^?,.;]+)"
    r"|\bi\s+förhållande\s+till\s+(?P<b>[^?,.;]+)"
    r"|\bcompared?\s+(?:with|to)\s+(?P<c>[^?,.;]+)"
    r"|\bin\s+comparison\s+(?:with|to)\s+(?P<d>[^?,.;]+)",
    re.IGNORECASE,
)
# a comparison with the past, or with the thing's own earlier state
_PAST = frozenset(
    (
        "tidigare",
        "förr",
        "forr",
        "innan",
        "förut",
        "forut",
        "earlier",
        "before",
        "previous",
        "previously",
        "past",
        "ones",
        "last",
        "year",
        "året",
        "aret",
        "fjol",
        "fjolåret",
    )
)
_NOT_TARGET = frozenset(
    ("the", "rest", "other", "others", "andra", "övriga", "ovriga", "its", "eller", "och", "and")
)


def compared_phrase(question: str) -> str:
    """What ``question`` compares with, as written ("riksgenomsnittet eller grannlänen")."""
    m = _COMPARED.search(question)
    return next((g.strip() for g in m.groups() if g), "") if m else ""


def compared_with(question: str) -> tuple[str, ...]:
    """The content words of what ``question`` compares with, as written (``()`` when it
    asks for no comparison, or for one with the past)."""
    target = compared_phrase(question)
    if not target:
        return ()
    words = [w for w in WORD_RE.findall(target) if len(w) >= 4 or w[:1].isupper()]
    if any(fold(w) in _PAST for w in WORD_RE.findall(target)):
        return ()
    skip = FUNCTION_WORDS | _NOT_TARGET
    return tuple(w for w in words if w.lower() not in skip)


def makes_comparison(compared: tuple[str, ...], sentence: str) -> bool:
    """Whether ``sentence`` names what the question compares with (any of ``compared``,
    by its first five letters; a country named in English as the texts write it)."""
    if not compared:
        return True
    stems = set()
    for word in compared:
        folded = fold(word)
        stems.add(folded[:5])
        swedish = COUNTRY_IN_SWEDISH.get(folded)
        if swedish:
            stems.add(fold(swedish)[:5])
    return any(fold(w)[:5] in stems for w in WORD_RE.findall(sentence) if len(w) >= 4)
