"""Taking a document out of the corpus folder (the Korpus tab and ``python -m confsearch
remove``), putting a new version in its place (:func:`replace_document`), and checking an
upload before it is saved (already there, or unreadable), so that a batch with nothing to
add never rebuilds the index.

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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from confsearch.errors import ConfsearchError
from confsearch.reading.corpus import corpus_files, read_corpus
from confsearch.reading.docmeta import sidecar_path
from confsearch.reading.uploads import UploadError, sanitize_filename, save_upload

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


@dataclass(frozen=True)
class Replaced:
    """A replacement: the new file, and where the old one went (or is back, if not ``ok``)."""

    ok: bool
    new: Path | None
    old: Path


def replace_document(
    corpus_dir: Path, name: str, upload_name: str, data: bytes, rebuild: Callable[[], bool]
) -> Replaced:
    """Put a new version of the corpus file ``name`` in its place and ``rebuild`` the index.

    The new file keeps the old one's name (with the upload's type) and folder, so its
    details file still applies. The old file is moved into :data:`REMOVED`, not deleted.
    If the new file is refused (:class:`UploadError`), or ``rebuild`` fails or raises,
    the old file is put back where it was and the new one taken out again: a failed
    replacement loses nothing, and the index (not rebuilt) still matches the folder.
    """
    corpus_dir = Path(corpus_dir)
    old = in_corpus(corpus_dir, name)
    check_upload(corpus_dir, upload_name, data)  # refused before anything is touched
    ext = sanitize_filename(upload_name).rpartition(".")[2]
    backup = corpus_dir / REMOVED / f"{secrets.token_hex(4)}-{old.name}"
    try:
        backup.parent.mkdir(exist_ok=True)
        os.replace(old, backup)
    except OSError as exc:
        raise CorpusFileError(
            f"{old.name} kunde inte ersättas ({exc.strerror or 'okänt fel'})."
        ) from exc
    new: Path | None = None
    ok = False
    try:
        new = save_upload(old.parent, f"{old.stem}.{ext}", data)
        ok = bool(rebuild())
    finally:
        if not ok:
            if new is not None:
                new.unlink(missing_ok=True)
            os.replace(backup, old)
    return Replaced(ok, new if ok else None, backup if ok else old)
