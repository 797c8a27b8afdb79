"""``python -m confsearch`` — see :mod:`confsearch.cli`.

Signals end the command quietly with the conventional exit codes: Ctrl-C at any moment
(even while modules are still loading) exits 130 with "Avbrutet."; a closed pipe
(``… | head -1``) ends the process as it ends ``cat``, without a traceback.
"""

import signal
import sys


def _interrupted(signum, frame):
    sys.stderr.write("Avbrutet.\n")
    sys.stderr.flush()
    raise SystemExit(130)


signal.signal(signal.SIGINT, _interrupted)
signal.signal(signal.SIGPIPE, signal.SIG_DFL)

from confsearch.cli import main  # noqa: E402

raise SystemExit(main())
