"""A new held-out round: drop questions that repeat an earlier one, then split it once.

Run: ``.venv/bin/python bench/split_round.py --round 7 --seed 20261203 a.jsonl b.jsonl``
(the helpers' files, JSON Lines as tests/eval/README.md describes). It writes
``tests/eval/heldout7_dev.jsonl`` and ``heldout7_test.jsonl`` and prints what it dropped;
then raise ``HELDOUT_ROUNDS`` in ``confsearch/evaluation/evalsets.py`` (its test half is sealed).

* With ten short sessions, writers converge: a question whose word set overlaps an earlier
  question's (any set in the eval folder, or one written before it in this round) by
  Jaccard >= :data:`NEAR_DUPLICATE` is dropped, before any run of the system.
* ``regions`` labels are written as the register writes them ("region Värmland" ->
  "Region Värmland"); a label the register does not know (a project, "Omställning
  Västmanland") is left out, and said so.
* The split is stratified by kind, subkind and gold session (or, for a near miss, the
  session it is near, ``near_session``): each stratum is shuffled with the seed and dealt
  alternately to dev and test. Every other field (``key``, ``asks``, ``concept``, …) is
  carried as written.
* It never overwrites a round's files: run again, it would take its own output for earlier
  questions and drop everything.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from confsearch.evaluation.evalsets import EVAL_DIR  # noqa: E402
from confsearch.reading.regions import GAZETTEER, region_aliases  # noqa: E402
from confsearch.text import fold_key  # noqa: E402

NEAR_DUPLICATE = 0.5


def words(question: str) -> set[str]:
    return set(re.findall(r"\w+", question.lower()))


def jaccard(a: str, b: str) -> float:
    wa, wb = words(a), words(b)
    return len(wa & wb) / max(1, len(wa | wb))


def read_jsonl(path: Path) -> list[dict]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def drop_repeats(
    new: list[dict], earlier: list[str], threshold: float = NEAR_DUPLICATE
) -> tuple[list[dict], list[tuple[str, str]]]:
    """(kept questions, (dropped question, the earlier one it repeats))."""
    kept: list[dict] = []
    dropped: list[tuple[str, str]] = []
    for q in new:
        seen = [*earlier, *(k["query"] for k in kept)]
        twin = next((e for e in seen if jaccard(q["query"], e) >= threshold), None)
        if twin is None:
            kept.append(q)
        else:
            dropped.append((q["query"], twin))
    return kept, dropped


def _register() -> dict[str, str]:
    names = {fold_key(org.name): org.name for org in GAZETTEER}
    for name, forms in region_aliases().items():
        for form in forms:
            names.setdefault(fold_key(form), name)
    return names


def normalise_regions(q: dict, register: dict[str, str]) -> tuple[dict, list[str]]:
    """``q`` with its ``regions`` as the register writes them, and the labels left out."""
    if "regions" not in q:
        return q, []
    known = [register.get(fold_key(label)) for label in q["regions"]]
    unknown = [label for label, name in zip(q["regions"], known, strict=True) if name is None]
    names = list(dict.fromkeys(name for name in known if name is not None))
    return {**q, "regions": names}, unknown


def split(questions: list[dict], seed: int) -> tuple[list[dict], list[dict]]:
    strata: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for q in questions:
        # a near miss is about a real session too (``near_session``): spread like the rest
        session = q.get("gold_session") or q.get("near_session", "")
        strata[(q["kind"], q.get("subkind", ""), session)].append(q)
    rng = random.Random(seed)
    dev: list[dict] = []
    test: list[dict] = []
    turn = 0
    for key in sorted(strata):
        items = strata[key]
        rng.shuffle(items)
        for q in items:
            (dev if turn % 2 == 0 else test).append(q)
            turn += 1
    return dev, test


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("helpers", nargs="+", type=Path, help="the helpers' JSON Lines files")
    ap.add_argument("--round", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    args = ap.parse_args(argv)

    out = {part: args.eval_dir / f"heldout{args.round}_{part}.jsonl" for part in ("dev", "test")}
    if any(p.exists() for p in out.values()):
        print(f"{out['dev'].name} exists already: a round is split once.", file=sys.stderr)
        return 2
    earlier = [q["query"] for f in sorted(args.eval_dir.glob("*.jsonl")) for q in read_jsonl(f)]
    new = [q for f in args.helpers for q in read_jsonl(f)]
    kept, dropped = drop_repeats(new, earlier)
    register = _register()
    normalised = []
    for q in kept:
        q, unknown = normalise_regions(q, register)
        normalised.append(q)
        for label in unknown:
            print(f"  not in the register, left out of regions: {label!r} ({q['query']})")
    for question, twin in dropped:
        print(f"  dropped: {question}\n       ~ {twin}")
    print(f"{len(new)} written, {len(dropped)} dropped, {len(normalised)} kept")
    for part, questions in zip(("dev", "test"), split(normalised, args.seed), strict=True):
        text = "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions)
        out[part].write_text(text, encoding="utf-8")
        answerable = sum(bool(q.get("gold_session")) for q in questions)
        print(f"{out[part].name}: {len(questions)} ({answerable} answerable)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
