"""Extractive answers: the few sentences of the top hits that best answer the question.

Nothing is generated: every answer sentence is a sentence copied from a passage with the
context it needs (a quote's sentence on to its speaker), with the rank of the hit it comes
from as its citation, so the reader can always check the source; only a name may be put
before the first (:mod:`confsearch.answers.naming`). Scoring combines three signals per
candidate sentence:

* the hit's own standing (fused score relative to the best hit, and its rank),
* lexical overlap between the analysed terms of query and sentence
  (:func:`confsearch.retrieval.lexical.analyze`; rarer terms among the candidates count more,
  compound parts count half: "bibliotek" ~ "cykelbibliotek"),
* with an embedder, the cosine between the query and the sentence (one batch call for at
  most :data:`MAX_EMBED` sentences, so an answer costs a few milliseconds more).

The units an answer may copy are cut by :mod:`confsearch.answers.units`; the candidates and
their lexical scores come from :mod:`confsearch.answers.candidates`. This module chooses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from confsearch.analysis import analyze
from confsearch.answers.candidates import (
    Candidate,
    combined_score,
    find_candidates,
    lexical_scores,
    merge_candidates,
    near_duplicate,
    overlaps,
    show_span,
)
from confsearch.answers.citation import Source, cite, unknown_source
from confsearch.answers.definitions import defines, expands
from confsearch.answers.focus import focus_share, focus_terms, focus_weights
from confsearch.answers.naming import (
    asked_names,
    named_first,
    names_answer,
    quotes_the_asked,
    referent_first,
)
from confsearch.answers.sentences import (
    announces_session,
    holds_item,
    kind_checked,
)
from confsearch.answers.units import answer_units as answer_units
from confsearch.answers.units import context_range as context_range
from confsearch.answers.unsaid import unanswered
from confsearch.embedding.model import Embedder
from confsearch.embedding.sentencevectors import sentence_vectors
from confsearch.messages import (
    NEAREST_HEADING,
    NO_ANSWER,
    NO_SESSION,
    SOURCES_HEADING,
)
from confsearch.retrieval.listitems import asks_concrete, gives_instances, speaks_of
from confsearch.retrieval.question import Question, analyse, content_words
from confsearch.retrieval.search import FusionConfig, Hit, SearchResponse
from confsearch.text import strip_marker
from confsearch.tuning import (
    ABOUT_FOCUS,
    ANSWER_SENTENCES,
    CONTINUATION_EDGE,
    DENSE_SPAN,
    FOCUS_MIX,
    MAX_EMBED,
    MAX_PER_PASSAGE,
    RELATIVE_MIN,
    TOP_SHARE,
)

__all__ = [
    "NO_ANSWER",
    "Answer",
    "AnswerSentence",
    "answer",
    "answer_units",
    "format_answer",
]

CONFIDENT_MESSAGE = "Svaret är meningar hämtade ur konferenstexterna."


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


def _no_answer(response: SearchResponse) -> str:
    """ "Inget tydligt svar …" and why, when a rule knows (names, quantities)."""
    reasons = response.no_answer_reasons()
    return f"{NO_ANSWER} {reasons}" if reasons else NO_ANSWER


def _assess(q: Question, focus: list[set[str]], cands: list[Candidate]) -> None:
    termsets = [set(analyze(c.text)) for c in cands]
    weights = focus_weights(focus, termsets)
    for c, terms in zip(cands, termsets, strict=True):
        p = c.hit.passage
        c.focus = focus_share(focus, terms, weights)
        c.item = holds_item(q, c.text, p.regions, p.speakers, quote=c.quote)
        c.defines = q.asks == "definition" and (
            expands(q.term, c.text) if q.expansion else defines(q.term, c.text)
        )
        c.meta = announces_session(c.core)
    if q.instances and (
        asks_concrete(q.text) or any(speaks_of(q.instances, c.text) for c in cands)
    ):
        # "Vilka målkonflikter upptäcktes?": where the texts speak of them, only a sentence
        # that goes on to give some answers (one in other words cannot be told); asked for
        # concrete ones ("Vilka konkreta insatser …?"), the texts must name them as such
        for c in cands:
            c.item = c.item and gives_instances(q.instances, c.text)


def _continue(cands: list[Candidate]) -> None:
    """A sentence that points back to a better one ("De hade även politiken i ryggen" after
    "… utredningen hade en blandad arbetsgrupp") is shown with it: it says all that one
    says and goes on, so it ranks just above it. Authors go on to the fact in the sentence
    after the one that names the topic more often than the other way round."""
    at = {(c.hit.passage.id, c.position): c for c in cands}
    for c in cands:
        before = [at.get((c.hit.passage.id, k)) for k in range(c.span[0], c.position)]
        best = max((o.score for o in before if o is not None), default=c.score)
        if best > c.score:
            c.score = best + CONTINUATION_EDGE


def _fit_to_lead(c: Candidate, lead: Candidate) -> bool:
    """Fit ``c``, of the lead's passage and next to it or sharing its sentences, to the
    lead; True when the lead shows it (now or already). The lead opens the answer with the
    sentence chosen for it: what goes on after it joins it as one statement, but a
    neighbour before it follows as a sentence of its own, cut where the lead starts (a
    quote's earlier sentences). Merged in front, it made the first sentence a reader
    copies the neighbour's (rounds 7-18: the key in the first sentence 514 -> 659 of 1266)."""
    if c.position > lead.span[1]:
        show_span(lead, lead.span[0], max(c.span[1], lead.span[1]))
        return True
    if c.position < lead.span[0] <= c.span[1]:
        show_span(c, c.span[0], lead.span[0] - 1)
    return c.span[1] >= lead.span[0]  # shown in the lead, or it would show its sentences twice


def _choose(ranked: list[Candidate], max_sentences: int) -> list[Candidate]:
    """The candidates the answer shows, in order: the lead (``ranked[0]``), its
    neighbours before it, then the others in reading order. At most ``max_sentences``
    besides those neighbours, :data:`MAX_PER_PASSAGE` from one passage, none much weaker
    than the lead (:data:`RELATIVE_MIN`), no sentence shown twice."""
    chosen: list[Candidate] = []
    beside: list[Candidate] = []  # the lead's neighbours before it, shown right after it
    per_passage: dict[str, int] = {}
    for c in ranked:
        if len(chosen) >= max_sentences:
            break
        if chosen and (c.score < RELATIVE_MIN * chosen[0].score or c.score <= 0):
            break
        pid = c.hit.passage.id
        if per_passage.get(pid, 0) >= MAX_PER_PASSAGE:
            continue
        neighbour = bool(chosen) and overlaps(c, chosen[0])
        if neighbour and _fit_to_lead(c, chosen[0]):
            continue
        joined = next((o for o in chosen[1:] + beside if overlaps(c, o)), None)
        if joined is not None:
            # Both need the same sentence: one statement, each sentence shown once.
            merge_candidates(joined, c)
            continue
        if any(near_duplicate(c, o) for o in chosen + beside):
            continue
        if neighbour:
            # part of the lead's statement, as when it was merged in front: no place of
            # its own among the max_sentences
            beside.append(c)
            continue
        chosen.append(c)
        per_passage[pid] = per_passage.get(pid, 0) + 1
    rest = sorted(chosen[1:], key=lambda c: (c.citation, c.position))
    return chosen[:1] + beside + rest


def _in_passage(
    ranked: list[Candidate], lead: Candidate, better: Callable[[Candidate], bool]
) -> Candidate:
    """The first of ``ranked`` of the lead's passage that is ``better``, else the lead. Never
    one of another passage: across passages, a stronger kind of sentence is as often
    about another session (rounds 7-19, dev20: another session's speaker put first)."""
    pid = lead.hit.passage.id
    return next((c for c in ranked if c.hit.passage.id == pid and better(c)), lead)


def _first_text(
    q: Question, c: Candidate, embedder: Embedder | None, question: np.ndarray | None
) -> str:
    """The lead as shown: the sentence that answers first, its pronoun's referent named
    before it (:func:`confsearch.answers.naming.referent_first`) when the sentence alone
    is as close to the question as the one it points back to (else that one holds what
    is asked, and is shown first, as written); or a "who" answer's name put first."""
    text = referent_first(c)
    if text is not None and embedder is not None and question is not None:
        alone, before = (
            sentence_vectors(embedder, [c.core, strip_marker(c.units[c.span[0]])]) @ question
        )
        if alone >= before:
            return text
    return named_first(q, c)


def _lead(q: Question, ranked: list[Candidate]) -> Candidate | None:
    """The sentence the answer opens with: the best that answers (:func:`_answers`), or of
    its passage the one that names the answer itself ("who") or tells what the one the
    question names said; None when no sentence answers."""
    top = ranked[0].score if ranked else 0.0
    first = min(ranked, key=lambda c: c.citation).hit.passage.session if ranked else ""
    answering = [c for c in ranked if _answers(q, c, top, first)]
    if not answering:
        return None
    lead = answering[0]
    if not names_answer(q, lead):
        # "who": a sentence that names the answer itself, not through the card
        lead = _in_passage(answering, lead, lambda c: names_answer(q, c))
    asked = [] if checked(q) else asked_names(q)
    if asked and not quotes_the_asked(lead, asked):
        # "Vad tycker Vinnova om …": the sentence telling what they said
        lead = _in_passage(answering, lead, lambda c: quotes_the_asked(c, asked))
    if lead.quote and q.asks == "said" and _names_only(q):
        # "Vad sa Mona Karila?": nothing to choose one of her sentences by, so her quote
        # is shown whole, in the order she said it
        pid, end = lead.hit.passage.id, lead.span[1]
        quote = (c for c in ranked if c.quote and c.hit.passage.id == pid and c.span[1] == end)
        lead = min(quote, key=lambda c: c.span[0])
    return lead


def _names_only(q: Question) -> bool:
    """Whether the question's only content words are names ("Vad sa Mona Karila?")."""
    words = content_words(q.text)
    return bool(words) and all(w[:1].isupper() for w in words)


def _answers(q: Question, c: Candidate, best: float, session: str = "") -> bool:
    """A sentence that answers: about the focus (it mentions enough of it, or it is among
    the best sentences by every measure together) and holding the asked-for item. What a
    checked question asks for (a result, a date) told of another session than the top
    hit's (``session``) must mention the focus: "Vad har samverkansmodellen gett för
    resultat?" is not answered by Värmland's evaluation. A "how" or "why" is often told
    without "genom" or "för att" ("Allmänheten möter kampanjer …"): of the top hit, a
    sentence that neither opens its passage nor announces the session answers without them
    (rounds 7-24: key in the first sentence 1,057 -> 1,071)."""
    if q.asks == "definition":
        return c.defines
    near = c.score >= TOP_SHARE * best and (c.hit.passage.session == session or not checked(q))
    about = c.focus >= ABOUT_FOCUS or near
    if c.item:
        return about
    told = q.asks in ("method", "reason") and not checked(q) and c.citation == 1
    return about and told and c.span[0] > 0 and not announces_session(c.text)


def answer(
    response: SearchResponse,
    embedder: Embedder | None = None,
    *,
    max_sentences: int = ANSWER_SENTENCES,
    max_hits: int = 3,
) -> Answer:
    """The 1–``max_sentences`` sentences of the top ``max_hits`` hits that best answer,
    the one holding what the question asks for first (:mod:`confsearch.retrieval.question`); not
    confident when no sentence holds it (:mod:`confsearch.answers.sentences`)."""
    q = analyse(response.query)
    question: np.ndarray | None = None  # the question's vector, once embedded
    hits = list(response.hits[: max(max_hits, 0)])
    cands = find_candidates(hits)
    # the words locating the session (its region, its speaker) match its every sentence
    # and most its announcement: words are scored on the rest of the question
    located = set(analyze(" ".join(q.locators)))
    lexical_scores([t for t in analyze(response.query) if t not in located], cands)
    _assess(q, focus_terms(q), cands)
    for c in cands:
        c.score = combined_score(c)

    if embedder is not None and cands:
        cands.sort(key=lambda c: -c.score)
        cands = cands[:MAX_EMBED]
        # The question, and its focus alone ("Indien" of "Vad sa Per-Erik Andersson om
        # Indien?"): the whole question is as close to every sentence of the session its
        # locators name, the focus picks the sentence about it (one batch, one call).
        focus = " ".join(q.focus)
        asked = [response.query, focus] if focus and focus != response.query else [response.query]
        qvecs = np.asarray(embedder.encode_queries(asked), dtype=np.float32)
        question = qvecs[0]
        # the sentence with the context it needs: a pronoun's referent counts
        vectors = sentence_vectors(embedder, [c.embedded for c in cands])
        cosines = vectors @ qvecs[0]
        if len(qvecs) > 1:
            cosines = (1 - FOCUS_MIX) * cosines + FOCUS_MIX * (vectors @ qvecs[1])
        for c, cos in zip(cands, cosines, strict=True):
            c.dense = min(max((float(cos) - FusionConfig.dense_floor) / DENSE_SPAN, 0.0), 1.0)
            c.score = combined_score(c)

    _continue(cands)
    ranked = sorted(cands, key=lambda c: (-c.score, c.citation, c.position))
    lead = _lead(q, ranked)
    if lead is not None:
        ranked.remove(lead)
        ranked.insert(0, lead)
    chosen = _choose(ranked, max_sentences)
    holds = lead is not None or not checked(q)
    confident = bool(response.confident and response.hits and chosen and holds)
    sentences = [
        # the nearest sentences of no answer are shown as written: a name put first
        # would read as the answer the message says the texts do not give
        AnswerSentence(
            _first_text(q, c, embedder, question) if i == 0 and confident else c.text,
            c.citation,
            c.hit,
            round(c.score, 4),
        )
        for i, c in enumerate(chosen)
    ]
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


def checked(q: Question) -> bool:
    """Whether only a sentence holding the asked-for item answers ``q``: the kinds
    :func:`confsearch.answers.sentences.kind_checked` checks, plans, results and
    comparisons."""
    return kind_checked(q) or bool(q.outcome or q.compared)


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
