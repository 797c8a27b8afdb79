"""Admission control for the HTTP API: what one request may cost and how many at once.

One ``POST /brief`` of 20 questions at k=100 costs about 20 s of CPU on two cores; eight of
them abandoned by their clients used to keep every search thread busy for a minute while
``/health`` said ready. So:

* **A cost budget per request** (:func:`brief_cost`): questions × k above
  :data:`BRIEF_BUDGET` is refused at once with a Swedish 413 that says what fits.
* **Work stops when nobody waits for it**: the request's :class:`threading.Event` is set
  when the client disconnects or the time limit passes, and the work checks it between
  questions (:class:`Cancelled`).
* **Expensive requests are rationed** (:class:`Admission`): at most
  :data:`PER_CLIENT` at once per client address and :data:`EXPENSIVE_TOTAL` in all, so
  ordinary searches always find a free thread; beyond that a Swedish 429 with
  ``Retry-After``.
* **Health tells the truth** (:class:`Pressure`): while jobs queue for a thread, or a
  request timed out or failed on the index (a database error) and none has succeeded
  since, ``/health`` says "degraded" and why.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

BRIEF_BUDGET = 500  # questions × k of one /brief (20 questions at k=25, 5 at k=100)
PER_CLIENT = 2  # expensive requests at once per client address
EXPENSIVE_TOTAL = 2  # expensive requests at once in all (of api.WORKERS threads)
RETRY_AFTER = 5  # seconds, for 429 and 503 answers
TIMEOUT_MEMORY = 30.0  # seconds a 504 keeps /health degraded unless a request succeeds

BUSY = (
    "Du har redan {n} tunga förfrågningar (anteckningar) igång. Vänta tills de är klara och "
    "försök igen om en stund."
)
BUSY_ALL = (
    "Tjänsten arbetar redan med så många tunga förfrågningar (anteckningar) som den klarar. "
    "Försök igen om en stund."
)
OVER_BUDGET = (
    "Anteckningen blir för stor: {questions} frågor × {k} stycken per fråga = {cost}, högst "
    "{budget} får plats i en förfrågan. Minska antalet frågor eller stycken per fråga, eller "
    "dela upp frågorna på flera förfrågningar."
)
SATURATED = (
    "Tjänsten är hårt belastad just nu: förfrågningar väntar på en ledig arbetstråd. Försök "
    "igen om en stund."
)
TIMING_OUT = (
    "Tjänsten är hårt belastad just nu: en förfrågan tog för lång tid och avbröts. Försök "
    "igen om en stund."
)


class Cancelled(Exception):
    """The client has gone or the time limit passed: stop, nobody reads the answer."""


def check(cancel: threading.Event | None) -> None:
    """Between steps of a long job: raise :class:`Cancelled` if nobody waits any more."""
    if cancel is not None and cancel.is_set():
        raise Cancelled


def brief_cost(questions: int, k: int) -> str | None:
    """The Swedish refusal when a note of ``questions`` × ``k`` is over the budget."""
    cost = questions * k
    if cost <= BRIEF_BUDGET:
        return None
    return OVER_BUDGET.format(questions=questions, k=k, cost=cost, budget=BRIEF_BUDGET)


class Admission:
    """Counts expensive requests per client address; thread-safe."""

    def __init__(self, per_client: int = PER_CLIENT, total: int = EXPENSIVE_TOTAL) -> None:
        self.per_client, self.total = per_client, total
        self._lock = threading.Lock()
        self._running: Counter[str] = Counter()

    def enter(self, client: str) -> str | None:
        """Take a slot for ``client``; the Swedish refusal if there is none."""
        with self._lock:
            if self._running[client] >= self.per_client:
                return BUSY.format(n=self._running[client])
            if sum(self._running.values()) >= self.total:
                return BUSY_ALL
            self._running[client] += 1
            return None

    def leave(self, client: str) -> None:
        with self._lock:
            self._running[client] -= 1
            if self._running[client] <= 0:
                del self._running[client]


class Pressure:
    """How the search threads are doing, for ``/health``; thread-safe."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._lock = threading.Lock()
        self._in_flight = 0
        self._last_timeout = 0.0
        self._last_ok = 0.0
        self._failure: tuple[float, str] | None = None  # (when, why) of a failed index

    def started(self) -> None:
        with self._lock:
            self._in_flight += 1

    def finished(self, ok: bool) -> None:
        with self._lock:
            self._in_flight -= 1
            if ok:
                self._last_ok = time.monotonic()

    def timed_out(self) -> None:
        with self._lock:
            self._last_timeout = time.monotonic()

    def index_failed(self, why: str) -> None:
        """A request failed on the index itself (a database error, a version gone)."""
        with self._lock:
            self._failure = (time.monotonic(), why)

    def problem(self) -> str | None:
        """Why the service is degraded now (Swedish), or None."""
        with self._lock:
            if self._in_flight > self.workers:
                return SATURATED
            now = time.monotonic()
            if self._failure is not None:
                at, why = self._failure
                if now - at < TIMEOUT_MEMORY and self._last_ok < at:
                    return why
            recent = now - self._last_timeout < TIMEOUT_MEMORY
            if self._last_timeout and recent and self._last_ok < self._last_timeout:
                return TIMING_OUT
        return None


class Probe:
    """``check()`` (None when healthy, else why not, in Swedish) in a background thread at
    most every ``every`` seconds; :meth:`problem` answers at once with the latest result,
    so a hanging database never blocks ``/health``."""

    def __init__(self, check, hanging: str, every: float = 2.0, patience: float = 5.0) -> None:
        self.check, self.hanging, self.every, self.patience = check, hanging, every, patience
        self._lock = threading.Lock()
        self._result: str | None = None
        self._at = -every
        self._started = 0.0
        self._thread: threading.Thread | None = None

    def problem(self) -> str | None:
        """The latest result; ``hanging`` while a check has run longer than ``patience``.
        A result older than two periods (nobody asked for a while) is not trusted: this
        waits for a fresh one, at most ``patience`` seconds."""
        with self._lock:
            now = time.monotonic()
            thread = self._thread
            running = thread is not None and thread.is_alive()
            if running and now - self._started > self.patience:
                return self.hanging
            if not running and now - self._at >= self.every:
                self._started = now
                thread = self._thread = threading.Thread(
                    target=self._run, name="confsearch-probe", daemon=True
                )
                thread.start()
            if now - self._at < 2 * self.every:
                return self._result
        assert thread is not None  # running, or started just above
        thread.join(max(0.0, self.patience - (time.monotonic() - self._started)))
        with self._lock:
            return self.hanging if thread.is_alive() else self._result

    def _run(self) -> None:
        try:
            result = self.check()
        except Exception as exc:  # a probe must never take /health down
            result = str(exc) or type(exc).__name__
        with self._lock:
            self._result, self._at = result, time.monotonic()
