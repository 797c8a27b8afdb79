"""The page's server (issue 27, findings 9 and 10): it listens on this machine only,
asks the network for nothing, and refuses uploads over the page's own limit in Swedish,
wherever ``python -m confsearch.page`` is started from."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route
from starlette.testclient import TestClient

from confsearch.reading.uploads import MAX_UPLOAD_MB
from confsearch.web import pageserver
from tests.conftest import ROOT


def test_the_project_config_keeps_the_page_on_this_machine_with_its_own_upload_limit():
    options = pageserver.config_options()
    assert options["server.address"] == "127.0.0.1"
    assert options["server.maxUploadSize"] == MAX_UPLOAD_MB  # the widget's limit, 20 MB
    assert options["server.enableXsrfProtection"] is True
    assert options["browser.gatherUsageStats"] is False


def test_the_project_options_apply_unless_the_caller_sets_them(monkeypatch):
    monkeypatch.delenv("STREAMLIT_SERVER_ADDRESS", raising=False)
    options = {"server.address": "127.0.0.1", "server.maxUploadSize": 20, "server.headless": True}
    args = pageserver.with_defaults(["--server.port", "8501"], options)
    assert args == [
        "--server.address", "127.0.0.1",
        "--server.maxUploadSize", "20",
        "--server.headless", "true",
        "--server.port", "8501",
    ]  # fmt: skip
    opened = pageserver.with_defaults(["--server.address=0.0.0.0"], options)
    assert [a for a in opened if "address" in a] == ["--server.address=0.0.0.0"]
    monkeypatch.setenv("STREAMLIT_SERVER_ADDRESS", "0.0.0.0")
    assert "--server.address" not in pageserver.with_defaults([], options)


def test_an_upload_over_the_limit_is_refused_in_swedish():
    async def too_large(request):  # what Streamlit's upload route raises
        raise HTTPException(status_code=413, detail="File too large")

    app = Starlette(
        routes=[Route("/_stcore/upload_file/{session}/{file}", too_large, methods=["PUT"])]
    )
    client = TestClient(pageserver.SwedishUploadRefusal(app))
    response = client.put("/_stcore/upload_file/s/f", content=b"x" * 10)
    assert response.status_code == 413
    assert response.text == pageserver.TOO_LARGE
    assert "20 MB" in response.text and "large" not in response.text
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


# What the child records: every connection or name lookup that is not this machine.
AUDIT = """
import json, sys
log = open(sys.argv[1], "a")
def hook(event, args):
    if event == "socket.getaddrinfo" and args[0] not in (None, "localhost", "127.0.0.1", "::1"):
        print(json.dumps([event, str(args[0])]), file=log, flush=True)
    elif event in ("socket.connect", "socket.sendto") and isinstance(args[1], tuple):
        host = str(args[1][0])
        if host not in ("127.0.0.1", "::1", "localhost"):
            print(json.dumps([event, host]), file=log, flush=True)
sys.addaudithook(hook)
from confsearch.page import main
sys.exit(main(sys.argv[2:]))
"""


def _listening(pid: int) -> list[str]:
    """Local addresses of the TCP sockets ``pid`` listens on (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # LISTEN
                hexaddr = fields[1].split(":")[0]
                raw = bytes.fromhex(hexaddr)
                # /proc writes each 32-bit word in host (little-endian) order
                raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
                found.append(socket.inet_ntop(family, raw))
    return found


@pytest.mark.process
def test_the_page_listens_on_loopback_only_and_asks_the_network_nothing(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "network.jsonl"
    log.touch()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("STREAMLIT_SERVER_ADDRESS", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", AUDIT, str(log), "--server.port", str(port)],
        cwd=tmp_path,  # not the checkout: Streamlit would not find .streamlit/ here
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(600):
            if proc.poll() is not None:
                pytest.fail(proc.stdout.read().decode())
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as r:
            assert r.status == 200
        assert [json.loads(line) for line in log.read_text().splitlines()] == []
        assert _listening(proc.pid) == ["127.0.0.1"]
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_uploads_waiting_in_memory_are_bounded_per_session(monkeypatch):
    """Streamlit holds a chosen file in memory until it is added or the tab closes (the
    probe: four uploads took the page from 128 to 734 MB). One session may keep at most
    five full-size files waiting; a single file over the limit is still "too large"."""
    from types import SimpleNamespace

    from streamlit.runtime import Runtime

    mb = 1 << 20
    storage = {"a": {str(i): SimpleNamespace(data=b"x" * (19 * mb)) for i in range(5)}}
    manager = SimpleNamespace(file_storage=storage)
    monkeypatch.setattr(
        Runtime, "instance", classmethod(lambda cls: SimpleNamespace(uploaded_file_mgr=manager))
    )

    async def accept(scope, receive, send):
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    client = TestClient(pageserver.SwedishUploadRefusal(accept))
    full = client.put("/_stcore/upload_file/a/f6", content=b"x" * (19 * mb))
    assert full.status_code == 413 and full.text == pageserver.TOO_MANY
    other = client.put("/_stcore/upload_file/b/f1", content=b"x" * (19 * mb))
    assert other.status_code == 204  # another session has room
