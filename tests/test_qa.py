"""The use-case layer (confsearch.qa) directly, with the fake model: what each use case
returns, that filters reach ask, regions and brief, and that every result's ``to_json()``
has exactly the keys its API response model documents (the models forbid extra keys)."""

from __future__ import annotations

import shutil

import pytest
from pydantic import BaseModel

from confsearch import qa
from confsearch.api import docs as apidocs
from confsearch.api import notesdocs
from confsearch.notes import new_stored_note
from confsearch.query import QueryError
from confsearch.retrieval.confidence import ConfidenceModel
from confsearch.retrieval.index import build_index, load_index
from confsearch.retrieval.search import FusionConfig, Searcher
from tests.conftest import REAL_CORPUS, FakeEmbedder

QUESTION = "Vilken region har ett cykelbibliotek?"
OTHER_REGION = "Region Gävleborg"  # in the corpus, but not where the cycle library is


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("qa")
    shutil.copytree(REAL_CORPUS, tmp / "corpus")
    emb = FakeEmbedder()
    build_index(tmp / "corpus", tmp / "index", emb)
    # The fake model's cosines mean nothing to the confidence model fitted on the real one:
    # every search answers, so the answer and its filter can be checked.
    config = FusionConfig(confidence=ConfidenceModel.always())
    return Searcher(load_index(tmp / "index", emb), emb, config)


def keys_of(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields)


def test_every_response_model_forbids_undocumented_fields():
    models = [apidocs.SearchOut, apidocs.AskOut, apidocs.RegionsOut, apidocs.BriefOut]
    models += [apidocs.HitOut, apidocs.SourceOut, apidocs.RegionOut, apidocs.NoteItemOut]
    assert all(m.model_config.get("extra") == "forbid" for m in models)


def test_search_json_has_exactly_the_documented_keys(searcher):
    out = qa.search(searcher, qa.Question("cykelbibliotek", k=3)).to_json()
    assert list(out) == ["query", "confident", "missing", "hits"]
    assert set(out) == keys_of(apidocs.SearchOut)
    assert len(out["hits"]) == 3 and all(set(h) == keys_of(apidocs.HitOut) for h in out["hits"])
    assert all(h["label"] for h in out["hits"])  # the relevance words are set by qa.search
    apidocs.SearchOut.model_validate(out)


def test_ask_json_has_exactly_the_documented_keys(searcher):
    result = qa.ask(searcher, qa.Question(QUESTION))
    out = result.to_json()
    assert set(out) == keys_of(apidocs.AskOut)
    assert out["confident"] and out["answer"] and out["sources"]
    assert all(set(s) == keys_of(apidocs.SourceOut) for s in out["sources"])
    assert out["text"] == result.text() and out["text"].startswith(out["answer"][0]["text"][:20])
    # the cards carry the answer's labels: a cited card is never weaker than an uncited one
    assert [h["label"] for h in out["hits"]] == result.labels
    apidocs.AskOut.model_validate(out)


def test_regions_json_has_exactly_the_documented_keys(searcher):
    out = qa.regions(searcher, qa.Question("cykelbibliotek", k=10)).to_json()
    assert set(out) == keys_of(apidocs.RegionsOut)
    assert out["regions"] and out["message"] is None
    assert all(set(r) == keys_of(apidocs.RegionOut) for r in out["regions"])
    assert out["regions"][0]["best"]["label"]  # labelled like the search's cards
    apidocs.RegionsOut.model_validate(out)


def test_brief_json_has_exactly_the_documented_keys(searcher):
    pid = searcher.passages[0].id
    request = qa.BriefRequest(
        ["cykelbibliotek"], k=2, pinned=[qa.Pin(pid, "  egen  fråga ", "min kommentar")]
    )
    out = qa.brief(searcher, request).to_json()
    assert set(out) == keys_of(apidocs.BriefOut)
    assert all(set(i) == keys_of(apidocs.NoteItemOut) for i in out["items"])
    assert out["items"][0]["passage_id"] == pid  # pinned first, with its comment
    assert out["items"][0]["comment"] == "min kommentar"
    assert out["items"][0]["query"] == "egen fråga"
    assert out["questions"] == ["cykelbibliotek", "egen fråga"]
    apidocs.BriefOut.model_validate(out)


def test_brief_refuses_a_pin_the_index_does_not_have(searcher):
    with pytest.raises(qa.UnknownPassages, match="«finns-inte»"):
        qa.brief(searcher, qa.BriefRequest(pinned=[qa.Pin("finns-inte")]))


def test_brief_stops_between_questions_when_asked(searcher):
    calls = []

    def check() -> None:
        calls.append(1)
        if len(calls) == 2:
            raise TimeoutError

    with pytest.raises(TimeoutError):
        qa.brief(searcher, qa.BriefRequest(["cykelbibliotek", "civilsamhälle"]), check=check)
    assert len(calls) == 2


def test_a_region_filter_changes_ask(searcher):
    free = qa.ask(searcher, qa.Question(QUESTION)).to_json()
    only = qa.ask(searcher, qa.Question(QUESTION, region=OTHER_REGION)).to_json()
    assert {h["region"] for h in free["hits"]} != {OTHER_REGION}
    assert only["hits"] and {h["region"] for h in only["hits"]} == {OTHER_REGION}
    assert only["hits"] != free["hits"] and only["text"] != free["text"]


def test_a_filter_that_hides_the_answer_says_so(searcher):
    out = qa.ask(searcher, qa.Question(QUESTION, region="Region Skåne")).to_json()
    assert out["filtered_out"] is True and out["hits"] == []
    assert out["reason"].startswith("Inget svar från Region Skåne: filtret utesluter svaret.")


def test_filters_reach_regions_and_brief(searcher):
    free = qa.regions(searcher, qa.Question("cykelbibliotek", k=10))
    only = qa.regions(searcher, qa.Question("cykelbibliotek", k=10, region=OTHER_REGION))
    assert [r.region for r in free.regions] != [r.region for r in only.regions]
    assert all(OTHER_REGION in r.best.passage.regions for r in only.regions)
    note = qa.brief(searcher, qa.BriefRequest(["cykelbibliotek"], region=OTHER_REGION)).note
    assert note.items and all(OTHER_REGION in item.regions for item in note.items)


def test_unknown_filters_are_query_errors(searcher):
    with pytest.raises(QueryError, match="Okänd region"):
        qa.ask(searcher, qa.Question(QUESTION, region="Atlantis"))
    with pytest.raises(QueryError, match="Okänt lärpass"):
        qa.regions(searcher, qa.Question(QUESTION, session="finns inte alls"))


def test_documents_lists_the_corpus():
    result = qa.documents(REAL_CORPUS)
    out = result.to_json()
    assert list(out) == ["documents", "problems"] and out["documents"]
    assert out["documents"][0]["title"] in result.text()


def test_saved_note_json_has_exactly_the_documented_keys(searcher):
    hit = qa.search(searcher, qa.Question("cykelbibliotek", k=1)).response.hits[0]
    stored = new_stored_note("Nämnden")
    stored.note.add(hit, "cykelbibliotek")
    loading = qa.SavedNoteResult(stored).to_json()  # while the index loads
    out = qa.SavedNoteResult(stored, searcher).to_json()
    assert set(out) == keys_of(notesdocs.NoteOut)
    assert set(out["items"][0]) == keys_of(notesdocs.PinOut)
    assert out["items"][0]["in_index"] is True and loading["items"][0]["in_index"] is None
    notesdocs.NoteOut.model_validate(out)
    listed = qa.NotesListResult([stored.summary()]).to_json()
    assert set(listed["notes"][0]) == keys_of(notesdocs.NoteSummaryOut)
    notesdocs.NotesOut.model_validate(listed)
