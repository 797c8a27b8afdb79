"""What the answer box says the texts do not say: "Texterna säger inte när det skedde."

When no sentence holds what the question asks for (:func:`confsearch.answers.sentences.
holds_item`), the answer is not confident and says, in Swedish, which kind of thing is
missing: the meaning of a term, other countries than the one named, names, a listing, an
example, a plan, a result, the funding, a group's members, a comparison, who did it, a
time, an amount.
"""

from __future__ import annotations

from confsearch.answers.sentences import in_swedish
from confsearch.retrieval.comparisons import compared_phrase
from confsearch.retrieval.glossary import expansions
from confsearch.retrieval.listitems import indefinite
from confsearch.retrieval.question import Question
from confsearch.retrieval.questionforms import proposes_doer, question_proper
from confsearch.retrieval.questionroles import PARTY_CLASS

# What the texts do not tell, by what the question asks of it (retrieval.plans)
OUTCOME_UNSAID = {
    "plan": "Texterna säger inget om vad som planeras framöver.",
    "result": "Texterna säger inget om vad det har lett till.",
    "funding": "Texterna säger inte hur det finansieras.",
    "members": "Texterna säger inte vilka som var med.",
}


def glossary_meaning(term: str) -> str:
    """What the glossary spells ``term`` out as ("RUS" -> "regional utvecklingsstrategi")."""
    for _, target in expansions(term):
        if len(target) > len(term) + 3:
            return target
    return ""


_ASKED = "det frågan gäller"
_PHRASES = {
    "time": "när det skedde",
    "duration": "hur lång tid det gäller",
    "money": "något belopp för det frågan gäller",
    "number": "det antal eller den storlek frågan gäller",
    "person": "vem det var",
    "title": "vilken titel eller roll personen har",
    "organisation": "vilken region eller organisation det var",
    "place": "var det var",
}


def unanswered(question: Question) -> str:
    """ "Texterna säger inte …": what the texts do not say, for the answer box."""
    if question.asks == "definition":
        term = question.term
        meaning = glossary_meaning(term)
        extra = f" (sökningens ordlista: {term} = {meaning})" if meaning else ""
        if question.expansion:
            return f"Texterna använder «{term}» men säger inte vad förkortningen står för{extra}."
        return f"Texterna använder «{term}» men förklarar inte vad det betyder{extra}."
    if question.asks == "place" and question.excluded:
        other = question.other_class or "platser"
        if question.english:  # the answer speaks Swedish: "countries besides India"
            other = "länder" if other.lower().startswith("countr") else "platser"
        names = [in_swedish(e) for e in question.excluded]
        return f"Texterna säger inte vilka andra {other} än {' '.join(names)}."
    if question.asks == "organisation" and proposes_doer(question_proper(question.text)):
        return "Texterna säger inte vem som gjorde det."  # "Gjordes den av en konsult?"
    if question.asks == "organisation" and PARTY_CLASS.search(question.text):
        return "Texterna säger inte vilket parti det var."
    if question.asks == "organisation" and question.companies_only:
        return "Texterna säger inte vilket företag det var."  # "Vilket bussbolag …?"
    if question.named:
        return "Texterna nämner inga namn på det frågan gäller."
    if question.count:
        return "Texterna räknar inte upp dem en för en."
    if question.instances:  # "förbättringarna" as "förbättringar"; English: not quoted
        cls = indefinite(question.instances.lower())
        return f"Texterna ger inga konkreta exempel på {_ASKED if question.english else cls}."
    if question.outcome:
        return OUTCOME_UNSAID[question.outcome]
    if question.compared:  # English: the words as asked would mix the languages
        if question.english:
            return "Texterna gör inte den jämförelse frågan gäller."
        return f"Texterna jämför inte med {compared_phrase(question.text)}."
    return f"Texterna säger inte {_PHRASES.get(question.asks, _ASKED)}."
