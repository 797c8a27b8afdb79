"""Escaping corpus text for HTML and Markdown, and highlighting the sentences that matched.

Pure functions, testable without Streamlit. Every piece of corpus text that reaches the
page goes through :func:`esc` (HTML *and* Markdown neutralised, for
``unsafe_allow_html`` blocks), :func:`rich` (the same, but the author's ``*emphasis*``
is shown as emphasis and web addresses become links that show where they go) or
:func:`md_escape` (for Streamlit's Markdown-only elements such as ``st.info``, and for
exported Markdown notes), so a passage containing ``<script>`` or
``[länk](http://…)`` is shown as the characters it contains.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from confsearch.analysis import analyze
from confsearch.text import EMPHASIS_RE, LINK_RE, comparable, extract_links, sentence_spans

# Characters that Markdown (and Streamlit's extensions: :color[…], $math$, emoji
# shortcodes, tables) would interpret. Replaced by numeric character references, which
# render as the same character but are never parsed as syntax.
_MD_SPECIAL = set("\\`*_[]<>&\"'$:~|#@")
_MD_ENTITY = {ch: f"&#{ord(ch)};" for ch in _MD_SPECIAL}


def printable(text: object, keep: str = "\n\t") -> str:
    """``text`` as a string with control characters (other than ``keep``) as spaces."""
    s = "" if text is None else str(text)
    return "".join(ch if ch.isprintable() or ch in keep else " " for ch in s)


_WWW_RE = re.compile(r"(?i)\b(www)\.")


def esc(text: object, *, newlines: bool = True) -> str:
    """Corpus text → HTML that displays exactly that text, inside ``unsafe_allow_html``.

    HTML tags become visible text and Markdown syntax is neutralised, so neither a
    ``<script>`` nor a Markdown link in a passage can do anything. Newlines become
    ``<br>`` so the HTML block never contains a blank line (which would end it).
    """
    out = "".join(_MD_ENTITY.get(ch, ch) for ch in printable(text))
    out = _WWW_RE.sub(r"\1&#46;", out)  # "www." would become a link (GFM autolinks)
    if newlines:
        out = re.sub(r"\n\s*\n", "<br><br>", out)
        out = out.replace("\n", "<br>")
    else:
        out = " ".join(out.split())
    return out


# Streamlit Markdown: every ASCII punctuation character that can start syntax is
# backslash-escaped (CommonMark allows it for all ASCII punctuation).
_STREAMLIT_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:<>&])")
# Exported Markdown: only what would change the rendering, so the file stays readable and
# a note pasted as plain text shows "5 * 3 mnkr", not "5 \\* 3 mnkr". Always: a code span's
# backtick, brackets (links) and table pipes. Only where they could start syntax: a
# backslash before punctuation (or at the end), ``*``/``_``/``~`` touching a non-space
# (``_`` inside a word never is emphasis), ``<`` opening a tag or an address.
_EXPORT_INLINE = re.compile(
    r"""([`\[\]|])"""
    r"""|(\\(?=[!-/:-@\[-`{-~]|$))"""
    r"""|((?<=\S)[*~]|[*~](?=\S))"""
    r"""|((?<![^\W_])_|_(?![^\W_]))"""
    r"""|(<(?=[A-Za-z/!?]))"""
)
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")


def md_escape(text: object, *, export: bool = False) -> str:
    """Text that renders literally in Markdown.

    For the page (default) every special character is backslash-escaped, including
    Streamlit's own syntax (``:red[…]``, ``$…$``). With ``export=True`` (briefing notes
    written to a .md file) the result stays readable and free of HTML entities: inline
    specials and an entity-like ``&`` are backslash-escaped, line-start markers (``-``,
    ``+``, ``1.``) are escaped on each line and leading indentation (a code block) is
    removed.
    """
    if not export:
        return _STREAMLIT_SPECIAL.sub(r"\\\1", printable(text, keep=""))
    return "\n".join(
        _md_line_start(_md_inline(line.strip())) for line in printable(text).split("\n")
    )


def md_rich(text: object) -> str:
    """Corpus text for an exported Markdown file, as :func:`md_escape` with
    ``export=True`` but keeping what the author meant: ``*emphasis*`` stays emphasis and
    web addresses become real links (``<https://…>``, or ``[www.x.se](https://www.x.se)``
    when written without the scheme). No HTML entities, nothing else is interpreted."""
    lines = []
    for line in printable(text).split("\n"):
        line = line.strip()
        lines.append(_md_line_start(_md_inline_rich(line, 0, len(line))))
    return "\n".join(lines)


def _md_inline(text: str) -> str:
    escaped = _EXPORT_INLINE.sub(lambda m: "\\" + m.group(0), text)
    return _ENTITY_LIKE.sub(r"\\&", escaped)


def _md_inline_rich(text: str, start: int, end: int) -> str:
    out = []
    pos = start
    for s, e, kind, value in inline_tokens(text, start, end):
        out.append(_md_inline(text[pos:s]))
        if kind == "link":
            url, shown = value
            target = _web_url(url) or url
            if shown == target:
                out.append(f"<{target}>")
            else:
                dest = f"<{target}>" if any(c in target for c in "()") else target
                out.append(f"[{_md_inline(shown)}]({dest})")
        else:
            inner_s, inner_e = value
            mark = "**" if kind == "strong" else "*"
            out.append(f"{mark}{_md_inline_rich(text, inner_s, inner_e)}{mark}")
        pos = e
    out.append(_md_inline(text[pos:end]))
    return "".join(out)


def _md_line_start(line: str) -> str:
    """Escape what would make a line a list item, a numbered item, a heading or a rule,
    and a heading's closing "#" (a heading "Möte #" would lose it)."""
    line = re.sub(r"(?<=\s)(#+\s*)$", r"\\\1", line)
    m = re.match(r"^(\d+)([.)])", line)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{line[m.end() :]}"
    if line[:1] in ("-", "+", "=", "#", ">") or re.match(r"^\*\s", line):
        return "\\" + line
    return line


def query_tag(query: str) -> str:
    """Short stable tag of a question, put on the result cards (the browser test waits on it)."""
    return hashlib.sha1(query.encode("utf-8")).hexdigest()[:10]


# ------------------------------------------------------------------------- highlighting


def _terms(text: str) -> set[str]:
    return set(analyze(text))


def best_sentence_spans(
    text: str, *, quoted: Iterable[str] = (), query_words: Iterable[str] = ()
) -> list[tuple[int, int]]:
    """Sentences to highlight in a passage.

    Sentences quoted in the answer come first (they are what the answer relied on);
    otherwise the sentence(s) sharing the most analysed terms with the query words.
    """
    spans = sentence_spans(text)
    quoted_norm = [comparable(q) for q in quoted if q and q.strip()]
    if quoted_norm:
        chosen = []
        for s, e in spans:
            sentence = comparable(text[s:e])
            if any(sentence in q or q in sentence for q in quoted_norm):
                chosen.append((s, e))
        if chosen:
            return chosen
    wanted: set[str] = set()
    for w in query_words:
        wanted |= _terms(w)
    if not wanted:
        return []
    scored = [(len(_terms(text[s:e]) & wanted), (s, e)) for s, e in spans]
    best = max((n for n, _ in scored), default=0)
    if best == 0:
        return []
    return [span for n, span in scored if n == best][:2]


# ------------------------------------------------------------------------- corpus text

_LINK_ATTRS = 'target="_blank" rel="noopener noreferrer"'


def _web_url(url: str) -> str | None:
    """The address a link may point to: http(s) only (``www.x`` → ``https://www.x``)."""
    if url.lower().startswith("www."):
        url = "https://" + url
    return url if re.match(r"https?://[^\s<>\"]+$", url, re.IGNORECASE) else None


def link_html(url: str, label: str | None = None) -> str:
    """A link that opens in a new tab, showing ``label`` (default: the address). Corpus
    text only ever labels a link with the address as written, so a link never hides
    where it goes. An address that is not http(s) is shown as text."""
    target = _web_url(url)
    shown = esc(label if label is not None else url, newlines=False)
    if target is None:
        return shown
    return f'<a href="{esc(target, newlines=False)}" {_LINK_ATTRS}>{shown}</a>'


def inline_tokens(text: str, start: int, end: int) -> list[tuple[int, int, str, tuple[Any, Any]]]:
    """Links and emphasis inside ``text[start:end]``, in order, never overlapping: each
    ``(start, end, kind, value)``, value ``(url, shown)`` for a link and the inner
    ``(start, end)`` for emphasis.

    Links first (an underscore inside a URL is not emphasis), then ``*x*``, ``**x**``,
    ``_x_`` (:data:`confsearch.text.EMPHASIS_RE`, the one emphasis rule).
    """
    tokens: list[tuple[int, int, str, tuple[Any, Any]]] = []
    for m in LINK_RE.finditer(text, start, end):
        found = extract_links(m.group(0))
        if not found:
            continue
        s, e = m.span()
        shown = m.group(1) or m.group(2)
        if m.group(2):  # bare URL: trailing punctuation is not part of it
            shown = shown.rstrip(".,;:!?)]}'’")
            e = s + len(shown)
        if _web_url(found[0]) is not None:
            tokens.append((s, e, "link", (found[0], shown)))
    for m in EMPHASIS_RE.finditer(text, start, end):
        s, e = m.span()
        if any(ts < e and s < te for ts, te, _, _ in tokens):
            continue
        strong = len(m.group(1)) == 2
        tokens.append((s, e, "strong" if strong else "em", (m.start(2), m.end(2))))
    return sorted(tokens)


def rich(text: str, start: int = 0, end: int | None = None) -> str:
    """Corpus text as safe HTML that keeps what the author meant: Markdown emphasis
    (``*Rena resan*``) as emphasis and web addresses as links; everything else escaped
    exactly as :func:`esc` does (no tag, no other Markdown, no script can come through).
    """
    end = len(text) if end is None else end
    out: list[str] = []
    pos = start
    for s, e, kind, value in inline_tokens(text, start, end):
        out.append(esc(text[pos:s]))
        if kind == "link":
            url, shown = value
            out.append(link_html(url, shown))
        else:
            inner_s, inner_e = value
            out.append(f"<{kind}>{rich(text, inner_s, inner_e)}</{kind}>")
        pos = e
    out.append(esc(text[pos:end]))
    return "".join(out)


def highlight_passage(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Passage HTML (:func:`rich`) with the given spans wrapped in ``<mark>``.

    Emphasis or a link that would straddle a highlight boundary is shown as written
    rather than break the markup.
    """
    cuts = sorted(spans)
    out = []
    pos = 0
    for s, e in cuts:
        if s < pos:
            continue
        out.append(rich(text[pos:s]))
        out.append(f"<mark>{rich(text[s:e])}</mark>")
        pos = e
    out.append(rich(text[pos:]))
    return "".join(out)
