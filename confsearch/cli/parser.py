"""The Swedish argparse of every command-line entry point (``python -m confsearch``,
``embed.py``, ``confsearch.devtools.pgserver``) and the argument types they share.

Kept apart from the commands so an entry point that only needs the parser does not
import the CLI (and the CLI's commands do not import each other's front ends).
"""

from __future__ import annotations

import argparse

from confsearch.messages import quoted

_SV = {
    "usage: ": "användning: ",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "unrecognized arguments: %s": "okända argument: %s",
    "the following arguments are required: %s": "följande argument krävs: %s",
    "expected one argument": "ett värde förväntades",
    "expected at most one argument": "högst ett värde förväntades",
    "expected at least one argument": "minst ett värde förväntades",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ogiltigt val: %(value)r (välj bland %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "show this help message and exit": "visa den här hjälptexten och avsluta",
    "positional arguments": "argument",
    "options": "flaggor",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tvetydig flagga: %(option)s kan betyda %(matches)s"
    ),
    "not allowed with argument %s": "får inte användas tillsammans med %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "ignored explicit argument %r": "ignorerat värde %r",
}


def _swedish(message: str) -> str:
    return _SV.get(message, message)


def _swedish_n(singular: str, plural: str, n: int) -> str:
    return _swedish(singular if n == 1 else plural)


class SwedishParser(argparse.ArgumentParser):
    """argparse with Swedish messages (argparse looks its strings up through gettext)."""

    def __init__(self, *args, **kwargs) -> None:
        argparse._ = _swedish  # type: ignore[attr-defined]
        argparse.ngettext = _swedish_n  # type: ignore[attr-defined]
        super().__init__(*args, **kwargs)


def port_number(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(value)} är inget portnummer") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"porten måste vara mellan 0 och 65535 (fick {port})")
    return port


def seconds(value: str) -> float:
    try:
        s = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(value)} är inget antal sekunder") from None
    if not 0.1 <= s <= 3600:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"tiden måste vara mellan 0,1 och 3600 s (fick {value})")
    return s
