"""The ``ask`` use case: search, answer, and blame a filter that hides the answer.

The CLI (``ask``, ``ask --json``), the API (``/ask``) and the page share it through
:func:`confsearch.qa.ask`, so the three say the same thing. When a region or session
filter is active and nothing within it answers, the question is asked once more without
the filter: if that answers, the message says the filter excludes the answer and where
the answer is, instead of "no clear answer in the texts", which would not be true.
"""

from __future__ import annotations

from dataclasses import dataclass

from confsearch.answers.answer import Answer, answer
from confsearch.messages import filter_words
from confsearch.retrieval.search import Searcher, SearchResponse


@dataclass
class Asked:
    response: SearchResponse
    answer: Answer
    outside: SearchResponse | None = None  # without the filter, when that answers


def filter_blame(response: SearchResponse, outside: SearchResponse) -> str:
    """ "Inget svar från Region Gävleborg: filtret utesluter svaret …"."""
    scope = filter_words(response.region_filter, response.session_filter)
    top = outside.hits[0].passage
    where = ", ".join(top.regions) or top.session
    place = f" i {where}" if where else ""
    return (
        f"Inget svar {scope}: filtret utesluter svaret. Utan filtret finns ett svar{place}"
        " – sök utan filter för att se det."
    )


def ask(searcher: Searcher, query: str, k: int = 5, *, region=None, session=None) -> Asked:
    """Search and answer; with a filter that hides the answer, say so (module docstring).
    Raises :class:`confsearch.query.QueryError` for unusable queries (Swedish
    message)."""
    response = searcher.search(query, k=k, region=region, session=session)
    ans = answer(response, embedder=searcher.embedder)
    if ans.confident or not (response.region_filter or response.session_filter):
        return Asked(response, ans)
    free = searcher.search(query, k=k)
    if not answer(free, embedder=searcher.embedder).confident or not free.hits:
        return Asked(response, ans)
    ans.message = filter_blame(response, free)
    return Asked(response, ans, free)
