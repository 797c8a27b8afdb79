"""Escaping corpus text for HTML and Markdown, and highlighting the sentences that matched.

Pure functions, testable without Streamlit. Every piece of corpus text that reaches the
page goes through :func:`esc` (HTML *and* Markdown neutralised, for
``unsafe_allow_html`` blocks) or :func:`md_escape` (for Streamlit's Markdown-only
elements such as ``st.info``, and for exported Markdown notes), so a passage containing
``<script>`` or ``[länk](http://…)`` is shown as the characters it contains.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from confsearch.text import comparable, sentence_spans

# Characters that Markdown (and Streamlit's extensions: :color[…], $math$, emoji
# shortcodes, tables) would interpret. Replaced by numeric character references, which
# render as the same character but are never parsed as syntax.
_MD_SPECIAL = set("\\`*_[]<>&\"'$:~|#")
_MD_ENTITY = {ch: f"&#{ord(ch)};" for ch in _MD_SPECIAL}


def printable(text: object, keep: str = "\n\t") -> str:
    """``text`` as a string with control characters (other than ``keep``) as spaces."""
    s = "" if text is None else str(text)
    return "".join(ch if ch.isprintable() or ch in keep else " " for ch in s)


def esc(text: object, *, newlines: bool = True) -> str:
    """Corpus text → HTML that displays exactly that text, inside ``unsafe_allow_html``.

    HTML tags become visible text and Markdown syntax is neutralised, so neither a
    ``<script>`` nor a Markdown link in a passage can do anything. Newlines become
    ``<br>`` so the HTML block never contains a blank line (which would end it).
    """
    out = "".join(_MD_ENTITY.get(ch, ch) for ch in printable(text))
    if newlines:
        out = re.sub(r"\n\s*\n", "<br><br>", out)
        out = out.replace("\n", "<br>")
    else:
        out = " ".join(out.split())
    return out


# Streamlit Markdown: every ASCII punctuation character that can start syntax is
# backslash-escaped (CommonMark allows it for all ASCII punctuation).
_STREAMLIT_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:<>&])")
# Exported Markdown: only what would change the rendering, so the file stays readable.
_EXPORT_INLINE = re.compile(r"([\\`*_\[\]{}|~#!<>])")
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
    lines = []
    for line in printable(text).split("\n"):
        line = _EXPORT_INLINE.sub(r"\\\1", line.strip())
        line = _ENTITY_LIKE.sub(r"\\&", line)
        m = re.match(r"^(\d+)([.)])", line)
        if m:
            line = f"{m.group(1)}\\{m.group(2)}{line[m.end() :]}"
        elif line[:1] in ("-", "+", "="):
            line = "\\" + line
        lines.append(line)
    return "\n".join(lines)


def query_tag(query: str) -> str:
    """Short stable tag of a question, put on the result cards (the browser test waits on it)."""
    return hashlib.sha1(query.encode("utf-8")).hexdigest()[:10]


# ------------------------------------------------------------------------- highlighting


def _terms(text: str) -> set[str]:
    from confsearch.analysis import analyze

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


def highlight_passage(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Escaped passage HTML with the given spans wrapped in ``<mark>``."""
    out = []
    pos = 0
    for s, e in sorted(spans):
        if s < pos:
            continue
        out.append(esc(text[pos:s]))
        out.append(f"<mark>{esc(text[s:e])}</mark>")
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out)
