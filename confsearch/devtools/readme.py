"""The README's layout section, generated from the package's module docstrings.

The layout is what each module says about itself (the first paragraph of its docstring),
so it cannot drift from the code: ``tests/test_readme_layout.py`` fails when the README
differs from what this generates, and ``python -m confsearch.devtools.readme`` rewrites
the section (``--check`` only compares). Nothing is imported: docstrings are read with
``ast``, so no model or database library loads.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from confsearch.fsutil import atomic_write
from confsearch.settings import PROJECT_ROOT

BEGIN = (
    "<!-- layout: generated from the module docstrings by "
    "`python -m confsearch.devtools.readme`; edit the docstrings, not this list -->"
)
END = "<!-- /layout -->"


def summary(path: Path) -> str:
    """The first paragraph of a module's docstring, on one line."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = doc.strip().split("\n\n", 1)[0]
    return " ".join(first.split())


def _entries(folder: Path, package: Path, depth: int) -> list[str]:
    lines = []
    indent = "  " * depth
    modules = sorted(p for p in folder.glob("*.py") if p.name != "__init__.py")
    for path in modules:
        lines.append(f"{indent}- `{path.relative_to(package).as_posix()}` — {summary(path)}")
    subpackages = sorted(p for p in folder.iterdir() if (p / "__init__.py").is_file())
    for sub in subpackages:
        name = sub.relative_to(package).as_posix()
        lines.append(f"{indent}- `{name}/` — {summary(sub / '__init__.py')}")
        lines.extend(_entries(sub, package, depth + 1))
    return lines


def layout(root: Path = PROJECT_ROOT) -> str:
    """The generated section, markers included."""
    package = root / "confsearch"
    head = f"- `confsearch/` — {summary(package / '__init__.py')}"
    return "\n".join([BEGIN, head, *_entries(package, package, 1), END])


def with_layout(readme: str, root: Path = PROJECT_ROOT) -> str:
    """``readme`` with its generated section replaced by the current one."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no generated layout section ({BEGIN!r} … {END!r})")
    return readme[:start] + layout(root) + readme[end + len(END) :]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m confsearch.devtools.readme",
        description="Skriv om README:ns avsnitt om kodens upplägg från modulernas docstrings.",
    )
    ap.add_argument(
        "--check", action="store_true", help="jämför bara; avsluta med 1 om det skiljer"
    )
    args = ap.parse_args(argv)
    path = PROJECT_ROOT / "README.md"
    current = path.read_text(encoding="utf-8")
    wanted = with_layout(current)
    if args.check:
        if wanted != current:
            print("README.md:s avsnitt om upplägget stämmer inte med docstrings.", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        atomic_write(path, wanted.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
