"""Concurrency of the HTTP API: many clients at once get what one client gets, and how fast.

Run: ``.venv/bin/python bench/api.py [--clients 20] [--per-client 50] [--write]``.

Builds the real corpus's index (temporary folder, real model), starts one real
``python -m confsearch serve`` process on a free localhost port, then:

1. asks each of :data:`REQUESTS` once, one at a time: the reference answers (and the
   sequential latency);
2. starts ``--clients`` threads at the same moment, each with its own keep-alive
   connection, each sending ``--per-client`` requests (the list, rotated per client so
   different requests run side by side), and compares every answer byte for byte with
   the reference.

Prints p50/p95/max latency, throughput, errors and mismatches; ``--write`` records them in
docs/benchmarks.md (section "api"), and exits non-zero on any error or mismatch: this is
the acceptance load. ``tests/api/test_api.py`` runs a smaller one (7 clients × 8 requests)
and asserts identical answers and zero errors, never a latency.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from confsearch.netutil import free_port  # noqa: E402 (after sys.path)

# 30 searches (some filtered, k from 1 to 100, one refused), 10 answers and 10 region lists.
_SEARCHES = [
    "Vilken region har ett cykelbibliotek?",
    "Vilka fördelar finns med fossilfritt resande utöver att klimatutsläppen minskar?",
    "Kan invånare låna en tvåhjuling av regionen för att prova på?",
    "Vilken region samarbetar med alla sina 16 kommuner i ett gemensamt råd?",
    "Vad är en projektkyrkogård?",
    "jamlika livsvilkor",
    "Hur kan AI användas i små företag?",
    "Vilken myndighet har tagit fram en samverkansmodell med fyra faser?",
    "intersektionellt perspektiv på näringslivsplan",
    "persona-hushåll regional statistik",
    "Loket och LUX industriboomen",
    "områdesövergripande forum RUS",
    "Hur mäter man social hållbarhet?",
    "civilsamhället",
    "kompetensförsörjning",
    "Vad sa Mona Karila?",
    "vätgas",
    "Vilka utmaningar finns för landsbygden?",
    "samverkan mellan kommuner",
    "What did the region do about bicycles?",
]
REQUESTS: list[tuple[str, dict]] = (
    [("/search", {"q": q, "k": str(1 + i % 10)}) for i, q in enumerate(_SEARCHES)]
    + [
        ("/search", {"q": "cykel", "region": "Region Örebro län"}),
        ("/search", {"q": "samverkan", "region": "Region Värmland", "k": "3"}),
        ("/search", {"q": "hållbarhet", "session": "Jämlika livsvillkor"}),
        ("/search", {"q": "företag", "session": "Undvik projektkyrkogårdar", "k": "2"}),
        ("/search", {"q": "klimat", "region": "Region Sörmland"}),
        ("/search", {"q": "AI", "region": "Region Västerbotten", "k": "10"}),
        ("/search", {"q": "data", "session": "Designmetod för hållbarhet"}),
        (
            "/search",
            {"q": "ungdomar", "region": "Myndigheten för ungdoms- och civilsamhällesfrågor"},
        ),
        ("/search", {"q": "cykelbibliotek", "k": "100"}),
        ("/search", {"q": "?!"}),  # refused: the same 400 every time
    ]
    + [("/ask", {"q": q}) for q in _SEARCHES[:10]]
    + [("/regions", {"q": q}) for q in _SEARCHES[10:20]]
)


def path_of(endpoint: str, params: dict) -> str:
    return endpoint + "?" + urllib.parse.urlencode(params)


# ---------------------------------------------------------------- the server


def wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as r:
                if json.load(r)["ready"]:
                    return
        except OSError:  # refused while starting, 503 while loading
            pass
        time.sleep(0.2)
    raise RuntimeError(f"serve was not ready within {timeout} s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def api_server(corpus: Path, index: Path, log: Path, *args: str, timeout: float = 300):
    """A real ``python -m confsearch serve`` on a free port; yields (url, proc)."""
    port = free_port()
    env = {
        **os.environ,
        "CONFSEARCH_CORPUS": str(corpus),
        "CONFSEARCH_INDEX": str(index),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CONFSEARCH_MODEL", None)
    cmd = [sys.executable, "-m", "confsearch", "serve", "--port", str(port), *args]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc, log, timeout)
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


# ---------------------------------------------------------------- the load


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, answered requests
    by_endpoint: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # transport errors, 5xx
    mismatches: list[str] = field(default_factory=list)  # answer differs from the reference

    def percentile(self, p: float) -> float:
        return percentile(self.latencies, p)


def percentile(values: list[float], p: float) -> float:
    xs = sorted(values)
    return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.read()


def reference(url: str, requests=REQUESTS) -> tuple[dict[str, tuple[int, bytes]], list[float]]:
    """Each request once, one at a time: its answer (status, body) and the latencies."""
    host = urllib.parse.urlsplit(url).netloc
    conn = http.client.HTTPConnection(host, timeout=300)
    answers, times = {}, []
    for endpoint, params in requests:
        path = path_of(endpoint, params)
        t0 = time.perf_counter()
        answers[path] = _get(conn, path)
        times.append(time.perf_counter() - t0)
    conn.close()
    return answers, times


def run_load(
    url: str,
    expected: dict[str, tuple[int, bytes]],
    clients: int = 20,
    per_client: int = 50,
    requests=REQUESTS,
) -> LoadResult:
    """``clients`` threads start together, each sending ``per_client`` requests."""
    host = urllib.parse.urlsplit(url).netloc
    paths = [path_of(e, p) for e, p in requests]
    result = LoadResult(requests=clients * per_client, seconds=0.0)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(host, timeout=300)
        mine = [paths[(i * 7 + j) % len(paths)] for j in range(per_client)]
        start.wait()
        for path in mine:
            t0 = time.perf_counter()
            try:
                status, body = _get(conn, path)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(host, timeout=300)
                with lock:
                    result.errors.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            seconds = time.perf_counter() - t0
            with lock:
                if status >= 500:
                    result.errors.append(f"{path}: HTTP {status} {body[:200]!r}")
                elif (status, body) != expected[path]:
                    result.mismatches.append(f"{path}: HTTP {status} {body[:200]!r}")
                else:
                    result.latencies.append(seconds)
                    result.by_endpoint.setdefault(path.split("?")[0], []).append(seconds)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - t0
    return result


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--per-client", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=3, help="sequential rounds of the 50 requests")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)

    from bench._report import cpu_description, write_section
    from confsearch.api.app import WORKERS
    from confsearch.embedding.model import load_embedder
    from confsearch.retrieval.index import build_index
    from confsearch.settings import Settings

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        shutil.copytree(ROOT / "corpus", tmp / "corpus")
        build_index(tmp / "corpus", tmp / "index", load_embedder(Settings.from_env()))
        with api_server(tmp / "corpus", tmp / "index", tmp / "serve.log") as (url, _):
            expected, _ = reference(url)  # also warms what is built lazily
            statuses = sorted(status for status, _ in expected.values())
            if statuses != [200] * (len(REQUESTS) - 1) + [400]:
                raise SystemExit(f"unexpected reference statuses: {statuses}")
            sequential: dict[str, list[float]] = {}
            for _ in range(args.rounds):
                _, times = reference(url)
                for (endpoint, _), seconds in zip(REQUESTS, times, strict=True):
                    sequential.setdefault(endpoint, []).append(seconds)
            load = run_load(url, expected, args.clients, args.per_client)

    def row(name: str, xs: list[float], rate: str = "", errors: str = "", bad: str = "") -> str:
        ms = [1000 * x for x in xs]
        return (
            f"| {name} | {len(ms)} | {percentile(ms, 0.5):.0f} | {percentile(ms, 0.95):.0f} | "
            f"{max(ms, default=float('nan')):.0f} | {rate} | {errors} | {bad} |"
        )

    every = [x for xs in sequential.values() for x in xs]
    rows = [
        "| run | answers | p50 ms | p95 ms | max ms | requests/s | errors | mismatches |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        row("1 client, one request at a time", every, f"{len(every) / sum(every):.1f}"),
        *(row(f"… {endpoint} only", xs) for endpoint, xs in sequential.items()),
        row(
            f"**{args.clients} clients × {args.per_client} requests at once**",
            load.latencies,
            f"{load.requests / load.seconds:.1f}",
            f"**{len(load.errors)}**",
            f"**{len(load.mismatches)}**",
        ),
        *(row(f"… {endpoint} only", xs) for endpoint, xs in load.by_endpoint.items()),
    ]
    loadavg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    body = (
        "## HTTP API under concurrent clients (`bench/api.py`)\n\n"
        f"CPU: {cpu_description()}; load average at the end: {loadavg}. One "
        f"`python -m confsearch serve` process (default model, files backend, {WORKERS} "
        f"search threads), real corpus; {len(REQUESTS)} different requests (searches with and "
        "without region/session filters and k from 1 to 100, one refused query, `/ask`, "
        "`/regions`), each client on its own keep-alive connection over localhost. Every "
        "concurrent answer is compared byte for byte with the sequential one. Latency is "
        "from sending the request to the last byte of the answer, waiting for a free search "
        "thread included: with 20 clients on 2 cores it is mostly queueing.\n\n"
        + "\n".join(rows)
        + "\n"
    )
    print(body)
    for line in (load.errors + load.mismatches)[:10]:
        print("  ", line)
    if args.write:
        write_section("api", body)
    return 1 if load.errors or load.mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
