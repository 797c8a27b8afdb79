"""``python -m confsearch`` — see :mod:`confsearch.cli`.

Signals end the command quietly with the conventional exit codes: Ctrl-C at any moment
(even while modules are still loading) exits 130 with "Avbrutet."; a closed pipe
(``… | head -1``) ends the process as it ends ``cat``, without a traceback.
"""

import contextlib
import os
import signal
import sys


def _interrupted(signum, frame):
    sys.stderr.write("Avbrutet.\n")
    sys.stderr.flush()
    raise SystemExit(130)


def _unraisable(unraisable) -> None:
    """Ctrl-C that lands while a finalizer runs (``__del__`` of a model object) would be
    printed as "Exception ignored" and swallowed, and the command would go on: end the
    process here instead, as the handler meant to."""
    exc = unraisable.exc_value
    if isinstance(exc, SystemExit) and exc.code == 130:
        with contextlib.suppress(Exception):  # a closed pipe: nothing left to save
            sys.stdout.flush()
        os._exit(130)
    sys.__unraisablehook__(unraisable)


signal.signal(signal.SIGINT, _interrupted)
sys.unraisablehook = _unraisable
signal.signal(signal.SIGPIPE, signal.SIG_DFL)

from confsearch.cli import main  # noqa: E402

raise SystemExit(main())
