"""Element budgets for .docx and HTML, counted by the XML structure before a tree is built.

A .docx's paragraphs were once counted as the bytes ``<w:p``; the same document with
another prefix bound to the WordprocessingML namespace (``<x:p``) was not counted, and
python-docx then built a tree of millions of elements (3 GB, "XPathEvalError"). Here
every XML part of the package is stream-parsed by lxml with a parser *target*: the
parser calls :meth:`_Counter.start` per element, with the tag already resolved to
``{namespace}name`` whatever the prefix, and no tree is kept, so counting costs constant
memory. HTML is counted the same way by lxml's HTML parser (start tags, not ``<``
characters, so ``a < b`` in prose costs nothing).
"""

from __future__ import annotations

import contextlib
import functools
import zipfile
from collections.abc import Iterable
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_P = f"{{{W_NS}}}p"
CHUNK = 64 * 1024


class OverBudget(Exception):
    """Internal: a budget was exceeded; ``args[0]`` names which (``"elements"`` or
    ``"paragraphs"``)."""


class BrokenXml(Exception):
    """Internal: a part is not well-formed XML."""


class _Counter:
    """lxml parser target: counts elements and WordprocessingML paragraphs, and stops
    the parse (by raising) as soon as a budget is exceeded."""

    def __init__(self, max_elements: int, max_paragraphs: int | None = None) -> None:
        self.elements = 0
        self.paragraphs = 0
        self.max_elements = max_elements
        self.max_paragraphs = max_paragraphs

    def start(self, tag, attrib) -> None:
        self.elements += 1
        if self.elements > self.max_elements:
            raise OverBudget("elements")
        if tag == W_P and self.max_paragraphs is not None:
            self.paragraphs += 1
            if self.paragraphs > self.max_paragraphs:
                raise OverBudget("paragraphs")

    def end(self, tag) -> None:
        pass

    def close(self) -> _Counter:
        return self


def _feed(parser, chunks: Iterable[bytes]) -> None:
    from lxml import etree

    try:
        for chunk in chunks:
            parser.feed(chunk)
        parser.close()
    except OverBudget:
        raise
    except (etree.XMLSyntaxError, etree.ParserError, ValueError) as exc:
        raise BrokenXml(str(exc)) from exc


def count_docx(path: Path, max_elements: int, max_paragraphs: int) -> _Counter:
    """Elements in every XML part of a .docx together, and ``w:p`` paragraphs (by
    namespace) in all of them. Raises :class:`OverBudget` at the first element over a
    budget, :class:`BrokenXml` for a part that is not XML, and what ``zipfile`` raises."""
    from lxml import etree

    counter = _Counter(max_elements, max_paragraphs)
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if not info.filename.lower().endswith((".xml", ".rels")):
                continue
            parser = etree.XMLParser(
                target=counter, resolve_entities=False, no_network=True, huge_tree=False
            )
            with zf.open(info) as member:
                _feed(parser, iter(functools.partial(member.read, CHUNK), b""))
    return counter


def count_html(data: bytes, max_elements: int) -> int:
    """Elements in an HTML document (start tags as an HTML parser sees them); raises
    :class:`OverBudget` at the first element over the budget."""
    from lxml import etree

    counter = _Counter(max_elements)
    parser = etree.HTMLParser(target=counter, no_network=True, recover=True)
    # html.parser (what reads it afterwards) is as forgiving as browsers are
    with contextlib.suppress(BrokenXml):
        _feed(parser, (data[i : i + CHUNK] for i in range(0, len(data), CHUNK)))
    return counter.elements
