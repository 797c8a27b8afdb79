"""How good are the answers (``ask``), beside how good the ranking is (``eval``).

Users read the answer box, not ranks. For a question set this measures, through the same
:func:`confsearch.answers.answer.answer` the page and ``ask`` use:

* **svarar** — share of answerable questions answered confidently;
* **nyckel@första** (key@lead) — share of answerable questions with a ``key`` (the exact
  words of the text that answer it) whose answer's first item holds a key: the sentence
  chosen to lead, with the sentences before it that it points back to and the ones after
  it that go on from it (answers.answer), so often more than one sentence;
* **första meningen** — … whose first item's first sentence alone holds a key: what a
  reader who copies one sentence into a note gets, the strictest reading;
* **nyckel@svar** (key@answer) — … whose answer holds a key anywhere;
* **avböjer** — share of uncovered questions refused, split into **utanför ämnet**
  (a topic or entity the texts do not cover) and **nära miss** (a real session, a detail
  the texts do not give): the two fail for different reasons.

A key "is held" when, whitespace and case aside, it is a substring of the sentence; a
key longer than a sentence counts when the answer's sentences together hold it.
"""

from __future__ import annotations

from dataclasses import dataclass

from confsearch.answers.answer import answer
from confsearch.answers.labels import label_hits, level
from confsearch.retrieval.search import Searcher
from confsearch.text import split_sentences

NEAR_MISS_KINDS = frozenset(("near_miss", "nearmiss"))


@dataclass
class AnswerMetrics:
    n: int = 0  # answerable questions
    answered: float = 0.0
    n_keyed: int = 0
    key_lead: float | None = None
    key_first: float | None = None  # the first item's first sentence alone
    key_answer: float | None = None
    n_concept: int = 0
    concept: float | None = None  # concept questions answered with their key
    n_uncovered: int = 0
    refused: float | None = None
    n_near: int = 0
    near_refused: float | None = None
    n_off: int = 0  # uncovered-topic questions (not near misses)
    off_refused: float | None = None
    claims_bad: int = 0  # searches whose cards claim something false (claims_violations)

    def lines(self) -> list[str]:
        def rate(x: float | None) -> str:
            return "  -  " if x is None else f"{x:.3f}"

        out = [
            f"svar (ask): svarar {rate(self.answered if self.n else None)} (n={self.n}), "
            f"nyckel@första {rate(self.key_lead)} (första meningen {rate(self.key_first)}), "
            f"nyckel@svar {rate(self.key_answer)} (n={self.n_keyed})",
            f"            avböjer {rate(self.refused)} (n={self.n_uncovered}): "
            f"utanför ämnet {rate(self.off_refused)} (n={self.n_off}), "
            f"nära miss {rate(self.near_refused)} (n={self.n_near})",
        ]
        out.append(
            f"            kort med falska påståenden {self.claims_bad} "
            f"(av {self.n + self.n_uncovered} sökningar)"
        )
        if self.n_concept:
            out.append(f"            begrepp med nyckel {rate(self.concept)} (n={self.n_concept})")
        return out


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).lower().strip(" .")


def holds_key(texts: list[str], keys: list[str]) -> bool:
    """Whether one of ``texts``, or all of them together, holds one of ``keys``."""
    normed = [_norm(t) for t in texts]
    joined = " ".join(normed)
    return any(
        _norm(k) and (any(_norm(k) in t for t in normed) or _norm(k) in joined) for k in keys
    )


def is_near_miss(q: dict) -> bool:
    return q.get("subkind") in NEAR_MISS_KINDS or q.get("kind") in NEAR_MISS_KINDS


def is_answerable(q: dict) -> bool:
    return bool(q.get("gold_session")) and not is_near_miss(q)


def _keys(q: dict) -> list[str]:
    key = q.get("key")
    if not key:
        return []
    return [key] if isinstance(key, str) else [str(k) for k in key]


def claims_violations(searcher: Searcher, questions: list[dict], k: int = 10) -> tuple[int, int]:
    """(searches whose cards claim something false, searches): a ``matched`` word the
    hit's text does not contain, a label stronger than the card above it, or a matched
    word that ``missing`` says the texts never mention."""
    bad = 0
    for q in questions:
        r = label_hits(searcher.search(q["query"], k=k), searcher.config)
        missing = {m.lower() for m in r.missing}
        levels = [level(h.label) for h in r.hits]
        wrong = levels != sorted(levels, reverse=True) or any(
            w not in h.passage.text or w.lower() in missing for h in r.hits for w in h.matched_forms
        )
        bad += wrong
    return bad, len(questions)


def eval_answers(searcher: Searcher, questions: list[dict], k: int = 5) -> AnswerMetrics:
    """The figures of the module docstring for ``questions`` (a set's rows)."""
    answerable = [q for q in questions if is_answerable(q)]
    uncovered = [q for q in questions if not is_answerable(q)]
    m = AnswerMetrics(n=len(answerable), n_uncovered=len(uncovered))
    answered = lead = first = anywhere = keyed = concept_n = concept_ok = 0
    for q in answerable:
        ans = answer(searcher.search(q["query"], k=k), searcher.embedder)
        answered += ans.confident
        keys = _keys(q)
        texts = [s.text for s in ans.sentences] if ans.confident else []
        if keys:
            keyed += 1
            lead += bool(texts) and holds_key(texts[:1], keys)
            first += bool(texts) and holds_key(split_sentences(texts[0])[:1], keys)
            anywhere += bool(texts) and holds_key(texts, keys)
        if q.get("kind") == "concept" or q.get("concept"):
            concept_n += 1
            concept_ok += bool(keys) and bool(texts) and holds_key(texts, keys)
    if answerable:
        m.answered = answered / len(answerable)
    if keyed:
        m.n_keyed, m.key_lead, m.key_answer = keyed, lead / keyed, anywhere / keyed
        m.key_first = first / keyed
    if concept_n:
        m.n_concept, m.concept = concept_n, concept_ok / concept_n
    refused = near = near_refused = off_refused = 0
    for q in uncovered:
        ans = answer(searcher.search(q["query"], k=k), searcher.embedder)
        refused += not ans.confident
        if is_near_miss(q):
            near += 1
            near_refused += not ans.confident
        else:
            off_refused += not ans.confident
    if uncovered:
        m.refused = refused / len(uncovered)
    if near:
        m.n_near, m.near_refused = near, near_refused / near
    if len(uncovered) > near:
        m.n_off = len(uncovered) - near
        m.off_refused = off_refused / m.n_off
    m.claims_bad, _ = claims_violations(searcher, questions)
    return m
