"""Downloads of the briefing note that include the last edit, however the download starts.

A user types a comment and clicks "Ladda ned" without pressing Enter. Streamlit's
ordinary download button hands over a file made *before* that edit (the old text). So
the page's download buttons generate their file only when clicked (Streamlit's deferred
``data=callable``), and the callable first waits for *its* click to reach the page: the
click's ``on_click`` callback runs after the edit has been applied to the session, copies
every on-screen field into the note, and calls :meth:`ExportGate.clicked`. Only then is
the file made. If the click never arrives (a lost connection) the file is made from the
note as it is after :data:`WAIT_SECONDS`.

Which click is a request's own: the browser asks for the file just *before* it sends the
click, and it sends the click in one message with a text field's commit, scoped to the
field's fragment (``app.py``). That run redraws only the fragment, not the download
buttons, so a button on screen may have been drawn before earlier clicks: "any click
since the button was drawn" was already true when the next request came, and the file
was made before the click's edit was saved (a .docx without the heading typed just
before, issue 25). So a request takes a click of *its own button* that has not been taken
yet and is not older than :data:`CLICK_GRACE_SECONDS` before the request, waiting for it
if need be. The grace covers a click whose callback ran just before the request's thread
started. An older untaken click is one whose request failed (Streamlit revokes a button's
file when a run is interrupted, "Deferred file … not found"); it is dropped, so the next
request waits for its own click instead of going before that click's edit is saved.

Plain Python, no Streamlit: the page keeps one gate per browser session.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable

WAIT_SECONDS = 10.0
CLICK_GRACE_SECONDS = 1.0


class ExportGate:
    """Each download button's applied clicks that no file request has taken yet."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._cond = threading.Condition()
        self._clock = clock
        self._untaken: defaultdict[str, list[float]] = defaultdict(list)

    def clicked(self, button: str) -> None:
        """A click on ``button`` has been applied (called from its ``on_click`` callback)."""
        with self._cond:
            self._untaken[button].append(self._clock())
            self._cond.notify_all()

    def untaken(self, button: str) -> int:
        with self._cond:
            return len(self._untaken[button])

    def wait_for_click(self, button: str, timeout: float = WAIT_SECONDS) -> bool:
        """A file request of ``button``: take its click, waiting until it has been
        applied; False on timeout (the click never came)."""
        with self._cond:
            arrived = self._clock()
            clicks = self._untaken[button]

            def own_click() -> bool:
                clicks[:] = [t for t in clicks if t >= arrived - CLICK_GRACE_SECONDS]
                return bool(clicks)

            if not self._cond.wait_for(own_click, timeout):
                return False
            clicks.pop(0)
            return True

    def deferred(
        self, button: str, make: Callable[[], bytes | str], timeout: float = WAIT_SECONDS
    ) -> Callable[[], bytes | str]:
        """A ``data=`` callable for the download button ``button`` (its key): when
        called (the user clicked), it waits for that click to be applied, then makes
        the file."""

        def data() -> bytes | str:
            self.wait_for_click(button, timeout)
            return make()

        return data
