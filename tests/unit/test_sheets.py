"""The sheet spec shared by exports and imports is consistent with itself and the seed schema."""

import pytest

from trechter import vocabulary
from trechter.exchange import sheets
from trechter.exchange.sheets import Kind


def test_sheet_names_and_headers_are_unique_and_keys_are_columns() -> None:
    assert len(sheets.BY_NAME) == len(sheets.SHEETS)
    for sheet in sheets.SHEETS:
        assert len(set(sheet.headers)) == len(sheet.headers), sheet.name
        assert set(sheet.key) <= set(sheet.headers), sheet.name


def test_references_name_existing_sheets_and_template_sheets_are_sheets() -> None:
    for sheet in sheets.SHEETS:
        for column in sheet.columns:
            assert not column.refers_to or column.refers_to in sheets.BY_NAME, (sheet.name, column.name)
    assert set(sheets.TEMPLATE_SHEETS) <= set(sheets.SHEETS)
    assert all(s.importable for s in sheets.TEMPLATE_SHEETS)
    assert {sheets.README_SHEET, sheets.LISTS_SHEET, sheets.META_SHEET}.isdisjoint(sheets.BY_NAME)


def test_every_choice_column_has_its_values() -> None:
    missing = [(s.name, c.name) for s in sheets.SHEETS for c in s.columns if c.kind == Kind.CHOICE and not c.choices]
    assert missing == []


@pytest.mark.parametrize(
    ("sheet", "column", "choices"),
    [
        ("proposals", "kind", vocabulary.PROPOSAL_KINDS),
        ("proposals", "status", vocabulary.PROPOSAL_STATUSES),
        ("proposals", "trl_basis", vocabulary.TRL_BASES),
        ("proposals", "value_chain", vocabulary.VALUE_CHAIN_STAGES),
        ("parties", "role", vocabulary.PARTY_ROLES),
        ("organisations", "side", vocabulary.SIDES),
        ("organisations", "type", vocabulary.ORGANISATION_TYPES),
        ("funnel_answers", "band", vocabulary.BANDS),
        ("instruments", "level", vocabulary.INSTRUMENT_LEVELS),
        ("proposal_instruments", "state", vocabulary.INSTRUMENT_STATES),
        ("groups", "kind", vocabulary.GROUP_KINDS),
        ("theme_leads", "side", vocabulary.ACTIVITY_SIDES),
        ("theme_leads", "role", vocabulary.LEAD_ROLES),
        ("activities", "side", vocabulary.ACTIVITY_SIDES),
    ],
)
def test_choices_are_the_vocabulary(sheet: str, column: str, choices: list) -> None:
    assert sheets.BY_NAME[sheet].column(column).choices == tuple(value for value, _ in choices)


def test_normalise_header() -> None:
    assert sheets.normalise_header("Titel (NL)") == "titel nl"
    assert sheets.normalise_header(" TITLE-NL ") == "title nl"
    assert sheets.normalise_header("Thema's") == "thema s"


@pytest.mark.parametrize("module", ["trechter.exchange.sheets", "trechter.exchange.cells"])
def test_module_imports_without_django(module: str) -> None:
    import subprocess
    import sys

    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
