"""trechter/analytics/names.py: normalisation, resolution of seed organisations against a
CORDIS subset (tests/data/cordis_org_subset.csv), and precision/recall on the hand-made
labelled set (tests/data/organisation_links.csv). Source: CORDIS, © European Union."""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from trechter.analytics.names import (
    ACCEPT,
    REVIEW,
    Match,
    NameIndex,
    Query,
    Record,
    acronym,
    city_words,
    country_code,
    decide,
    fold,
    initials,
    name_key,
    same_city,
    words,
)
from trechter.seed.dataset import read_dataset

DATA = Path(__file__).resolve().parent.parent / "data"
IMEC, TNO, KU_LEUVEN = "999981149", "999988909", "999991334"


@cache
def subset_rows() -> list[dict[str, str]]:
    with (DATA / "cordis_org_subset.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def subset_index() -> NameIndex:
    return NameIndex(
        Record(r["org_id"], r["name"], r["shortName"], r["city"], r["country"], r["activityType"])
        for r in subset_rows()
    )


@cache
def seed_queries() -> dict[str, Query]:
    return {
        o.key: Query(name=o.name, aliases=tuple(o.aliases or ()), country=o.country or "", city=o.city or "")
        for o in read_dataset().records("organisations")
    }


@cache
def labels() -> dict[str, set[str]]:
    """Seed key → its correct PICs (empty: no CORDIS record)."""
    out: dict[str, set[str]] = defaultdict(set)
    with (DATA / "organisation_links.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out[row["seed_key"]]
            if row["label"] == "same":
                out[row["seed_key"]].add(row["org_id"])
    return dict(out)


def resolve(key: str) -> tuple[str, Match | None]:
    return decide(subset_index().candidates(seed_queries()[key]))


# ── normalisation ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("K.U.Leuven", "ku leuven"),
        ("TÜV Rheinland B.V.", "tuv rheinland bv"),
        ("L'AIR LIQUIDE S.A.", "l air liquide sa"),
        ("Straße", "strasse"),
        ("M V M SHEET METAL", "mvm sheet metal"),
    ],
)
def test_fold_strips_case_accents_punctuation_and_spaced_letters(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    "name",
    [
        "Acme NV",
        "Acme B.V.",
        "ACME BVBA",
        "Acme VZW",
        "ACME ASBL",
        "Acme SPRL",
        "Acme S.A.",
        "Acme GmbH & Co. KG",
        "Acme AG",
        "Acme e.V.",
        "ACME LIMITED",
        "Acme Ltd.",
        "Acme SRL",
        "Acme S.p.A.",
        "Acme AB",
        "Acme A/S",
        "Acme Oy",
    ],
)
def test_words_drop_legal_forms(name: str) -> None:
    assert words(name) == ("acme",)


def test_words_keep_stichting_as_a_word_but_name_key_drops_it() -> None:
    assert words("Stichting Platform31") == ("foundation", "platform31")
    assert name_key("STICHTING PLATFORM31") == name_key("Platform 31") == "platform31"
    assert words("Nierstichting Nederland") == ("nierstichting", "nederland")


def test_words_meet_across_languages_and_umlaut_spellings() -> None:
    assert sorted(words("Ghent University")) == sorted(words("Universiteit Gent"))
    assert words("UNIVERSITAET ZUERICH") == words("Universität Zürich")
    assert words("University of Antwerp") == words("Universiteit Antwerpen")


def test_name_key_keeps_a_hyphenated_letter() -> None:
    assert name_key("E-MOSS") == name_key("Emoss") == "emoss"
    assert words("STICHTING S-ISPT") == ("foundation", "ispt")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("IMEC", "imec"), ("TU/e", "tue"), ("M2i", "m2i"), ("DATS24", "dats24"), ("Katholieke Universiteit Leuven", "")],
)
def test_acronym_only_for_short_single_words(text: str, expected: str) -> None:
    assert acronym(text) == expected


def test_initials_of_long_names() -> None:
    assert initials("Vlaamse Instelling voor Technologisch Onderzoek") == "vito"
    assert initials("Centre Scientifique et Technique de la Construction") == "cstc"
    assert initials("Sirris") == ""


def test_country_code_maps_iso_to_cordis() -> None:
    assert (country_code("GB"), country_code("GR"), country_code("be")) == ("UK", "EL", "BE")


def test_same_city_across_languages_and_districts() -> None:
    assert same_city(city_words("Bruxelles / Brussel"), city_words("Brussels"))
    assert same_city(city_words("Zwijnaarde - Gent"), city_words("Ghent"))
    assert same_city(city_words("'s-Gravenhage"), city_words("Den Haag"))
    assert not same_city(city_words("Leuven"), city_words("Antwerpen"))


# ── resolution on the subset ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("key", "pic"), [("imec", IMEC), ("tno", TNO), ("ku-leuven", KU_LEUVEN)])
def test_seed_organisation_resolves_to_its_pic(key: str, pic: str) -> None:
    decision, best = resolve(key)
    assert (decision, best and best.org_id) == ("accept", pic)


def test_imec_is_found_by_acronym_and_city() -> None:
    matches = subset_index().candidates(Query(name="IMEC", country="BE", city="Leuven"))
    assert matches[0].org_id == IMEC
    assert matches[0].reasons == ("same acronym IMEC", "same city Leuven")
    assert decide(matches)[0] == "accept"


def test_acronym_without_city_is_only_a_review() -> None:
    decision, best = decide(subset_index().candidates(Query(name="IMEC", country="BE")))
    assert (decision, best and best.org_id) == ("review", IMEC)


def test_unit_of_an_organisation_is_not_accepted_as_its_parent() -> None:
    for key in ("tno-networked-information", "tno-rapidcenter", "prometheus-ku-leuven", "ku-leuven-lrd"):
        assert resolve(key)[0] != "accept", key


def test_network_without_a_record_is_not_accepted() -> None:
    for key in ("topsector-htsm", "energyville", "holst-centre", "smart-industry", "netbeheerders-nl"):
        assert resolve(key)[0] != "accept", key


def test_country_must_agree() -> None:
    matches = subset_index().candidates(Query(name="Nederlandse Organisatie voor Toegepast Onderzoek", country="BE"))
    assert TNO not in {m.org_id for m in matches}


def test_iso_country_finds_cordis_country() -> None:
    index = NameIndex([Record("1", "ACME LIMITED", "", "Leeds", "UK", "PRC"), Record("2", "ACME AE", "", "", "EL", "")])
    assert [m.org_id for m in index.candidates(Query(name="Acme Ltd", country="GB"))] == ["1"]
    assert [m.org_id for m in index.candidates(Query(name="Acme", country="GR"))] == ["2"]


def test_two_organisations_nearly_tied_go_to_review() -> None:
    index = NameIndex(
        [
            Record("2", "ACME ROBOTICS BV", "", "Delft", "NL", "PRC"),
            Record("1", "ACME FOODS BV", "", "Delft", "NL", "PRC"),
        ]
    )
    matches = index.candidates(Query(name="Acme", country="NL", city="Delft"))
    assert [m.org_id for m in matches] == ["1", "2"]  # equal scores: by org_id
    assert matches[0].score == matches[1].score >= ACCEPT
    assert decide(matches)[0] == "review"


def test_seed_group_with_several_companies_goes_to_review() -> None:
    decision, best = resolve("philips")
    assert decision == "review"
    assert best is not None and best.org_id in labels()["philips"]


def test_duplicate_pics_with_one_name_are_not_rivals() -> None:
    index = NameIndex(
        [
            Record("1", "MINISTERIE VAN ECONOMISCHE ZAKEN", "", "The Hague", "NL", "PUB"),
            Record("2", "MINISTERIE VAN ECONOMISCHE ZAKEN", "", "DEN HAAG", "NL", ""),
        ]
    )
    matches = index.candidates(Query(name="Ministerie van Economische Zaken (EZ)", country="NL", city="Den Haag"))
    assert matches[1].reasons[-1] == f"duplicate of {matches[0].org_id}"
    assert decide(matches)[0] == "accept"


def test_exact_name_is_not_made_doubtful_by_longer_names() -> None:
    index = NameIndex(
        [
            Record("1", "UNIVERSITEIT LEIDEN", "UL", "Leiden", "NL", "HES"),
            Record("2", "ACADEMISCH ZIEKENHUIS LEIDEN", "Leiden University Medical Centre", "Leiden", "NL", "HES"),
        ]
    )
    decision, best = decide(index.candidates(Query(name="Leiden University", country="NL", city="Leiden")))
    assert (decision, best and best.org_id) == ("accept", "1")


def test_decide_thresholds() -> None:
    assert decide([]) == ("none", None)
    low = Match("1", REVIEW - 0.01, ())
    assert decide([low]) == ("none", low)
    middle = Match("1", (REVIEW + ACCEPT) / 2, ())
    assert decide([middle]) == ("review", middle)
    high = Match("1", ACCEPT, ())
    assert decide([high, Match("2", ACCEPT - 0.2, ())]) == ("accept", high)


# ── the labelled set ──────────────────────────────────────────────────────────────────────


def test_labelled_set_covers_every_seed_organisation_once_labelled() -> None:
    with (DATA / "organisation_links.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["label"] for r in rows} == {"same", "none"}
    assert set(labels()) == set(seed_queries())
    assert all((r["label"] == "same") == bool(r["org_id"]) for r in rows)
    for key in labels():
        assert len({r["label"] for r in rows if r["seed_key"] == key}) == 1, key
    assert {pic for pics in labels().values() for pic in pics} <= {r["org_id"] for r in subset_rows()}


def test_precision_and_recall_on_the_seed_labelled_set() -> None:
    accepted = correct = 0
    for key, query in seed_queries().items():
        decision, best = decide(subset_index().candidates(query))
        if decision == "accept" and best is not None:
            accepted += 1
            correct += best.org_id in labels()[key]
    positives = sum(1 for pics in labels().values() if pics)
    assert correct / accepted >= 0.95
    assert correct / positives >= 0.90
