"""The relevance words of the cards ("Mycket relevant" … "Svag träff"), made true by
construction. Presentation, so it lives above the search: the search ranks and says
which words matched (:mod:`confsearch.retrieval.claims`); this says how strong a card
looks.

* :func:`relevance_label` — one card's words, from its dense cosine;
* :func:`card_labels` — the words of a list of cards made consistent with the list and
  the answer: a card the answer cites is never weaker than one it does not cite, labels
  never rise down the list, and no card under "no clear answer" is called more than
  "Delvis relevant";
* :func:`label_hits` — sets ``Hit.label`` on a search's cards (what ``search --json``,
  ``/search`` and the page show before an answer is known).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from confsearch.retrieval.search import FusionConfig, Hit, SearchResponse

LABELS = ("Svag träff", "Delvis relevant", "Relevant", "Mycket relevant")
UNSURE_MAX = 1  # "Delvis relevant": the most a card under "no clear answer" is called
# A card of this label or better is shown by default; the rest behind "Visa fler".
SHOWN_FLOOR = 1
MIN_SHOWN = 3  # so many cards are shown however weak (the nearest passages)


def relevance_label(hit: Hit, config: FusionConfig) -> str:
    """Relevance in words a person understands, from the dense cosine."""
    c = hit.dense
    if c >= config.min_confidence + 0.06:
        return "Mycket relevant"
    if c >= config.min_confidence + 0.02:
        return "Relevant"
    if c >= config.min_confidence:
        return "Delvis relevant"
    return "Svag träff"


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


def label_hits(response: SearchResponse, config: FusionConfig) -> SearchResponse:
    """Set each hit's ``label`` (:func:`card_labels` of the cosines, given whether the
    search answers); returns ``response`` for chaining."""
    raw = [relevance_label(h, config) for h in response.hits]
    labels = card_labels(raw, confident=response.confident)
    for h, label in zip(response.hits, labels, strict=True):
        h.label = label
    return response


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
