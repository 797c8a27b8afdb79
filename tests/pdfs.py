"""Hand-written PDFs with a real text layer, shared by tests and benches.

The tests and benches build their own page objects (one or two fonts, one or
many pages); what they all share is escaping text for a PDF string and laying
numbered objects out with a cross-reference table, which lives here once.
"""

from __future__ import annotations


def pdf_literal(text: str, errors: str = "strict") -> bytes:
    """Text as the inside of a PDF string in WinAnsi (cp1252, so åäö survive)."""
    b = text.encode("cp1252", errors=errors)
    return b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def assemble_pdf(objects: list[bytes]) -> bytes:
    """A PDF file of `objects` numbered from 1 (object 1 the catalog), with xref and trailer."""
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out
