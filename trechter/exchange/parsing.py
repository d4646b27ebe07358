"""What people type into spreadsheet cells, read as typed values: TRL ranges, euro amounts,
lists, yes/no, dates, planned starts, choices, and which column a header names. Pure Python,
no Django.

Each `parse_*` takes a cell as openpyxl or the csv module gives it (str, int, float, bool,
datetime, date or None) and returns the value, or raises ParseError naming the problem. A
blank cell reads as "no value" (None, "" or []), never as an error; whether a value is
required is the caller's rule. Messages are marked with `gettext_noop` (found by Django's
makemessages) and translated by the caller: `gettext(error.message) % error.params`.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from trechter.exchange.sheets import Column, Sheet, normalise_header

# A choice list: (value, labels) pairs, the labels in any languages (the caller passes the
# Dutch and English labels of trechter.vocabulary).
Choices = Sequence[tuple[str, Sequence[str]]]

# Far above any budget in the agenda: a larger figure is a typing mistake.
MAX_EUROS = 10**12


def gettext_noop(message: str) -> str:
    """Marks `message` for translation without translating it (this module is pure)."""
    return message


class ParseError(ValueError):
    """A cell that cannot be read; `message % params` says why, in English until translated."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def fold(text: str) -> str:
    """ "In preparation", "in_preparation", "IN-PREPARATION" → "in preparation"; accents
    dropped, dashes and underscores as spaces, for matching what people type."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s_\-–—]+", " ", text.casefold()).strip()


def _shown(value: object) -> str:
    """A cell's value as a message quotes it, cut short."""
    text = str(value).strip()
    return text if len(text) <= 60 else text[:57] + "…"


def _refuse_date(value: object, example: str) -> None:
    if isinstance(value, datetime.date | datetime.time):
        raise ParseError(
            gettext_noop(
                "the spreadsheet turned this cell into a date (%(value)s); format the cell as text "
                "and type it again, e.g. %(example)s"
            ),
            value=_shown(value),
            example=example,
        )


def _whole_number(value: int | float) -> int:
    """A numeric cell as a whole number: 4 and 4.0 read, 4.5, NaN and infinity do not."""
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        raise ParseError(gettext_noop("%(value)s is not a whole number"), value=_shown(value))
    return int(value)


# --- text and numbers ------------------------------------------------------------------


def parse_text(value: object, *, max_length: int | None = None) -> str:
    """A text cell: outer whitespace dropped, line breaks as LF; numbers as typed ("2030")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime.datetime):
        text = value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if max_length is not None and len(text) > max_length:
        raise ParseError(
            gettext_noop("too long: %(length)s characters, at most %(max)s"), length=len(text), max=max_length
        )
    return text


def parse_int(value: object, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """A whole number, from a numeric cell or text like "36"; None when blank."""
    if is_blank(value):
        return None
    _refuse_date(value, "36")
    if isinstance(value, bool):
        raise ParseError(gettext_noop("“%(value)s” is not a whole number"), value=_shown(value))
    if isinstance(value, int | float):
        number = _whole_number(value)
    else:
        text = str(value).strip()
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ParseError(gettext_noop("“%(value)s” is not a whole number"), value=_shown(value))
        number = int(text)
    if minimum is not None and number < minimum:
        raise ParseError(gettext_noop("%(value)s is below the minimum of %(min)s"), value=number, min=minimum)
    if maximum is not None and number > maximum:
        raise ParseError(gettext_noop("%(value)s is above the maximum of %(max)s"), value=number, max=maximum)
    return number


# --- TRL ---------------------------------------------------------------------------------

_TRL_WORD = re.compile(r"trl'?s?\s*[:.]?", re.IGNORECASE)
_TRL_RANGE = re.compile(r"(\d+)\s*(?:-|–|—|/|à|a|tot|t/m|tm|to|till|until)\s*(\d+)")


def parse_trl(value: object) -> tuple[int, int] | None:
    """A TRL range: "4-6", "4 – 6", "4 à 6", "4 tot 6", "4 to 6", "4/6", "TRL 4-6", "trl4",
    "4" or the number 4 → (from, to); None when blank. Levels run 1–9, the lower first."""
    if is_blank(value):
        return None
    _refuse_date(value, "4-6")
    if isinstance(value, bool):
        raise ParseError(gettext_noop("“%(value)s” is not a TRL; write e.g. 4-6 or 4"), value=_shown(value))
    if isinstance(value, int | float):
        low = high = _whole_number(value)
    else:
        text = _TRL_WORD.sub(" ", str(value).casefold()).strip().rstrip(".").strip()
        if re.fullmatch(r"\d+", text):
            low = high = int(text)
        elif match := _TRL_RANGE.fullmatch(text):
            low, high = int(match[1]), int(match[2])
        else:
            raise ParseError(gettext_noop("“%(value)s” is not a TRL; write e.g. 4-6 or 4"), value=_shown(value))
    for level in (low, high):
        if not 1 <= level <= 9:
            raise ParseError(gettext_noop("TRL %(level)s does not exist; levels run from 1 to 9"), level=level)
    if low > high:
        raise ParseError(
            gettext_noop("the TRL range %(value)s runs backwards; write the lower level first: %(low)s-%(high)s"),
            value=_shown(value),
            low=high,
            high=low,
        )
    return low, high


# --- euros -------------------------------------------------------------------------------

_MULTIPLIERS = {
    "k": 1_000,
    "duizend": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mln": 1_000_000,
    "mio": 1_000_000,
    "mn": 1_000_000,
    "miljoen": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "mld": 1_000_000_000,
    "miljard": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
# Words that say nothing about the amount ("circa 3 miljoen euro").
_NOISE = {"€", "eur", "euro", "euros", "ca", "circa", "±", "~", "about", "approximately", "approx", "ongeveer", "."}
_SEPARATORS = {"-", "–", "—", "à", "a", "tot", "t/m", "tm", "to", "till", "until"}
_EUROS_TOKEN = re.compile(r"\d[\d.,]*|t/m|[^\W\d_]+|\S")
# "200 000" (a space, no-break space or thin space between groups of three digits).
_SPACED_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))")


def _amount(text: str, *, multiplier: int, shown: str) -> Decimal:
    """One number as written, with Dutch or English separators: "200.000" and "200,000"
    (thousands), "1,5" and "1.5" (decimals), "1.234.567,89", "1,234,567.89". A single
    separator before exactly three digits is a thousands separator, except before a
    million or billion ("1.500 miljoen" is one and a half million)."""
    text = text.rstrip(".,")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        whole, _sep, fraction = text.rpartition(decimal)
        groups = whole.split(thousands)
        digits = "".join(groups) + "." + fraction
    elif dots or commas:
        separator = "." if dots else ","
        groups = text.split(separator)
        if len(groups) == 2 and (len(groups[1]) != 3 or multiplier >= 1_000_000):
            return _decimal(groups[0] + "." + groups[1], shown)
        digits = "".join(groups)
    else:
        groups, digits = [text], text
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        raise ParseError(gettext_noop("“%(value)s” is not an amount I can read"), value=shown)
    return _decimal(digits, shown)


def _decimal(text: str, shown: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ParseError(gettext_noop("“%(value)s” is not an amount I can read"), value=shown) from None


def _whole_euros(amount: Decimal, shown: str) -> int:
    euros = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if euros > MAX_EUROS:
        raise ParseError(gettext_noop("%(value)s is far too large an amount"), value=shown)
    return euros


def parse_euros(value: object) -> tuple[int, int] | None:
    """An amount or range in euros → (low, high), equal for one figure; None when blank.

    Reads "3 à 4 miljoen euro", "M€ 10", "€10M", "10 mln", "k€ 500", "€ 200.000",
    "€ 200,000", "1,5 miljoen", "1.5 million", "300k - 1M", and numeric cells. A multiplier
    written on one side of a range counts for both ("3 à 4 miljoen"). Negative amounts and
    words other than euro, multipliers and "circa" are refused."""
    if is_blank(value):
        return None
    _refuse_date(value, "€ 200.000")
    shown = _shown(value)
    if isinstance(value, bool):
        raise ParseError(gettext_noop("“%(value)s” is not an amount I can read"), value=shown)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ParseError(gettext_noop("“%(value)s” is not an amount I can read"), value=shown)
        if value < 0:
            raise ParseError(gettext_noop("an amount cannot be negative (%(value)s)"), value=shown)
        euros = _whole_euros(Decimal(str(value)), shown)
        return euros, euros
    text = _SPACED_THOUSANDS.sub("", str(value).casefold().strip())
    tokens = [t for t in _EUROS_TOKEN.findall(text) if t not in _NOISE]
    if tokens and tokens[0] in ("-", "–", "—", "min", "minus"):
        raise ParseError(gettext_noop("an amount cannot be negative (%(value)s)"), value=shown)
    sides: list[tuple[str, int | None]] = []  # (number as written, its multiplier if given)
    index = 0
    while index < len(tokens):
        if sides:
            if tokens[index] not in _SEPARATORS or len(sides) == 2:
                raise ParseError(gettext_noop("“%(value)s” is not an amount I can read"), value=shown)
            index += 1
        before = _MULTIPLIERS.get(tokens[index]) if index < len(tokens) else None
        index += before is not None
        if index >= len(tokens) or not tokens[index][0].isdigit():
            raise ParseError(gettext_noop("“%(value)s” is not an amount I can read"), value=shown)
        number = tokens[index]
        index += 1
        after = _MULTIPLIERS.get(tokens[index]) if index < len(tokens) else None
        index += after is not None
        if before and after:
            raise ParseError(gettext_noop("“%(value)s” is not an amount I can read"), value=shown)
        sides.append((number, before or after))
    if not sides:
        raise ParseError(gettext_noop("“%(value)s” is not an amount I can read"), value=shown)
    given = [m for _number, m in sides if m]
    shared = given[0] if len(given) == 1 else 1
    amounts = []
    for number, multiplier in sides:
        scale = multiplier or shared
        amounts.append(_whole_euros(_amount(number, multiplier=scale, shown=shown) * scale, shown))
    low, high = amounts[0], amounts[-1]
    if low > high:
        raise ParseError(gettext_noop("the range %(value)s runs backwards; write the lower amount first"), value=shown)
    return low, high


# --- lists, choices, yes/no, dates --------------------------------------------------------


def parse_list(value: object) -> list[str]:
    """ "a, b; c" (or one per line) → ["a", "b", "c"]: blanks and repeats dropped, order kept."""
    if is_blank(value):
        return []
    items = (item.strip() for item in re.split(r"[,;\n]", parse_text(value)))
    return list(dict.fromkeys(item for item in items if item))


def parse_choice(value: object, choices: Choices) -> str | None:
    """One value of `choices`, typed as its value or one of its labels in any case, with
    spaces, dashes or underscores alike: "Voorgesteld", "proposed", "In preparation"."""
    if is_blank(value):
        return None
    _refuse_date(value, choices[0][0] if choices else "")
    wanted = fold(parse_text(value))
    for choice, labels in choices:
        if wanted == fold(choice) or any(wanted == fold(str(label)) for label in labels):
            return choice
    raise ParseError(
        gettext_noop("“%(value)s” is not one of: %(choices)s"),
        value=_shown(value),
        choices=", ".join(choice for choice, _labels in choices),
    )


def parse_choices(value: object, choices: Choices) -> list[str]:
    """A list of `choices` values (see parse_list and parse_choice); every bad item named."""
    found, bad = [], []
    for item in parse_list(value):
        try:
            found.append(parse_choice(item, choices))
        except ParseError:
            bad.append(item)
    if bad:
        raise ParseError(
            gettext_noop("not known: %(items)s; use: %(choices)s"),
            items=", ".join(f"“{_shown(item)}”" for item in bad),
            choices=", ".join(choice for choice, _labels in choices),
        )
    return list(dict.fromkeys(f for f in found if f))


_TRUE = {"yes", "y", "ja", "j", "true", "waar", "1", "x"}
_FALSE = {"no", "n", "nee", "false", "onwaar", "0"}


def parse_bool(value: object) -> bool | None:
    """yes/no, ja/nee, true/false, 1/0 (and spreadsheet booleans); None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = fold(str(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ParseError(gettext_noop("“%(value)s” is not yes or no"), value=_shown(value))


def parse_date(value: object) -> datetime.date | None:
    """A date cell or an ISO date "2016-11-24"; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    raise ParseError(gettext_noop("“%(value)s” is not a date; write YYYY-MM-DD"), value=_shown(value))


_PLANNED_START = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")


def parse_planned_start(value: object) -> str:
    """A planned start as stored: "2017", "2017-03" or "2017-03-01" (also from "2017-3",
    the number 2017 or a date cell); "" when blank."""
    if is_blank(value):
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        moment = value.date() if isinstance(value, datetime.datetime) else value
        return moment.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(_whole_number(value))
    text = str(value).strip()
    match = _PLANNED_START.fullmatch(text)
    problem = gettext_noop("“%(value)s” is not a planned start; write YYYY, YYYY-MM or YYYY-MM-DD")
    if not match or not 1900 <= int(match[1]) <= 2200:
        raise ParseError(problem, value=_shown(value))
    year, month, day = match[1], match[2], match[3]
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        raise ParseError(problem, value=_shown(value))
    if day is None:
        return f"{year}-{int(month):02d}"
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise ParseError(problem, value=_shown(value)) from None


# --- headers and sheets -------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderMatch:
    """Which column of a sheet each header of a file names (by position, 0-based)."""

    columns: dict[str, int]
    renamed: tuple[tuple[int, str, str], ...] = ()  # (position, header, column) read through an alias
    unknown: tuple[tuple[int, str], ...] = ()  # (position, header) that name no column
    twice: tuple[tuple[int, str, str], ...] = ()  # (position, header, column) already named by another header
    missing: tuple[str, ...] = ()  # required columns no header names


def match_headers(headers: Sequence[object], sheet: Sheet, *, extra: Iterable[Column] = ()) -> HeaderMatch:
    """Map a file's headers to `sheet`'s columns (and `extra` ones the importer reads too):
    first by column name, then by alias, both compared after `normalise_header`. Empty
    headers (trailing columns) are ignored."""
    columns = [*sheet.columns, *extra]
    by_name = {normalise_header(c.name): c.name for c in columns}
    by_alias: dict[str, str] = {}
    for c in columns:
        for alias in c.aliases:
            by_alias.setdefault(normalise_header(alias), c.name)
    found: dict[str, int] = {}
    renamed, unknown, twice = [], [], []
    texts = [(i, str(h).strip()) for i, h in enumerate(headers) if not is_blank(h)]
    pending = []
    for position, text in texts:  # names first, so an alias never takes a column named exactly
        name = by_name.get(normalise_header(text))
        if name is None:
            pending.append((position, text))
        elif name in found:
            twice.append((position, text, name))
        else:
            found[name] = position
    for position, text in pending:
        name = by_alias.get(normalise_header(text))
        if name is None:
            unknown.append((position, text))
        elif name in found:
            twice.append((position, text, name))
        else:
            found[name] = position
            renamed.append((position, text, name))
    missing = tuple(c.name for c in columns if c.required and c.name not in found)
    return HeaderMatch(found, tuple(renamed), tuple(unknown), tuple(sorted(twice)), missing)


def sheet_named(title: str, sheets: Iterable[Sheet]) -> Sheet | None:
    """The sheet a workbook tab or file name ("proposals", "Proposals.csv", "energy-proposals")
    names: an exact name first, then one name contained in it (the longest)."""
    text = normalise_header(re.sub(r"\.(csv|xlsx|json)$", "", title, flags=re.IGNORECASE))
    candidates = list(sheets)
    for sheet in candidates:
        if text == normalise_header(sheet.name):
            return sheet
    words = f" {text} "
    inside = [s for s in candidates if f" {normalise_header(s.name)} " in words]
    return max(inside, key=lambda s: len(s.name)) if inside else None


def sheet_of_headers(headers: Sequence[object], sheets: Iterable[Sheet]) -> Sheet | None:
    """The sheet whose columns `headers` match best, among those whose required columns are
    all there; None when none fits or two fit equally well."""
    scored = []
    for sheet in sheets:
        match = match_headers(headers, sheet)
        if not match.missing:
            scored.append((len(match.columns) - len(match.unknown), sheet))
    scored.sort(key=lambda pair: -pair[0])
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


@dataclass
class Problem:
    """One thing wrong (or worth knowing) about an import, where it is in the file."""

    message: str
    sheet: str = ""
    row: int | None = None  # as the spreadsheet shows it (the header is row 1)
    column: str = ""  # the column letter, e.g. "C"
    header: str = ""  # the column's header in the file
    path: str = ""  # in a JSON file: "proposals[3].trl.trl_from"
    suggestions: list[str] = field(default_factory=list)


def column_letter(position: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA": the letter a spreadsheet shows for a column."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
