"""Building a lexical index: Swedish analysis of every word, compound parts, BM25 scores.

Building needs bm25s and two passes over the corpus's words; searching needs only the
score matrix and the lexicon it produces (:class:`ScoreMatrix`, :class:`BuildParts`). So the
building lives here and :mod:`confsearch.retrieval.lexical` answers queries with numpy only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain

import numpy as np

from confsearch.analysis import (
    MAX_WORD_LEN,
    MIN_PART,
    MIN_WORD_LEN,
    WORD_RE,
    Lexicon,
    folded_term,
    term_of,
)
from confsearch.text import fold_accents, normalize
from confsearch.tuning import PART_WEIGHT


@dataclass
class ScoreMatrix:
    """BM25 scores, term x document, column-compressed (bm25s's layout)."""

    vocab: dict[str, int]
    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray

    @classmethod
    def empty(cls) -> ScoreMatrix:
        return cls({}, np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(1, np.int64))


@dataclass
class BuildParts:
    """What :class:`confsearch.retrieval.lexical.LexicalIndex` is made of."""

    matrix: ScoreMatrix
    config: dict
    lexicon: dict[str, str]  # folded spellings of words whose term differs from them
    aliases: dict[str, list[str]]  # stem(fold(w)) -> the terms fold(stem(w)) it stands for
    freq: np.ndarray  # corpus frequency of every vocabulary term


def build_parts(
    texts: list[str],
    *,
    k1: float = 1.5,
    b: float = 0.75,
    decompound: bool = True,
    fuzzy: bool = True,
) -> BuildParts:
    """Analyse ``texts`` (document i = ``texts[i]``) into a lexical index's parts."""
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
        words = WORD_RE.findall(normalize(text).lower())
        docs_sids.append(
            [new_id(w, len(surface_ids)) for w in words if MIN_WORD_LEN <= len(w) <= MAX_WORD_LEN]
        )
    surfaces = list(surface_ids)
    tokens = np.fromiter(chain.from_iterable(docs_sids), dtype=np.int64)
    doc_tokens = np.array([len(x) for x in docs_sids], dtype=np.int64)
    del docs_sids
    counts = np.bincount(tokens, minlength=len(surfaces))
    terms = [term_of(w) for w in surfaces]

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
            alt = folded_term(word)
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
        lex = Lexicon(entries, term_freq, MIN_PART)
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

    matrix = ScoreMatrix.empty()
    if vocab:
        import bm25s

        bm25 = bm25s.BM25(k1=k1, b=b, method="lucene")
        bm25.index((corpus_ids, vocab), create_empty_token=False, show_progress=False)
        scores = bm25.scores
        matrix = ScoreMatrix(bm25.vocab_dict, scores["data"], scores["indices"], scores["indptr"])
    freq = np.array([term_freq[t] for t in vocab_terms], dtype=np.int64)
    return BuildParts(matrix, config, lexicon_extra, alias_lists, freq)
