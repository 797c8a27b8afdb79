"""Who a question asks about, beyond "vem": a role, a person within a body, a company.

:mod:`confsearch.retrieval.question` reads what a question asks for; these are the
finer readings of "who" and "which organisation" that decide what a sentence must name
to answer it (:func:`confsearch.answers.sentences.holds_item`):

* a job title ("Vilken titel har Mona Karila?"): the person's role, not a name;
* a role asked for ("Vilken politiker är ordförande …"): that role, not any person;
* a person within a body ("Vem på myndigheten …"): a person, not the body;
* a company ("Vilka företag …"): neither a region nor an agency of the register.
"""

from __future__ import annotations

import re

from confsearch.reading.regions import find_mentions
from confsearch.text import fold

# "Vilken titel har Mona Karila?", "What are the job titles of …?": a person's role. The
# words that can only mean a job title count alone; "titel", "roll", "position" only
# next to a person's name ("Vilken roll har ideella organisationer" asks no title).
JOB_TITLE = re.compile(
    r"\b(?:befattning\w*|yrkestit\w*|tjänstetit\w*|jobbtit\w*|yrkesroll\w*|job\s+titles?|"
    r"job\s+positions?)\b",
    re.IGNORECASE,
)
TITLE_WORD = re.compile(
    r"\b(?:titel|titeln|titlar|titlarna|roll|rollen|title|titles|role|roles|position)\b",
    re.IGNORECASE,
)
_PERSON_NAME = re.compile(r"(?<![\w-])[A-ZÅÄÖ][a-zåäöé]+(?:[ -][A-ZÅÄÖ][a-zåäöé]+)+")
# "Vem på myndigheten …", "Who at the region …": a person within it, not the body itself
WITHIN_BODY = re.compile(
    r"\b(?:vem|vilka|who)\b.*\b(?:på|från|vid|hos|inom|at|from|in)\s+(?:myndigheten|"
    r"regionen|kommunen|länet|förbundet|organisationen|the\s+(?:agency|region|county|"
    r"municipality|organi[sz]ation))\b",
    re.IGNORECASE,
)
# "vilka företag", "which companies": a region or an agency is no answer
COMPANY_CLASS = re.compile(
    r"\b(?:vilken|vilket|vilka|which|what)\s+(?:\w+\s+)?(?:företag(?:et|en)?|bolag(?:et|en)?|"
    r"compan(?:y|ies)|firms?|businesses)\b",
    re.IGNORECASE,
)


# Roles a "who" question can ask for, folded as the texts write them (English ones as
# Swedish texts write them): "Vilken politiker är ordförande …" wants an ordförande.
# fmt: off
_ROLES = {
    "politiker": "politiker", "ordforande": "ordforande", "chef": "chef",
    "forskare": "forskare", "projektledare": "projektledare", "direktor": "direktor",
    "samordnare": "samordnare", "handlaggare": "handlaggare", "konsult": "konsult",
    "politician": "politiker", "politicians": "politiker", "chair": "ordforande",
    "chairs": "ordforande", "chaired": "ordforande", "chairman": "ordforande",
    "chairperson": "ordforande", "director": "direktor", "researcher": "forskare",
    "researchers": "forskare", "consultant": "konsult", "consultants": "konsult",
}
# fmt: on


def asked_roles(text: str) -> tuple[str, ...]:
    """The roles a "who" question asks for, folded ("ordforande"), as the texts say them."""
    found = []
    for word in re.findall(r"[^\W\d_]+", text):
        key = fold(word)
        role = _ROLES.get(key) or next((r for r in _ROLES.values() if key.startswith(r)), None)
        if role:
            found.append(role)
    return tuple(dict.fromkeys(found))


def names_person(text: str) -> bool:
    """Whether ``text`` names a person: two or more capitalised words in a row that are
    not an organisation the register knows ("Mona Karila", not "Region Sörmland")."""
    spans = [(m.start, m.end) for m in find_mentions(text)]
    return any(
        not any(a < m.end() and m.start() < b for a, b in spans)
        for m in _PERSON_NAME.finditer(text)
    )
