"""Swedish text handling: the one sentence splitter, links, list markers, folding, word lists."""

from __future__ import annotations

import time

import pytest

from confsearch.text import (
    GENERIC_WORDS,
    SNOWBALL_STOPWORDS,
    STOPWORDS,
    comparable,
    extract_links,
    fold,
    fold_accents,
    fold_key,
    is_list_line,
    is_quote_line,
    is_url_only,
    quote_text,
    sentence_spans,
    split_sentences,
    strip_emphasis,
    strip_marker,
    url_spans,
    words,
)

# (text, expected sentences): abbreviations, numbers, initials, quotes, bullets, URLs.
SENTENCE_CASES = [
    # abbreviations
    ("Vi testar t.ex. cyklar och bussar. Det går bra.", ["Vi testar t.ex. cyklar och bussar.", "Det går bra."]),
    ("Regionen har bl.a. cykelbibliotek. Nästa steg är tåg.", ["Regionen har bl.a. cykelbibliotek.", "Nästa steg är tåg."]),
    ("Se t.ex. Region Örebro län. Sedan kom fler.", ["Se t.ex. Region Örebro län.", "Sedan kom fler."]),
    ("Det betalade staten, dvs. alla skattebetalare.", ["Det betalade staten, dvs. alla skattebetalare."]),
    ("Det gäller s.k. keystone team. Bra.", ["Det gäller s.k. keystone team.", "Bra."]),
    ("Mötet börjar kl. 13 i sal 2. Välkomna!", ["Mötet börjar kl. 13 i sal 2.", "Välkomna!"]),
    ("Projektet pågår fr.o.m. Januari i år. Sedan utvärdering.", ["Projektet pågår fr.o.m. Januari i år.", "Sedan utvärdering."]),
    ("Enl. Planen ska alla delta. Det blev så.", ["Enl. Planen ska alla delta.", "Det blev så."]),
    ("Resultatet blev p.g.a. Pandemin sämre. Nu bättre.", ["Resultatet blev p.g.a. Pandemin sämre.", "Nu bättre."]),
    ("Talade gjorde prof. Svensson. Sedan frågor.", ["Talade gjorde prof. Svensson.", "Sedan frågor."]),
    ("Det står på sid. 4 i rapporten. Läs den.", ["Det står på sid. 4 i rapporten.", "Läs den."]),
    ("Konferensen var 15 nov. 2022 i Umeå. Nästa år Luleå.", ["Konferensen var 15 nov. 2022 i Umeå.", "Nästa år Luleå."]),
    # list-closing abbreviations end a sentence only before a capital
    ("De lånar ut cyklar, vagnar osv. till alla invånare. Sedan kom fler.", ["De lånar ut cyklar, vagnar osv. till alla invånare.", "Sedan kom fler."]),
    ("Vi utvecklar rymd, besöksnäring osv. Bra tillväxt ger mer.", ["Vi utvecklar rymd, besöksnäring osv.", "Bra tillväxt ger mer."]),
    ("Kommuner, företag mm. deltar i arbetet. Det ger resultat.", ["Kommuner, företag mm. deltar i arbetet.", "Det ger resultat."]),
    ("Staten, idéburen sektor m.m. Det blev en trasslig bild.", ["Staten, idéburen sektor m.m.", "Det blev en trasslig bild."]),
    # numbers
    ("Det kostade ca. 20 kr. Sedan A. Svensson kom.", ["Det kostade ca. 20 kr.", "Sedan A. Svensson kom."]),
    ("Andelen ökade med 2.5 procent. Målet är 10.", ["Andelen ökade med 2.5 procent.", "Målet är 10."]),
    ("Det hände 2022. 2023 blir bättre.", ["Det hände 2022.", "2023 blir bättre."]),
    ("1. Första punkten.", ["1. Första punkten."]),
    ("1. Första punkten är här. 2. Andra punkten.", ["1. Första punkten är här.", "2. Andra punkten."]),
    ("Vi har 16 kommuner. Alla deltar.", ["Vi har 16 kommuner.", "Alla deltar."]),
    ("Det finns över 400 organisationer. Många är små.", ["Det finns över 400 organisationer.", "Många är små."]),
    # initials
    ("Det berättade A. Svensson igår.", ["Det berättade A. Svensson igår."]),
    ("Men K. H. Närfelt sa nej. Osv.", ["Men K. H. Närfelt sa nej.", "Osv."]),
    ("Enligt M. Karila fungerar det. Bra.", ["Enligt M. Karila fungerar det.", "Bra."]),
    # questions, exclamations, ellipses
    ("Hur gör vi? Vi frågar! Och sen…", ["Hur gör vi?", "Vi frågar!", "Och sen…"]),
    ("Vad händer nu? vi vet inte.", ["Vad händer nu? vi vet inte."]),
    ("Vänta… och se. Sedan mer.", ["Vänta… och se.", "Sedan mer."]),
    ("Varför tickar det inte?? Ingen vet!", ["Varför tickar det inte??", "Ingen vet!"]),
    # quotes
    ("Han sa ”Det går.” Sen gick han.", ["Han sa ”Det går.”", "Sen gick han."]),
    ("Han sa: ”Hej.” Sedan gick han.", ["Han sa: ”Hej.”", "Sedan gick han."]),
    ("Kallas ”First mover advantages”. Det väger lätt.", ["Kallas ”First mover advantages”.", "Det väger lätt."]),
    ("Bilden heter ”kabeltrumman”. Den visar hushållet.", ["Bilden heter ”kabeltrumman”.", "Den visar hushållet."]),
    ("(Se bilaga.) Mer text följer.", ["(Se bilaga.)", "Mer text följer."]),
    # quote and bullet lines
    ("- Det finns, säger X.\n- Vi behöver mer.", ["- Det finns, säger X.", "- Vi behöver mer."]),
    ("Inledning här\n- Första rösten hörs", ["Inledning här", "- Första rösten hörs"]),
    ("• Punkt ett\n• Punkt två", ["• Punkt ett", "• Punkt två"]),
    ("1. Första\n2. Andra", ["1. Första", "2. Andra"]),
    ("> Ett citat i Markdown\nMer text", ["> Ett citat i Markdown Mer text"]),
    # line breaks: hard wraps join, blank lines split
    ("rad ett\nrad två fortsätter. Ny mening.", ["rad ett rad två fortsätter.", "Ny mening."]),
    ("Stycke ett\n\nStycke två", ["Stycke ett", "Stycke två"]),
    ("Första\n   \nAndra", ["Första", "Andra"]),
    # URLs
    ("Läs mer på <https://reglab.se/a.pdf>. Sedan mer.", ["Läs mer på <https://reglab.se/a.pdf>.", "Sedan mer."]),
    ("Se https://www.reglab.se/wp-content/x.pdf för modellen.", ["Se https://www.reglab.se/wp-content/x.pdf för modellen."]),
    ("Hela modellen finns här: <https://www.reglab.se/x.pdf>", ["Hela modellen finns här: <https://www.reglab.se/x.pdf>"]),
    ("Besök www.reglab.se. Där finns allt.", ["Besök www.reglab.se.", "Där finns allt."]),
    # edge cases
    ("", []),
    ("   \n\n  ", []),
    ("Utan slutpunkt", ["Utan slutpunkt"]),
    ("Slut.", ["Slut."]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), SENTENCE_CASES)
def test_sentence_splitting(text, expected):
    assert split_sentences(text) == expected


def test_at_least_forty_cases():
    assert len(SENTENCE_CASES) >= 40


def test_sentence_spans_are_absolute_and_trimmed():
    text = "xx  Första meningen. Andra meningen.  yy"
    spans = sentence_spans(text, 4, len(text) - 4)
    assert [text[s:e] for s, e in spans] == ["Första meningen.", "Andra meningen."]
    assert spans[0][0] == 4


@pytest.mark.parametrize(
    "text",
    [
        "a" * 200_000,  # one giant word
        "ord utan punkt " * 15_000,  # no full stops
        "ord. " * 40_000,  # only full stops
        "ord t.ex. " * 20_000,  # rejected boundaries
        "A. " * 65_000,  # initials
        ("rad\n" * 50_000),  # hard-wrapped lines
    ],
)
def test_splitting_is_linear(text):
    """Doubling the text at most ~doubles the time (a quadratic loop would quadruple it).
    CPU time of this process, not the wall clock: a busy machine descheduling the test
    does not count, and a slower machine slows both halves alike."""

    def timed(t: str) -> float:
        best = float("inf")
        for _ in range(3):
            t0 = time.process_time()
            sentence_spans(t)
            best = min(best, time.process_time() - t0)
        return best

    small, large = timed(text[: len(text) // 2]), timed(text)
    assert large < 4 * small + 0.05


# ----------------------------------------------------------------------------- links


def test_links():
    text = "Se <https://a.se/x> och https://b.se/y. Samt www.c.se, mejla x@y.se eller reglab.se."
    assert extract_links(text) == ["https://a.se/x", "https://b.se/y", "https://www.c.se"]
    found = [text[s:e] for s, e in url_spans(text)]
    assert found == ["<https://a.se/x>", "https://b.se/y.", "www.c.se,", "x@y.se", "reglab.se"]
    assert is_url_only("  <https://a.se/x>  ") and is_url_only("www.a.se/b")
    assert not is_url_only("Se <https://a.se/x>")
    assert words("Se <https://digitalavasterbotten.se/kompetens/regai/> nu") == 2


# ------------------------------------------------------------------------ list lines


def test_quote_and_list_lines():
    assert is_quote_line("- Det finns, säger X.") and is_quote_line("> citat")
    assert not is_quote_line("-5 grader") and not is_quote_line("Text - med streck")
    assert is_list_line("• punkt") and is_list_line("12) punkt") and is_list_line("1. Ett")
    assert not is_list_line("2022 var ett år")
    assert strip_marker("- Vi har cykelbibliotek.") == "Vi har cykelbibliotek."
    assert strip_marker("3. Tredje") == "Tredje"
    assert quote_text("- Det finns ett sug efter berättelser, säger Mirja.") == (
        "Det finns ett sug efter berättelser, säger Mirja."
    )
    assert quote_text("- Kort.") is None and quote_text("Inte ett citat här alls.") is None
    assert strip_emphasis("lärpass som hette *Oväntade vinster* och __mer__") == (
        "lärpass som hette Oväntade vinster och mer"
    )


# --------------------------------------------------------------------------- folding


def test_folding():
    assert fold_accents("Värmlandsrådet Øresund Straße") == "Varmlandsradet Oresund Strasse"
    assert fold("VÄSTERÅS\u00ad") == "vasteras"
    assert fold_key("Region Västerbottens-län:") == "region vasterbottens lan"
    assert comparable("- Det  FINNS\u00a0ett sug.") == comparable("Det finns ett sug.")


def test_word_lists():
    import bm25s

    assert frozenset(bm25s.stopwords.STOPWORDS_SWEDISH) == SNOWBALL_STOPWORDS
    assert SNOWBALL_STOPWORDS < STOPWORDS
    for w in ("säger", "län", "region", "arbetar", "få", "varken"):
        assert w in GENERIC_WORDS
    for w in ("cykelbibliotek", "turism", "jönköping", "vätgas", "ai"):
        assert w not in GENERIC_WORDS
