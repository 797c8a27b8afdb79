"""Which organisations a passage is evidence for, sentence by sentence.

A session is filed under every organisation it names (:mod:`confsearch.regions`), but a
passage is evidence only for what its sentences show. In "Det nya Norrland?" (filed under
Region Norrbotten and Region Västerbotten) one passage holds Per Erik Andersson's (Region
Norrbotten) quote on kompetensförsörjning and then the sentence "Region Norrbotten och
Region Västerbotten samarbetar …". For a question on kompetensförsörjning it is evidence
for Region Norrbotten alone; for a question on who cooperates, for both.

So each passage stores, in ``metadata["evidence"]``:

* ``sentences``: ``[start, end, organisations]`` per sentence — a quote (a dash line up
  to "…, säger NN") is its speaker's; a sentence naming a speaker is that speaker's and
  a sentence naming organisations (not in the genitive) is theirs;
* ``default``: what the passage as a whole shows (a named speaker's organisation, else
  the organisations it names, else – it names no one – all of its session's).

:func:`for_hit` gives the organisations of the sentences that hold the question's words,
or the default when none does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from confsearch import regions as gazetteer
from confsearch.analysis import analyze
from confsearch.documents import Person, Session
from confsearch.text import fold_key, is_quote_line, sentence_spans


def _key(name: str) -> str:
    return " ".join(fold_key(name).replace("-", " ").split())


def _canonical(names: str) -> list[str]:
    return [m.name for m in gazetteer.find_mentions(names) if not m.genitive]


def _speakers_in(text: str, speakers: Sequence[Person]) -> list[Person]:
    key = _key(text)
    return [p for p in speakers if _key(p.name) in key]


def _sentence_orgs(text: str, session: Session, own: set[str]) -> list[str]:
    named = _speakers_in(text, session.speakers)
    found = [n for p in named for n in _canonical(p.organisation or "")]
    if not named:
        found += _canonical(text)
    else:
        found += [
            m.name
            for m in gazetteer.find_mentions(text)
            if not m.genitive and gazetteer.is_presenting(text, m)
        ]
    return [n for n in dict.fromkeys(found) if n in own]


def _default(session: Session, text: str, own: set[str]) -> list[str]:
    named = _speakers_in(text, session.speakers)
    if named:
        found = [n for p in named for n in _canonical(p.organisation or "") if n in own]
        if found:
            return list(dict.fromkeys(found))
    mentioned = [n for n in dict.fromkeys(_canonical(text)) if n in own]
    # a passage that names no one speaks for its whole session (a background passage of
    # a session two regions presented together is evidence for both)
    return mentioned or list(session.regions)


def evidence(session: Session, text: str) -> dict[str, Any]:
    """The evidence record of one passage ``text`` of ``session`` (JSON-ready)."""
    own = set(session.regions)
    if not own:
        return {"default": [], "sentences": []}
    sentences: list[list[Any]] = []
    quote: list[list[Any]] = []  # sentences of an open quote, waiting for "säger NN"
    for line_start, line in _lines(text):
        if is_quote_line(line):
            quote = []
        for s, e in sentence_spans(line):
            orgs = _sentence_orgs(line[s:e], session, own)
            entry = [line_start + s, line_start + e, orgs]
            sentences.append(entry)
            if is_quote_line(line) or quote:
                quote.append(entry)
                if _speakers_in(line[s:e], session.speakers) and orgs:
                    for earlier in quote:  # the whole quote is the speaker's
                        earlier[2] = orgs
                    quote = []
        if not is_quote_line(line):
            quote = []
    return {"default": _default(session, text, own), "sentences": sentences}


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def for_hit(record: dict[str, Any], text: str, words: Sequence[str]) -> list[str]:
    """The organisations a passage is evidence for, given the question's words that it
    matched: those of the sentences holding them, else the passage's default."""
    terms = {t for w in words for t in analyze(w)}
    found: list[str] = []
    matched = False
    for start, end, orgs in record.get("sentences", []):
        if terms & set(analyze(text[start:end])):
            matched = True
            found.extend(orgs or record.get("default", []))
    if not matched:
        return list(record.get("default", []))
    return list(dict.fromkeys(found))
