"""The gazetteer: Swedish regions and national bodies, and the forms their names take.

Plain data and look-ups, kept apart from the rules that find and attribute mentions
(:mod:`confsearch.reading.regions`) so it is easy to review and extend.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Organisation:
    """One gazetteer entry.

    ``aliases`` are the surface forms matched in running text (the canonical name is
    always included). ``filter_aliases`` are extra forms accepted only when a *user* types
    a filter, where intent is clear ("örebro" → Region Örebro län) but which would be
    ambiguous in text (Örebro the city).
    """

    name: str
    kind: str  # "region" or "national"
    short: str
    aliases: tuple[str, ...] = ()
    filter_aliases: tuple[str, ...] = ()


REGION = "region"
NATIONAL = "national"

GAZETTEER: tuple[Organisation, ...] = (
    Organisation(
        "Region Stockholm",
        REGION,
        "Stockholm",
        ("Stockholms län",),
        ("Stockholm",),
    ),
    Organisation("Region Uppsala", REGION, "Uppsala", ("Uppsala län",), ("Uppsala",)),
    Organisation(
        "Region Sörmland",
        REGION,
        "Sörmland",
        ("Region Södermanland", "Sörmland", "Södermanland", "Södermanlands län"),
    ),
    Organisation(
        "Region Östergötland", REGION, "Östergötland", ("Östergötland", "Östergötlands län")
    ),
    Organisation(
        "Region Jönköpings län",
        REGION,
        "Jönköpings län",
        ("Jönköpings län",),
        ("Jönköping", "Region Jönköping"),
    ),
    Organisation("Region Kronoberg", REGION, "Kronoberg", ("Kronoberg", "Kronobergs län")),
    Organisation(
        "Region Kalmar län",
        REGION,
        "Kalmar län",
        ("Kalmar län",),
        ("Kalmar", "Region Kalmar"),
    ),
    Organisation("Region Gotland", REGION, "Gotland", ("Gotland", "Gotlands län")),
    Organisation("Region Blekinge", REGION, "Blekinge", ("Blekinge", "Blekinge län")),
    Organisation("Region Skåne", REGION, "Skåne", ("Skåne", "Skåne län")),
    Organisation("Region Halland", REGION, "Halland", ("Halland", "Hallands län")),
    Organisation(
        "Västra Götalandsregionen",
        REGION,
        "Västra Götaland",
        ("Region Västra Götaland", "Västra Götaland", "Västra Götalands län", "VGR"),
        ("Västra Götalands region",),
    ),
    Organisation("Region Värmland", REGION, "Värmland", ("Värmland", "Värmlands län")),
    Organisation(
        "Region Örebro län",
        REGION,
        "Örebro län",
        ("Region Örebro", "Örebro län"),
        ("Örebro",),
    ),
    Organisation("Region Västmanland", REGION, "Västmanland", ("Västmanland", "Västmanlands län")),
    Organisation("Region Dalarna", REGION, "Dalarna", ("Dalarna", "Dalarnas län")),
    Organisation("Region Gävleborg", REGION, "Gävleborg", ("Gävleborg", "Gävleborgs län")),
    Organisation(
        "Region Västernorrland",
        REGION,
        "Västernorrland",
        ("Västernorrland", "Västernorrlands län"),
    ),
    Organisation(
        "Region Jämtland Härjedalen",
        REGION,
        "Jämtland Härjedalen",
        ("Region Jämtland", "Jämtland Härjedalen", "Jämtland", "Härjedalen", "Jämtlands län"),
    ),
    Organisation(
        "Region Västerbotten", REGION, "Västerbotten", ("Västerbotten", "Västerbottens län")
    ),
    Organisation("Region Norrbotten", REGION, "Norrbotten", ("Norrbotten", "Norrbottens län")),
    # National bodies that present at regional-development conferences. Reglab (the
    # organiser) is deliberately absent: it is the host, not a presenter.
    Organisation("Vinnova", NATIONAL, "Vinnova", ("VINNOVA", "Verket för innovationssystem")),
    Organisation("Tillväxtverket", NATIONAL, "Tillväxtverket"),
    Organisation(
        "Sveriges Kommuner och Regioner",
        NATIONAL,
        "SKR",
        ("SKR", "Sveriges kommuner och regioner", "SKL", "Sveriges Kommuner och Landsting"),
    ),
    Organisation(
        "Myndigheten för ungdoms- och civilsamhällesfrågor",
        NATIONAL,
        "MUCF",
        ("MUCF",),
    ),
    Organisation("Boverket", NATIONAL, "Boverket"),
    Organisation("Trafikverket", NATIONAL, "Trafikverket"),
    Organisation("Energimyndigheten", NATIONAL, "Energimyndigheten", ("Statens energimyndighet",)),
    Organisation("Naturvårdsverket", NATIONAL, "Naturvårdsverket"),
    Organisation("Jordbruksverket", NATIONAL, "Jordbruksverket"),
    Organisation("Arbetsförmedlingen", NATIONAL, "Arbetsförmedlingen"),
)

# The organisations' names in English, matched like aliases: an English question names
# "Örebro County Council" or "the Swedish Agency for Youth and Civil Society", never the
# Swedish form. Regions by their county ("Örebro County", the former "Örebro County
# Council", the official "Region Örebro County"); national bodies by their official
# English names.
_COUNTIES: dict[str, tuple[str, ...]] = {
    "Region Stockholm": ("Stockholm",),
    "Region Uppsala": ("Uppsala",),
    "Region Sörmland": ("Södermanland", "Sörmland"),
    "Region Östergötland": ("Östergötland",),
    "Region Jönköpings län": ("Jönköping",),
    "Region Kronoberg": ("Kronoberg",),
    "Region Kalmar län": ("Kalmar",),
    "Region Gotland": ("Gotland",),
    "Region Blekinge": ("Blekinge",),
    "Region Skåne": ("Skåne",),
    "Region Halland": ("Halland",),
    "Västra Götalandsregionen": ("Västra Götaland",),
    "Region Värmland": ("Värmland",),
    "Region Örebro län": ("Örebro",),
    "Region Västmanland": ("Västmanland",),
    "Region Dalarna": ("Dalarna",),
    "Region Gävleborg": ("Gävleborg",),
    "Region Västernorrland": ("Västernorrland",),
    "Region Jämtland Härjedalen": ("Jämtland", "Jämtland Härjedalen"),
    "Region Västerbotten": ("Västerbotten",),
    "Region Norrbotten": ("Norrbotten",),
}
ENGLISH_NAMES: dict[str, tuple[str, ...]] = {
    **{
        name: tuple(
            form
            for place in places
            for form in (f"{place} County", f"{place} County Council", f"Region {place} County")
        )
        for name, places in _COUNTIES.items()
    },
    "Vinnova": ("Sweden's Innovation Agency", "Swedish Governmental Agency for Innovation Systems"),
    "Tillväxtverket": ("Swedish Agency for Economic and Regional Growth",),
    "Sveriges Kommuner och Regioner": (
        "Swedish Association of Local Authorities and Regions",
        "SALAR",
    ),
    "Myndigheten för ungdoms- och civilsamhällesfrågor": (
        "Swedish Agency for Youth and Civil Society",
    ),
    "Boverket": ("National Board of Housing, Building and Planning",),
    "Trafikverket": ("Swedish Transport Administration",),
    "Energimyndigheten": ("Swedish Energy Agency",),
    "Naturvårdsverket": ("Swedish Environmental Protection Agency", "Swedish EPA"),
    "Jordbruksverket": ("Swedish Board of Agriculture",),
    "Arbetsförmedlingen": ("Swedish Public Employment Service",),
}


def canonical_regions(*, include_national: bool = False) -> tuple[str, ...]:
    """The 21 regions' official names (optionally followed by the national bodies)."""
    return tuple(o.name for o in GAZETTEER if include_national or o.kind == REGION)


def canonical_organisations() -> tuple[str, ...]:
    """Every canonical name in the gazetteer: regions first, then national bodies."""
    return canonical_regions(include_national=True)


def organisation(name: str) -> Organisation | None:
    """Gazetteer entry for a canonical name, or None."""
    return BY_NAME.get(name)


def is_region(name: str, *, by_form: bool = False) -> bool:
    """Whether ``name`` is a region of the register. With ``by_form``, a name the
    register lacks counts when it is written as one ("Region Foo", "Foo län"): a sentence
    may name a region the register does not hold."""
    org = organisation(name)
    if org is not None:
        return org.kind == REGION
    return by_form and (" län" in name or name.startswith("Region"))


def region_aliases() -> dict[str, tuple[str, ...]]:
    """Canonical name → every surface form matched in text (canonical name first)."""
    return {o.name: text_forms(o) for o in GAZETTEER}


def text_forms(org: Organisation) -> tuple[str, ...]:
    forms = [org.name, *org.aliases, *ENGLISH_NAMES.get(org.name, ())]
    return tuple(dict.fromkeys(forms))


BY_NAME = {o.name: o for o in GAZETTEER}
