"""Lexical ranking in SQL or in the app? Measured on SweFAQ (dev + test).

Run: ``.venv/bin/python bench/pg_ranking.py [--database-url URL]`` (default: a local
throw-away server). No model is needed: both sides are lexical only.

* **app**: the project's Swedish BM25 (:class:`confsearch.retrieval.lexical.LexicalIndex`:
  stemming, decompounding, typo tolerance), what both backends use;
* **sql**: PostgreSQL full text as the postgres backend stores it (the schema's
  ``passage_tsvector`` — Swedish snowball + unaccent — and ``passage_tsquery``, an OR of
  the query's terms), ranked by ``ts_rank_cd`` and by ``ts_rank``.

Prints Hit@1, Hit@3 and MRR@10 per split and method (the gold answer's rank among all
documents). This is why lexical ranking stays in the app (confsearch/retrieval/store/postgres.py).
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from confsearch.evaluation.evaluate import load_swefaq, metrics_from_ranks  # noqa: E402
from confsearch.retrieval.lexical import LexicalIndex  # noqa: E402
from confsearch.retrieval.store.postgres import PostgresStore  # noqa: E402

K = 10


def rank_of(order: list[int], gold: int) -> int | None:
    return order.index(gold) + 1 if gold in order[:K] else None


def app_ranks(docs: list[str], questions: list[str], gold: list[int]) -> list[int | None]:
    lexical = LexicalIndex.build(docs)
    out = []
    for q, g in zip(questions, gold, strict=True):
        scores = lexical.scores(q)
        order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
        out.append(rank_of(order, g))
    return out


def sql_ranks(store: PostgresStore, docs, questions, gold, fn: str) -> list[int | None]:
    out = []
    with store.connection() as conn:
        conn.execute("DROP TABLE IF EXISTS rank_docs")
        conn.execute(
            "CREATE TABLE rank_docs (pos int PRIMARY KEY, fts tsvector GENERATED ALWAYS AS "
            "(passage_tsvector(body, '', '{}', '{}')) STORED, body text)"
        )
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO rank_docs (pos, body) VALUES (%s, %s)", list(enumerate(docs))
            )
        for q, g in zip(questions, gold, strict=True):
            rows = conn.execute(
                f"SELECT pos FROM rank_docs, passage_tsquery(%s) q WHERE fts @@ q "
                f"ORDER BY {fn}(fts, q) DESC, pos LIMIT {K}",
                (q,),
            ).fetchall()
            out.append(rank_of([r[0] for r in rows], g))
        conn.execute("DROP TABLE rank_docs")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url", help="default: a local throw-away server")
    args = ap.parse_args()
    server = None
    url = args.database_url
    if not url:
        from confsearch.devtools.pgserver import LocalServer

        server = LocalServer(throwaway=True).start()
        url = server.create_database("ranking")
    store = PostgresStore(url, f"ranking_{uuid.uuid4().hex[:8]}")
    try:
        store._pool()  # migrations: passage_tsvector / passage_tsquery
        print("| split | method | Hit@1 | Hit@3 | MRR@10 | n |\n|---|---|---|---|---|---|")
        for split in ("dev", "test"):
            docs, questions, gold = load_swefaq(split)
            for name, ranks in [
                ("app BM25 (both backends)", app_ranks(docs, questions, gold)),
                ("SQL ts_rank_cd", sql_ranks(store, docs, questions, gold, "ts_rank_cd")),
                ("SQL ts_rank", sql_ranks(store, docs, questions, gold, "ts_rank")),
            ]:
                m = metrics_from_ranks(ranks)
                print(
                    f"| {split} | {name} | {m.hit1:.3f} | {m.hit3:.3f} | {m.mrr10:.3f} | "
                    f"{len(ranks)} |"
                )
    finally:
        store.drop_schema()
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
