"""Extractive answers: the few sentences of the top hits that best answer the question.

Nothing is generated: every answer sentence is a sentence (or one quote line) copied
from a passage, with the rank of the hit it comes from as its citation, so the reader
can always check the source. Scoring combines three signals per candidate sentence:

* the hit's own standing (fused score relative to the best hit, and its rank),
* lexical overlap between the analysed terms of query and sentence
  (:func:`confsearch.retrieval.lexical.analyze`; rarer terms among the candidates count more,
  compound parts count half: "bibliotek" ~ "cykelbibliotek"),
* with an embedder, the cosine between the query and the sentence (one batch call for at
  most :data:`MAX_EMBED` sentences, so an answer costs a few milliseconds more).
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field

import numpy as np

from confsearch.analysis import analyze
from confsearch.answers.citation import Source, cite, sources, unknown_source
from confsearch.answers.sentences import (
    announces_session,
    defines,
    focus_share,
    focus_terms,
    holds_item,
    names_in,
    new_name,
    unanswered,
)
from confsearch.embedding.model import Embedder
from confsearch.messages import NEAREST_HEADING, NO_ANSWER, NO_SESSION, SOURCES_HEADING
from confsearch.reading.regions import find_mentions
from confsearch.retrieval.question import Question, analyse
from confsearch.retrieval.search import FusionConfig, Hit, Searcher, SearchResponse
from confsearch.text import (
    QUOTE_LINE_RE,
    comparable,
    is_url_only,
    needs_next,
    needs_previous,
    split_sentences,
    strip_marker,
)
from confsearch.tuning import (
    ABOUT_FOCUS,
    DEFINES_WEIGHT,
    DENSE_SPAN,
    DENSE_W,
    DUPLICATE_JACCARD,
    FOCUS_WEIGHT,
    ITEM_WEIGHT,
    LEXICAL_W,
    LONG_WORDS,
    MAX_CONTEXT,
    MAX_EMBED,
    MAX_PER_PASSAGE,
    MAX_UNIT_CHARS,
    META_FACTOR,
    MIN_WORDS,
    PRIOR_W,
    RELATIVE_MIN,
    SHORT_WORDS,
    TOP_SHARE,
)

__all__ = [
    "NO_ANSWER",
    "Answer",
    "AnswerSentence",
    "answer",
    "answer_units",
    "ask_text",
    "format_answer",
]

CONFIDENT_MESSAGE = "Svaret är meningar hämtade ur konferenstexterna."


# --------------------------------------------------------------------------- units


@dataclass(frozen=True)
class _Unit:
    text: str
    quote: bool  # a whole quote line


def _units(text: str) -> list[_Unit]:
    units: list[_Unit] = []
    for raw in (text or "").splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if QUOTE_LINE_RE.match(line) and len(line) <= MAX_UNIT_CHARS:
            units.append(_Unit(line, True))
        else:
            units.extend(_Unit(s, False) for s in split_sentences(line))
    return units


def answer_units(text: str) -> list[str]:
    """The candidate answer sentences of a passage, one line at a time.

    A quote line ("- Vi har … säger X.") stays one unit so the speaker stays with what was
    said, unless it is very long; every other line is split into sentences by
    :func:`confsearch.text.split_sentences`.
    """
    return [u.text for u in _units(text)]


def context_range(
    units: list[str], i: int, quotes: Set[int] = frozenset()
) -> tuple[int, int] | None:
    """The units (first, last) that make unit ``i`` a whole statement.

    The sentences before it that it points back to (:func:`confsearch.text.needs_previous`,
    at most :data:`MAX_CONTEXT`) and, if it ends with ":", the sentence it introduces.
    None when what it introduces is missing: a fragment is never an answer. Quote lines
    (indices in ``quotes``) stand alone and are never brought along as context.
    """
    first = i
    while (
        first > 0
        and i - first < MAX_CONTEXT
        and first not in quotes
        and (first - 1) not in quotes
        and needs_previous(units[first])
    ):
        first -= 1
    last = i
    if needs_next(units[i]):
        if i + 1 >= len(units):
            return None
        last = i + 1
    return first, last


# --------------------------------------------------------------------------- answering


@dataclass
class AnswerSentence:
    text: str
    citation: int  # 1-based rank of the hit (the card number on the page)
    hit: Hit
    score: float = 0.0


@dataclass
class Answer:
    sentences: list[AnswerSentence]
    confident: bool
    message: str
    query: str = ""
    question: Question | None = field(default=None, compare=False)


@dataclass
class _Candidate:
    text: str  # what the answer shows: the sentence with the context it needs
    hit: Hit
    citation: int
    position: int
    terms: list[str]
    words: int
    prior: float
    lexical: float = 0.0
    dense: float | None = None
    score: float = 0.0
    core: str = ""  # the sentence itself, what is scored
    span: tuple[int, int] = (0, 0)  # the units shown (see context_range)
    units: list[str] = field(default_factory=list)  # all units of the passage
    focus: float = 0.0  # share of the question's focus it mentions
    item: bool = False  # holds an item of the kind asked for
    defines: bool = False  # defines the term a definition question asks about
    quote: bool = False  # a quote line: said by someone of the session
    meta: bool = False  # says what the session is about, not a fact of it


def _candidates(hits: list[Hit]) -> list[_Candidate]:
    top = max((h.score for h in hits), default=0.0)
    out = []
    for h in hits:
        norm = h.score / top if top > 0 else 0.0
        prior = 0.5 * min(max(norm, 0.0), 1.0) + 0.5 / max(h.rank, 1)
        units = _units(h.passage.text)
        texts = [u.text for u in units]
        quotes = {k for k, u in enumerate(units) if u.quote}
        for pos, unit in enumerate(units):
            core = strip_marker(unit.text)
            if is_url_only(core):
                # a link is shown with the line that says what it is ("Länk till …")
                if pos == 0 or is_url_only(texts[pos - 1]):
                    continue
                core = f"{strip_marker(texts[pos - 1])} {core}"
            words = len(core.split())
            if words < MIN_WORDS:
                continue
            span = context_range(texts, pos, quotes)
            if is_url_only(strip_marker(unit.text)) and span is not None:
                span = (min(span[0], pos - 1), span[1])
            if span is None:
                continue
            shown = " ".join(strip_marker(t) for t in texts[span[0] : span[1] + 1])
            # Words scored on the sentence itself; shown (and embedded) with its context.
            out.append(
                _Candidate(
                    text=shown,
                    hit=h,
                    citation=h.rank,
                    position=pos,
                    terms=analyze(core),
                    words=words,
                    prior=prior,
                    core=core,
                    span=span,
                    units=texts,
                    quote=unit.quote,
                )
            )
    return out


def _term_match(q: str, terms: set[str]) -> float:
    if q in terms:
        return 1.0
    if len(q) >= 5 and any(q in t for t in terms):
        return 0.5  # the sentence has a compound ending in / containing the query term
    if any(len(t) >= 5 and t in q for t in terms):
        return 0.5  # the query has the compound, the sentence a part of it
    return 0.0


def _lexical_scores(query_terms: list[str], cands: list[_Candidate]) -> None:
    qset = list(dict.fromkeys(query_terms))
    if not qset or not cands:
        return
    sets = [set(c.terms) for c in cands]
    matches = np.array([[_term_match(q, s) for q in qset] for s in sets], dtype=np.float64)
    # Local IDF over the candidate sentences: a term in every sentence says little.
    df = (matches > 0).sum(axis=0)
    weights = np.log1p(len(cands) / np.maximum(df, 1))
    total = float(weights.sum())
    for c, row in zip(cands, matches, strict=True):
        c.lexical = float(row @ weights) / total if total > 0 else 0.0


def _length_factor(words: int) -> float:
    if words < SHORT_WORDS:
        return 0.85
    if words > LONG_WORDS:
        return 0.9
    return 1.0


def _combine(c: _Candidate) -> float:
    if c.dense is None:
        base = 0.6 * c.lexical + 0.4 * c.prior
    else:
        base = DENSE_W * c.dense + LEXICAL_W * c.lexical + PRIOR_W * c.prior
    bonus = FOCUS_WEIGHT * c.focus + ITEM_WEIGHT * c.item + DEFINES_WEIGHT * c.defines
    meta = META_FACTOR if c.meta else 1.0
    return (base + bonus) * _length_factor(c.words) * meta


def _overlaps(a: _Candidate, b: _Candidate) -> bool:
    """Whether two candidates of one passage would show a sentence twice."""
    same = a.hit.passage.id == b.hit.passage.id
    return same and a.span[0] <= b.span[1] + 1 and b.span[0] <= a.span[1] + 1


def _merge(into: _Candidate, other: _Candidate) -> None:
    first, last = min(into.span[0], other.span[0]), max(into.span[1], other.span[1])
    into.span = (first, last)
    into.position = min(into.position, other.position)
    into.text = " ".join(strip_marker(u) for u in into.units[first : last + 1])


def _near_duplicate(a: _Candidate, b: _Candidate) -> bool:
    na, nb = comparable(a.text), comparable(b.text)
    if na in nb or nb in na:
        return True
    sa, sb = set(a.terms), set(b.terms)
    if not sa or not sb:
        return False
    return len(sa & sb) / len(sa | sb) >= DUPLICATE_JACCARD


def _no_answer(response: SearchResponse) -> str:
    """ "Inget tydligt svar …" and why, when a rule knows (names, quantities)."""
    reasons = response.no_answer_reasons()
    return f"{NO_ANSWER} {reasons}" if reasons else NO_ANSWER


def _embed(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Passage-side vectors of answer sentences, each encoded once per process: the seed
    corpus's few hundred sentences are all cached after a few questions, so an answer
    costs the question's own encoding and a dot product."""
    key = getattr(embedder, "name", "")
    todo = [t for t in dict.fromkeys(texts) if (key, t) not in _VECTORS]
    if todo:
        if len(_VECTORS) + len(todo) > MAX_CACHED:
            _VECTORS.clear()
        for t, v in zip(todo, embedder.encode_passages(todo), strict=True):
            _VECTORS[(key, t)] = np.asarray(v, dtype=np.float32)
    return np.stack([_VECTORS[(key, t)] for t in texts])


_VECTORS: dict[tuple[str, str], np.ndarray] = {}
MAX_CACHED = 20_000


def _assess(q: Question, focus: list[set[str]], cands: list[_Candidate]) -> None:
    for c in cands:
        terms = set(analyze(c.text))
        p = c.hit.passage
        c.focus = focus_share(focus, terms)
        c.item = holds_item(q, c.text, p.regions, p.speakers, quote=c.quote)
        c.defines = q.asks == "definition" and defines(q.term, c.text)
        c.meta = announces_session(c.core)


def _answers(q: Question, c: _Candidate, best: float) -> bool:
    """A sentence that answers: about the focus (it mentions enough of it, or it is among
    the best sentences by every measure together) and holding the asked-for item."""
    if q.asks == "definition":
        return c.defines
    about = c.focus >= ABOUT_FOCUS or c.score >= TOP_SHARE * best
    return about and c.item


def _named_first(q: Question, c: _Candidate) -> str:
    """ "Region Örebro län: …" when a "which region" (or "who") answer does not name it
    itself: the card's own organisations (or speakers) say it."""
    if q.asks not in ("organisation", "person"):
        return c.text
    p = c.hit.passage
    if q.asks == "person":
        if any(new_name(n, q) for n in names_in(c.text, p.speakers)):
            return c.text
        named = [s for s in p.speakers if new_name(s, q)] if c.quote else []
        named = named or [r for r in p.regions if new_name(r, q)]
    else:
        if any(new_name(m.name, q) for m in find_mentions(c.text)):
            return c.text
        named = [r for r in p.regions if new_name(r, q)]
    return f"{', '.join(named)}: {c.text}" if named else c.text


def answer(
    response: SearchResponse,
    embedder: Embedder | None = None,
    *,
    max_sentences: int = 3,
    max_hits: int = 3,
) -> Answer:
    """The 1–``max_sentences`` sentences of the top ``max_hits`` hits that best answer,
    the one holding what the question asks for first (:mod:`confsearch.retrieval.question`); not
    confident when no sentence holds it (:mod:`confsearch.answers.sentences`)."""
    q = analyse(response.query)
    hits = list(response.hits[: max(max_hits, 0)])
    cands = _candidates(hits)
    # the words locating the session (its region, its speaker) match its every sentence
    # and most its announcement: words are scored on the rest of the question
    located = set(analyze(" ".join(q.locators)))
    _lexical_scores([t for t in analyze(response.query) if t not in located], cands)
    _assess(q, focus_terms(q), cands)
    for c in cands:
        c.score = _combine(c)

    if embedder is not None and cands:
        cands.sort(key=lambda c: -c.score)
        cands = cands[:MAX_EMBED]
        qvec = np.asarray(embedder.encode_queries([response.query]), dtype=np.float32)[0]
        # the sentence as shown, with the context it needs: a pronoun's referent counts
        cosines = _embed(embedder, [c.text for c in cands]) @ qvec
        for c, cos in zip(cands, cosines, strict=True):
            c.dense = min(max((float(cos) - FusionConfig.dense_floor) / DENSE_SPAN, 0.0), 1.0)
            c.score = _combine(c)

    ranked = sorted(cands, key=lambda c: (-c.score, c.citation, c.position))
    top = ranked[0].score if ranked else 0.0
    lead = next((c for c in ranked if _answers(q, c, top)), None)
    if lead is not None:
        ranked.remove(lead)
        ranked.insert(0, lead)
    chosen: list[_Candidate] = []
    per_passage: dict[str, int] = {}
    best = None
    for c in ranked:
        if len(chosen) >= max_sentences:
            break
        if best is not None and (c.score < RELATIVE_MIN * best or c.score <= 0):
            break
        pid = c.hit.passage.id
        if per_passage.get(pid, 0) >= MAX_PER_PASSAGE:
            continue
        joined = next((o for o in chosen if _overlaps(c, o)), None)
        if joined is not None:
            # Both need the same sentence: one statement, each sentence shown once.
            _merge(joined, c)
            continue
        if any(_near_duplicate(c, o) for o in chosen):
            continue
        chosen.append(c)
        per_passage[pid] = per_passage.get(pid, 0) + 1
        if best is None:
            best = c.score
    rest = sorted(chosen[1:], key=lambda c: (c.citation, c.position))
    chosen = chosen[:1] + rest
    sentences = [
        AnswerSentence(
            _named_first(q, c) if i == 0 else c.text, c.citation, c.hit, round(c.score, 4)
        )
        for i, c in enumerate(chosen)
    ]
    holds = lead is not None or q.asks not in CHECKED_ASKS
    confident = bool(response.confident and response.hits and sentences and holds)
    if confident:
        message = CONFIDENT_MESSAGE
    elif response.confident and sentences and not holds:
        message = unanswered(q)
    else:
        message = _no_answer(response)
    return Answer(
        sentences=sentences,
        confident=confident,
        message=message,
        query=response.query,
        question=q,
    )


# What a sentence must hold for these kinds of question (the others are answered by any
# sentence about the topic: "hur", "varför", "vad sa").
CHECKED_ASKS = frozenset(
    ("definition", "time", "duration", "money", "number", "person", "organisation", "place")
)


# --------------------------------------------------------------------------- text output


def source_line(hit: Hit, source: Source | None = None) -> str:
    """ "Lärpass · Region · Talare — Dokument (Arrangör, år)" for one hit, with the
    document's address when it is known."""
    p = hit.passage
    src = source or unknown_source(p.source)
    line = cite(p.session or NO_SESSION, p.regions, p.speakers, src)
    return f"{line} <{src.url}>" if src.url else line


def format_answer(ans: Answer, sources: Mapping[str, Source] | None = None) -> str:
    """Plain text: one sentence per line with its citation, then the sources cited
    (``sources``: doc_id → :class:`confsearch.answers.citation.Source`, from the manifest)."""
    sources = sources or {}
    lines: list[str] = []
    if not ans.confident:
        lines.append(ans.message or NO_ANSWER)
        if ans.sentences:
            lines += ["", NEAREST_HEADING]
    lines += [f"{s.text} [{s.citation}]" for s in ans.sentences]
    if ans.sentences:
        lines += ["", SOURCES_HEADING]
        seen: dict[int, Hit] = {}
        for s in ans.sentences:
            seen.setdefault(s.citation, s.hit)
        lines += [
            f"[{n}] {source_line(seen[n], sources.get(seen[n].passage.doc_id))}"
            for n in sorted(seen)
        ]
    return "\n".join(lines)


def ask_text(searcher: Searcher, query: str, k: int = 5) -> str:
    """Search, answer and format in one call (``python -m confsearch ask``).

    Raises :class:`confsearch.retrieval.search.QueryError` for unusable queries (Swedish message).
    """
    response = searcher.search(query, k=k)
    cited = sources(searcher.index.manifest.documents)
    return format_answer(answer(response, embedder=searcher.embedder), cited)
