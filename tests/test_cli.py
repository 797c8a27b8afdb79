"""The command line, in-process through ``cli.main(argv)`` (fast: a fake model)."""

from __future__ import annotations

import shutil

import pytest

import confsearch.index
import confsearch.model
from confsearch import cli
from tests.conftest import REAL_CORPUS, FakeEmbedder


@pytest.fixture
def fake_env(tmp_path, monkeypatch):
    """A private corpus and index, and the fake model instead of the real one."""
    shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    monkeypatch.setenv("CONFSEARCH_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("CONFSEARCH_INDEX", str(tmp_path / "index"))
    monkeypatch.setattr(confsearch.model, "load_embedder", lambda settings: FakeEmbedder())
    confsearch.index.build_index(tmp_path / "corpus", tmp_path / "index", FakeEmbedder())
    return tmp_path


def test_eval_loads_and_verifies_the_index_once(fake_env, monkeypatch, capsys):
    loads = []
    real = confsearch.index.load_index

    def counting(*args, **kwargs):
        loads.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(confsearch.index, "load_index", counting)
    assert cli.main(["eval", "--swefaq"]) == 0
    assert len(loads) == 1
    assert "Egen frågesamling" in capsys.readouterr().out
