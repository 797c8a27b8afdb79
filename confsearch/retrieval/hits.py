"""What a search returns: the hits, the response around them, and an organisation's result.

Plain data, kept apart from :mod:`confsearch.retrieval.search` (which computes them) so the
use cases, the answers and the regions overview can read them without the search engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from confsearch import messages
from confsearch.reading.documents import Passage
from confsearch.retrieval.confidence import Evidence


@dataclass
class Hit:
    rank: int
    score: float
    passage: Passage
    dense: float  # cosine similarity to the query
    lexical: float  # BM25 score (0 when no query word occurs)
    matched_terms: list[str] = field(default_factory=list)
    # the passage's own word forms that matched, as written there (claims.matched_forms)
    matched_forms: list[str] = field(default_factory=list)
    label: str = ""  # the relevance words shown (set by confsearch.answers.labels)


@dataclass
class SearchResponse:
    query: str
    hits: list[Hit]
    confident: bool
    expansions: list[str] = field(default_factory=list)
    region_filter: str | None = None
    session_filter: str | None = None
    missing: list[str] = field(default_factory=list)  # what the texts never mention
    evidence: Evidence | None = None  # what "confident" was decided from

    def no_answer_reasons(self) -> str:
        """Why there is no answer, in Swedish: what the texts never mention and what the
        best hits do not state ("" when no rule says why: the evidence was just weak)."""
        unstated = self.evidence.unstated if self.evidence is not None else ""
        return messages.no_answer_reasons(self.missing, unstated)


@dataclass
class RegionResult:
    region: str
    score: float
    passages: int
    sessions: list[str]
    best: Hit
