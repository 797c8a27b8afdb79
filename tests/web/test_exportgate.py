"""Downloads wait for the click that started them, so the file has the last edit."""

from __future__ import annotations

import threading
import time

from confsearch.web.exportgate import CLICK_GRACE_SECONDS, ExportGate

PATIENCE = 300  # seconds: a lost click's wait in these tests, never reached


class Clock:
    """The gate's clock, moved by the test (no test depends on real time passing)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _requested(data) -> tuple[threading.Thread, list]:
    """The browser asks for the file (Streamlit runs the callable in a worker thread)."""
    result: list = []
    download = threading.Thread(target=lambda: result.append(data()))
    download.start()
    return download, result


def _waits_for_its_click(gate: ExportGate, button: str, data, note: dict, heading: str) -> None:
    """The browser asks for ``button``'s file (``data``) and it waits; the click's
    callback then applies the edit (``heading``) and lets it go: the file has the edit."""
    download, result = _requested(data)
    time.sleep(0.2)
    assert not result  # waiting for its own click
    note["heading"] = heading  # the click's callback applies the pending edit …
    gate.clicked(button)  # … and lets the download go
    download.join(PATIENCE)
    assert result == [heading]


def test_the_file_is_made_only_after_the_click_is_applied():
    gate = ExportGate()
    note = {"heading": "Gammal rubrik"}
    data = gate.deferred("ladda-md", lambda: note["heading"], timeout=PATIENCE)  # as drawn
    _waits_for_its_click(gate, "ladda-md", data, note, "Ny rubrik")


def test_a_button_drawn_before_earlier_clicks_still_waits_for_its_own_click():
    """The lost edit of issue 25: a click sent with a text field's commit reruns only the
    field's fragment, so the buttons on screen were drawn before that click. Neither the
    other button's click nor this button's earlier click may let its next file go."""
    gate = ExportGate()
    note = {"heading": "Första rubriken"}
    markdown = gate.deferred("ladda-md", lambda: note["heading"], timeout=PATIENCE)
    word = gate.deferred("ladda-docx", lambda: note["heading"], timeout=PATIENCE)
    # Markdown clicked: its file is asked for, then its click applied (not redrawn after)
    download, result = _requested(markdown)
    gate.clicked("ladda-md")
    download.join(PATIENCE)
    assert result == ["Första rubriken"]
    # a new heading typed, Word clicked: the Word button is the one drawn before, and
    # the Markdown click does not count for Word
    _waits_for_its_click(gate, "ladda-docx", word, note, "Andra rubriken")
    # Word again, from the same old button: it waits for this second click too
    _waits_for_its_click(gate, "ladda-docx", word, note, "Tredje rubriken")


def test_a_click_applied_just_before_the_request_started_is_taken_without_waiting():
    clock = Clock()
    gate = ExportGate(clock)
    data = gate.deferred("ladda-md", lambda: b"fil", timeout=PATIENCE)
    gate.clicked("ladda-md")  # the callback ran before the request's thread started
    clock.now += CLICK_GRACE_SECONDS / 2

    def no_waiting(*args, **kwargs):
        raise AssertionError("the download waited for a click that had been applied")

    gate._cond.wait = no_waiting  # Condition.wait_for waits only if the click is missing
    assert data() == b"fil"
    assert gate.untaken("ladda-md") == 0


def test_the_click_of_a_failed_request_does_not_let_the_next_request_go_early():
    """Streamlit revokes the buttons on screen when a run is interrupted: that click's
    request fails before asking the gate, but its click is applied. The user types and
    clicks again later: that request must wait for its own click, not take the old one."""
    clock = Clock()
    gate = ExportGate(clock)
    note = {"heading": "Före"}
    data = gate.deferred("ladda-docx", lambda: note["heading"], timeout=PATIENCE)
    gate.clicked("ladda-docx")  # the failed request's click
    clock.now += 3 * CLICK_GRACE_SECONDS  # the user reads the message, types, clicks
    _waits_for_its_click(gate, "ladda-docx", data, note, "Efter")
    assert gate.untaken("ladda-docx") == 0


def test_a_lost_click_still_gives_a_file_and_leaves_nothing_behind():
    gate = ExportGate()
    data = gate.deferred("ladda-docx", lambda: "som det är", timeout=0.05)
    assert data() == "som det är"  # no click ever came: the file anyway
    assert gate.untaken("ladda-docx") == 0
    assert gate.wait_for_click("ladda-docx", timeout=0.01) is False  # the next one waits
