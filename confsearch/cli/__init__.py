"""Command line: ``python -m confsearch <command>``.

Messages are in Swedish because the people running these commands are officials, not
programmers; errors are one clear line, never a stack trace. Arguments and queries are
checked before anything heavy is loaded, so bad input is answered at once; answering a
question with the default model never imports torch (see :mod:`confsearch.embedding.model`).

``search --json`` without a query reads one question per line from stdin and writes one
JSON object per line, in order, flushed as soon as each is answered: a tool can pipe one
question at a time. A line that is not UTF-8 gets an error object, never a traceback.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from confsearch.cli.lines import emit, stdin_lines
from confsearch.cli.parser import SwedishParser, port_number, seconds
from confsearch.errors import ConfsearchError, UserError
from confsearch.evaluation.evalsets import DEFAULT_SETS, QUESTION_SETS, SEALED_SET, SWEFAQ_SPLITS
from confsearch.fsutil import atomic_write
from confsearch.messages import count_noun, os_error_text
from confsearch.query import QueryError, clean_query, hits_count
from confsearch.settings import Settings

if TYPE_CHECKING:  # the start-up path loads the search code only for a command that searches
    from confsearch.retrieval.search import Searcher

# The CLI's start-up path is the stated exception to "project imports at the top": the
# search stack (confsearch.qa and what it imports: numpy, the index, the answer code) is
# imported inside the commands that need it, so `--help`, a refused argument or an empty
# question is answered before any of it loads (about a second on a busy machine).

# ---------------------------------------------------------------- shared plumbing


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env().with_(
        model=getattr(args, "model", None),
        index_dir=Path(args.index) if getattr(args, "index", None) else None,
        dtype=getattr(args, "dtype", None),
    )


def _searcher(settings: Settings, *, quiet: bool = False) -> Searcher:
    """The searcher of :func:`confsearch.retrieval.service.open_searcher` (refreshed first
    if the index of this corpus is stale), with its notices on stderr."""
    # start-up path (see the imports)
    from confsearch.retrieval.service import index_state, open_searcher

    if not quiet and settings.corpus_dir.is_dir():
        state = index_state(settings)
        if state.manifest is not None and state.ours and state.stale:
            print("Indexet är inaktuellt – bygger om det nu …", file=sys.stderr)
    opened = open_searcher(settings)
    for warning in opened.warnings:
        print(f"Varning: {warning}", file=sys.stderr)
    return opened.searcher


def _query(words: list[str]) -> str:
    """The query from the command line, checked before anything is loaded."""
    return clean_query(" ".join(words))


# ---------------------------------------------------------------- commands


def cmd_model(args: argparse.Namespace) -> int:
    from confsearch.embedding.model import load_query_embedder, resolve_dtype

    settings = _settings(args)
    info = load_query_embedder(settings).info()
    if args.path:
        print(info.path)
        return 0
    print(f"Modell:     {info.name}")
    print(f"Sökväg:     {info.path}")
    print(f"Dimension:  {info.dim}")
    print(f"Indexering: sentence-transformers, {resolve_dtype(settings.dtype)}")
    print(f"Frågor:     {info.query_encoder}")
    print(f"Prompter:   fråga={info.query_prompt!r} passage={info.passage_prompt!r}")
    print(f"Status:     {info.status}")
    return 0


def _question(args: argparse.Namespace, query: str):
    """The use cases' input (:class:`confsearch.qa.Question`) from the arguments."""
    from confsearch import qa  # start-up path (see the imports)

    return qa.Question(query, args.k, getattr(args, "region", None), getattr(args, "session", None))


def cmd_search(args: argparse.Namespace) -> int:
    from confsearch import qa  # start-up path (see the imports)
    from confsearch.cli.render import print_listing

    settings = _settings(args)
    searcher: Searcher | None
    if args.query:
        query = _query(args.query)  # a bad query is answered before anything is loaded
        searcher = _searcher(settings, quiet=args.json)
        result = qa.search(searcher, _question(args, query))
        if args.json:
            emit(result.to_json())
        else:
            print_listing(result.response, searcher.config)
        return 0

    searcher = None
    for line in stdin_lines():
        if isinstance(line, UnicodeDecodeError):
            error = "Raden är inte giltig UTF-8 och kunde inte läsas."
            if args.json:
                emit(qa.refused_json(None, error))
            else:
                print(f"{error}\n")
            continue
        try:
            clean_query(line)
            if searcher is None:
                searcher = _searcher(settings, quiet=args.json)
            result = qa.search(searcher, _question(args, line))
        except QueryError as exc:
            if args.json:
                emit(qa.refused_json(line, str(exc)))
            else:
                print(f"Fråga: {line}\n{exc}\n", flush=True)
            continue
        if args.json:
            emit(result.to_json())
        else:
            print_listing(result.response, searcher.config)
            sys.stdout.flush()
    return 0


def cmd_regions(args: argparse.Namespace) -> int:
    from confsearch import qa  # start-up path (see the imports)
    from confsearch.cli.render import print_regions

    query = _query(args.query)
    searcher = _searcher(_settings(args))
    print_regions(qa.regions(searcher, _question(args, query)))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from confsearch import qa  # start-up path (see the imports)

    query = _query(args.query)
    searcher = _searcher(_settings(args), quiet=args.json)
    result = qa.ask(searcher, _question(args, query))
    if args.json:
        emit(result.to_json())
    else:
        print(result.text())
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    from confsearch import qa  # start-up path (see the imports)

    out = Path(args.out)
    if out.suffix.lower() not in (".md", ".docx"):
        raise UserError("--out måste sluta på .md eller .docx.")
    for q in args.query:
        _query([q])
    searcher = _searcher(_settings(args))
    request = qa.BriefRequest(args.query, args.k, args.region, args.session)
    result = qa.brief(searcher, request)
    note = result.note
    data = result.docx() if out.suffix.lower() == ".docx" else result.markdown().encode("utf-8")
    try:
        atomic_write(out, data)
    except OSError as exc:
        raise UserError(f"Kunde inte skriva {out}: {os_error_text(exc)}.") from exc
    print(
        f"Anteckning med {count_noun(len(note.items), 'stycke', 'stycken')} för "
        f"{count_noun(len(args.query), 'fråga', 'frågor')} sparad i {out}."
    )
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from confsearch.evaluation import evaluate
    from confsearch.retrieval.service import scratch_store

    settings = _settings(args)
    searcher = _searcher(settings)
    scratch = functools.partial(scratch_store, settings)
    print(evaluate.report(searcher, args.set, args.swefaq, scratch))
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    from confsearch import qa  # start-up path (see the imports)

    corpus = Path(args.corpus) if args.corpus else Settings.from_env().corpus_dir
    if not corpus.is_dir():
        raise UserError(f"Mappen {corpus} finns inte.")
    result = qa.documents(corpus)
    if args.json:
        emit(result.to_json())
    else:
        sys.stdout.write(result.text())
        for message in result.problems:
            print(message, file=sys.stderr)
    return 0


def cmd_eval_reading(args: argparse.Namespace) -> int:
    from confsearch.evaluation.readingeval import evaluate_dir, format_report

    folder = Path(args.folder)
    if not (folder / "gold.jsonl").is_file():
        raise UserError(f"{folder} saknar facit (gold.jsonl).")
    report = evaluate_dir(folder)
    if args.json:
        emit(report)
    else:
        sys.stdout.write(format_report(report, details=args.details))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from confsearch.api.server import serve

    settings = _settings(args).with_(api_timeout=args.timeout)
    return serve(settings, host=args.host, port=args.port)


# ---------------------------------------------------------------- parser


def cmd_remove(args: argparse.Namespace) -> int:
    """Take a document out of the corpus (into its hidden folder .borttagna/) and update
    the index; the build reuses every stored embedding."""
    from confsearch import qa  # start-up path (see the imports)

    sys.stdout.write(qa.remove(_settings(args), args.file).text())
    return 0


def cmd_replace(args: argparse.Namespace) -> int:
    """Put a new version of a corpus document in its place (same name, the old one kept
    in .borttagna/, and put back if the new one is refused) and update the index."""
    from confsearch import qa  # start-up path (see the imports)

    new = Path(args.new)
    try:
        data = new.read_bytes()
    except FileNotFoundError:
        raise UserError(f"Filen {args.new} finns inte.") from None
    except OSError as exc:
        raise UserError(f"Filen {args.new} kunde inte läsas ({os_error_text(exc)}).") from None
    sys.stdout.write(qa.replace(_settings(args), args.file, new.name, data).text())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = SwedishParser(
        prog="python -m confsearch",
        description="Konferenssök – sök och fråga i konferenstexter.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="kommando")

    p = sub.add_parser("model", help="visa vilken inbäddningsmodell som används")
    p.add_argument("--model", help="modellnamn eller lokal sökväg (annars CONFSEARCH_MODEL)")
    p.add_argument("--dtype", choices=["auto", "fp32", "bf16"])
    p.add_argument("--path", action="store_true", help="skriv bara ut modellmappens sökväg")
    p.set_defaults(func=cmd_model)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--index", help="indexmapp (standard: index/)")
        p.add_argument("--model", help="modellnamn eller lokal sökväg")
        p.add_argument("--dtype", choices=["auto", "fp32", "bf16"])

    def filters(p: argparse.ArgumentParser, words: str) -> None:
        p.add_argument("--region", help=f"{words} en region/organisation")
        p.add_argument("--session", help=f"{words} ett lärpass")

    p = sub.add_parser("search", help="sök stycken; utan fråga läses en fråga per rad från stdin")
    p.add_argument("query", nargs="*", help="frågan")
    p.add_argument("--k", type=hits_count, default=5, help="antal träffar (standard 5)")
    filters(p, "visa bara träffar från")
    p.add_argument("--json", action="store_true", help="ett JSON-objekt per fråga och rad")
    common(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("regions", help="vilka regioner/organisationer arbetat med ämnet")
    p.add_argument("query", nargs="+")
    p.add_argument("--k", type=hits_count, default=10)
    filters(p, "sök bara i")
    common(p)
    p.set_defaults(func=cmd_regions)

    p = sub.add_parser("ask", help="kort svar med källhänvisningar")
    p.add_argument("query", nargs="+")
    p.add_argument("--k", type=hits_count, default=5)
    filters(p, "svara bara ur")
    p.add_argument("--json", action="store_true", help="svaret som ett JSON-objekt")
    common(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("brief", help="anteckning med de bästa styckena för varje fråga")
    p.add_argument("query", nargs="+", help="en eller flera frågor (citera varje fråga)")
    p.add_argument("--out", required=True, help="fil att skriva: .md eller .docx")
    p.add_argument("--k", type=hits_count, default=3, help="stycken per fråga")
    filters(p, "ta bara stycken ur")
    common(p)
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser("eval", help="utvärdera sökningen (egna frågesamlingar och SweFAQ)")
    p.add_argument(
        "--set",
        nargs="*",
        default=list(DEFAULT_SETS),
        choices=list(QUESTION_SETS),
        help=(
            f"egna frågesamlingar (tests/eval/, se dess README): {', '.join(QUESTION_SETS)}; "
            f"{SEALED_SET} är förseglad"
        ),
    )
    p.add_argument(
        "--swefaq",
        nargs="*",
        default=list(SWEFAQ_SPLITS),
        choices=list(SWEFAQ_SPLITS),
        help="SweFAQ-delar",
    )
    common(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("documents", help="visa hur dokumenten lästes: titel, arrangör, år, lärpass")
    p.add_argument("--corpus", help="korpusmapp (standard: corpus/ eller CONFSEARCH_CORPUS)")
    p.add_argument("--json", action="store_true", help="skriv ut som JSON")
    p.set_defaults(func=cmd_documents)

    p = sub.add_parser("eval-reading", help="mät inläsningen mot ett facit (mapp med gold.jsonl)")
    p.add_argument("folder", help="mapp med dokument och gold.jsonl")
    p.add_argument("--json", action="store_true", help="skriv ut som JSON")
    p.add_argument("--details", action="store_true", help="visa missar per dokument")
    p.set_defaults(func=cmd_eval_reading)

    p = sub.add_parser("remove", help="ta bort ett dokument ur korpusen och uppdatera indexet")
    p.add_argument("file", help="filen i korpusmappen, t.ex. rapport.pdf")
    common(p)
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser(
        "replace", help="ersätt ett dokument med en ny version och uppdatera indexet"
    )
    p.add_argument("file", help="filen i korpusmappen, t.ex. rapport.pdf")
    p.add_argument("new", help="den nya versionen, t.ex. rapport-2.pdf (får det gamla namnet)")
    common(p)
    p.set_defaults(func=cmd_replace)

    p = sub.add_parser("serve", help="HTTP-API med JSON-svar (FastAPI, dokumentation på /docs)")
    p.add_argument("--host", default="127.0.0.1", help="adress att lyssna på (standard 127.0.0.1)")
    p.add_argument("--port", type=port_number, default=8600, help="port (standard 8600)")
    p.add_argument(
        "--timeout",
        type=seconds,
        default=None,
        help=f"högsta tid per förfrågan i s (standard {Settings.api_timeout:g})",
    )
    common(p)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ConfsearchError as exc:  # QueryError: 1; a refused command, index, model: 2
        print(f"Fel: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
