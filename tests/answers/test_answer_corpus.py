"""Answers over the seed corpus (fake model): what must hold for every question.

The eval rounds' questions drive the search; whatever the model ranks first, an answer
never shows one sentence twice (a neighbour of the lead merged with another neighbour once
grew back into the lead: 15 of 1817 eval answers repeated a sentence).
"""

from __future__ import annotations

import json

from confsearch.answers.answer import answer
from confsearch.evaluation.evalsets import EVAL_DIR
from confsearch.retrieval.service import open_searcher
from confsearch.settings import Settings
from confsearch.text import split_sentences


def test_no_answer_shows_a_sentence_twice(fake_env):
    searcher = open_searcher(Settings.from_env(), refresh=False).searcher
    questions = [
        json.loads(line)["query"]
        for n in (7, 8, 9, 10)
        for half in ("dev", "test")
        for line in (EVAL_DIR / f"heldout{n}_{half}.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    assert len(questions) > 300
    for question in questions:
        ans = answer(searcher.search(question, k=5), searcher.embedder)
        shown = [s for x in ans.sentences for s in split_sentences(x.text)]
        assert len(shown) == len(set(shown)), (question, shown)
