"""User-facing Swedish strings that more than one part of the product shows.

The CLI, the page, answers and briefing notes say the same things in the same words, so
each such string lives here once. Strings used by a single module stay next to their code.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping, Sequence

NO_ANSWER = "Inget tydligt svar i konferenstexterna."
NO_ANSWER_NEAREST = "Här är de stycken som ligger närmast frågan – de är inget svar."
NEAREST_HEADING = "Närmast frågan (inget svar):"
# The sources' heading: "Källor:" under a CLI answer, "## Källor" in a briefing note.
SOURCES = "Källor"
SOURCES_HEADING = f"{SOURCES}:"
NO_SESSION = "Utan lärpass"
NO_REGION = "ingen region angiven"
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
# "No index": one sentence, then what to do. The page builds a missing index itself, so its
# rare "not yet" (an index that vanished between two steps) names no command.
NO_INDEX = "Det finns inget index i {index}."
NO_INDEX_YET = "Det finns inget sökindex ännu."


def no_index(index: object, hint: str = REBUILD_HINT) -> str:
    """ "Det finns inget index i X. Bygg om indexet med …" (``hint``: what to do)."""
    return f"{NO_INDEX.format(index=index)} {hint}"


# An index that cannot be used (both backends say it alike).
INDEX_FORMAT_OTHER = (
    "Indexet har formatversion {found}, men den här versionen av Konferenssök läser "
    "version {reads}. " + REBUILD_HINT
)
INDEX_NO_CHECKSUMS = "Indexet i {index} saknar kontrollsummor och kan ha ändrats. " + REBUILD_HINT
INDEX_PART_CHANGED = "{part} är skadad eller ändrad (kontrollsumman stämmer inte). " + REBUILD_HINT
DATABASE_NOT_ANSWERING = (
    "Databasen {location} svarar inte. Kontrollera CONFSEARCH_DATABASE_URL och att "
    "databasservern körs."
)
UPDATING_INDEX = "Uppdaterar sökindexet …"  # the page's progress bar while a build runs


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
    "size": "Texterna anger inte hur stort det är",
    "claim": "Texterna säger inte om det stämmer",
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


def index_size(report: Mapping[str, int]) -> str:
    """ "12 stycken från 2 dokument": what a build report says the index now holds
    (after an upload, a replacement or a removal)."""
    passages = count_noun(report["passages"], "stycke", "stycken")
    return f"{passages} från {count_noun(report['documents'], 'dokument', 'dokument')}"


def filter_words(region: str | None, session: str | None) -> str:
    """ "från Region X och ur lärpasset Y": an active filter, in words."""
    parts = [f"från {region}" if region else "", f"ur lärpasset {session}" if session else ""]
    return " och ".join(p for p in parts if p)


# ---------------------------------------------------------------- index folders
# (confsearch.retrieval.store.folder: a folder is recognised as an index before anything is written)

NOT_A_FOLDER = "{index} är ingen mapp. Ange en mapp för indexet med --index."
INDEX_HOLDS_OTHER_FILES = (
    "Mappen {index} innehåller annat än ett sökindex (till exempel «{example}») och "
    "används därför inte för indexet – Konferenssök tar aldrig bort eller skriver över "
    "andra filer. Ange en ny eller tom mapp för indexet med --index."
)
INDEX_NAME_UNUSABLE = (
    "Sökvägen till indexmappen {index} innehåller tecken som inte är giltig UTF-8 (ofta ett "
    "namn som packats upp från en zip-fil från Windows), och sökindexet kan inte skrivas "
    "där. Välj en mapp för indexet vars sökväg bara har vanliga tecken, med --index."
)
INDEX_MARKER_UNKNOWN = (
    "Mappen {index} är märkt som ett index av ett format som den här versionen av "
    "Konferenssök inte känner igen, och lämnas orörd. Ange en annan mapp med --index."
)
INDEX_IS_CORPUS = (
    "Indexmappen och korpusmappen är samma mapp ({index}). Ange en egen mapp för indexet "
    "med --index, utanför korpusen."
)
INDEX_CONTAINS_CORPUS = (
    "Indexmappen {index} innehåller korpusmappen {corpus}. Ange en egen mapp för indexet "
    "med --index, utanför korpusen."
)
INDEX_INSIDE_CORPUS = (
    "Indexmappen {index} ligger inuti korpusmappen {corpus}; då skulle indexets egna filer "
    "läsas som konferenstexter. Ange en mapp för indexet utanför korpusen med --index."
)
NO_INDEX_BUILD_IT = NO_INDEX + " Bygg det med `python embed.py{args}`."


# ---------------------------------------------------------------- builds that lost the corpus

CORPUS_GONE_DURING_BUILD = (
    "Korpusmappen {corpus} försvann medan indexet byggdes. Inget nytt index publicerades; "
    "det tidigare indexet används som förut. Kör indexeringen igen när mappen är på plats."
)
CORPUS_VANISHED_DURING_BUILD = (
    "{lost} av {listed} filer försvann ur korpusmappen {corpus} medan indexet byggdes. "
    "Inget nytt index publicerades; det tidigare indexet används som förut. Kör "
    "indexeringen igen när korpusen är på plats."
)
CORPUS_SHRANK = (
    "Korpusen har nu {now} dokument, det nuvarande indexet har {before}. Indexet ersätts "
    "inte, så att en tillfälligt flyttad eller halvt kopierad korpus inte tömmer sökningen. "
    "Om dokumenten verkligen är borttagna: bygg med `python embed.py --allow-shrink`."
)
CORPUS_MISSING_STALE = (
    "Korpusmappen {corpus} finns inte, så indexet i {index} kan inte jämföras med den och "
    "räknas som inaktuellt. Det befintliga indexet lämnas orört."
)


def quoted(value: object, limit: int = 80) -> str:
    """A user's input inside a Swedish message: «…», control characters shown as «�»
    and long input cut with «…» – never Python's quoting (``'\\x00'``)."""
    text = "".join("\ufffd" if not ch.isprintable() else ch for ch in str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"«{text}»"


_OS_CAUSES = {
    errno.ENOENT: "filen eller mappen finns inte",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.ENOTDIR: "en del av sökvägen är ingen mapp",
    errno.EISDIR: "det är en mapp, inte en fil",
    errno.ELOOP: "för många symboliska länkar i rad",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EROFS: "mappen är skrivskyddad",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EFBIG: "filen blev större än tillåtet",
    errno.EIO: "läsfel på disken",
    errno.EMFILE: "för många öppna filer",
    errno.ENFILE: "för många öppna filer",
    errno.EEXIST: "det finns redan en fil med det namnet",
    errno.EXDEV: "filen ligger på en annan disk",
    errno.EBUSY: "filen eller mappen används",
    errno.ENOTEMPTY: "mappen är inte tom",
}


def errno_text(code: int | None) -> str | None:
    """The Swedish cause of an ``errno`` code ("disken är full"), or None if unknown."""
    return _OS_CAUSES.get(code or 0)


def os_error_text(exc: OSError) -> str:
    """The cause of a file-system error in Swedish ("namnet är för långt"), never the
    operating system's English ("File name too long")."""
    cause = _OS_CAUSES.get(exc.errno or 0)
    if cause:
        return cause
    return f"systemfel {exc.errno}" if exc.errno else "ett fel i filsystemet"


def and_list(items: list[str]) -> str:
    """Items as Swedish prose lists them: "A", "A och B", "A, B och C"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]
