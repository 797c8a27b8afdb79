"""Taking a document out of the corpus folder (the Korpus tab and ``python -m confsearch
remove``), and checking an upload before it is saved (already there, or unreadable), so
that a batch with nothing to add never rebuilds the index.

A removed file is moved into a hidden folder of the corpus (:data:`REMOVED`, never read
by the corpus reader), not deleted: a click on the wrong row can be undone by moving the
file back. The index is then rebuilt by the caller; the build reuses every stored
embedding (the content-hash cache of :mod:`confsearch.retrieval.index`), so only the removed
passages change and nothing is embedded again.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from pathlib import Path, PurePosixPath

from confsearch.errors import ConfsearchError
from confsearch.reading.corpus import corpus_files, read_corpus
from confsearch.reading.docmeta import sidecar_path
from confsearch.reading.uploads import UploadError, sanitize_filename

REMOVED = ".borttagna"  # hidden: the corpus reader never reads it


class CorpusFileError(ConfsearchError, ValueError):
    """The file cannot be removed; the message is for the user (Swedish)."""

    http_status = 400


def in_corpus(corpus_dir: Path, name: str) -> Path:
    """The corpus file called ``name`` (its path inside the corpus folder, "sub/x.pdf",
    or an index's source "corpus/sub/x.pdf"); only a file the corpus reader reads."""
    corpus_dir = Path(corpus_dir)
    files = {p.relative_to(corpus_dir).as_posix(): p for p in corpus_files(corpus_dir)}
    parts = PurePosixPath(str(name).replace("\\", "/")).parts
    for candidate in (parts, parts[1:]):  # with or without the corpus folder's name
        key = "/".join(candidate)
        if key in files:
            return files[key]
    raise CorpusFileError(f"Dokumentet {name} finns inte i korpusmappen.")


def remove_document(corpus_dir: Path, name: str) -> Path:
    """Move the corpus file ``name`` (and its details file, if any) out of the corpus;
    returns where it went."""
    path = in_corpus(corpus_dir, name)
    target_dir = Path(corpus_dir) / REMOVED
    token = secrets.token_hex(4)
    try:
        target_dir.mkdir(exist_ok=True)
        target = target_dir / f"{token}-{path.name}"
        os.replace(path, target)
        sidecar = sidecar_path(path)  # the document's details go with it
        if sidecar.is_file():
            os.replace(sidecar, target_dir / f"{token}-{sidecar.name}")
    except OSError as exc:
        raise CorpusFileError(
            f"{path.name} kunde inte tas bort ur korpusmappen ({exc.strerror or 'okänt fel'})."
        ) from exc
    return target


def same_file(corpus_dir: Path, data: bytes) -> Path | None:
    """A corpus file with exactly these bytes (an upload of a file already there)."""
    digest = hashlib.sha256(data).digest()
    for path in corpus_files(Path(corpus_dir)):
        try:
            if path.stat().st_size == len(data) and (
                hashlib.sha256(path.read_bytes()).digest() == digest
            ):
                return path
        except OSError:
            continue
    return None


def check_upload(corpus_dir: Path, name: str, data: bytes) -> None:
    """Refuse an upload (:class:`UploadError`, Swedish) that is already in the corpus
    byte for byte, or that the corpus reader cannot read: it is never saved, and a batch
    of such files never starts a build."""
    copy = same_file(corpus_dir, data)
    if copy is not None:
        where = copy.relative_to(corpus_dir).as_posix()
        raise UploadError(f"Filen finns redan i korpusen (som {where}).")
    safe = sanitize_filename(name)
    with tempfile.TemporaryDirectory(prefix="confsearch-upload-") as tmp:
        folder = Path(tmp) / "korpus"
        folder.mkdir()
        (folder / safe).write_bytes(data)
        result = read_corpus(folder)
    errors = [e for e in result.errors if e.kind == "error"]
    if errors:
        raise UploadError(errors[0].reason())
