"""Briefing notes as Word files: the same content and order as the Markdown export
(:func:`confsearch.answers.briefing.to_markdown`), as an A4 document in Swedish with its title and
author set, real hyperlinks and a list of sources; characters XML cannot hold are dropped
from every string written (text, link addresses and the core properties alike).

Kept apart from :mod:`confsearch.answers.briefing` (the note itself, its grouping and Markdown)
because it is all python-docx and XML detail.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from confsearch.answers.briefing import (
    APP_NAME,
    NO_ITEMS,
    NO_ITEMS_FOR_QUESTION,
    QUESTIONS_HEADING,
    SOURCES_HEADING,
    BriefingNote,
    dateline,
    is_answer,
    note_heading,
    note_sources,
    questions_with_items,
    quote_line,
    session_groups,
)
from confsearch.answers.citation import head
from confsearch.markup import inline_tokens
from confsearch.messages import NO_SESSION
from confsearch.reading.documents import distinct_regions

__all__ = ["DOCX_MIME", "to_docx"]

# The files' media type, for downloads (page) and responses (API).
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# XML 1.0 forbids most control characters; python-docx raises on them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LANGUAGE = "sv-SE"
A4 = (21.0, 29.7)  # cm
MARGIN_CM = 2.5


APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>Konferenssök</Application></Properties>'
).encode()


def _xml_safe(text: object) -> str:
    return _XML_INVALID.sub("", "" if text is None else str(text))


def _line(text: object) -> str:
    """One line of XML-safe text, runs of white space as one space."""
    return " ".join(_xml_safe(text).split())


def _set_lang(rpr) -> None:
    from docx.oxml.ns import qn
    from docx.oxml.shared import OxmlElement

    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), LANGUAGE)


def _set_swedish(document) -> None:
    """Swedish for the whole document (spell checking, hyphenation, Word's language
    field): the document defaults, the Normal style and the settings."""
    from docx.oxml.ns import qn
    from docx.oxml.shared import OxmlElement

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                rpr_default.append(rpr)
            _set_lang(rpr)
    _set_lang(document.styles["Normal"].element.get_or_add_rPr())
    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is None:
        theme = OxmlElement("w:themeFontLang")
        settings.append(theme)
    theme.set(qn("w:val"), LANGUAGE)


def _a4(document) -> None:
    from docx.shared import Cm

    for section in document.sections:
        section.page_width, section.page_height = Cm(A4[0]), Cm(A4[1])
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))


def _properties(document, heading: str, questions: list[str], now: dt.datetime) -> None:
    """Title and author as a manager's Word shows them (nothing left from python-docx)."""
    props = document.core_properties
    props.title = _line(heading)[:255]
    props.author = APP_NAME
    props.last_modified_by = APP_NAME
    props.subject = "Underlag ur konferenstexter"
    comments = "Frågor: " + "; ".join(_line(q) for q in questions) if questions else ""
    props.comments = comments[:1000]
    props.keywords = ""
    props.category = ""
    props.language = LANGUAGE
    props.created = now
    props.modified = now
    props.revision = 1
    _application(document)


def _page_numbers(document) -> None:
    """ "Sida 3" centred in every page's footer (a PAGE field Word fills in)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("Sida ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run, text = OxmlElement("w:r"), OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)


def _application(document) -> None:
    """The file's extended properties name this program, not python-docx's template
    ("Microsoft Macintosh Word", a page count of 1 and so on)."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = APP_XML


def _hyperlink_style(document):
    """The character style Word uses for links (the default template lacks it)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    try:
        return document.styles["Hyperlink"]
    except KeyError:
        style = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        style.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        style.font.underline = True
        return style


def _add_link(paragraph, text: str, url: str, *, size=None) -> None:
    """A clickable link (a w:hyperlink with an external relationship) in ``paragraph``."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn
    from docx.oxml.shared import OxmlElement

    rid = paragraph.part.relate_to(_xml_safe(url), RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    link.set(qn("w:history"), "1")
    run = paragraph.add_run(_xml_safe(text), style="Hyperlink")
    if size is not None:
        run.font.size = size
    link.append(run._r)  # move the run inside the hyperlink
    paragraph._p.append(link)


def _add_rich(paragraph, text: str) -> None:
    """Corpus text as runs: the author's emphasis as italic/bold, addresses as links."""

    def add(start: int, end: int, italic: bool = False, bold: bool = False) -> None:
        pos = start
        for s, e, kind, value in inline_tokens(text, start, end):
            if s > pos:
                run = paragraph.add_run(_xml_safe(text[pos:s]))
                run.italic, run.bold = italic or None, bold or None
            if kind == "link":
                url, shown = value
                _add_link(paragraph, shown, url if "://" in url else f"https://{url}")
            else:
                inner_s, inner_e = value
                add(inner_s, inner_e, italic or kind == "em", bold or kind == "strong")
            pos = e
        if pos < end:
            run = paragraph.add_run(_xml_safe(text[pos:end]))
            run.italic, run.bold = italic or None, bold or None

    add(0, len(text))


def _comment(doc, comment: str) -> None:
    if comment.strip():
        p = doc.add_paragraph()
        p.add_run("Kommentar: ").italic = True
        p.add_run(_xml_safe(" ".join(comment.split())))


def to_docx(note: BriefingNote, *, now: dt.datetime | None = None) -> bytes:
    """The note as a Word document (.docx bytes): A4, Swedish, title and author set."""
    from docx import Document
    from docx.shared import Pt

    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    doc = Document()
    _a4(doc)
    _set_swedish(doc)
    _hyperlink_style(doc)
    heading = _line(note_heading(note))
    _properties(doc, heading, note.questions, now)
    _page_numbers(doc)
    doc.add_heading(heading, level=1)
    line = doc.add_paragraph()
    line.add_run(dateline(now.date(), len(note), heading)).italic = True
    for text in (note.intro or "").splitlines():
        if text.strip():
            doc.add_paragraph(_xml_safe(text.strip()))
    if not note.items:
        doc.add_paragraph(NO_ITEMS)
    small = Pt(9)
    for session, items in session_groups(note):
        regions = distinct_regions(item for _, item in items)
        title = session + (" — " + ", ".join(regions) if regions else "")
        doc.add_heading(_xml_safe(title), level=2)
        for n, item in items:
            for text in (item.text or "").splitlines():
                if text.strip():
                    _add_rich(doc.add_paragraph(style="Quote"), quote_line(text))
            if is_answer(item):  # each sentence carries its own citation
                _comment(doc, item.comment)
                continue
            cite_p = doc.add_paragraph()
            cite_p.add_run(f"[{n}] ").bold = True
            src = item.cited()
            front = head(item.session or NO_SESSION, item.regions, item.speakers)
            cite_p.add_run(_xml_safe(f"{front} — ")).font.size = small
            if src.url:
                _add_link(cite_p, src.title, src.url, size=small)
            else:
                cite_p.add_run(_xml_safe(src.title)).font.size = small
            extra = [p for p in (src.organiser, src.when) if p]
            if extra:
                cite_p.add_run(_xml_safe(f" ({', '.join(extra)})")).font.size = small
            _comment(doc, item.comment)
    if note.questions:
        answered = {_line(q) for q in questions_with_items(note)}
        doc.add_heading(QUESTIONS_HEADING, level=2)
        for q in note.questions:
            q = _line(q)
            text = q if q in answered else f"{q} ({NO_ITEMS_FOR_QUESTION})"
            doc.add_paragraph(_xml_safe(text), style="List Bullet")
    sources = note_sources(note)
    if sources:
        doc.add_heading(SOURCES_HEADING, level=2)
        for src in sources:
            p = doc.add_paragraph(_xml_safe(src.reference()), style="List Bullet")
            if src.url:
                p.add_run(" ")
                _add_link(p, src.url, src.url)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
