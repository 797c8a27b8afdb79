"""Swedish lexical (BM25) index.

The term pipeline (:func:`analyze`) is::

    NFKC + lowercase -> words (letters/digits; "RUS:en" -> "rus") -> drop stopwords
    -> Snowball "swedish" stem -> "-el" syncope ("cykel"/"cyklar" -> "cykl")
    -> accent folding ("värmlandsråd" -> "varmlandsrad")

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
  corpus also matches known compounds ending with it (best one counts, weight 0.5).
* Typo tolerance: a query term (5+ letters) that is unknown and not a compound is mapped to
  the nearest vocabulary term with the same first letter within Levenshtein distance 1
  (5-7 letters) or 2 (8+); ties go to the more frequent term. Distances to all candidates
  are computed at once with numpy.
* Scoring is bm25s's (method "lucene": ``idf = ln(1 + (N - df + .5) / (df + .5))`` times
  ``tf / (tf + k1 * (1 - b + b * dl / avgdl))``). bm25s builds and stores the sparse
  term x doc score matrix; a query adds (weighted) columns of it with numpy.
* Speed (this machine, 100k passages / 90M chars / 370k terms): build 25 s, save 1.2 s
  (98 MB), load 0.5 s, queries < 1 ms (first typo correction ~0.4 s while the per-letter
  candidate tables are built, then ~10 ms), a 10 000-character query < 0.1 s.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from itertools import chain
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

__all__ = [
    "STOPWORDS",
    "LexicalIndex",
    "analyze",
    "analyze_words",
    "decompound",
    "fold_accents",
]

FORMAT_VERSION = 1

# Snowball's Swedish stopword list (the one bm25s ships), plus a few function words that
# are equally content-free in conference texts.
_EXTRA_STOPWORDS = (
    "också",
    "även",
    "samt",
    "ska",
    "skall",
    "både",
    "dock",
    "bara",
    "genom",
    "enligt",
    "hos",
    "kring",
)
STOPWORDS: frozenset[str] = frozenset(bm25s.stopwords.STOPWORDS_SWEDISH) | frozenset(
    _EXTRA_STOPWORDS
)

MIN_WORD_LEN = 2
MAX_WORD_LEN = 48  # longer "words" are URLs, hashes or garbage
MAX_QUERY_WORDS = 256  # distinct query words considered; a 10 000-char query stays fast
MAX_FUZZY_LOOKUPS = 8  # unknown query terms corrected per query
MIN_PART = 3  # shortest compound part
MAX_PARTS = 3
MIN_TAIL_ONLY = 5  # shortest known tail used without a known head
COMPOUND_MIN_KEY = 4  # an unknown query word this long may match inside compounds
MAX_COMPOUND_EXPANSIONS = 64
LINKS = ("", "s", "e", "o", "u")  # Swedish linking morphemes ("fogemorfem")
PART_WEIGHT = 0.5  # query-time weight of compound parts next to the whole term
FUZZY_MIN_LEN = 5
FUZZY_LONG_LEN = 8  # from this length two edits are allowed

# Word = run of letters/digits; an inflection after a colon ("RUS:en", "SMF:er", "3:e") is
# swallowed so the word maps to its base.
_WORD_RE = re.compile(r"([^\W_]+)(?::[^\W\d_]{1,5}(?![^\W_]))?")
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # soft hyphen, ZW*
_SPECIAL_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)
_COMMON_FOLD = str.maketrans(  # fast path for the usual letters; the rest goes via NFKD
    "åäöéèëêüáàâîïôûçñÅÄÖÉÈËÊÜÁÀÂÎÏÔÛÇÑ", "aaoeeeeuaaaiioucnAAOEEEEUAAAIIOUCN"
)
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")

_stemmer = Stemmer.Stemmer("swedish")


# --------------------------------------------------------------------------- analysis


def fold_accents(text: str) -> str:
    """Remove diacritics: å→a, ä→a, ö→o, é→e, ü→u, ø→o, æ→ae, ß→ss … (case is kept)."""
    if text.isascii():
        return text
    text = text.translate(_COMMON_FOLD)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# stopwords as typed without å/ä/ö ("pa", "nar", "for")
_FOLDED_STOPWORDS: frozenset[str] = frozenset(fold_accents(w) for w in STOPWORDS)


def _normalize(text: str) -> str:
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _INVISIBLE_RE.sub("", text)


def _surface_words(text: str) -> list[tuple[str, str]]:
    """(original spelling, lowercase word) for each word of ``text``."""
    out = []
    for m in _WORD_RE.finditer(_normalize(text)):
        surface = m.group(1)
        if MIN_WORD_LEN <= len(surface) <= MAX_WORD_LEN:
            out.append((surface, surface.lower()))
    return out


def _is_stopword(word: str) -> bool:
    # An ASCII word may be a stopword typed without å/ä/ö ("pa", "nar", "for"); a word
    # with diacritics is checked as written, so "år" (year) is not taken for "är".
    return word in STOPWORDS or (word.isascii() and word in _FOLDED_STOPWORDS)


def _syncope(stem: str) -> str:
    """Unify "-el" stems with their syncopated forms: cykel/cykeln/cyklar -> cykl."""
    if len(stem) >= 6 and stem.endswith("eln") and stem[-4] in _CONSONANTS:
        return stem[:-3] + "l"
    if len(stem) >= 5 and stem.endswith("el") and stem[-3] in _CONSONANTS:
        return stem[:-2] + "l"
    return stem


def _stem(word: str) -> str:
    return _syncope(_stemmer.stemWord(word))


def _term(word: str) -> str | None:
    """Index term of a lowercase word (None for stopwords): stem, then fold."""
    if _is_stopword(word):
        return None
    return fold_accents(_stem(word))


def _folded_term(word: str) -> str:
    """What the same word typed without diacritics becomes: fold, then stem."""
    return _stem(fold_accents(word))


def analyze_words(text: str) -> list[tuple[str, str]]:
    """(surface word, term) for every non-stopword of ``text`` (no decompounding)."""
    out = []
    for surface, word in _surface_words(text):
        term = _term(word)
        if term is not None:
            out.append((surface, term))
    return out


def analyze(text: str) -> list[str]:
    """The index terms of ``text`` in order (no decompounding, which needs a corpus)."""
    return [term for _, term in analyze_words(text)]


# ------------------------------------------------------------------------ compounds


class _Lexicon:
    """Known words for decompounding: folded spelling or term -> term, with frequencies.

    A term is split into ``head [+ link] + tail`` where both are known words (the tail may
    itself be split, up to :data:`MAX_PARTS` parts). Parts have at least ``min_part``
    letters; a part that short must be the last one and follow a linking "s" after a head
    of 4+ letters ("värmlands|råd" yes, "indi|vid" and "bred|dat" no). If no such split
    exists, a known tail of :data:`MIN_TAIL_ONLY` or more letters after an unknown head is
    returned alone, if that head also starts another known word: Swedish compounds are
    right-headed, so a "cykelbibliotek" is a "bibliotek" even when "cykel" never occurs on
    its own (but "cykeltyp" does), while "framgångsf|aktor" is rejected.
    """

    def __init__(self, entries: Mapping[str, str], freq: Mapping[str, int], min_part: int):
        self.entries = entries
        self.freq = freq
        self.min_part = min_part
        self._memo: dict[str, list[str] | None] = {}
        self._sorted: list[str] | None = None
        self._reversed: list[str] | None = None

    def _productive(self, prefix: str) -> bool:
        """Whether at least two known terms start with ``prefix``."""
        terms = self._terms_sorted()
        i = bisect.bisect_left(terms, prefix)
        return i + 1 < len(terms) and terms[i + 1].startswith(prefix)

    def _terms_sorted(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(set(self.entries.values()))
        return self._sorted

    def starting_with(self, prefix: str, min_rest: int) -> list[str]:
        """Known terms that are ``prefix`` plus at least ``min_rest`` letters."""
        terms = self._terms_sorted()
        out = []
        for i in range(bisect.bisect_left(terms, prefix), len(terms)):
            if not terms[i].startswith(prefix):
                break
            if len(terms[i]) >= len(prefix) + min_rest:
                out.append(terms[i])
        return out

    def ending_with(self, suffix: str, min_rest: int) -> list[str]:
        """Known terms that are at least ``min_rest`` letters plus ``suffix``."""
        if self._reversed is None:
            self._reversed = sorted(t[::-1] for t in self._terms_sorted())
        rsuffix = suffix[::-1]
        out = []
        for i in range(bisect.bisect_left(self._reversed, rsuffix), len(self._reversed)):
            r = self._reversed[i]
            if not r.startswith(rsuffix):
                break
            if len(r) >= len(suffix) + min_rest:
                out.append(r[::-1])
        return out

    def split(self, term: str) -> list[str] | None:
        """Best split of ``term`` into known parts, or None."""
        if len(term) < 2 * self.min_part + 1 or not term.isalpha():
            return None
        cached = self._memo.get(term, ...)
        if cached is not ...:
            return cached
        result = self._split(term, MAX_PARTS) or self._tail_only(term)
        if len(self._memo) < 1_000_000:
            self._memo[term] = result
        return result

    def _tail_only(self, term: str) -> list[str] | None:
        for i in range(self.min_part, len(term) - MIN_TAIL_ONLY + 1):
            tail = self.entries.get(term[i:])
            if tail is not None and tail != term and self._productive(term[:i]):
                return [tail]  # the longest known tail
        return None

    def _split(self, term: str, max_parts: int) -> list[str] | None:
        best: list[str] | None = None
        best_key: tuple[int, float] | None = None
        n = len(term)
        mp = self.min_part
        for i in range(mp, n - mp + 1):
            head = self.entries.get(term[:i])
            if head is None:
                continue
            for link in LINKS:
                if link and not term.startswith(link, i):
                    continue
                rest = term[i + len(link) :]
                if len(rest) < mp or (len(rest) == mp and (link != "s" or i < mp + 1)):
                    continue
                tail = self.entries.get(rest)
                if tail is not None:
                    parts = [head, tail]
                elif max_parts > 2:
                    sub = self._split(rest, max_parts - 1)
                    if sub is None:
                        continue
                    parts = [head, *sub]
                else:
                    continue
                # Fewest parts first, then the most frequent parts (Koehn & Knight).
                key = (len(parts), -sum(math.log1p(self.freq.get(p, 0)) for p in parts))
                if best_key is None or key < best_key:
                    best, best_key = parts, key
        return best


def _lexicon_entries(words: Iterable[str]) -> tuple[dict[str, str], dict[str, int]]:
    entries: dict[str, str] = {}
    freq: Counter[str] = Counter()
    for word in words:
        term = _term(word)
        if term is None:
            continue
        freq[term] += 1
        for key in (term, fold_accents(word)):
            if len(key) >= MIN_PART and key.isalpha():
                entries.setdefault(key, term)
    return entries, freq


def decompound(word: str, vocabulary: Iterable[str], *, min_part: int = MIN_PART) -> list[str]:
    """Split ``word`` into the terms of its parts, using ``vocabulary`` (plain words) as
    the known words; ``[]`` if it is not a compound of known words.

    >>> decompound("Värmlandsrådet", ["Värmland", "råd"])
    ['varmland', 'rad']
    """
    words = [w.lower() for _, w in _surface_words(" ".join(vocabulary))]
    entries, freq = _lexicon_entries(words)
    term = _term(word.lower())
    if term is None:
        return []
    return _Lexicon(entries, freq, min_part).split(term) or []


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


# ------------------------------------------------------------------------ typo search


def _levenshtein_many(query: str, cands: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Edit distance from ``query`` to each row of ``cands`` (code points, 0-padded)."""
    n, width = cands.shape
    cols = np.arange(width + 1, dtype=np.int32)
    prev = np.broadcast_to(cols, (n, width + 1)).copy()
    for i, ch in enumerate(query, start=1):
        sub = prev[:, :-1] + (cands != ord(ch))
        best = np.minimum(prev[:, 1:] + 1, sub)
        # cur[j] = min_k<=j (best'[k] + j - k), with best'[0] = i: a running minimum.
        row = np.empty_like(prev)
        row[:, 0] = i
        row[:, 1:] = best
        row = np.minimum.accumulate(row - cols, axis=1) + cols
        prev = row
    return prev[np.arange(n), lens]


# ---------------------------------------------------------------------------- index


_Alt = list[tuple[int, float]]  # one reading of a query word: (term id, weight) summed


class LexicalIndex:
    """BM25 over Swedish terms, with decompounding, accent folding and typo tolerance."""

    def __init__(
        self,
        bm25: bm25s.BM25 | None,
        n_docs: int,
        *,
        config: dict,
        lexicon: dict[str, str],
        aliases: dict[str, list[str]],
        freq: np.ndarray,
    ) -> None:
        self._bm25 = bm25
        self._n_docs = n_docs
        self._config = config
        self._aliases = aliases
        if bm25 is not None:
            self._vocab: dict[str, int] = bm25.vocab_dict
            self._data = np.asarray(bm25.scores["data"])
            self._indices = np.asarray(bm25.scores["indices"])
            self._indptr = np.asarray(bm25.scores["indptr"]).astype(np.int64)
        else:
            self._vocab = {}
            self._data = np.zeros(0, np.float32)
            self._indices = np.zeros(0, np.int32)
            self._indptr = np.zeros(1, np.int64)
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
        self._lex = _Lexicon(entries, _FreqView(self._vocab, self._freq), config["min_part"])
        self._df = df
        self._fuzzy_ids: dict[str, list[int]] | None = None
        self._fuzzy_buckets: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray] | None] = {}
        self._fuzzy_memo: dict[str, int | None] = {}

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
        """Index ``texts`` (document i = ``texts[i]``)."""
        config = {
            "k1": float(k1),
            "b": float(b),
            "decompound": bool(decompound),
            "fuzzy": bool(fuzzy),
            "min_part": MIN_PART,
            "part_weight": PART_WEIGHT,
        }
        # Pass 1: words -> surface ids (each distinct lowercase word is analysed once).
        surface_ids: dict[str, int] = {}
        new_id = surface_ids.setdefault
        docs_sids: list[list[int]] = []
        for text in texts:
            words = _WORD_RE.findall(_normalize(text).lower())
            docs_sids.append(
                [
                    new_id(w, len(surface_ids))
                    for w in words
                    if MIN_WORD_LEN <= len(w) <= MAX_WORD_LEN
                ]
            )
        surfaces = list(surface_ids)
        tokens = np.fromiter(chain.from_iterable(docs_sids), dtype=np.int64)
        doc_tokens = np.array([len(x) for x in docs_sids], dtype=np.int64)
        del docs_sids
        counts = np.bincount(tokens, minlength=len(surfaces))
        terms = [_term(w) for w in surfaces]

        # Lexicon and accent aliases from the distinct words.
        term_freq: Counter[str] = Counter()
        folded_best: dict[str, tuple[int, str]] = {}
        aliases: defaultdict[str, set[str]] = defaultdict(set)
        for sid, (word, term) in enumerate(zip(surfaces, terms, strict=True)):
            if term is None:
                continue
            c = int(counts[sid])
            term_freq[term] += c
            # the word's folded spelling is a known word too ("cykel" -> "cykl"), for
            # decompounding ("cykel|bibliotek") and for queries typed without å/ä/ö
            folded = fold_accents(word)
            if folded != term and folded.isalpha() and len(folded) >= MIN_PART:
                prev = folded_best.get(folded)
                if prev is None or (c, term) > prev:
                    folded_best[folded] = (c, term)
            if not word.isascii():
                alt = _folded_term(word)
                if alt != term:
                    aliases[alt].add(term)
        lexicon_extra = {k: t for k, (_, t) in folded_best.items()}
        alias_lists = {k: sorted(v) for k, v in aliases.items()}

        # Compound parts per term.
        distinct_terms = sorted(term_freq)
        splits: dict[str, list[str]] = {}
        if decompound:
            entries = {t: t for t in distinct_terms if len(t) >= MIN_PART and t.isalpha()}
            entries.update(lexicon_extra)
            lex = _Lexicon(entries, term_freq, MIN_PART)
            for t in distinct_terms:
                parts = lex.split(t)
                if parts:
                    splits[t] = parts
        vocab_terms = sorted(set(distinct_terms).union(*splits.values()))
        vocab = {t: i for i, t in enumerate(vocab_terms)}
        # Pass 2: surface ids -> term ids (+ compound parts), vectorised over all tokens.
        sid_tids = [
            () if t is None else (vocab[t], *(vocab[p] for p in splits.get(t, ()))) for t in terms
        ]
        sid_len = np.array([len(x) for x in sid_tids], dtype=np.int64)
        sid_start = np.concatenate(([0], np.cumsum(sid_len)))
        tids_flat = np.fromiter(chain.from_iterable(sid_tids), dtype=np.int64)
        tok_len = sid_len[tokens]
        # position of every output id: start of its word's ids + offset within them
        out_pos = np.repeat(sid_start[tokens], tok_len)
        out_end = np.cumsum(tok_len)
        out_pos += np.arange(out_pos.size) - np.repeat(out_end - tok_len, tok_len)
        flat_ids = tids_flat[out_pos]
        # output bounds of each document = output offsets at its token bounds
        out_bounds = np.concatenate(([0], out_end))[np.concatenate(([0], np.cumsum(doc_tokens)))]
        corpus_ids = [
            flat_ids[out_bounds[i] : out_bounds[i + 1]].tolist() for i in range(len(doc_tokens))
        ]
        del tokens, tok_len, out_pos, flat_ids

        bm25 = None
        if vocab:
            bm25 = bm25s.BM25(k1=k1, b=b, method="lucene")
            bm25.index((corpus_ids, vocab), create_empty_token=False, show_progress=False)
        freq = np.array([term_freq[t] for t in vocab_terms], dtype=np.int64)
        return cls(
            bm25,
            len(texts),
            config=config,
            lexicon=lexicon_extra,
            aliases=alias_lists,
            freq=freq,
        )

    # ---------------------------------------------------------------- persistence

    def save(self, directory: Path) -> None:
        """Write the index files (``lexical.*``) into an existing ``directory``."""
        directory = Path(directory)
        meta = {
            "format": FORMAT_VERSION,
            "n_docs": self._n_docs,
            "config": self._config,
            "lexicon": self._lexicon_extra,
            "aliases": self._aliases,
            "empty": self._bm25 is None,
        }
        if self._bm25 is not None:
            self._bm25.save(directory, show_progress=False, **_BM25_FILES)
        np.save(directory / "lexical.freq.npy", self._freq, allow_pickle=False)
        (directory / "lexical.meta.json").write_text(
            json.dumps(meta, ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = False) -> LexicalIndex:
        """Load an index written by :meth:`save`."""
        directory = Path(directory)
        meta = json.loads((directory / "lexical.meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported lexical index format {meta.get('format')!r}")
        bm25 = None
        if not meta["empty"]:
            bm25 = bm25s.BM25.load(directory, mmap=mmap, show_progress=False, **_BM25_FILES)
        return cls(
            bm25,
            int(meta["n_docs"]),
            config=meta["config"],
            lexicon=meta["lexicon"],
            aliases=meta["aliases"],
            freq=np.load(directory / "lexical.freq.npy", allow_pickle=False),
        )

    # -------------------------------------------------------------------- queries

    def __len__(self) -> int:
        return self._n_docs

    @property
    def vocabulary_size(self) -> int:
        return len(self._vocab)

    def decompound(self, word: str) -> list[str]:
        """Parts (terms) of ``word`` according to this index's vocabulary, or ``[]``."""
        term = _term(word.lower())
        if term is None:
            return []
        return self._lex.split(term) or []

    def _parts(self, term: str) -> list[str]:
        if not self._config["decompound"]:
            return []
        return self._lex.split(term) or []

    def _nearest(self, term: str) -> int | None:
        """Id of the closest vocabulary term (typo correction), or None."""
        if term in self._fuzzy_memo:
            return self._fuzzy_memo[term]
        result = None
        maxd = 2 if len(term) >= FUZZY_LONG_LEN else 1
        bucket = self._bucket(term[0])
        if bucket is not None:
            ids, lens, mat = bucket
            ok = np.abs(lens - len(term)) <= maxd
            if ok.any():
                ids, lens, mat = ids[ok], lens[ok], mat[ok]
                width = int(lens.max())
                dist = _levenshtein_many(term, mat[:, :width], lens)
                good = dist <= maxd
                if good.any():
                    cand = ids[good]
                    # closest first, then the most frequent, then the smallest id
                    order = np.lexsort((cand, -self._df[cand], dist[good]))
                    result = int(cand[order[0]])
        if len(self._fuzzy_memo) < 100_000:
            self._fuzzy_memo[term] = result
        return result

    def _bucket(self, first: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Vocabulary terms starting with ``first``: (ids, lengths, code point matrix)."""
        if self._fuzzy_ids is None:
            by_first: defaultdict[str, list[int]] = defaultdict(list)
            for i, t in enumerate(self._terms):
                if len(t) >= FUZZY_MIN_LEN - 1:
                    by_first[t[0]].append(i)
            self._fuzzy_ids = dict(by_first)
        if first not in self._fuzzy_buckets:
            ids = self._fuzzy_ids.get(first)
            if not ids:
                self._fuzzy_buckets[first] = None
            else:
                terms = [self._terms[i] for i in ids]
                lens = np.array([len(t) for t in terms], dtype=np.int64)
                codes = np.frombuffer("".join(terms).encode("utf-32-le"), dtype=np.int32)
                rows = np.repeat(np.arange(len(terms)), lens)
                cols = np.arange(codes.size) - np.repeat(np.cumsum(lens) - lens, lens)
                mat = np.zeros((len(terms), int(lens.max())), dtype=np.int32)
                mat[rows, cols] = codes
                self._fuzzy_buckets[first] = (np.array(ids, dtype=np.int64), lens, mat)
        return self._fuzzy_buckets[first]

    def _compounds_with(self, term: str, word: str) -> list[int]:
        """Ids of known compounds that end with ``term`` ("bibliotek" -> "cykelbibliotek"),
        or start with it followed by a known word, most frequent first."""
        keys = {k for k in (term, fold_accents(word)) if len(k) >= COMPOUND_MIN_KEY}
        found: set[str] = set()
        for key in keys:
            found.update(self._lex.ending_with(key, MIN_PART))
            for t in self._lex.starting_with(key, MIN_PART):
                rest = t[len(key) :]
                if rest in self._lex.entries or (
                    rest[:1] in LINKS and rest[1:] in self._lex.entries
                ):
                    found.add(t)
        ids = [self._vocab[t] for t in found if t in self._vocab]
        ids.sort(key=lambda i: (-int(self._freq[i]), i))
        return ids[:MAX_COMPOUND_EXPANSIONS]

    def _query_plan(self, query: str) -> list[tuple[str, int, list[_Alt]]]:
        """For each distinct query word: (surface, count, readings). A reading is a list of
        (term id, weight) that is summed; the best reading of a word counts."""
        seen: dict[str, list] = {}
        for surface, word in _surface_words(query):
            if word in seen:
                seen[word][1] += 1
            elif len(seen) < MAX_QUERY_WORDS and not _is_stopword(word):
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
            term = fold_accents(_stem(word))
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
                readings = [term, _folded_term(word)]
            alts = [reading(vocab[t]) for t in dict.fromkeys(readings) if t in vocab]
            if not alts and decompound:
                parts = [p for p in self._parts(term) if p in vocab]
                if parts:
                    alts.append([(vocab[p], pw) for p in parts])
                else:
                    alts = [[(tid, pw)] for tid in self._compounds_with(term, word)]
            if not alts and fuzzy_left and len(term) >= FUZZY_MIN_LEN and term.isalpha():
                fuzzy_left -= 1
                tid = self._nearest(term)
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


_BM25_FILES = {
    "data_name": "lexical.data.npy",
    "indices_name": "lexical.indices.npy",
    "indptr_name": "lexical.indptr.npy",
    "vocab_name": "lexical.vocab.json",
    "params_name": "lexical.params.json",
}
