"""The bad-input list every entry point must survive: the CLI and the page
(tests/test_robustness.py) and the HTTP API (tests/api/test_api.py) use this one list.

A refused kind gets exactly its message; every other kind is searched and answered.
"""

from __future__ import annotations

BAD_QUERIES = {
    "empty": "",
    "whitespace": "  \t   ",
    "one-char": "a",
    "10k-chars": ("Vilken region har ett cykelbibliotek och vikcyklar? " * 200)[:10_000],
    "punctuation": "?!.,;",
    "control-chars": "\x01\x02abc\x7f",
    "mixed-scripts": "Вилкен регион cykel 日本 عربى",
    "emoji-only": "🚲🚲",
    "emoji-words": "cykel 🚲",
    "sql": "'; DROP TABLE passages; --",
    "html-script": "<script>alert(1)</script>",
    "html-img": "<img src=x onerror=alert(1)>",
    "markdown": "[klicka](javascript:alert(1)) **fet** # rubrik",
}
EMPTY = "Skriv en fråga – sökrutan är tom."
NO_WORDS = "Frågan innehåller inga ord att söka på. Skriv några ord."
# Queries that cannot be searched, with the message the user gets; all others are searched.
REFUSED = {"empty": EMPTY, "whitespace": EMPTY, "punctuation": NO_WORDS, "emoji-only": NO_WORDS}
