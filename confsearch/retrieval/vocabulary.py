"""The corpus side of grounding: what names and words the texts mention.

:class:`Vocabulary` is built with the index and saved beside it: the corpus's one-word
names (folded) with their embeddings, its names (runs of capitalised words and acronyms,
folded) and the gazetteer organisations it mentions. :mod:`confsearch.retrieval.grounding`
looks a question's names and terms up in it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from confsearch.reading.regions import find_mentions
from confsearch.retrieval.blobs import npy_array, npy_bytes, read_blobs
from confsearch.text import STOPWORDS, fold, is_generic, normalize
from confsearch.tuning import SAME_WORD

# SAME_WORD (confsearch.tuning): query-to-query cosine of two words above which they are
# the same word in another language or spelling (multilingual-e5-small: translations
# 0.92-0.97, related words 0.85-0.91, unrelated 0.78-0.85; measured on word pairs, see
# docs/benchmarks.md).
MAX_VOCABULARY = 50_000  # most frequent one-word corpus names embedded at build time
MIN_WORD_LEN = 3
FORMAT_VERSION = 1

TOKEN_RE = re.compile(r"[^\W\d_][\w-]*(?::s)?|\d+", re.UNICODE)
CAPITALISED_RE = re.compile(r"^[A-ZÅÄÖÆØÉÜ][\w-]*$")
ACRONYM_RE = re.compile(r"^[A-ZÅÄÖ]{2,6}(?:s|:s|:en|:er)?$")


def strip_genitive(word: str) -> str:
    if word.endswith(":s"):
        return word[:-2]
    return word


def name_key(words: Sequence[str]) -> str:
    """ "Kjell-Håkan Närfelt" and "Kjell Håkan Närfelt" are one name."""
    return " ".join(fold(strip_genitive(w)).replace("-", " ") for w in words).strip()


# ---------------------------------------------------------------- the corpus side


class Vocabulary:
    """What the corpus mentions, for grounding: its one-word names (folded) with their
    embeddings, its names (runs of capitalised words and acronyms, folded) and the gazetteer
    organisations it mentions. Built with the index, saved beside it."""

    def __init__(
        self,
        words: list[str],
        vectors: np.ndarray,
        names: set[str],
        organisations: set[str],
    ) -> None:
        self.words = words
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.names = names
        self.organisations = organisations

    @cached_property
    def word_set(self) -> frozenset[str]:
        """:attr:`words` as a set, for look-ups question after question."""
        return frozenset(self.words)

    @classmethod
    def build(cls, texts: Sequence[str], organisations: set[str], embedder) -> Vocabulary:
        counts: Counter[str] = Counter()
        surfaces: dict[str, Counter[str]] = {}
        names: set[str] = set()
        orgs = set(organisations)
        for text in texts:
            tokens = TOKEN_RE.findall(normalize(text))
            run: list[str] = []
            for tok in [*tokens, ""]:
                if tok and (CAPITALISED_RE.match(tok) or ACRONYM_RE.match(tok)):
                    run.extend(name_key([tok]).split())
                    bare = strip_genitive(tok)
                    surfaces.setdefault(fold(bare), Counter())[bare.lower()] += 1
                    continue
                for i in range(len(run)):  # every sub-run: "per erik andersson", "andersson"
                    for j in range(i + 1, min(len(run), i + 4) + 1):
                        names.add(" ".join(run[i:j]))
                run = []
                if tok:
                    w = fold(tok)
                    common = w in STOPWORDS or tok.lower() in STOPWORDS  # "när" folds to "nar"
                    if len(w) >= MIN_WORD_LEN and w.isalpha() and not common:
                        counts[w] += 1
                        surfaces.setdefault(w, Counter())[tok.lower()] += 1
            orgs.update(m.name for m in find_mentions(text))
        # Sorted, so tied counts keep one order whatever the hash seed: two builds of the
        # same texts must give the same vocabulary (and the same cut at MAX_VOCABULARY).
        for name in sorted(names):
            if " " not in name and name.isalpha():
                counts[name] += 1
        # Only names are looked up by meaning (topic words by their letters, see the module
        # docstring), so only the one-word names are embedded: on 280 texts 3,084 words
        # took 16.5 s, most of the vocabulary's build time; its names are a tenth of that.
        # Each word is embedded as the texts write it ("mål"), looked up folded ("mal"):
        # a folded spelling is often another word, or none, and its vector says so
        # ("malm" ~ "mal" 0.95, "flyg" ~ "fly" 0.94 before this).
        one_word = [w for w, _ in counts.most_common() if w in names]
        spelled = {w: surfaces[w].most_common(1)[0][0] if w in surfaces else w for w in one_word}
        # A capitalised stopword opening a sentence ("När …") is no name.
        words = [w for w in one_word if not is_generic(w) and not is_generic(spelled[w])]
        words = words[:MAX_VOCABULARY]
        written = [spelled[w] for w in words]
        vectors = (
            embedder.encode_queries(written)
            if words
            else np.zeros((0, embedder.dim), dtype=np.float32)
        )
        return cls(words, vectors, names, orgs)

    def to_blobs(self) -> dict[str, bytes]:
        """The vocabulary as named files' bytes (``vocabulary.*``), what :meth:`save` writes."""
        meta = {
            "format": FORMAT_VERSION,
            "words": self.words,
            "names": sorted(self.names),
            "organisations": sorted(self.organisations),
        }
        return {
            "vocabulary.npy": npy_bytes(self.vectors.astype(np.float16)),
            "vocabulary.json": json.dumps(meta, ensure_ascii=False).encode("utf-8"),
        }

    @classmethod
    def from_blobs(cls, blobs: Mapping[str, bytes]) -> Vocabulary:
        meta = json.loads(blobs["vocabulary.json"].decode("utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported vocabulary format {meta.get('format')!r}")
        vectors = npy_array(blobs["vocabulary.npy"])
        return cls(meta["words"], vectors, set(meta["names"]), set(meta["organisations"]))

    def save(self, directory: Path) -> None:
        for name, data in self.to_blobs().items():
            (Path(directory) / name).write_bytes(data)

    @classmethod
    def load(cls, directory: Path) -> Vocabulary:
        return cls.from_blobs(read_blobs(Path(directory), "vocabulary."))

    def same_word(self, vectors: np.ndarray) -> list[str | None]:
        """For each query-word vector, the corpus word it is the same word as, or None."""
        if not len(self.words) or not len(vectors):
            return [None] * len(vectors)
        sims = vectors @ self.vectors.T
        best = sims.argmax(axis=1)
        return [self.words[int(b)] if sims[i, b] >= SAME_WORD else None for i, b in enumerate(best)]
