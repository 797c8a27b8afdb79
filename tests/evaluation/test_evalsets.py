"""The evaluation sets the CLI offers are the ones that exist, and the sealed one is never
run by default."""

from __future__ import annotations

from confsearch.cli import build_parser
from confsearch.evaluation.evalsets import (
    DEFAULT_SETS,
    QUESTION_SETS,
    SEALED_SET,
    SWEFAQ_DIR,
    SWEFAQ_SPLITS,
)


def test_every_set_has_its_files_and_the_sealed_split_is_not_a_default():
    for _name, (files, title) in QUESTION_SETS.items():
        assert title and all(f.is_file() for f in files)
    assert set(DEFAULT_SETS) <= set(QUESTION_SETS) and SEALED_SET in QUESTION_SETS
    assert SEALED_SET not in DEFAULT_SETS
    assert all((SWEFAQ_DIR / f"swefaq_{split}.jsonl").is_file() for split in SWEFAQ_SPLITS)


def test_the_cli_offers_exactly_these_sets():
    args = build_parser().parse_args(["eval"])
    assert tuple(args.set) == DEFAULT_SETS and tuple(args.swefaq) == SWEFAQ_SPLITS
    args = build_parser().parse_args(["eval", "--set", *QUESTION_SETS])
    assert tuple(args.set) == tuple(QUESTION_SETS)
