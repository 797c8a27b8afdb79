"""Swedish lexical (BM25) index: answering queries with numpy only.

Terms come from :func:`confsearch.analysis.analyze` (stem, then fold accents). Building
the index (bm25s, compound parts) lives in :mod:`confsearch.retrieval.lexicalbuild`.

Design notes (numbers measured on corpus/arskonferens-2022-larpass.txt and a synthetic
100k-passage corpus while building this module):

* Stem, *then* fold. Folding first lets the stemmer see suffixes that were not there
  ("värmlandsråd" -> "varmlandsrad" -> "varmlandsr", as "-ad" is a Swedish suffix, while
  "värmlandsrådet" -> "varmlandsrad"). Of 229 accented words in the sample corpus,
  ``fold(stem(w)) == stem(fold(w))`` holds for 220; on 40 hand-made inflection groups of
  accented words stem-then-fold conflates 33 fully, fold-then-stem 30. To make the other
  spelling work too, the index keeps (a) aliases ``stem(fold(w)) -> fold(stem(w))`` for
  the words where the two differ and (b) the folded spelling of every corpus word
  ("varmlandsradet" -> term of "värmlandsrådet"). An unaccented query then finds all
  documents of its word for 228/229 of those words (stem-then-fold alone: 219/229;
  fold-then-stem: 228/229 but worse inflection conflation). The miss is "män" typed as
  "man", which is a stopword.
* Compounds are split against the corpus vocabulary (:func:`decompound`, :class:`_Lexicon`):
  known head + optional linking morpheme (s, e, o, u) + known tail, recursively, at most 3
  parts of >= 3 letters (a 3-letter tail only after a linking "s": "värmlands|råd", not
  "indi|vid"), else a known tail of 5+ letters after a head that starts other words too
  ("cykel|bibliotek" when "cykeltyp" exists). Parts are extra index terms for every
  occurrence of the compound; at query time they get weight 0.5 next to the whole term, so
  "cykelbibliotek" is found by "bibliotek", "bibliotek för cyklar" is found by
  "cykelbibliotek", and the exact compound still ranks first. A query word unknown to the
  corpus also matches known compounds ending with it, or starting with it before a known
  word or a rest of 5+ letters ("framgång" -> "framgångsfaktorer"; best one counts, weight
  0.5).
* Typo tolerance: a query term that is unknown and not a compound is mapped to the nearest
  vocabulary term (:mod:`confsearch.retrieval.typos`).
* Scoring is bm25s's (method "lucene": ``idf = ln(1 + (N - df + .5) / (df + .5))`` times
  ``tf / (tf + k1 * (1 - b + b * dl / avgdl))``). bm25s builds and stores the sparse
  term x doc score matrix; a query adds (weighted) columns of it with numpy.
* Speed (this machine, 100k passages / 90M chars / 370k terms): build 25 s, save 1.2 s
  (98 MB), load 0.5 s, queries < 1 ms (first typo correction ~0.4 s while the per-letter
  candidate tables are built, then ~10 ms), a 10 000-character query < 0.1 s.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from itertools import chain
from pathlib import Path

import numpy as np

from confsearch.analysis import (
    LINKS,
    MIN_PART,
    Lexicon,
    derivation_base,
    folded_term,
    is_stopword,
    stem,
    surface_words,
    term_of,
)
from confsearch.retrieval.blobs import npy_array, npy_bytes, read_blobs
from confsearch.retrieval.lexicalbuild import ScoreMatrix, build_parts
from confsearch.retrieval.typos import FUZZY_MIN_LEN, TypoIndex
from confsearch.text import fold_accents
from confsearch.tuning import COMPOUND_MIN_KEY, MIN_HEAD_TAIL

__all__ = ["LexicalIndex"]

FORMAT_VERSION = 2  # 2: the score matrix is written by us (no bm25s needed to load)
MAX_QUERY_WORDS = 256  # distinct query words considered; a 10 000-char query stays fast
MAX_FUZZY_LOOKUPS = 8  # unknown query terms corrected per query
MAX_COMPOUND_EXPANSIONS = 64


class _FreqView(Mapping[str, int]):
    """Read-only term -> frequency view over the vocabulary and a frequency array."""

    def __init__(self, vocab: Mapping[str, int], freq: np.ndarray):
        self._vocab = vocab
        self._freq = freq

    def __getitem__(self, term: str) -> int:
        return int(self._freq[self._vocab[term]])

    def __iter__(self):
        return iter(self._vocab)

    def __len__(self) -> int:
        return len(self._vocab)


# ---------------------------------------------------------------------------- index


_Alt = list[tuple[int, float]]  # one reading of a query word: (term id, weight) summed


class LexicalIndex:
    """BM25 over Swedish terms, with decompounding, accent folding and typo tolerance."""

    def __init__(
        self,
        matrix: ScoreMatrix,
        n_docs: int,
        *,
        config: dict,
        lexicon: dict[str, str],
        aliases: dict[str, list[str]],
        freq: np.ndarray,
    ) -> None:
        self._n_docs = n_docs
        self._config = config
        self._aliases = aliases
        # The term x document BM25 score matrix (column-compressed: one column per term),
        # as bm25s computes it at build time; searching needs only these arrays.
        self._vocab: dict[str, int] = matrix.vocab
        self._data = np.asarray(matrix.data, dtype=np.float32)
        self._indices = np.asarray(matrix.indices)
        self._indptr = np.asarray(matrix.indptr).astype(np.int64)
        self._terms = [""] * len(self._vocab)
        for term, tid in self._vocab.items():
            self._terms[tid] = term
        df = np.diff(self._indptr)
        # The lexicon holds the (alphabetic) vocabulary plus folded spellings of words
        # whose term differs from them; only the latter are stored.
        entries = {t: t for t in self._vocab if len(t) >= MIN_PART and t.isalpha()}
        entries.update(lexicon)
        self._lexicon_extra = lexicon
        # Word frequencies rank competing splits; they are saved so that a loaded index
        # splits query words exactly as the documents were split.
        self._freq = np.asarray(freq, dtype=np.int64)
        self._lex = Lexicon(entries, _FreqView(self._vocab, self._freq), config["min_part"])
        self._typos = TypoIndex(self._terms, df)

    # ------------------------------------------------------------------ building

    @classmethod
    def build(
        cls,
        texts: list[str],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        decompound: bool = True,
        fuzzy: bool = True,
    ) -> LexicalIndex:
        """Index ``texts`` (document i = ``texts[i]``), built by
        :func:`confsearch.retrieval.lexicalbuild.build_parts`."""
        parts = build_parts(texts, k1=k1, b=b, decompound=decompound, fuzzy=fuzzy)
        return cls(
            parts.matrix,
            len(texts),
            config=parts.config,
            lexicon=parts.lexicon,
            aliases=parts.aliases,
            freq=parts.freq,
        )

    # ---------------------------------------------------------------- persistence

    def to_blobs(self) -> dict[str, bytes]:
        """The index as named files' bytes (``lexical.*``), the same bytes :meth:`save`
        writes: a store keeps them without knowing what they are."""
        meta = {
            "format": FORMAT_VERSION,
            "n_docs": self._n_docs,
            "config": self._config,
            "lexicon": self._lexicon_extra,
            "aliases": self._aliases,
        }
        return {
            "lexical.data.npy": npy_bytes(self._data),
            "lexical.indices.npy": npy_bytes(self._indices),
            "lexical.indptr.npy": npy_bytes(self._indptr),
            "lexical.freq.npy": npy_bytes(self._freq),
            "lexical.vocab.json": json.dumps(self._vocab, ensure_ascii=False).encode("utf-8"),
            "lexical.meta.json": json.dumps(meta, ensure_ascii=False).encode("utf-8"),
        }

    @classmethod
    def from_blobs(cls, blobs: Mapping[str, bytes]) -> LexicalIndex:
        """The index from :meth:`to_blobs`'s bytes (numpy and json only: no bm25s, no
        scipy). Raises KeyError for a missing part, ValueError for an unknown format."""
        meta = json.loads(blobs["lexical.meta.json"].decode("utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported lexical index format {meta.get('format')!r}")
        matrix = ScoreMatrix(
            json.loads(blobs["lexical.vocab.json"].decode("utf-8")),
            npy_array(blobs["lexical.data.npy"]),
            npy_array(blobs["lexical.indices.npy"]),
            npy_array(blobs["lexical.indptr.npy"]),
        )
        return cls(
            matrix,
            int(meta["n_docs"]),
            config=meta["config"],
            lexicon=meta["lexicon"],
            aliases=meta["aliases"],
            freq=npy_array(blobs["lexical.freq.npy"]),
        )

    def save(self, directory: Path) -> None:
        """Write the index files (``lexical.*``) into an existing ``directory``."""
        for name, data in self.to_blobs().items():
            (Path(directory) / name).write_bytes(data)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        """Load an index written by :meth:`save`."""
        return cls.from_blobs(read_blobs(Path(directory), "lexical."))

    # -------------------------------------------------------------------- queries

    def __len__(self) -> int:
        return self._n_docs

    def knows(self, word: str) -> bool:
        """Whether the corpus has ``word``: as written or inflected, without diacritics,
        mistyped, or as a compound of known parts (the same readings a query gets)."""
        return bool(self._query_plan(word))

    def knows_whole(self, word: str) -> bool:
        """Whether the corpus has ``word`` itself (as written or inflected, without
        diacritics, mistyped), not only its parts: a name is no compound of words
        ("Tillväxtanalys" is not mentioned where "tillväxt" and "analys" are)."""
        return any(
            w == 1.0 for _, _, alts in self._query_plan(word) for alt in alts for _, w in alt
        )

    def decompound(self, word: str) -> list[str]:
        """Parts (terms) of ``word`` according to this index's vocabulary, or ``[]``."""
        term = term_of(word.lower())
        if term is None:
            return []
        return self._lex.split(term) or []

    def _parts(self, term: str) -> list[str]:
        if not self._config["decompound"]:
            return []
        return self._lex.split(term) or []

    def _compounds_with(self, term: str, word: str) -> list[int]:
        """Ids of known compounds that end with ``term`` ("bibliotek" -> "cykelbibliotek"),
        or start with it followed by a known word or (after an optional linking morpheme)
        a rest of :data:`MIN_HEAD_TAIL`+ letters ("framgång" -> "framgångsfaktorer"),
        most frequent first. A shorter rest is an ending ("bygg|nad"), not a word."""
        keys = {k for k in (term, fold_accents(word)) if len(k) >= COMPOUND_MIN_KEY}
        found: set[str] = set()
        for key in keys:
            found.update(self._lex.ending_with(key, MIN_PART))
            for t in self._lex.starting_with(key, MIN_PART):
                rest = t[len(key) :]
                tail = rest[1:] if rest[:1] in LINKS else rest
                if (
                    rest in self._lex.entries
                    or tail in self._lex.entries
                    or len(tail) >= MIN_HEAD_TAIL
                ):
                    found.add(t)
        ids = [self._vocab[t] for t in found if t in self._vocab]
        ids.sort(key=lambda i: (-int(self._freq[i]), i))
        return ids[:MAX_COMPOUND_EXPANSIONS]

    def _derived_from(self, term: str) -> list[int]:
        """Ids of the corpus terms a derivation like "cykling" is built on."""
        base = derivation_base(term)
        if base is None:
            return []
        # "cykl" is also written "cykel" when it heads a compound
        forms = [base]
        if base[-1] in "lnr" and base[-2] not in "aeiouyåäö":
            forms.append(base[:-1] + "e" + base[-1])
        ids: list[int] = []
        for form in forms:
            if form in self._vocab:
                ids.append(self._vocab[form])
            ids += self._compounds_with(form, form)
        return list(dict.fromkeys(ids))[:MAX_COMPOUND_EXPANSIONS]

    def _query_plan(self, query: str) -> list[tuple[str, int, list[_Alt]]]:
        """For each distinct query word: (surface, count, readings). A reading is a list of
        (term id, weight) that is summed; the best reading of a word counts."""
        seen: dict[str, list] = {}
        for surface, word in surface_words(query):
            if word in seen:
                seen[word][1] += 1
            elif len(seen) < MAX_QUERY_WORDS and not is_stopword(word):
                seen[word] = [surface, 1]
        vocab = self._vocab
        pw = float(self._config["part_weight"])
        decompound = self._config["decompound"]
        fuzzy_left = MAX_FUZZY_LOOKUPS if self._config["fuzzy"] else 0

        def reading(tid: int) -> _Alt:
            # the term itself plus, at lower weight, its compound parts
            parts = self._parts(self._terms[tid])
            return [(tid, 1.0), *((vocab[p], pw) for p in parts if p in vocab)]

        plan = []
        for word, (surface, count) in seen.items():
            term = fold_accents(stem(word))
            if word.isascii():
                # maybe typed without å/ä/ö: add the corpus word spelled like this once
                # folded ("varmlandsradet" -> "värmlandsrådet") and the accented words
                # whose folded spelling stems to the same term
                readings = [term, *self._aliases.get(term, ())]
                restored = self._lex.entries.get(word)
                if restored is not None:
                    readings.append(restored)
            else:
                # the word as written, and as it would be written without diacritics
                readings = [term, folded_term(word)]
            alts = [reading(vocab[t]) for t in dict.fromkeys(readings) if t in vocab]
            if not alts:
                # a derivation of a corpus word, or of a compound's head: "cykling" is
                # about "cykel", "cykelbibliotek", "cykelvägar"
                alts = [[(tid, pw)] for tid in self._derived_from(term)]
            if not alts and decompound:
                parts = [p for p in self._parts(term) if p in vocab]
                if parts:
                    alts.append([(vocab[p], pw) for p in parts])
                else:
                    alts = [[(tid, pw)] for tid in self._compounds_with(term, word)]
            if not alts and fuzzy_left and len(term) >= FUZZY_MIN_LEN and term.isalpha():
                fuzzy_left -= 1
                tid = self._typos.nearest(term)
                if tid is not None:
                    alts.append(reading(tid))
            if alts:
                plan.append((surface, count, alts))
        return plan

    def _column(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self._indptr[tid], self._indptr[tid + 1]
        return self._indices[start:end], self._data[start:end]

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of ``query`` for every document (float32, one per document)."""
        total = np.zeros(self._n_docs, dtype=np.float32)
        for _surface, count, alts in self._query_plan(query):
            if len(alts) == 1:
                for tid, w in alts[0]:
                    docs, data = self._column(tid)
                    # doc indices are unique within a column, so fancy-index += is safe
                    total[docs] += np.float32(w * count) * data
                continue
            # several readings of one word (accent aliases, compounds): the best counts
            best = np.zeros(self._n_docs, dtype=np.float32)
            for alt in alts:
                if len(alt) == 1:
                    docs, data = self._column(alt[0][0])
                    best[docs] = np.maximum(best[docs], np.float32(alt[0][1] * count) * data)
                    continue
                cur = np.zeros(self._n_docs, dtype=np.float32)
                for tid, w in alt:
                    docs, data = self._column(tid)
                    cur[docs] += np.float32(w * count) * data
                np.maximum(best, cur, out=best)
            total += best
        return total

    def search(self, query: str, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` documents as (indices int64, scores float32), best first; only
        documents with a positive score."""
        scores = self.scores(query)
        hits = np.flatnonzero(scores > 0)
        if k <= 0 or hits.size == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        if hits.size > k:
            top = np.argpartition(-scores[hits], k - 1)[:k]
            hits = hits[top]
        order = np.lexsort((hits, -scores[hits]))
        hits = hits[order].astype(np.int64)
        return hits, scores[hits].astype(np.float32)

    def explain(self, query: str, doc: int) -> list[str]:
        """The query words (as typed) that matched document ``doc``."""
        if not 0 <= doc < self._n_docs:
            return []
        matched = []
        for surface, _count, alts in self._query_plan(query):
            for tid, _w in chain.from_iterable(alts):
                start, end = self._indptr[tid], self._indptr[tid + 1]
                if np.any(self._indices[start:end] == doc):
                    matched.append(surface)
                    break
        return matched
