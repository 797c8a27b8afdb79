"""Shared helpers for the benchmark scripts: machine facts and docs/benchmarks.md sections."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def cpu_description() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        info = Path("/proc/cpuinfo").read_text()
        m = re.search(r"model name\s*:\s*(.+)", info)
        if m:
            model = m.group(1).strip()
        flags = re.search(r"flags\s*:\s*(.+)", info)
        extras = [
            f
            for f in ("avx2", "avx512f", "avx512_bf16", "amx_bf16")
            if flags and f in flags.group(1)
        ]
    except OSError:
        extras = []
    return f"{model}, {os.cpu_count()} cores, flags: {' '.join(extras) or 'n/a'}"


def write_section(name: str, body: str) -> None:
    """Replace (or append) the section between the ``name`` markers in docs/benchmarks.md."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
