"""Whether a sentence stands on its own, or needs the one before or after it.

An answer copies sentences out of a passage; one that points back ("Deras erfarenhet är
…") is shown with the sentence it points to (:func:`confsearch.answers.units.context_range`),
one that stands on its own is shown alone, so that the first sentence a reader copies is
the one that answers.
"""

from __future__ import annotations

import re

from confsearch.text import OPENERS, is_list_line

# Words that open a sentence which only makes sense after the one before it: it points
# back ("Det vill säga …", "Detta …", "Hon …") or continues it ("dvs. …", "och …").
# Lower case; compared with the sentence's first words, case-folded.
_POINTS_BACK = (
    "det vill säga",
    "dvs",
    "d.v.s",
    "detta",
    "dessa",
    "denna",
    "det",
    "de",
    "dem",
    "deras",
    *("han", "hon", "hen"),
    "därför",
    *("sådan", "sådana", "sådant"),
)
_FIRST_WORDS_RE = re.compile(r"[\w.]+(?:\s+[\w.]+){0,2}")
# "det", "den", "de" that open a sentence without pointing back: a generic relative ("De
# som inte ingår i normen möter fler svårigheter"), a presentational "det" ("Det behövs
# nya arbetssätt", "Det finns över 400 organisationer") and an article before a
# superlative ("Det översta planet i trumman", "De största investeringarna", "De flesta").
_NOT_BACK_AFTER = frozenset(
    (
        "som",
        *("finns", "fanns", "behövs", "behövdes", "krävs", "krävdes", "saknas", "saknades"),
        *("råder", "rådde", "pågår", "pågick"),
        *("flesta", "mesta"),
    )
)
_SUPERLATIVE_RE = re.compile(r"\w{2,}(?:sta|aste)$")  # not -ste: "De måste", "De visste"


def needs_previous(sentence: str) -> bool:
    """Whether a sentence needs the one before it to be understood.

    It opens with a word that points back ("Det vill säga alla aktörer …", "Detta …",
    "Han/Hon …", "Även sådana …") or with a lower-case letter (a fragment). A quote or list
    line stands on its own and never needs its predecessor.
    """
    s = sentence.strip()
    if not s or is_list_line(s):
        return False
    s = s.lstrip(OPENERS)
    if s[:1].islower():
        return True
    m = _FIRST_WORDS_RE.match(s)
    if not m:
        return False
    head = m.group(0).casefold().rstrip(".")
    words = head.split()
    at = 1 if words[0] in ("även", "också") and len(words) > 1 else 0
    first = words[at].rstrip(".")
    after = words[at + 1] if at + 1 < len(words) else ""
    if first in ("det", "den", "de") and (after in _NOT_BACK_AFTER or _SUPERLATIVE_RE.match(after)):
        return False
    return first in _POINTS_BACK or any(
        " " in w and (head + " ").startswith(w + " ") for w in _POINTS_BACK
    )


def needs_next(sentence: str) -> bool:
    """Whether a sentence only introduces what follows: it ends with ":"."""
    return sentence.rstrip().rstrip("\"”»’')]").endswith(":")
