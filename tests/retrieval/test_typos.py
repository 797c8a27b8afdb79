"""Typo correction: vectorised edit distance and the nearest vocabulary term."""

from __future__ import annotations

import random

import numpy as np

from confsearch.retrieval.typos import TypoIndex, levenshtein_many


def test_vectorised_edit_distance():
    def lev(a: str, b: str) -> int:
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            cur = [i]
            for j, cb in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = cur
        return prev[-1]

    rng = random.Random(0)
    for _ in range(50):
        q = "".join(rng.choice("abcå") for _ in range(rng.randint(1, 8)))
        cands = ["".join(rng.choice("abcå") for _ in range(rng.randint(1, 9))) for _ in range(20)]
        lens = np.array([len(c) for c in cands])
        mat = np.zeros((len(cands), lens.max()), np.int32)
        for i, c in enumerate(cands):
            mat[i, : len(c)] = [ord(x) for x in c]
        assert levenshtein_many(q, mat, lens).tolist() == [lev(q, c) for c in cands]


def test_nearest_term_same_first_letter_within_the_allowed_edits():
    terms = ["cykelbibliotek", "cykeltyp", "kyrkogard", "projekt", "projektet", "utvardering"]
    df = np.array([3, 1, 2, 5, 1, 4])
    typos = TypoIndex(terms, df)
    assert terms[typos.nearest("cykelbiblotek")] == "cykelbibliotek"  # one edit
    assert terms[typos.nearest("utvardring")] == "utvardering"
    assert terms[typos.nearest("projekx")] == "projekt"  # 7 letters: one edit allowed
    assert typos.nearest("prajekx") is None  # two edits are too many below 8 letters
    assert terms[typos.nearest("kyrkogrd")] == "kyrkogard"
    assert typos.nearest("zykeltyp") is None  # another first letter is never tried
    assert terms[typos.nearest("projekte")] == "projekt"  # a tie goes to the more frequent
