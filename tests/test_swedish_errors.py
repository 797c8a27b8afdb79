"""Operating-system and library errors reach the user in Swedish (issue 27, minor list):
never "No such file or directory", "File name too long", "Detected cyclic page
references." inside a Swedish sentence."""

from __future__ import annotations

import errno

import pytest

from confsearch.messages import os_error_text, quoted
from confsearch.reading.corpus import read_corpus
from confsearch.reading.docmeta import SidecarError, read_sidecar
from confsearch.reading.readers import UNREADABLE_PDF
from confsearch.reading.uploads import UploadError, save_upload
from tests.pdfs import assemble_pdf

ENGLISH = ("No such", "too long", "Not a directory", "Permission", "Detected", "cyclic", "Error")


def _swedish(message: str) -> None:
    assert not any(word in message for word in ENGLISH), message


def cyclic_pdf() -> bytes:
    """A PDF whose page tree lists itself as its own kid (pypdf: "Detected cyclic page
    references.")."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]
    return assemble_pdf(objs)


def test_a_pdf_with_a_cyclic_page_tree_is_named_in_swedish(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "cykel.pdf").write_bytes(cyclic_pdf())
    [error] = read_corpus(corpus).errors
    assert error.message.endswith(f"{UNREADABLE_PDF}.")
    _swedish(error.message)


def test_a_sidecar_name_too_long_is_named_in_swedish(tmp_path):
    with pytest.raises(SidecarError) as caught:
        read_sidecar(tmp_path / ("x" * 300 + ".meta.json"))
    assert "namnet är för långt" in str(caught.value)
    _swedish(str(caught.value))


def test_an_upload_into_a_corpus_that_is_no_folder_is_named_in_swedish(tmp_path):
    (tmp_path / "fil").write_text("inte en mapp")
    with pytest.raises(UploadError) as caught:
        save_upload(tmp_path / "fil" / "corpus", "rapport.txt", b"Region Skane om tag.\n")
    assert "en del av sökvägen är ingen mapp" in str(caught.value)
    _swedish(str(caught.value))


def test_a_corpus_file_that_vanishes_is_named_in_swedish(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "borta.txt").symlink_to(corpus / "finns-inte.txt")
    (corpus / "ok.txt").write_text("Rubrik\n\nEn vanlig text om cyklar i Region Örebro län.\n")
    messages = [e.message for e in read_corpus(corpus).errors]
    assert messages, "a dangling link is reported"
    for message in messages:
        _swedish(message)


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (errno.ENOENT, "filen eller mappen finns inte"),
        (errno.ENAMETOOLONG, "namnet är för långt"),
        (errno.EACCES, "behörighet saknas"),
        (errno.ENOSPC, "disken är full"),
    ],
)
def test_os_errors_have_swedish_causes(code, text):
    assert os_error_text(OSError(code, "English text")) == text


def test_quoted_user_input_never_shows_python_quoting():
    assert quoted("\x00") == "«\ufffd»"
    assert quoted("Region\nSkåne") == "«Region\ufffdSkåne»"
    assert quoted("x" * 200).endswith("…»") and len(quoted("x" * 200)) == 82
