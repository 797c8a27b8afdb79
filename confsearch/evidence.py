"""Which organisations one passage is evidence for (passage-level attribution).

A session is filed under every organisation it names (:mod:`confsearch.regions`), but
a single passage is evidence only for what *it* shows. "Det nya Norrland?" is filed
under Region Norrbotten and Region Västerbotten; Per Erik Andersson's (Region Norrbotten)
quote about kompetensförsörjning in it, beside a sentence that names Västerbotten as a
partner, is evidence for Region Norrbotten alone.

The rule, among the session's own organisations:

1. a passage that names a speaker is evidence for that speaker's organisation, and for
   organisations it presents as acting ("Region Gävleborg berättar …");
2. otherwise, for the organisations it names itself (not in the genitive);
3. a passage that names none is evidence for the organisations on the session's
   presenter line, or else for the session's presenting (first) organisation.
"""

from __future__ import annotations

from confsearch import regions as gazetteer
from confsearch.documents import Session
from confsearch.people import presenting_organisations
from confsearch.text import fold_key


def _key(name: str) -> str:
    return " ".join(fold_key(name).replace("-", " ").split())


def _canonical(names: str) -> list[str]:
    return [m.name for m in gazetteer.find_mentions(names) if not m.genitive]


def evidence(session: Session, passage_text: str) -> tuple[str, ...]:
    """The organisations (canonical names, a subset of ``session.regions``) that
    ``passage_text`` of ``session`` is evidence for."""
    own = set(session.regions)
    if not own:
        return ()
    text_key = _key(passage_text)
    named: list[str] = []
    for person in session.speakers:
        if _key(person.name) in text_key:
            named.extend(_canonical(person.organisation or ""))
    if named or any(_key(p.name) in text_key for p in session.speakers):
        acting = [
            m.name
            for m in gazetteer.find_mentions(passage_text)
            if not m.genitive and gazetteer.is_presenting(passage_text, m)
        ]
        found = [n for n in dict.fromkeys([*named, *acting]) if n in own]
        if found:
            return tuple(found)
    mentioned = [n for n in dict.fromkeys(_canonical(passage_text)) if n in own]
    if mentioned:
        return tuple(mentioned)
    presenters = [
        n
        for org in presenting_organisations(session.paragraphs)
        for n in (_canonical(org) or [org])
        if n in own
    ]
    return tuple(dict.fromkeys(presenters)) or session.regions[:1]
