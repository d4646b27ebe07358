"""trechter/analytics/regions.py: the rules in order, postcodes at their boundaries, messy
CORDIS city strings, and the shipped municipality list itself. No database."""

import csv
from collections import Counter
from pathlib import Path

import pytest

from trechter.analytics import regions
from trechter.analytics.regions import (
    BELGIUM_UNKNOWN,
    BRUSSELS,
    MUNICIPALITIES_CSV,
    NL,
    OTHER,
    VL,
    WALLONIA,
    Municipalities,
    Placement,
    normalise_place,
    place,
)

MUNICIPALITIES = Municipalities.load()


def rows() -> list[dict[str, str]]:
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def place_be(**fields: str) -> Placement:
    return place(country="BE", municipalities=MUNICIPALITIES, **fields)


# The rules in order


def test_place_netherlands_by_country() -> None:
    assert place(country="NL", city="Eindhoven", municipalities=MUNICIPALITIES) == Placement(NL, "country")


def test_place_other_country_by_country_even_with_belgian_fields() -> None:
    placement = place(country="fr", nuts_code="BE211", postcode="2000", city="Antwerpen", municipalities=MUNICIPALITIES)
    assert placement == Placement(OTHER, "country")


def test_place_blank_country_is_other_unknown() -> None:
    assert place(country=" ", city="Gent", municipalities=MUNICIPALITIES) == Placement(OTHER, "unknown")


@pytest.mark.parametrize(
    ("nuts_code", "side"),
    [("BE100", BRUSSELS), ("BE211", VL), ("be24", VL), ("BE2", VL), ("BE335", WALLONIA)],
)
def test_place_by_nuts(nuts_code: str, side: str) -> None:
    assert place_be(nuts_code=nuts_code) == Placement(side, "nuts")


def test_place_nuts_wins_over_postcode_and_city() -> None:
    assert place_be(nuts_code="BE2", postcode="4000", city="Liège") == Placement(VL, "nuts")


def test_place_belgium_wide_nuts_falls_through_to_city() -> None:
    assert place_be(nuts_code="BEZZZ", city="Namur") == Placement(WALLONIA, "municipality")


def test_place_postcode_wins_over_city() -> None:
    assert place_be(postcode="1348", city="Leuven") == Placement(WALLONIA, "postcode")


def test_place_by_city_when_no_nuts_or_postcode() -> None:
    assert place_be(city="Hasselt") == Placement(VL, "municipality")


def test_place_unknown_city_is_belgium_unknown() -> None:
    assert place_be(city="Slough") == Placement(BELGIUM_UNKNOWN, "unknown")


def test_place_nothing_given_is_belgium_unknown() -> None:
    assert place_be() == Placement(BELGIUM_UNKNOWN, "unknown")


# Postcodes


@pytest.mark.parametrize(
    ("postcode", "side"),
    [
        ("1000", BRUSSELS),
        ("1299", BRUSSELS),
        ("1300", WALLONIA),
        ("1499", WALLONIA),
        ("1500", VL),
        ("2999", VL),
        ("3000", VL),
        ("3999", VL),
        ("4000", WALLONIA),
        ("7999", WALLONIA),
        ("8000", VL),
        ("9999", VL),
    ],
)
def test_place_postcode_boundaries(postcode: str, side: str) -> None:
    assert place_be(postcode=postcode) == Placement(side, "postcode")


@pytest.mark.parametrize("postcode", ["B-3001", "BE 3001", " 3001 ", "3001 LEUVEN"])
def test_place_postcode_written_with_extras(postcode: str) -> None:
    assert place_be(postcode=postcode) == Placement(VL, "postcode")


@pytest.mark.parametrize("postcode", ["999", "0999", "12345", "B-30", ""])
def test_place_not_a_belgian_postcode_falls_through_to_city(postcode: str) -> None:
    assert place_be(postcode=postcode, city="Mons") == Placement(WALLONIA, "municipality")


@pytest.mark.parametrize(
    ("city", "side"), [("B-3001 HEVERLEE", VL), ("2440 GEEL", VL), ("1040", BRUSSELS), ("5000 Namur", WALLONIA)]
)
def test_place_postcode_in_the_city_string(city: str, side: str) -> None:
    assert place_be(city=city) == Placement(side, "postcode")


# Messy city strings


@pytest.mark.parametrize(
    ("city", "side"),
    [
        ("BRUXELLES / BRUSSEL", BRUSSELS),
        ("Bruxelles / Brussel", BRUSSELS),
        ("Brussels / Bruxelles", BRUSSELS),
        ("IXELLES - BRUXELLES", BRUSSELS),
        ("Saint  Josse Ten Noode", BRUSSELS),
        ("SINT LAMBRECHTS WOLUWE", BRUSSELS),
        ("DESTELDONK GENT", VL),
        ("ANTWERPEN DEURNE", VL),
        ("DEURNE (ANTWERP)", VL),
        ("DIEGEM MACHELEN", VL),
        ("RHODE SAINT GENESE", VL),
        ("Rhode-Saint-Genèse", VL),
        ("SINT TRUIDEN", VL),
        ("SAINT-TRUIDEN", VL),
        ("St.-Truiden", VL),
        ("Leuven (Heverlee)", VL),
        ("LEUVEN HEVERLEE", VL),
        ("GENT-ZWIJNAARDE", VL),
        ("ZWIJNAARDE - GENT", VL),
        ("Kortrijk-Heule", VL),
        ("SINT STEVENS WOLUWE", VL),
        ("ONZE LIEVE VROUW WAVER", VL),
        ("HEIST OP DEN BERG", VL),
        ("Beveren-Kruibeke-Zwijndrecht", VL),
        ("Pajottegem", VL),
        ("Brussels Airport", VL),
        ("LOUVAIN LA NEUVE", WALLONIA),
        ("OTTIGNIES LOUVAIN LA NEUVE", WALLONIA),
        ("MONS-BERGEN", WALLONIA),
        ("NAMUR / NAMEN", WALLONIA),
        ("GOSSELIES (CHARLEROI)", WALLONIA),
        ("LIÈGE (SART-TILMAN)", WALLONIA),
        ("GEMBLOUX-LES ISNES", WALLONIA),
        ("Braine L'Alleud", WALLONIA),
        ("BOIS DE VILLERS PROFONDEVILLE", WALLONIA),
        ("Eupen", WALLONIA),
    ],
)
def test_place_messy_city(city: str, side: str) -> None:
    assert place_be(city=city) == Placement(side, "municipality")


@pytest.mark.parametrize(
    ("city", "side"),
    [("Louvain", VL), ("Louvain-la-Neuve", WALLONIA), ("Louvain La Neuve", WALLONIA), ("Leuven", VL)],
)
def test_place_louvain_is_leuven_but_louvain_la_neuve_is_walloon(city: str, side: str) -> None:
    assert place_be(city=city).side == side


@pytest.mark.parametrize(
    ("city", "side"),
    [
        ("Ghent", VL),
        ("Antwerp", VL),
        ("Bruges", VL),
        ("Mechlin", VL),
        ("Ostend", VL),
        ("Gand", VL),
        ("Anvers", VL),
        ("Malines", VL),
        ("Courtrai", VL),
        ("Renaix", VL),
        ("Brussels", BRUSSELS),
        ("Brüssel", BRUSSELS),
        ("Elsene", BRUSSELS),
        ("Luik", WALLONIA),
        ("Liege", WALLONIA),
        ("Waver", WALLONIA),
        ("Bergen", WALLONIA),
    ],
)
def test_place_exonyms(city: str, side: str) -> None:
    assert place_be(city=city) == Placement(side, "municipality")


@pytest.mark.parametrize("city", ["Bruxelles / Gent", "Liège - Leuven", "Vorst", "Saint-Nicolas", "BRUSSESLS"])
def test_place_ambiguous_or_unknown_city_is_not_guessed(city: str) -> None:
    assert place_be(city=city) == Placement(BELGIUM_UNKNOWN, "unknown")


def test_region_of_unknown_parts_do_not_make_a_city_ambiguous() -> None:
    assert MUNICIPALITIES.region_of("Heverlee, Belgium") == VL


@pytest.mark.parametrize(
    ("city", "normalised"),
    [
        ("Rhode-Saint-Genèse", "rhode st genese"),
        ("SINT-GENESIUS-RODE", "st genesius rode"),
        ("  Braine-l'Alleud ", "braine l alleud"),
        ("Frasnes-lez-Anvaing", "frasnes les anvaing"),
        ("Saint  Josse Ten Noode", "st josse ten noode"),
        ("Brüssel", "brussel"),
        ("B-3001 HEVERLEE", "b 3001 heverlee"),
        ("", ""),
    ],
)
def test_normalise_place(city: str, normalised: str) -> None:
    assert normalise_place(city) == normalised


# The municipality list


def test_municipalities_load_reads_the_shipped_list_once() -> None:
    assert Municipalities.load() is Municipalities.load()


def test_municipalities_load_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("nis_code,region,name_nl,name_fr,name_de,other_names\n99999,WAL,Testdorp,Village,,Hameau|Gehucht\n")
    loaded = Municipalities.load(path)
    assert (loaded.region_of("Village"), loaded.region_of("gehucht"), loaded.region_of("Gent")) == (
        WALLONIA,
        WALLONIA,
        None,
    )


def test_municipalities_refuse_an_unknown_region(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("nis_code,region,name_nl,name_fr,name_de,other_names\n99999,NL,Testdorp,Village,,\n")
    with pytest.raises(ValueError, match="99999"):
        Municipalities.load(path)


def test_list_has_the_581_municipalities_of_2019() -> None:
    assert Counter(row["region"] for row in rows()) == {VL: 300, BRUSSELS: 19, WALLONIA: 262}


def test_list_nis_codes_are_unique_five_digit_codes() -> None:
    codes = [row["nis_code"] for row in rows()]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 5 and code.isdigit() for code in codes)


def nis_region(code: str) -> str:
    """Statbel's NIS prefixes: 1 Antwerp, 23/24 Flemish Brabant, 3 West Flanders, 4 East
    Flanders, 7 Limburg; 21 Brussels; 25 Walloon Brabant, 5 Hainaut, 6 Liège, 8 Luxembourg,
    9 Namur."""
    if code.startswith("21"):
        return BRUSSELS
    if code.startswith(("23", "24")) or code[0] in "1347":
        return VL
    return WALLONIA


def test_list_region_agrees_with_nis_prefix() -> None:
    assert [row["nis_code"] for row in rows() if nis_region(row["nis_code"]) != row["region"]] == []


def test_list_every_municipality_has_a_dutch_and_a_french_name() -> None:
    assert [row["nis_code"] for row in rows() if not (row["name_nl"].strip() and row["name_fr"].strip())] == []


def test_list_names_in_two_regions_are_only_the_known_ambiguities() -> None:
    regions_by_name: dict[str, set[str]] = {}
    for row in rows():
        for name in regions.names_of(row):
            regions_by_name.setdefault(name, set()).add(row["region"])
    ambiguous = {name for name, found in regions_by_name.items() if len(found) > 1}
    assert ambiguous == {"vorst", "st nicolas"}


def test_list_keeps_the_2019_merged_and_2025_new_names() -> None:
    names = {"Puurs", "Overpelt", "Opglabbeek", "Zingem", "Nevele", "Lovendegem", "Knesselare", "Tongeren-Borgloon"}
    assert {name: MUNICIPALITIES.region_of(name) for name in names} == dict.fromkeys(names, VL)
