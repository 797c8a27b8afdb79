"""The HTTP API's contract: request and response models, and their Swedish descriptions.

Everything ``/openapi.json`` (and so ``/docs``) says lives here, so :mod:`confsearch.api.app`
stays about behaviour. The response models describe exactly what the endpoints return
(``tests/api/test_api.py`` validates real answers against them); FastAPI's English defaults
("Successful Response", its validation-error schema) are replaced.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from starlette.exceptions import HTTPException

from confsearch.answers.briefing import DEFAULT_HEADING
from confsearch.api.guard import BRIEF_BUDGET
from confsearch.query import MAX_K, MAX_QUERY_CHARS

MAX_QUERY_INPUT = 10 * MAX_QUERY_CHARS  # longer input is refused (up to it: cut like the CLI)
MAX_QUESTIONS = 20
MAX_PINNED = 200

DESCRIPTION = f"""\
Sök och fråga i konferenstexterna från andra program. Svaren är desamma som på
kommandoraden (`python -m confsearch search --json`, `ask`, `regions`, `brief`).

* Frågor rensas och kontrolleras som på kommandoraden: en fråga utan ord ger 400 med ett
  svenskt felmeddelande. Längre frågor än {MAX_QUERY_CHARS} tecken kortas, längre än
  {MAX_QUERY_INPUT} tecken avvisas.
* `k` (antal träffar) ska vara 1–{MAX_K}.
* Fel är JSON med fältet `error` (svensk text): 400 fråga som inte går att söka på, 404
  okänd adress eller okänt stycke, 405 fel metod, 413 för stor förfrågan, 415 innehåll
  som inte är JSON, 422 ogiltiga parametrar, 503 sökindexet laddas ännu (se `/health`),
  504 tidsgränsen överskreds.
* Tjänsten följer sökindexet: byggs en ny version används den utan omstart.
"""

TAGS = [
    {"name": "sök", "description": "Sökning, svar med källhänvisningar och regioner."},
    {"name": "anteckning", "description": "Anteckning (Markdown eller Word) inför ett möte."},
    {"name": "drift", "description": "Tjänstens tillstånd."},
]

Q = f"Frågan eller sökorden. Rensas som på kommandoraden; kortas till {MAX_QUERY_CHARS} tecken."
K = f"Antal träffar, 1–{MAX_K} (standard {{default}})."
REGION = "Visa bara träffar från en region eller organisation, t.ex. «Region Värmland»."
SESSION = "Visa bara träffar från ett lärpass (hela titeln eller en entydig del av den)."
FORMAT = "`markdown` (JSON med anteckningen som Markdown) eller `docx` (Word-fil att spara)."


# ---------------------------------------------------------------- models


class ErrorOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    error: str = Field(description="Vad som gick fel, på svenska.")
    query: str | None = Field(
        None, description="Endast /search: frågan, som i `search --json` för en fråga som avvisas."
    )
    hits: list | None = Field(None, description="Endast /search: tom lista.")


class HitOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rank: int = Field(description="Plats i träfflistan, 1 först (källhänvisningens nummer).")
    score: float = Field(description="Sammanvägd relevans (täta vektorer och ord).")
    doc_id: str = Field(description="Dokumentets id.")
    passage_id: str = Field(description="Styckets id (kan fästas i en anteckning).")
    session: str = Field(description="Lärpass.")
    region: str = Field(description="Första regionen/organisationen (tom om ingen).")
    regions: list[str] = Field(description="Alla regioner/organisationer i lärpasset.")
    speakers: list[str] = Field(description="Talare i lärpasset.")
    text: str = Field(description="Styckets text, som den står.")
    source: str = Field(description="Källfil.")
    label: str = Field(
        default="", description="Relevansen i ord, som kortet visar (sjunker aldrig nedåt)."
    )
    matched: list[str] = Field(
        default_factory=list,
        description="Styckets egna ordformer som matchade frågan, som de står i texten.",
    )


class SearchOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(description="Frågan (rensad).")
    confident: bool = Field(
        description="Om texterna tydligt svarar på frågan (annars är träffarna bara närmast)."
    )
    missing: list[str] = Field(description="Namn och ord i frågan som texterna aldrig nämner.")
    hits: list[HitOut] = Field(description="Träffarna, bäst först.")


class SentenceOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(description="En mening ur texterna, ordagrant.")
    citation: int = Field(description="Källhänvisning: `rank` för träffen meningen kommer från.")


class AnswerSentenceOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(description="En mening ur texterna (ev. med kortets organisation först).")
    passage_id: str = Field(description="Stycket meningen står i.")
    cites: list[int] = Field(description="Källhänvisning: `rank` för kortet meningen står på.")


class SourceOut(HitOut):
    cites: int = Field(description="Källhänvisningens nummer.")
    citation: str = Field(description="Källan i ord: lärpass, region, talare, dokument.")


class AskOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(description="Frågan (rensad).")
    answer: list[AnswerSentenceOut] = Field(
        description="Svarets meningar, den som bär det frågan efterfrågar först."
    )
    confident: bool = Field(description="Om det finns ett tydligt svar.")
    reason: str = Field(description="Varför det inte finns något svar (tom när det finns ett).")
    sources: list[SourceOut] = Field(description="Korten svaret hänvisar till.")
    filtered_out: bool = Field(description="Om ett filter utesluter ett svar som finns utanför.")
    message: str = Field(description="Vad svaret är, eller att det inte finns något tydligt svar.")
    missing: list[str] = Field(description="Namn och ord i frågan som texterna aldrig nämner.")
    sentences: list[SentenceOut] = Field(description="Svarets meningar med källhänvisningar.")
    hits: list[HitOut] = Field(description="Träffarna som meningarna hänvisar till.")
    text: str = Field(description="Svaret som text, exakt som `python -m confsearch ask`.")


class RegionOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    region: str = Field(description="Region eller organisation.")
    score: float = Field(description="Bästa träffens relevans.")
    passages: int = Field(description="Antal stycken med tydligt stöd.")
    sessions: list[str] = Field(description="Lärpass där ämnet tas upp.")
    best: HitOut = Field(description="Det bästa stycket.")


class RegionsOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(description="Frågan (rensad).")
    message: str | None = Field(description="Förklaring när ingen region har tydligt stöd.")
    regions: list[RegionOut] = Field(description="Regioner och organisationer, bäst först.")


class PinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    passage_id: str = Field(max_length=300, description="`passage_id` från en sökträff.")
    comment: str = Field("", max_length=5000, description="Egen kommentar till stycket.")
    question: str = Field(
        "", max_length=MAX_QUERY_INPUT, description="Frågan stycket hittades med (valfri)."
    )


Question = Annotated[str, StringConstraints(max_length=MAX_QUERY_INPUT)]


class BriefIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "questions": ["Vilken region har ett cykelbibliotek?"],
                    "k": 3,
                    "heading": "Underlag inför mötet",
                    "pinned": [],
                }
            ]
        },
    )
    questions: list[Question] = Field(
        default_factory=list,
        max_length=MAX_QUESTIONS,
        description=(
            f"Frågor (högst {MAX_QUESTIONS}); de bästa styckena för varje fråga tas med, "
            "som `python -m confsearch brief`. En fråga utan tydligt svar listas utan stycken."
        ),
    )
    k: int = Field(
        3,
        ge=1,
        le=MAX_K,
        description=(
            f"Stycken per fråga, 1–{MAX_K}. Frågor × stycken per fråga får vara högst "
            f"{BRIEF_BUDGET} (annars 413)."
        ),
    )
    region: str | None = Field(None, max_length=200, description=REGION)
    session: str | None = Field(None, max_length=300, description=SESSION)
    heading: str = Field(DEFAULT_HEADING, max_length=300, description="Anteckningens rubrik.")
    intro: str = Field("", max_length=10_000, description="Egen inledande text.")
    pinned: list[PinIn] = Field(
        default_factory=list,
        max_length=MAX_PINNED,
        description="Fästa stycken: kommer först, i den här ordningen, med kommentarer.",
    )


class NoteItemOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    passage_id: str
    text: str
    session: str
    regions: list[str]
    speakers: list[str]
    source: str
    query: str = Field(description="Frågan stycket hör till.")
    comment: str
    document: dict[str, str | int | None] = Field(
        default_factory=dict,
        description=(
            "Dokumentet stycket kommer från, som i källhänvisningen (titel, arrangör, "
            "evenemang, datum, webbadress); tomt för en anteckning från före dokumentens "
            "uppgifter."
        ),
    )


class BriefOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    heading: str
    intro: str
    items: list[NoteItemOut] = Field(description="Styckena i anteckningens ordning.")
    questions: list[str] = Field(description="Frågorna som ställdes.")
    markdown: str = Field(description="Anteckningen som Markdown (styckenas text escapad).")


class HealthOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ready: bool = Field(description="Om tjänsten kan svara normalt (annars status 503).")
    state: Literal["ready", "loading", "failed", "degraded"] = Field(
        description=(
            "`ready`: svarar normalt; `loading`: sökindexet laddas; `failed`: indexet kunde "
            "inte laddas (se `error`, nytt försök görs av sig själv); `degraded`: indexet är "
            "laddat men tjänsten är överbelastad eller databasen svarar inte (se `error`)."
        )
    )
    backend: str = Field(description="Var indexet finns: `files` eller `postgres`.")
    version: str | None = Field(description="Indexversionen som svarar.")
    passages: int | None = Field(description="Antal stycken i indexet.")
    model: str | None = Field(description="Inbäddningsmodellen indexet byggdes med.")
    built: str | None = Field(description="När indexet byggdes.")
    error: str | None = Field(description="Varför tjänsten inte är redo (på svenska).")
    warnings: list[str] = Field(
        description="Varningar, t.ex. en ny version som inte gick att ladda."
    )


# ---------------------------------------------------------------- operations


def _errors(*codes: int) -> dict:
    text = {
        400: "Frågan går inte att söka på (t.ex. tom eller utan ord), eller okänt filter.",
        404: "Ett fäst stycke finns inte i sökindexet.",
        413: "Förfrågan är för stor (för många byte, eller för en anteckning: frågor × "
        "stycken per fråga över budgeten).",
        415: "Innehållet är inte JSON.",
        422: "Ogiltiga parametrar eller ogiltigt innehåll.",
        429: "Redan för många tunga förfrågningar igång från din adress eller totalt; "
        "försök igen efter `Retry-After` sekunder.",
        503: "Sökindexet laddas ännu eller kunde inte laddas, eller databasen svarar inte "
        "(se /health); försök igen efter `Retry-After` sekunder.",
        504: "Tidsgränsen för förfrågan överskreds.",
    }
    return {c: {"model": ErrorOut, "description": text[c]} for c in codes}


SEARCH: dict[str, Any] = {
    "summary": "Sök stycken",
    "description": 'Samma JSON-objekt som `python -m confsearch search --json "fråga"`.',
    "responses": {200: {"model": SearchOut, "description": "Träffarna."}}
    | _errors(400, 422, 503, 504),
}
ASK: dict[str, Any] = {
    "summary": "Kort svar med källhänvisningar",
    "description": "Svaret består av meningar ur texterna; `[n]` hänvisar till träff n.",
    "responses": {200: {"model": AskOut, "description": "Svaret."}} | _errors(400, 422, 503, 504),
}
REGIONS: dict[str, Any] = {
    "summary": "Regioner och organisationer som arbetat med ämnet",
    "description": "Bara organisationer vars stycken själva är belägg, som `regions`.",
    "responses": {200: {"model": RegionsOut, "description": "Regionerna."}}
    | _errors(400, 422, 503, 504),
}
BRIEF: dict[str, Any] = {
    "summary": "Anteckning inför ett möte",
    "description": (
        "Fästa stycken först, sedan de bästa styckena för varje fråga. `format=docx` ger en "
        "Word-fil, annars JSON med Markdown."
    ),
    "responses": {
        200: {
            "model": BriefOut,
            "description": "Anteckningen (JSON) eller Word-filen.",
            "content": {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                    "schema": {"type": "string", "format": "binary"}
                }
            },
        }
    }
    | _errors(400, 404, 413, 415, 422, 429, 503, 504),
}
HEALTH: dict[str, Any] = {
    "summary": "Tjänstens tillstånd",
    "description": (
        "Status 200 när tjänsten kan svara, 503 medan sökindexet laddas, när det inte kunde "
        "laddas, när förfrågningar köar eller nyss tog för lång tid, eller när databasen inte "
        "svarar; `error` säger varför. Tillståndet återhämtar sig av sig självt."
    ),
    "responses": {
        200: {"model": HealthOut, "description": "Redo."},
        503: {"model": HealthOut, "description": "Inte redo (se `state` och `error`)."},
    },
}


STATUS_MESSAGES = {
    # FastAPI's "There was an error parsing the body": bytes that are not UTF-8 JSON
    400: "Innehållet kunde inte läsas. Skicka JSON-text i UTF-8 (Content-Type: application/json).",
    408: "Förfrågan kom inte fram i tid. Skicka den igen.",
    429: "För många förfrågningar just nu. Försök igen om en stund.",
    503: "Tjänsten kan inte svara just nu. Försök igen om en stund.",
}


def http_message(exc: HTTPException, request: Request) -> str:
    """Swedish for the router's own errors (unknown address, wrong method)."""
    if exc.status_code == 404 and exc.detail in ("Not Found", None):
        return f"Adressen {request.url.path} finns inte. Se /docs för API:ets adresser."
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow") or (exc.headers or {}).get("allow") or ""
        return f"Metoden {request.method} är inte tillåten här (tillåtet: {allowed})."
    if isinstance(exc.detail, str) and exc.detail and not exc.detail.isascii():
        return exc.detail  # already Swedish
    if exc.status_code in STATUS_MESSAGES:
        return STATUS_MESSAGES[exc.status_code]
    return f"Förfrågan kunde inte besvaras (HTTP-status {exc.status_code})."


def finish_openapi(app: FastAPI) -> None:
    """Drop FastAPI's English validation-error schemas (our 422 body is :class:`ErrorOut`)."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = build()
            schemas = schema.get("components", {}).get("schemas", {})
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            return schema  # build() also keeps it as app.openapi_schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
