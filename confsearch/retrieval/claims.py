"""What the page and the JSON claim about a hit, made true by construction.

* :func:`matched_forms` — "Matchade på orden" lists the passage's own word forms, as they
  are written in it, that matched the question (a typo in the question, a word found
  only in the card's metadata or a compound the passage never uses is never shown);
* :func:`card_labels` — the relevance words of a list of cards: from each card's cosine
  (:func:`confsearch.retrieval.search.relevance_label`), then made consistent with the list and the
  answer: a card the answer cites is never weaker than one it does not cite, labels
  never rise down the list, and no card under "no clear answer" is called more than
  "Delvis relevant".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import chain

from confsearch.analysis import term_of
from confsearch.text import fold, is_generic
from confsearch.tuning import MIN_SHOWN, SHOWN_FLOOR, UNSURE_MAX

LABELS = ("Svag träff", "Delvis relevant", "Relevant", "Mycket relevant")

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


def level(label: str) -> int:
    return LABELS.index(label) if label in LABELS else 0


def card_labels(labels: Sequence[str], *, confident: bool, cited: Iterable[int] = ()) -> list[str]:
    """``labels`` (one per card, in rank order, from the cosine) made consistent: cited
    cards (0-based positions) at least as strong as every uncited one, never rising down
    the list, and at most "Delvis relevant" without an answer."""
    levels = [level(x) for x in labels]
    cited = {i for i in cited if 0 <= i < len(levels)}
    uncited = [lv for i, lv in enumerate(levels) if i not in cited]
    floor = max(uncited, default=0)
    levels = [max(lv, floor) if i in cited else lv for i, lv in enumerate(levels)]
    for i in range(len(levels) - 2, -1, -1):  # a card is as strong as any card below it
        levels[i] = max(levels[i], levels[i + 1])
    if not confident:
        levels = [min(lv, UNSURE_MAX) for lv in levels]
    return [LABELS[lv] for lv in levels]


def shown_count(labels: Sequence[str]) -> int:
    """How many cards to show before "Visa fler": those at or above the relevance floor,
    and at least :data:`MIN_SHOWN`."""
    above = sum(level(x) >= SHOWN_FLOOR for x in labels)
    return min(len(labels), max(above, MIN_SHOWN))


def cited_labels(response, ans) -> list[str]:
    """The cards' labels once the answer is known: the cards it cites at least as strong
    as any it does not cite (:func:`card_labels`)."""
    raw = [h.label or LABELS[0] for h in response.hits]
    cited = {s.citation - 1 for s in ans.sentences} if ans.confident else set()
    return card_labels(raw, confident=ans.confident, cited=cited)


def ask_json(response, ans, sources: dict) -> dict:
    """The ``ask --json`` and ``/ask`` contract: ``answer`` (sentences with ``text``,
    ``passage_id`` and ``cites``, the card numbers), ``confident``, ``missing``, ``reason``
    (why there is no answer, in Swedish; "" when there is one) and ``sources`` (the cards
    cited or, without an answer, the nearest, with their labels)."""
    from confsearch.answers.answer import source_line

    labels = cited_labels(response, ans)
    for h, label in zip(response.hits, labels, strict=True):
        h.label = label
    cited = sorted({s.citation for s in ans.sentences})
    by_rank = {h.rank: h for h in response.hits}
    return {
        "query": response.query,
        "answer": [
            {"text": s.text, "passage_id": s.hit.passage.id, "cites": [s.citation]}
            for s in ans.sentences
        ],
        "confident": ans.confident,
        "missing": list(response.missing),
        "reason": "" if ans.confident else ans.message,
        "sources": [
            {
                **by_rank[n].to_json(),
                "cites": n,
                "citation": source_line(by_rank[n], sources.get(by_rank[n].passage.doc_id)),
            }
            for n in cited
            if n in by_rank
        ],
    }
