"""Reading speed: documents read per minute for a mixed corpus (txt, md, html, docx, pdf).

    .venv/bin/python bench/reading_speed.py [--docs 500]

Writes a corpus of made-up conference programmes (about a page each, every format in
equal share) to a scratch folder, reads it with :func:`confsearch.reading.corpus.read_corpus`
(the whole pipeline: readers, sessions, speakers, organisations, passages) and prints
documents per minute, overall and per format. The bar is 1 000 documents per minute.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from confsearch.reading.corpus import read_corpus
from tests.pdfs import assemble_pdf, pdf_literal

FIRST = ["Anna", "Per", "Maria", "Johan", "Eva", "Karin", "Lars", "Sara", "Erik", "Lena"]
LAST = ["Berg", "Lind", "Holm", "Ek", "Strand", "Nyberg", "Sjöberg", "Wallin", "Dahl", "Falk"]
ORGS = [
    "Region Skåne",
    "Botkyrka kommun",
    "Vinnova",
    "Linköpings universitet",
    "Länsstyrelsen i Dalarnas län",
    "SKR",
    "Coompanion",
    "Tillväxtverket",
]
TOPICS = [
    "Kompetensförsörjning i glesbygd",
    "Smart specialisering i praktiken",
    "Gröna näringar och besöksnäring",
    "Social innovation i kommunerna",
    "Cykelvägar mellan byarna",
    "Digital infrastruktur för alla",
]
BODY = (
    "Under passet diskuterades hur regionen arbetar tillsammans med kommunerna för att "
    "stärka {topic}. Deltagarna delade erfarenheter från projekt som pågått i flera år "
    "och pekade på vad som krävs för att arbetet ska bli långsiktigt."
)


def programme(rng: random.Random) -> tuple[str, list[tuple[str, str, list[str]]]]:
    title = f"Regional utvecklingskonferens {rng.randint(2010, 2024)}"
    sessions = []
    for i in range(rng.randint(4, 8)):
        topic = rng.choice(TOPICS)
        hour = 9 + i
        time_ = f"{hour:02d}.00–{hour:02d}.45"
        speaker = f"{rng.choice(FIRST)} {rng.choice(LAST)}, utvecklingsledare, {rng.choice(ORGS)}"
        paras = [speaker, BODY.format(topic=topic.lower()), BODY.format(topic="samverkan")]
        sessions.append((f"{time_} {topic}", topic, paras))
    return title, sessions


def write_txt(path: Path, title, sessions) -> None:
    parts = [title, "Arrangör: Reglab", "Datum: 14 mars 2019"]
    for head, _, paras in sessions:
        parts.append(head)
        parts.extend(paras)
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def write_md(path: Path, title, sessions) -> None:
    parts = [f"# {title}"]
    for head, _, paras in sessions:
        parts.append(f"## {head}")
        parts.extend(paras)
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def write_html(path: Path, title, sessions) -> None:
    body = [f"<h1>{title}</h1>"]
    for head, _, paras in sessions:
        body.append(f"<h2>{head}</h2>")
        body.append(f"<ul><li>{paras[0]}</li></ul>")
        body.extend(f"<p>{p}</p>" for p in paras[1:])
    html = f"<html><head><title>{title}</title></head><body>{''.join(body)}</body></html>"
    path.write_text(html, encoding="utf-8")


def write_docx(path: Path, title, sessions) -> None:
    import docx

    d = docx.Document()
    d.add_heading(title, 0)
    for head, _, paras in sessions:
        d.add_heading(head, 1)
        for p in paras:
            d.add_paragraph(p)
    d.save(str(path))


def write_pdf(path: Path, title, sessions) -> None:
    lines = [(18, True, title)]
    for head, _, paras in sessions:
        lines.append((14, True, head))
        for p in paras:
            words = p.split()
            for i in range(0, len(words), 12):
                lines.append((11, False, " ".join(words[i : i + 12])))
    path.write_bytes(make_pdf(lines))


def make_pdf(lines: list[tuple[int, bool, str]]) -> bytes:
    """A PDF with a real text layer: (font size, bold, text) per line, pages as needed."""

    pages: list[bytes] = []
    y, content = 800, b""
    for size, bold, text in lines:
        if y < 60:
            pages.append(content)
            y, content = 800, b""
        font = b"F2" if bold else b"F1"
        content += (
            b"BT /%s %d Tf 60 %d Td (" % (font, size, y)
            + pdf_literal(text, errors="replace")
            + b") Tj ET\n"
        )
        y -= size + 8
    pages.append(content)
    n = len(pages)
    kids = b" ".join(b"%d 0 R" % (5 + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    for i, content in enumerate(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << "
            b"/F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % (6 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    return assemble_pdf(objects)


WRITERS = {
    ".txt": write_txt,
    ".md": write_md,
    ".html": write_html,
    ".docx": write_docx,
    ".pdf": write_pdf,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=500, help="number of documents")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="confsearch-readbench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        exts = list(WRITERS)
        for i in range(args.docs):
            ext = exts[i % len(exts)]
            title, sessions = programme(rng)
            WRITERS[ext](corpus / f"doc{i:05d}{ext}", f"{title} nr {i}", sessions)
        per_format = {}
        for ext in exts:  # each format alone, for the breakdown
            sub = Path(tmp) / ext.strip(".")
            sub.mkdir()
            for p in corpus.glob(f"*{ext}"):
                (sub / p.name).write_bytes(p.read_bytes())
            t0 = time.perf_counter()
            read_corpus(sub)
            per_format[ext] = (len(list(sub.iterdir())), time.perf_counter() - t0)
        t0 = time.perf_counter()
        result = read_corpus(corpus)
        seconds = time.perf_counter() - t0
    n = len(result.documents)
    print(
        f"{n} dokument ({args.docs} filer), {len(result.passages)} stycken, "
        f"{len(result.errors)} fel, {seconds:.1f} s: {n / seconds * 60:.0f} dokument/minut"
    )
    for ext, (count, secs) in per_format.items():
        print(f"  {ext:6} {count:5d} filer  {count / secs * 60:8.0f} dokument/minut")
    return 0 if n == args.docs and not result.errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
