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
    return parser


def main(argv: list[str] | None = None) -> int:
    from confsearch.model import ModelError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (UserError, ModelError) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
