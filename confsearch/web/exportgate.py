"""Downloads of the briefing note that include the last edit, however the download starts.

A user types a comment and clicks "Ladda ned" without pressing Enter: the browser sends
the edit and the click together. Streamlit's ordinary download button hands over a file
made *before* that (the old text). So the page's download buttons generate their file
only when clicked (Streamlit's deferred ``data=callable``), and the callable first waits
for the click to reach the page: the click's ``on_click`` callback runs after the edit
has been applied to the session, copies every on-screen field into the note, and calls
:meth:`ExportGate.clicked`. Only then is the file made. If the click never arrives (a
lost connection) the file is made from the note as it is after :data:`WAIT_SECONDS`.

Plain Python, no Streamlit: the page keeps one gate per browser session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

WAIT_SECONDS = 10.0


class ExportGate:
    """Counts the download clicks that have reached the page."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._clicks = 0

    @property
    def clicks(self) -> int:
        with self._cond:
            return self._clicks

    def clicked(self) -> None:
        """A download click has been applied (called from its ``on_click`` callback)."""
        with self._cond:
            self._clicks += 1
            self._cond.notify_all()

    def wait_after(self, seen: int, timeout: float = WAIT_SECONDS) -> bool:
        """Wait until a click after the ``seen``-th has been applied; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._clicks > seen, timeout)

    def deferred(
        self, make: Callable[[], bytes | str], timeout: float = WAIT_SECONDS
    ) -> Callable[[], bytes | str]:
        """A ``data=`` callable for a download button drawn now: when called (the user
        clicked), it waits for that click to be applied, then makes the file."""
        seen = self.clicks

        def data() -> bytes | str:
            self.wait_after(seen, timeout)
            return make()

        return data
