"""How much of a question's focus a candidate answer sentence mentions.

The focus is what the question asks about ("Indien" in "Vad sa Per-Erik Andersson om
Indien?"; :mod:`confsearch.retrieval.question` reads it). A sentence mentions a focus
word as written or inflected, as a part of a compound ("bibliotek" in "cykelbibliotek",
and the other way round), or through a glossary synonym or translation the texts use
("Chamber of Commerce" ~ "Handelskammaren"). Among the candidate sentences, a focus word
most of them mention locates the session rather than the fact and weighs less
(:func:`focus_weights`).
"""

from __future__ import annotations

import math

from confsearch.analysis import analyze_words, term_match
from confsearch.retrieval.glossary import expansions
from confsearch.retrieval.question import Question
from confsearch.text import fold

__all__ = ["focus_share", "focus_terms", "focus_weights"]


def _terms(text: str) -> set[str]:
    return {t for _, t in analyze_words(text)}


def focus_terms(question: Question) -> list[set[str]]:
    """For each focus word, the index terms that count as mentioning it: its own, and
    those of the glossary's synonyms and translations ("jämställdhet" ~ "kvinnor och
    män" when the glossary says so). The words of a phrase the glossary translates
    whole ("Chamber of Commerce" ~ "Handelskammaren") are one focus item, not several."""
    phrases = [
        (words, target)
        for matched, target in expansions(question.text)
        if len(words := set(fold(matched).split())) > 1
    ]
    out: list[set[str]] = []
    joined: dict[int, set[str]] = {}  # phrase number -> its focus item
    for word in question.focus:
        alts = _terms(word)
        for _, target in expansions(word):
            alts |= {t for t in _terms(target) if len(t) >= 3}
        phrase = next((i for i, (words, _) in enumerate(phrases) if fold(word) in words), None)
        if phrase is not None:
            alts |= {t for t in _terms(phrases[phrase][1]) if len(t) >= 3}
            if phrase in joined:
                joined[phrase] |= alts
                continue
            joined[phrase] = alts
        if alts:
            out.append(alts)
    return out


def focus_weights(focus: list[set[str]], candidates: list[set[str]]) -> list[float]:
    """How much each focus item tells the candidate sentences (index terms) apart: an
    item most of them mention ("Värmlandsrådet" in the session about it) locates the
    session rather than the fact, one few mention picks the sentence (inverse document
    frequency among the candidates, at least :data:`MIN_FOCUS_WEIGHT`)."""
    n = len(candidates)
    weights = []
    for alts in focus:
        df = sum(any(term_match(a, terms) > 0 for a in alts) for terms in candidates)
        weights.append(max(math.log((n + 1) / (df + 0.5)), MIN_FOCUS_WEIGHT))
    return weights


MIN_FOCUS_WEIGHT = 0.05


def focus_share(
    focus: list[set[str]], terms: set[str], weights: list[float] | None = None
) -> float:
    """Share of the focus words a sentence (index terms ``terms``) mentions, each item
    weighted by ``weights`` (equal without; 1.0 when the question has no focus: then
    every sentence is about it)."""
    if not focus:
        return 1.0
    weights = weights or [1.0] * len(focus)
    told = sum(
        w * max(term_match(a, terms) for a in alts) for w, alts in zip(weights, focus, strict=True)
    )
    return told / sum(weights)
