"""Is a Swedish word a verb form (or a comparison)? Read off the Swedish Hunspell dictionary.

"Texterna nämner inte" must name topics, never verbs ("talat", "lyfte", "kämpar"), and a
question's verbs are no evidence that the texts miss its topic: a question asks "vilken
organisation *varnar* för …" where the text says "sa" — the topic is what must be there.
No installed package tags Swedish parts of speech, and Swedish endings alone cannot tell
("kommuner" is a noun, "erbjuder" a verb), so the word is looked up in the dictionary the
spelling checkers use: every entry with its affix flags, each flag a set of ending rules.

A word is a **verb form** when every way the dictionary derives it is a verb's inflection:

* its entry conjugates — the entry ends in "-a" and its own paradigm holds a past tense or
  supine ("kämpa" → "kämpade"/"kämpat", "glömma" → "glömde", "lyfta" → "lyfte"); a noun
  in "-a" ("myra") declines instead; an entry ending in another vowel conjugates when
  its paradigm holds a present and a supine ("utgå" → "utgår"/"utgått"); and
* the form is not one of the nouns a verb entry carries ("samverka" → "samverkan",
  "lära" → "lärande": :data:`NOUN_ENDINGS`).

The supines of strong and irregular verbs ("haft", "gjort", "tagit", "deltagit") are
listed as entries of their own with no verb flag, so they come from a closed table of the
language's irregular verbs (:data:`IRREGULAR_SUPINES`); a verb form with a passive "-s"
("antogs", "gjorts") is one too.

A word that is also another entry's form ("fara", a noun and a verb) or that the
dictionary does not know (names, English words, typos, new compounds) is never a verb
form: the lookup only ever removes words it is sure of. A compound the dictionary lacks
is judged by its last part ("laddinfrastruktur" by "infrastruktur"), as Swedish compounds
take their class from their head.

An adjective's comparative or superlative ("smidigare", "viktigaste": the dictionary's
comparison flag on an entry that does not conjugate) is no topic either:
:func:`never_a_topic` is what grounding asks.

The dictionary (``hunspell-sv``, LGPL data files) is read once, on first use.
"""

from __future__ import annotations

import re
import site
import sysconfig
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from confsearch.patterns import COUNT_WORDS
from confsearch.text import fold, with_accents
from confsearch.wordlists import CLOSED_CLASS

DICTIONARY = "sv_SE"
# A verb entry's forms that are nouns, not verbs: "samverkan", "lärande", "lärandet".
NOUN_ENDINGS = ("n", "ns", "nde", "ndes", "ndet", "ndets", "ndena", "ning", "ningen")
# Past tense and supine endings that prove an entry conjugates: "kämpade", "köpte",
# "lyfte" (from "lyfta"), "kämpat", "erbjudit".
_PAST = ("de", "te", "it", "at")
# Flags that only place a word in compounds (COMPOUNDBEGIN, -MIDDLE, -END, ONLYINCOMPOUND,
# COMPOUNDPERMITFLAG): a full form listed with these alone ("planerar", "jobbar/XZ")
# says nothing about its class, the entry it is a form of does.
_COMPOUND_FLAGS = frozenset("XUYZW")
# An adjective's comparative and superlative endings (the dictionary's flag "P").
COMPARISON_ENDINGS = ("are", "ast", "aste")
# The supines of Swedish strong and irregular verbs: the dictionary lists them as entries
# of their own, with no flag that says "verb" ("haft", "tagit/A", "skrivit/XY"). A word
# ending in one of five or more letters is its compound ("deltagit", "genomfört" is not
# here: it is regular); the short ones count only whole ("sett", not "kassett").
# fmt: off
IRREGULAR_SUPINES = frozenset((
    "haft", "varit", "blivit", "gjort", "sagt", "fått", "sett", "gått", "stått", "kommit",
    "tagit", "gett", "givit", "legat", "lagt", "velat", "kunnat", "vetat", "hunnit",
    "funnit", "burit", "dragit", "skrivit", "valt", "sålt", "dött", "bett", "slagit",
    "brutit", "bjudit", "sjungit", "försvunnit", "vunnit", "hållit", "fallit", "låtit",
    "ätit", "sovit", "suttit", "lidit", "stigit", "gripit", "skurit", "skjutit", "flugit",
    "frusit", "njutit", "rivit", "sprungit", "strukit", "tvingat", "vikit", "bundit",
    "druckit", "förstått", "beslutit",
))
# fmt: on
# The past tense of strong and irregular verbs the same way ("ifrågasatte" of "sätta",
# "innehöll", "bidrog"): whole, or ending a word when of four letters or more.
# fmt: off
IRREGULAR_PASTS = frozenset((
    # not those that are also nouns ("steg", "band": "tre steg", "bredband")
    "satte", "gick", "höll", "drog", "stod", "fick", "gav", "blev", "skrev", "bröt",
    "föll", "lät", "vann", "fann", "grep", "strök", "bjöd", "slog", "sålde", "valde",
    "gjorde", "tog", "antog", "deltog", "åtog", "sade", "lade", "dog", "dök",
))
# The short passives of irregular verbs, too short for the "-s" rule of _passive ("Vilka
# frågor tas upp …?", "Vilket stöd ges …?").
SHORT_PASSIVES = frozenset((
    "tas", "togs", "ges", "gavs", "ses", "sågs", "fås", "nås", "dras", "drogs", "slås", "slogs",
))
# Number words: how many is asked or told, never what a question is about ("Var arbetar
# de två som …?").
NUMBER_WORDS = frozenset((
    *COUNT_WORDS, "elva", "tolv", "tjugo", "trettio", "hundra", "tusen", "hundred",
    "thousand",
))
# fmt: on
MIN_HEAD = 4  # letters of a compound's last part looked up on its own
MIN_MODIFIER = 3


@dataclass(frozen=True)
class _Rule:
    strip: str
    add: str
    condition: re.Pattern[str]


@dataclass
class _Dictionary:
    entries: dict[str, str]  # word -> all its flags
    rules: dict[str, list[_Rule]]  # flag -> suffix rules
    by_ending: dict[str, list[tuple[str, _Rule]]]  # a rule's added ending -> (flag, rule)


def dictionary_dir() -> Path:
    """Where pip put the wheel's data files: ``<prefix>/share/hunspell`` of this
    environment, or of the user's base for a ``pip install --user``."""
    places = [Path(sysconfig.get_path("data")), Path(site.getuserbase())]
    for base in places:
        folder = base / "share" / "hunspell"
        if (folder / f"{DICTIONARY}.dic").is_file():
            return folder
    raise FileNotFoundError(
        f"{DICTIONARY}.dic not found under {', '.join(map(str, places))}: "
        "pip install -r requirements.txt installs it (hunspell-sv)"
    )


def _read(directory: Path) -> _Dictionary:
    rules: dict[str, list[_Rule]] = {}
    for line in (directory / f"{DICTIONARY}.aff").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 5 or parts[0] != "SFX":
            continue
        flag, strip, add, condition = parts[1], parts[2], parts[3], parts[4]
        add = add.split("/")[0]
        rules.setdefault(flag, []).append(
            _Rule(
                "" if strip == "0" else strip,
                "" if add == "0" else add,
                re.compile("(?:" + condition + ")$"),
            )
        )
    entries: dict[str, str] = {}
    lines = (directory / f"{DICTIONARY}.dic").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        word, _, flags = line.partition("/")
        word = word.strip()
        if word:
            entries[word] = entries.get(word, "") + flags.strip()
    by_ending: dict[str, list[tuple[str, _Rule]]] = {}
    for flag, flag_rules in rules.items():
        for rule in flag_rules:
            by_ending.setdefault(rule.add, []).append((flag, rule))
    return _Dictionary(entries, rules, by_ending)


@cache
def _dictionary() -> _Dictionary:
    return _read(dictionary_dir())


def preload() -> None:
    """Read the dictionary now (about 0.3 s) rather than in a user's first question."""
    _dictionary()


def _forms(d: _Dictionary, entry: str) -> set[str]:
    """The forms the dictionary derives from ``entry`` (one level of suffixes)."""
    out = {entry}
    for flag in d.entries.get(entry, ""):
        for rule in d.rules.get(flag, ()):
            if entry.endswith(rule.strip) and rule.condition.search(entry):
                out.add(entry[: len(entry) - len(rule.strip)] + rule.add)
    return out


@cache
def _conjugates(entry: str) -> bool:
    """An entry in "-a" whose paradigm holds a past tense or supine ("glömde", "nämnde",
    "kämpat", "erbjudit"; a present participle "-ande"/"-ende" is none), or a present tense
    beside a passive ("antar", "antas"): a verb. A noun in "-a" declines instead ("myran",
    "myror", "historier"). An entry ending in another vowel conjugates when its paradigm
    holds a present and a supine ("utgå": "utgår", "utgått"; "dö": "dör", "dött")."""
    if len(entry) < 2:
        return False
    forms = _forms(_dictionary(), entry) - {entry}
    if not entry.endswith("a"):
        vowel = entry[-1] in "åöeiouyä" and entry not in NUMBER_WORDS  # "två" (wash)
        return vowel and entry + "r" in forms and (entry + "tt" in forms or entry + "dde" in forms)
    if len(entry) < 3:
        return False
    past = any(f.endswith(_PAST) and not f.endswith(("ande", "ende")) for f in forms)
    return past or (entry + "r" in forms and entry + "s" in forms)


# The flags whose rules conjugate a verb: present, past, supine, passive ("K", "L", "m",
# "M", "N", "R"), participles ("O": "glömd", "glömda") and, on a verb's entry, "P" ("talat",
# "talad"; the same flag makes an adjective's comparative) and "A" ("utvecklas"; a noun's
# genitive). The dictionary merges homographs into one entry ("fråga/ADEGmNPTY" is the
# noun and the verb), so a form is a verb's only when a verb flag made it: "frågor" comes
# from the noun's plural flag "G".
VERB_FLAGS = frozenset("AKLmMNROP")


def _analyses(d: _Dictionary, word: str) -> list[tuple[str, str, str, str]]:
    """(entry, form, flag, ending added) for every entry ``word`` is a form of; the entry
    itself comes with no flag."""
    out = [(word, word, "", "")] if word in d.entries else []
    for i in range(1, len(word) + 1):
        ending = word[i:]
        for flag, rule in d.by_ending.get(ending, ()):
            stem = word[:i] + rule.strip
            if (not ending and not rule.strip) or flag not in d.entries.get(stem, ""):
                continue
            if rule.condition.search(stem):
                out.append((stem, word, flag, ending))
    return out


def _listed_form(d: _Dictionary, entry: str, form: str) -> bool:
    """A full form listed as its own entry with compound flags only: no evidence."""
    return entry == form and set(d.entries.get(entry, "")) <= _COMPOUND_FLAGS


def _participle(entry: str) -> bool:
    """A past participle listed as an adjective of its own ("avslutad", from "avsluta"),
    not a noun in "-ad" ("månad", with a noun's definite and plural flags)."""
    flags = _dictionary().entries.get(entry, "")
    noun = any(f in flags for f in _NOUN_FLAGS)
    return entry.endswith("ad") and not noun and _conjugates(entry[:-1])


# A noun's definite and plural forms ("månaden", "månader"): such an entry is no participle.
_NOUN_FLAGS = "CDEFGHI"


def _noun_of_verb(entry: str, form: str) -> bool:
    """One of the nouns a verb entry carries ("samverkan", "lärande"). A stem ending in
    "n" has them only after its whole infinitive: "nämnande" is one, "nämns" and "nämnde"
    are the verb's."""
    if entry.endswith("na") and not form.startswith(entry):
        return False
    return form.endswith(NOUN_ENDINGS)


def _verb_analysis(d: _Dictionary, entry: str, form: str, flag: str, added: str) -> bool:
    if _participle(entry) and not _noun_of_verb(entry, form):
        return True  # "avslutat", "avslutade": the verb's, as the text would say it
    if not _conjugates(entry) or _noun_of_verb(entry, form):
        return False
    if form != entry:
        # "J" strips "-a" for the present of "böra", "tillhöra" ("bör", "tillhör")
        return flag in VERB_FLAGS or (flag == "J" and not added)
    # an infinitive has a present tense ("bra" has none) or a weak verb's past and supine
    # ("flyttade", "flyttat": the present is derived elsewhere), and, if it also declines
    # as a noun ("hälsa", "hälsan"), is both
    forms = _forms(d, entry)
    present = entry + "r" in forms or entry[:-1] + "er" in forms
    weak = entry + "de" in forms and entry + "t" in forms
    return (present or weak) and entry + "n" not in forms


def _comparison(entry: str, flag: str, added: str) -> bool:
    """An adjective's comparative or superlative ("smidigare", "viktigaste")."""
    return flag == "P" and added in COMPARISON_ENDINGS and not _conjugates(entry)


@cache
def _telling(word: str) -> tuple[tuple[str, str, str, str], ...]:
    """The analyses of ``word`` that say something (a compound the dictionary lacks by its
    last part), without the full forms listed with compound flags only."""
    w = word.lower()
    if len(w) < 3 or not w.isalpha():
        return ()
    d = _dictionary()
    analyses = (
        _analyses(d, w)
        or next(  # else by the longest known last part
            (a for i in range(MIN_MODIFIER, len(w) - MIN_HEAD + 1) if (a := _analyses(d, w[i:]))),
            [],
        )
    )
    return tuple(a for a in analyses if not _listed_form(d, a[0], a[1]))


@cache
def is_verb_form(word: str) -> bool:
    """Whether ``word`` is only ever a verb's form (module docstring); False when unsure."""
    w = word.lower()
    if w in IRREGULAR_SUPINES or any(w.endswith(s) for s in IRREGULAR_SUPINES if len(s) >= 5):
        return True
    if w in IRREGULAR_PASTS or any(w.endswith(s) for s in IRREGULAR_PASTS if len(s) >= 4):
        return True
    if w in SHORT_PASSIVES:
        return True
    d = _dictionary()
    telling = _telling(word)
    return (bool(telling) and all(_verb_analysis(d, *a) for a in telling)) or _passive(w)


@cache
def may_be_verb_form(word: str) -> bool:
    """Whether ``word`` may be a verb's form ("hittar", "kämpar": also nouns' plurals),
    by the dictionary: where it stands in a question decides (retrieval.grounding)."""
    w = word.lower()
    if is_verb_form(w):
        return True
    d = _dictionary()
    if any(_verb_analysis(d, *a) for a in _telling(w)) or _passive(w):
        return True
    # a weak verb's present the dictionary derives only as a noun's plural ("blickar")
    stem = w[:-1]
    return w.endswith("ar") and stem in d.entries and _verb_analysis(d, stem, stem, "", "")


@cache
def may_be_infinitive(word: str) -> bool:
    """Whether ``word`` in "-a"/"-as" may be an infinitive: no noun ("skola": "skolan"), no
    other entry's form but a verb's ("stora", "fabrikerna"; "föras" is "föra"'s), or unknown."""
    w = word.lower()
    stem = w[:-1] if w.endswith("as") else w
    if not stem.endswith("a") or stem + "n" in _forms(_dictionary(), stem):
        return False
    return all(e == f or g in VERB_FLAGS - _ADJECTIVE_FLAGS for e, f, g, _ in _telling(w))


def _passive(w: str) -> bool:
    """A passive or deponent in "-s" of a verb form ("antogs", "gjorts", "nämns")."""
    return len(w) > 4 and w.endswith("s") and is_verb_form(w[:-1])


# typed without å/ä/ö ("utover", "forutom")
_CLOSED_FOLDED = frozenset(fold(w) for w in CLOSED_CLASS)


@cache
def never_a_topic(word: str) -> bool:
    """A verb form, an adjective's comparative or superlative ("smidigare",
    "viktigaste") or a closed-class word ("utöver", "just"): what a question asks or how,
    never what it is about. False when unsure. A word typed without å/ä/ö that the
    dictionary does not know ("jamfor", "paverkar", "tva") is judged by the words it can
    be with them: never a topic when every one of them is never one."""
    low = word.lower()
    if _never_a_topic(low):
        return True
    if low in _FOLDED_NUMBERS:
        return True  # "tva"
    if _telling(low):
        return False  # the dictionary knows it as written ("galler"): judged as written
    known = [w for w in with_accents(low) if w != low and _telling(w)]
    return bool(known) and all(_never_a_topic(w) for w in known)


def _never_a_topic(low: str) -> bool:
    if fold(low) in _CLOSED_FOLDED or is_verb_form(low) or low in NUMBER_WORDS:
        return True
    telling = _telling(low)
    return bool(telling) and all(_comparison(e, f, a) for e, _, f, a in telling)


_FOLDED_NUMBERS = frozenset(fold(w) for w in NUMBER_WORDS)
# An entry's flags that make an adjective's forms ("typisk" -> "typiska", "typiskt") or
# derive one from a noun ("typ" -> "typiska"); a noun's own flags (:data:`_NOUN_FLAGS`).
_ADJECTIVE_FLAGS = frozenset("OQT")


@cache
def is_adjective_form(word: str) -> bool:
    """Whether ``word`` is only ever an adjective's form ("typiska", "enskilda",
    "socioekonomiskt"); False when unsure, for a noun in "-are" ("deltagare") and for a
    word the dictionary does not know."""
    low = word.lower()
    if low.endswith(("are", "aren", "arna", "ares")):
        return False
    d = _dictionary()
    telling = _telling(low)
    if not telling:
        return False
    for entry, _, flag, _ in telling:
        flags = set(d.entries.get(entry, ""))
        if flag in _ADJECTIVE_FLAGS:
            continue
        adjective = flags & set("OQk") and not flags & set(_NOUN_FLAGS)
        if flag == "" and adjective and not _conjugates(entry):
            continue
        return False
    return True


def is_common_word(word: str) -> bool:
    """Whether a capitalised ``word`` is a common word, not a name: the dictionary lists
    it in lower case only ("Agenda" in "i Agenda 2030"; not "Halmstad", nor "Indien")."""
    entries = _dictionary().entries
    return word not in entries and word.lower() in entries
