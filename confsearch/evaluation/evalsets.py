"""Which evaluation sets exist, where their files are, and which `eval` runs by default.

Kept apart from :mod:`confsearch.evaluation.evaluate` (which needs numpy, the index and the
searcher)
so the CLI can offer the names as choices without importing any of that.
"""

from __future__ import annotations

from pathlib import Path

from confsearch.settings import PROJECT_ROOT

ROOT = PROJECT_ROOT
EVAL_DIR = ROOT / "tests" / "eval"
QUESTIONS = EVAL_DIR / "questions.jsonl"
OFFTOPIC = EVAL_DIR / "offtopic.jsonl"
# Held-out rounds written so far (tests/eval/README.md): round n's halves are devN and
# testN ("dev" and "test" for the first). A new round raises this; its test half is sealed.
HELDOUT_ROUNDS = 34


def _held_out_sets(rounds: int) -> dict[str, tuple[tuple[Path, ...], str]]:
    sets: dict[str, tuple[tuple[Path, ...], str]] = {}
    for n in range(1, rounds + 1):
        tag = "" if n == 1 else str(n)
        label = "Held-out" if n == 1 else f"Held-out {n}"
        state = "förseglad" if n == rounds else "rapporterad, nu justeringsdata"
        sets[f"dev{tag}"] = ((EVAL_DIR / f"heldout{tag}_dev.jsonl",), f"{label} dev")
        sets[f"test{tag}"] = ((EVAL_DIR / f"heldout{tag}_test.jsonl",), f"{label} test ({state})")
    return sets


# name -> (files, title shown). See tests/eval/README.md for how each set was written.
QUESTION_SETS: dict[str, tuple[tuple[Path, ...], str]] = {
    "old": ((QUESTIONS, OFFTOPIC), "Egen frågesamling (old)"),
    **_held_out_sets(HELDOUT_ROUNDS),
}
# The sealed split is never run by default: it is reported once, on purpose.
SEALED_SET = f"test{HELDOUT_ROUNDS}"
DEFAULT_SETS = ("old", *(name for name in QUESTION_SETS if name.startswith("dev")))
SWEFAQ_DIR = ROOT / "bench" / "data" / "swefaq"
SWEFAQ_SPLITS = ("dev", "test")
