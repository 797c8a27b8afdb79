"""Which organisations a passage is evidence for, sentence by sentence.

A session is filed under every organisation it names (:mod:`confsearch.reading.regions`), but a
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

Organisations outside the gazetteer (a municipality, a university, an agency: the
register of :mod:`confsearch.reading.orgs`) are evidence too when they act in the session – a
speaker's or presenter's organisation – and are kept as written ("Högskolan i Gävle").
When every acting organisation of a session is such a register organisation, the
gazetteer regions the session merely names (the venue: "hålls i Jönköpings län") are not
evidence at all: Botkyrka kommun's seminar held in Jönköping is Botkyrka's, never Region
Jönköpings län's. Sessions with a gazetteer organisation acting, or none read as acting,
keep the gazetteer's rules unchanged (the seed corpus reads and counts as before).

:func:`for_hit` gives the organisations of the sentences that hold the question's words,
or the default when none does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from confsearch.analysis import analyze
from confsearch.reading import orgs
from confsearch.reading import regions as gazetteer
from confsearch.reading.documents import Person, Session
from confsearch.text import fold_key, is_quote_line, sentence_spans

_GAZETTEER = frozenset(gazetteer.canonical_organisations())


def org_key(name: str) -> str:
    """Whom ``name`` (as a passage's evidence writes it) counts for: a gazetteer name is
    itself, a register organisation its canonical entry ("SKL" and "Sveriges Kommuner och
    Landsting" are one organisation; SKL and SKR are not)."""
    return name if name in _GAZETTEER else orgs.canonical(name)


def _key(name: str) -> str:
    return " ".join(fold_key(name).replace("-", " ").split())


def _canonical(names: str) -> list[str]:
    return [m.name for m in gazetteer.find_mentions(names) if not m.genitive]


def _acting(names: str, own: Sequence[str]) -> list[str]:
    """A speaker's organisation line as evidence: its gazetteer organisations if it names
    any, else its register organisations, given as the session writes them in ``own``."""
    found = _canonical(names)
    if found or not names:
        return found
    written = [m.text for m in orgs.find(names) if not m.genitive]
    if not written and orgs.is_organisation(names):
        written = [names]
    return [o for w in written for o in own if o not in _GAZETTEER and orgs.same(w, o)]


def _named(text: str, own: Sequence[str]) -> list[str]:
    """The organisations a text names in the nominative: gazetteer ones by canonical name,
    then the session's own register organisations as the session writes them."""
    found = _canonical(text)
    extra = [o for o in own if o not in _GAZETTEER]
    if extra:
        for m in orgs.find(text):
            if not m.genitive:
                found += [o for o in extra if orgs.same(m.text, o)]
    return found


def _own(session: Session) -> list[str]:
    """The organisations a passage of ``session`` can be evidence for (module docstring)."""
    acting = list(session.organisations)
    if not acting or any(_canonical(o) for o in acting):
        return list(session.regions)
    own = [r for r in session.regions if any(orgs.same(r, a) for a in acting)]
    return own + [a for a in acting if not any(orgs.same(a, o) for o in own)]


def _speakers_in(text: str, speakers: Sequence[Person]) -> list[Person]:
    key = _key(text)
    return [p for p in speakers if _key(p.name) in key]


def _sentence_orgs(text: str, session: Session, own: list[str]) -> list[str]:
    named = _speakers_in(text, session.speakers)
    found = [n for p in named for n in _acting(p.organisation or "", own)]
    if not named:
        found += _named(text, own)
    else:
        found += [
            m.name
            for m in gazetteer.find_mentions(text)
            if not m.genitive and gazetteer.is_presenting(text, m)
        ]
    return [n for n in dict.fromkeys(found) if n in own]


def _default(session: Session, text: str, own: list[str]) -> list[str]:
    named = _speakers_in(text, session.speakers)
    if named:
        found = [n for p in named for n in _acting(p.organisation or "", own) if n in own]
        if found:
            return list(dict.fromkeys(found))
    mentioned = [n for n in dict.fromkeys(_named(text, own)) if n in own]
    # a passage that names no one speaks for its whole session (a background passage of
    # a session two regions presented together is evidence for both)
    return mentioned or own


def evidence(session: Session, text: str) -> dict[str, Any]:
    """The evidence record of one passage ``text`` of ``session`` (JSON-ready)."""
    own = _own(session)
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
    for start, end, names in record.get("sentences", []):
        if terms & set(analyze(text[start:end])):
            matched = True
            found.extend(names or record.get("default", []))
    if not matched:
        return list(record.get("default", []))
    return list(dict.fromkeys(found))
