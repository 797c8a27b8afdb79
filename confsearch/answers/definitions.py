"""Does a sentence define a term, or spell out an abbreviation?

A definition question ("Vad är en projektkyrkogård?", "Vad står LUX för?") is answered
only by a defining sentence: "X är …", "X innebär …", "så kallad X", "X (…)", or the
term beside the words it stands for. Otherwise the answer says the texts use the term
without defining it (:mod:`confsearch.answers.unsaid`).
"""

from __future__ import annotations

import re

from confsearch.retrieval.glossary import expansions

_DEFINING_AFTER = re.compile(
    r"^\w*[\s,]*(?:\([^)]*\)\s*)?(?:är|var|innebär|innebar|betyder|handlar\s+om|går\s+ut\s+på|"
    r"syftar\s+på|står\s+för|avser|kallas|definieras|beskrivs\s+som|is|are|means|refers\s+to|"
    r"stands\s+for|\s[–-]\s|:\s|\(|"
    # a coinage in quotes and what it serves as: "bilden ”kabeltrumman” som visualisering
    # av …" (not a relative clause: "”X” som de/vi/har …")
    r"[”\"»]\s*som\s+(?!(?:de|vi|man|det|den|han|hon|ni|jag|har|hade|är|var|kan|ska)\b))",
    re.IGNORECASE,
)
_DEFINING_BEFORE = re.compile(
    r"(?:så\s+kallade?|s\.k\.|kallas|kallad|kallat|begreppet|termen|uttrycket|is\s+called|"
    r"so-called|known\s+as)\s*$",
    re.IGNORECASE,
)


def defines(term: str, sentence: str) -> bool:
    """Whether ``sentence`` defines ``term`` (see the module docstring). A term the
    glossary spells out counts as defined by a sentence that uses it with its expansion
    ("regional utvecklingsstrategi (RUS)")."""
    if not term:
        return False
    key = term.lower()
    low = sentence.lower()  # not folded: the defining words are matched as written ("är")
    stem = key[: max(4, len(key) - 2)] if len(key) > 5 else key
    for m in re.finditer(r"\b" + re.escape(stem), low):
        after = low[m.end() :]
        before = low[: m.start()]
        if _DEFINING_AFTER.match(after) or _DEFINING_BEFORE.search(before):
            return True
    spelled = [target for _, target in expansions(term) if len(target) > len(term)]
    return any(t.lower() in low for t in spelled) and stem in low


def expands(term: str, sentence: str) -> bool:
    """Whether ``sentence`` spells out the abbreviation ``term``: its words with the term
    in brackets ("regional utvecklingsstrategi (RUS)"), the term with its words in
    brackets or after "står för", or the glossary's expansion beside the term."""
    if not term:
        return False
    t = re.escape(term)
    spelled = (
        rf"\b{t}\s*\((?:\w+[\s-]+)+\w+\)|[^\W\d_]{{3,}}\s+\({t}\)|"
        rf"\b{t}\s+(?:står|stod|stands|stood)\s+för\b|\b{t}\s+stands?\s+for\b"
    )
    if re.search(spelled, sentence, re.IGNORECASE):
        return True
    meanings = [target for _, target in expansions(term) if len(target) > len(term)]
    low = sentence.lower()
    return term.lower() in low and any(m.lower() in low for m in meanings)
