"""File helpers shared by the model cache and the index: hashing and crash-safe writes."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable (the directory entry itself is synced)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` so readers see either the old or the new content, never a mix."""
    tmp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(4)}")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


# Characters a file name may hold that would break or disguise a line of output: C0/C1
# controls (a newline forges a line) and the bidirectional controls that reorder text
# (an RTL override makes "gpj.exe" read "exe.jpg").
_UNSHOWABLE = {c: "\ufffd" for c in [*range(0x20), *range(0x7F, 0xA0)]}
_UNSHOWABLE.update(
    {c: "\ufffd" for c in [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
)


def name_bytes(name: str) -> bytes:
    """The bytes of a file name as the file system holds them (names that are not UTF-8
    come from :mod:`os` with lone surrogates; this gives the original bytes back)."""
    return os.fsencode(name)


def display_name(name: str) -> str:
    """A file name (or relative path) safe to show, store as UTF-8 and print: bytes that
    are not UTF-8 (a Latin-1 "F\\xf6rslag.txt" from a Windows zip) and control or
    direction characters become the replacement character "\ufffd"."""
    text = name_bytes(name).decode("utf-8", errors="replace")
    return text.translate(_UNSHOWABLE)


def folder_label(path: Path | str) -> str:
    """The absolute folder as a manifest records it (``corpus_dir``) and compares it:
    :func:`display_name` of the resolved path, so a folder whose name is not UTF-8 can be
    stored as JSON and still be recognised as the same folder."""
    return display_name(str(Path(path).resolve()))
