"""The lexical index and the grounding vocabulary as a store's named blobs, and back.

A store saves named bytes and arrays and knows nothing of what they mean; this module is
the one place that turns :class:`~confsearch.retrieval.lexical.LexicalIndex` and
:class:`~confsearch.retrieval.grounding.Vocabulary` into blobs when an index is built, and
blobs back into objects when it is loaded. The names are the files' paths in a files
index (``lexical/lexical.meta.json``), so indexes written before load unchanged.
"""

from __future__ import annotations

from confsearch.messages import REBUILD_HINT
from confsearch.retrieval.lexical import LexicalIndex
from confsearch.retrieval.store.base import IndexError_, LoadedIndex
from confsearch.retrieval.vocabulary import Vocabulary

FOLDER = "lexical"  # both kinds of blob live in this folder of a version


def to_blobs(lexical: LexicalIndex, vocabulary: Vocabulary | None) -> dict[str, bytes]:
    """The blobs a store keeps for ``lexical`` and ``vocabulary`` (None: no grounding)."""
    parts = dict(lexical.to_blobs())
    if vocabulary is not None:
        parts.update(vocabulary.to_blobs())
    return {f"{FOLDER}/{name}": data for name, data in parts.items()}


def from_blobs(blobs: dict[str, bytes]) -> tuple[LexicalIndex, Vocabulary | None]:
    """The objects :func:`to_blobs` stored. Raises :class:`IndexError_` (Swedish)."""
    parts = {
        name.split("/", 1)[1]: data for name, data in blobs.items() if name.startswith(f"{FOLDER}/")
    }
    try:
        lexical = LexicalIndex.from_blobs(parts)
        has_vocabulary = "vocabulary.json" in parts
        vocabulary = Vocabulary.from_blobs(parts) if has_vocabulary else None
    except (OSError, ValueError, KeyError) as exc:
        raise IndexError_(
            f"Indexets lexikala del kunde inte läsas ({exc}). {REBUILD_HINT}"
        ) from exc
    return lexical, vocabulary


def open_parts(index: LoadedIndex, location: str) -> LoadedIndex:
    """Make ``index``'s lexical index and vocabulary from the blobs its store read."""
    index.lexical, index.vocabulary = from_blobs(index.blobs)
    index.blobs = {}
    if len(index.lexical) != len(index.passages):
        raise IndexError_(f"Indexets delar i {location} har olika storlek. {REBUILD_HINT}")
    return index
