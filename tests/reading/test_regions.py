"""Gazetteer, mention finding, attribution and user filters (no model, fast)."""

from __future__ import annotations

import pytest

from confsearch.reading.regions import (
    ENGLISH_NAMES,
    GAZETTEER,
    attribute,
    canonical_organisations,
    canonical_regions,
    find_mentions,
    is_region,
    match_region_filter,
    region_aliases,
    typed_mentions,
)
from confsearch.text import fold_key

MUCF = "Myndigheten för ungdoms- och civilsamhällesfrågor"


def names(text: str) -> list[str]:
    return [m.name for m in find_mentions(text)]


# ------------------------------------------------------------------------ gazetteer


def test_twenty_one_regions_with_official_names():
    regions = canonical_regions()
    assert len(regions) == 21 == len(set(regions))
    for name in (
        "Region Stockholm",
        "Region Sörmland",
        "Region Jönköpings län",
        "Region Kalmar län",
        "Västra Götalandsregionen",
        "Region Örebro län",
        "Region Jämtland Härjedalen",
        "Region Norrbotten",
    ):
        assert name in regions


def test_national_bodies_listed_separately():
    assert "Vinnova" not in canonical_regions()
    everything = canonical_regions(include_national=True)
    assert everything == canonical_organisations()
    assert everything[:21] == canonical_regions()
    for name in (
        "Vinnova",
        "Tillväxtverket",
        "Sveriges Kommuner och Regioner",
        "Myndigheten för ungdoms- och civilsamhällesfrågor",
        "Boverket",
        "Trafikverket",
        "Energimyndigheten",
    ):
        assert name in everything
    assert not any("Reglab" in n for n in everything)


def test_aliases_start_with_canonical_name_and_are_unique():
    aliases = region_aliases()
    assert set(aliases) == set(canonical_organisations())
    seen: dict[str, str] = {}
    for name, forms in aliases.items():
        assert forms[0] == name
        for form in forms:
            assert seen.setdefault(form, name) == name, f"{form} belongs to two entries"
    assert "MUCF" in aliases["Myndigheten för ungdoms- och civilsamhällesfrågor"]
    assert "Södermanland" in aliases["Region Sörmland"]


# ------------------------------------------------------------------------- mentions


def test_mentions_have_offsets_and_surface_text():
    text = "I Region Örebro län får kommunerna stöd."
    (m,) = find_mentions(text)
    assert m.name == "Region Örebro län"
    assert text[m.start : m.end] == m.text == "Region Örebro län"
    assert not m.genitive


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i lärpasset berättar region Värmland vad", "Region Värmland"),
        ("Region Västerbotten startade", "Region Västerbotten"),
        ("Affärsplan Västmanland är regionens plan", "Region Västmanland"),
        ("ojämlikheten i Gävleborg blir", "Region Gävleborg"),
        ("att förstå systemet i Sörmland", "Region Sörmland"),
        ("i Södermanlands län", "Region Sörmland"),
        ("företag i Västerbottens län växer", "Region Västerbotten"),
        ("samarbete i Örebro län", "Region Örebro län"),
        ("Myndigheten för ungdoms- och civilsamhällesfrågor berättar", None),
        ("MUCF har tagit fram en modell", None),
        ("SKR samordnar", "Sveriges Kommuner och Regioner"),
        ("Västra Götalandsregionen och VGR", "Västra Götalandsregionen"),
        ("Region Jämtland Härjedalen", "Region Jämtland Härjedalen"),
    ],
)
def test_aliases_resolve(text, expected):
    found = names(text)
    if expected is None:
        assert found == ["Myndigheten för ungdoms- och civilsamhällesfrågor"]
    else:
        assert found and set(found) == {expected}


def test_longest_form_wins():
    assert names("Region Örebro län") == ["Region Örebro län"]
    assert names("Region Jämtland Härjedalen") == ["Region Jämtland Härjedalen"]
    (m,) = find_mentions("Västerbottens län")
    assert not m.genitive


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("LUX är Vinnovas projekt", "Vinnova"),
        ("Gävleborgs utmaning är", "Region Gävleborg"),
        ("Region Gävleborgs utredning", "Region Gävleborg"),
        ("enligt SKR:s rapport", "Sveriges Kommuner och Regioner"),
        ("Tillväxtverkets program", "Tillväxtverket"),
    ],
)
def test_genitive_detected(text, name):
    (m,) = find_mentions(text)
    assert m.name == name
    assert m.genitive


@pytest.mark.parametrize(
    "text",
    [
        "Det nya Norrland vänder på gamla föreställningar",
        "I Värmlandsrådet samarbetar regionen",  # compound: a council, not the region
        "chef Värmlandsrådsavdelningen",
        "olika sörmlandshushåll",
        "Västerbottens-Kuriren skriver",
        "i Örebro och Stockholm och Uppsala",  # city names are not regions in running text
        "Reglab arrangerade konferensen",
        "formas tidigt",
    ],
)
def test_no_false_positives(text):
    assert names(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "<https://digitalavasterbotten.se/kompetens/regai/>",
        "Hela modellen: <https://www.reglab.se/wp-content/uploads/LP-10-mucf.pdf>",
        "se https://www.regionvarmland.se/Vinnova/sida",
        "www.vinnova.se/Vinnova",
        "mejla info@Vinnova.se",
        "https://example.com/Region%20Skåne/Region-Skåne",
    ],
)
def test_never_inside_urls(text):
    assert names(text) == []


def test_mention_next_to_url_still_found():
    text = "Vinnova finansierar <https://www.vinnova.se/> och Region Skåne."
    assert names(text) == ["Vinnova", "Region Skåne"]


# ---------------------------------------------------------------------- attribution


def test_genitive_only_is_not_attributed():
    text = (
        "Arbetet i Region Norrbotten består av tre delar. LUX är Vinnovas projekt. "
        "Region Norrbotten och Region Västerbotten samarbetar."
    )
    assert attribute(text, "Det nya Norrland?") == ["Region Norrbotten", "Region Västerbotten"]


def test_presenting_organisation_first():
    text = (
        "Samarbetet med Region Skåne har varit viktigt. Region Halland berättar om hur "
        "de arbetar med kompetens."
    )
    assert attribute(text) == ["Region Halland", "Region Skåne"]


def test_named_speakers_affiliation_counts_as_presenting():
    paragraphs = [
        "Projektet drivs ihop med Tillväxtverket.",
        "- Vi har lärt oss mycket, säger Anna Ek, Region Kronoberg.",
    ]
    assert attribute(paragraphs, "Lärdomar") == ["Region Kronoberg", "Tillväxtverket"]


def test_title_counts_and_accepts_paragraph_lists():
    assert attribute(
        ["Det är ett samarbete mellan regionen och kommunerna."], "Värmland leder"
    ) == ["Region Värmland"]
    assert attribute([], "") == []


def test_nothing_attributed_without_gazetteer_names():
    assert attribute("Det finns över 400 organisationer i Sverige och i Norrland.") == []


# --------------------------------------------------------------------------- filter


@pytest.mark.parametrize(
    ("user_input", "expected"),
    [
        ("värmland", "Region Värmland"),
        ("Varmland", "Region Värmland"),
        ("region värmland", "Region Värmland"),
        ("  REGION VÄRMLAND ", "Region Värmland"),
        ("Värmlands län", "Region Värmland"),
        ("Region Örebro län", "Region Örebro län"),
        ("orebro", "Region Örebro län"),
        ("örebro län", "Region Örebro län"),
        ("Sörmland", "Region Sörmland"),
        ("sodermanland", "Region Sörmland"),
        ("vgr", "Västra Götalandsregionen"),
        ("västra götaland", "Västra Götalandsregionen"),
        ("jämtland", "Region Jämtland Härjedalen"),
        ("harjedalen", "Region Jämtland Härjedalen"),
        ("stockholm", "Region Stockholm"),
        ("jonkoping", "Region Jönköpings län"),
        ("mucf", "Myndigheten för ungdoms- och civilsamhällesfrågor"),
        ("VINNOVA", "Vinnova"),
        ("skr", "Sveriges Kommuner och Regioner"),
        ("västerb", "Region Västerbotten"),  # unique prefix
        ("väster", None),  # Västerbotten, Västernorrland, Västmanland …
        ("vast", None),
        ("Norrland", None),
        ("region", None),
        ("", None),
        ("   ", None),
        (None, None),
        ("Atlantis", None),
    ],
)
def test_match_region_filter(user_input, expected):
    assert match_region_filter(user_input) == expected


def test_every_canonical_name_and_alias_resolves_to_itself():
    for org in GAZETTEER:
        english = ENGLISH_NAMES[org.name]
        for form in (org.name, org.short, *org.aliases, *org.filter_aliases, *english):
            assert match_region_filter(form) == org.name, form
            assert match_region_filter(fold_key(form)) == org.name, form


def test_fold_is_accent_and_case_insensitive():
    assert fold_key("Region Västerbottens län") == "region vasterbottens lan"
    assert fold_key("ÅÄÖ-éü") == "aao eu"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Which measures did Örebro County Council use?", "Region Örebro län"),
        ("Region Jönköping County and its municipalities", "Region Jönköpings län"),
        ("companies in Västerbotten County", "Region Västerbotten"),
        ("the Swedish Agency for Youth and Civil Society presented", MUCF),
        ("the Swedish Transport Administration's plan", "Trafikverket"),
        ("SALAR coordinates", "Sveriges Kommuner och Regioner"),
        ("Sweden's Innovation Agency funds it", "Vinnova"),
    ],
)
def test_english_names_are_the_organisations(text, expected):
    """An English question names organisations in English, never in the Swedish form."""
    assert names(text) == [expected]


def test_every_organisation_has_its_english_name():
    assert set(ENGLISH_NAMES) == {org.name for org in GAZETTEER}
    assert all(ENGLISH_NAMES.values())


def test_typed_mentions_find_regions_in_lower_case_and_without_diacritics():
    found = typed_mentions("vad sa region skane och gavleborgs folk om orebro lan?")
    assert [(m.name, m.text) for m in found] == [
        ("Region Skåne", "region skane"),
        ("Region Gävleborg", "gavleborgs"),
        ("Region Örebro län", "orebro lan"),
    ]
    assert found[1].genitive
    # the register's own spelling as before; acronyms only as written
    assert [m.name for m in typed_mentions("Vad sa Region Skåne?")] == ["Region Skåne"]
    assert typed_mentions("vad sa skr om vgr") == []


def test_a_region_is_one_of_the_register_or_by_its_form_when_asked():
    assert is_region("Region Örebro län")
    assert not is_region("Vinnova")  # an agency of the register
    assert not is_region("Region Ankeborg")  # not in the register
    assert is_region("Region Ankeborg", by_form=True)
    assert is_region("Ankeborgs län", by_form=True)
    assert not is_region("Vinnova", by_form=True)
