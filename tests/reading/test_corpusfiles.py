"""Removing or replacing a corpus document and checking an upload before it is saved (no model)."""

from __future__ import annotations

import pytest

from confsearch.reading.corpusfiles import (
    REMOVED,
    CorpusFileError,
    check_upload,
    in_corpus,
    remove_document,
    replace_document,
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


NEW = TEXT.replace("besöksnäringen", "fjärrvärmebolaget") + "\nEn ny version av texten.\n"


@pytest.mark.unit
def test_replace_puts_the_new_version_in_place_and_keeps_its_details(corpus):
    seen = []

    def rebuild() -> bool:
        seen.append((corpus / "sub" / "gotland.md").read_text(encoding="utf-8"))
        return True

    done = replace_document(corpus, "sub/gotland.md", "gotland v2.md", NEW.encode(), rebuild)
    assert done.ok and done.new == corpus / "sub" / "gotland.md"
    assert seen == [NEW]  # the index was rebuilt with the new text in place
    assert done.old.parent == corpus / REMOVED and done.old.read_text(encoding="utf-8") == TEXT
    assert (corpus / "sub" / "gotland.meta.json").is_file()  # its details still apply


@pytest.mark.unit
@pytest.mark.parametrize("failure", ["returns", "raises"])
def test_a_failed_replacement_loses_nothing(corpus, failure):
    def rebuild() -> bool:
        if failure == "raises":
            raise RuntimeError("bygget avbröts")
        return False

    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*") if p.is_file())
    if failure == "raises":
        with pytest.raises(RuntimeError):
            replace_document(corpus, "sub/gotland.md", "gotland.md", NEW.encode(), rebuild)
    else:
        done = replace_document(corpus, "sub/gotland.md", "gotland.md", NEW.encode(), rebuild)
        assert not done.ok and done.new is None
    assert (corpus / "sub" / "gotland.md").read_text(encoding="utf-8") == TEXT
    after = sorted(p.relative_to(corpus) for p in corpus.rglob("*") if p.is_file())
    assert after == before


@pytest.mark.unit
def test_a_replacement_that_is_the_same_file_or_unreadable_touches_nothing(corpus):
    never = lambda: pytest.fail("no rebuild for a refused file")  # noqa: E731
    with pytest.raises(UploadError, match="finns redan i korpusen"):
        replace_document(corpus, "sub/gotland.md", "gotland.md", TEXT.encode(), never)
    with pytest.raises(UploadError):
        replace_document(corpus, "sub/gotland.md", "bild.png", b"\x89PNG", never)
    with pytest.raises(CorpusFileError):
        replace_document(corpus, "sub/finns-inte.md", "x.md", NEW.encode(), never)
    assert (corpus / "sub" / "gotland.md").read_text(encoding="utf-8") == TEXT
    assert not (corpus / REMOVED).exists()
