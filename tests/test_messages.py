"""Shared Swedish strings: why there is no answer."""

from __future__ import annotations

import ast
from pathlib import Path

from confsearch import messages
from confsearch.messages import and_list, no_answer_reasons, not_mentioned
from tests.sources import syntax_tree


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
    assert no_answer_reasons([], "size") == "Texterna anger inte hur stort det är."
    assert no_answer_reasons(["kvotering"], "claim") == (
        "Texterna nämner inte: kvotering. Texterna säger inte om det stämmer."
    )
    assert no_answer_reasons([], "") == ""  # the evidence was weak: no rule to name


# ---------------------------------------------------------------- one home per string (issue 26)

ROOT = Path(__file__).resolve().parent.parent
# Strings that stand in two modules on purpose: data (the gazetteer and the glossary name the
# same organisations), an example question, SQL, and the API's two OpenAPI modules
# (confsearch.api.docs, confsearch.api.notesdocs), which describe the same fields.
SHARED_ON_PURPOSE = {
    "Västra Götalandsregionen",
    "Sveriges Kommuner och Regioner",
    "Myndigheten för ungdoms- och civilsamhällesfrågor",
    "Verket för innovationssystem",
    "Vilken region har ett cykelbibliotek?",
    "SELECT pg_advisory_xact_lock(%s, %s)",
    "Innehållet är inte JSON.",
    "Ogiltiga parametrar eller ogiltigt innehåll.",
    "Egen inledande text.",
    "`passage_id` från en sökträff.",
    "Egen kommentar till stycket.",
    "Frågan stycket hittades med (valfri).",
    "Frågorna som ställdes.",
}


def _strings(shortest: int = 20) -> dict[str, set[str]]:
    """Each string constant of ``shortest`` or more characters with a space (docstrings
    aside): the modules it stands in."""
    found: dict[str, set[str]] = {}
    sources = [*(ROOT / "confsearch").rglob("*.py"), ROOT / "app.py", ROOT / "embed.py"]
    for path in sources:
        tree = syntax_tree(path)
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = " ".join(node.value.split())
                if len(text) >= shortest and " " in text and id(node) not in docstrings:
                    found.setdefault(text, set()).add(path.relative_to(ROOT).as_posix())
    return found


def test_a_string_shown_in_two_places_lives_in_messages():
    twice = {text: sorted(where) for text, where in _strings().items() if len(where) > 1}
    assert set(twice) <= SHARED_ON_PURPOSE, {t: twice[t] for t in set(twice) - SHARED_ON_PURPOSE}


def test_no_index_is_said_one_way():
    """The index folder and the database say "no index" in the same words (the page's rare
    "not yet" excepted: it builds a missing index itself, so it names no command)."""
    assert messages.no_index("/x/index") == (
        "Det finns inget index i /x/index. Bygg om indexet med `python embed.py` (eller "
        "`make index`)."
    )
    assert messages.NO_INDEX_BUILD_IT.format(index="index", args=" --index index") == (
        "Det finns inget index i index. Bygg det med `python embed.py --index index`."
    )
    saying_it = {
        module
        for text, where in _strings(shortest=5).items()
        if "inget index" in text or "inget sökindex" in text
        for module in where
    }
    assert saying_it == {"confsearch/messages.py"}


def test_sources_heading_is_one_word_in_the_answer_and_the_note():
    from confsearch.answers import briefing

    assert messages.SOURCES_HEADING == "Källor:" and briefing.SOURCES_HEADING == "Källor"


def test_an_unusable_index_is_described_alike_by_both_backends():
    assert messages.INDEX_FORMAT_OTHER.format(found=2, reads=3) == (
        "Indexet har formatversion 2, men den här versionen av Konferenssök läser version 3. "
        "Bygg om indexet med `python embed.py` (eller `make index`)."
    )


def test_items_are_listed_as_swedish_prose_lists_them():
    assert and_list([]) == ""
    assert and_list(["Göran Andersson"]) == "Göran Andersson"
    assert and_list(["Göran Andersson", "Kjell Håkan Närfelt"]) == (
        "Göran Andersson och Kjell Håkan Närfelt"
    )
    assert and_list(["A", "B", "C"]) == "A, B och C"
