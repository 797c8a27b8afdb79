"""Downloads of the briefing note that include the last edit, however the download starts.

A user types a comment and clicks "Ladda ned" without pressing Enter. Streamlit's
ordinary download button hands over a file made *before* that edit (the old text). So
the page's download buttons generate their file only when clicked (Streamlit's deferred
``data=callable``), and the callable first waits for *its* click to reach the page: the
click's ``on_click`` callback runs after the edit has been applied to the session, copies
every on-screen field into the note, and calls :meth:`ExportGate.clicked`. Only then is
the file made. If the click never arrives (a lost connection) the file is made from the
note as it is after :data:`WAIT_SECONDS`.

Why each request is paired with its own button's click, counted, and not with "a click
since the button was drawn": the browser asks for the file *before* it sends the click,
and it sends the click in one message with the text field's commit, scoped to the
field's fragment (``app.py``). That run redraws only the fragment, not the download
buttons. A button on screen may therefore have been drawn before earlier clicks, so
"any click since it was drawn" was already true when the next request came, and the
file was made before the click's edit was saved: a .docx without the heading typed just
before (issue 25). The n-th request of a button now waits for the n-th click of that
button, whenever the button was drawn.

Plain Python, no Streamlit: the page keeps one gate per browser session.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

WAIT_SECONDS = 10.0


class ExportGate:
    """Counts each download button's file requests and the clicks that reached the page."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._clicks: Counter[str] = Counter()
        self._requests: Counter[str] = Counter()

    def clicks(self, button: str) -> int:
        with self._cond:
            return self._clicks[button]

    def clicked(self, button: str) -> None:
        """A click on ``button`` has been applied (called from its ``on_click`` callback)."""
        with self._cond:
            self._clicks[button] += 1
            self._cond.notify_all()

    def wait_for_click(self, button: str, timeout: float = WAIT_SECONDS) -> bool:
        """A file request of ``button``: wait until the click that sent it has been
        applied (the n-th request waits for the n-th click); False on timeout."""
        with self._cond:
            self._requests[button] += 1
            mine = self._requests[button]
            if self._cond.wait_for(lambda: self._clicks[button] >= mine, timeout):
                return True
            # A click that never came: count it as come, so the next request waits
            # for its own click and not for this lost one.
            self._clicks[button] = max(self._clicks[button], mine)
            return False

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
