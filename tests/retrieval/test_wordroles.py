"""Where a question's word stands says what it is: its verb, a modal's infinitive, a
modifier, a fixed phrase's noun (confsearch.retrieval.wordroles)."""

from __future__ import annotations

import pytest

from confsearch.retrieval.vocabulary import TOKEN_RE
from confsearch.retrieval.wordroles import (
    after_modal,
    in_fixed_phrase,
    in_verb_position,
    modifies_next,
)


def _at(question: str, word: str):
    tokens = list(TOKEN_RE.finditer(question))
    return tokens, next(i for i, t in enumerate(tokens) if t.group() == word)


@pytest.mark.parametrize(
    ("rule", "question", "word", "expected"),
    [
        (in_verb_position, "Var hittar man inspelningarna?", "hittar", True),
        (in_verb_position, "Hur bygger man bostäder?", "bostäder", False),
        (in_verb_position, "Vad händer om norr inte lockar nya invånare?", "lockar", True),
        (in_verb_position, "Vad ger det när olika mål krockar?", "krockar", True),
        (in_verb_position, "Hur jobbar regionen när det gäller cyklar?", "cyklar", False),
        (after_modal, "Hur kan en kommun lägga upp arbetet?", "lägga", True),
        (after_modal, "Hur ser skolan ut?", "skolan", False),
        (modifies_next, "Vem är den typiska företagaren?", "typiska", True),
        (modifies_next, "Hur stöttar regionen nyanlända?", "nyanlända", False),
        (in_fixed_phrase, "Vad tas upp i samband med införandet?", "samband", True),
        (in_fixed_phrase, "Hur drar man nytta av tekniken?", "nytta", True),
        (in_fixed_phrase, "Vilken nytta har företagen?", "nytta", False),
    ],
)
def test_a_word_is_read_by_where_it_stands(rule, question, word, expected):
    tokens, i = _at(question, word)
    assert rule(tokens, i) is expected
