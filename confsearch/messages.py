"""User-facing Swedish strings that more than one part of the product shows.

The CLI, the page, answers and briefing notes say the same things in the same words, so
each such string lives here once. Strings used by a single module stay next to their code.
"""

from __future__ import annotations

from collections.abc import Sequence

NO_ANSWER = "Inget tydligt svar i konferenstexterna."
NO_ANSWER_NEAREST = "Här är de stycken som ligger närmast frågan – de är inget svar."
NEAREST_HEADING = "Närmast frågan (inget svar):"
SOURCES_HEADING = "Källor:"
NO_SESSION = "Utan lärpass"
NO_REGION = "ingen region angiven"
NO_REGIONS_FOUND = "Inga regioner eller organisationer hittades för frågan."
NO_REGIONS_WITH_EVIDENCE = (
    "Ingen region eller organisation har tydligt stöd i texterna för den här frågan."
)
QUESTION_CUT = (
    "Frågan är för lång: högst {limit} tecken får plats i frågerutan, och resten kom inte "
    "med. Korta frågan till det viktigaste, så blir träffarna bättre."
)
NO_FILTER_HITS = "Inga stycken matchar filtren. Ta bort ett filter och sök igen."
MATCHED_MEANING = "Matchade på liknande innebörd"
INDEX_LOADING = "Sökindexet laddas – försök igen om en stund."
REBUILD_HINT = "Bygg om indexet med `python embed.py` (eller `make index`)."


def matched_words(terms: Sequence[str]) -> str:
    """ "Matchade på orden: «a», «b»" or, without words, "Matchade på liknande innebörd".

    ``terms`` must already be safe for where the text is shown (escaped for HTML).
    """
    if not terms:
        return MATCHED_MEANING
    return "Matchade på orden: " + ", ".join(f"«{t}»" for t in terms)


def not_mentioned(missing: Sequence[str]) -> str:
    """ "Texterna nämner inte: Jönköpings län, turism" (empty string when nothing is missing)."""
    return "Texterna nämner inte: " + ", ".join(missing) if missing else ""


# What the best passages do not state, by confidence.Evidence.unstated.
_UNSTATED = {
    "money": "Texterna anger inget belopp",
    "frequency": "Texterna anger inte hur ofta",
    "duration": "Texterna anger inte hur länge",
    "share": "Texterna anger ingen andel",
    "count": "Texterna anger inte antalet",
    "time": "Texterna anger inte när",
    "number": "Texterna anger inget sådant tal",
    "municipalities": "Texterna nämner inga kommuner vid namn",
}


def no_answer_reasons(missing: Sequence[str], unstated: str) -> str:
    """Why there is no answer, as sentences ("Texterna nämner inte: turism. Texterna anger
    inget belopp."), or "" when no rule says why (the evidence was just too weak)."""
    parts = [not_mentioned(missing), _UNSTATED.get(unstated, "")]
    return " ".join(f"{p}." for p in parts if p)


def count_noun(n: int, singular: str, plural: str) -> str:
    """ "1 stycke", "3 stycken": Swedish needs the singular for exactly one."""
    return f"{n} {singular if n == 1 else plural}"


def filter_words(region: str | None, session: str | None) -> str:
    """ "från Region X och ur lärpasset Y": an active filter, in words."""
    parts = [f"från {region}" if region else "", f"ur lärpasset {session}" if session else ""]
    return " och ".join(p for p in parts if p)
