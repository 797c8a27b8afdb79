"""Questions about what is planned, what came of it, who pays or who was in a group, and
the sentences that tell it.

"Planerar Region Sörmland att sprida kabeltrumman?" and "What does Örebro plan to do
next?" ask about the future. A sentence that tells what was done ("För att förstå
systemet utvecklade de kabeltrumman") is about the same thing but does not answer: only
one that says what is planned, intended or to come does. So for a result ("Har
kabeltrumman lett till mätbara förbättringar?"), for how it is paid for ("Hur finansieras
projektet?") and for who was in a group ("Vilka satt i arbetsgruppen?", checked by
:func:`confsearch.answers.sentences.names_member`). Without such a sentence, the answer
says what the texts do not tell (:mod:`confsearch.answers.unsaid`; issue 24: near misses
answered as if answered).
"""

from __future__ import annotations

import re

# The question's main clause asks what is planned or will happen (read on the question
# without a memo's context clause: "Vi planerar ett AI-program – varför …?" asks why).
_FUTURE_QUESTION = re.compile(
    r"^\W*(?:planerar|planerade|planeras)\b"  # "Planerar Region Sörmland att …?"
    r"|^\W*kommer\b[^?.]*?\batt\s+\w+"  # "Kommer Västerbotten att starta …?"
    r"|\b(?:vad|hur|när|nar|var)\s+planerar\b"  # "Vad planerar Västerbotten att göra …?"
    r"|\bvilka\s+planer\b|\bplaner\s+(?:på|pa)\b|\bframtida\s+planer\b"
    r"|^\W*will\b|\bwhat\s+will\b|\bplans?\s+(?:to|for)\b|\bplanning\s+to\b"
    r"|\bwhat\s+(?:are|were)\s+[^?]*\bplans\b|\bfuture\s+plans\b",
    re.IGNORECASE,
)
# What a sentence says of the future: an intention, a plan, what is to come. "ska" of a
# purpose ("för att fler ska känna ägarskap") is not one.
_FUTURE = re.compile(
    r"\b(?:kommer\s+att|planera[rst]?|planerade|planer\s+på|planen\s+är|planerna|framöver|"
    r"nästa\s+steg|härnäst|fortsätt\w*|fortsatt\w*|vidare|avser|avsikt\w*|ambition\w*|"
    r"siktar|kommande|ämnar|vill(?!\s+säga)|framtid\w*|will|plans?\s+to|planned|"
    r"next\s+steps?|intends?|future)\b",
    re.IGNORECASE,
)
_SHALL = re.compile(r"\b(?:ska|skall)\b", re.IGNORECASE)
_PURPOSE = re.compile(r"\b(?:för\s+att|så\s+att)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)


def asks_future(question: str) -> bool:
    """Whether ``question`` (its main clause) asks what is planned or will happen."""
    return bool(_FUTURE_QUESTION.search(question))


def tells_future(sentence: str) -> bool:
    """Whether ``sentence`` says what is planned, intended or to come."""
    if _FUTURE.search(sentence):
        return True
    return any(not _PURPOSE.search(sentence[: m.start()]) for m in _SHALL.finditer(sentence))


# The question asks what came of something: its results, a measured improvement. Not its
# effects: an effect is told in many words ("målkonflikter upptäcks och hanteras bättre").
_RESULT_QUESTION = re.compile(
    r"\b(?:vad\s+blev\s+(?:resultatet|utfallet)|vilka\s+resultat|vilket\s+resultat|mätbara|"
    r"matbara|vad\s+har\s+[^?]*\b(?:gett|gav|inneburit|medfört)\b|"
    r"har\s+[^?]*\blett\s+till|what\s+(?:results|outcomes?)|what\s+(?:were|are|was|is)\s+"
    r"the\s+(?:results?|outcomes?)|measurab\w+|measured|(?:has|have|did)\s+[^?]*\b"
    r"(?:reduced?|increased?|improved?|cut|lowered|achieved?|led\s+to)|conclude[ds]?)\b",
    re.IGNORECASE,
)
# What a sentence says came of something: a result, an effect, an experience gained.
_RESULT = re.compile(
    r"\b(?:resultat\w*|visar|visade|visat|erfarenhet\w*|effekt(?:en|er|erna)?|ledde\s+till|"
    r"lett\s+till|leder\s+till|gav|gett|blev|bidragit|medfört|medförde|inneburit|"
    r"innebar|upptäcks|upptäcktes|förbättrats|minskat|ökat|kom\s+fram|slutsats\w*|"
    r"show(?:s|ed|n)|results?|found|led\s+to|concluded)\b",
    re.IGNORECASE,
)
# kinds with an item of their own (a person, a number): that item is what is checked
# (the kinds confsearch.answers.sentences.CHECKED_ASKS lists that a result can be)
_OWN_ITEM = frozenset(("person", "organisation", "number", "time", "money", "place", "definition"))


def asks_result(question: str, asks: str) -> bool:
    """Whether ``question`` (its main clause) asks what came of something."""
    return asks not in _OWN_ITEM and bool(_RESULT_QUESTION.search(question))


def tells_result(sentence: str) -> bool:
    """Whether ``sentence`` says what came of something."""
    return bool(_RESULT.search(sentence))


# The question asks how something is paid for, or by whom.
_FUNDING_QUESTION = re.compile(
    r"\b(?:hur\s+(?:finansieras|finansierades|bekostas|bekostades|betalas|betalades)|"
    r"varifrån\s+kommer\s+(?:pengarna|medlen)|"
    # "Vilket program finansierar …?", "Which programme funds …?", "Who funds …?"
    r"(?:vem|vilk(?:en|et|a)\s+\w+)\s+(?:finansierar|finansierade|bekostar|bekostade)|"
    r"(?:who|which\s+\w+)\s+(?:funds|funded|finances|financed|pays\s+for|paid\s+for)|"
    r"who\s+(?:is|are|was|were)\s+(?:paying|funding|financing|footing)|"
    r"how\s+(?:is|was|are|were)\s+[^?]*\b(?:funded|financed|paid\s+for)|"
    r"where\s+does\s+the\s+(?:money|funding)\s+come\s+from)\b",
    re.IGNORECASE,
)
# What a sentence says of how something is paid for: its funding, funder or budget.
_FUNDING = re.compile(
    r"\b(?:finansi\w*|medfinansi\w*|bekost\w*|betal\w*|budget\w*|anslag\w*|"
    r"\w*medel|\w*pengar|bidrag\w*|stöd\s+från|fund\w*|financ\w*|paid|pays?|grants?)\b",
    re.IGNORECASE,
)


# The question asks who was in a group ("Vilka satt i arbetsgruppen?", "Who are the
# members of the council?"), not who spoke in the session ("Vilka medverkade i passet?").
_MEMBERS_QUESTION = re.compile(
    r"^\W*(?:vilka|vem|vilka\s+personer|vilka\s+organisationer)\s+(?:satt|sitter|ingick|"
    r"ingår|ingar|deltog|deltar|var\s+med|är\s+med|ar\s+med)\s+(?:med\s+)?i\s+"
    r"(?!(?:passet|lärpasset|larpasset|seminariet|sessionen|konferensen|panelen)\b)"
    r"|\bwho\s+(?:are|were|is|was|should\s+be|would\s+be|will\s+be)\s+(?:the\s+)?"
    r"(?:named\s+)?members?\b"
    r"|\bwho\s+(?:sat|sits|served|serves)\s+(?:on|in)\b"
    r"|\bwho\s+(?:took\s+part|participated)\s+in\s+(?!the\s+(?:session|seminar|panel)\b)",
    re.IGNORECASE,
)


def asked_outcome(question: str, asks: str) -> str:
    """ "plan" when ``question`` asks what is planned, "funding" how it is paid for,
    "members" who was in a group, "result" what came of it, else ""."""
    if asks_future(question):
        return "plan"
    if _FUNDING_QUESTION.search(question):
        return "funding"
    if _MEMBERS_QUESTION.search(question):
        return "members"  # checked by the names a sentence gives (answers.sentences)
    return "result" if asks_result(question, asks) else ""


def tells_asked(outcome: str, sentence: str) -> bool:
    """Whether ``sentence`` tells the plan, the result or the funding a question asks for
    (:func:`asked_outcome`); True when it asks for none of them (members are told by
    names, checked where names are read)."""
    if outcome == "plan":
        return tells_future(sentence)
    if outcome == "funding":
        return bool(_FUNDING.search(sentence))
    return outcome != "result" or tells_result(sentence)
