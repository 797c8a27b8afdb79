"""Index builds outside the serving process, with a time and a memory budget.

The page never builds in its own process: a hostile or merely large upload could hold the
interpreter (and every other visitor's search) for minutes, and a failed write (disk
full, read-only folder) must not leave the page half-way through a build. Instead
:class:`BuildJob` starts ``python -m confsearch.web.worker``, which

* runs at a lower CPU priority, with one embedding thread, so searches stay fast,
* has an address-space limit and a wall-clock timeout,
* writes its progress and its outcome as JSON lines to a file the page polls.

The index itself is only ever changed by an atomic publish (see :mod:`confsearch.retrieval.store`),
so killing a worker at any moment leaves the previous index serving.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from confsearch.errors import ConfsearchError
from confsearch.settings import Settings

DEFAULT_TIMEOUT = 30 * 60  # seconds for one build (embedding ~100 passages/s here)
DEFAULT_MEMORY_MB = 8 * 1024  # address space of the worker (torch maps a lot)
NICE = 10
# How running out of the address-space budget shows in a child's stderr: Python's own
# MemoryError, or a shared library (torch, faiss) that could not be mapped at import.
_OUT_OF_MEMORY = ("MemoryError", "failed to map segment", "Cannot allocate memory")


@dataclass
class Outcome:
    ok: bool
    message: str  # Swedish, for the uploader
    report: dict | None = None


class BuildJob:
    """One index build in a child process; poll :meth:`progress`, then :meth:`wait`."""

    def __init__(
        self,
        settings: Settings,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
    ) -> None:
        self.timeout = timeout
        self._outcome: Outcome | None = None
        self._outcome_lock = threading.Lock()
        fd, name = tempfile.mkstemp(prefix="confsearch-build-", suffix=".jsonl")
        os.close(fd)
        self.progress_file = Path(name)
        cmd = [
            sys.executable,
            "-m",
            "confsearch.web.worker",
            "--progress",
            str(self.progress_file),
            "--memory-mb",
            str(memory_mb),
        ]
        self.started = time.monotonic()
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in outcome())
        self.proc = subprocess.Popen(
            cmd,
            env=settings.to_env(),  # every setting, as the child's Settings.from_env() reads it
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            start_new_session=True,
        )

    def _events(self) -> list[dict]:
        try:
            lines = self.progress_file.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        out = []
        for line in lines:
            try:
                out.append(json.loads(line))
            except ValueError:
                continue  # a line being written right now
        return out

    def progress(self) -> tuple[int, int]:
        """(done, total) passages embedded so far (0, 0 while reading the corpus)."""
        events = [e for e in self._events() if "done" in e]
        return (events[-1]["done"], events[-1]["total"]) if events else (0, 0)

    def running(self) -> bool:
        if self.proc.poll() is not None:
            return False
        if time.monotonic() - self.started > self.timeout:
            self.proc.kill()
            self.proc.wait()
            return False
        return True

    def wait(self, poll: float = 0.2, on_progress=None) -> Outcome:
        """Wait for the build (calling ``on_progress(done, total)``) and say how it went."""
        while self.running():
            if on_progress is not None:
                on_progress(*self.progress())
            time.sleep(poll)
        return self.outcome()

    def outcome(self) -> Outcome:
        """How the build went; the same answer for every session that waited on this job
        (the first caller reads the worker's files, the others are given its reading)."""
        with self._outcome_lock:
            if self._outcome is None:
                self._outcome = self._read_outcome()
            return self._outcome

    def _read_outcome(self) -> Outcome:
        self._stderr.seek(0)
        stderr = self._stderr.read().decode("utf-8", "replace")
        self._stderr.close()
        events = self._events()
        self.progress_file.unlink(missing_ok=True)
        final = next((e for e in reversed(events) if "ok" in e), None)
        if final is not None:
            return Outcome(bool(final["ok"]), final.get("message", ""), final.get("report"))
        if time.monotonic() - self.started > self.timeout:
            limit = (
                f"{self.timeout / 60:.0f} minuter"
                if self.timeout >= 120
                else f"{self.timeout:.0f} sekunder"
            )
            return Outcome(False, f"Indexeringen tog längre tid än {limit} och avbröts.")
        # The worker's own stderr is for the server log, never for the uploader's page.
        if stderr.strip():
            print(f"confsearch.web.worker (kod {self.proc.returncode}):\n{stderr}", file=sys.stderr)
        if self.proc.returncode in (-9, 137) or any(s in stderr for s in _OUT_OF_MEMORY):
            return Outcome(False, "Indexeringen behövde mer minne än den får använda.")
        return Outcome(
            False,
            f"Indexeringen avbröts oväntat (kod {self.proc.returncode}). Försök igen; "
            "om felet kvarstår, be den som sköter tjänsten titta i serverns logg.",
        )


# ---------------------------------------------------------------- the child


def _write(path: Path, event: dict) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(event, ensure_ascii=False) + "\n")
        f.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m confsearch.web.worker")
    ap.add_argument("--progress", required=True)
    ap.add_argument("--memory-mb", type=int, default=DEFAULT_MEMORY_MB)
    args = ap.parse_args(argv)
    progress_file = Path(args.progress)
    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.nice(NICE)
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    # Imported only after the memory limit is set: a build whose libraries cannot be
    # mapped within the limit must fail here, as a message, not before the limit exists.
    from confsearch.retrieval.service import refresh_index  # noqa: PLC0415

    settings = Settings.from_env()  # as the page's settings (BuildJob: Settings.to_env)

    def progress(stage: str, done: int, total: int) -> None:
        _write(progress_file, {"stage": stage, "done": done, "total": total})

    try:
        import torch  # noqa: PLC0415

        torch.set_num_threads(1)
        report = refresh_index(settings, progress=progress)
    except ConfsearchError as exc:
        _write(progress_file, {"ok": False, "message": exc.message})
        return exc.exit_code
    except MemoryError:
        _write(
            progress_file,
            {"ok": False, "message": "Indexeringen behövde mer minne än den får använda."},
        )
        return 2
    assert report is not None  # None only with only_if_stale, which this does not ask
    summary = {
        "version": report.version,
        "passages": report.passages,
        "documents": report.documents,
        "errors": [
            {"path": e.path, "message": e.message, "kind": e.kind, "file": e.file}
            for e in report.errors
        ],
    }
    _write(progress_file, {"ok": True, "message": "", "report": summary})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
