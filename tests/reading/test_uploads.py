"""Uploads: sanitised names, allowed types, size limit, never overwriting."""

from __future__ import annotations

import os

import pytest

from confsearch.reading import uploads

# ---------------------------------------------------------------- uploads


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("rapport.pdf", "rapport.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\evil.md", "evil.md"),
        (".hidden.txt", "hidden.txt"),
        ("~$lås.docx", "lås.docx"),
        ("...txt", "dokument.txt"),
        ("Årsrapport 2022 (slutlig).DOCX", "Årsrapport 2022 (slutlig).docx"),
        ("a<b>|c?.md", "a_b_c.md"),
        ("data.JSONL", "data.jsonl"),
    ],
)
def test_sanitize_filename(name, expected):
    assert uploads.sanitize_filename(name) == expected


@pytest.mark.parametrize("name", ["virus.exe", "bild.png", "ingen_filändelse", ""])
def test_sanitize_filename_refuses_other_types(name):
    with pytest.raises(uploads.UploadError, match="stöds inte"):
        uploads.sanitize_filename(name)


@pytest.mark.parametrize("letter", ["漢", "\U0001d400", "ö"])  # 3, 4 and 2 bytes in UTF-8
def test_a_long_name_of_wide_letters_is_saved_and_quarantined(tmp_path, letter):
    """Issue 27, finding 2: 80 letters of 3–4 bytes are over the 255 bytes a file system
    allows per name (was "File name too long", in English)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = letter * 200 + ".txt"
    saved = [uploads.save_upload(corpus, name, b"Region Sk\xc3\xa5ne om bussar.") for _ in range(2)]
    assert len({p.name for p in saved}) == 2
    assert all(len(os.fsencode(p.name)) <= 255 for p in saved)
    moved = uploads.quarantine(corpus, saved[1])
    assert moved is not None and moved.read_bytes() == b"Region Sk\xc3\xa5ne om bussar."


def test_save_upload_never_overwrites(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "text.txt").write_text("original", encoding="utf-8")
    first = uploads.save_upload(corpus, "text.txt", b"ny text")
    second = uploads.save_upload(corpus, "../text.txt", b"nyare text")
    assert (first.name, second.name) == ("text-2.txt", "text-3.txt")
    assert (corpus / "text.txt").read_text(encoding="utf-8") == "original"
    assert first.read_bytes() == b"ny text"
    # Nothing hidden or temporary is left behind, and nothing escaped the folder.
    assert sorted(p.name for p in corpus.iterdir()) == ["text-2.txt", "text-3.txt", "text.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


def test_save_upload_checks_size_and_content(tmp_path, monkeypatch):
    with pytest.raises(uploads.UploadError, match="tom"):
        uploads.save_upload(tmp_path, "a.txt", b"")
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(uploads.UploadError, match="största tillåtna"):
        uploads.save_upload(tmp_path, "a.txt", b"x" * 11)
    monkeypatch.undo()
    with pytest.raises(uploads.UploadError, match="Word"):
        uploads.save_upload(tmp_path, "a.docx", b"not a zip")
    with pytest.raises(uploads.UploadError, match="PDF"):
        uploads.save_upload(tmp_path, "a.pdf", b"hello")
    with pytest.raises(uploads.UploadError, match="binära"):
        uploads.save_upload(tmp_path, "a.txt", b"\x00\x01\x02")
    assert os.listdir(tmp_path) == []


def test_upload_accepts_exactly_what_the_reader_reads():
    from confsearch.reading.corpus import MAX_FILE_BYTES
    from confsearch.reading.readers import SUPPORTED_EXTENSIONS

    assert {f".{t}" for t in uploads.ALLOWED_UPLOAD_TYPES} == set(SUPPORTED_EXTENSIONS)
    assert uploads.MAX_UPLOAD_BYTES == MAX_FILE_BYTES


def test_parallel_same_name_uploads_all_survive(tmp_path):
    """Issue 13, "must keep holding": twenty sessions uploading text.txt at once."""
    from concurrent.futures import ThreadPoolExecutor

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    contents = [f"Uppladdning nummer {i} om cyklar.".encode() for i in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        saved = list(pool.map(lambda data: uploads.save_upload(corpus, "text.txt", data), contents))
    assert len({p.name for p in saved}) == 20
    assert sorted(p.read_bytes() for p in saved) == sorted(contents)
    assert sorted(p.name for p in corpus.iterdir()) == sorted(p.name for p in saved)


@pytest.mark.parametrize(
    "name",
    ['rad\nett"; rm -rf ~ #.txt', "$(reboot)`id`.md", "'; DROP TABLE x; --.txt", "a\r\nb\t.txt"],
)
def test_names_with_newlines_quotes_and_shell_syntax_are_plain_files(tmp_path, name):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    saved = uploads.save_upload(corpus, name, b"En text om regioner.")
    assert saved.parent == corpus and saved.read_bytes() == b"En text om regioner."
    assert not any(c in saved.name for c in "\n\r\t/\\")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


def test_build_problems_are_matched_to_uploads_by_their_path_in_the_corpus(tmp_path):
    from confsearch.markup import md_escape
    from confsearch.reading.uploads import added_message, judge_uploads

    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    good, bad, odd = (corpus / n for n in ("x.pdf", "trasig.docx", "kort.txt"))
    broken, copy = corpus / "rapport.pdf", corpus / "kopia.md"
    for p in (good, bad, odd, broken, copy, corpus / "sub" / "x.pdf"):
        p.write_bytes(b"data")
    report = {
        "errors": [
            {"file": "sub/x.pdf", "kind": "error", "message": "kunde inte läsas"},
            {"file": "trasig.docx", "kind": "error", "message": "<skadad> fil"},
            {"file": "kort.txt", "kind": "partial", "message": "bara rubriker"},
            {  # as the corpus reader writes it: the project's path is not shown
                "file": "rapport.pdf",
                "path": "corpus/rapport.pdf",
                "kind": "error",
                "message": "Kunde inte läsa corpus/rapport.pdf: PDF-filen är trasig.",
            },
            {"file": "kopia.md", "kind": "duplicate", "message": "samma text som y.pdf"},
        ],
        "passages": 1,
        "documents": 1,
    }
    rejected, notes = judge_uploads(corpus, [good, bad, odd, broken, copy], report)
    assert rejected == [bad, broken, copy]
    assert not copy.exists() and not list(corpus.glob(".karantan/*kopia*"))  # no copy kept
    assert good.exists() and odd.exists() and not bad.exists()  # only the bad one goes
    assert notes == [
        ("error", f"{md_escape('trasig.docx')} lades inte till: {md_escape('<skadad> fil')}"),
        ("warning", "bara rubriker"),
        (
            "error",
            f"{md_escape('rapport.pdf')} lades inte till: {md_escape('PDF-filen är trasig.')}",
        ),
        ("info", f"{md_escape('kopia.md')} lades inte till: texten finns redan i korpusen."),
    ]
    assert added_message([good], report) == (
        f"Klart! {md_escape('x.pdf')} är sökbar nu. Indexet har 1 stycke från 1 dokument."
    )
