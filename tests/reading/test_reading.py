"""Reading documents: the organisation register, the listing of what was read
(`documents`, GET /documents) and the evaluator against a hand-made answer key."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from confsearch.evaluation.readingeval import evaluate_dir
from confsearch.reading import orgs
from confsearch.reading.corpus import read_corpus
from confsearch.reading.doclisting import describe, format_listing
from tests.conftest import REAL_CORPUS, ROOT

# ------------------------------------------------------------------ the register


def test_register_has_every_municipality_region_and_county_board():
    entries = orgs.register().values()
    kinds = [e.kind for e in entries]
    # 290 municipalities; Gotland's municipality is Region Gotland
    assert kinds.count("kommun") == 289
    assert kinds.count("region") == 21
    assert kinds.count("länsstyrelse") == 21
    assert orgs.link("Gotlands kommun").name == "Region Gotland"


def test_organisations_are_kept_as_written_and_linked_to_their_entry():
    text = (
        "Anna Berg, Botkyrka kommun, och Per Ek, Södertörns högskola. SKL:s rapport och "
        "Regionförbundet Uppsala län. Fredrik Erfelt, Stockholms Handelskammare, och "
        "Myndigheten för kulturanalys har bjudit in Valideringsdelegationen."
    )
    found = [(m.text, m.canonical) for m in orgs.find(text)]
    assert ("Botkyrka kommun", "Botkyrka kommun") in found
    assert ("Södertörns högskola", "Södertörns högskola") in found
    assert ("SKL", "Sveriges Kommuner och Landsting") in found
    assert ("Regionförbundet Uppsala län", "Regionförbundet Uppsala län") in found
    assert ("Stockholms Handelskammare", "Stockholms Handelskammare") in found
    assert ("Myndigheten för kulturanalys", "Myndigheten för kulturanalys") in found
    assert ("Valideringsdelegationen", "Valideringsdelegationen") in found
    # an old name is its own entry, pointing at its successor, never rewritten
    skl = orgs.link("SKL")
    assert skl.name == "Sveriges Kommuner och Landsting"
    assert skl.successor == "Sveriges Kommuner och Regioner"
    assert orgs.same("SKL", "Sveriges Kommuner och Landsting")
    assert not orgs.same("SKL", "SKR")
    assert orgs.is_organisation("Borås Stad") and not orgs.is_organisation("Anna Berg")


def test_nothing_is_matched_inside_a_web_address():
    assert orgs.find("Läs mer på https://example.se/vinnova/boverket") == []


# ------------------------------------------------------------------ the listing


def test_listing_of_the_seed_corpus_gives_every_session_in_order():
    result = read_corpus(REAL_CORPUS)
    (doc,) = describe(result)
    assert doc["title"] == result.documents[0].title
    assert doc["organiser"] == "Reglab" and doc["year"] == 2022
    assert [s["title"] for s in doc["sessions"]] == [s.title for s in result.sessions]
    assert sum(s["passages"] for s in doc["sessions"]) == len(result.passages)
    text = format_listing([doc])
    assert "Arrangör: Reglab" in text and "Det nya Norrland?" in text


@pytest.mark.process
def test_documents_command_prints_json(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Dagens program\n\nEtt lärpass om cykling\n\n"
        "Region Skåne berättar om cykelvägar mellan byarna i hela länet.\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "confsearch", "documents", "--json", "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    (doc,) = json.loads(out)["documents"]
    assert doc["source"].endswith("a.txt")
    assert doc["sessions"] and doc["sessions"][0]["passages"] >= 1


# ------------------------------------------------------------------ the evaluator


def test_evaluator_scores_a_reading_against_its_answer_key(tmp_path):
    (tmp_path / "p.txt").write_text(
        "Konferens om cykling\n\n"
        "Cykelvägar i Skåne\n\n"
        "Anna Berg, Region Skåne, berättar om cykelvägar mellan byarna i hela länet.\n\n"
        "Gröna pendlare\n\n"
        "Per Ek, Vinnova, berättar om hur pendlare väljer cykeln framför bilen i staden.\n",
        encoding="utf-8",
    )
    gold = {
        "file": "p.txt",
        "title": "Konferens om cykling",
        "organiser": None,
        "year": None,
        "sessions": [
            {"title": "Cykelvägar i Skåne", "speakers": [{"name": "Anna Berg"}]},
            {"title": "Gröna pendlare", "speakers": [{"name": "Per Ek"}]},
            {"title": "Ett pass som inte finns", "speakers": [{"name": "Eva Ny"}]},
        ],
        "acting_organisations": ["Region Skåne", "Vinnova", "Boverket"],
    }
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    report = evaluate_dir(tmp_path)
    assert report["sessions"] == {"precision": 1.0, "recall": 0.667, "f1": 0.8}
    assert report["speakers"]["precision"] == 1.0 and report["speakers"]["recall"] == 0.667
    assert report["acting_organisations"]["recall"] == 0.667
    assert report["organiser_accuracy"] == 1.0 and report["year_accuracy"] == 1.0
    (detail,) = report["details"]
    assert detail["sessions_missed"] == ["Ett pass som inte finns"]
    assert detail["acting_missed"] == ["Boverket"]


def test_api_lists_the_documents_as_the_cli_does(fake_env):
    from fastapi.testclient import TestClient

    from confsearch.api import app as api
    from confsearch.settings import Settings

    settings = Settings.from_env()
    with TestClient(api.create_app(settings), raise_server_exceptions=False) as client:
        body = client.get("/documents").json()
    (doc,) = body["documents"]
    assert body["problems"] == []
    assert doc == describe(read_corpus(settings.corpus_dir))[0]
    assert len(doc["sessions"]) == 10
