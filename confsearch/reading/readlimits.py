"""What reading one file may cost, and how a reader says it cannot read a file.

Every reader is bounded by the same limits (characters, blocks, elements, pages, seconds),
so they live apart from the formats that check them: a format module imports its limits
and raises :class:`Unreadable` with a Swedish reason.
"""

from __future__ import annotations

import re
import time

from confsearch.reading.layout import (
    Parsed,
)

# ---------------------------------------------------------------- limits
# Every reader is bounded: a file over a limit is refused with a message that names the
# limit, and the rest of the corpus is read. Reading is linear in the text length, so
# these bound the time and memory one file can cost (tests/reading/test_readers_limits.py).
MAX_DOCUMENT_CHARS = 5_000_000  # about 2 500 pages of prose
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a .docx unpacked: every file inside the zip
MAX_DOCX_PARAGRAPHS = 50_000
# Paragraphs (blocks) of one document in any format, and documents of one .jsonl file:
# building passages costs about 0.2 ms per paragraph, so this bounds a 5 MB text of one-word
# paragraphs (1 000 000 of them, minutes) at the cost of the longest .docx accepted.
MAX_BLOCKS = 50_000
MAX_JSONL_DOCUMENTS = 50_000
MAX_DOCX_ELEMENTS = 1_000_000  # every XML part of a .docx together, whatever the prefix
MAX_HTML_ELEMENTS = 200_000
MAX_PDF_PAGES = 5_000
FILE_SECONDS = 120.0  # reading one file; checked between pages, paragraphs and elements


class Budget:
    """The time one file may take to read (checked cooperatively by the readers)."""

    def __init__(self, seconds: float = FILE_SECONDS) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise Unreadable(
                f"filen tog längre tid än {self.seconds:.0f} sekunder att läsa (gränsen) och "
                "lästes inte in"
            )


def megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def check_chars(text: str) -> str:
    if len(text) > MAX_DOCUMENT_CHARS:
        raise Unreadable(
            f"filen innehåller {len(text):,} tecken; gränsen är {MAX_DOCUMENT_CHARS:,} tecken "
            "per dokument. Dela upp den i mindre filer".replace(",", " ")
        )
    return text


# What the user can do about a file the reader library refuses; the library's own words
# (an exception name, "Stream has ended unexpectedly") mean nothing to her.
UNREADABLE_WORD = (
    "Word-filen går inte att öppna; den kan vara skadad. Öppna den i Word, spara den på "
    "nytt och försök igen"
)
UNREADABLE_PDF = (
    "PDF-filen är trasig eller går inte att läsa. Spara eller exportera den på nytt som "
    "PDF och försök igen"
)


class Unreadable(Exception):
    """Internal: a file cannot be turned into text; ``args[0]`` is the Swedish reason."""


BLANK_RUN_RE = re.compile(r"\n(?:[^\S\n]*\n)+")


def too_many_blocks() -> Unreadable:
    return Unreadable(
        f"filen har fler än {MAX_BLOCKS:,} stycken (gränsen). Dela upp den i mindre filer".replace(
            ",", " "
        )
    )


def check_blocks(parsed: Parsed) -> Parsed:
    if len(parsed.blocks) > MAX_BLOCKS:
        raise too_many_blocks()
    return parsed
