"""Cells as people type them: TRL ranges, euros, lists, yes/no, dates, planned starts,
choices and headers — read right, or refused with a message naming the problem."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trechter.exchange import sheets
from trechter.exchange.parsing import (
    ParseError,
    column_letter,
    fold,
    match_headers,
    parse_bool,
    parse_choice,
    parse_choices,
    parse_date,
    parse_euros,
    parse_int,
    parse_list,
    parse_planned_start,
    parse_text,
    parse_trl,
    sheet_named,
    sheet_of_headers,
)

STATUSES = [("proposed", ("Voorgesteld", "Proposed")), ("in_preparation", ("In voorbereiding", "In preparation"))]


def test_parsing_imports_without_django() -> None:
    code = "import sys, trechter.exchange.parsing; print(sorted(m for m in sys.modules if m.startswith('django')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- TRL


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("4-6", (4, 6)),
        ("4 - 6", (4, 6)),
        ("4–6", (4, 6)),
        ("4—6", (4, 6)),
        ("4 à 6", (4, 6)),
        ("4 a 6", (4, 6)),
        ("4 tot 6", (4, 6)),
        ("4 t/m 6", (4, 6)),
        ("4 to 6", (4, 6)),
        ("TRL 4-6", (4, 6)),
        ("TRL 4 - TRL 6", (4, 6)),
        ("trl4", (4, 4)),
        ("TRL: 7", (7, 7)),
        ("4", (4, 4)),
        (" 9 ", (9, 9)),
        (4, (4, 4)),
        (4.0, (4, 4)),
        ("4/5", (4, 5)),
        ("1-9", (1, 9)),
    ],
)
def test_trl_read(cell: object, expected: tuple[int, int]) -> None:
    assert parse_trl(cell) == expected


@pytest.mark.parametrize("cell", [None, "", "   "])
def test_trl_blank_is_none(cell: object) -> None:
    assert parse_trl(cell) is None


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("0", "TRL 0 does not exist; levels run from 1 to 9"),
        ("10", "TRL 10 does not exist; levels run from 1 to 9"),
        (10, "TRL 10 does not exist; levels run from 1 to 9"),
        ("3-10", "TRL 10 does not exist; levels run from 1 to 9"),
        ("6-4", "the TRL range 6-4 runs backwards; write the lower level first: 4-6"),
        ("hoog", "“hoog” is not a TRL; write e.g. 4-6 or 4"),
        ("4-", "“4-” is not a TRL; write e.g. 4-6 or 4"),
        (4.5, "4.5 is not a whole number"),
        (True, "“True” is not a TRL; write e.g. 4-6 or 4"),
    ],
)
def test_trl_refused_with_the_problem_named(cell: object, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_trl(cell)
    assert str(caught.value) == message


def test_trl_turned_into_a_date_by_the_spreadsheet_is_refused() -> None:
    with pytest.raises(ParseError, match="turned this cell into a date"):
        parse_trl(datetime.datetime(2026, 6, 4))


@given(st.integers(1, 9), st.integers(1, 9), st.sampled_from(["-", " - ", "–", " à ", " tot ", " to ", "/"]))
def test_trl_any_ordered_pair_in_any_form(low: int, high: int, separator: str) -> None:
    text = f"TRL {low}{separator}{high}"
    if low <= high:
        assert parse_trl(text) == (low, high)
    else:
        with pytest.raises(ParseError, match="runs backwards"):
            parse_trl(text)


@given(st.text(max_size=20))
def test_trl_any_text_reads_or_is_refused_never_crashes(text: str) -> None:
    try:
        result = parse_trl(text)
    except ParseError:
        return
    assert result is None or (1 <= result[0] <= result[1] <= 9)


# --- euros


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("3 à 4 miljoen euro", (3_000_000, 4_000_000)),
        ("3-4 mln", (3_000_000, 4_000_000)),
        ("M€ 10", (10_000_000, 10_000_000)),
        ("€10M", (10_000_000, 10_000_000)),
        ("10 mln", (10_000_000, 10_000_000)),
        ("10 miljoen", (10_000_000, 10_000_000)),
        ("EUR 10 million", (10_000_000, 10_000_000)),
        ("€ 200.000", (200_000, 200_000)),
        ("€ 200,000", (200_000, 200_000)),
        ("€ 200 000", (200_000, 200_000)),
        ("200.000 euro", (200_000, 200_000)),
        ("1,5 miljoen", (1_500_000, 1_500_000)),
        ("1.5 million", (1_500_000, 1_500_000)),
        ("1.500 miljoen", (1_500_000, 1_500_000)),  # a decimal point before a million
        ("k€ 500", (500_000, 500_000)),
        ("500k", (500_000, 500_000)),
        ("300k - 1M", (300_000, 1_000_000)),
        ("ca. € 2,5 mln", (2_500_000, 2_500_000)),
        ("1.234.567,89", (1_234_568, 1_234_568)),
        ("1,234,567.89", (1_234_568, 1_234_568)),
        ("2 mld", (2_000_000_000, 2_000_000_000)),
        ("0", (0, 0)),
        (200000, (200_000, 200_000)),
        (1500000.0, (1_500_000, 1_500_000)),
        (1234.5, (1_235, 1_235)),
    ],
)
def test_euros_read(cell: object, expected: tuple[int, int]) -> None:
    assert parse_euros(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("-5", "an amount cannot be negative (-5)"),
        ("- 3 miljoen", "an amount cannot be negative (- 3 miljoen)"),
        (-200, "an amount cannot be negative (-200)"),
        ("veel geld", "“veel geld” is not an amount I can read"),
        ("€", "“€” is not an amount I can read"),
        ("3 miljoen per week", "“3 miljoen per week” is not an amount I can read"),
        ("1.23.4", "“1.23.4” is not an amount I can read"),
        ("4 à 3 miljoen", "the range 4 à 3 miljoen runs backwards; write the lower amount first"),
        ("1-2-3", "“1-2-3” is not an amount I can read"),
        (float("nan"), "“nan” is not an amount I can read"),
        ("10000000 mld", "10000000 mld is far too large an amount"),
    ],
)
def test_euros_refused_with_the_problem_named(cell: object, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_euros(cell)
    assert str(caught.value) == message


@given(st.integers(0, 10**11))
def test_euros_whole_numbers_in_every_form(amount: int) -> None:
    dutch = f"{amount:,}".replace(",", ".")
    english = f"{amount:,}"
    assert parse_euros(amount) == (amount, amount)
    assert parse_euros(str(amount)) == (amount, amount)
    assert parse_euros(f"€ {dutch}") == (amount, amount)
    assert parse_euros(f"{english} euro") == (amount, amount)


@given(st.integers(0, 999), st.integers(0, 999), st.sampled_from([("miljoen", 10**6), ("k", 10**3), ("mln", 10**6)]))
def test_euros_a_multiplier_on_one_side_counts_for_both(low: int, high: int, word: tuple[str, int]) -> None:
    text = f"{low} à {high} {word[0]}"
    if low <= high:
        assert parse_euros(text) == (low * word[1], high * word[1])
    else:
        with pytest.raises(ParseError):
            parse_euros(text)


@given(st.text(max_size=30))
def test_euros_any_text_reads_or_is_refused_never_crashes(text: str) -> None:
    try:
        result = parse_euros(text)
    except ParseError:
        return
    assert result is None or 0 <= result[0] <= result[1]


# --- lists, choices, yes/no, dates, planned starts, numbers, texts


def test_list_splits_on_commas_semicolons_and_lines() -> None:
    assert parse_list("a, b; c\nd,, a") == ["a", "b", "c", "d"]
    assert parse_list(None) == []
    assert parse_list("  ") == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("proposed", "proposed"),
        ("Voorgesteld", "proposed"),
        ("VOORGESTELD", "proposed"),
        ("Proposed", "proposed"),
        ("in preparation", "in_preparation"),
        ("In-voorbereiding", "in_preparation"),
        ("in_preparation", "in_preparation"),
        (None, None),
    ],
)
def test_choice_by_value_or_label_in_either_language(cell: object, expected: str | None) -> None:
    assert parse_choice(cell, STATUSES) == expected


def test_choice_unknown_names_the_allowed_values() -> None:
    with pytest.raises(ParseError) as caught:
        parse_choice("klaar", STATUSES)
    assert str(caught.value) == "“klaar” is not one of: proposed, in_preparation"


def test_choices_name_every_bad_item() -> None:
    assert parse_choices("Proposed; in voorbereiding, proposed", STATUSES) == ["proposed", "in_preparation"]
    with pytest.raises(ParseError) as caught:
        parse_choices("proposed, klaar, bezig", STATUSES)
    assert str(caught.value) == "not known: “klaar”, “bezig”; use: proposed, in_preparation"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        *[("yes", True), ("Ja", True), ("TRUE", True), ("1", True), (1, True), (True, True), ("x", True)],
        *[("no", False), ("nee", False), ("false", False), ("0", False), (0, False), (False, False), ("", None)],
    ],
)
def test_bool(cell: object, expected: bool | None) -> None:
    assert parse_bool(cell) is expected


def test_bool_refuses_other_words() -> None:
    with pytest.raises(ParseError, match="is not yes or no"):
        parse_bool("misschien")


def test_date_iso_or_cell() -> None:
    assert parse_date("2016-11-24") == datetime.date(2016, 11, 24)
    assert parse_date(datetime.datetime(2016, 11, 24, 0, 0)) == datetime.date(2016, 11, 24)
    for bad in ("24-11-2016", "2016-02-30", "morgen"):
        with pytest.raises(ParseError, match="write YYYY-MM-DD"):
            parse_date(bad)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2017", "2017"),
        (2017, "2017"),
        (2017.0, "2017"),
        ("2017-03", "2017-03"),
        ("2017-3", "2017-03"),
        ("2017/03", "2017-03"),
        ("2017-03-01", "2017-03-01"),
        (datetime.datetime(2017, 3, 1), "2017-03-01"),
        ("", ""),
        (None, ""),
    ],
)
def test_planned_start(cell: object, expected: str) -> None:
    assert parse_planned_start(cell) == expected


@pytest.mark.parametrize("cell", ["2017-13", "2017-02-30", "17", "maart 2017", "1800"])
def test_planned_start_refused(cell: object) -> None:
    with pytest.raises(ParseError, match="write YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_planned_start(cell)


def test_int_bounds_and_forms() -> None:
    assert parse_int("36") == 36
    assert parse_int(36.0) == 36
    assert parse_int("") is None
    with pytest.raises(ParseError, match="below the minimum of 1"):
        parse_int("0", minimum=1)
    with pytest.raises(ParseError, match="above the maximum of 240"):
        parse_int(300, maximum=240)
    with pytest.raises(ParseError, match="is not a whole number"):
        parse_int("3 jaar")


def test_text_strips_and_unifies_line_ends_and_bounds_length() -> None:
    assert parse_text("  een\r\ntwee\rdrie  ") == "een\ntwee\ndrie"
    assert parse_text(2030.0) == "2030"
    assert parse_text(None) == ""
    with pytest.raises(ParseError, match="too long: 6 characters, at most 5"):
        parse_text("abcdef", max_length=5)


def test_fold_matches_what_people_type() -> None:
    assert fold("In_Preparation") == fold("in-preparation") == fold(" in  preparation ") == "in preparation"
    assert fold("Énergie") == "energie"


# --- headers and sheets


def test_headers_by_name_then_alias_with_unknown_and_missing_reported() -> None:
    match = match_headers(["Key", "Thema", "Titel (NL)", "Status", "Kleur", None, ""], sheets.PROPOSALS)
    assert match.columns == {"key": 0, "theme": 1, "title_nl": 2, "status": 3}
    assert match.renamed == ((1, "Thema", "theme"), (2, "Titel (NL)", "title_nl"))
    assert match.unknown == ((4, "Kleur"),)
    assert match.missing == ("kind",)


def test_a_name_beats_an_alias_and_a_second_header_for_a_column_is_reported() -> None:
    # "title" is an alias of title_en; "title_nl" names title_nl; "titel" (alias) names it again.
    match = match_headers(["title", "title_nl", "titel"], sheets.PROPOSALS)
    assert match.columns["title_nl"] == 1
    assert match.columns["title_en"] == 0
    assert match.twice == ((2, "titel", "title_nl"),)


def test_sheet_from_a_file_name_or_headers() -> None:
    assert sheet_named("proposals.csv", sheets.SHEETS) is sheets.PROPOSALS
    assert sheet_named("Energy funnel_answers.CSV", sheets.SHEETS) is sheets.FUNNEL_ANSWERS
    assert sheet_named("export.csv", sheets.SHEETS) is None
    assert sheet_of_headers(["proposal", "organisation", "role"], sheets.SHEETS) is sheets.PARTIES
    assert sheet_of_headers(["whatever"], sheets.SHEETS) is None


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
