"""Calibrate the cards' relevance words on held-out questions (issue 24).

Run: ``.venv/bin/python bench/calibrate_labels.py [--index DIR]``.

A card's words ("Mycket relevant" … "Svag träff") should say how likely it is that the
card comes from the session the question is about. For every question of the held-out
rounds whose test half is already reported (never the sealed one), each of the top 10
cards is a sample: relevant when its session is the question's gold session (an
uncovered question has none). A logistic regression on what a card shows beside it —
its rank, whether the search answers, its fused score relative to the first card's and
its dense cosine — gives the chance; the words cut it at
:data:`confsearch.tuning.LABEL_CHANCES`. It prints the weights to put in
:data:`confsearch.tuning.LABEL_WEIGHTS`, then, leaving one round out at a time, each
band's share of relevant cards on the round it was not fitted on.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from confsearch.answers.labels import LABELS, label_features  # noqa: E402
from confsearch.evaluation.answereval import is_answerable  # noqa: E402
from confsearch.evaluation.evalsets import EVAL_DIR, SEALED_SET  # noqa: E402
from confsearch.retrieval.service import open_searcher  # noqa: E402
from confsearch.settings import Settings  # noqa: E402
from confsearch.tuning import LABEL_CHANCES  # noqa: E402


def samples(index: Path | None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    settings = Settings.from_env()
    if index is not None:
        settings = settings.with_(index_dir=index)
    searcher = open_searcher(settings, refresh=False).searcher
    sealed = f"heldout{SEALED_SET.removeprefix('test')}_test.jsonl"
    rows, ys, rounds = [], [], []
    for path in sorted(EVAL_DIR.glob("heldout*_*.jsonl")):
        if path.name == sealed:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            r = searcher.search(q["query"], k=10)
            gold = q.get("gold_session") if is_answerable(q) else None
            for h in r.hits:
                rows.append(label_features(h, r.hits[0].score, r.confident, searcher.config))
                ys.append(bool(gold) and h.passage.session == gold)
                rounds.append(path.name.split("_")[0])
    return np.array(rows), np.array(ys, dtype=float), rounds


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    design = np.hstack([np.ones((len(x), 1)), x])

    def loss(w: np.ndarray) -> float:
        z = design @ w
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.01 * w @ w)

    return minimize(loss, np.zeros(design.shape[1]), method="L-BFGS-B").x


def bands(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> list[str]:
    chance = 1 / (1 + np.exp(-(w[0] + x @ w[1:])))
    cuts = [0.0, *LABEL_CHANCES, 1.01]
    out = []
    for label, lo, hi in zip(LABELS, cuts[:-1], cuts[1:], strict=True):
        m = (chance >= lo) & (chance < hi)
        share = f"{y[m].mean():.2f}" if m.sum() else "  - "
        out.append(f"{label} {share} (n={int(m.sum())})")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, default=None)
    args = ap.parse_args()
    x, y, rounds = samples(args.index)
    w = fit(x, y)
    print(f"{len(y)} cards, {int(y.sum())} from the gold session")
    print("LABEL_WEIGHTS = (" + ", ".join(f"{v:.3f}" for v in w) + ")")
    print("all rounds:   " + "; ".join(bands(w, x, y)))
    for held in sorted(set(rounds)):
        mask = np.array([r == held for r in rounds])
        wr = fit(x[~mask], y[~mask])
        print(f"{held:13s} " + "; ".join(bands(wr, x[mask], y[mask])))
    assert all(math.isfinite(v) for v in w)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
