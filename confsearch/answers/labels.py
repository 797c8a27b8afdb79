"""The relevance words of the cards ("Mycket relevant" … "Svag träff"), made true by
construction. Presentation, so it lives above the search: the search ranks and says
which words matched (:mod:`confsearch.retrieval.claims`); this says how strong a card
looks.

* :func:`relevance_label` — one card's words, from its chance of being about the asked
  session (:func:`relevance_chance`: rank, whether the search answers, relative score and
  cosine, calibrated on held-out questions by ``bench/calibrate_labels.py``);
* :func:`card_labels` — the words of a list of cards made consistent with the list and
  the answer: a card the answer cites is never weaker than one it does not cite, labels
  never rise down the list, and no card under "no clear answer" is called more than
  "Delvis relevant";
* :func:`label_hits` — sets ``Hit.label`` on a search's cards (what ``search --json``,
  ``/search`` and the page show before an answer is known).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from confsearch.retrieval.search import FusionConfig, Hit, SearchResponse
from confsearch.tuning import LABEL_CHANCES, LABEL_WEIGHTS

LABELS = ("Svag träff", "Delvis relevant", "Relevant", "Mycket relevant")
UNSURE_MAX = 1  # "Delvis relevant": the most a card under "no clear answer" is called
# A card of this label or better is shown by default; the rest behind "Visa fler".
SHOWN_FLOOR = 1
MIN_SHOWN = 3  # so many cards are shown however weak (the nearest passages)


def label_features(
    hit: Hit, top_score: float, confident: bool, config: FusionConfig
) -> list[float]:
    """What a card's chance of being on topic is read from: its rank (log), whether the
    search answers, its fused score relative to the first card's, and its dense cosine
    above the confidence floor (tenths)."""
    relative = hit.score / top_score if top_score > 0 else 0.0
    return [
        math.log(max(hit.rank, 1)),
        float(confident),
        relative,
        (hit.dense - config.min_confidence) * 10,
    ]


def relevance_chance(
    hit: Hit, config: FusionConfig, *, top_score: float | None = None, confident: bool = True
) -> float:
    """The chance that ``hit`` comes from the session the question is about, calibrated on
    the held-out rounds (``bench/calibrate_labels.py``, :data:`LABEL_WEIGHTS`)."""
    top = hit.score if top_score is None else top_score
    features = label_features(hit, top, confident, config)
    z = LABEL_WEIGHTS[0] + sum(w * x for w, x in zip(LABEL_WEIGHTS[1:], features, strict=True))
    return 1 / (1 + math.exp(-z))


def relevance_label(
    hit: Hit, config: FusionConfig, *, top_score: float | None = None, confident: bool = True
) -> str:
    """Relevance in words a person understands, cut from :func:`relevance_chance` at
    :data:`LABEL_CHANCES`. On held-out rounds each left out of the fit in turn, cards
    called "Mycket relevant" were from the asked-about session 0.65-0.92 of the time,
    "Relevant" 0.38-0.80, "Delvis relevant" 0.21-0.40 and "Svag träff" 0.01-0.06 (the
    cosine bands before gave 0.77, 0.30, 0.11 and 0.08)."""
    chance = relevance_chance(hit, config, top_score=top_score, confident=confident)
    return LABELS[sum(chance >= cut for cut in LABEL_CHANCES)]


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
    top = response.hits[0].score if response.hits else 0.0
    raw = [
        relevance_label(h, config, top_score=top, confident=response.confident)
        for h in response.hits
    ]
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
