"""Recognising an index folder before anything in it is written or deleted.

``embed.py --index X --replace`` once deleted everything in X: a user's spreadsheet, the
corpus itself, a whole checkout with ``--index .``. Now a folder is used for an index only
if it is one:

* it does not exist yet, or is empty (a new index: it is created and marked);
* it carries the marker file :data:`MARKER` with the format tag :data:`MARKER_TAG`;
* or it holds nothing but what an index writes (``CURRENT``, version folders, leftovers
  of builds, the lock) – an index built before the marker existed; it gets the marker.

Everything else – a folder with any other file, the corpus folder, a folder inside the
corpus or one that contains it – is refused with a Swedish message that says what to do
and never suggests a flag that would not help. ``--replace`` removes only the names an
index writes (:func:`own_entries`), so even a mistake cannot reach a user's files.
Reading an index never writes anything, the marker included.
"""

from __future__ import annotations

from pathlib import Path

from confsearch import messages
from confsearch.fsutil import atomic_write, display_name
from confsearch.retrieval.store.base import IndexError_

MARKER = "KONFERENSSOK-INDEX"
MARKER_TAG = "konferenssok-index 1"
# What a files index writes into its folder (confsearch.retrieval.store.files): the pointer, the
# marker, the build lock, version folders, and leftovers of crashed builds and atomic
# writes (".build-v-…", ".old-v-…", ".CURRENT.tmp-…").
_OWN_NAMES = {"CURRENT", MARKER, ".lock"}
_OWN_PREFIXES = ("v-", ".build-v-", ".old-v-", ".CURRENT.tmp-", f".{MARKER}.tmp-")
# Written by file browsers into any folder a user looks at; tolerated, never removed.
_BROWSER_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}


class NotAnIndexFolder(IndexError_):
    """The folder is not (and may not become) an index; nothing in it was touched."""


def is_own(name: str) -> bool:
    """Whether an index writes entries of this name (and ``--replace`` may remove it)."""
    return name in _OWN_NAMES or name.startswith(_OWN_PREFIXES)


def own_entries(index_dir: Path) -> list[Path]:
    """The entries of an index folder that the index wrote (``.lock`` excepted: it is
    held by whoever builds, and empty)."""
    if not index_dir.is_dir():
        return []
    return sorted(p for p in index_dir.iterdir() if is_own(p.name) and p.name != ".lock")


def _foreign(index_dir: Path) -> list[str]:
    return sorted(
        p.name for p in index_dir.iterdir() if not is_own(p.name) and p.name not in _BROWSER_FILES
    )


def check_overlap(index_dir: Path, corpus_dir: Path | None) -> None:
    """Refuse an index folder that is the corpus, lies inside it or contains it."""
    if corpus_dir is None:
        return
    index, corpus = Path(index_dir).resolve(), Path(corpus_dir).resolve()
    shown = {"index": display_name(str(index_dir)), "corpus": display_name(str(corpus_dir))}
    if index == corpus:
        raise NotAnIndexFolder(messages.INDEX_IS_CORPUS.format(**shown))
    if index in corpus.parents:
        raise NotAnIndexFolder(messages.INDEX_CONTAINS_CORPUS.format(**shown))
    if corpus in index.parents:
        raise NotAnIndexFolder(messages.INDEX_INSIDE_CORPUS.format(**shown))


def check_index_folder(index_dir: Path, corpus_dir: Path | None = None) -> None:
    """Raise :class:`NotAnIndexFolder` unless an index may be written (or replaced) in
    ``index_dir``: see the module docstring. Writes nothing."""
    index_dir = Path(index_dir)
    shown = display_name(str(index_dir))
    if index_dir.exists() and not index_dir.is_dir():
        raise NotAnIndexFolder(messages.NOT_A_FOLDER.format(index=shown))
    try:  # the FAISS library takes paths as UTF-8 text only
        str(index_dir.resolve()).encode("utf-8")
    except UnicodeEncodeError:
        raise NotAnIndexFolder(messages.INDEX_NAME_UNUSABLE.format(index=shown)) from None
    check_overlap(index_dir, corpus_dir)
    if not index_dir.exists():
        return
    marker = index_dir / MARKER
    if marker.exists():
        try:
            tag = marker.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            tag = ""
        if tag != MARKER_TAG:
            raise NotAnIndexFolder(messages.INDEX_MARKER_UNKNOWN.format(index=shown))
    foreign = _foreign(index_dir)
    if foreign:
        example = display_name(foreign[0])
        raise NotAnIndexFolder(
            messages.INDEX_HOLDS_OTHER_FILES.format(index=shown, example=example)
        )


def claim_index_folder(index_dir: Path, corpus_dir: Path | None = None) -> None:
    """Check ``index_dir`` (:func:`check_index_folder`), then create it if needed and
    mark it as an index (an index older than the marker is marked now)."""
    index_dir = Path(index_dir)
    check_index_folder(index_dir, corpus_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    if not (index_dir / MARKER).exists():
        atomic_write(index_dir / MARKER, (MARKER_TAG + "\n").encode())


def replace_hint(index_dir: Path) -> str:
    """What to do about an unreadable index: ``--replace`` only where it would work (the
    folder holds nothing but an index, see :mod:`confsearch.retrieval.store.folder`)."""
    try:
        check_index_folder(index_dir)
    except NotAnIndexFolder as exc:
        return str(exc)
    return (
        f"Konferenssök skriver aldrig över ett index som inte går att läsa. Om mappen ska "
        f"ersättas: `python embed.py --index {display_name(str(index_dir))} --replace`."
    )


MAX_POINTER_MOVES = 1000  # pointer re-reads while builds keep retiring what it named


def versions_on_disk(index_dir: Path) -> list[Path]:
    if not index_dir.is_dir():
        return []
    return sorted(p for p in index_dir.iterdir() if p.is_dir() and p.name[:2] == "v-")


def live_version(index_dir: Path) -> Path | None:
    """The version folder CURRENT names; None if there is no index. Raises if unreadable.

    A pointer can name a version that builds retired between reading the pointer and
    opening the folder (a reader paused on a busy machine). Read again while the
    pointer moves on: only a pointer that names no folder twice in a row is broken."""
    before = None
    for _ in range(MAX_POINTER_MOVES):
        name, path = _pointed(index_dir)
        if path is not None or name == before:
            break
        before = name
    if name is not None and (path is None or "/" in name or name.startswith(".")):
        raise IndexError_(
            f"Pekaren {index_dir / 'CURRENT'} pekar inte på någon indexversion "
            f"({name[:60]!r}). {replace_hint(index_dir)}"
        )
    return path


def _pointed(index_dir: Path) -> tuple[str | None, Path | None]:
    """CURRENT's name and its folder (None if missing); (None, None): no index."""
    pointer = index_dir / "CURRENT"
    if index_dir.exists() and not index_dir.is_dir():
        check_index_folder(index_dir)  # says it is no folder, never "--replace"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        if versions_on_disk(index_dir):
            raise IndexError_(
                f"Indexet i {index_dir} saknar sin pekare (CURRENT) men innehåller "
                f"indexversioner. {replace_hint(index_dir)}"
            ) from None
        return None, None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexError_(
            f"Pekaren {pointer} kunde inte läsas ({exc}). {replace_hint(index_dir)}"
        ) from exc
    path = index_dir / name
    return name, (path if name and path.is_dir() else None)
