"""What the API answers before (or instead of) a use case: Swedish errors for refused
requests, never FastAPI's English validation bodies, and a limit on the body's size.

Split from :mod:`confsearch.api.app` so the app module only wires routes to
:mod:`confsearch.qa`.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from confsearch.api.docs import MAX_QUERY_INPUT
from confsearch.errors import ConfsearchError
from confsearch.query import hits_count

MAX_BODY_BYTES = 256 * 1024
TOO_LARGE = f"Förfrågan är för stor (högst {MAX_BODY_BYTES // 1024} KiB)."


class ApiError(ConfsearchError):
    """An answer other than 200: HTTP status, Swedish message, extra JSON fields."""

    def __init__(self, status: int, message: str, headers: dict | None = None, **extra) -> None:
        super().__init__(message, http_status=status)
        self.status, self.headers, self.extra = status, headers, extra


def error_response(
    status: int, message: str, headers: Mapping[str, str] | None = None, **extra
) -> Response:
    return JSONResponse({**extra, "error": message}, status_code=status, headers=headers)


# ---------------------------------------------------------------- Swedish validation errors


def _field(loc: tuple) -> str:
    """("query", "k") -> "k"; ("body", "pinned", 0, "comment") -> "pinned[0].comment"."""
    out = ""
    for part in loc[1:]:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


K_ERRORS = ("int_parsing", "int_type", "int_from_float", "greater_than_equal", "less_than_equal")


def _problem(err: dict) -> str:
    """One pydantic error in Swedish."""
    kind, loc, ctx = err.get("type", ""), tuple(err.get("loc", ())), err.get("ctx") or {}
    name = _field(loc)
    where = "Parametern" if loc[:1] in (("query",), ("path",)) else "Fältet"
    if name == "k" and kind in K_ERRORS:
        try:
            hits_count(str(err.get("input")))
        except Exception as exc:  # argparse.ArgumentTypeError: the CLI's own message
            return f"{where} k: {exc}."
    if kind == "json_invalid":
        return "Innehållet är inte giltig JSON."
    if kind == "missing":
        return "Förfrågan saknar innehåll (JSON)." if not name else f"{where} «{name}» saknas."
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return (
            "Innehållet måste vara ett JSON-objekt."
            if not name
            else f"«{name}» måste vara ett objekt."
        )
    if kind == "string_too_long" and (name == "q" or name.startswith("questions[")):
        return f"Frågan är för lång (högst {ctx.get('max_length', MAX_QUERY_INPUT)} tecken)."
    if kind == "string_too_long":
        return f"«{name}» är för lång (högst {ctx.get('max_length')} tecken)."
    if kind == "too_long":
        return f"«{name}» har för många värden (högst {ctx.get('max_length')})."
    if kind == "list_type":
        return f"«{name}» måste vara en lista."
    if kind == "string_type":
        return f"«{name}» måste vara text."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"«{name}» måste vara ett heltal."
    if kind == "extra_forbidden":
        return f"Okänt fält: «{name}»."
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"{where} «{name}» måste vara ett av: {expected}."
    return f"Ogiltigt värde för «{name or 'innehållet'}»."


def validation_response(exc: RequestValidationError) -> Response:
    problems = list(dict.fromkeys(_problem(e) for e in exc.errors()))
    return error_response(422, " ".join(problems))


# ---------------------------------------------------------------- body size


class BodyLimit:
    """Refuses a request body over ``limit`` bytes with 413, before the app sees it: by
    Content-Length at once, else while reading (chunked bodies are counted too)."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.limit:
            return await error_response(413, TOO_LARGE)(scope, receive, send)
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                return await error_response(413, TOO_LARGE)(scope, receive, send)
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
