"""The docs cannot drift from the code: every command in the README parses, every CLI
command is documented, and the README's two commands are what CI and the Makefile run."""

from __future__ import annotations

import re
import shlex

import pytest

from confsearch.cli import build_parser
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _shell_lines() -> list[str]:
    """Command lines of the README's ```bash blocks (comments and continuations joined)."""
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", README, re.DOTALL):
        for raw in block.replace("\\\n", " ").splitlines():
            line = raw.split("  #")[0].strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def _argv(line: str, program: str) -> list[str] | None:
    """The arguments after ``program`` in a README line, without redirections."""
    words = shlex.split(line.split("<")[0].split("|")[0])
    for i, w in enumerate(words):
        if w == program or w.endswith("/" + program):
            return words[i + 1 :]
        if w == "-m" and i + 1 < len(words) and words[i + 1] == program:
            return words[i + 2 :]
    return None


CLI_LINES = [line for line in _shell_lines() if _argv(line, "confsearch") is not None]
EMBED_LINES = [line for line in _shell_lines() if _argv(line, "embed.py") is not None]


def test_readme_has_command_examples():
    assert len(CLI_LINES) >= 6 and EMBED_LINES


@pytest.mark.parametrize("line", CLI_LINES)
def test_every_cli_example_in_the_readme_parses(line):
    args = build_parser().parse_args(_argv(line, "confsearch"))
    assert callable(args.func)


@pytest.mark.parametrize("line", EMBED_LINES)
def test_every_embed_example_in_the_readme_parses(line):
    """Each option the README writes is an option of embed.py, spelled out in full (argparse
    would also take an abbreviation), and it sets that option; nothing else changes."""
    import embed

    parser = embed.build_parser()
    argv = _argv(line, "embed.py")
    parsed, defaults = vars(parser.parse_args(argv)), vars(parser.parse_args([]))
    changed = {"--" + k.replace("_", "-") for k in parsed if parsed[k] != defaults[k]}
    assert changed == {a.split("=")[0] for a in argv if a.startswith("--")}


def test_every_embed_option_the_readme_names_is_an_option_of_embed():
    import embed

    named = set(re.findall(r"embed\.py((?: --[a-z-]+)+)", README))
    options = {o for flags in named for o in flags.split()}
    assert options and options <= set(embed.build_parser()._option_string_actions)


def test_every_cli_command_is_in_the_readme():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    documented = {_argv(line, "confsearch")[0] for line in CLI_LINES}
    assert set(sub.choices) <= documented


def test_readme_commands_are_what_ci_and_make_run():
    first_block = re.search(r"```bash\n(.*?)```", README, re.DOTALL).group(1)
    assert [line.split()[0:2] for line in first_block.strip().splitlines()] == [
        ["make", "run"],
        ["make", "test"],
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.strip().splitlines()[-1] == "make test"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
