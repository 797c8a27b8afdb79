"""Index builds leave the serving process: a failed build never takes the page down.

The index folder is put on a real full disk (a tiny tmpfs) or a read-only mount while an
upload is being indexed. The uploader must get a Swedish message and the upload must be
rolled back; another session searching meanwhile must get normal answers; a fresh
session afterwards must see no error at all. The CLI and ``embed.py`` on the same
folders give a Swedish message (exit code 2) and still answer from the old index.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from confsearch.retrieval.index import build_index, current_version_dir
from tests import page_driver
from tests.conftest import ROOT
from tests.page_driver import QUESTION, ask, texts, upload

pytestmark = pytest.mark.process

UPLOAD = (
    "# Vätgasdagen\n\n## Vätgas i Gävle\n\nRegion Gävleborg berättade om vätgas för tunga "
    "transporter och om nya tankstationer längs kusten.\n"
).encode()


def _run(*cmd: str) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} failed (these tests need root): {proc.stderr.strip()}")


@contextlib.contextmanager
def full_disk(folder, free_kb: int = 16):
    """``folder`` (with its content) on a tmpfs that has only ``free_kb`` left."""
    keep = folder.with_name(folder.name + ".orig")
    folder.rename(keep)
    folder.mkdir()
    _run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder))
    try:
        shutil.copytree(keep, folder, dirs_exist_ok=True)
        # Shrunk to what the index uses plus free_kb (no filler file: an index folder
        # holding another file is refused before anything is written, issue 27).
        st = os.statvfs(folder)
        used = (st.f_blocks - st.f_bfree) * st.f_frsize
        _run("mount", "-o", f"remount,size={used + free_kb * 1024}", str(folder))
        yield folder
    finally:
        _run("umount", str(folder))
        folder.rmdir()
        keep.rename(folder)


@contextlib.contextmanager
def read_only(folder):
    _run("mount", "--bind", str(folder), str(folder))
    try:
        _run("mount", "-o", "remount,ro,bind", str(folder))
        yield folder
    finally:
        _run("umount", str(folder))


CONDITIONS = {"full": full_disk, "read-only": read_only}


def start() -> AppTest:
    return page_driver.start()


def first_card(at: AppTest) -> str:
    return next(m.value for m in at.markdown if 'class="ks-card"' in m.value)


@pytest.mark.parametrize("condition", sorted(CONDITIONS))
def test_failed_index_write_during_upload_is_rolled_back(own_copy, condition):
    """The uploader is told why in Swedish; the upload leaves the corpus; nothing else
    changes. (Another browser session searching *during* the failing build:
    tests/web/test_browser.py::test_a_failing_upload_never_disturbs_another_session.)"""
    index, corpus = own_copy / "index", own_copy / "corpus"
    before = current_version_dir(index).name
    with CONDITIONS[condition](index):
        uploader = start()
        upload(uploader, [("vatgas.md", UPLOAD, "text/markdown")])
        assert not uploader.exception, uploader.exception
        message = texts(uploader)
        cause = "disken är full" if condition == "full" else "mappen är skrivskyddad"
        assert "vatgas.md kunde inte läggas till" in message and cause in message, message
        assert "Traceback" not in message
        other = ask(start(), QUESTION)  # another session, while the folder is still broken
        assert not other.error and "Region Örebro län" in first_card(other)
    assert not (corpus / "vatgas.md").exists()
    assert list((corpus / ".karantan").glob("*-vatgas.md"))
    assert current_version_dir(index).name == before
    fresh = ask(start(), QUESTION)  # "after reload": no error anywhere, nothing retried
    assert not fresh.error and not fresh.exception
    assert "Region Örebro län" in first_card(fresh)


@pytest.mark.parametrize("condition", sorted(CONDITIONS))
def test_cli_and_embed_on_an_unwritable_index(own_copy, condition, real_embedder):
    index, corpus = own_copy / "index", own_copy / "corpus"
    build_index(corpus, index, real_embedder)  # an index of this very corpus …
    (corpus / "vatgas.md").write_bytes(UPLOAD)  # … which is now stale
    env_args = ["--index", str(index)]
    env = {"CONFSEARCH_CORPUS": str(corpus)}
    with CONDITIONS[condition](index):
        embed = subprocess.run(
            [sys.executable, "embed.py", "--corpus", str(corpus), *env_args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert embed.returncode == 2, embed.stderr
        assert "kunde inte skrivas" in embed.stderr and "Traceback" not in embed.stderr
        search = subprocess.run(
            [sys.executable, "-m", "confsearch", "search", QUESTION, *env_args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, **env},
        )
        assert search.returncode == 0, search.stderr
        assert "Region Örebro län" in search.stdout
        assert "Svarar från det befintliga indexet" in search.stderr
        assert "Traceback" not in search.stderr


def test_a_hostile_upload_is_named_with_its_limit_and_rolled_back(own_copy):
    """A .docx zip bomb uploaded in the page: read before it is saved, refused with the
    limit it broke, never written into the corpus; the page keeps answering."""
    from tests.reading.test_readers_limits import docx_bytes

    corpus = own_copy / "corpus"
    bomb = docx_bytes(60_000)  # more paragraphs than the 50 000 a .docx may have
    uploader = start()
    upload(
        uploader,
        [("bomb.docx", bomb, "application/vnd.openxmlformats-officedocument.wordprocessingml")],
    )
    assert not uploader.exception, uploader.exception
    message = texts(uploader)
    assert "bomb.docx lades inte till" in message and "stycken (gränsen)" in message, message
    assert "Traceback" not in message and "Klart!" not in message
    assert not (corpus / "bomb.docx").exists()
    assert not list(corpus.rglob("*bomb.docx"))  # no copy, not even in quarantine
    other = ask(start(), QUESTION)
    assert not other.error and "Region Örebro län" in first_card(other)
