"""Fixtures shared by the page tests (AppTest and real server): one corpus + index per module."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from confsearch.index import build_index
from tests.conftest import REAL_CORPUS


@pytest.fixture(scope="module")
def base(tmp_path_factory, real_embedder) -> Path:
    """A copy of the real corpus with its index, built once for the module."""
    tmp = tmp_path_factory.mktemp("page")
    shutil.copytree(REAL_CORPUS, tmp / "corpus")
    build_index(tmp / "corpus", tmp / "index", real_embedder)
    return tmp


@pytest.fixture
def env(base, monkeypatch):
    monkeypatch.setenv("CONFSEARCH_CORPUS", str(base / "corpus"))
    monkeypatch.setenv("CONFSEARCH_INDEX", str(base / "index"))
    return base


@pytest.fixture
def own_copy(base, tmp_path, monkeypatch):
    """A private corpus + index (copied with mtimes, so the index is still current)."""
    shutil.copytree(base / "corpus", tmp_path / "corpus")
    shutil.copytree(base / "index", tmp_path / "index")
    monkeypatch.setenv("CONFSEARCH_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("CONFSEARCH_INDEX", str(tmp_path / "index"))
    return tmp_path
