"""``python -m confsearch`` — see :mod:`confsearch.cli`."""

from confsearch.cli import main

raise SystemExit(main())
