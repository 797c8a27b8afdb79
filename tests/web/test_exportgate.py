"""Downloads wait for the click that started them, so the file has the last edit."""

from __future__ import annotations

import threading
import time

from confsearch.web.exportgate import ExportGate

PATIENCE = 300  # seconds: a lost click's wait in these tests, never reached


def _requested(data) -> tuple[threading.Thread, list]:
    """The browser asks for the file (in Streamlit's thread pool)."""
    result: list = []
    download = threading.Thread(target=lambda: result.append(data()))
    download.start()
    return download, result


def test_the_file_is_made_only_after_the_click_is_applied():
    gate = ExportGate()
    note = {"heading": "Gammal rubrik"}
    data = gate.deferred("ladda-md", lambda: note["heading"], timeout=PATIENCE)  # as drawn
    download, result = _requested(data)  # the browser asks for the file at once …
    time.sleep(0.2)
    assert not result  # … and waits for the click
    note["heading"] = "Ny rubrik"  # the click's callback applies the pending edit …
    gate.clicked("ladda-md")  # … and lets the download go
    download.join(PATIENCE)
    assert result == ["Ny rubrik"]


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
    # a new heading typed, Word clicked: the Word button is the one drawn before
    download, result = _requested(word)
    time.sleep(0.2)
    assert not result  # the Markdown click does not count for Word
    note["heading"] = "Andra rubriken"
    gate.clicked("ladda-docx")
    download.join(PATIENCE)
    assert result == ["Andra rubriken"]
    # Word again, from the same stale button: it waits for this second click too
    download, result = _requested(word)
    time.sleep(0.2)
    assert not result
    note["heading"] = "Tredje rubriken"
    gate.clicked("ladda-docx")
    download.join(PATIENCE)
    assert result == ["Tredje rubriken"]


def test_a_click_applied_before_the_request_arrives_is_not_waited_for_again():
    gate = ExportGate()
    data = gate.deferred("ladda-md", lambda: b"fil", timeout=PATIENCE)
    gate.clicked("ladda-md")  # the callback ran before the request's thread started

    def no_waiting(*args, **kwargs):
        raise AssertionError("the download waited for a click that had been applied")

    gate._cond.wait = no_waiting  # Condition.wait_for waits only if the click is missing
    assert data() == b"fil"


def test_a_lost_click_still_gives_a_file_and_the_next_request_waits_for_its_own():
    gate = ExportGate()
    data = gate.deferred("ladda-docx", lambda: "som det är", timeout=0.05)
    assert data() == "som det är"  # no click ever came: the file anyway
    assert gate.clicks("ladda-docx") == 1  # counted as come …
    assert gate.wait_for_click("ladda-docx", timeout=0.01) is False  # … the next one waits
