"""Latency of ``ask`` (search + answer) and of ``search`` on the seed corpus, model loaded.

Run: ``.venv/bin/python bench/ask.py [--index DIR] [--rounds 3] [--write]``.

Opens the searcher as the CLI does (the index of ``corpus/`` in ``--index``, built there if
missing or stale, with the real model), answers every question of the project's own set
(``tests/eval/questions.jsonl`` and its off-topic list) once to warm up, then times
``--rounds`` passes of :func:`confsearch.answers.asking.ask` and of ``Searcher.search`` (k=5, as
``ask`` does; k=10, as the page does) per question. Prints p50/p90/max in ms; ``--write``
records them in docs/benchmarks.md (section "ask"). The issue's targets: ``ask`` p50
<= 30 ms, and ``search`` p50 within 1.2x of what it was before answers read the question.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._report import cpu_description, write_section  # noqa: E402
from confsearch.evaluation.evalsets import OFFTOPIC, QUESTIONS  # noqa: E402
from confsearch.evaluation.evaluate import load_questions  # noqa: E402
from confsearch.retrieval.service import open_searcher  # noqa: E402
from confsearch.settings import Settings  # noqa: E402


def _times(fn, queries: list[str], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - start) * 1000)
    return out


def _row(name: str, ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=10)
    return f"| {name} | {statistics.median(ms):.1f} | {q[8]:.1f} | {max(ms):.1f} | {len(ms)} |"


def main(argv: list[str] | None = None) -> int:
    from confsearch.answers.asking import ask

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, default=None, help="index folder (default: index/)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    settings = Settings.from_env().with_(index_dir=args.index)
    searcher = open_searcher(settings).searcher
    queries = [q["query"] for path in (QUESTIONS, OFFTOPIC) for q in load_questions(path)]
    for q in queries:  # warm-up: the model, the caches of sentence vectors and word forms
        ask(searcher, q, 5)
    rows = [
        _row("ask (k=5)", _times(lambda q: ask(searcher, q, 5), queries, args.rounds)),
        _row("search (k=5)", _times(lambda q: searcher.search(q, k=5), queries, args.rounds)),
        _row("search (k=10)", _times(lambda q: searcher.search(q, k=10), queries, args.rounds)),
    ]
    table = "\n".join(
        [
            f"{len(queries)} questions (tests/eval/questions.jsonl + offtopic.jsonl) x "
            f"{args.rounds} rounds after one warm-up pass; {cpu_description()}.",
            "",
            "| call | p50 ms | p90 ms | max ms | n |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )
    print(table)
    if args.write:
        write_section("ask", "## Latency of ask (`bench/ask.py`)\n\n" + table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
