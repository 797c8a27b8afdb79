"""The build worker's budgets: a build over its time or memory budget is stopped, the
uploader gets one Swedish sentence (never the worker's traceback), and the index that
was serving stays exactly as it was."""

from __future__ import annotations

import shutil

import pytest

from confsearch.index import build_index
from confsearch.settings import Settings
from confsearch.worker import BuildJob
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
