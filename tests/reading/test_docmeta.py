"""Document metadata: title, organiser, event, date/year, address from text, format,
sidecar and front matter; carried into the index manifest; the fingerprint sees sidecars."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from confsearch.reading import docmeta
from confsearch.reading.corpus import read_corpus, sidecar_files
from confsearch.retrieval.index import build_index, corpus_fingerprint, load_index
from tests.conftest import REAL_CORPUS, FakeEmbedder

BODY = (
    "Rena resor\n\n"
    "Region Örebro län berättar om cykelbibliotek och vikcyklar för pendlare i hela länet.\n"
)


def corpus_with(tmp_path: Path, files: dict[str, str]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (corpus / name).write_text(content, encoding="utf-8")
    return corpus


def only_document(corpus: Path):
    result = read_corpus(corpus)
    (doc,) = result.documents
    return doc, result.errors


def test_the_default_corpus_is_reglabs_arskonferens_2022():
    doc, errors = only_document(REAL_CORPUS)
    assert not errors
    assert doc.title == "Följ med till några av lärpassen på årskonferensen 2022"
    assert doc.metadata["organiser"] == "Reglab"
    assert doc.metadata["event"] == "Reglabs årskonferens 2022"
    assert doc.metadata["year"] == 2022
    assert "url" not in doc.metadata  # the text does not give its own address


def test_labelled_lines_in_the_text_are_read(tmp_path):
    text = (
        "Lärpass 2019\n\n"
        "Arrangör: Reglab\nKonferens: Reglabs årskonferens 2019\nDatum: 2019-03-14\n"
        "Länk: https://www.reglab.se/larpass-2019/\n\n" + BODY
    )
    doc, _ = only_document(corpus_with(tmp_path, {"larpass.txt": text}))
    assert doc.title == "Lärpass 2019"
    assert {k: doc.metadata.get(k) for k in docmeta.FIELDS} == {
        "organiser": "Reglab",
        "event": "Reglabs årskonferens 2019",
        "date": "2019-03-14",
        "year": 2019,
        "url": "https://www.reglab.se/larpass-2019/",
    }


def test_a_year_in_the_title_and_nothing_invented(tmp_path):
    doc, _ = only_document(corpus_with(tmp_path, {"x.txt": "Seminariet 2021 om resor\n\n" + BODY}))
    assert doc.metadata.get("year") == 2021
    assert not any(k in doc.metadata for k in ("organiser", "event", "date", "url"))


def test_the_sidecar_fills_in_and_corrects(tmp_path):
    corpus = corpus_with(
        tmp_path,
        {
            "larpass.txt": "Lärpass 2019\n\nArrangör: Fel namn\n\n" + BODY,
            "larpass.meta.json": json.dumps(
                {
                    "arrangör": "Reglab",
                    "evenemang": "Reglabs årskonferens 2019",
                    "datum": "14 mars 2019",
                    "url": "https://www.reglab.se/larpass-2019/",
                    "titel": "Lärpass på årskonferensen 2019",
                    "okänt": "ignoreras",
                },
                ensure_ascii=False,
            ),
        },
    )
    doc, errors = only_document(corpus)
    assert not errors
    assert doc.title == "Lärpass på årskonferensen 2019"
    assert doc.metadata["organiser"] == "Reglab"  # corrected
    assert doc.metadata["date"] == "14 mars 2019" and doc.metadata["year"] == 2019
    assert doc.metadata["url"] == "https://www.reglab.se/larpass-2019/"
    # the sidecar is read with its document, never as a document of its own
    assert [d.source for d in read_corpus(corpus).documents] == ["corpus/larpass.txt"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{inte json", "ingen giltig JSON-fil"),
        ('["lista"]', "ska innehålla ett JSON-objekt"),
    ],
)
def test_a_broken_sidecar_is_reported_and_the_document_still_read(tmp_path, content, reason):
    corpus = corpus_with(tmp_path, {"x.txt": BODY, "x.meta.json": content})
    doc, errors = only_document(corpus)
    assert doc.sessions
    (err,) = errors
    assert err.kind == "partial" and reason in err.message and "x.meta.json" in err.message


def test_an_address_must_be_a_web_address(tmp_path):
    corpus = corpus_with(
        tmp_path, {"x.txt": BODY, "x.meta.json": '{"url": "javascript:alert(1)", "year": "x"}'}
    )
    doc, errors = only_document(corpus)
    assert not errors and "url" not in doc.metadata and "year" not in doc.metadata


def test_front_matter_and_html_meta(tmp_path):
    md = "---\ntitle: Från front matter\narrangör: Tillväxtverket\når: 2020\n---\n## " + BODY
    doc, _ = only_document(corpus_with(tmp_path / "md", {"x.md": md}))
    assert doc.title == "Från front matter"
    assert doc.metadata["organiser"] == "Tillväxtverket" and doc.metadata["year"] == 2020
    page = (
        "<html><head><title>Lärpass 2018</title>"
        '<meta property="og:site_name" content="Reglab">'
        '<link rel="canonical" href="https://www.reglab.se/aktiviteter/larpass-2018/">'
        '<meta property="article:published_time" content="2018-03-01T10:00:00+01:00">'
        "</head><body><h2>Rena resor</h2><p>Region Örebro län berättar om "
        "cykelbibliotek och vikcyklar för pendlare i hela länet.</p></body></html>"
    )
    doc, _ = only_document(corpus_with(tmp_path / "html", {"x.html": page}))
    assert doc.title == "Lärpass 2018"
    assert doc.metadata["organiser"] == "Reglab" and doc.metadata["year"] == 2018
    assert doc.metadata["url"] == "https://www.reglab.se/aktiviteter/larpass-2018/"


def test_jsonl_lines_carry_their_own_fields(tmp_path):
    line = {
        "id": "a",
        "title": "Lärpass",
        "text": "Region Skåne berättade om kollektivtrafik och pendling i hela regionen.",
        "url": "https://example.se/a",
        "organiser": "Region Skåne",
        "year": 2023,
    }
    corpus = corpus_with(
        tmp_path,
        {"rader.jsonl": json.dumps(line, ensure_ascii=False), "rader.meta.json": '{"år": 2020}'},
    )
    doc, _ = only_document(corpus)
    assert doc.metadata["organiser"] == "Region Skåne"
    assert doc.metadata["year"] == 2023  # the line's own field wins over the sidecar
    assert doc.metadata["url"] == "https://example.se/a"


def test_metadata_travels_in_the_manifest_and_sidecars_count_for_staleness(tmp_path):
    corpus = corpus_with(
        tmp_path, {"x.txt": "Lärpass 2019\n\n" + BODY, "x.meta.json": '{"arrangör": "Reglab"}'}
    )
    assert sidecar_files(corpus) == [corpus / "x.meta.json"]
    emb = FakeEmbedder()
    build_index(corpus, tmp_path / "index", emb)
    (info,) = load_index(tmp_path / "index", emb).manifest.documents
    assert info.metadata["organiser"] == "Reglab" and info.metadata["year"] == 2019
    before = corpus_fingerprint(corpus)
    sidecar = corpus / "x.meta.json"
    sidecar.write_text('{"arrangör": "Reglab", "år": 2019}', encoding="utf-8")
    os.utime(sidecar, ns=(1, 1))
    assert corpus_fingerprint(corpus) != before  # an edited sidecar rebuilds the index


def test_field_names_in_swedish_and_english():
    assert docmeta.field_for("Arrangör") == "organiser"
    assert docmeta.field_for("organizer") == "organiser"
    assert docmeta.field_for("År") == "year"
    assert docmeta.field_for("Webbadress") == "url"
    assert docmeta.field_for("Faserna är") is None
    assert docmeta.clean({"datum": "2022-02-10"}) == {"date": "2022-02-10", "year": 2022}
