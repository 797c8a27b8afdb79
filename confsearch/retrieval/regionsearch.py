"""Which organisations a search is evidence for: the regions overview's rule.

Kept apart from the search itself: it reads a finished :class:`SearchResponse` and needs
nothing of the index or the model, so the use cases can apply it to a response they hold.
"""

from __future__ import annotations

from confsearch.reading.evidence import for_hit, org_key
from confsearch.retrieval.hits import RegionResult, SearchResponse
from confsearch.tuning import REGION_SCORE_SHARE


def regions_of(resp: SearchResponse, k: int = 10) -> list[RegionResult]:
    """The organisations ``resp`` is evidence for (:meth:`Searcher.regions`), best first."""
    if not resp.confident or not resp.hits:
        return []
    top = resp.hits[0]
    by_region: dict[str, RegionResult] = {}
    for h in resp.hits:
        strong = h.score >= REGION_SCORE_SHARE * top.score and bool(h.matched_terms)
        if h is not top and not strong:
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
    return sorted(by_region.values(), key=lambda x: -x.score)[:k]
