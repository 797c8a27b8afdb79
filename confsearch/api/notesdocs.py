"""The ``/notes`` endpoints' contract: request and response models, Swedish descriptions.

Kept apart from :mod:`confsearch.api.notes` (behaviour), as :mod:`confsearch.api.docs` is
for the rest of the API; every field is described, so ``/docs`` is Swedish throughout.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from confsearch.api.docs import MAX_QUERY_INPUT, ErrorOut
from confsearch.notes import MAX_NAME

MAX_HEADING = 300
MAX_INTRO = 10_000
MAX_COMMENT = 5000
MAX_ORDER = 1000
PASSAGE_ID = 300

TAG = {"name": "anteckningar", "description": "Sparade anteckningar: fästa stycken i ordning."}


class NoteCreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field("", max_length=MAX_NAME, description="Namn i listan (tomt: datum och tid).")
    heading: str | None = Field(
        None, max_length=MAX_HEADING, description="Anteckningens rubrik (tomt: standardrubriken)."
    )
    intro: str = Field("", max_length=MAX_INTRO, description="Egen inledande text.")


class NoteUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, max_length=MAX_NAME, description="Nytt namn.")
    heading: str | None = Field(None, max_length=MAX_HEADING, description="Ny rubrik.")
    intro: str | None = Field(None, max_length=MAX_INTRO, description="Ny inledande text.")
    order: list[str] | None = Field(
        None,
        max_length=MAX_ORDER,
        description="Styckenas nya ordning: alla `passage_id` i anteckningen, var och en en gång.",
    )


class DuplicateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field("", max_length=MAX_NAME, description="Kopians namn (tomt: «Kopia av …»).")


class PinAddIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    passage_id: str = Field(max_length=PASSAGE_ID, description="`passage_id` från en sökträff.")
    comment: str = Field("", max_length=MAX_COMMENT, description="Egen kommentar till stycket.")
    question: str = Field(
        "", max_length=MAX_QUERY_INPUT, description="Frågan stycket hittades med (valfri)."
    )
    position: int | None = Field(
        None, ge=1, description="Plats i anteckningen, 1 först (utelämnad: sist)."
    )


class PinUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: str | None = Field(None, max_length=MAX_COMMENT, description="Ny kommentar.")
    position: int | None = Field(None, ge=1, description="Ny plats i anteckningen, 1 först.")


class NoteSummaryOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="Anteckningens id (del av dess adress).")
    name: str = Field(description="Namn i listan.")
    created: str = Field(description="När den skapades (ISO 8601, UTC).")
    updated: str = Field(description="När den senast ändrades (ISO 8601, UTC).")
    items: int = Field(description="Antal fästa stycken.")


class NotesOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notes: list[NoteSummaryOut] = Field(description="Alla anteckningar, senast ändrad först.")


class PinOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    passage_id: str = Field(description="Styckets id i sökindexet.")
    text: str = Field(description="En kopia av styckets text, som den stod när det fästes.")
    session: str = Field(description="Lärpass.")
    regions: list[str] = Field(description="Regioner och organisationer i lärpasset.")
    speakers: list[str] = Field(description="Talare i lärpasset.")
    source: str = Field(description="Källfil.")
    query: str = Field(description="Frågan stycket hittades med.")
    comment: str = Field(description="Egen kommentar.")
    document: dict[str, Any] = Field(description="Dokumentet stycket citeras ur (titel m.m.).")
    citation: str = Field(description="Källhänvisningen som text.")
    in_index: bool | None = Field(
        description=(
            "Om stycket finns i det nuvarande sökindexet (false: borttaget vid en ny "
            "indexering, texten ovan är kopian); null medan indexet laddas."
        )
    )


class NoteOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="Anteckningens id.")
    name: str = Field(description="Namn i listan.")
    created: str = Field(description="När den skapades (ISO 8601, UTC).")
    updated: str = Field(description="När den senast ändrades (ISO 8601, UTC).")
    revision: int = Field(description="Ökar med ett för varje sparad ändring.")
    heading: str = Field(description="Rubrik.")
    intro: str = Field(description="Egen inledande text.")
    questions: list[str] = Field(description="Frågorna som ställdes.")
    items: list[PinOut] = Field(description="De fästa styckena i anteckningens ordning.")


def _errors(*codes: int) -> dict:
    text = {
        400: "Ogiltig ordning av stycken.",
        404: "Anteckningen eller stycket finns inte.",
        409: "Stycket finns redan i anteckningen.",
        413: "Förfrågan är för stor.",
        415: "Innehållet är inte JSON.",
        422: "Ogiltiga parametrar eller ogiltigt innehåll.",
        503: "Anteckningarna eller sökindexet går inte att nå just nu.",
    }
    return {c: {"model": ErrorOut, "description": text[c]} for c in codes}


def _op(summary: str, description: str, ok: int, model, ok_text: str, *codes: int) -> dict:
    return {
        "summary": summary,
        "description": description,
        "tags": [TAG["name"]],
        "status_code": ok,
        "responses": {ok: {"model": model, "description": ok_text}} | _errors(*codes),
    }


LIST = _op("Lista anteckningar", "Alla sparade anteckningar.", 200, NotesOut, "Listan.", 503)
CREATE = _op(
    "Skapa en anteckning",
    "En ny, tom anteckning. Svaret har dess `id`.",
    201,
    NoteOut,
    "Den nya anteckningen.",
    413, 415, 422, 503,
)  # fmt: skip
GET = _op(
    "Hämta en anteckning",
    "Anteckningen med sina stycken; `in_index` säger om stycket finns kvar i sökindexet.",
    200,
    NoteOut,
    "Anteckningen.",
    404, 422, 503,
)  # fmt: skip
UPDATE = _op(
    "Ändra en anteckning",
    "Namn, rubrik, inledning och styckenas ordning; utelämnade fält ändras inte.",
    200,
    NoteOut,
    "Anteckningen efter ändringen.",
    400, 404, 413, 415, 422, 503,
)  # fmt: skip
DELETE: dict[str, Any] = {
    "summary": "Ta bort en anteckning",
    "description": "Tar bort anteckningen för gott.",
    "tags": [TAG["name"]],
    "status_code": 204,
    "response_model": None,
    "responses": {204: {"description": "Borttagen."}} | _errors(404, 422, 503),
}
DUPLICATE = _op(
    "Kopiera en anteckning",
    "En kopia med eget `id`; originalet ändras inte.",
    201,
    NoteOut,
    "Kopian.",
    404, 413, 415, 422, 503,
)  # fmt: skip
PIN = _op(
    "Fäst ett stycke",
    "Stycket hämtas ur sökindexet och sparas med en kopia av text och källhänvisning.",
    201,
    NoteOut,
    "Anteckningen med stycket.",
    404, 409, 413, 415, 422, 503,
)  # fmt: skip
PIN_UPDATE = _op(
    "Ändra ett fäst stycke",
    "Kommentar och/eller plats i anteckningen.",
    200,
    NoteOut,
    "Anteckningen efter ändringen.",
    404, 413, 415, 422, 503,
)  # fmt: skip
UNPIN = _op(
    "Ta bort ett fäst stycke",
    "Frågan som ställdes står kvar i anteckningen.",
    200,
    NoteOut,
    "Anteckningen utan stycket.",
    404, 422, 503,
)  # fmt: skip
EXPORT: dict[str, Any] = {
    "summary": "Ladda ned en anteckning",
    "description": "Som Markdown (`format=markdown`) eller Word-fil (`format=docx`).",
    "tags": [TAG["name"]],
    "responses": {
        200: {
            "description": "Filen.",
            "content": {
                "text/markdown": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        }
    }
    | _errors(404, 422, 503),
}
FORMAT = "`markdown` eller `docx`."
NOTE_ID = "Anteckningens id."
PIN_ID = "Styckets `passage_id`."
