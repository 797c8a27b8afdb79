"""Swedish text handling: the one home for sentences, links, list markers and folding.

Every module that cuts, compares or cleans text uses these helpers, so a rule (what ends
a sentence, what a URL is, how "Västerås" is folded) is decided in exactly one place:

* :func:`sentence_spans` is the only sentence splitter. It works on raw document text
  (hard-wrapped lines) and on cleaned passage text (one quote or list item per line):
  a blank line always ends a sentence, a single line break ends one only before a quote
  or list line, and sentence punctuation ends one before anything but a lower-case
  letter. Abbreviations ("t.ex.", "ca."), initials ("A. Svensson"), numbered items
  ("1. Första punkten") and decimals ("2.5") never end a sentence. The loop is linear in
  the text length, whatever the text looks like.
* URL patterns: :data:`LINK_RE` finds links (``<https://…>``, bare ``https://…`` and
  ``www.…``); :func:`url_spans` also covers e-mail addresses and bare domain names.
* List and quote lines: :func:`is_quote_line`, :func:`is_list_line`,
  :func:`strip_marker`, :func:`quote_text`.
* Folding: :func:`fold_accents` (å→a, ø→o, ß→ss …, case kept), :func:`fold` (also
  case-folded, for matching what users type) and :func:`fold_key` (also punctuation as
  spaces, for looking names up); :func:`comparable` for comparing sentences.
* Word lists: :data:`STOPWORDS` (Snowball's Swedish list plus a few content-free words
  of conference prose) and :data:`GENERIC_WORDS`, words that are common in *every*
  regional-development text and so never show that a passage is about a question. The
  lists themselves live in :mod:`confsearch.wordlists` (importable from here too).
"""

from __future__ import annotations

import re
import unicodedata

from confsearch.wordlists import DOMAIN_WORDS as DOMAIN_WORDS
from confsearch.wordlists import ENGLISH_MARKERS, GENERIC_WORDS, STOPWORDS, SWEDISH_MARKERS
from confsearch.wordlists import EXTRA_STOPWORDS as EXTRA_STOPWORDS
from confsearch.wordlists import FUNCTION_WORDS as FUNCTION_WORDS
from confsearch.wordlists import SNOWBALL_STOPWORDS as SNOWBALL_STOPWORDS

# --------------------------------------------------------------------------- words

WORD_RE = re.compile(r"\w+")


def words(text: str) -> int:
    """Number of words, not counting URLs."""
    return len(WORD_RE.findall(LINK_RE.sub(" ", text)))


# --------------------------------------------------------------------------- links

# <https://…> autolinks, bare http(s)/ftp URLs and www. addresses; group 1 or 2 is the URL.
LINK_RE = re.compile(
    r"<((?:https?|ftp)://[^<>\s]+)>|((?:https?|ftp)://[^\s<>\"”»]+|www\.[^\s<>\"”»]+)",
    re.IGNORECASE,
)
# Links plus e-mail addresses and bare domain names ("reglab.se"), where a name inside
# is never a mention of an organisation.
_URL_LIKE_RE = re.compile(
    r"<[^<>\s]+>"
    r"|\b(?:https?|ftp)://[^\s<>]+"
    r"|\bwww\.[^\s<>]+"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:se|nu|com|org|net|eu|io|info)\b(?:/[^\s<>]*)?",
    re.IGNORECASE,
)
_URL_TOKEN = r"(?:<[^<>\s]+>|(?:https?://|www\.)\S+)"
_URL_ONLY_RE = re.compile(rf"^\s*{_URL_TOKEN}\s*$", re.IGNORECASE)
_ENDS_WITH_URL_RE = re.compile(rf"{_URL_TOKEN}$", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}'’"


def url_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses and bare domain names in ``text``."""
    return [m.span() for m in _URL_LIKE_RE.finditer(text)]


def extract_links(text: str) -> list[str]:
    """URLs in ``<…>`` and bare form, in order, deduplicated, without trailing punctuation;
    ``www.x`` becomes ``https://www.x``."""
    out: list[str] = []
    for m in LINK_RE.finditer(text):
        url = (m.group(1) or m.group(2)).rstrip(_URL_TRAILING)
        if url.lower().startswith("www."):
            url = "https://" + url
        out.append(url)
    return list(dict.fromkeys(out))


def is_url_only(line: str) -> bool:
    """A line that is nothing but a link (``<https://…>`` or a bare URL)."""
    return bool(_URL_ONLY_RE.match(line))


def ends_with_url(line: str) -> bool:
    return bool(_ENDS_WITH_URL_RE.search(line.rstrip()))


def is_http_url(value: str) -> bool:
    return bool(re.match(r"(?:https?|ftp)://\S+$", value or "", re.IGNORECASE))


# ------------------------------------------------------------------ list and quote lines

QUOTE_PREFIXES = ("- ", "– ", "— ", "-\t", "–\t")
BULLET_PREFIXES = ("• ", "* ", "· ")
# A leading quote dash, bullet or item number ("- ", "• ", "1. ", "2) ").
MARKER_RE = re.compile(r"^\s*(?:[-–—•·*]\s+|\d{1,2}[.)]\s+)")
_NUMBERED_RE = re.compile(r"\d+[.)]\s")
QUOTE_LINE_RE = re.compile(r"^\s*(?:[-–—]\s+\S|>)")


def is_quote_line(line: str) -> bool:
    """A speaker quote ("- Vi har …, säger X.") or a Markdown blockquote ("> …")."""
    s = line.lstrip()
    return s.startswith(QUOTE_PREFIXES) or s.startswith(">")


def is_list_line(line: str) -> bool:
    """A quote, bullet or numbered item: a line that starts something of its own."""
    s = line.lstrip()
    return is_quote_line(s) or s.startswith(BULLET_PREFIXES) or bool(_NUMBERED_RE.match(s))


def strip_marker(line: str) -> str:
    """The line without its quote dash, bullet or item number."""
    return MARKER_RE.sub("", line, count=1).strip()


def quote_text(paragraph: str, min_words: int = 4) -> str | None:
    """The quote without its dash if ``paragraph`` is a speaker quote, else None."""
    s = paragraph.strip()
    if is_quote_line(s):
        body = re.sub(r"^[-–—]\s*", "", s.lstrip(">").strip())
        if words(body) >= min_words:
            return body
    return None


# Markdown emphasis markers: *x*, **x**, _x_, __x__ (not inside words for underscores).
EMPHASIS_RE = re.compile(r"(\*\*|__|\*|(?<!\w)_)(?=\S)(.+?)(?<=\S)\1(?!\w)")


def strip_emphasis(text: str) -> str:
    """``*Rena resan*`` → ``Rena resan`` (Markdown emphasis markers only)."""
    return EMPHASIS_RE.sub(r"\2", text)


# ------------------------------------------------------------------- sentence splitting

# Words that end with "." without ending a sentence, however the next word is written
# ("t.ex. Region Örebro län", "ca. 20", "kl. 13"). Lower case, without the final dot.
# List-closing abbreviations ("osv.", "m.m.", "etc.") are not here: before a capital
# letter they do end a sentence ("… arktiska tester osv. Bra tillväxt …").
# fmt: off
ABBREVIATIONS = frozenset((
    "t.ex", "tex", "ex", "bl.a", "bla", "s.k", "sk", "d.v.s", "dvs", "p.g.a", "pga", "f.d",
    "fd", "ca", "cirka", "nr", "kl", "jfr", "resp", "inkl", "exkl", "ang", "enl", "fr.o.m",
    "t.o.m", "o.dyl", "dyl", "tel", "mkr", "mdkr", "milj", "mdr", "st", "e.g", "i.e", "vs",
    "dr", "prof", "doc", "fil", "mag", "sid", "s", "kap", "avd", "tf", "ordf", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec", "mr", "mrs", "ms",
))
# fmt: on
# Sentence punctuation with any closing quotes or brackets.
_END_RE = re.compile(r"[.!?…]+[\"”»’')\]]*")
_SPACE_RE = re.compile(r"\s+")
OPENERS = "(\"'”»“«"  # what may stand before a sentence's first word


def _token_before(text: str, floor: int, dot: int) -> tuple[int, str]:
    """Start and text of the whitespace-delimited token ending at ``dot`` (exclusive)."""
    i = dot
    while i > floor and not text[i - 1].isspace():
        i -= 1
    return i, text[i:dot]


def _ends_sentence(text: str, floor: int, punct_start: int) -> bool:
    """Whether the "." at ``punct_start`` ends a sentence (abbreviations, initials, items)."""
    tok_start, token = _token_before(text, floor, punct_start)
    token = token.lstrip(OPENERS).lower()
    if token in ABBREVIATIONS:
        return False
    if len(token) == 1 and token.isalpha():
        return False  # an initial: "A. Svensson"
    if token.isdigit() and len(token) <= 2:
        # "1. Första punkten": an item number at the start of a line is not a sentence.
        line_start = text.rfind("\n", floor, tok_start) + 1
        if not text[max(line_start, floor) : tok_start].strip():
            return False
    return True


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text[start:end]`` (absolute offsets, trimmed).

    See the module docstring for the rules. Linear: each character is looked at a bounded
    number of times (the token before a "." is scanned back only to the previous space).
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cur = start
    pos = start
    # The next line break and the next punctuation at or after pos, found lazily: each
    # search starts where the last one ended, so the whole loop is linear.
    nl = text.find("\n", pos, end)
    m = _END_RE.search(text, pos, end)
    while pos < end:
        if nl != -1 and nl < pos:
            nl = text.find("\n", pos, end)
        if m is not None and m.start() < pos:
            m = _END_RE.search(text, pos, end)
        if m is not None and (nl == -1 or m.start() < nl):
            # sentence punctuation first
            gap = _SPACE_RE.match(text, m.end(), end)
            pos = m.end()
            if gap is None or gap.end() >= end:
                continue
            nxt = text[gap.end()]
            if nxt.islower():
                continue
            if text[m.start()] == "." and not _ends_sentence(text, cur, m.start()):
                continue
            spans.append((cur, m.end()))
            cur = pos = gap.end()
            continue
        if nl == -1:
            break
        # a line break: a blank line, or the next line starts a quote or list item
        gap = _SPACE_RE.match(text, nl, end)
        gap_end = gap.end() if gap else nl + 1
        if gap_end < end and (
            text.count("\n", nl, gap_end) >= 2 or is_list_line(text[gap_end : gap_end + 3])
        ):
            spans.append((cur, nl))
            cur = gap_end
        pos = gap_end
    spans.append((cur, end))
    return trim_spans(text, spans)


_ENDS_RE = re.compile(r"[.!?…][\"”»’')\]]*\s*$")
_ENDS_OR_COLON_RE = re.compile(r"[.!?…:][\"”»’')\]]*\s*$")


def ends_sentence(text: str, *, colon: bool = False) -> bool:
    """Whether ``text`` ends with sentence punctuation (optionally also a colon, which
    introduces what follows), closing quotes or brackets allowed after it."""
    return bool((_ENDS_OR_COLON_RE if colon else _ENDS_RE).search(text))


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings, whitespace inside each collapsed."""
    return [" ".join(text[s:e].split()) for s, e in sentence_spans(text)]


def trim_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Shrink each span past surrounding whitespace; spans that become empty are dropped."""
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


# ----------------------------------------------------------------------------- folding

_SPECIAL_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)
_COMMON_FOLD = str.maketrans(  # fast path for the usual letters; the rest goes via NFKD
    "åäöéèëêüáàâîïôûçñÅÄÖÉÈËÊÜÁÀÂÎÏÔÛÇÑ", "aaoeeeeuaaaiioucnAAOEEEEUAAAIIOUCN"
)
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # soft hyphen, ZW*


def fold_accents(text: str) -> str:
    """Remove diacritics: å→a, ä→a, ö→o, é→e, ü→u, ø→o, æ→ae, ß→ss … (case is kept)."""
    if text.isascii():
        return text
    text = text.translate(_COMMON_FOLD)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """NFKC with invisible characters (soft hyphens, zero-width spaces) removed."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _INVISIBLE_RE.sub("", text)


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Västerås" and "VASTERAS" both → "vasteras"."""
    return fold_accents(normalize(text).casefold())


def fold_key(text: str) -> str:
    """A look-up key for names: folded, punctuation and dashes as single spaces.

    "Region Västerbottens län" → "region vasterbottens lan".
    """
    return " ".join(re.sub(r"[\s_\-–—.,:;/]+", " ", fold(text)).split())


def comparable(text: str) -> str:
    """Form for comparing sentences: NFKC, case-folded, spacing and leading marker ignored."""
    text = strip_marker(unicodedata.normalize("NFKC", text))
    return " ".join(text.casefold().split())


def is_generic(word: str) -> bool:
    """A word that proves nothing about what a passage is about (see GENERIC_WORDS)."""
    lowered = word.lower()
    if lowered in GENERIC_WORDS or lowered in STOPWORDS:
        return True
    # typed without å/ä/ö ("nar", "sager", "pa"): the same words, folded
    return fold(lowered) in _FOLDED_GENERIC


# GENERIC_WORDS and STOPWORDS without å/ä/ö, for questions typed without them.
_FOLDED_GENERIC = frozenset(fold(w) for w in GENERIC_WORDS | STOPWORDS)


def is_english(text: str) -> bool:
    """More English than Swedish function words: the texts are Swedish, so an English
    question's words say little of where its answer is (grounding, confidence and the
    quantity checks read it), and its question forms are English ones."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return sum(w in ENGLISH_MARKERS for w in words) > sum(w in SWEDISH_MARKERS for w in words)


# A word typed without å/ä/ö is restored when it has at most this many a and o (81 spellings).
MAX_RESTORED = 4


def with_accents(word: str) -> list[str]:
    """The spellings ``word`` may stand for with å/ä/ö ("jamfor" -> "jämför", …); none
    when it already has one or too many a and o."""
    if any(c in word for c in "åäö"):
        return []
    at = [i for i, c in enumerate(word) if c in "ao"]
    if not at or len(at) > MAX_RESTORED:
        return []
    out = [""]
    last = 0
    for i in at:
        choices = "aåä" if word[i] == "a" else "oö"
        out = [w + word[last:i] + c for w in out for c in choices]
        last = i + 1
    return [w + word[last:] for w in out]
