"""The README's layout section is what the modules' docstrings say (docs tested against
the code): regenerate it with ``python -m confsearch.devtools.readme``."""

from __future__ import annotations

from confsearch.devtools import readme
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_layout_is_generated_from_the_docstrings():
    assert readme.with_layout(README, ROOT) == README, (
        "README.md's layout differs from the module docstrings: run "
        "`python -m confsearch.devtools.readme`"
    )


def test_every_package_module_says_why_it_exists():
    missing = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "confsearch").rglob("*.py")
        if not readme.summary(p)
    ]
    assert not missing, f"modules without a docstring: {missing}"


def test_the_layout_lists_every_module_and_subpackage():
    section = readme.layout(ROOT)
    for path in (ROOT / "confsearch").rglob("*.py"):
        rel = path.relative_to(ROOT / "confsearch")
        shown = (
            f"`{rel.parent.as_posix()}/`" if rel.name == "__init__.py" else f"`{rel.as_posix()}`"
        )
        if rel.as_posix() != "__init__.py":
            assert shown in section, shown


def test_a_readme_without_the_section_is_an_error():
    try:
        readme.with_layout("# Konferenssök\n", ROOT)
    except ValueError as exc:
        assert "layout" in str(exc)
    else:
        raise AssertionError("a README without the section was accepted")
