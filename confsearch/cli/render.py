"""The CLI's text output: results of :mod:`confsearch.qa` as lines a person reads.

Imported by the commands when they run (not by ``confsearch.cli`` itself), so that
``--help`` and refused input never load the search stack.
"""

from __future__ import annotations

from confsearch import messages
from confsearch.answers.labels import label_hits
from confsearch.messages import NO_REGIONS_WITH_EVIDENCE, count_noun
from confsearch.qa import RegionsResult
from confsearch.retrieval.search import FusionConfig, SearchResponse


def print_listing(resp: SearchResponse, config: FusionConfig) -> None:
    """``search`` without ``--json``: each card with its relevance in words."""
    print(f"Fråga: {resp.query}")
    reasons = resp.no_answer_reasons()
    if reasons:
        print(reasons)
    if not resp.confident:
        print(f"{messages.NO_ANSWER} {messages.NO_ANSWER_NEAREST}")
    for h in label_hits(resp, config).hits:
        p = h.passage
        region = ", ".join(p.regions) or messages.NO_REGION
        print(f"\n[{h.rank}] {p.session} – {region}  ({h.label}, {h.score:.2f})")
        if p.speakers:
            print(f"    Talare: {', '.join(p.speakers)}")
        print("    " + p.text.replace("\n", "\n    "))
        print(f"    {messages.matched_words(h.matched_terms)}. Källa: {p.source}")
    print()


def print_regions(result: RegionsResult) -> None:
    """``regions``: the organisations, best first, each with its best passage."""
    if not result.regions:
        print(NO_REGIONS_WITH_EVIDENCE)
        return
    print(f"Regioner och organisationer som arbetat med: {result.query}\n")
    for i, r in enumerate(result.regions, 1):
        p = r.best.passage
        print(
            f"{i}. {r.region}  (poäng {r.score:.2f}, "
            f"{count_noun(r.passages, 'stycke', 'stycken')}, lärpass: {', '.join(r.sessions)})"
        )
        print(f"   Bästa stycke: {p.text[:300]}{'…' if len(p.text) > 300 else ''}")
