"""Shared patterns: what a run of letters, a year and a month are, one home each.

Several modules recognise words, years and Swedish month names; they take the pattern from
here, so a change is made once. The three year patterns differ on purpose and say which
years each use accepts.
"""

from __future__ import annotations

import re

# A run of letters and digits (no underscore): the glossary's tokens, the base of
# analysis's words.
ALNUM = r"[^\W_]+"
ALNUM_RE = re.compile(ALNUM)
# A run of letters only.
LETTERS_RE = re.compile(r"[^\W\d_]+")
# A word of a question or a sentence: letters, then letters, digits or hyphens
# ("AI-projekt", "RUS-arbetet").
WORD = r"[^\W\d_][\w-]*"
WORD_RE = re.compile(WORD)

# Swedish month names, lower case, January first.
MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
    "oktober", "november", "december",
)  # fmt: skip

# A year in a document's dates (1900–2099).
YEAR = r"(?:19|20)\d\d"
# A year a document's metadata may carry (1950–2099: older is a typing error).
DOCUMENT_YEAR = r"19[5-9]\d|20\d\d"
# A year that states a time in running text (1800–2099: history counts too).
STATED_YEAR = r"1[89]\d\d|20\d\d"

# A keyword question's word for a date ("Startdatum för Rena resan?", "start date?"): it
# asks when, as "när" does.
DATE_WORDS = r"startdatum|slutdatum|datum|årtal|start\s+date|end\s+date"
