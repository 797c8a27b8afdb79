"""Hybrid search: dense + lexical candidates, fused, filtered and aggregated per session/region.

The fusion method and its weights were chosen by measurement (``python -m confsearch eval``
on SweFAQ dev and the project's own question set, see docs/benchmarks.md); they live in
:class:`FusionConfig` so experiments never need code changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from confsearch.documents import Passage
from confsearch.glossary import expand_query
from confsearch.model import Embedder
from confsearch.regions import match_region_filter
from confsearch.store import Filter, LoadedIndex

MAX_QUERY_CHARS = 2000


class QueryError(ValueError):
    """The query cannot be searched; the message is for the user (Swedish)."""


@dataclass(frozen=True)
class FusionConfig:
    """How dense and lexical evidence are combined.

    ``weighted``: ``w * dense + (1 - w) * lexical`` where dense is the cosine mapped from
    [floor, 1] to [0, 1] and lexical is BM25 divided by the best BM25 among candidates.
    ``rrf``: reciprocal rank fusion. ``dense`` / ``lexical``: one side only (for eval).
    """

    method: str = "weighted"
    dense_weight: float = 0.90
    dense_floor: float = 0.70
    rrf_k: int = 60
    candidates: int = 100
    expand_glossary: bool = True
    # Hubness discount λ (see GENERIC_QUERIES); 0.25 was best on SweFAQ dev and our set.
    hub_penalty: float = 0.25
    # A top hit whose dense cosine is below this is "no clear answer": 0.81 maximised
    # balanced accuracy on tests/eval (89% of on-topic questions answered, 90% of
    # off-topic refused; bench/tune.py).
    min_confidence: float = 0.81


@dataclass
class Hit:
    rank: int
    score: float
    passage: Passage
    dense: float  # cosine similarity to the query
    lexical: float  # BM25 score (0 when no query word occurs)
    matched_terms: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        p = self.passage
        return {
            "rank": self.rank,
            "score": round(float(self.score), 4),
            "doc_id": p.doc_id,
            "passage_id": p.id,
            "session": p.session,
            "region": p.regions[0] if p.regions else "",
            "regions": list(p.regions),
            "speakers": list(p.speakers),
            "text": p.text,
            "source": p.source,
        }


@dataclass
class SearchResponse:
    query: str
    hits: list[Hit]
    confident: bool
    expansions: list[str] = field(default_factory=list)
    region_filter: str | None = None
    session_filter: str | None = None
    missing: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"query": self.query, "hits": [h.to_json() for h in self.hits]}


@dataclass
class RegionResult:
    region: str
    score: float
    passages: int
    sessions: list[str]
    best: Hit


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


def clean_query(query: str) -> str:
    """Normalise what users paste: control characters out, whitespace collapsed, length capped."""
    if query is None:
        raise QueryError("Skriv en fråga.")
    cleaned = "".join(ch if ch.isprintable() or ch in " \t\n" else " " for ch in str(query))
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise QueryError("Skriv en fråga – sökrutan är tom.")
    if not any(ch.isalnum() for ch in cleaned):
        raise QueryError("Frågan innehåller inga ord att söka på. Skriv några ord.")
    return cleaned[:MAX_QUERY_CHARS]


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
            raise QueryError(f"Okänd region eller organisation: {region!r}.")
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
        raise QueryError(f"Okänt lärpass: {session!r}.")

    def _fuse(self, lexical_query: str, qvec: np.ndarray, k: int, flt: Filter) -> list[Hit]:
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
            return []
        dense = self.index.dense.scores(qvec, cand)
        lex = lex_all[cand]

        if cfg.method == "dense":
            fused = dense
        elif cfg.method == "lexical":
            fused = lex
        elif cfg.method == "rrf":
            d_rank = np.argsort(np.argsort(-dense))
            l_rank = np.argsort(np.argsort(-lex))
            fused = 1.0 / (cfg.rrf_k + d_rank + 1) + np.where(
                lex > 0, 1.0 / (cfg.rrf_k + l_rank + 1), 0.0
            )
        elif cfg.method == "weighted":
            adjusted = dense - cfg.hub_penalty * self.index.hub[cand]
            d_norm = np.clip((adjusted - cfg.dense_floor) / (1.0 - cfg.dense_floor), 0.0, 1.0)
            top = float(lex.max()) if len(lex) else 0.0
            l_norm = lex / top if top > 0 else np.zeros_like(lex)
            fused = cfg.dense_weight * d_norm + (1.0 - cfg.dense_weight) * l_norm
        elif cfg.method == "zscore":
            # Distribution-based: each side standardised over the candidate pool.
            def z(x: np.ndarray) -> np.ndarray:
                sd = float(x.std())
                return (x - x.mean()) / sd if sd > 1e-9 else np.zeros_like(x)

            fused = cfg.dense_weight * z(dense) + (1.0 - cfg.dense_weight) * z(lex)
        else:
            raise ValueError(f"unknown fusion method {cfg.method!r}")

        order = np.argsort(-fused, kind="stable")[:k]
        return [
            Hit(
                rank=r + 1,
                score=float(fused[i]),
                passage=self.passages[int(cand[i])],
                dense=float(dense[i]),
                lexical=float(lex[i]),
            )
            for r, i in enumerate(order)
        ]

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
        qvecs = self.embedder.encode_queries(cleaned)
        out = []
        for raw, q, qvec in zip(queries, cleaned, qvecs, strict=True):
            lexical_query = expand_query(q) if self.config.expand_glossary else q
            hits = self._fuse(lexical_query, qvec, k, flt)
            if explain:
                for h in hits:
                    if h.lexical > 0:
                        pos = self.index.position(h.passage.id)
                        h.matched_terms = self.index.lexical.explain(lexical_query, pos)
            confident = bool(hits) and hits[0].dense >= self.config.min_confidence
            expansions = [] if lexical_query == q else [lexical_query[len(q) :].strip()]
            out.append(
                SearchResponse(
                    query=raw,
                    hits=hits,
                    confident=confident,
                    expansions=expansions,
                    region_filter=region_c,
                    session_filter=session_c,
                )
            )
        return out

    def regions(self, query: str, k: int = 10, *, pool: int = 50) -> list[RegionResult]:
        """Which regions/organisations worked on the topic: best passage score per region."""
        resp = self.search(query, k=min(pool, len(self.passages)))
        by_region: dict[str, RegionResult] = {}
        for h in resp.hits:
            for r in h.passage.regions:
                cur = by_region.get(r)
                if cur is None:
                    by_region[r] = RegionResult(r, h.score, 1, [h.passage.session], h)
                else:
                    cur.passages += 1
                    if h.passage.session not in cur.sessions:
                        cur.sessions.append(h.passage.session)
        ranked = sorted(by_region.values(), key=lambda x: -x.score)
        return [r for r in ranked if r.best.dense >= self.config.min_confidence - 0.03][:k] or (
            ranked[:1] if ranked else []
        )
