"""The CLI's line protocol: questions read from stdin as they arrive, JSON objects
written one per line and flushed at once (``search --json`` without a query), so a
tool can pipe one question at a time."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator


def stdin_lines() -> Iterator[str | UnicodeDecodeError]:
    """Lines of stdin as they arrive (bytes, so a line that is not UTF-8 is reported
    for that line only)."""
    stream = sys.stdin.buffer
    for raw in iter(stream.readline, b""):
        line = raw.rstrip(b"\r\n")
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield exc


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()
