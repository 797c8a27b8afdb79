"""Which organisations a search is evidence for: the regions overview's rule.

Kept apart from the search itself: it reads a finished :class:`SearchResponse` and needs
nothing of the index or the model, so the use cases can apply it to a response they hold.

The question's wording narrows the list: "Vilken region …?" asks for one, so only the best
session's organisations answer; "vilka regioner" wants regions, not agencies; "vilka två"
at most two; and the organisation a question names ("Vilken region samarbetar Norrbotten
med?") is no answer to it.
"""

from __future__ import annotations

import re

from confsearch.patterns import COUNT_WORDS
from confsearch.reading.evidence import for_hit, org_key
from confsearch.reading.regions import is_region, typed_mentions
from confsearch.retrieval.hits import RegionResult, SearchResponse
from confsearch.retrieval.question import analyse
from confsearch.tuning import REGION_SCORE_SHARE

# "Vilken region …?", "Which county …?": one is asked for, so only the best session's
# organisations answer; a strong hit from another session is not a second answer.
_ONE_ASKED = re.compile(
    r"\b(?:vilken|vilket|which)\s+(?:\w+\s+)?(?:region|län|organisation|myndighet|kommun|"
    r"aktör|county|organi[sz]ation|agency|municipality)\b",
    re.IGNORECASE,
)
# "Vilka två regioner …?", "Which three counties …?": at most that many (two to five).
_COUNTS = {word: n for word, n in COUNT_WORDS.items() if n <= 5}
_COUNT_ASKED = re.compile(r"\b(?:vilka|which)\s+(?P<n>" + "|".join(_COUNTS) + r")\b", re.IGNORECASE)


def regions_of(resp: SearchResponse, k: int = 10) -> list[RegionResult]:
    """The organisations ``resp`` is evidence for (:meth:`Searcher.regions`), best first."""
    if not resp.confident or not resp.hits:
        return []
    question = analyse(resp.query)
    found = _evidence(resp, one_session=bool(_ONE_ASKED.search(resp.query)))
    if question.regions_only and not any(is_region(r.region) for r in found):
        # "Which region …?" and the best session is an agency's: the regions further down
        found = _evidence(resp, one_session=False)
    if question.regions_only:
        found = [r for r in found if is_region(r.region)] or found
    if question.asks == "organisation":
        # "Vilken region samarbetar Norrbotten med?": the one it names is no answer
        named = {org_key(m.name) for m in typed_mentions(resp.query)}
        found = [r for r in found if org_key(r.region) not in named] or found
    count = _COUNT_ASKED.search(resp.query)
    if count is not None:
        k = min(k, _COUNTS[count.group("n").lower()])
    return found[:k]


def _evidence(resp: SearchResponse, *, one_session: bool) -> list[RegionResult]:
    """The organisations of the top hit and of the hits nearly as strong that match the
    question's words (only the top hit's session's with ``one_session``), best first."""
    top = resp.hits[0]
    by_region: dict[str, RegionResult] = {}
    for h in resp.hits:
        strong = h.score >= REGION_SCORE_SHARE * top.score and bool(h.matched_terms)
        elsewhere = one_session and h.passage.session != top.passage.session
        if h is not top and (not strong or elsewhere):
            continue
        # a passage is evidence for what it shows itself (confsearch.reading.evidence)
        record = h.passage.metadata.get("evidence")
        found = for_hit(record, h.passage.text, h.matched_terms) if record else None
        for r in h.passage.regions if found is None else found:
            # one organisation however it is written (SKL / Sveriges Kommuner och
            # Landsting), shown as first written
            cur = by_region.get(org_key(r))
            if cur is None:
                by_region[org_key(r)] = RegionResult(r, h.score, 1, [h.passage.session], h)
            else:
                cur.passages += 1
                if h.passage.session not in cur.sessions:
                    cur.sessions.append(h.passage.session)
    return sorted(by_region.values(), key=lambda x: -x.score)
