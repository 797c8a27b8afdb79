"""Settings are declared once (confsearch.settings): every environment variable the package
reads is in that table and in the README, and a child process given ``Settings.to_env()``
has exactly the parent's settings (issue 26)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from confsearch.settings import DEFAULT_MODEL, PROJECT_ROOT, TABLE, Settings, readme_table
from tests.sources import syntax_tree

PACKAGE = PROJECT_ROOT / "confsearch"
ENTRY_POINTS = [PROJECT_ROOT / "app.py", PROJECT_ROOT / "embed.py"]
# os.environ outside settings.py: process plumbing, never a setting of the product.
PLUMBING = {
    "confsearch/__init__.py",  # OMP_WAIT_POLICY / GOMP_SPINCOUNT for this process's threads
    "confsearch/embedding/base.py",  # HF_HUB_OFFLINE & co.: never touch the network
    "confsearch/web/worker.py",  # OMP_NUM_THREADS=1 in the build worker
    "confsearch/web/pageserver.py",  # STREAMLIT_* given by the caller win over our flags
    "confsearch/devtools/pgserver.py",  # the test server's environment without PG*
}


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py")) + ENTRY_POINTS


def test_every_variable_the_package_reads_is_declared_and_in_the_readme():
    used = set()
    for path in _sources():
        used |= set(re.findall(r"\bCONFSEARCH_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    declared = {env for _, env, _, _ in TABLE}
    assert used and used <= declared, used - declared
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme  # generated from the table, as it is now
    for env in declared:
        assert f"| `{env}` |" in readme


def test_the_table_names_field_variable_default_and_help():
    fields = {name: (env, default, help_) for name, env, default, help_ in TABLE}
    assert fields["model"] == (
        "CONFSEARCH_MODEL",
        DEFAULT_MODEL,
        "The embedding model: a name or a local sentence-transformers folder.",
    )
    assert fields["index_dir"][0] == "CONFSEARCH_INDEX"
    assert fields["query_threads"][:2] == ("CONFSEARCH_QUERY_THREADS", "0")
    assert all(env and help_ for env, _, help_ in fields.values())


def test_no_setting_is_read_from_the_environment_outside_settings():
    readers = set()
    for path in _sources():
        tree = syntax_tree(path)
        for node in ast.walk(tree):
            environ = isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv")
            if environ and isinstance(node.value, ast.Name) and node.value.id == "os":
                readers.add(path.relative_to(PROJECT_ROOT).as_posix())
    assert readers - PLUMBING == {"confsearch/settings.py"}


def test_from_env_reads_each_variable_as_before():
    s = Settings.from_env(
        {
            "CONFSEARCH_MODEL": "/modeller/e5",
            "CONFSEARCH_INDEX": "/tmp/i",
            "CONFSEARCH_QUERY_THREADS": "2",
            "CONFSEARCH_FAST_ENGINE": "nej",
            "CONFSEARCH_DATABASE_URL": "postgresql://x/y",
            "CC": "clang",
        }
    )
    assert (s.model, s.index_dir, s.query_threads) == ("/modeller/e5", Path("/tmp/i"), 2)
    assert (s.fast_engine, s.database_url, s.compiler) == (False, "postgresql://x/y", "clang")
    # empty or unusable values keep the default
    d = Settings.from_env({"CONFSEARCH_MODEL": "", "CONFSEARCH_QUERY_THREADS": "två"})
    assert (d.model, d.query_threads, d.fast_engine) == (DEFAULT_MODEL, 0, True)
    assert Settings.from_env({"CONFSEARCH_FAST_ENGINE": "1"}).fast_engine is True


def test_to_env_round_trips_every_setting(tmp_path):
    parent = Settings.from_env({}).with_(
        corpus_dir=tmp_path / "korpus",
        index_dir=tmp_path / "index",
        model_dir=tmp_path / "modeller",
        dtype="fp32",
        query_threads=3,
        fast_engine=False,
        compiler="gcc",
        database_url="postgresql://127.0.0.1:1/db",
        database_schema="annat",
        notes_db=tmp_path / "n.sqlite3",
        api_timeout=12.5,
        batch_size=8,
    )
    env = parent.to_env({"PATH": "/usr/bin", "CONFSEARCH_MODEL": "annan-modell"})
    assert env["PATH"] == "/usr/bin"
    assert "CONFSEARCH_MODEL" in env and env["CONFSEARCH_MODEL"] == DEFAULT_MODEL
    assert Settings.from_env(env) == parent


@pytest.mark.process
def test_a_child_process_given_to_env_has_the_same_settings(tmp_path):
    parent = Settings.from_env({}).with_(
        index_dir=tmp_path / "index", fast_engine=False, database_url="postgresql://x/y"
    )
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "from confsearch.settings import Settings as S; print(repr(S.from_env()))",
        ],
        env=parent.to_env(),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == repr(parent)


def test_an_unset_setting_is_not_inherited_by_the_child():
    parent = Settings.from_env({})
    env = parent.to_env({"CONFSEARCH_DATABASE_URL": "postgresql://förälder/db", "CC": "tcc"})
    assert "CONFSEARCH_DATABASE_URL" not in env and "CC" not in env
    assert Settings.from_env(env) == parent
