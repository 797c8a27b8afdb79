"""Overload and outages of the HTTP API (issue 27): what ordinary users see meanwhile.

Run: ``.venv/bin/python bench/overload.py [--pg] [--skip-overload]``.

Builds the real corpus's index (temporary folder, real model), starts one real
``python -m confsearch serve`` on 127.0.0.1 and, while a prober asks ``/search`` every
0.2 s and ``/health`` every 0.25 s (from 127.0.0.2: another user than the load, which
comes from 127.0.0.1), runs these scenarios:

* ``abandoned 20×100``: eight ``POST /brief`` of 20 questions at k=100, each sent on its
  own connection and closed within 0.5 s (over the cost budget: refused at once);
* ``abandoned 20×25``: the same at k=25, the largest note the budget admits;
* ``waiting 20×25``: eight such notes whose clients wait for the answer (two run at a
  time per client, the others get 429);
* ``16 × /ask k=100 at once`` from a third address: more work than the threads, so
  requests queue and ``/health`` should say so, and only then;
* ``1,200 slow clients``: connections that each send 250 KB of an unfinished header and
  then nothing (serve's memory before, while held and after the read deadline).

For each: the searches' worst latency and non-200 answers, and how many health probes
said not ready. ``--pg`` also measures a PostgreSQL outage: the index in a local server,
the server stopped while ``serve`` runs (``/search`` status, time and message), then
started again (time until ``/search`` answers 200, without restarting ``serve``).
The figures are in docs/reliability.md ("Overload and database outages").
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import api_server  # noqa: E402 (after sys.path)

QUESTIONS = [
    "Vilken region har ett cykelbibliotek?",
    "Vilka fördelar finns med fossilfritt resande?",
    "Vad är en projektkyrkogård?",
    "Hur kan AI användas i små företag?",
    "Hur mäter man social hållbarhet?",
    "Vilka utmaningar finns för landsbygden?",
    "samverkan mellan kommuner",
    "kompetensförsörjning",
    "vätgas",
    "civilsamhället",
] * 2  # 20 questions
# The prober is another user: another loopback address than the notes and slow clients.
PROBE_ADDRESS = "127.0.0.2"
SEARCH = "/search?" + urllib.parse.urlencode({"q": "cykelbibliotek i Örebro", "k": "5"})


@dataclass
class Probe:
    """/search every 0.2 s and /health every 0.25 s until stopped."""

    host: str
    port: int
    searches: list[tuple[float, int, float]] = field(default_factory=list)  # (t, status, s)
    health: list[tuple[float, bool]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def _get(self, path: str, timeout: float = 60) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(
            self.host, self.port, timeout=timeout, source_address=(PROBE_ADDRESS, 0)
        )
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def _searching(self) -> None:
        while not self.stop.is_set():
            t0 = time.monotonic()
            try:
                status, _ = self._get(SEARCH)
            except OSError:
                status = 0
            self.searches.append((t0, status, time.monotonic() - t0))
            self.stop.wait(0.2)

    def _health(self) -> None:
        while not self.stop.is_set():
            t0 = time.monotonic()
            try:
                status, body = self._get("/health", timeout=10)
                ready = status == 200 and json.loads(body)["ready"]
            except (OSError, ValueError):
                ready = False
            self.health.append((t0, ready))
            self.stop.wait(0.25)

    def __enter__(self) -> Probe:
        self.threads = [
            threading.Thread(target=self._searching, daemon=True),
            threading.Thread(target=self._health, daemon=True),
        ]
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(120)


def brief_request(host: str, k: int) -> bytes:
    body = json.dumps({"questions": QUESTIONS, "k": k}).encode()
    return (
        f"POST /brief HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def abandoned(host: str, port: int, k: int, n: int = 8) -> list[bytes]:
    """n notes sent and their connections closed within 0.5 s; what (if anything) came."""
    socks = []
    for _ in range(n):
        s = socket.create_connection((host, port))
        s.sendall(brief_request(host, k))
        socks.append(s)
    time.sleep(0.5)
    firsts = []
    for s in socks:
        s.setblocking(False)
        try:
            firsts.append(s.recv(200))
        except BlockingIOError:
            firsts.append(b"")
        s.close()
    return firsts


def waiting(host: str, port: int, k: int, n: int = 8) -> list[int]:
    """n notes whose clients wait for the answer; their statuses."""
    statuses: list[int] = []

    def one() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=300)
        body = json.dumps({"questions": QUESTIONS, "k": k})
        conn.request("POST", "/brief", body, {"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        statuses.append(r.status)
        conn.close()

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    return sorted(statuses)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def slow_clients(host: str, port: int, pid: int, n: int = 1200, pad: int = 250_000) -> str:
    """n connections from one address, each sending ``pad`` bytes of an unfinished
    header and then nothing: the server's memory, what the connections got, and the
    memory once the read deadline has passed."""
    from confsearch.api.server import READ_TIMEOUT

    before = rss_mb(pid)
    head = b"GET /search?q=cykel HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * pad
    socks, cut = [], 0
    for _ in range(n):
        try:
            s = socket.create_connection((host, port), timeout=10)
            s.sendall(head)
            socks.append(s)
        except OSError:
            cut += 1
    time.sleep(2)
    held = rss_mb(pid)
    time.sleep(READ_TIMEOUT + 5)
    answers: dict[str, int] = {}
    for s in socks:
        s.settimeout(5)
        try:
            first = s.recv(64)
        except OSError:
            first = b""
        code = first[9:12].decode() if first.startswith(b"HTTP/1.1 ") else "closed"
        answers[code] = answers.get(code, 0) + 1
        s.close()
    after = rss_mb(pid)
    got = ", ".join(f"{v}× {k}" for k, v in sorted(answers.items()))
    return (
        f"{n} connections: {cut} refused while sending, {got}; serve RSS {before} MB before, "
        f"{held} MB while held, {after} MB after the {READ_TIMEOUT:g} s deadline"
    )


def flood(host: str, port: int, n: int = 16) -> str:
    """n ``/ask`` at k=100 at once from another address, each waiting for its answer:
    more work than the search threads, so requests queue (the saturated case)."""
    statuses: list[int] = []
    path = "/ask?" + urllib.parse.urlencode({"q": "Hur mäter man social hållbarhet?", "k": 100})

    def one() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=300, source_address=("127.0.0.3", 0))
        conn.request("GET", path)
        r = conn.getresponse()
        r.read()
        statuses.append(r.status)
        conn.close()

    threads = [threading.Thread(target=one) for _ in range(n)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    codes = ", ".join(f"{statuses.count(c)}× {c}" for c in sorted(set(statuses)))
    return f"{codes} in {time.monotonic() - t0:.1f} s"


def scenario(name: str, host: str, port: int, run, settle: float = 20.0) -> dict:
    with Probe(host, port) as probe:
        time.sleep(2)  # a baseline
        t0 = time.monotonic()
        outcome = run()
        time.sleep(settle)
    during = [s for s in probe.searches if s[0] >= t0]
    not_ready = [t for t, ready in probe.health if t >= t0 and not ready]
    return {
        "scenario": name,
        "outcome": outcome,
        "searches": len(during),
        "search_max_s": round(max((s[2] for s in during), default=0.0), 3),
        "search_non_200": sum(1 for s in during if s[1] != 200),
        "health_probes": sum(1 for t, _ in probe.health if t >= t0),
        "health_not_ready": len(not_ready),
        "not_ready_span_s": round(max(not_ready) - min(not_ready), 1) if not_ready else 0.0,
    }


def overload_rows(tmp: Path) -> list[dict]:
    from confsearch.embedding.model import load_embedder
    from confsearch.retrieval.index import build_index
    from confsearch.settings import Settings

    shutil.copytree(ROOT / "corpus", tmp / "corpus")
    build_index(tmp / "corpus", tmp / "index", load_embedder(Settings.from_env()))
    rows = []
    with api_server(tmp / "corpus", tmp / "index", tmp / "serve.log") as (url, proc):
        host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port

        def statuses(firsts: list[bytes]) -> str:
            codes = [f[9:12].decode() if f.startswith(b"HTTP/1.1 ") else "–" for f in firsts]
            return " ".join(codes)

        rows.append(
            scenario(
                "abandoned 20×100",
                host,
                port,
                lambda: statuses(abandoned(host, port, 100)),
            )
        )
        rows.append(
            scenario("abandoned 20×25", host, port, lambda: statuses(abandoned(host, port, 25)))
        )
        rows.append(
            scenario(
                "waiting 20×25",
                host,
                port,
                lambda: " ".join(map(str, waiting(host, port, 25))),
                settle=5.0,
            )
        )
        rows.append(
            scenario("16 × /ask k=100 at once", host, port, lambda: flood(host, port), settle=5.0)
        )
        rows.append(
            scenario(
                "1,200 slow clients",
                host,
                port,
                lambda: slow_clients(host, port, proc.pid),
                settle=1.0,
            )
        )
    return rows


def pg_outage(tmp: Path) -> dict:
    """The index in a local PostgreSQL; the server stopped and started under ``serve``."""
    from confsearch.devtools.pgserver import LocalServer
    from confsearch.embedding.model import load_embedder
    from confsearch.retrieval.service import refresh_index
    from confsearch.settings import Settings

    server = LocalServer(tmp / "pgdata").start()
    url = server.url()
    corpus = tmp / "pgcorpus"
    shutil.copytree(ROOT / "corpus", corpus)
    settings = Settings.from_env().with_(corpus_dir=corpus, database_url=url)
    refresh_index(settings, embedder=load_embedder(settings))
    os.environ["CONFSEARCH_DATABASE_URL"] = url
    try:
        with api_server(corpus, tmp / "unused-index", tmp / "pg-serve.log") as (api, _):
            host, port = urllib.parse.urlsplit(api).hostname, urllib.parse.urlsplit(api).port
            probe = Probe(host, port)
            assert probe._get(SEARCH)[0] == 200
            server.stop()
            t0 = time.monotonic()
            status, body = probe._get(SEARCH, timeout=120)
            down_s = time.monotonic() - t0
            time.sleep(3)
            health_status, health = probe._get("/health")
            server.start()
            t1 = time.monotonic()
            recovered = None
            while time.monotonic() - t1 < 120:
                if probe._get(SEARCH)[0] == 200:
                    recovered = time.monotonic() - t1
                    break
                time.sleep(0.2)
            health_after = probe._get("/health")[0]
    finally:
        os.environ.pop("CONFSEARCH_DATABASE_URL", None)
        server.stop()
    return {
        "down_status": status,
        "down_seconds": round(down_s, 2),
        "down_message": json.loads(body).get("error"),
        "health_down": health_status,
        "health_down_error": json.loads(health).get("error"),
        "recovered_seconds": None if recovered is None else round(recovered, 2),
        "health_after": health_after,
    }


def table(rows: list[dict], pg: dict | None) -> str:
    out = [
        "| scenario | notes answered | searches | worst search (s) | searches not 200 | "
        "health not ready | not-ready span (s) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['scenario']} | {r['outcome']} | {r['searches']} | {r['search_max_s']} | "
            f"{r['search_non_200']} | {r['health_not_ready']} of {r['health_probes']} | "
            f"{r['not_ready_span_s']} |"
        )
    if pg:
        out += [
            "",
            f"PostgreSQL stopped under `serve`: `/search` answered {pg['down_status']} after "
            f"{pg['down_seconds']} s: «{pg['down_message']}»; `/health` {pg['health_down']} "
            f"(«{pg['health_down_error']}»). Server started again: `/search` 200 after "
            f"{pg['recovered_seconds']} s, `/health` {pg['health_after']}, `serve` not restarted.",
        ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", action="store_true", help="also measure a PostgreSQL outage")
    ap.add_argument("--skip-overload", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        rows = [] if args.skip_overload else overload_rows(tmp)
        for r in rows:
            print(json.dumps(r, ensure_ascii=False), flush=True)
        pg = pg_outage(tmp) if args.pg else None
        if pg:
            print(json.dumps(pg, ensure_ascii=False), flush=True)
    print(table(rows, pg))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
