"""Uploads against a running page server, as a browser sends them (for bench/hostile.py).

A session is opened the way the page's JavaScript opens it: the XSRF cookie from ``GET /``,
the WebSocket ``/_stcore/stream`` with that token, one script run, and the session id from
Streamlit's ``new_session`` message; files are then PUT to ``/_stcore/upload_file/``.
"""

from __future__ import annotations

import http.client
import re
import uuid
from pathlib import Path


class PageSession:
    def __init__(self, port: int) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from websockets.sync.client import connect

        self.port = port
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/_stcore/health")  # sets the XSRF cookie
        response = conn.getresponse()
        response.read()
        cookie = response.getheader("set-cookie") or ""
        self.xsrf = re.search(r"_streamlit_xsrf=([^;]+)", cookie).group(1)
        self.cookie = f"_streamlit_xsrf={self.xsrf}"
        self.ws = connect(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=["streamlit", self.xsrf],
            additional_headers={"Cookie": self.cookie, "Origin": f"http://127.0.0.1:{port}"},
            max_size=None,
            open_timeout=60,
        )
        back = BackMsg()
        back.rerun_script.SetInParent()
        self.ws.send(back.SerializeToString())
        self.session_id = ""
        while not self.session_id:
            msg = ForwardMsg()
            msg.ParseFromString(self.ws.recv(timeout=300))
            if msg.WhichOneof("type") == "new_session":
                self.session_id = msg.new_session.initialize.session_id

    def put(self, size: int, declared: int | None = None) -> tuple[int, str]:
        """PUT a file of ``size`` bytes; returns (status, body)."""
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="rapport.txt"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        length = len(head) + size + len(tail)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        conn.putrequest("PUT", f"/_stcore/upload_file/{self.session_id}/{uuid.uuid4()}")
        conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        conn.putheader("Content-Length", str(declared or length))
        conn.putheader("X-Xsrftoken", self.xsrf)
        conn.putheader("Cookie", self.cookie)
        conn.endheaders()
        try:
            conn.send(head)
            chunk = b"a" * (1 << 20)
            sent = 0
            while sent < size:
                conn.send(chunk[: min(len(chunk), size - sent)])
                sent += min(len(chunk), size - sent)
            conn.send(tail)
        except OSError:
            pass  # the server refused and closed while we were still sending
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")

    def close(self) -> None:
        self.ws.close()


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024
