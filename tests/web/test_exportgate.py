"""Downloads wait for the click that started them, so the file has the last edit."""

from __future__ import annotations

import threading
import time

from confsearch.web.exportgate import ExportGate

PATIENCE = 300  # seconds: a lost click's wait in these tests, never reached


def test_the_file_is_made_only_after_the_click_is_applied():
    gate = ExportGate()
    note = {"heading": "Gammal rubrik"}
    data = gate.deferred(lambda: note["heading"], timeout=PATIENCE)  # the button as drawn
    result: list[str] = []
    download = threading.Thread(target=lambda: result.append(data()))
    download.start()  # the browser asks for the file at once …
    time.sleep(0.2)
    assert not result  # … and waits for the click
    note["heading"] = "Ny rubrik"  # the click's callback applies the pending edit …
    gate.clicked()  # … and lets the download go
    download.join(PATIENCE)
    assert result == ["Ny rubrik"]


def test_a_click_applied_before_the_request_arrives_is_not_waited_for_again():
    gate = ExportGate()
    data = gate.deferred(lambda: b"fil", timeout=PATIENCE)
    gate.clicked()

    def no_waiting(*args, **kwargs):
        raise AssertionError("the download waited for a click that had been applied")

    gate._cond.wait = no_waiting  # Condition.wait_for waits only if the click is missing
    assert data() == b"fil"


def test_a_lost_click_still_gives_a_file():
    gate = ExportGate()
    data = gate.deferred(lambda: "som det är", timeout=0.05)
    assert data() == "som det är"
    assert gate.wait_after(gate.clicks, timeout=0.01) is False
