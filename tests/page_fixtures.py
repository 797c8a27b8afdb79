"""Fixtures shared by the page tests (AppTest and real server): one corpus + index per module."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def base(real_index) -> Path:
    """A copy of the real corpus with its index, built once for the module."""
    return real_index


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
