"""Reading the corpus folder: every supported file → documents, sessions and passages.

The pipeline, one module per step: :mod:`confsearch.reading.readers` (bytes → text and blocks,
per format), :mod:`confsearch.reading.layout` (headings and paragraphs),
:mod:`confsearch.reading.sessions`
(blocks → sessions, with :mod:`confsearch.reading.people` for speakers and
:mod:`confsearch.reading.regions` for organisations) and :mod:`confsearch.reading.passages`
(sessions →
passages). The data classes live in :mod:`confsearch.reading.documents`.

Everything that can go wrong with one file (unreadable, binary, empty, too large, broken
JSON lines, duplicates) is reported as a :class:`ReadError` with a Swedish message and the
rest of the corpus is still read.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from confsearch.fsutil import display_name
from confsearch.messages import os_error_text
from confsearch.reading import docfacts, docmeta, overrides, programme
from confsearch.reading.documents import CorpusResult, Document, Passage, ReadError
from confsearch.reading.layout import Parsed
from confsearch.reading.passages import DEFAULT_MAX_TOKENS, build_passages
from confsearch.reading.readers import (
    SUPPORTED_EXTENSIONS,
    Budget,
    Unreadable,
    parse_file,
    parse_jsonl,
    title_from_filename,
)
from confsearch.text import words

# Bumped whenever the same files are read into different documents (new metadata, other
# speakers): the index fingerprint includes it, so indexes read by older rules are rebuilt
# (in the background; the old index keeps answering meanwhile).
READ_RULES = 5

# Larger files are named and skipped: 20 MB of text is ~3M words, hours of embedding on a
# laptop, and almost always an export that should be split or is not prose at all.
MAX_FILE_BYTES = 20 * 1024 * 1024


# ---------------------------------------------------------------------- the reader


def _relative_source(path: Path, root: Path) -> str:
    """The path shown for a file (relative to ``root``), whatever bytes its name holds."""
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        try:
            shown = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            shown = path.as_posix()
    return display_name(shown)


def file_stats(corpus_dir: Path, paths: list[Path]) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of each file that still exists: what the index
    fingerprint hashes (the name as the file system holds it, not as it is shown)."""
    out = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((path.relative_to(corpus_dir).as_posix(), st.st_size, st.st_mtime_ns))
    return out


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The files :func:`read_corpus` reads: supported types under ``corpus_dir``, sorted,
    skipping hidden files and folders (``.git/``) and Office lock files (``~$x.docx``).

    The index's staleness check hashes exactly these, so a file the reader ignores never
    triggers a rebuild."""
    out = []
    for dirpath, dirnames, filenames in os.walk(corpus_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith((".", "~")):  # hidden files, Office lock files
                continue
            path = Path(dirpath) / name
            if path.suffix.lower() in SUPPORTED_EXTENSIONS:
                out.append(path)
    return sorted(out, key=lambda p: p.relative_to(corpus_dir).as_posix())


def sidecar_files(corpus_dir: Path) -> list[Path]:
    """The ``name.meta.json`` files next to documents (:mod:`confsearch.reading.docmeta`), sorted,
    with the same hidden-file rules as :func:`corpus_files`. They are read with their
    document and count for the index fingerprint."""
    out = []
    for dirpath, dirnames, filenames in os.walk(corpus_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith((".", "~")) and docmeta.is_sidecar(Path(name)):
                out.append(Path(dirpath) / name)
    return sorted(out, key=lambda p: p.relative_to(corpus_dir).as_posix())


def _sidecar_fields(path: Path, fail) -> dict:
    """The sidecar fields of a document; a broken sidecar is reported, never fatal."""
    sidecar = docmeta.sidecar_path(path)
    try:
        return docmeta.read_sidecar(sidecar)
    except docmeta.SidecarError as exc:
        fail(
            f"Metadatafilen {exc.args[0]}; {path.name} lästes in utan dess uppgifter om "
            "titel, arrangör, evenemang, datum och webbadress.",
            "partial",
        )
        return {}


def _dedup_key(text: str) -> str:
    folded = " ".join(text.split()).casefold()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


def read_corpus(
    corpus_dir: Path,
    *,
    count_tokens: Callable[[str], int] | None = None,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    source_root: Path | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> CorpusResult:
    """Read every supported file under ``corpus_dir`` (recursively, in sorted order).

    ``count_tokens`` measures passage length (default :func:`approx_token_count`);
    passages are at most ``max_tokens`` long. ``source`` paths are relative to
    ``source_root`` (default: the parent of ``corpus_dir``), e.g.
    ``corpus/arskonferens-2022-larpass.txt``. Problems never abort the run: they are
    returned in ``errors``.
    """
    corpus_dir = Path(corpus_dir)
    root = Path(source_root) if source_root is not None else corpus_dir.parent
    documents: list[Document] = []
    passages: list[Passage] = []
    errors: list[ReadError] = []
    if not corpus_dir.is_dir():
        label = _relative_source(corpus_dir, root)
        errors.append(ReadError(label, f"Mappen {label} finns inte eller är ingen mapp."))
        return CorpusResult((), (), tuple(errors))

    seen_text: dict[str, str] = {}
    seen_ids: set[str] = set()
    seen_passage_ids: set[str] = set()
    files: list[tuple[str, int, int]] = []
    listed = corpus_files(corpus_dir)
    vanished = 0
    next_suffix: dict[str, int] = {}  # thousands of identical passages: no quadratic search
    for path in listed:
        source = _relative_source(path, root)
        # Names are shown, stored and used as ids in their displayable form; only the
        # fingerprint (``files``) keeps the bytes the file system holds.
        rel = display_name(path.relative_to(corpus_dir).as_posix())
        shown = Path(rel)

        def fail(message: str, kind: str = "error", source=source, rel=rel) -> None:
            errors.append(ReadError(source, message, kind, rel))

        try:
            st = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            vanished += 1
            fail(f"Kunde inte läsa {source}: filen försvann medan korpusen lästes.")
            continue
        except OSError as exc:  # e.g. a path longer than the system allows
            fail(f"Kunde inte läsa {source}: {os_error_text(exc)}.")
            continue
        files.append((path.relative_to(corpus_dir).as_posix(), st.st_size, st.st_mtime_ns))
        parsed_list = _parse(path, corpus_dir, source, max_file_bytes, fail)
        if parsed_list is None:
            continue
        sidecar = _sidecar_fields(path, fail)
        sidecar_sessions = overrides.read_sessions(docmeta.sidecar_path(path))
        base_id = shown.with_suffix("").as_posix()
        for parsed in parsed_list:
            label = source if parsed.doc_id is None else f"{source} (id {parsed.doc_id})"
            if not words(parsed.text):
                fail(f"Kunde inte läsa {label}: filen innehåller ingen text.")
                continue
            key = _dedup_key(parsed.text)
            if key in seen_text:
                fail(
                    f"{label} är en dubblett av {seen_text[key]} och lästes inte in igen.",
                    "duplicate",
                )
                continue
            doc_id = parsed.doc_id or base_id
            if doc_id in seen_ids:
                if parsed.doc_id is not None:
                    fail(
                        f"{label}: id:t {doc_id} används redan; raden lästes inte in.", "duplicate"
                    )
                    continue
                doc_id = rel
            seen_text[key] = label
            seen_ids.add(doc_id)
            fallback = parsed.title or title_from_filename(shown)
            title, sessions, labelled = programme.build(parsed, doc_id, source, fallback)
            sessions = overrides.apply(sessions, sidecar_sessions)
            own = {k: v for k, v in docmeta.clean(parsed.metadata).items() if k != "title"}
            title, fields = docmeta.describe(
                title,
                parsed.format_fields,
                docfacts.text_fields(parsed.text, title),
                {k: v for k, v in docmeta.clean(labelled).items() if k != "title"},
                docmeta.from_text(parsed.text, title),
                sidecar,
                own,
            )
            meta = {"format": parsed.fmt, **parsed.metadata, **fields}
            document = Document(
                doc_id=doc_id,
                title=title,
                source=source,
                sessions=tuple(sessions),
                metadata=meta,
                text=parsed.text,
            )
            documents.append(document)
            built = build_passages(document, count_tokens=count_tokens, max_tokens=max_tokens)
            if not built:
                fail(f"{label} innehåller bara rubriker, ingen brödtext att söka i.")
            for p in built:
                pid = p.id
                n = next_suffix.get(p.id, 2)  # the suffixes below n are all taken
                while pid in seen_passage_ids:  # identical passage twice in one session
                    pid = f"{p.id}-{n}"
                    n += 1
                next_suffix[p.id] = n
                seen_passage_ids.add(pid)
                passages.append(p if pid == p.id else _replace_id(p, pid))
    files.extend(file_stats(corpus_dir, sidecar_files(corpus_dir)))
    return CorpusResult(
        tuple(documents), tuple(passages), tuple(errors), tuple(files), len(listed), vanished
    )


def _read_regular_file(path: Path, root: Path, source: str, max_file_bytes: int) -> bytes:
    """The bytes of ``path`` if it is a regular file inside the corpus folder ``root``.

    A symlink that leaves the folder (``passwd.txt -> /etc/passwd``), a FIFO (which would
    block forever) or a device (``/dev/zero``: endless) is refused. The file is opened
    non-blocking and checked again on the open descriptor, so a file swapped for a FIFO
    after the first check cannot hang the build either.
    """
    real = path.resolve()
    if not real.is_relative_to(root.resolve()):
        raise Unreadable("filen är en länk till något utanför korpusmappen och lästes inte")
    st = os.stat(real)
    if not stat.S_ISREG(st.st_mode):
        raise Unreadable("det är ingen vanlig fil (utan t.ex. en enhet eller en namngiven pipe)")
    if st.st_size > max_file_bytes:
        raise Unreadable(
            f"filen är för stor ({st.st_size / 1048576:.0f} MB, gränsen är "
            f"{max_file_bytes / 1048576:.0f} MB) och lästes inte in. Dela upp den i mindre filer"
        )
    fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise Unreadable("det är ingen vanlig fil")
        data = f.read(max_file_bytes + 1)
    if len(data) > max_file_bytes:
        raise Unreadable(f"filen är större än gränsen {max_file_bytes / 1048576:.0f} MB")
    return data


def _parse(path: Path, root: Path, source: str, max_file_bytes: int, fail) -> list[Parsed] | None:
    """The parsed documents of one file, or None (the reason passed to ``fail``)."""
    try:
        data = _read_regular_file(path, root, source, max_file_bytes)
    except Unreadable as exc:
        fail(f"Kunde inte läsa {source}: {exc.args[0]}.")
        return None
    except OSError as exc:
        fail(f"Kunde inte läsa {source}: {os_error_text(exc)}.")
        return None
    if not data.strip():
        fail(f"Kunde inte läsa {source}: filen är tom.")
        return None
    try:
        if path.suffix.lower() != ".jsonl":
            return parse_file(path, data, Budget())
        parsed_list, problems = parse_jsonl(data)
    except Unreadable as exc:
        fail(f"Kunde inte läsa {source}: {exc.args[0]}.")
        return None
    except MemoryError:
        fail(f"Kunde inte läsa {source}: filen kräver mer minne än det finns att tillgå.")
        return None
    except Exception:  # a reader library failing on a malformed file (its words: the log)
        logging.getLogger(__name__).warning("could not parse %s", source, exc_info=True)
        fail(f"Kunde inte läsa {source}: filens innehåll gick inte att tolka.")
        return None
    if problems:
        total = len(problems) + len(parsed_list)
        fail(
            f"{len(problems)} av {total} rader i {source} kunde inte läsas: "
            + ", ".join(problems)
            + ".",
            "partial" if parsed_list else "error",
        )
    return parsed_list


def _replace_id(p: Passage, pid: str) -> Passage:
    return replace(p, id=pid)
