"""Swedish term analysis: words → index terms, and compound splitting.

The term pipeline (:func:`analyze`) is::

    NFKC + lowercase -> words (letters/digits; "RUS:en" -> "rus") -> drop stopwords
    -> Snowball "swedish" stem -> "-el" syncope ("cykel"/"cyklar" -> "cykl")
    -> accent folding ("värmlandsråd" -> "varmlandsrad")

Stem, *then* fold: folding first lets the stemmer see suffixes that were not there
("värmlandsråd" -> "varmlandsrad" -> "varmlandsr"); see :mod:`confsearch.retrieval.lexical` for the
measurements and for how the index makes the other spelling work too.

Compounds are split against a vocabulary (:class:`Lexicon`): known head + optional
linking morpheme (s, e, o, u) + known tail, recursively, at most 3 parts.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

import Stemmer

from confsearch.patterns import ALNUM
from confsearch.text import FUNCTION_WORDS, STOPWORDS, fold_accents, normalize

MIN_WORD_LEN = 2
MAX_WORD_LEN = 48  # longer "words" are URLs, hashes or garbage
MIN_PART = 3  # shortest compound part
MAX_PARTS = 3
MIN_TAIL_ONLY = 5  # shortest known tail used without a known head
# "-lös" (folded "los") makes a word for the lack of its head: "arbetslöshet" is no
# compound of "arbete" and "lösa", and names no topic a text about work mentions.
NEGATING = ("los",)
LINKS = ("", "s", "e", "o", "u")  # Swedish linking morphemes ("fogemorfem")

# Word = run of letters/digits; an inflection after a colon ("RUS:en", "SMF:er", "3:e") is
# swallowed so the word maps to its base.
WORD_RE = re.compile(rf"({ALNUM})(?::[^\W\d_]{{1,5}}(?![^\W_]))?")
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")

_stemmer = Stemmer.Stemmer("swedish")

# stopwords as typed without å/ä/ö ("pa", "nar", "for")
_FOLDED_STOPWORDS: frozenset[str] = frozenset(fold_accents(w) for w in STOPWORDS)


def surface_words(text: str) -> list[tuple[str, str]]:
    """(original spelling, lowercase word) for each word of ``text``."""
    out = []
    for m in WORD_RE.finditer(normalize(text)):
        surface = m.group(1)
        if MIN_WORD_LEN <= len(surface) <= MAX_WORD_LEN:
            out.append((surface, surface.lower()))
    return out


def is_stopword(word: str) -> bool:
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


def stem(word: str) -> str:
    return _syncope(_stemmer.stemWord(word))


def term_of(word: str) -> str | None:
    """Index term of a lowercase word (None for stopwords): stem, then fold."""
    if is_stopword(word):
        return None
    return fold_accents(stem(word))


def folded_term(word: str) -> str:
    """What the same word typed without diacritics becomes: fold, then stem."""
    return stem(fold_accents(word))


def analyze_words(text: str) -> list[tuple[str, str]]:
    """(surface word, term) for every non-stopword of ``text`` (no decompounding)."""
    out = []
    for surface, word in surface_words(text):
        term = term_of(word)
        if term is not None:
            out.append((surface, term))
    return out


def analyze(text: str) -> list[str]:
    """The index terms of ``text`` in order (no decompounding, which needs a corpus)."""
    return [term for _, term in analyze_words(text)]


# ------------------------------------------------------------------------ compounds


class Lexicon:
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
        if len(term) < 2 * self.min_part + 1 or not term.isalpha() or term.endswith(NEGATING):
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


def lexicon_entries(words: Iterable[str]) -> tuple[dict[str, str], dict[str, int]]:
    entries: dict[str, str] = {}
    freq: Counter[str] = Counter()
    for word in words:
        term = term_of(word)
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
    words = [w.lower() for _, w in surface_words(" ".join(vocabulary))]
    entries, freq = lexicon_entries(words)
    term = term_of(word.lower())
    if term is None:
        return []
    return Lexicon(entries, freq, min_part).split(term) or []


# Derivational endings the Snowball stemmer keeps ("cykling", "utvärderingen" -> "utvardering"),
# longest first. A word that is such a derivation of a corpus word is that word's topic.
DERIVATIONS = ("isering", "ningen", "ning", "ingen", "ing", "ande", "ende", "else", "het", "skap")
MIN_BASE = 4


# A function word is no base: "förening" is not derived from "före" (which would make an
# association match "företag" and "föreställning").
_NO_BASE = frozenset(fold_accents(w) for w in STOPWORDS | FUNCTION_WORDS)


def derivation_base(term: str) -> str | None:
    """The term with a derivational ending removed ("cykling" -> "cykl"), or None."""
    for ending in DERIVATIONS:
        if term.endswith(ending) and len(term) - len(ending) >= MIN_BASE:
            base = term[: -len(ending)]
            return None if base in _NO_BASE else base
    return None


def term_match(q: str, terms: set[str], *, inner_from: int = 4, inner: float = 0.7) -> float:
    """How well index terms ``terms`` (a sentence's) mention the question's term ``q``:
    1 as written; ``inner`` when a sentence's compound holds it ("bibliotek" in
    "cykelbibliotek", for ``q`` of at least ``inner_from`` letters); 0.5 when the
    question's compound holds a sentence's term of five letters or more; else 0.
    The focus share credits a compound more than the lexical score does
    (:func:`confsearch.answers.candidates.lexical_scores`: 5 letters, 0.5), and
    :func:`confsearch.retrieval.stated.unstated_quantity` finds the sentences about a
    question by it."""
    if q in terms:
        return 1.0
    if len(q) >= inner_from and any(q in t for t in terms):
        return inner  # "bibliotek" in "cykelbibliotek"
    if any(len(t) >= 5 and t in q for t in terms):
        return 0.5  # the question's compound, a part of it in the sentence
    return 0.0
