"""The build worker's budgets: a build over its time or memory budget is stopped, the
uploader gets one Swedish sentence (never the worker's traceback), and the index that
was serving stays exactly as it was."""

from __future__ import annotations

import shutil

import pytest

from confsearch.retrieval.index import build_index
from confsearch.settings import Settings
from confsearch.web.worker import BuildJob
from tests.conftest import REAL_CORPUS, FakeEmbedder

pytestmark = pytest.mark.process


@pytest.fixture
def settings(tmp_path) -> Settings:
    shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    build_index(tmp_path / "corpus", tmp_path / "index", FakeEmbedder())
    (tmp_path / "corpus" / "ny.md").write_text("# Ny\n\n## Pass\n\nRegion Skåne om tåg.\n")
    return Settings.from_env().with_(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")


def _snapshot(index) -> dict:
    return {p.relative_to(index): p.read_bytes() for p in index.rglob("*") if p.is_file()}


def test_a_build_over_its_memory_budget_is_stopped_with_a_swedish_message(settings):
    before = _snapshot(settings.index_dir)
    outcome = BuildJob(settings, memory_mb=300).wait()  # torch cannot even be mapped
    assert not outcome.ok
    assert outcome.message == "Indexeringen behövde mer minne än den får använda."
    assert _snapshot(settings.index_dir) == before


def test_a_build_over_its_time_budget_is_killed_with_a_swedish_message(settings):
    before = _snapshot(settings.index_dir)
    job = BuildJob(settings, timeout=2.0)  # far less than loading the model takes
    outcome = job.wait()
    assert job.proc.poll() is not None  # the worker is gone, not left running
    assert not outcome.ok
    assert outcome.message == "Indexeringen tog längre tid än 2 sekunder och avbröts."
    assert _snapshot(settings.index_dir) == before


def test_every_session_waiting_on_one_build_is_told_its_outcome(settings):
    """Two page sessions waiting on the same job (issue 27, finding 8): the second was
    given ``ValueError: seek of closed file`` because the first had closed the job's
    files; now both get the same Swedish outcome."""
    import threading

    job = BuildJob(settings, timeout=2.0)
    results: list = []
    errors: list = []

    def waiter() -> None:
        try:
            results.append(job.wait(poll=0.05))
        except Exception as exc:  # the failure being tested for
            errors.append(exc)

    threads = [threading.Thread(target=waiter) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [r.message for r in results] == [
        "Indexeringen tog längre tid än 2 sekunder och avbröts."
    ] * 2


def test_the_worker_builds_with_the_settings_it_was_given(tmp_path):
    """The settings reach the worker as its environment (Settings.to_env), not as flags:
    an index "folder" that is a file is named in the worker's Swedish refusal."""
    shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    (tmp_path / "fil").write_text("ingen mapp")
    settings = Settings.from_env().with_(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "fil")
    outcome = BuildJob(settings).wait(poll=0.05)
    assert not outcome.ok
    assert outcome.message.startswith(f"{tmp_path / 'fil'} är ingen mapp.")
    assert (tmp_path / "fil").read_text() == "ingen mapp"
