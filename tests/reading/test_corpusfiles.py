"""Removing a corpus document and checking an upload before it is saved (no model)."""

from __future__ import annotations

import pytest

from confsearch.reading.corpusfiles import (
    REMOVED,
    CorpusFileError,
    check_upload,
    in_corpus,
    remove_document,
)
from confsearch.reading.uploads import UploadError

TEXT = (
    "# Rubrik\n\n## Ett lärpass\n\nRegion Gotland berättar om hur besöksnäringen samarbetar "
    "med kommunen kring hållbar turism och vad det betyder för lokala företag.\n"
)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "gotland.md").write_text(TEXT, encoding="utf-8")
    (folder / "sub" / "gotland.meta.json").write_text('{"arrangör": "Reglab"}', encoding="utf-8")
    return folder


@pytest.mark.unit
def test_remove_moves_the_file_and_its_details_aside(corpus):
    moved = remove_document(corpus, "corpus/sub/gotland.md")  # an index's source works too
    assert moved.parent == corpus / REMOVED and moved.read_text(encoding="utf-8") == TEXT
    assert not (corpus / "sub" / "gotland.md").exists()
    assert not (corpus / "sub" / "gotland.meta.json").exists()
    assert sorted(p.name.split("-", 1)[1] for p in (corpus / REMOVED).iterdir()) == [
        "gotland.md",
        "gotland.meta.json",
    ]


@pytest.mark.unit
@pytest.mark.parametrize("name", ["../corpus/sub/gotland.md", "/etc/passwd", "sub", "x.md"])
def test_only_a_file_the_corpus_reader_reads_can_be_removed(corpus, name):
    with pytest.raises(CorpusFileError, match=r"^Dokumentet .* finns inte i korpusmappen\.$"):
        in_corpus(corpus, name)
    assert (corpus / "sub" / "gotland.md").is_file()


@pytest.mark.unit
def test_an_upload_already_there_or_unreadable_is_refused_before_it_is_saved(corpus):
    with pytest.raises(UploadError) as exc:
        check_upload(corpus, "kopia.md", TEXT.encode("utf-8"))
    assert str(exc.value) == ("Filen finns redan i korpusen (som sub/gotland.md).")
    with pytest.raises(UploadError, match="Word-filen går inte att öppna") as exc:
        check_upload(corpus, "trasig.docx", b"PK\x03\x04 inte ett dokument")
    assert "Kunde inte läsa" not in str(exc.value) and "korpus/" not in str(exc.value)
    check_upload(corpus, "ny.md", TEXT.replace("Gotland", "Halland").encode("utf-8"))
    assert sorted(p.name for p in corpus.rglob("*") if p.is_file()) == [
        "gotland.md",
        "gotland.meta.json",
    ]  # checking saves nothing
