"""Saving a file a user uploads into the corpus folder: checked, sanitised, never overwriting.

The allowed types and the size limit are the corpus reader's own
(:data:`confsearch.reading.readers.SUPPORTED_EXTENSIONS`,
:data:`confsearch.reading.corpus.MAX_FILE_BYTES`),
so the page accepts exactly what the index can read.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from pathlib import Path

from confsearch.errors import ConfsearchError
from confsearch.markup import md_escape
from confsearch.messages import index_size, os_error_text
from confsearch.reading.corpus import MAX_FILE_BYTES
from confsearch.reading.documents import ReadError
from confsearch.reading.readers import SUPPORTED_EXTENSIONS

ALLOWED_UPLOAD_TYPES = tuple(sorted(ext.lstrip(".") for ext in SUPPORTED_EXTENSIONS))
MAX_UPLOAD_BYTES = MAX_FILE_BYTES
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)
MAX_NAME_CHARS = 80
# A file system allows 255 bytes per name; 80 letters of three or four bytes each exceed
# it. This leaves room for "-2", the type and the quarantine's "<8 hex>-" prefix.
MAX_NAME_BYTES = 160


class UploadError(ConfsearchError, ValueError):
    """An upload was refused; the message is for the user (Swedish)."""

    http_status = 400


def allowed_types_text() -> str:
    return ", ".join(f".{t}" for t in ALLOWED_UPLOAD_TYPES)


def sanitize_filename(name: str) -> str:
    """A safe corpus file name from whatever the browser sent.

    Drops any directory part (``../``, ``C:\\…``), control characters and characters
    outside letters, digits and ``-_. ()``; never returns a hidden name (leading dot or
    ``~``); refuses types that are not allowed.
    """
    raw = unicodedata.normalize("NFC", str(name or ""))
    raw = raw.replace("\\", "/").split("/")[-1]
    raw = "".join(ch for ch in raw if ch.isprintable())
    raw = re.sub(r"[^\w\-. ()]+", "_", raw)
    raw = " ".join(raw.split())
    stem, dot, ext = raw.rpartition(".")
    if not dot:
        stem, ext = raw, ""
    ext = ext.lower().strip()
    if ext not in ALLOWED_UPLOAD_TYPES:
        shown = f".{ext}" if ext else "utan filändelse"
        raise UploadError(
            f"Filtypen {shown} stöds inte. Tillåtna filtyper: {allowed_types_text()}."
        )
    stem = re.sub(r"\.{2,}", ".", stem).strip(" ._-~")[:MAX_NAME_CHARS]
    stem = stem.encode()[:MAX_NAME_BYTES].decode("utf-8", "ignore").strip(" ._-~")
    return f"{stem or 'dokument'}.{ext}"


def _sniff(ext: str, data: bytes) -> None:
    if ext == "docx" and not data.startswith(b"PK\x03\x04"):
        raise UploadError("Filen ser inte ut som ett Word-dokument (.docx).")
    if ext == "pdf" and not data.lstrip()[:5].startswith(b"%PDF"):
        raise UploadError("Filen ser inte ut som en PDF.")
    if ext not in ("docx", "pdf") and b"\x00" in data[:65536]:
        raise UploadError("Filen ser inte ut som en textfil (den innehåller binära data).")


def save_upload(corpus_dir: Path, name: str, data: bytes) -> Path:
    """Write an uploaded file into the corpus folder; returns the path it got.

    An existing file is never overwritten: ``rapport.pdf`` becomes ``rapport-2.pdf`` and
    so on. The file appears under its final name only when completely written (hard
    link of a hidden temporary file, which the corpus reader ignores).
    """
    if len(data) == 0:
        raise UploadError("Filen är tom.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"Filen är {len(data) / 1024 / 1024:.1f} MB; största tillåtna storlek är "
            f"{MAX_UPLOAD_MB} MB."
        )
    safe = sanitize_filename(name)
    stem, _, ext = safe.rpartition(".")
    _sniff(ext, data)
    corpus_dir = Path(corpus_dir)
    try:
        corpus_dir.mkdir(parents=True, exist_ok=True)
        tmp = corpus_dir / f".upload-{secrets.token_hex(6)}.part"
        with tmp.open("xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise UploadError(
            f"Filen kunde inte sparas i korpusmappen ({os_error_text(exc)})."
        ) from exc
    try:
        for n in range(1, 1000):
            candidate = corpus_dir / (safe if n == 1 else f"{stem}-{n}.{ext}")
            try:
                os.link(tmp, candidate)  # fails if the name exists: no silent overwrite
            except FileExistsError:
                continue
            except OSError as exc:
                raise UploadError(
                    f"Filen kunde inte sparas i korpusmappen ({os_error_text(exc)})."
                ) from exc
            return candidate
        raise UploadError("Det finns redan för många filer med det namnet.")
    finally:
        tmp.unlink(missing_ok=True)


QUARANTINE = ".karantan"  # hidden: the corpus reader never reads it


def quarantine(corpus_dir: Path, path: Path) -> Path | None:
    """Move an upload that could not be indexed out of the corpus (into a hidden folder
    of it, so it can still be found); removed if even that fails. Returns where it went."""
    target_dir = Path(corpus_dir) / QUARANTINE
    try:
        target_dir.mkdir(exist_ok=True)
        target = target_dir / f"{secrets.token_hex(4)}-{path.name}"
        os.replace(path, target)
        return target
    except OSError:
        Path(path).unlink(missing_ok=True)
        return None


def judge_uploads(
    corpus_dir: Path, saved: list[Path], report: dict
) -> tuple[list[Path], list[tuple[str, str]]]:
    """After a build: the uploads that could not be read (quarantined here), and the
    notes to show (kind, Markdown). Problems are matched to uploads by their path inside
    the corpus folder: an unreadable corpus/sub/x.pdf says nothing about a new upload
    x.pdf."""
    problems = {e["file"]: e for e in report["errors"]}
    rejected: list[Path] = []
    notes: list[tuple[str, str]] = []
    for path in saved:
        problem = problems.get(path.relative_to(corpus_dir).as_posix())
        if problem is None:
            continue
        error = ReadError(
            problem.get("path", ""), problem["message"], problem["kind"], problem["file"]
        )
        if problem["kind"] == "duplicate":  # the same text is there already: no copy kept
            rejected.append(path)
            path.unlink(missing_ok=True)
            message = f"{md_escape(path.name)} lades inte till: texten finns redan i korpusen."
            notes.append(("info", message))
        elif problem["kind"] == "error":
            rejected.append(path)
            quarantine(corpus_dir, path)
            message = f"{md_escape(path.name)} lades inte till: {md_escape(error.reason())}"
            notes.append(("error", message))
        else:
            notes.append(("warning", md_escape(error.for_user())))
    return rejected, notes


def rolled_back_message(saved: list[Path], reason: str) -> str:
    """The uploader's message when the build failed and the uploads were taken back."""
    names = ", ".join(md_escape(p.name) for p in saved)
    return (
        f"{names} kunde inte läggas till: {md_escape(reason)} "
        "Filen har tagits bort ur korpusen igen; sökningen fungerar som förut."
    )


def added_message(added: list[Path], report: dict) -> str:
    """ "Klart! x.pdf är sökbar nu. Indexet har …" (Markdown)."""
    names = ", ".join(md_escape(p.name) for p in added)
    return (
        f"Klart! {names} är {'sökbar' if len(added) == 1 else 'sökbara'} nu. "
        f"Indexet har {index_size(report)}."
    )
