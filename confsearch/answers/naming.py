"""A "who" or "which region" answer names it first: the sentence a reader copies.

When the answer's first sentence does not name the person or organisation asked for, the
name is put before it ("Region Örebro län: …"), taken from the text after it (a quote's
speaker at its end) or from the card's own speakers and organisations. A sentence that
answers but opens with a pronoun ("De utvecklade modellen …") opens the answer with the
name it stands for put before it, when the sentence it points back to opens with that
name (:func:`referent_first`). Nothing else is ever put into an answer, so every rule
here is about when a name is true.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from confsearch.answers.candidates import Candidate
from confsearch.answers.sentences import names_in, new_name
from confsearch.answers.units import joined
from confsearch.messages import and_list
from confsearch.reading.people import SPEECH_VERBS
from confsearch.reading.regions import REGION, find_mentions, typed_mentions
from confsearch.reading.speakers import people_named
from confsearch.retrieval.question import Question
from confsearch.text import fold, split_sentences, strip_marker

_PRONOUN_SUBJECT = re.compile(r"(?:De|Deras|Dem|Han|Hon|Hen)\b")


def referent_first(c: Candidate) -> str | None:
    """ "Region Västerbotten: De formade därför ett projekt …" for a lead shown after the
    one sentence it points back to, when that sentence opens with the name the pronoun
    stands for ("Region Västerbotten startade med …"): the sentence that answers opens the
    answer, its referent put before it. None when that cannot be told."""
    first, last = c.span
    if c.quote or c.position - first != 1 or not _PRONOUN_SUBJECT.match(c.core):
        return None
    context = strip_marker(c.units[first])
    mentions = find_mentions(context)
    if mentions and mentions[0].start == 0:
        agent = mentions[0].name
    else:
        agent = next((p.name for p in people_named(context) if context.startswith(p.name)), "")
    if not agent:
        return None
    return f"{agent}: {joined(c.units, c.position, last)}"


def named_first(q: Question, c: Candidate) -> str:
    """ "Region Örebro län: …" when a "which region" (or "who") answer's first sentence does
    not name it: the card's own organisations (or speakers) say it. The first sentence is
    what a reader copies; a name only at the end of a quote ("…, säger Mona Karila") is
    brought to the front, the one the text names before any the card lists."""
    if q.asks not in ("organisation", "person"):
        return c.text
    p = c.hit.passage
    sentences = split_sentences(c.text)
    first, rest = (sentences[0], " ".join(sentences[1:])) if sentences else ("", "")
    if q.asks == "person":
        if any(new_name(n, q) for n in _people_in(first, p.speakers)):
            return c.text
        named = [s for s in _speakers_in(rest, p.speakers) if new_name(s, q)]
        if not named and _people_in(c.text, p.speakers):
            return c.text  # the text names its people, none of them new: never another
        said = c.quote or q.presenter  # a quote's speaker, or who presented the session
        named = named or ([s for s in p.speakers if new_name(s, q)] if said else [])
        named = named or [r for r in p.regions if new_name(r, q) and _card_answers(q)]
    else:
        if any(new_name(m.name, q) for m in find_mentions(first)) or not _card_answers(q):
            return c.text
        later = [m.name for m in find_mentions(rest) if new_name(m.name, q)]
        card = [r for r in p.regions if new_name(r, q)]
        named = [r for r in card if r in later] or card or later
    return f"{and_list(list(dict.fromkeys(named)))}: {c.text}" if named else c.text


def names_answer(q: Question, c: Candidate) -> bool:
    """Whether a "who" or "which organisation" candidate names the answer in its own
    words, not only through the card's speakers and organisations: the stronger answer,
    preferred to lead ("Vem är den normativa företagaren …, frågar Maria Lidberg och
    Maarit Nurkkala" over another sentence of their session)."""
    if q.asks == "person":
        people = _people_in(c.text, c.hit.passage.speakers)
        if q.people_only:
            people = [n for n in people if not find_mentions(n)]
        return any(new_name(n, q) for n in people)
    if q.asks == "organisation":
        return any(new_name(m.name, q) for m in find_mentions(c.text))
    return False


def asked_names(q: Question) -> list[str]:
    """Organisations and people a question names ("enligt Vinnova", "Vad sa Per-Erik
    Andersson …")."""
    # not a region: the session is its region's, any sentence of it "according to" it
    return [m.name for m in typed_mentions(q.text) if m.kind != REGION] + [
        p.name for p in people_named(q.text)
    ]


# what they tell: asking ("…, frågar Maria Lidberg") is no statement of theirs
_SPEECH = re.compile(
    r"\b(?:" + "|".join(re.escape(v) for v in SPEECH_VERBS if v != "frågar") + r")\b", re.I
)


def quotes_the_asked(c: Candidate, asked: Sequence[str]) -> bool:
    """Whether the candidate tells what one the question names said ("… från Vinnova sa
    de ser …"): it names them and has a speech verb."""
    if c.meta or not _SPEECH.search(c.text):
        return False
    low = fold(c.text)
    return any(fold(w) in low for n in asked for w in n.split()[-1:] if len(w) > 3)


def _card_answers(q: Question) -> bool:
    """Whether the card's own organisations (regions and agencies presenting the session)
    answer "which organisation": not when a company, a municipality, a university or a
    consultancy is asked, nor who did a deed ("Vem genomförde utvärderingen?")."""
    return not (q.companies_only or q.actions or q.other_bodies)


def _speakers_in(text: str, speakers: Sequence[str]) -> list[str]:
    """The card's speakers ``text`` names (by surname, as :func:`names_in` finds them)."""
    found = names_in(text, speakers)
    return [s for s in speakers if s in found]


def _people_in(text: str, speakers: Sequence[str]) -> list[str]:
    """People ``text`` names: the card's speakers and those the reader's rules find (a
    name by a speech verb or with its affiliation), not a project's capitalised name."""
    return _speakers_in(text, speakers) + [p.name for p in people_named(text)]
