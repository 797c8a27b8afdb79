"""Shared Swedish strings: why there is no answer."""

from __future__ import annotations

from confsearch.messages import no_answer_reasons, not_mentioned


def test_no_answer_reasons_name_what_is_missing_and_what_is_not_stated():
    assert not_mentioned(["Jönköpings län", "turism"]) == (
        "Texterna nämner inte: Jönköpings län, turism"
    )
    assert no_answer_reasons(["turism"], "") == "Texterna nämner inte: turism."
    assert no_answer_reasons([], "money") == "Texterna anger inget belopp."
    assert no_answer_reasons(["EU"], "municipalities") == (
        "Texterna nämner inte: EU. Texterna nämner inga kommuner vid namn."
    )
    for kind in ("frequency", "duration", "share", "count", "time", "number"):
        assert no_answer_reasons([], kind).startswith("Texterna anger ")
    assert no_answer_reasons([], "") == ""  # the evidence was weak: no rule to name
