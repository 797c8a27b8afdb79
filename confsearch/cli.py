"""Command line: ``python -m confsearch <command>``.

Messages are in Swedish because the people running these commands are officials, not
programmers; errors are one clear line, never a stack trace.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from confsearch.settings import Settings


class UserError(Exception):
    """An error whose message is meant for the user as it is."""


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env().with_(
        model=getattr(args, "model", None),
        index_dir=Path(args.index) if getattr(args, "index", None) else None,
        dtype=getattr(args, "dtype", None),
    )


def cmd_model(args: argparse.Namespace) -> int:
    from confsearch.model import load_embedder

    emb = load_embedder(_settings(args))
    info = emb.info()
    if args.path:
        print(info.path)
        return 0
    print(f"Modell:     {info.name}")
    print(f"Sökväg:     {info.path}")
    print(f"Dimension:  {info.dim}")
    print(f"Datatyp:    {info.dtype}")
    print(f"Prompter:   fråga={info.query_prompt!r} passage={info.passage_prompt!r}")
    print(f"Status:     {'byggd nu' if info.built_now else 'återanvänd från cachen'}")
    return 0


def open_searcher(settings: Settings, *, quiet: bool = False):
    """Load model and index once; build the index first if it is missing or stale."""
    from confsearch.index import build_index, is_stale, load_index, read_manifest
    from confsearch.model import load_embedder
    from confsearch.search import Searcher

    embedder = load_embedder(settings)
    manifest = read_manifest(settings.index_dir)
    corpus = settings.corpus_dir
    # Only an index built from *this* corpus is refreshed automatically: `--index DIR`
    # pointing at an index of another corpus must never be overwritten with this one.
    ours = manifest is None or manifest.get("corpus_dir") == str(corpus.resolve())
    if corpus.is_dir() and ours and is_stale(settings.index_dir, corpus, embedder.name):
        if not quiet:
            print("Indexet saknas eller är inaktuellt – bygger det nu …", file=sys.stderr)
        build_index(corpus, settings.index_dir, embedder)
    return Searcher(load_index(settings.index_dir, embedder), embedder)


def _print_listing(resp, config) -> None:
    from confsearch import messages
    from confsearch.search import relevance_label

    print(f"Fråga: {resp.query}")
    if not resp.confident:
        print(f"{messages.NO_ANSWER} {messages.NO_ANSWER_NEAREST}")
    for h in resp.hits:
        p = h.passage
        region = ", ".join(p.regions) or "okänd region"
        print(f"\n[{h.rank}] {p.session} – {region}  ({relevance_label(h, config)}, {h.score:.2f})")
        if p.speakers:
            print(f"    Talare: {', '.join(p.speakers)}")
        print("    " + p.text.replace("\n", "\n    "))
        print(f"    {messages.matched_words(h.matched_terms)}. Källa: {p.source}")
    print()


def _queries_from(args: argparse.Namespace) -> list[str]:
    if args.query:
        return [" ".join(args.query)]
    return [line.rstrip("\n") for line in sys.stdin]


def cmd_search(args: argparse.Namespace) -> int:
    import json

    from confsearch.search import QueryError

    queries = _queries_from(args)
    searcher = open_searcher(_settings(args), quiet=args.json)
    status = 0
    for start in range(0, len(queries), 32):
        chunk = queries[start : start + 32]
        try:
            responses = searcher.search_many(
                chunk, k=args.k, region=args.region, session=args.session
            )
        except QueryError:
            # One bad line must not hide the answers to the others: go one by one.
            responses = []
            for q in chunk:
                try:
                    responses.append(
                        searcher.search(q, k=args.k, region=args.region, session=args.session)
                    )
                except QueryError as exc:
                    responses.append(exc)
        for q, resp in zip(chunk, responses, strict=True):
            if isinstance(resp, QueryError):
                status = 1 if len(queries) == 1 else status
                if args.json:
                    print(
                        json.dumps({"query": q, "hits": [], "error": str(resp)}, ensure_ascii=False)
                    )
                else:
                    print(f"Fråga: {q}\n{resp}\n")
            elif args.json:
                print(json.dumps(resp.to_json(), ensure_ascii=False), flush=True)
            else:
                _print_listing(resp, searcher.config)
    return status


def cmd_regions(args: argparse.Namespace) -> int:
    from confsearch.messages import NO_REGIONS_FOUND

    searcher = open_searcher(_settings(args))
    query = " ".join(args.query)
    results = searcher.regions(query, k=args.k)
    if not results:
        print(NO_REGIONS_FOUND)
        return 0
    print(f"Regioner och organisationer som arbetat med: {query}\n")
    for i, r in enumerate(results, 1):
        p = r.best.passage
        print(
            f"{i}. {r.region}  (poäng {r.score:.2f}, {r.passages} stycken, "
            f"lärpass: {', '.join(r.sessions)})"
        )
        print(f"   Bästa stycke: {p.text[:300]}{'…' if len(p.text) > 300 else ''}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from confsearch.answer import ask_text

    searcher = open_searcher(_settings(args))
    print(ask_text(searcher, " ".join(args.query), k=args.k))
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    from confsearch.briefing import brief, to_docx, to_markdown

    out = Path(args.out)
    if out.suffix.lower() not in (".md", ".docx"):
        raise UserError("--out måste sluta på .md eller .docx.")
    searcher = open_searcher(_settings(args))
    note = brief(searcher, args.query, k=args.k)
    data = to_docx(note) if out.suffix.lower() == ".docx" else to_markdown(note).encode("utf-8")
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        raise UserError(f"Kunde inte skriva {out}: {exc.strerror or exc}.") from exc
    print(f"Anteckning med {len(note.items)} stycken för {len(args.query)} frågor sparad i {out}.")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from confsearch import evaluate

    searcher = open_searcher(_settings(args))
    embedder = searcher.embedder
    questions = evaluate.load_questions()
    print(
        evaluate.format_table(
            "Egen frågesamling", evaluate.eval_questions(searcher.index, embedder, questions)
        )
    )
    for split in args.swefaq:
        print()
        results = evaluate.eval_swefaq(embedder, split)
        results["bm25-plain"] = evaluate.plain_bm25_swefaq(split)
        print(evaluate.format_table(f"SweFAQ {split}", results))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m confsearch",
        description="Konferenssök – sök och fråga i konferenstexter.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("model", help="visa vilken inbäddningsmodell som används")
    p.add_argument("--model", help="modellnamn eller lokal sökväg (annars CONFSEARCH_MODEL)")
    p.add_argument("--dtype", choices=["auto", "fp32", "bf16"])
    p.add_argument("--path", action="store_true", help="skriv bara ut modellmappens sökväg")
    p.set_defaults(func=cmd_model)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--index", help="indexmapp (standard: index/)")
        p.add_argument("--model", help="modellnamn eller lokal sökväg")
        p.add_argument("--dtype", choices=["auto", "fp32", "bf16"])

    p = sub.add_parser("search", help="sök stycken; utan fråga läses en fråga per rad från stdin")
    p.add_argument("query", nargs="*", help="frågan")
    p.add_argument("--k", type=int, default=5, help="antal träffar (standard 5)")
    p.add_argument("--region", help="visa bara träffar från en region/organisation")
    p.add_argument("--session", help="visa bara träffar från ett lärpass")
    p.add_argument("--json", action="store_true", help="ett JSON-objekt per fråga och rad")
    common(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("regions", help="vilka regioner/organisationer arbetat med ämnet")
    p.add_argument("query", nargs="+")
    p.add_argument("--k", type=int, default=10)
    common(p)
    p.set_defaults(func=cmd_regions)

    p = sub.add_parser("ask", help="kort svar med källhänvisningar")
    p.add_argument("query", nargs="+")
    p.add_argument("--k", type=int, default=5)
    common(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("brief", help="anteckning med de bästa styckena för varje fråga")
    p.add_argument("query", nargs="+", help="en eller flera frågor (citera varje fråga)")
    p.add_argument("--out", required=True, help="fil att skriva: .md eller .docx")
    p.add_argument("--k", type=int, default=3, help="stycken per fråga")
    common(p)
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser("eval", help="utvärdera sökningen (egen frågesamling och SweFAQ)")
    p.add_argument(
        "--swefaq", nargs="*", default=["dev", "test"], choices=["dev", "test"], help="SweFAQ-delar"
    )
    common(p)
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    from confsearch.index import IndexError_
    from confsearch.model import ModelError
    from confsearch.search import QueryError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (UserError, ModelError, IndexError_, QueryError) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
