"""A new user's uploads read right (issue 23): a summary that opens with the labelled
lines the page suggests ("Arrangör: …", "Datum: …") and a PDF whose sessions are larger
bold headings. Their sessions, organiser and year are read, and no metadata line is in
any passage. tests/web/test_browser_reading.py uploads the same two documents on the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from confsearch.reading.corpus import read_corpus
from confsearch.reading.doclisting import describe
from tests.reading.test_programme import font_pdf

SUMMARY_TITLE = "Tillväxtdagarna 2023"
SUMMARY_META = ("Arrangör: Region Gävleborg", "Datum: 14 september 2023")
SUMMARY_INTRO = (
    "Sammanfattning av två dagar om hållbar tillväxt i Gävleborg. Drygt tvåhundra deltagare "
    "från kommuner, företag och högskolor samlades i Gävle."
)
SUMMARY_SESSIONS = [
    (
        "Kompetensförsörjning i små företag",
        None,
        "Anna Lindqvist, näringslivsstrateg på Region Gävleborg, berättade om hur länets små "
        "företag hittar rätt kompetens genom korta yrkesutbildningar.",
    ),
    (
        "Grön omställning i industrin",
        "Medverkande: Johan Berg, Högskolan i Gävle; Maria Svensson, Sandvikens kommun",
        "Samtalet handlade om hur stålindustrin och kommunerna planerar för nya jobb när "
        "produktionen ställs om till fossilfritt stål.",
    ),
    (
        "Bredband på landsbygden",
        None,
        "Erik Nilsson, Länsstyrelsen i Gävleborgs län, visade hur utbyggnaden av bredband når "
        "de sista hushållen i Ljusdal och Ovanåker.",
    ),
]
SUMMARY_SPEAKERS = [
    [("Anna Lindqvist", "Region Gävleborg")],
    [("Johan Berg", "Högskolan i Gävle"), ("Maria Svensson", "Sandvikens kommun")],
    [("Erik Nilsson", "Länsstyrelsen i Gävleborgs län")],
]


def summary(*, heading: str = "", meta_first: bool = True, bold_labels: bool = False) -> str:
    """The summary as a user writes it: plain text (``heading=""``) or Markdown
    (``heading="#"``), the labelled lines above or below the title."""
    meta = [f"**{line.replace(': ', ':** ', 1)}" if bold_labels else line for line in SUMMARY_META]
    meta_block = ("  \n" if bold_labels else "\n").join(meta)
    title = f"{heading} {SUMMARY_TITLE}".strip()
    head = [meta_block, title] if meta_first else [title, meta_block]
    parts = [*head, SUMMARY_INTRO]
    sub = f"{heading}# " if heading else ""
    for name, speakers, text in SUMMARY_SESSIONS:
        parts.append(sub + name)
        if speakers:
            parts.append(speakers)
        parts.append(text)
    return "\n\n".join(parts) + "\n"


PDF_TITLE = "Landsbygdsforum Dalarna 2024"
PDF_META = (
    "Arrangör: Länsstyrelsen i Dalarnas län",
    "Datum: 7 maj 2024",
    "Plats: Folkets hus, Mora",
)
PDF_BODY = [
    (13, True, "Service i glesbygd"),
    (10, False, "Moderator: Karin Ek, Region Dalarna"),
    (10, False, "Hur kan bensinmackar, butiker och vårdcentraler finnas kvar i byarna?"),
    (10, False, "Tre kommuner berättade om servicepunkter som samlar flera tjänster."),
    (13, True, "Unga som vill bo kvar"),
    (10, False, "Talare: Olle Sten, Älvdalens kommun"),
    (10, False, "Ungdomsrådet i Älvdalen har frågat unga vad som får dem att stanna"),
    (10, False, "och vad som behövs för att fler ska flytta tillbaka efter studierna."),
    (13, True, "Fäbodbruk som besöksmål"),
    (10, False, "Lisa Åberg, Högskolan Dalarna, visade hur fäbodarna lockar besökare"),
    (10, False, "utan att det gamla brukandet försvinner."),
]
PDF_SESSIONS = ["Service i glesbygd", "Unga som vill bo kvar", "Fäbodbruk som besöksmål"]
PDF_SPEAKERS = [
    [("Karin Ek", "Region Dalarna")],
    [("Olle Sten", "Älvdalens kommun")],
    [("Lisa Åberg", "Högskolan Dalarna")],
]


def programme_pdf(*, title_size: int = 18, meta_first: bool = False) -> bytes:
    """The PDF programme: body text 10 pt, session headings 13 pt bold, the title
    ``title_size`` pt bold, the labelled lines under (or above) the title."""
    title = [(title_size, True, PDF_TITLE)]
    meta = [(10, False, line) for line in PDF_META]
    return font_pdf([*(meta + title if meta_first else title + meta), *PDF_BODY])


def metadata_in_passages(result, lines: tuple[str, ...]) -> list[str]:
    """Passages holding a labelled metadata line (or its label), shown for a failure."""
    labels = {line.split(":", 1)[0] + ":" for line in lines}
    return [
        p.text
        for p in result.passages
        if any(line in p.text for line in lines) or any(label in p.text for label in labels)
    ]


def read(tmp_path: Path, files: dict[str, str | bytes]):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, content in files.items():
        if isinstance(content, bytes):
            (corpus / name).write_bytes(content)
        else:
            (corpus / name).write_text(content, encoding="utf-8")
    result = read_corpus(corpus)
    assert not result.errors, [e.message for e in result.errors]
    return {Path(d["source"]).name: d for d in describe(result)}, result


def speakers(doc) -> list[list[tuple[str, str]]]:
    return [[(p["name"], p["organisation"]) for p in s["speakers"]] for s in doc["sessions"]]


def test_the_uploaded_summary_and_pdf_are_read_into_sessions_organiser_and_year(tmp_path):
    docs, result = read(
        tmp_path, {"tillvaxtdagarna.txt": summary(), "landsbygdsforum.pdf": programme_pdf()}
    )
    text = docs["tillvaxtdagarna.txt"]
    assert text["title"] == SUMMARY_TITLE
    assert (text["organiser"], text["date"], text["year"]) == (
        "Region Gävleborg",
        "14 september 2023",
        2023,
    )
    assert [s["title"] for s in text["sessions"]] == [s[0] for s in SUMMARY_SESSIONS]
    assert speakers(text) == SUMMARY_SPEAKERS
    pdf = docs["landsbygdsforum.pdf"]
    assert pdf["title"] == PDF_TITLE
    assert (pdf["organiser"], pdf["date"], pdf["year"]) == (
        "Länsstyrelsen i Dalarnas län",
        "7 maj 2024",
        2024,
    )
    assert [s["title"] for s in pdf["sessions"]] == PDF_SESSIONS
    assert speakers(pdf) == PDF_SPEAKERS
    assert all(s["passages"] >= 1 for d in docs.values() for s in d["sessions"])
    assert not metadata_in_passages(result, SUMMARY_META + PDF_META)
    # the text around the sessions is still searchable, under the document's title
    (intro,) = [p for p in result.passages if "tvåhundra deltagare" in p.text]
    assert intro.session == SUMMARY_TITLE


@pytest.mark.parametrize(
    "name, content",
    [
        ("tillvaxtdagarna.md", summary(heading="#")),
        ("tillvaxtdagarna.md", summary(heading="#", bold_labels=True)),
        ("tillvaxtdagarna.md", summary(heading="#", meta_first=False)),
        ("tillvaxtdagarna.txt", summary(meta_first=False)),
        (
            "tillvaxtdagarna.txt",
            summary().replace(SUMMARY_META[0] + "\n", SUMMARY_META[0] + "\n\n"),
        ),
    ],
    ids=[
        "markdown",
        "markdown-bold-labels",
        "markdown-title-first",
        "text-title-first",
        "text-spaced",
    ],
)
def test_a_summary_in_any_of_these_forms_reads_the_same(tmp_path, name, content):
    docs, result = read(tmp_path, {name: content})
    (doc,) = docs.values()
    assert (doc["title"], doc["organiser"], doc["year"]) == (
        SUMMARY_TITLE,
        "Region Gävleborg",
        2023,
    )
    assert [s["title"] for s in doc["sessions"]] == [s[0] for s in SUMMARY_SESSIONS]
    assert speakers(doc) == SUMMARY_SPEAKERS
    assert not metadata_in_passages(result, SUMMARY_META)


@pytest.mark.parametrize(
    "pdf",
    [programme_pdf(title_size=13), programme_pdf(meta_first=True)],
    ids=["title-in-session-type", "labelled-lines-first"],
)
def test_a_pdf_title_above_its_labelled_lines_is_no_session(tmp_path, pdf):
    """A title set like the session headings, with only labelled lines below it, is the
    document's title: before, it became an empty first session and the file name the
    title."""
    docs, result = read(tmp_path, {"forum.pdf": pdf})
    (doc,) = docs.values()
    assert (doc["title"], doc["organiser"], doc["year"]) == (
        PDF_TITLE,
        "Länsstyrelsen i Dalarnas län",
        2024,
    )
    assert [s["title"] for s in doc["sessions"]] == PDF_SESSIONS
    assert not metadata_in_passages(result, PDF_META)
