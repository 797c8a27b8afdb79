""" "Answer" or "no clear answer": decided from evidence, not from one cosine threshold.

A search always returns its nearest passages; whether they *answer* the question is a
separate decision, made from what the question and the hits show:

* **names the texts never mention** (:mod:`confsearch.retrieval.grounding`) — a question about
  Jönköpings län or Tillväxtverket cannot be answered from texts that never name them,
  however close a passage about Örebro is: always "no clear answer";
* **a quantity nobody stated** — "Hur många …?", "Vad kostar …?" need a number in the
  passage that would answer, and of the kind asked for ("hur många invånare" counts
  inhabitants, "hur mycket pengar" an amount of money, "hur ofta" a frequency, "hur lång
  tid" a span of time, "vilket år" a time; a number inside a link is none): none in the
  best hits, no answer; likewise "vilka kommuner …?" (or "vilka sörmlandskommuner …?")
  needs municipalities named, and a claim to check ("Stämmer det att …?") whose topic the
  texts never mention is never confirmed (the rules: :mod:`confsearch.retrieval.stated`);
* otherwise a logistic model over six measures: the top hit's cosine, how far it stands
  out from the other candidates (z-score: a margin that does not depend on the corpus's
  cosine scale), the share of the question's topic terms that the texts mention, the
  share of the question's words the top passage itself contains, whether the question is
  in English, and the best cosine of the question with one sentence of the top three
  hits (:func:`best_sentence`: a fact stated in one sentence of a long passage, which the
  passage's own vector blurs). For an English question the two word measures are set to
  neutral values — the texts are Swedish, so missing English words prove nothing — and
  the model learns how much lower a cross-language cosine runs. The weights were fitted
  by ``bench/tune.py --confidence`` on the tuning sets only (the old question set with
  its off-topic list and every held-out half but the sealed one; near misses left out:
  they are about a real session by design, and the answer's sentence checks refuse
  them). The topic coverage gets weight 0: once the top passage's overlap is known it
  adds nothing (5-fold cross-validated, docs/benchmarks.md); it still names what the
  texts do not mention. So does the top hit's cosine once the best sentence's is known:
  fitted free, its weight came out negative, and held at 0 the cross-validated rates are
  the same (docs/benchmarks.md, "The best sentence"). Agreement of the
  dense and lexical rankings and the score margin to the next session were measured as
  further features and did not improve the cross-validated rates, so they are not used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from confsearch.embedding.sentencevectors import sentence_vectors
from confsearch.retrieval.stated import (
    municipalities_unnamed,
    unstated_quantity,
    unsupported_claim,
)
from confsearch.text import is_english, split_sentences
from confsearch.tuning import MIN_WORDS, NEUTRAL_COVERAGE, NEUTRAL_OVERLAP, SENTENCE_HITS


@dataclass(frozen=True)
class Evidence:
    """What a question and its hits show (see the module docstring)."""

    dense: float  # cosine of the top hit
    peak: float  # how far the top cosine stands out from the candidates (z-score)
    coverage: float  # share of the question's topic terms the texts mention
    overlap: float  # share of the question's content words found in the top passage
    english: bool = False  # cross-language cosines run lower: the model learns by how much
    sentence: float = 0.0  # best cosine of the question with a sentence of the top hits
    missing_names: tuple[str, ...] = ()
    # what the question asks for that the best hits do not state: a quantity_kind() or
    # "municipalities" ("" when nothing); messages.no_answer_reasons() says it in Swedish
    unstated: str = ""

    @property
    def ruled_out(self) -> bool:
        """A hard rule says no, whatever the model says: a name the texts never mention,
        a quantity or the municipalities asked for that the best hits do not state."""
        return bool(self.missing_names or self.unstated)

    def vector(self) -> list[float]:
        return [
            self.dense,
            self.peak,
            self.coverage,
            self.overlap,
            float(self.english),
            self.sentence,
        ]


FEATURES = ("dense", "peak", "coverage", "overlap", "english", "sentence")
# What an English question gets for the two lexical measures (NEUTRAL_COVERAGE,
# NEUTRAL_OVERLAP in confsearch.tuning): neither evidence for nor against.


@dataclass(frozen=True)
class ConfidenceModel:
    """A logistic model: standardised features, weights, bias, decision threshold."""

    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, evidence: Evidence) -> float:
        return self.probability_of(evidence.vector())

    def probability_of(self, features) -> float:
        z = self.bias + sum(
            w * (x - m) / s
            for w, x, m, s in zip(self.weights, features, self.means, self.scales, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def always(cls) -> ConfidenceModel:
        """Answers whenever nothing the question names is missing (tests, experiments)."""
        n = len(FEATURES)
        return cls((0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0, 0.0)

    @classmethod
    def never(cls) -> ConfidenceModel:
        n = len(FEATURES)
        return cls((0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0, 1.01)

    def decide(self, evidence: Evidence) -> bool:
        if evidence.ruled_out:
            return False
        return self.probability(evidence) >= self.threshold


# Fitted by `bench/tune.py --confidence` (old set + off-topic list + every held-out
# half but the sealed one, near misses left out);
# the figures it printed are in docs/benchmarks.md.
DEFAULT_MODEL = ConfidenceModel(
    means=(0.8547, 2.5714, 0.7016, 0.5152, 0.1566, 0.858),
    scales=(0.0306, 0.8849, 0.319, 0.305, 0.3635, 0.0279),
    weights=(0.0, 0.766, 0.0, 1.122, 0.142, 1.539),
    bias=2.608,
    threshold=0.46,
)


@dataclass
class Pool:
    """The candidates of one search: their cosines (the top hit's is judged against them)."""

    dense: np.ndarray


def _unstated(question: str, passages: list[str]) -> str:
    """What :attr:`Evidence.unstated` says for these passages."""
    if kind := unstated_quantity(question, passages):
        return kind
    return "municipalities" if municipalities_unnamed(question, passages) else ""


def best_sentence(embedder, question_vector, hits) -> float:
    """The best cosine of the question with one sentence (of :data:`MIN_WORDS` words or
    more) of the top :data:`SENTENCE_HITS` hits; 0.0 when they have none. Each sentence is
    encoded once per process (:mod:`confsearch.embedding.sentencevectors`), so after the
    first questions a search pays a dot product for it."""
    texts = [sentence for hit in hits[:SENTENCE_HITS] for sentence in _sentences(hit.passage.text)]
    if not texts:
        return 0.0
    q = np.asarray(question_vector, dtype=np.float32)
    return float((sentence_vectors(embedder, texts) @ q).max())


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    """A passage's sentences of :data:`MIN_WORDS` words or more, line by line: cut once
    per process, as the passages come back search after search."""
    return tuple(
        sentence
        for line in text.splitlines()
        for sentence in split_sentences(" ".join(line.split()))
        if len(sentence.split()) >= MIN_WORDS
    )


def gather(
    question: str, hits, pool: Pool | None, grounding, matched, sentence: float = 0.0
) -> Evidence:
    """The evidence of one search. ``matched``: the question's content words found in the
    top passage; ``grounding``: the question's :class:`confsearch.retrieval.grounding.Grounding`
    (None: not grounded); ``sentence``: :func:`best_sentence` of the hits."""
    if not hits or pool is None or not len(pool.dense):
        return Evidence(0.0, 0.0, 0.0, 0.0)
    top = hits[0]
    sd = float(pool.dense.std())
    peak = (top.dense - float(pool.dense.mean())) / sd if sd > 1e-9 else 0.0
    words = [t.text for t in grounding.terms] if grounding is not None else []
    found = {w.lower() for w in matched}
    overlap = (
        sum(any(part.lower() in found for part in w.split()) for w in words) / len(words)
        if words
        else 0.0
    )
    coverage = grounding.coverage if grounding is not None else 1.0
    english = is_english(question)
    if english:  # Swedish texts: words say little, neutral values
        coverage, overlap = NEUTRAL_COVERAGE, NEUTRAL_OVERLAP
    return Evidence(
        dense=float(top.dense),
        peak=float(peak),
        coverage=coverage,
        overlap=float(overlap),
        english=english,
        sentence=sentence,
        missing_names=tuple(grounding.missing_names) if grounding is not None else (),
        unstated=_unstated(question, [h.passage.text for h in hits[:2]])
        or (
            "claim"
            if unsupported_claim(question, grounding, english, [h.passage.text for h in hits[:2]])
            else ""
        ),
    )
