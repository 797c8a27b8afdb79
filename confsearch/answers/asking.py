"""The ``ask`` use case: search, answer, and blame a filter that hides the answer.

The CLI (``ask``, ``ask --json``), the API (``/ask``) and the page share it, so the three
say the same thing. When a region or session filter is active and nothing within it
answers, the question is asked once more without the filter: if that answers, the
message says the filter excludes the answer and where the answer is, instead of "no
clear answer in the texts", which would not be true.
"""

from __future__ import annotations

from dataclasses import dataclass

from confsearch.answers.answer import Answer, answer, format_answer
from confsearch.answers.citation import sources
from confsearch.messages import filter_words
from confsearch.retrieval import claims
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
    Raises :class:`confsearch.retrieval.search.QueryError` for unusable queries (Swedish
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


def ask_json(searcher: Searcher, query: str, k: int = 5, *, region=None, session=None) -> dict:
    """The ``ask --json`` / ``/ask`` object (:func:`confsearch.retrieval.claims.ask_json`), with
    ``filtered_out`` true when a filter hides an answer that exists without it, and the
    fields ``/ask`` had before (``message``, ``sentences``, ``hits``, ``text``)."""
    asked = ask(searcher, query, k, region=region, session=session)
    cited = sources(searcher.index.manifest.documents)
    out = claims.ask_json(asked.response, asked.answer, cited)
    out["filtered_out"] = asked.outside is not None
    out["text"] = format_answer(asked.answer, cited)
    # what /ask gave before this contract: the message, sentences by card, all the cards
    out["message"] = asked.answer.message
    out["sentences"] = [{"text": s["text"], "citation": s["cites"][0]} for s in out["answer"]]
    out["hits"] = [h.to_json() for h in asked.response.hits]
    return out


def ask_text(searcher: Searcher, query: str, k: int = 5, *, region=None, session=None) -> str:
    """``python -m confsearch ask``: the answer as plain text."""
    asked = ask(searcher, query, k, region=region, session=session)
    return format_answer(asked.answer, sources(searcher.index.manifest.documents))
