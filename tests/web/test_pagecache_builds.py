"""Page builds shared by sessions (issue 27, finding 8): an upload batch is indexed by a
build that started after its files were saved, one batch at a time per index."""

from __future__ import annotations

import threading
import time
from typing import ClassVar

import pytest

from confsearch.settings import Settings
from confsearch.web import pagecache, worker


class FakeJob:
    """A BuildJob stand-in: running until ``finish()``; records how many were started."""

    started_jobs: ClassVar[list[FakeJob]] = []

    def __init__(self, settings) -> None:
        self.started = time.monotonic()
        self.done = threading.Event()
        FakeJob.started_jobs.append(self)

    def running(self) -> bool:
        return not self.done.is_set()

    def wait(self, poll: float = 0.2, on_progress=None):
        self.done.wait()
        return worker.Outcome(True, "")

    def finish(self) -> None:
        self.done.set()


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    monkeypatch.setattr(worker, "BuildJob", FakeJob)
    monkeypatch.setattr(FakeJob, "started_jobs", [])
    monkeypatch.setattr(pagecache, "_STATE", pagecache._State())
    return Settings.from_env().with_(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")


def test_a_batch_saved_after_a_build_started_gets_a_build_of_its_own(settings):
    background = pagecache.start_build(settings)  # e.g. a stale-index rebuild
    saved_at = time.monotonic()  # this session's files are saved after it started
    got: list = []
    thread = threading.Thread(target=lambda: got.append(pagecache.build_after(settings, saved_at)))
    thread.start()
    thread.join(timeout=0.5)
    assert got == []  # it waits for the running build instead of joining it
    background.finish()
    thread.join()
    assert got[0] is not background
    assert got[0].started >= saved_at
    assert FakeJob.started_jobs == [background, got[0]]


def test_a_batch_saved_before_the_running_build_started_joins_it(settings):
    saved_at = time.monotonic()
    running = pagecache.start_build(settings)
    assert pagecache.build_after(settings, saved_at) is running
    assert FakeJob.started_jobs == [running]


def test_a_finished_job_does_not_forget_a_newer_one(settings):
    first = pagecache.start_build(settings)
    first.finish()
    second = pagecache.start_build(settings)
    pagecache.build_finished(settings, True, first)
    assert pagecache.start_build(settings) is second


def test_one_upload_batch_at_a_time_per_index(settings, tmp_path):
    lock = pagecache.upload_lock(settings)
    assert pagecache.upload_lock(settings) is lock
    other = Settings.from_env().with_(corpus_dir=tmp_path / "c2", index_dir=tmp_path / "i2")
    assert pagecache.upload_lock(other) is not lock
