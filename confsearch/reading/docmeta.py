"""What a document says about itself: title, organiser, event, date or year, web address.

Officials cite a passage as "Lärpass · Region · Talare — Dokument (Arrangör, år)"
(:mod:`confsearch.answers.citation`), so every document gets these fields where they can be
found. Sources, later ones taking precedence:

1. the format: an HTML page's ``<title>``, ``og:site_name`` (organiser), canonical or
   ``og:url`` address and ``article:published_time``; a Word or PDF file's title;
2. the text: labelled lines near the start ("Arrangör: Reglab", "Konferens: …",
   "Datum: 2022-02-10", "Länk: https://…") and a year in the document's title;
3. a sidecar file next to the document, ``name.meta.json`` (for ``name.txt``,
   ``name.pdf`` …), which fills in what the text lacks and corrects what was read wrongly;
4. the document's own explicit fields: Markdown front matter, a ``.jsonl`` line's keys.

Keys may be written in English or Swedish (``organiser``/``arrangör``, ``date``/``datum``
…). A web address is kept only if it is http(s). Everything here is plain data; nothing
is fetched from the network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from confsearch.errors import ConfsearchError
from confsearch.messages import os_error_text
from confsearch.patterns import DOCUMENT_YEAR
from confsearch.text import fold, is_http_url

FIELDS = ("organiser", "event", "date", "year", "url")
SIDECAR_SUFFIX = ".meta.json"
MAX_SIDECAR_BYTES = 64 * 1024
MAX_VALUE_CHARS = 300
HEAD_LINES = 15  # labelled lines are looked for among the first lines of a text

# Folded key → field. "title" is handled with the rest but lives on the Document.
_KEYS = {
    "title": "title",
    "titel": "title",
    "rubrik": "title",
    "organiser": "organiser",
    "organizer": "organiser",
    "organisation": "organiser",
    "arrangor": "organiser",
    "arrangorer": "organiser",
    "arrangerad av": "organiser",
    "arrangeras av": "organiser",
    "organisator": "organiser",
    "event": "event",
    "evenemang": "event",
    "konferens": "event",
    "conference": "event",
    "date": "date",
    "datum": "date",
    "publicerad": "date",
    "publicerat": "date",
    "published": "date",
    "year": "year",
    "ar": "year",
    "url": "url",
    "lank": "url",
    "webbadress": "url",
    "webbsida": "url",
    "kalla": "url",  # "Källa: https://…" (only kept if it is an address)
    "source": "url",
}
_YEAR_RE = re.compile(rf"(?<!\d)({DOCUMENT_YEAR})(?!\d)")
_LABEL_RE = re.compile(r"^\s*([A-Za-zÅÄÖåäöÉé ]{2,20}?)\s*:\s+(\S.*?)\s*$")


class SidecarError(ConfsearchError, ValueError):
    """A sidecar file could not be used; the message is Swedish (the document is still read)."""


def field_for(key: str) -> str | None:
    """The field a metadata key names ("Arrangör" → "organiser"), or None."""
    return _KEYS.get(" ".join(fold(str(key)).replace("_", " ").split()))


def clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Known fields of ``raw`` (any spelling of the keys), values tidied and checked.

    Strings are whitespace-collapsed and capped; ``url`` must be an http(s) address;
    ``year`` is an int (also read from ``date`` when only that is given).
    """
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = field_for(key)
        if name is None or value is None or name in out:
            continue
        if name == "year":
            year = _year(value)
            if year is not None:
                out["year"] = year
            continue
        text = " ".join(str(value).split())[:MAX_VALUE_CHARS]
        if not text:
            continue
        if name == "url" and not is_http_url(text):
            continue
        out[name] = text
    if "year" not in out and "date" in out:
        year = _year(out["date"])
        if year is not None:
            out["year"] = year
    return out


def _year(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1950 <= value <= 2099 else None
    m = _YEAR_RE.search(str(value))
    return int(m.group(1)) if m else None


def from_text(text: str, title: str | None) -> dict[str, Any]:
    """What the text says about itself: labelled lines near its start, and the year in
    its title ("… årskonferensen 2022" → 2022)."""
    found: dict[str, Any] = {}
    lines = [ln for ln in text.split("\n") if ln.strip()][:HEAD_LINES]
    for line in lines:
        m = _LABEL_RE.match(line)
        if m and field_for(m.group(1)) not in (None, "title"):
            found.setdefault(m.group(1), m.group(2))
    out = clean(found)
    if "year" not in out and title:
        year = _year(title)
        if year is not None:
            out["year"] = year
    return out


def sidecar_path(document: Path) -> Path:
    """``corpus/x.txt`` → ``corpus/x.meta.json``."""
    return document.with_name(document.stem + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, Any]:
    """The fields of a sidecar file ({} if there is none). Raises :class:`SidecarError`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SidecarError(f"{path.name} kunde inte läsas ({os_error_text(exc)})") from exc
    if len(data) > MAX_SIDECAR_BYTES:
        raise SidecarError(f"{path.name} är större än {MAX_SIDECAR_BYTES // 1024} kB")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SidecarError(f"{path.name} är ingen giltig JSON-fil") from exc
    if not isinstance(raw, dict):
        raise SidecarError(f"{path.name} ska innehålla ett JSON-objekt med fält")
    return clean(raw)


def describe(title: str, *layers: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The title and fields of a document from its sources, lowest precedence first (see
    the module docstring); a layer's ``title`` replaces the one found by the layout."""
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update({k: v for k, v in layer.items() if v not in (None, "")})
    new_title = str(merged.pop("title", "") or "") or title
    return new_title, {k: merged[k] for k in FIELDS if k in merged}


def html_fields(meta: Mapping[str, str]) -> dict[str, Any]:
    """Fields from an HTML page's ``<meta>``/``<link>`` tags (collected by the reader)."""
    return clean(
        {
            "organiser": meta.get("og:site_name"),
            "url": meta.get("canonical") or meta.get("og:url"),
            "date": meta.get("article:published_time") or meta.get("date"),
        }
    )
