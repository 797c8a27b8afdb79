"""Which evaluation sets exist, where their files are, and which `eval` runs by default.

Kept apart from :mod:`confsearch.evaluate` (which needs numpy, the index and the searcher)
so the CLI can offer the names as choices without importing any of that.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "eval"
QUESTIONS = EVAL_DIR / "questions.jsonl"
OFFTOPIC = EVAL_DIR / "offtopic.jsonl"
# name -> (files, title shown). See tests/eval/README.md for how each set was written.
QUESTION_SETS: dict[str, tuple[tuple[Path, ...], str]] = {
    "old": ((QUESTIONS, OFFTOPIC), "Egen frågesamling (old)"),
    "dev": ((EVAL_DIR / "heldout_dev.jsonl",), "Held-out dev"),
    "test": ((EVAL_DIR / "heldout_test.jsonl",), "Held-out test (rapporterad, nu justeringsdata)"),
    "dev2": ((EVAL_DIR / "heldout2_dev.jsonl",), "Held-out 2 dev"),
    "test2": (
        (EVAL_DIR / "heldout2_test.jsonl",),
        "Held-out 2 test (rapporterad, nu justeringsdata)",
    ),
    "dev3": ((EVAL_DIR / "heldout3_dev.jsonl",), "Held-out 3 dev"),
    "test3": (
        (EVAL_DIR / "heldout3_test.jsonl",),
        "Held-out 3 test (rapporterad, nu justeringsdata)",
    ),
    "dev4": ((EVAL_DIR / "heldout4_dev.jsonl",), "Held-out 4 dev"),
    "test4": (
        (EVAL_DIR / "heldout4_test.jsonl",),
        "Held-out 4 test (rapporterad, nu justeringsdata)",
    ),
    "dev5": ((EVAL_DIR / "heldout5_dev.jsonl",), "Held-out 5 dev"),
    "test5": (
        (EVAL_DIR / "heldout5_test.jsonl",),
        "Held-out 5 test (rapporterad, nu justeringsdata)",
    ),
    "dev6": ((EVAL_DIR / "heldout6_dev.jsonl",), "Held-out 6 dev"),
    "test6": ((EVAL_DIR / "heldout6_test.jsonl",), "Held-out 6 test (förseglad)"),
}
# The sealed split is never run by default: it is reported once, on purpose.
SEALED_SET = "test6"
DEFAULT_SETS = ("old", "dev", "dev2", "dev3", "dev4", "dev5", "dev6")
SWEFAQ_DIR = ROOT / "bench" / "data" / "swefaq"
SWEFAQ_SPLITS = ("dev", "test")
