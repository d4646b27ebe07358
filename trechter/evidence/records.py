"""CORDIS files as the rows Trechter stores: checked field by field, grouped into batches.

A batch is what one transaction writes (see loading.py): the organisation lookup first, then
one framework programme at a time, so an interrupted import resumes at the batch it was in.
A row whose content is wrong (no id, a date that is no date, a participation of an unknown
project) is rejected with its file, row and field named; the rest of the batch is stored.
Row numbers count the header as row 1, as a spreadsheet shows them.

The checks run on whole columns (polars), because per-row Python took seconds on the public
files. Each kind of file has a columnar reading that also marks the rows it vouches for: every
value plainly well formed ('195717.5', '2017-09-01', 'BE'). The other rows — a handful in the
public files — go through the per-row rules (`project_row`, `participation_row`, …), which are
the reference: they reject the row with its reason, or take an unusual but valid value. So only
rejected or odd rows become Python objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import astuple, dataclass, field
from datetime import date
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from trechter.analytics import regions
from trechter.evidence.reading import SourceFile

PROJECT_SCHEMA = pl.Schema(
    {
        "key": pl.String, "framework": pl.String, "grant_id": pl.String, "rcn": pl.String,
        "acronym": pl.String, "title": pl.String, "objective": pl.String, "start_on": pl.String,
        "end_on": pl.String, "year": pl.Int64, "total_cost": pl.Float64, "ec_max_contribution": pl.Float64,
        "programme": pl.String, "legal_basis": pl.String, "funding_scheme": pl.String, "topics": pl.String,
        "topic_title": pl.String, "euroscivoc": pl.String, "brief_title": pl.String, "brief_teaser": pl.String,
    }
)  # fmt: skip
ORGANISATION_SCHEMA = pl.Schema(
    {
        "org_id": pl.String, "name": pl.String, "short_name": pl.String, "city": pl.String, "postcode": pl.String,
        "country": pl.String, "nuts_code": pl.String, "activity_type": pl.String, "is_sme": pl.Boolean,
        "side": pl.String, "side_basis": pl.String, "source_rank": pl.Int64,
    }
)  # fmt: skip
PARTICIPATION_SCHEMA = pl.Schema(
    {
        "project_key": pl.String, "org_id": pl.String, "role": pl.String, "order": pl.Int64,
        "ec_contribution": pl.Float64, "name_as_listed": pl.String, "city": pl.String, "country": pl.String,
        "nuts_code": pl.String, "activity_type": pl.String,
    }
)  # fmt: skip
# An organisation as one row lists it (the fields of Listing, in its order).
LISTING_SCHEMA = pl.Schema(
    {
        "org_id": pl.String, "name": pl.String, "short_name": pl.String, "city": pl.String, "postcode": pl.String,
        "country": pl.String, "nuts_code": pl.String, "activity_type": pl.String, "is_sme": pl.Boolean,
        "rank": pl.Int64,
    }
)  # fmt: skip
# A participation row with the listing fields that are not in the stored participation.
LISTED_PARTICIPATION_SCHEMA = pl.Schema(
    [*PARTICIPATION_SCHEMA.items(), ("short_name", pl.String()), ("postcode", pl.String()), ("is_sme", pl.Boolean())]
)
PROJECT_COLUMNS = tuple(PROJECT_SCHEMA)
ORGANISATION_COLUMNS = tuple(ORGANISATION_SCHEMA)
PARTICIPATION_COLUMNS = tuple(PARTICIPATION_SCHEMA)

ACTIVITY_TYPES = {"PRC", "HES", "REC", "PUB", "OTH"}
FRAMEWORKS = ("FP7", "H2020", "HORIZON")
LOOKUP_RANK, PARTICIPATION_RANK = 2, 1
TRUE_WORDS, FALSE_WORDS = ("true", "1", "yes", "y"), ("false", "0", "no", "n")

# Programme parts by legal basis, for official exports that carry no programme column;
# the names are those the flat files use (H2020 pillars and societal challenges, HE clusters).
PROGRAMME_PARTS = {
    "H2020-EU.1.1": "ERC", "H2020-EU.1.2": "FET", "H2020-EU.1.3": "MSCA", "H2020-EU.1.4": "RI",
    "H2020-EU.2.1": "LEIT", "H2020-EU.2.2": "Access to risk finance", "H2020-EU.2.3": "Innovation in SMEs",
    "H2020-EU.3.1": "SC1", "H2020-EU.3.2": "SC2", "H2020-EU.3.3": "SC3", "H2020-EU.3.4": "SC4",
    "H2020-EU.3.5": "SC5", "H2020-EU.3.6": "SC6", "H2020-EU.3.7": "SC7", "H2020-EU.4": "SEWP",
    "H2020-EU.5": "SWAFS", "HORIZON.1.1": "ERC", "HORIZON.1.2": "MSCA", "HORIZON.1.3": "RI",
    "HORIZON.2.1": "CL1 Health", "HORIZON.2.2": "CL2 Culture", "HORIZON.2.3": "CL3 Security",
    "HORIZON.2.4": "CL4 Digital, Industry and Space", "HORIZON.2.5": "CL5 Climate, Energy and Mobility",
    "HORIZON.2.6": "CL6 Food and Environment", "HORIZON.3.1": "EIC", "HORIZON.3.2": "EIE",
    "HORIZON.3.3": "EIT", "HORIZON.4": "WIDERA",
}  # fmt: skip

# What Python's str.strip() strips (polars' default set lacks U+001C–U+001F), so the columnar
# text() cuts exactly what the per-row one does.
WHITESPACE = "".join(character for character in map(chr, range(0x3001)) if character.isspace())
# The forms the columnar checks vouch for; anything else goes to the per-row rule.
DECIMAL = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DIGITS = r"^[0-9]+$"
# A participant's order: at most nine digits, so that it fits PostgreSQL's integer column.
ORDER = r"^[0-9]{1,9}$"
COUNTRY_CODE = r"^[A-Z]{2}$"
ROW, PLAIN = "_row", "_plain"  # working columns: the row number; whether the columnar reading vouches for it


class RowError(ValueError):
    """A field's value is wrong; the message says why."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Rejection:
    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = {"file": self.file, "row": self.row, "column": self.column, "reason": self.reason}
        if not self.column:
            return _("%(file)s row %(row)s: %(reason)s") % where
        return _("%(file)s row %(row)s, %(column)s: %(reason)s") % where


@dataclass
class Batch:
    """The rows of one transaction, one per CORDIS identity (last file wins), as polars frames
    with the columns of PROJECT_SCHEMA, ORGANISATION_SCHEMA and PARTICIPATION_SCHEMA."""

    label: str
    files: list[SourceFile] = field(default_factory=list)
    projects: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=PROJECT_SCHEMA))
    organisations: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ORGANISATION_SCHEMA))
    participations: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=PARTICIPATION_SCHEMA))
    rejections: list[Rejection] = field(default_factory=list)
    # Every row listing an organisation (LISTING_SCHEMA), merged into `organisations` once all
    # files are read.
    listings: list[pl.DataFrame] = field(default_factory=list)
    # The keys, ids and hashes already stored, per table: read by loading.write_batch on the
    # import's first write and kept current; one dict shared by all batches of a plan.
    stored: dict[str, pl.DataFrame] = field(default_factory=dict)

    @property
    def rows_read(self) -> int:
        return sum(source.row_count for source in self.files)


# ----------------------------------------------------------------------------- values, per row


def text(value: str | None, limit: int = 0) -> str:
    """Stripped text, '' for empty; cut at `limit` characters when given."""
    cleaned = (value or "").strip()
    return cleaned[:limit] if limit else cleaned


def identifier(value: str | None) -> str:
    """'633002.0' → '633002': the flat files wrote numeric ids as floats."""
    cleaned = text(value)
    digits = cleaned[:-2]
    return digits if cleaned.endswith(".0") and digits.isascii() and digits.isdigit() else cleaned


def number(value: str | None, column: str) -> float | None:
    """A money amount: '8114202,34' (official exports), '195717.5', '1.234.567,89'."""
    cleaned = text(value).replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return None
    if "," in cleaned:
        if "." in cleaned and cleaned.rindex(".") > cleaned.rindex(","):
            cleaned = cleaned.replace(",", "")
        else:
            cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        amount = float(cleaned)
    except ValueError:
        raise RowError(column, _("“%(value)s” is not an amount") % {"value": text(value, 40)}) from None
    if amount != amount or amount < 0 or amount > 1e12:
        raise RowError(column, _("%(value)s is not a plausible amount") % {"value": text(value, 40)})
    return amount


def day(value: str | None, column: str) -> str | None:
    """An ISO date (a time part, as in '2017-09-01 00:00:00', is dropped)."""
    cleaned = text(value)[:10]
    if not cleaned:
        return None
    try:
        return date.fromisoformat(cleaned).isoformat()
    except ValueError:
        raise RowError(column, _("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": text(value, 40)}) from None


def year(value: str | None, column: str) -> int | None:
    cleaned = identifier(value)
    if not cleaned:
        return None
    if not (cleaned.isascii() and cleaned.isdigit()) or not 1980 <= int(cleaned) <= 2100:
        raise RowError(column, _("“%(value)s” is not a year") % {"value": text(value, 40)})
    return int(cleaned)


def country(value: str | None, column: str) -> str:
    cleaned = text(value).upper()
    if cleaned and (len(cleaned) != 2 or not cleaned.isalpha()):
        raise RowError(column, _("“%(value)s” is not a two-letter country code") % {"value": text(value, 40)})
    return cleaned


def boolean(value: str | None) -> bool | None:
    cleaned = text(value).lower()
    if cleaned in TRUE_WORDS:
        return True
    if cleaned in FALSE_WORDS:
        return False
    return None


def activity(value: str | None) -> str:
    cleaned = text(value).upper()
    return cleaned if cleaned in ACTIVITY_TYPES else ("OTH" if cleaned else "")


def programme_part(legal_basis: str) -> str:
    """The programme part a legal basis (H2020-EU.2.1.1.) belongs to, '' when unknown."""
    for prefix in sorted(PROGRAMME_PARTS, key=len, reverse=True):
        if legal_basis.startswith(prefix):
            return PROGRAMME_PARTS[prefix]
    return ""


# ----------------------------------------------------------------------------- values, per column


@dataclass(frozen=True)
class Checked:
    """A column's values and where the columnar check vouches for them (`plain`); elsewhere the
    value is not used and the per-row rule decides."""

    value: pl.Expr
    plain: pl.Expr


def cleaned(column: str, limit: int = 0) -> pl.Expr:
    """text() of a whole column."""
    expression = pl.col(column).fill_null("").str.strip_chars(WHITESPACE)
    return expression.str.slice(0, limit) if limit else expression


def identifier_of(column: str) -> pl.Expr:
    """identifier() of a whole column."""
    return cleaned(column).str.replace(r"^([0-9]+)\.0$", "${1}")


def amount_of(column: str) -> Checked:
    """number() of a whole column; vouched for where empty or an ordinary decimal in range."""
    text_ = cleaned(column).str.replace_all("[ \u00a0]", "")
    has_comma = text_.str.contains(",", literal=True)
    decimal = (
        pl.when(has_comma & text_.str.contains(r"\.[^,]*$"))
        .then(text_.str.replace_all(",", "", literal=True))
        .when(has_comma)
        .then(text_.str.replace_all(".", "", literal=True).str.replace_all(",", ".", literal=True))
        .otherwise(text_)
    )
    value = decimal.cast(pl.Float64, strict=False)
    return Checked(value, (text_ == "") | (decimal.str.contains(DECIMAL) & value.is_between(0, 1e12)))


def day_of(column: str) -> Checked:
    """day() of a whole column; vouched for where empty or a real YYYY-MM-DD date."""
    text_ = cleaned(column).str.slice(0, 10)
    is_date = text_.str.contains(ISO_DATE) & text_.str.to_date("%Y-%m-%d", strict=False).is_not_null()
    return Checked(pl.when(text_ != "").then(text_), (text_ == "") | is_date)


def year_of(column: str) -> Checked:
    """year() of a whole column; vouched for where empty or a year from 1980 to 2100."""
    text_ = identifier_of(column)
    value = text_.cast(pl.Int64, strict=False)
    return Checked(value, (text_ == "") | (text_.str.contains(DIGITS) & value.is_between(1980, 2100)))


def country_of(column: str) -> Checked:
    """country() of a whole column; vouched for where empty or two letters A–Z."""
    text_ = cleaned(column).str.to_uppercase()
    return Checked(text_, (text_ == "") | text_.str.contains(COUNTRY_CODE))


def boolean_of(column: str) -> pl.Expr:
    """boolean() of a whole column."""
    text_ = cleaned(column).str.to_lowercase()
    return pl.when(text_.is_in(TRUE_WORDS)).then(True).when(text_.is_in(FALSE_WORDS)).then(False)


def activity_of(column: str) -> pl.Expr:
    """activity() of a whole column."""
    text_ = cleaned(column).str.to_uppercase()
    return (
        pl.when(text_.is_in(sorted(ACTIVITY_TYPES)))
        .then(text_)
        .when(text_ != "")
        .then(pl.lit("OTH"))
        .otherwise(pl.lit(""))
    )


def order_of(column: str) -> pl.Expr:
    """A participant's order: its number, or null when it is not a plain number (ORDER)."""
    text_ = identifier_of(column)
    return pl.when(text_.str.contains(ORDER)).then(text_.cast(pl.Int64, strict=False))


def _all(*conditions: pl.Expr) -> pl.Expr:
    """True where every condition holds (a null counts as not)."""
    return pl.all_horizontal(*conditions).fill_null(False)


# ----------------------------------------------------------------------------- rows per kind, per row


def project_row(values: dict[str, str | None]) -> tuple[object, ...]:
    """A flat-file project row."""
    key = text(values["project_key"])
    framework = text(values["framework"]).upper()
    if not key:
        raise RowError("project_key", _("no project key"))
    if framework not in FRAMEWORKS or not key.startswith(framework + ":"):
        raise RowError("framework", _("“%(value)s” does not match the key %(key)s") % {"value": framework, "key": key})
    start_on = day(values["start_date"], "start_date")
    project_year = year(values["start_year"], "start_year") or year(values["call_year"], "call_year")
    legal_basis = text(values["legal_basis"], 200)
    return (
        key, framework, identifier(values["project_id"]), identifier(values["rcn"]), text(values["acronym"], 200),
        text(values["title"]), text(values["objective"]), start_on, day(values["end_date"], "end_date"),
        project_year or (int(start_on[:4]) if start_on else None), number(values["total_cost"], "total_cost"),
        number(values["ec_max_contribution"], "ec_max_contribution"),
        text(values["programme"], 200) or programme_part(legal_basis), legal_basis,
        text(values["funding_scheme"], 100), text(values["topics"]), text(values["topic_title"]),
        text(values["euroscivoc"]), text(values["brief_title"]), text(values["brief_teaser"]),
    )  # fmt: skip


def official_project_row(values: dict[str, str | None]) -> tuple[object, ...]:
    """A project row of the official export (project.csv)."""
    framework = text(values["frameworkProgramme"]).upper()
    grant_id, rcn = identifier(values["id"]), identifier(values["rcn"])
    if framework not in FRAMEWORKS:
        raise RowError("frameworkProgramme", _("unknown framework programme “%(value)s”") % {"value": framework})
    if not grant_id:
        raise RowError("id", _("no project id"))
    if framework != "HORIZON" and not rcn:
        raise RowError("rcn", _("no record number (rcn)"))
    key = f"HORIZON:{grant_id}" if framework == "HORIZON" else f"{framework}:rcn{rcn}"
    start_on = day(values["startDate"], "startDate")
    legal_basis = text(values["legalBasis"], 200)
    return (
        key, framework, grant_id, rcn, text(values["acronym"], 200), text(values["title"]),
        text(values["objective"]), start_on, day(values["endDate"], "endDate"),
        int(start_on[:4]) if start_on else None, number(values["totalCost"], "totalCost"),
        number(values["ecMaxContribution"], "ecMaxContribution"), programme_part(legal_basis), legal_basis,
        text(values["fundingScheme"], 100), text(values["topics"]), "", "", "", "",
    )  # fmt: skip


@dataclass(frozen=True)
class Listing:
    """An organisation as one row lists it (participation or organisation file)."""

    org_id: str
    name: str
    short_name: str
    city: str
    postcode: str
    country: str
    nuts_code: str
    activity_type: str
    is_sme: bool | None
    rank: int


def participation_row(values: dict[str, str | None], key: str) -> tuple[tuple[object, ...], Listing]:
    """A participation and the organisation as that row lists it."""
    org_id = identifier(values["org_id"])
    if not org_id:
        raise RowError("org_id", _("no organisation id"))
    listing = Listing(
        org_id=org_id,
        name=text(values["name"], 500) or text(values["short_name"], 500) or org_id,
        short_name=text(values["short_name"], 200),
        city=text(values["city"], 200),
        postcode=text(values.get("postcode"), 40),
        country=country(values["country"], "country"),
        nuts_code=text(values["nuts_code"], 10).upper(),
        activity_type=activity(values["activity_type"]),
        is_sme=boolean(values["sme"]),
        rank=PARTICIPATION_RANK,
    )
    order = identifier(values["order"])
    row = (
        key, org_id, text(values["role"], 30), int(order) if re.fullmatch(ORDER, order) else None,
        number(values["ec_contribution"], "ec_contribution"), listing.name, listing.city, listing.country,
        listing.nuts_code, listing.activity_type,
    )  # fmt: skip
    return row, listing


def lookup_listing(values: dict[str, str | None]) -> Listing:
    org_id = identifier(values["org_id"])
    if not org_id:
        raise RowError("org_id", _("no organisation id"))
    name = text(values["name"], 500)
    if not name:
        raise RowError("name", _("no name"))
    return Listing(
        org_id=org_id,
        name=name,
        short_name=text(values["shortName"], 200),
        city=text(values["city"], 200),
        postcode="",
        country=country(values["country"], "country"),
        nuts_code=text(values["nutsCode"], 10).upper(),
        activity_type=activity(values["activityType"]),
        is_sme=boolean(values["SME"]),
        rank=LOOKUP_RANK,
    )


# ----------------------------------------------------------------------------- rows per kind, per column


def project_columns() -> dict[str, pl.Expr]:
    """project_row() on whole columns, and PLAIN: where it vouches for the row."""
    key, framework = cleaned("project_key"), cleaned("framework").str.to_uppercase()
    start, end = day_of("start_date"), day_of("end_date")
    start_year, call_year = year_of("start_year"), year_of("call_year")
    year_ = pl.coalesce(start_year.value, call_year.value, start.value.str.slice(0, 4).cast(pl.Int64, strict=False))
    total, contribution = amount_of("total_cost"), amount_of("ec_max_contribution")
    matches = (key != "") & framework.is_in(FRAMEWORKS) & key.str.starts_with(framework + ":")
    plain = _all(matches, start.plain, end.plain, start_year.plain, call_year.plain, total.plain, contribution.plain)
    return {
        "key": key, "framework": framework, "grant_id": identifier_of("project_id"), "rcn": identifier_of("rcn"),
        "acronym": cleaned("acronym", 200), "title": cleaned("title"), "objective": cleaned("objective"),
        "start_on": start.value, "end_on": end.value,
        "year": year_,
        "total_cost": total.value, "ec_max_contribution": contribution.value, "programme": cleaned("programme", 200),
        "legal_basis": cleaned("legal_basis", 200), "funding_scheme": cleaned("funding_scheme", 100),
        "topics": cleaned("topics"), "topic_title": cleaned("topic_title"), "euroscivoc": cleaned("euroscivoc"),
        "brief_title": cleaned("brief_title"), "brief_teaser": cleaned("brief_teaser"), PLAIN: plain,
    }  # fmt: skip


def official_project_columns() -> dict[str, pl.Expr]:
    """official_project_row() on whole columns, and PLAIN: where it vouches for the row."""
    framework = cleaned("frameworkProgramme").str.to_uppercase()
    grant_id, rcn = identifier_of("id"), identifier_of("rcn")
    start, end = day_of("startDate"), day_of("endDate")
    total, contribution = amount_of("totalCost"), amount_of("ecMaxContribution")
    has_ids = (grant_id != "") & ((framework == "HORIZON") | (rcn != ""))
    plain = _all(framework.is_in(FRAMEWORKS), has_ids, start.plain, end.plain, total.plain, contribution.plain)
    key = pl.when(framework == "HORIZON").then("HORIZON:" + grant_id).otherwise(framework + ":rcn" + rcn)
    return {
        "key": key, "framework": framework, "grant_id": grant_id, "rcn": rcn, "acronym": cleaned("acronym", 200),
        "title": cleaned("title"), "objective": cleaned("objective"), "start_on": start.value, "end_on": end.value,
        "year": start.value.str.slice(0, 4).cast(pl.Int64, strict=False), "total_cost": total.value,
        "ec_max_contribution": contribution.value, "programme": pl.lit(""),
        "legal_basis": cleaned("legalBasis", 200), "funding_scheme": cleaned("fundingScheme", 100),
        "topics": cleaned("topics"), "topic_title": pl.lit(""), "euroscivoc": pl.lit(""), "brief_title": pl.lit(""),
        "brief_teaser": pl.lit(""), PLAIN: plain,
    }  # fmt: skip


def participation_columns() -> dict[str, pl.Expr]:
    """participation_row() on whole columns (with the short name, postcode and SME flag of the
    listing), and PLAIN. Expects the columns _key and _known (the project and whether it exists)."""
    org_id = identifier_of("org_id")
    name, short_name = cleaned("name", 500), cleaned("short_name", 500)
    country_, contribution = country_of("country"), amount_of("ec_contribution")
    plain = _all(pl.col("_key") != "", pl.col("_known"), org_id != "", country_.plain, contribution.plain)
    return {
        "project_key": pl.col("_key"), "org_id": org_id, "role": cleaned("role", 30), "order": order_of("order"),
        "ec_contribution": contribution.value,
        "name_as_listed": pl.when(name != "").then(name).when(short_name != "").then(short_name).otherwise(org_id),
        "city": cleaned("city", 200), "country": country_.value,
        "nuts_code": cleaned("nuts_code", 10).str.to_uppercase(), "activity_type": activity_of("activity_type"),
        "short_name": cleaned("short_name", 200), "postcode": cleaned("postcode", 40), "is_sme": boolean_of("sme"),
        PLAIN: plain,
    }  # fmt: skip


def lookup_columns() -> dict[str, pl.Expr]:
    """lookup_listing() on whole columns, and PLAIN: where it vouches for the row."""
    org_id, name, country_ = identifier_of("org_id"), cleaned("name", 500), country_of("country")
    return {
        "org_id": org_id, "name": name, "short_name": cleaned("shortName", 200), "city": cleaned("city", 200),
        "postcode": pl.lit(""), "country": country_.value, "nuts_code": cleaned("nutsCode", 10).str.to_uppercase(),
        "activity_type": activity_of("activityType"), "is_sme": boolean_of("SME"), "rank": pl.lit(LOOKUP_RANK),
        PLAIN: _all(org_id != "", name != "", country_.plain),
    }  # fmt: skip


# ----------------------------------------------------------------------------- batches


def plan_batches(sources: list[SourceFile], stored_grants: dict[str, str], stored_keys: set[str]) -> list[Batch]:
    """Group the files into batches and turn their rows into stored rows.

    A participation must name a project of its own batch or one already stored
    (`stored_keys`); `stored_grants` maps stored grant ids to project keys, so an official
    organisation file may come without its project file.
    """
    batches: dict[str, Batch] = {}
    grant_keys = dict(stored_grants)
    known = pl.Series("key", list(stored_keys), dtype=pl.String)
    stored: dict[str, pl.DataFrame] = {}
    for source in sorted(sources, key=lambda s: (KIND_ORDER[s.kind], s.name)):
        label = batch_label(source, grant_keys)
        batch = batches.setdefault(label, Batch(label=label, stored=stored))
        batch.files.append(source)
        READERS[source.kind](source, batch, grant_keys, known)
    result = sorted(batches.values(), key=lambda b: (b.label != "organisations", b.label))
    municipalities = regions.Municipalities.load()
    for batch in result:
        batch.projects = _last_of_each(batch.projects, ["key"])
        batch.participations = _last_of_each(batch.participations, ["project_key", "org_id"])
        listings = pl.concat(batch.listings) if batch.listings else pl.DataFrame(schema=LISTING_SCHEMA)
        batch.organisations = organisations(listings, municipalities)
        batch.listings.clear()
    return result


KIND_ORDER = {
    "organisations": 0,
    "official_projects": 1,
    "projects": 2,
    "official_organisations": 3,
    "participations": 4,
}


def batch_label(source: SourceFile, grant_keys: dict[str, str]) -> str:
    """organisations, or the framework programme(s) the file's rows belong to."""
    if source.kind == "organisations":
        return "organisations"
    if source.kind == "official_organisations":
        keys = {grant_keys.get(identifier(value), "") for value in _distinct(source, "projectID")}
        frameworks = {key.split(":", 1)[0] for key in keys if key}
    else:
        column = "frameworkProgramme" if source.kind == "official_projects" else "framework"
        frameworks = {text(value).upper() for value in _distinct(source, column)}
    frameworks &= set(FRAMEWORKS)
    return "+".join(sorted(frameworks)) or "other"


def _distinct(source: SourceFile, column: str) -> list[str | None]:
    """The distinct values of a column; [None] when the file lacks it."""
    if column not in source.table.column_names:
        return [None]
    return pl.Series(source.table.column(column)).unique().to_list()


def _frame(source: SourceFile, columns: dict[str, str]) -> pl.DataFrame:
    """The file's columns renamed ({ours: theirs}; a column the file lacks is all null) and ROW."""
    frame = pl.DataFrame(source.table)
    return frame.select(
        pl.int_range(2, pl.len() + 2, dtype=pl.Int64).alias(ROW),
        *(
            (pl.col(theirs) if theirs in frame.columns else pl.lit(None, pl.String)).alias(ours)
            for ours, theirs in columns.items()
        ),
    )


def _rows_and_rejections(
    source: SourceFile,
    frame: pl.DataFrame,
    columns: dict[str, pl.Expr],
    schema: pl.Schema,
    rule: Callable[[dict[str, Any]], tuple[object, ...]],
) -> tuple[pl.DataFrame, list[Rejection]]:
    """The rows as `schema` (with ROW), and the rejected rows: the columnar reading where it
    vouches for a row, the per-row `rule` for the others (a RowError rejects the row)."""
    built = frame.lazy().select(ROW, **columns).collect()  # lazy: shared sub-expressions run once
    plain = built.get_column(PLAIN)
    vouched = built.filter(plain).select(ROW, *(pl.col(name).cast(dtype) for name, dtype in schema.items()))
    rows, rejections = [], []
    for values in frame.filter(~plain).iter_rows(named=True):
        try:
            rows.append((values[ROW], *rule(values)))
        except RowError as error:
            rejections.append(Rejection(source.name, values[ROW], error.column, str(error)))
    if not rows:
        return vouched, rejections
    odd = pl.DataFrame(rows, schema={ROW: pl.Int64, **schema}, orient="row")
    return pl.concat([vouched, odd]).sort(ROW), rejections


def _first_of_each(
    source: SourceFile, frame: pl.DataFrame, keys: list[str], reason: Callable[[dict[str, Any]], str]
) -> tuple[pl.DataFrame, list[Rejection]]:
    """The rows whose keys appear for the first time; each later one is rejected, naming the first."""
    first = frame.with_columns(pl.col(ROW).first().over(keys).alias("_first"))
    repeated = first.filter(pl.col(ROW) != pl.col("_first"))
    rejections = [Rejection(source.name, row[ROW], "", reason(row)) for row in repeated.iter_rows(named=True)]
    return first.filter(pl.col(ROW) == pl.col("_first")).drop("_first"), rejections


def _last_of_each(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """One row per key, as a dict keyed on it would keep them: first place, last values."""
    if frame.select(pl.struct(keys).is_unique().all()).item():
        return frame
    return frame.group_by(keys, maintain_order=True).last().select(frame.columns)


def _with_programme_parts(projects: pl.DataFrame) -> pl.DataFrame:
    """A project without a programme part gets the one its legal basis belongs to."""
    legal_bases = projects.get_column("legal_basis").unique().to_list()
    parts = {legal_basis: programme_part(legal_basis) for legal_basis in legal_bases}
    by_legal_basis = pl.col("legal_basis").replace_strict(parts, default="", return_dtype=pl.String)
    return projects.with_columns(
        programme=pl.when(pl.col("programme") == "").then(by_legal_basis).otherwise(pl.col("programme"))
    )


def _read_projects(source: SourceFile, batch: Batch, grant_keys: dict[str, str], known: pl.Series) -> None:
    official = source.kind == "official_projects"
    names = (
        ("id", "acronym", "title", "startDate", "endDate", "totalCost", "ecMaxContribution", "legalBasis", "topics",
         "frameworkProgramme", "fundingScheme", "objective", "rcn")
        if official
        else ("project_key", "framework", "project_id", "rcn", "acronym", "title", "objective", "start_date",
              "end_date", "start_year", "call_year", "total_cost", "ec_max_contribution", "programme",
              "legal_basis", "funding_scheme", "topics", "topic_title", "euroscivoc", "brief_title", "brief_teaser")
    )  # fmt: skip
    frame = _frame(source, {name: name for name in names})
    columns = official_project_columns() if official else project_columns()
    rule = official_project_row if official else project_row
    checked, rejected = _rows_and_rejections(source, frame, columns, PROJECT_SCHEMA, rule)
    first, repeated = _first_of_each(source, _with_programme_parts(checked), ["key"], _repeated_project)
    batch.rejections.extend(sorted(rejected + repeated, key=lambda rejection: rejection.row))
    batch.projects = pl.concat([batch.projects, first.drop(ROW)])
    grants = first.filter(pl.col("grant_id") != "")
    grant_keys.update(zip(grants.get_column("grant_id").to_list(), grants.get_column("key").to_list(), strict=True))


def _repeated_project(row: dict[str, Any]) -> str:
    return _("the project %(key)s appears again (first in row %(row)s)") % {"key": row["key"], "row": row["_first"]}


def _read_participations(source: SourceFile, batch: Batch, grant_keys: dict[str, str], known: pl.Series) -> None:
    official = source.kind == "official_organisations"
    mapping = OFFICIAL_PARTICIPATION if official else FLAT_PARTICIPATION
    frame = _frame(source, mapping)
    if official:
        key = identifier_of("project").replace_strict(grant_keys, default="", return_dtype=pl.String)
    else:
        key = cleaned("project")
    projects = pl.concat([batch.projects.get_column("key"), known])
    frame = frame.with_columns(key.alias("_key")).with_columns(_known=pl.col("_key").is_in(projects.implode()))

    def rule(values: dict[str, Any]) -> tuple[object, ...]:
        return participation_or_rejection(values, mapping["project"])

    checked, rejected = _rows_and_rejections(source, frame, participation_columns(), LISTED_PARTICIPATION_SCHEMA, rule)
    first, repeated = _first_of_each(source, checked, ["project_key", "org_id"], _repeated_participation)
    batch.rejections.extend(sorted(rejected + repeated, key=lambda rejection: rejection.row))
    batch.participations = pl.concat([batch.participations, first.select(PARTICIPATION_COLUMNS)])
    listing = first.select(
        *(pl.col("name_as_listed" if name == "name" else name) for name in LISTING_SCHEMA if name != "rank"),
        rank=pl.lit(PARTICIPATION_RANK, pl.Int64),
    )
    batch.listings.append(listing.rename({"name_as_listed": "name"}))


def participation_or_rejection(values: dict[str, Any], project_column: str) -> tuple[object, ...]:
    """One odd participation row: an unknown project is rejected, the rest is participation_row()."""
    key = str(values["_key"] or "")
    if not key or not values["_known"]:
        raise RowError(project_column, _("unknown project “%(id)s”") % {"id": text(values["project"])})
    row, listing = participation_row(values, key)
    return (*row, listing.short_name, listing.postcode, listing.is_sme)


def _repeated_participation(row: dict[str, Any]) -> str:
    return _("%(org)s appears again in project %(key)s (first in row %(row)s)") % {
        "org": row["org_id"],
        "key": row["project_key"],
        "row": row["_first"],
    }


def _read_lookup(source: SourceFile, batch: Batch, grant_keys: dict[str, str], known: pl.Series) -> None:
    names = ("org_id", "name", "shortName", "city", "nutsCode", "country", "activityType", "SME")
    frame = _frame(source, {name: name for name in names})

    def rule(values: dict[str, Any]) -> tuple[object, ...]:
        return astuple(lookup_listing(values))

    checked, rejected = _rows_and_rejections(source, frame, lookup_columns(), LISTING_SCHEMA, rule)
    batch.rejections.extend(rejected)
    batch.listings.append(checked.drop(ROW))


FLAT_PARTICIPATION = {
    "project": "project_key", "org_id": "org_id", "name": "org_name", "short_name": "org_short_name",
    "country": "country", "city": "city", "nuts_code": "nuts_code", "activity_type": "activity_type", "sme": "sme",
    "role": "role", "order": "order", "ec_contribution": "ec_contribution", "postcode": "postcode",
}  # fmt: skip
OFFICIAL_PARTICIPATION = {
    "project": "projectID", "org_id": "organisationID", "name": "name", "short_name": "shortName",
    "country": "country", "city": "city", "nuts_code": "nutsCode", "activity_type": "activityType", "sme": "SME",
    "role": "role", "order": "order", "ec_contribution": "ecContribution", "postcode": "postCode",
}  # fmt: skip
READERS: dict[str, Callable[[SourceFile, Batch, dict[str, str], pl.Series], None]] = {
    "projects": _read_projects,
    "official_projects": _read_projects,
    "participations": _read_participations,
    "official_organisations": _read_participations,
    "organisations": _read_lookup,
}


# ----------------------------------------------------------------------------- organisations

SEQ, PREFERRED = "_seq", "_preferred"
FILLED = ("short_name", "city", "postcode", "country", "nuts_code", "activity_type")


def organisations(listings: pl.DataFrame, municipalities: regions.Municipalities) -> pl.DataFrame:
    """One organisation from all the rows that list it (LISTING_SCHEMA), in order of first listing:
    the rows of the highest rank (an organisation file's) first — their most frequent name (the
    first of equals), then any city, postcode and NUTS code given — and the side it is on."""
    ranked = listings.with_row_index(SEQ).with_columns(
        (pl.col("rank") == pl.col("rank").max().over("org_id")).alias(PREFERRED)
    )
    # Preferred rows first, each group in file order: "the first value given" is then first().
    ordered = ranked.sort([PREFERRED, SEQ], descending=[True, False])
    merged = ordered.group_by("org_id").agg(
        pl.col(SEQ).min(),
        pl.col("rank").max().alias("source_rank"),
        *(pl.col(name).filter(pl.col(name) != "").first().fill_null("") for name in FILLED),
        pl.col("is_sme").filter(pl.col(PREFERRED)).drop_nulls().first(),
    )
    merged = merged.join(_most_frequent_names(ranked), on="org_id").sort(SEQ)
    return _placed(merged, municipalities).select(
        pl.col(name).cast(dtype) for name, dtype in ORGANISATION_SCHEMA.items()
    )


def _most_frequent_names(ranked: pl.DataFrame) -> pl.DataFrame:
    """org_id → the name its preferred rows give most often; of equals, the first given."""
    counted = (
        ranked.filter(pl.col(PREFERRED))
        .group_by("org_id", "name")
        .agg(pl.len().alias("count"), pl.col(SEQ).min())
        .sort(["count", SEQ], descending=[True, False])
    )
    return counted.group_by("org_id").agg(pl.col("name").first())


def _placed(merged: pl.DataFrame, municipalities: regions.Municipalities) -> pl.DataFrame:
    """With side and side_basis (regions.place): outside Belgium the country decides; for Belgian
    organisations place() runs once per distinct NUTS code, postcode and city."""
    country_ = pl.col("country")
    placed = merged.with_columns(
        side=pl.when(country_ == "NL").then(pl.lit(regions.NL)).otherwise(pl.lit(regions.OTHER)),
        side_basis=pl.when(country_ == "").then(pl.lit("unknown")).otherwise(pl.lit("country")),
    )
    where = ["nuts_code", "postcode", "city"]
    belgian = placed.filter(country_ == "BE").select(where).unique()
    if belgian.is_empty():
        return placed
    found = [
        regions.place(country="BE", nuts_code=nuts_code, postcode=postcode, city=city, municipalities=municipalities)
        for nuts_code, postcode, city in belgian.iter_rows()
    ]
    sides = belgian.with_columns(
        side=pl.Series([placement.side for placement in found], dtype=pl.String),
        side_basis=pl.Series([placement.basis for placement in found], dtype=pl.String),
        country=pl.lit("BE"),
    )
    return placed.update(sides, on=["country", *where])
