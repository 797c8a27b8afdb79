"""How the page's server is started: on this machine only, with the page's own upload limit.

``python -m confsearch.page`` (:mod:`confsearch.page`) calls :func:`prepare` before
handing over to Streamlit, so that wherever it is started from:

* every option of the project's ``.streamlit/config.toml`` applies (Streamlit itself reads
  that file only from the current folder): the server listens on 127.0.0.1 unless
  ``--server.address`` (or ``STREAMLIT_SERVER_ADDRESS``) opens it deliberately, uploads
  over the page's limit are refused by the server, usage statistics are off and XSRF
  protection is on;
* Streamlit never asks the network for this machine's addresses (it would fetch
  checkip.amazonaws.com and open a socket towards 8.8.8.8 to print "External URL" and
  "Network URL" or to check a foreign Origin): no request leaves the machine;
* an upload that is too large gets a Swedish refusal instead of "File too large".
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from confsearch.reading.uploads import MAX_UPLOAD_MB
from confsearch.settings import PROJECT_ROOT

CONFIG = PROJECT_ROOT / ".streamlit" / "config.toml"
UPLOAD_PATH = "/_stcore/upload_file/"
TOO_LARGE = (
    f"Filen är för stor: största tillåtna storlek är {MAX_UPLOAD_MB} MB per fil. "
    "Dela upp den i mindre filer."
)
REFUSED = "Uppladdningen kunde inte tas emot. Ladda om sidan och försök igen."
# Streamlit keeps a chosen file in memory until it is added or the tab is closed: bound
# what one browser session, and all of them, may keep waiting there.
MAX_WAITING_MB_PER_SESSION = 5 * MAX_UPLOAD_MB
MAX_WAITING_MB = 20 * MAX_UPLOAD_MB
TOO_MANY = (
    "Det finns redan för många valda filer som väntar på att läggas till. Lägg till dem "
    "(eller ta bort några) innan du väljer fler."
)


def config_options(path: Path = CONFIG) -> dict[str, object]:
    """The project's Streamlit options, as ``{"server.address": "127.0.0.1", …}``."""
    with path.open("rb") as f:
        data = tomllib.load(f)
    return {
        f"{section}.{name}": value
        for section, options in data.items()
        for name, value in options.items()
    }


def _given(option: str, args: list[str]) -> bool:
    env = "STREAMLIT_" + option.replace(".", "_").upper()
    flag = f"--{option}"
    return env in os.environ or any(a == flag or a.startswith(flag + "=") for a in args)


def with_defaults(args: list[str], options: dict[str, object] | None = None) -> list[str]:
    """``args`` plus a flag for every project option the caller did not set himself."""
    options = config_options() if options is None else options
    extra: list[str] = []
    for option, value in options.items():
        if not _given(option, args):
            shown = str(value).lower() if isinstance(value, bool) else str(value)
            extra += [f"--{option}", shown]
    return [*extra, *args]


def _no_address_lookup() -> None:
    from streamlit import net_util  # noqa: PLC0415 (patched when the server starts)

    net_util.get_external_ip = lambda: None
    net_util.get_internal_ip = lambda: None


class SwedishUploadRefusal:
    """ASGI middleware: Streamlit's refusals of an upload (413 over ``server.maxUploadSize``,
    403 without the XSRF token, 400 for an unknown session) are sent as one Swedish sentence
    instead of Streamlit's English text."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope.get("type") != "http" or UPLOAD_PATH not in scope.get("path", ""):
            await self.app(scope, receive, send)
            return
        if scope.get("method") == "PUT" and _too_much_waiting(scope):
            await _plain(send, 413, TOO_MANY)
            return
        refused = False

        async def sending(message) -> None:
            nonlocal refused
            status = message.get("status", 0) if message["type"] == "http.response.start" else 0
            if 400 <= status < 500:
                refused = True
                body = (TOO_LARGE if status == 413 else REFUSED).encode()
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"content-length", b"content-type")
                ]
                headers += [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ]
                await send({**message, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            if refused:  # Streamlit's English body
                return
            await send(message)

        await self.app(scope, receive, sending)


def _too_much_waiting(scope) -> bool:
    """Whether this upload would take what Streamlit holds in memory over a bound."""
    from streamlit.runtime import Runtime  # noqa: PLC0415

    headers = dict(scope.get("headers") or [])
    length = headers.get(b"content-length", b"0")
    incoming = int(length) if length.isdigit() else MAX_UPLOAD_MB << 20
    if incoming > (MAX_UPLOAD_MB + 1) << 20:
        return False  # one file over the limit: Streamlit refuses it (TOO_LARGE)
    session = scope["path"].split(UPLOAD_PATH, 1)[1].split("/", 1)[0]
    try:
        # only the in-memory manager has file_storage (AttributeError below otherwise)
        storage = Runtime.instance().uploaded_file_mgr.file_storage  # type: ignore[attr-defined]
        held = {sid: sum(len(f.data) for f in files.values()) for sid, files in storage.items()}
    except Exception:  # another file manager, or no runtime: Streamlit's own limit applies
        return False
    mine = held.get(session, 0) + incoming
    return mine > MAX_WAITING_MB_PER_SESSION << 20 or (
        sum(held.values()) + incoming > MAX_WAITING_MB << 20
    )


async def _plain(send, status: int, text: str) -> None:
    body = text.encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _swedish_refusals() -> None:
    # Imported when the page server starts, after Streamlit has configured itself.
    from starlette.middleware import Middleware  # noqa: PLC0415
    from streamlit.web.server.starlette import starlette_app  # noqa: PLC0415

    original = starlette_app.create_streamlit_middleware
    if getattr(original, "confsearch", False):
        return

    def create_streamlit_middleware():
        return [Middleware(SwedishUploadRefusal), *original()]

    # a mark on the function Streamlit calls, so that preparing twice wraps it once
    create_streamlit_middleware.confsearch = True  # type: ignore[attr-defined]
    starlette_app.create_streamlit_middleware = create_streamlit_middleware


def prepare(args: list[str]) -> list[str]:
    """Set up Streamlit as described above; returns the arguments for ``streamlit run``."""
    _no_address_lookup()
    _swedish_refusals()
    return with_defaults(args)
