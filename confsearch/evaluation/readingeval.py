"""How well documents are read, measured against a hand-made answer key (``gold.jsonl``).

One line per document: ``{"file", "title", "organiser", "event", "year", "date",
"sessions": [{"title", "label", "time", "speakers": [{"name", "role",
"organisation"}], "organisations": [...]}], "acting_organisations": [...],
"not_sessions": [...]}``. The documents are read exactly as the corpus reader reads
them (with their sidecars), from a scratch copy so nothing else in the folder is read.

Measured, micro-averaged over documents: sessions (a read session matches a gold one by
its title, ignoring case, punctuation and a label or time written before it), speakers
(by name), acting organisations (by :func:`confsearch.reading.orgs.same`: "SKL" and "Sveriges
Kommuner och Landsting" are one), organiser and year accuracy.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from confsearch.reading import orgs
from confsearch.reading.corpus import read_corpus
from confsearch.reading.doclisting import describe
from confsearch.reading.docmeta import sidecar_path
from confsearch.text import fold_key

SESSION_SIMILARITY = 0.85


def load_gold(path: Path) -> list[dict[str, Any]]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


_TIME_RE = re.compile(r"^\s*(?:kl\.?\s*)?\d{1,2}[.:]\d{2}(?:\s*[-–—]\s*\d{1,2}[.:]\d{2})?\s*")


def _norm_title(title: str) -> str:
    s = _TIME_RE.sub("", title or "")
    s = fold_key(s)
    return " ".join(re.sub(r"[^\w\s]", " ", s).split())


def _title_forms(session: dict[str, Any]) -> set[str]:
    title = session.get("title") or ""
    forms = {_norm_title(title)}
    label = session.get("label")
    if label:
        forms.add(_norm_title(f"{label} {title}"))
        forms.add(_norm_title(f"{label}: {title}"))
    return {f for f in forms if f}


def _title_match(read: str, gold: dict[str, Any]) -> bool:
    r = _norm_title(read)
    if not r:
        return False
    for g in _title_forms(gold):
        if r == g or SequenceMatcher(None, r, g).ratio() >= SESSION_SIMILARITY:
            return True
        # the read title is the gold title with a label in front, or the other way round
        if (r.endswith(g) or g.endswith(r)) and min(len(r), len(g)) >= 0.6 * max(len(r), len(g)):
            return True
    return False


def _match(read: list[Any], gold: list[Any], same) -> tuple[int, list[Any], list[Any]]:
    """Greedy one-to-one matching: (matches, unmatched read, unmatched gold)."""
    left = list(gold)
    extra = []
    hits = 0
    for r in read:
        j = next((i for i, g in enumerate(left) if same(r, g)), None)
        if j is None:
            extra.append(r)
        else:
            hits += 1
            left.pop(j)
    return hits, extra, left


def _name_key(name: str) -> str:
    return " ".join(fold_key(name).replace("-", " ").split())


def _org_same(a: str, b: str) -> bool:
    return orgs.same(a, b)


def _organiser_ok(read: str | None, gold: str | None) -> bool:
    if not gold:
        return not read
    if not read:
        return False
    if orgs.same(read, gold):
        return True
    r, g = fold_key(read), fold_key(gold)
    return r == g or (len(r) >= 3 and (r in g or g in r))


def read_acting(doc: dict[str, Any]) -> list[str]:
    """The acting organisations of a read document: its own list if the reader gives one,
    else every session's organisations and the organiser, each once."""
    if doc.get("acting_organisations") is not None:
        return list(doc["acting_organisations"])
    out: list[str] = []
    for s in doc["sessions"]:
        out.extend(s["organisations"])
        out.extend(p["organisation"] for p in s["speakers"] if p.get("organisation"))
    if doc.get("organiser"):
        out.append(doc["organiser"])
    unique: list[str] = []
    for o in out:
        if not any(orgs.same(o, u) for u in unique):
            unique.append(o)
    return unique


def _prf(tp: int, n_read: int, n_gold: int) -> dict[str, float]:
    p = tp / n_read if n_read else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else (1.0 if not n_read else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def evaluate(read_docs: dict[str, dict[str, Any]], gold: list[dict[str, Any]]) -> dict[str, Any]:
    """Scores of read documents (file name → listing entry) against gold rows."""
    totals = {k: [0, 0, 0] for k in ("sessions", "speakers", "acting_organisations")}
    organiser_ok = year_ok = 0
    details = []
    for g in gold:
        doc = read_docs.get(g["file"])
        sessions = doc["sessions"] if doc else []
        tp, extra, missed = _match(
            [s["title"] for s in sessions], g.get("sessions", []), _title_match
        )
        totals["sessions"][0] += tp
        totals["sessions"][1] += len(sessions)
        totals["sessions"][2] += len(g.get("sessions", []))
        read_names = list(
            dict.fromkeys(_name_key(p["name"]) for s in sessions for p in s["speakers"])
        )
        gold_names = list(
            dict.fromkeys(
                _name_key(p["name"]) for s in g.get("sessions", []) for p in s.get("speakers", [])
            )
        )
        stp, s_extra, s_missed = _match(read_names, gold_names, lambda a, b: a == b)
        totals["speakers"][0] += stp
        totals["speakers"][1] += len(read_names)
        totals["speakers"][2] += len(gold_names)
        acting = read_acting(doc) if doc else []
        gold_acting = list(g.get("acting_organisations", []))
        otp, o_extra, o_missed = _match(acting, gold_acting, _org_same)
        totals["acting_organisations"][0] += otp
        totals["acting_organisations"][1] += len(acting)
        totals["acting_organisations"][2] += len(gold_acting)
        org_ok = _organiser_ok(doc.get("organiser") if doc else None, g.get("organiser"))
        y_ok = (doc.get("year") if doc else None) == g.get("year")
        organiser_ok += org_ok
        year_ok += y_ok
        not_sessions = {_norm_title(t) for t in g.get("not_sessions", [])}
        details.append(
            {
                "file": g["file"],
                "layout": g.get("layout"),
                "read": doc is not None,
                "sessions_extra": extra,
                "sessions_missed": [s.get("title") for s in missed],
                "not_sessions_read": [t for t in extra if _norm_title(t) in not_sessions],
                "speakers_extra": s_extra,
                "speakers_missed": s_missed,
                "acting_extra": o_extra,
                "acting_missed": o_missed,
                "organiser": [doc.get("organiser") if doc else None, g.get("organiser")],
                "organiser_ok": org_ok,
                "year": [doc.get("year") if doc else None, g.get("year")],
                "year_ok": y_ok,
            }
        )
    n = len(gold) or 1
    return {
        "documents": len(gold),
        **{k: _prf(*v) for k, v in totals.items()},
        "organiser_accuracy": round(organiser_ok / n, 3),
        "year_accuracy": round(year_ok / n, 3),
        "details": details,
    }


def evaluate_dir(folder: Path) -> dict[str, Any]:
    """Read the gold file's documents from ``folder`` and score them."""
    folder = Path(folder)
    gold = load_gold(folder / "gold.jsonl")
    with tempfile.TemporaryDirectory(prefix="confsearch-reading-") as tmp:
        scratch = Path(tmp) / "docs"
        scratch.mkdir()
        for g in gold:
            src = folder / g["file"]
            if src.is_file():
                dest = scratch / g["file"]
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
                side = sidecar_path(src)
                if side.is_file():
                    shutil.copyfile(side, sidecar_path(dest))
        result = read_corpus(scratch, source_root=scratch)
    listing = describe(result)
    by_file = {d["source"]: d for d in listing}
    return evaluate(by_file, gold)


def format_report(report: dict[str, Any], *, details: bool = False) -> str:
    lines = [f"Dokument: {report['documents']}"]
    for key, label in (
        ("sessions", "Lärpass"),
        ("speakers", "Talare"),
        ("acting_organisations", "Agerande organisationer"),
    ):
        m = report[key]
        lines.append(
            f"{label}: precision {m['precision']:.3f}  täckning {m['recall']:.3f}  F1 {m['f1']:.3f}"
        )
    lines.append(f"Arrangör rätt: {report['organiser_accuracy']:.3f}")
    lines.append(f"År rätt: {report['year_accuracy']:.3f}")
    if details:
        for d in report["details"]:
            lines.append("")
            lines.append(f"== {d['file']} ({d['layout']})")
            for key in (
                "sessions_extra",
                "sessions_missed",
                "speakers_extra",
                "speakers_missed",
                "acting_extra",
                "acting_missed",
            ):
                if d[key]:
                    lines.append(f"  {key}: {d[key]}")
            if not d["organiser_ok"]:
                lines.append(f"  organiser (läst, facit): {d['organiser']}")
            if not d["year_ok"]:
                lines.append(f"  year (läst, facit): {d['year']}")
    return "\n".join(lines) + "\n"
