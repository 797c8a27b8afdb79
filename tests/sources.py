"""The project's Python sources, each parsed once per test process: the architecture,
messages and settings tests all read every module's syntax tree (parsing them again for
each test cost about 1.5 s of the unit tier)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path


def syntax_tree(path: Path) -> ast.Module:
    """``path`` parsed, once per content (read-only: callers never change the tree)."""
    return _parsed(path.read_text(encoding="utf-8"))


@cache
def _parsed(source: str) -> ast.Module:
    return ast.parse(source)
