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

# The count words from two to ten, Swedish and English, and their values: questions
# ("Vilka tre steg …", "vilka två regioner") and texts ("består av tre delar") count with
# them. Modules that need more words (tolv, hundra, procent) add them to these.
# fmt: off
COUNT_WORDS: dict[str, int] = {
    "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
    "tio": 10, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}
# fmt: on
