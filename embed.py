"""Build the search index: ``python embed.py`` reads corpus/ and writes index/.

Thin entry point over :mod:`confsearch.retrieval.index`; see ``python embed.py --help``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from confsearch.cli.parser import SwedishParser
from confsearch.embedding.fastengine import engine_build_for
from confsearch.errors import ConfsearchError
from confsearch.retrieval.service import refresh_index
from confsearch.retrieval.store import open_store
from confsearch.settings import DEFAULT_MODEL, Settings


def build_parser() -> argparse.ArgumentParser:
    ap = SwedishParser(description="Bygg sökindexet från konferenstexterna.")
    ap.add_argument("--corpus", help="mapp med konferenstexter (standard: corpus/)")
    ap.add_argument("--index", help="mapp där indexet skrivs (standard: index/)")
    ap.add_argument("--model", help="inbäddningsmodell: namn eller lokal sökväg")
    ap.add_argument("--dtype", choices=["auto", "fp32", "bf16"])
    ap.add_argument(
        "--if-stale", action="store_true", help="bygg bara om korpusen eller modellen ändrats"
    )
    ap.add_argument(
        "--replace",
        action="store_true",
        help="ersätt ett index som inte går att läsa (skrivs annars aldrig över); "
        "tar bara bort det indexet självt skrev, aldrig andra filer",
    )
    ap.add_argument(
        "--allow-shrink",
        action="store_true",
        help="bekräfta att korpusen verkligen har krympt: ersätt ett index även om den "
        "nya korpusen har mindre än hälften så många dokument",
    )
    ap.add_argument(
        "--change-model",
        action="store_true",
        help="bygg om ett delat databasindex med en annan modell än det byggdes med",
    )
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env().with_(
        corpus_dir=Path(args.corpus) if args.corpus else None,
        index_dir=Path(args.index) if args.index else None,
        model=args.model,
        dtype=args.dtype,
    )
    from tqdm import tqdm  # a progress bar only when a build runs (heavy import)

    bar: tqdm | None = None

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc="Bäddar in stycken", unit="st")
        bar.n = done
        bar.refresh()

    try:
        report = refresh_index(
            settings,
            progress=progress,
            only_if_stale=args.if_stale,
            replace=args.replace,
            allow_shrink=args.allow_shrink,
            change_model=args.change_model,
        )
    except ConfsearchError as exc:
        print(f"Fel: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
    finally:
        if bar is not None:
            bar.close()
    _prepare_query_engine(settings)
    if report is None:
        print(f"Indexet i {open_store(settings).location} är aktuellt.")
        return 0
    for err in report.errors:
        print(f"Varning: {err.path}: {err.message}", file=sys.stderr)
    print(
        f"Klart: {report.passages} stycken från {report.documents} dokument "
        f"({report.embedded} nya inbäddningar, {report.reused} återanvända, "
        f"{report.index_type}-index) på {report.seconds:.1f} s → {report.index_dir}"
    )
    return 0


def _prepare_query_engine(settings: Settings) -> None:
    """Compile the question encoder for this machine now (~1 s, once) rather than during
    the page's first answer (`make run` starts the page right after this)."""
    if settings.model == DEFAULT_MODEL:
        engine_build_for(settings)


if __name__ == "__main__":
    raise SystemExit(main())
