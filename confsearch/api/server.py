"""``python -m confsearch serve``: uvicorn over :func:`confsearch.api.app.create_app`, reading
HTTP with time limits and Swedish refusals.

uvicorn closes an idle keep-alive connection, but it waits forever for a request's head
and body: 1,200 connections that each sent half a header held 350 MB. Here a request must
arrive whole within :data:`READ_TIMEOUT` seconds of its first byte (or of the connection),
one client address may hold at most :data:`MAX_CONNECTIONS_PER_CLIENT` connections, and a
request uvicorn cannot parse gets Swedish JSON instead of "Invalid HTTP request received.".
"""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import socket
import sys
import threading
import time

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from confsearch.api.app import MAX_REQUEST_HEAD, create_app
from confsearch.errors import UserError
from confsearch.retrieval.service import LiveSearcher
from confsearch.settings import Settings

READ_TIMEOUT = 20.0  # seconds for a request's line, headers and body
MAX_CONNECTIONS_PER_CLIENT = 256

BAD_REQUEST = (
    "Förfrågan kunde inte läsas: den följer inte HTTP-protokollet (felaktig förfrågningsrad "
    "eller rubrik)."
)
TOO_SLOW = (
    f"Förfrågan kom inte fram inom {READ_TIMEOUT:g} s och avbröts. Skicka den igen, hel och på en "
    "gång."
)
TOO_MANY = "För många samtidiga anslutningar från din adress. Försök igen om en stund."


def _json_error(status: int, reason: bytes, message: str) -> bytes:
    """A whole HTTP/1.1 response that closes the connection (written before h11 knows of
    a request, or after it gave up on one)."""
    body = json.dumps({"error": message}, ensure_ascii=False).encode()
    head = (
        f"HTTP/1.1 {status} ".encode()
        + reason
        + b"\r\ncontent-type: application/json\r\nconnection: close\r\n"
        + f"content-length: {len(body)}\r\n\r\n".encode()
    )
    return head + body


class SwedishLog(logging.Filter):
    """uvicorn's own warning for a request it cannot parse, in Swedish on serve's stderr."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage() == "Invalid HTTP request received.":
            record.msg, record.args = LOGGED_BAD_REQUEST, ()
        return True


LOGGED_BAD_REQUEST = "En förfrågan som inte följer HTTP-protokollet besvarades med 400."


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a read deadline per request and a connection cap."""

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._read_timer: asyncio.TimerHandle | None = None
        host = self.client[0] if self.client else None
        if host is not None:
            same = sum(
                1
                for c in self.connections
                if isinstance(c, H11Protocol) and c.client and c.client[0] == host
            )
            if same > MAX_CONNECTIONS_PER_CLIENT:
                transport.write(_json_error(429, b"Too Many Requests", TOO_MANY))
                transport.close()
                return
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY):
            self._arm()  # a request is (or may be) on its way: it has READ_TIMEOUT
        else:
            self._disarm()  # read whole (or the connection is done)

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        self._disarm()  # the next request's clock starts with its first byte
        super().on_response_complete()

    def send_400_response(self, msg: str) -> None:
        if not self.transport.is_closing():
            self.transport.write(_json_error(400, b"Bad Request", BAD_REQUEST))
            self.transport.close()

    def _arm(self) -> None:
        if getattr(self, "_read_timer", None) is None and not self.transport.is_closing():
            self._read_timer = self.loop.call_later(READ_TIMEOUT, self._read_timed_out)

    def _disarm(self) -> None:
        timer = getattr(self, "_read_timer", None)
        if timer is not None:
            timer.cancel()
            self._read_timer = None

    def _read_timed_out(self) -> None:
        self._read_timer = None
        if self.transport.is_closing():
            return
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY):
            cycle = self.cycle
            if cycle is None or cycle.response_complete or not cycle.response_started:
                self.transport.write(_json_error(408, b"Request Timeout", TOO_SLOW))
            logging.getLogger(__name__).info("a request did not arrive in time")
            self.transport.close()  # a waiting app sees the client as gone


# ---------------------------------------------------------------- serve


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8600) -> int:
    """Run the API with uvicorn until Ctrl-C; Swedish lines on stderr, no access log."""
    try:
        sock = socket.create_server((host, port))
    except OSError as exc:
        raise UserError(
            f"Kan inte lyssna på {host}:{port}: {_bind_cause(exc)}. Välj en annan adress "
            "eller port med --host/--port."
        ) from exc
    host_shown = f"[{host}]" if ":" in host else host
    url = f"http://{host_shown}:{sock.getsockname()[1]}"
    live = LiveSearcher(settings)
    app = create_app(settings, live=live)

    def report() -> None:
        live.started.wait()
        opened = live.get()
        if opened is None:  # it is retried: say why now, and say so when it works
            print(f"Fel: {live.error} Försöker igen …", file=sys.stderr, flush=True)
            while opened is None:
                time.sleep(1.0)
                opened = live.get()
        for warning in live.warnings:
            print(f"Varning: {warning}", file=sys.stderr, flush=True)
        print(
            f"Indexet är laddat ({len(opened.searcher.passages)} stycken, version "
            f"{opened.version}, {live.store.name}). Redo på {url}",
            file=sys.stderr,
            flush=True,
        )

    print(
        f"Konferenssök-API på {url} – dokumentation på {url}/docs. Avsluta med Ctrl-C.\n"
        "Laddar modellen och sökindexet …",
        file=sys.stderr,
        flush=True,
    )
    threading.Thread(target=report, name="confsearch-report", daemon=True).start()
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=5,
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
        http=GuardedH11Protocol,
    )
    server = uvicorn.Server(config)  # its config sets up uvicorn's loggers: filter after
    logging.getLogger("uvicorn.error").addFilter(SwedishLog())
    server.run(sockets=[sock])
    return 0


def _bind_cause(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return "okänd värd"
    return {
        errno.EADDRINUSE: "porten används redan",
        errno.EACCES: "behörighet saknas",
        errno.EADDRNOTAVAIL: "adressen finns inte på den här datorn",
    }.get(exc.errno or 0, exc.strerror or str(exc))
