"""The question's rules, shared by every front end: what a question may be and how many
hits may be asked for.

Base layer (imports nothing above :mod:`confsearch.messages`): the CLI checks a question
with these rules before anything heavy is loaded, the API answers a refused one with
the same Swedish message, and the search applies them again to whatever reaches it.
"""

from __future__ import annotations

import argparse

from confsearch.errors import ConfsearchError
from confsearch.messages import quoted

MAX_QUERY_CHARS = 2000
MAX_K = 100


class QueryError(ConfsearchError, ValueError):
    """The query cannot be searched; the message is for the user (Swedish)."""

    exit_code = 1
    http_status = 400


def clean_query(query: str) -> str:
    """Normalise what users paste: control characters out, whitespace collapsed, length capped."""
    if query is None:
        raise QueryError("Skriv en fråga.")
    cleaned = "".join(ch if ch.isprintable() or ch in " \t\n" else " " for ch in str(query))
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise QueryError("Skriv en fråga – sökrutan är tom.")
    if not any(ch.isalnum() for ch in cleaned):
        raise QueryError("Frågan innehåller inga ord att söka på. Skriv några ord.")
    return cleaned[:MAX_QUERY_CHARS]


def hits_count(value: str) -> int:
    """``--k`` and the API's ``k``: a whole number in 1–:data:`MAX_K` (argparse's error
    type, so the CLI prints the message as its own; the API reuses the wording)."""
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(value)} är inget heltal") from None
    if not 1 <= k <= MAX_K:
        raise argparse.ArgumentTypeError(f"antalet måste vara mellan 1 och {MAX_K} (fick {k})")
    return k
