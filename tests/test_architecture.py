"""The package's architecture, checked on its source (pure ``ast``, nothing imported).

Layers, low to high; a module may import its own layer's package or lower layers only,
never in a circle, and no module is longer than ``MAX_LINES``:

0 base modules (text, analysis, markup, messages, settings, fsutil, netutil, errors, query)
1 reading, embedding (not each other) · 2 retrieval · 3 answers · 4 evaluation, notes
5 qa (the use cases) · 6 front ends (cli, api, web, page, __main__, devtools).

``python -m pytest tests/test_architecture.py`` shows every violation at once.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from tests.sources import syntax_tree

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "confsearch"
MAX_LINES = 400

BASE = ("text", "analysis", "markup", "messages", "settings", "fsutil", "netutil")
BASE += ("errors", "query", "wordlists", "wordclass", "patterns", "tuning")
RANK = {name: 0 for name in BASE}
RANK.update(reading=1, embedding=1, retrieval=2, answers=3, evaluation=4, notes=4, qa=5)
RANK.update(cli=6, api=6, web=6, page=6, __main__=6, devtools=6)

# Known violations: none. Nothing may be added here; fix the import or split the module.
ALLOWED_CYCLES: list[set[str]] = []
ALLOWED_UPWARD: set[tuple[str, str]] = set()
ALLOWED_LONG: set[str] = set()


def module_files() -> dict[str, Path]:
    mods = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        name = ".".join(rel.parts)
        mods[name.removesuffix(".__init__")] = path
    return mods


def imports_of(name: str, path: Path, mods: dict[str, Path]) -> set[str]:
    """The package modules ``name`` imports, anywhere in the file (also in functions)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(syntax_tree(path)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "confsearch"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.split(".")[0] != "confsearch":
                continue
            for alias in node.names:
                full = f"{module}.{alias.name}"
                found.add(full if full in mods else module)
    return {m for m in found if m in mods and m != name}


@cache
def graph() -> dict[str, set[str]]:
    mods = module_files()
    return {name: imports_of(name, path, mods) for name, path in mods.items()}


def layer(module: str) -> tuple[str, int]:
    parts = module.split(".")
    group = parts[1] if len(parts) > 1 else "__init__"
    return group, RANK.get(group, -1)


def cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_every_module_has_a_layer():
    unknown = [m for m in module_files() if m != "confsearch" and layer(m)[1] < 0]
    assert not unknown, f"give these a layer in RANK (and in COMMON/README): {unknown}"


def test_no_import_cycles_among_package_modules():
    bad = [
        sorted(c) for c in cycles(graph()) if not any(c <= allowed for allowed in ALLOWED_CYCLES)
    ]
    assert not bad, f"import cycles: {bad}"


def test_no_module_imports_a_higher_layer_or_a_sibling_of_its_layer():
    bad = []
    for source, targets in graph().items():
        (group, rank) = layer(source)
        for target in targets:
            (other, other_rank) = layer(target)
            if "__init__" in (group, other) or group == other:
                continue
            sideways = other_rank == rank and rank not in (0, 6)
            if (other_rank > rank or sideways) and (source, target) not in ALLOWED_UPWARD:
                bad.append(f"{source} (layer {rank}) -> {target} (layer {other_rank})")
    assert not bad, "imports against the layers:\n" + "\n".join(sorted(bad))


def test_no_package_module_is_over_the_line_limit():
    long = {
        name: n
        for name, path in module_files().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    bad = {name: n for name, n in long.items() if name not in ALLOWED_LONG}
    assert not bad, f"modules over {MAX_LINES} lines (split them along their seams): {bad}"


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [{"a", "b", "c"}]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_the_cycle_finder_finds_cycles(edges, expected):
    assert cycles(edges) == expected


def test_the_checks_see_imports_inside_functions_and_relative_imports(tmp_path):
    mods = {"confsearch.text": Path(), "confsearch.retrieval.search": Path()}
    path = tmp_path / "x.py"
    path.write_text("def f():\n    from ..retrieval import search\n")
    assert imports_of("confsearch.reading.x", path, mods) == {"confsearch.retrieval.search"}
    path.write_text("import confsearch.text\n")
    assert imports_of("confsearch.reading.x", path, mods) == {"confsearch.text"}
