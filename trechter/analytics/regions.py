"""Which side of the border an organisation is on: the Netherlands, or Flanders, Brussels or
Wallonia, told apart from CORDIS's country, NUTS code, postcode and free-text city.

CORDIS's "BE" is Belgium, not Flanders, and its NUTS code is filled for only 30–45 % of the
rows, so the region often has to come from the postcode or the city. The city goes through
the list of Belgian municipalities in data/be_municipalities.csv (data/README.md says where it
comes from): official names in Dutch, French and German, exonyms and the deelgemeenten that
were merged into them.

Plain data in, plain data out, no Django (tests/unit/test_pure_modules.py checks).
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

NL, VL, BRUSSELS, WALLONIA, BELGIUM_UNKNOWN, OTHER = "NL", "VL", "BRU", "WAL", "BE", "OTHER"
REGIONS = (VL, BRUSSELS, WALLONIA)
MUNICIPALITIES_CSV = Path(__file__).resolve().parent / "data" / "be_municipalities.csv"

# NUTS 1 of Belgium: BE1 Brussels-Capital Region, BE2 Flemish Region, BE3 Walloon Region.
NUTS_REGIONS = {"BE1": BRUSSELS, "BE2": VL, "BE3": WALLONIA}
# bpost's postcodes by first digits. 1000–1299 Brussels-Capital; 1300–1499 Walloon Brabant;
# 1500–1999 and 3000–3499 Flemish Brabant; 2000–2999 Antwerp; 3500–3999 Limburg (Voeren's
# 379x included); 4000–4999 Liège; 5000–5999 Namur; 6000–6599 and 7000–7999 Hainaut;
# 6600–6999 Luxembourg; 8000–8999 West Flanders; 9000–9999 East Flanders.
POSTCODE_RANGES = (
    (1000, 1299, BRUSSELS),
    (1300, 1499, WALLONIA),
    (1500, 3999, VL),
    (4000, 7999, WALLONIA),
    (8000, 9999, VL),
)
# A four-digit number standing alone: "3001", "B-3001 HEVERLEE", "2440 GEEL".
POSTCODE = re.compile(r"(?<!\d)([1-9]\d{3})(?!\d)")
# Where a messy city string falls apart into places: "Bruxelles / Brussel", "Leuven (Heverlee)",
# "Gent, Zwijnaarde". Hyphens are not cut here: they join the words of one name
# ("Sint-Genesius-Rode") as often as they join two names ("Kortrijk-Heule"); the token
# matching in Municipalities.region_of tells the two apart.
PART_SEPARATORS = re.compile(r"[/(),;]+")
# Words spelt several ways in Belgian place names: "Sint", "Saint", "St." and "St" are the same
# word to the list ("SAINT-TRUIDEN", "St-Niklaas"); so are "lez" and "les" ("Frasnes-les-…").
WORD_SPELLINGS = {"sint": "st", "saint": "st", "sainte": "ste", "lez": "les"}


@dataclass(frozen=True)
class Placement:
    """Where an organisation sits (`side`, one of the six constants above) and which field
    said so (`basis`: "nuts", "postcode", "municipality", "country" or "unknown")."""

    side: str
    basis: str


@dataclass(frozen=True)
class Municipalities:
    """Normalised place names (as word tuples) → the regions ("VL", "BRU", "WAL") they name.
    A name in two regions ("Vorst": Forest in Brussels and a deelgemeente of Laakdal) is kept
    with both, so that a lookup can tell it is ambiguous."""

    regions_by_name: Mapping[tuple[str, ...], frozenset[str]]
    longest_name: int

    @classmethod
    def load(cls, path: Path | None = None) -> Municipalities:
        """The list at `path`, by default the shipped CSV (read once per process)."""
        return _shipped() if path is None else cls.from_rows(_read_rows(path))

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> Municipalities:
        """Index rows with the CSV's columns; ValueError for a region other than VL/BRU/WAL."""
        regions_by_name: dict[tuple[str, ...], set[str]] = {}
        for row in rows:
            region = row["region"]
            if region not in REGIONS:
                raise ValueError(f"municipality {row['nis_code']}: unknown region {region!r}")
            for name in names_of(row):
                regions_by_name.setdefault(tuple(name.split()), set()).add(region)
        longest = max((len(words) for words in regions_by_name), default=0)
        return cls({name: frozenset(found) for name, found in regions_by_name.items()}, longest)

    def region_of(self, city: str) -> str | None:
        """The region of a city string, or None if no known place is in it or the places in it
        lie in different regions. The whole string is tried first, then each part (cut at
        "/", "(", ",") word by word, taking the longest known name at each word."""
        whole = self.regions_by_name.get(tuple(normalise_place(city).split()))
        if whole is not None:
            return _single(whole)
        found: set[str] = set()
        for part in PART_SEPARATORS.split(city):
            found.update(self._regions_in(normalise_place(part).split()))
        return _single(found)

    def _regions_in(self, words: list[str]) -> set[str]:
        """The regions of the known names in `words`, matched left to right, longest first:
        "louvain la neuve" is one name (Wallonia), not "louvain" (Leuven) and two more words."""
        found: set[str] = set()
        start = 0
        while start < len(words):
            for end in range(min(len(words), start + self.longest_name), start, -1):
                regions = self.regions_by_name.get(tuple(words[start:end]))
                if regions is not None:
                    found.update(regions)
                    start = end
                    break
            else:
                start += 1
        return found


def place(
    *, country: str, nuts_code: str = "", postcode: str = "", city: str = "", municipalities: Municipalities
) -> Placement:
    """The side of an organisation. Rules in order: a country other than BE decides (NL or
    OTHER); then a Belgian NUTS code (BE1/BE2/BE3); then a Belgian postcode, from `postcode`
    or else found in `city`; then the city through `municipalities`; else Belgium, unknown.
    A blank country is OTHER with basis "unknown"."""
    country = country.strip().upper()
    if not country:
        return Placement(OTHER, "unknown")
    if country != "BE":
        return Placement(NL if country == "NL" else OTHER, "country")
    region = NUTS_REGIONS.get(nuts_code.strip().upper()[:3])
    if region is not None:
        return Placement(region, "nuts")
    region = region_of_postcode(postcode) or region_of_postcode(city)
    if region is not None:
        return Placement(region, "postcode")
    region = municipalities.region_of(city)
    if region is not None:
        return Placement(region, "municipality")
    return Placement(BELGIUM_UNKNOWN, "unknown")


def region_of_postcode(text: str) -> str | None:
    """The region of the first four-digit Belgian postcode in `text` ("B-3001" → "VL")."""
    match = POSTCODE.search(text)
    if match is None:
        return None
    number = int(match.group(1))
    return next(region for low, high, region in POSTCODE_RANGES if low <= number <= high)


def normalise_place(city: str) -> str:
    """A place name as the list compares it: accents dropped, casefolded, punctuation turned
    into spaces, "Sint"/"Saint"/"St" made one word: "Rhode-Saint-Genèse" → "rhode st genese"."""
    decomposed = unicodedata.normalize("NFKD", city)
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    words = re.findall(r"[^\W_]+", plain.casefold())
    return " ".join(WORD_SPELLINGS.get(word, word) for word in words)


def names_of(row: Mapping[str, str]) -> list[str]:
    """Every normalised name of a municipality row: the official names in Dutch, French and
    German and the `|`-separated other names (exonyms, deelgemeenten, spellings)."""
    names = [row["name_nl"], row["name_fr"], row["name_de"], *row["other_names"].split("|")]
    return [normalised for normalised in map(normalise_place, names) if normalised]


def _single(regions: Iterable[str]) -> str | None:
    found = set(regions)
    return found.pop() if len(found) == 1 else None


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@functools.cache
def _shipped() -> Municipalities:
    return Municipalities.from_rows(_read_rows(MUNICIPALITIES_CSV))
