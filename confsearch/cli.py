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
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from confsearch.errors import ConfsearchError, UserError
from confsearch.evaluation.evalsets import DEFAULT_SETS, QUESTION_SETS, SEALED_SET, SWEFAQ_SPLITS
from confsearch.messages import count_noun, os_error_text, quoted
from confsearch.settings import Settings

if TYPE_CHECKING:  # the start-up path loads the search code only for a command that searches
    from confsearch.retrieval.search import Searcher

MAX_K = 100


# ---------------------------------------------------------------- Swedish argparse

_SV = {
    "usage: ": "användning: ",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "unrecognized arguments: %s": "okända argument: %s",
    "the following arguments are required: %s": "följande argument krävs: %s",
    "expected one argument": "ett värde förväntades",
    "expected at most one argument": "högst ett värde förväntades",
    "expected at least one argument": "minst ett värde förväntades",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ogiltigt val: %(value)r (välj bland %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "show this help message and exit": "visa den här hjälptexten och avsluta",
    "positional arguments": "argument",
    "options": "flaggor",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tvetydig flagga: %(option)s kan betyda %(matches)s"
    ),
    "not allowed with argument %s": "får inte användas tillsammans med %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "ignored explicit argument %r": "ignorerat värde %r",
}


def _swedish(message: str) -> str:
    return _SV.get(message, message)


def _swedish_n(singular: str, plural: str, n: int) -> str:
    return _swedish(singular if n == 1 else plural)


class SwedishParser(argparse.ArgumentParser):
    """argparse with Swedish messages (argparse looks its strings up through gettext)."""

    def __init__(self, *args, **kwargs) -> None:
        argparse._ = _swedish  # type: ignore[attr-defined]
        argparse.ngettext = _swedish_n  # type: ignore[attr-defined]
        super().__init__(*args, **kwargs)


def hits_count(value: str) -> int:
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(value)} är inget heltal") from None
    if not 1 <= k <= MAX_K:
        raise argparse.ArgumentTypeError(f"antalet måste vara mellan 1 och {MAX_K} (fick {k})")
    return k


def port_number(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(value)} är inget portnummer") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"porten måste vara mellan 0 och 65535 (fick {port})")
    return port


def seconds(value: str) -> float:
    try:
        s = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(value)} är inget antal sekunder") from None
    if not 0.1 <= s <= 3600:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"tiden måste vara mellan 0,1 och 3600 s (fick {value})")
    return s


# ---------------------------------------------------------------- shared plumbing


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env().with_(
        model=getattr(args, "model", None),
        index_dir=Path(args.index) if getattr(args, "index", None) else None,
        dtype=getattr(args, "dtype", None),
    )


def open_searcher(settings: Settings, *, quiet: bool = False) -> Searcher:
    """The searcher (refreshed first if the index of this corpus is stale)."""
    from confsearch.retrieval.service import open_searcher as open_

    if not quiet and settings.corpus_dir.is_dir():
        from confsearch.retrieval.service import index_state

        state = index_state(settings)
        if state.manifest is not None and state.ours and state.stale:
            print("Indexet är inaktuellt – bygger om det nu …", file=sys.stderr)
    opened = open_(settings)
    for warning in opened.warnings:
        print(f"Varning: {warning}", file=sys.stderr)
    return opened.searcher


def _query(words: list[str]) -> str:
    """The query from the command line, checked before anything is loaded."""
    from confsearch.retrieval.search import clean_query

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


def _print_listing(resp, config) -> None:
    from confsearch import messages
    from confsearch.retrieval.search import relevance_label

    print(f"Fråga: {resp.query}")
    reasons = resp.no_answer_reasons()
    if reasons:
        print(reasons)
    if not resp.confident:
        print(f"{messages.NO_ANSWER} {messages.NO_ANSWER_NEAREST}")
    for h in resp.hits:
        p = h.passage
        region = ", ".join(p.regions) or messages.NO_REGION
        print(f"\n[{h.rank}] {p.session} – {region}  ({relevance_label(h, config)}, {h.score:.2f})")
        if p.speakers:
            print(f"    Talare: {', '.join(p.speakers)}")
        print("    " + p.text.replace("\n", "\n    "))
        print(f"    {messages.matched_words(h.matched_terms)}. Källa: {p.source}")
    print()


def _stdin_lines() -> Iterator[str | UnicodeDecodeError]:
    """Lines of stdin as they arrive (bytes, so a line that is not UTF-8 is reported
    for that line only)."""
    stream = sys.stdin.buffer
    for raw in iter(stream.readline, b""):
        line = raw.rstrip(b"\r\n")
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield exc


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def cmd_search(args: argparse.Namespace) -> int:
    from confsearch.retrieval.search import QueryError, clean_query

    settings = _settings(args)
    searcher: Searcher | None
    if args.query:
        query = _query(args.query)  # a bad query is answered before anything is loaded
        searcher = open_searcher(settings, quiet=args.json)
        resp = searcher.search(query, k=args.k, region=args.region, session=args.session)
        if args.json:
            _emit(resp.to_json())
        else:
            _print_listing(resp, searcher.config)
        return 0

    searcher = None
    for line in _stdin_lines():
        if isinstance(line, UnicodeDecodeError):
            error = "Raden är inte giltig UTF-8 och kunde inte läsas."
            if args.json:
                _emit({"query": None, "hits": [], "error": error})
            else:
                print(f"{error}\n")
            continue
        try:
            clean_query(line)
            if searcher is None:
                searcher = open_searcher(settings, quiet=args.json)
            resp = searcher.search(line, k=args.k, region=args.region, session=args.session)
        except QueryError as exc:
            if args.json:
                _emit({"query": line, "hits": [], "error": str(exc)})
            else:
                print(f"Fråga: {line}\n{exc}\n", flush=True)
            continue
        if args.json:
            _emit(resp.to_json())
        else:
            _print_listing(resp, searcher.config)
            sys.stdout.flush()
    return 0


def cmd_regions(args: argparse.Namespace) -> int:
    from confsearch.messages import NO_REGIONS_WITH_EVIDENCE

    query = _query(args.query)
    searcher = open_searcher(_settings(args))
    results = searcher.regions(query, k=args.k)
    if not results:
        print(NO_REGIONS_WITH_EVIDENCE)
        return 0
    print(f"Regioner och organisationer som arbetat med: {query}\n")
    for i, r in enumerate(results, 1):
        p = r.best.passage
        print(
            f"{i}. {r.region}  (poäng {r.score:.2f}, "
            f"{count_noun(r.passages, 'stycke', 'stycken')}, lärpass: {', '.join(r.sessions)})"
        )
        print(f"   Bästa stycke: {p.text[:300]}{'…' if len(p.text) > 300 else ''}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from confsearch.answers.asking import ask_json, ask_text

    query = _query(args.query)
    searcher = open_searcher(_settings(args), quiet=args.json)
    filters = {"region": args.region, "session": args.session}
    if args.json:
        _emit(ask_json(searcher, query, k=args.k, **filters))
    else:
        print(ask_text(searcher, query, k=args.k, **filters))
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    from confsearch.answers.briefing import brief, to_markdown
    from confsearch.answers.wordnote import to_docx
    from confsearch.fsutil import atomic_write

    out = Path(args.out)
    if out.suffix.lower() not in (".md", ".docx"):
        raise UserError("--out måste sluta på .md eller .docx.")
    for q in args.query:
        _query([q])
    searcher = open_searcher(_settings(args))
    note = brief(searcher, args.query, k=args.k)
    data = to_docx(note) if out.suffix.lower() == ".docx" else to_markdown(note).encode("utf-8")
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
    searcher = open_searcher(settings)
    scratch = functools.partial(scratch_store, settings)
    print(evaluate.report(searcher, args.set, args.swefaq, scratch))
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    from confsearch.reading.doclisting import format_listing, list_documents

    corpus = Path(args.corpus) if args.corpus else Settings.from_env().corpus_dir
    if not corpus.is_dir():
        raise UserError(f"Mappen {corpus} finns inte.")
    docs, problems = list_documents(corpus)
    if args.json:
        _emit({"documents": docs, "problems": problems})
    else:
        sys.stdout.write(format_listing(docs))
        for message in problems:
            print(message, file=sys.stderr)
    return 0


def cmd_eval_reading(args: argparse.Namespace) -> int:
    from confsearch.evaluation.readingeval import evaluate_dir, format_report

    folder = Path(args.folder)
    if not (folder / "gold.jsonl").is_file():
        raise UserError(f"{folder} saknar facit (gold.jsonl).")
    report = evaluate_dir(folder)
    if args.json:
        _emit(report)
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
    from confsearch.reading.corpusfiles import CorpusFileError, remove_document
    from confsearch.retrieval.service import refresh_index

    settings = _settings(args)
    try:
        moved = remove_document(settings.corpus_dir, args.file)
    except CorpusFileError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    print(f"{args.file} togs bort ur korpusen (filen sparades i {moved.parent}).")
    report = refresh_index(settings)
    if report is not None:
        print(
            f"Sökindexet har nu {count_noun(report.passages, 'stycke', 'stycken')} från "
            f"{count_noun(report.documents, 'dokument', 'dokument')}."
            + (" Inget behövde bäddas in på nytt." if report.embedded == 0 else "")
        )
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

    p = sub.add_parser("search", help="sök stycken; utan fråga läses en fråga per rad från stdin")
    p.add_argument("query", nargs="*", help="frågan")
    p.add_argument("--k", type=hits_count, default=5, help="antal träffar (standard 5)")
    p.add_argument("--region", help="visa bara träffar från en region/organisation")
    p.add_argument("--session", help="visa bara träffar från ett lärpass")
    p.add_argument("--json", action="store_true", help="ett JSON-objekt per fråga och rad")
    common(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("regions", help="vilka regioner/organisationer arbetat med ämnet")
    p.add_argument("query", nargs="+")
    p.add_argument("--k", type=hits_count, default=10)
    common(p)
    p.set_defaults(func=cmd_regions)

    p = sub.add_parser("ask", help="kort svar med källhänvisningar")
    p.add_argument("query", nargs="+")
    p.add_argument("--k", type=hits_count, default=5)
    p.add_argument("--region", help="svara bara ur en region/organisation")
    p.add_argument("--session", help="svara bara ur ett lärpass")
    p.add_argument("--json", action="store_true", help="svaret som ett JSON-objekt")
    common(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("brief", help="anteckning med de bästa styckena för varje fråga")
    p.add_argument("query", nargs="+", help="en eller flera frågor (citera varje fråga)")
    p.add_argument("--out", required=True, help="fil att skriva: .md eller .docx")
    p.add_argument("--k", type=hits_count, default=3, help="stycken per fråga")
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
