"""Export → import → export: an unchanged export or template imports as nothing; an edited
cell becomes exactly one draft; once published, the next export equals the first with only
that change (JSON equal, XLSX cell-equal apart from the edited cells)."""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tests.factories import make_user
from trechter.agenda.models import Party, Proposal, Theme
from trechter.exchange import export, importer, reading, sheets
from trechter.exchange.importer import ImportPlan
from trechter.versions import actions
from trechter.versions.models import Draft, ThemeDraft, Version
from trechter.versions.snapshot import draft_values

pytestmark = pytest.mark.django_db

KEY = "energy-pv-cooperation"
NEW_TITLE = "Kennisdeling zonnestroom NL–VL"


@pytest.fixture(autouse=True)
def english() -> Any:
    """The messages below are read in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


# --- helpers shared by the import tests ------------------------------------------------


def fingerprint() -> str:
    """Counts and contents of everything an import could write."""
    parts = [
        Draft.objects.count(),
        ThemeDraft.objects.count(),
        Proposal.objects.count(),
        Party.objects.count(),
        Version.objects.count(),
        sorted(Draft.objects.values_list("proposal_key", "data")),
        sorted(ThemeDraft.objects.values_list("theme_id", "data")),
        sorted(Proposal.objects.values_list("key", "title_nl", "trl_from", "trl_to", "budget_total_min_eur")),
        sorted(Party.objects.values_list("proposal_id", "organisation_id", "role")),
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def plan(name: str, data: bytes, user: Any, theme: Theme | None = None) -> ImportPlan:
    return importer.plan_import(reading.read_upload(name, data), user=user, theme=theme)


def edit_workbook(data: bytes, sheet: str, key_column: str, key: str, values: dict[str, Any]) -> bytes:
    """The workbook with `values` (column name → new cell value) typed into the row of `key`."""
    book = load_workbook(io.BytesIO(data))
    tab = book[sheet]
    headers = [cell.value for cell in tab[1]]
    for row in tab.iter_rows(min_row=2):
        if row[headers.index(key_column)].value == key:
            for column, value in values.items():
                row[headers.index(column)].value = value
            break
    else:
        raise AssertionError(f"no row {key} in {sheet}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def csv_bytes(rows: list[list[str]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def cells(data: bytes) -> dict[tuple[str, int, int], Any]:
    """Every non-empty cell of the entity sheets (not README, lists, meta)."""
    book = load_workbook(io.BytesIO(data))
    found = {}
    for tab in book.worksheets:
        if tab.title in (sheets.README_SHEET, sheets.LISTS_SHEET, sheets.META_SHEET):
            continue
        for row in tab.iter_rows():
            for cell in row:
                if cell.value is not None:
                    found[(tab.title, cell.row, cell.column)] = cell.value
    return found


def publish(by: Any) -> None:
    version = Version.objects.open().get()
    actions.submit_version(version=version, by=by)
    actions.publish_version(version=version, by=by)


@pytest.fixture
def lead() -> Any:
    return make_user("lea", "theme_lead", "energy")


@pytest.fixture
def core() -> Any:
    return make_user("cora", "core_group")


# --- round trips ---------------------------------------------------------------------------


def test_unchanged_theme_template_imports_as_nothing(lead: Any) -> None:
    energy = Theme.objects.get(key="energy")
    before = fingerprint()
    result = plan("template.xlsx", export.workbook_bytes(theme=energy), lead, energy)
    assert (result.errors, result.notices, result.proposals, result.themes) == ([], [], [], [])
    assert importer.apply_import(result, user=lead) == importer.ApplyResult(0, 0)
    assert fingerprint() == before


def test_unchanged_full_workbook_json_and_csv_import_as_nothing(core: Any) -> None:
    before = fingerprint()
    files = [
        ("agenda.xlsx", export.workbook_bytes()),
        ("agenda.json", export.document_bytes(export.agenda_document())),
        *((f"{s.name}.csv", export.csv_bytes(s)) for s in sheets.TEMPLATE_SHEETS),
    ]
    for name, data in files:
        result = plan(name, data, core)
        assert (name, result.errors, result.notices, result.proposals, result.themes) == (name, [], [], [], [])
    assert fingerprint() == before


def test_edited_template_makes_one_draft_and_publishing_it_changes_only_those_cells(lead: Any, core: Any) -> None:
    energy = Theme.objects.get(key="energy")
    template = export.workbook_bytes(theme=energy)
    document = export.agenda_document()
    edited = edit_workbook(template, "proposals", "key", KEY, {"title_nl": NEW_TITLE, "trl": "2 à 5"})

    result = plan("template.xlsx", edited, lead, energy)
    assert result.errors == []
    [change] = result.proposals
    assert (change.key, change.operation, change.changed_fields) == (KEY, "change", ["title_nl", "trl_from", "trl_to"])
    assert (change.after["trl_from"], change.after["trl_to"]) == (2, 5)
    assert result.summary.proposals_changed == 1 and result.summary.total == 1
    applied = importer.apply_import(importer.ImportPlan.from_json(result.to_json()), user=lead)
    assert applied == importer.ApplyResult(1, 0)
    draft = Draft.objects.get(proposal_key=KEY)
    assert (draft.operation, draft.data["title_nl"], draft.data["trl_from"], draft.data["trl_to"]) == (
        "change",
        NEW_TITLE,
        2,
        5,
    )
    assert draft.updated_by == lead
    assert Proposal.objects.get(key=KEY).title_nl != NEW_TITLE  # the public still sees the published text

    publish(core)

    expected = copy.deepcopy(document["data"])
    [proposal] = [p for p in expected["proposals"] if p["key"] == KEY]
    proposal["title_nl"] = NEW_TITLE
    proposal["trl"] |= {"trl_from": 2, "trl_to": 5}
    assert export.agenda_document()["data"] == expected
    old, new = cells(template), cells(export.workbook_bytes(theme=energy))
    changed = {where for where in old.keys() | new.keys() if old.get(where) != new.get(where)}
    book = load_workbook(io.BytesIO(template))
    headers = [c.value for c in book["proposals"][1]]
    row = next(r[0].row for r in book["proposals"].iter_rows(min_row=2) if r[0].value == KEY)
    trl = headers.index("trl") + 1
    title = headers.index("title_nl") + 1
    assert changed == {("proposals", row, title), ("proposals", row, trl)}
    assert (new[("proposals", row, title)], new[("proposals", row, trl)]) == (NEW_TITLE, "2-5")


def test_importing_the_edited_file_twice_makes_no_second_draft(lead: Any) -> None:
    energy = Theme.objects.get(key="energy")
    edited = edit_workbook(export.workbook_bytes(theme=energy), "proposals", "key", KEY, {"title_nl": NEW_TITLE})
    importer.apply_import(plan("t.xlsx", edited, lead, energy), user=lead)
    again = plan("t.xlsx", edited, lead, energy)
    assert (again.errors, again.proposals) == ([], [])
    assert Draft.objects.count() == 1


def test_csv_round_trip_of_proposals(lead: Any) -> None:
    energy = Theme.objects.get(key="energy")
    rows = csv_rows(export.csv_bytes(sheets.PROPOSALS, theme=energy))
    assert plan("proposals.csv", csv_bytes(rows), lead).proposals == []
    header = rows[0]
    target = next(r for r in rows[1:] if r[0] == KEY)
    target[header.index("budget_total_min_eur")] = "3 à 4 miljoen euro"
    target[header.index("budget_total_max_eur")] = ""
    target[header.index("status")] = "In voorbereiding"
    result = plan("proposals.csv", csv_bytes(rows), lead)
    assert result.errors == []
    [change] = result.proposals
    assert change.changed_fields == ["status", "budget_total_min_eur", "budget_total_max_eur"]
    assert (change.after["budget_total_min_eur"], change.after["budget_total_max_eur"]) == (3_000_000, 4_000_000)
    assert change.after["status"] == "in_preparation"


def test_edited_json_changes_a_proposal_and_its_parties(core: Any) -> None:
    document = export.agenda_document()
    [proposal] = [p for p in document["data"]["proposals"] if p["key"] == KEY]
    proposal["summary_en"] = "A new English summary."
    proposal["parties"] = [{"organisation": "imec", "role": "lead"}]
    result = plan("agenda.json", json.dumps(document).encode(), core)
    assert result.errors == []
    [change] = result.proposals
    assert change.changed_fields == ["summary_en", "parties"]
    assert change.after["parties"] == [{"organisation": "imec", "role": "lead", "note": ""}]
    assert result.summary.parties_changed == 1


def test_theme_texts_and_answers_become_one_theme_draft(lead: Any, core: Any) -> None:
    energy = Theme.objects.get(key="energy")
    template = export.workbook_bytes(theme=energy)
    book = load_workbook(io.BytesIO(template))
    answers = book["funnel_answers"]
    headers = [c.value for c in answers[1]]
    first = next(answers.iter_rows(min_row=2))
    first[headers.index("text_en")].value = "An answer, in English now."
    themes = book["themes"]
    themes.cell(row=2, column=[c.value for c in themes[1]].index("aim_en") + 1).value = "A new aim."
    out = io.BytesIO()
    book.save(out)

    result = plan("t.xlsx", out.getvalue(), lead, energy)
    assert result.errors == [] and result.proposals == []
    [theme] = result.themes
    assert theme.changed_fields == ["aim_en", "answers"]
    assert (result.summary.themes_changed, result.summary.answers_changed) == (1, 1)
    importer.apply_import(result, user=lead)
    draft = ThemeDraft.objects.get(theme=energy)
    assert draft.data["aim_en"] == "A new aim."
    publish(core)
    energy.refresh_from_db()
    assert energy.aim_en == "A new aim."
    assert "An answer, in English now." in energy.funnel_answers.values_list("text_en", flat=True)
    assert plan("t.xlsx", out.getvalue(), lead, energy).themes == []  # now published: nothing left to do


def test_new_row_proposes_a_proposal_and_remove_column_removes_one(lead: Any) -> None:
    energy = Theme.objects.get(key="energy")
    rows = csv_rows(export.csv_bytes(sheets.PROPOSALS, theme=energy))
    header = [*rows[0], "remove"]
    body = [[*r, ""] for r in rows[1:]]
    leaf = next(r for r in body if r[header.index("parent")] and r[0] != KEY)
    leaf[-1] = "ja"
    new = dict.fromkeys(header, "")
    new |= {"theme": "energy", "kind": "project", "title_nl": "Waterstof uit zon", "status": "idee", "trl": "3-5"}
    body.append([new[h] for h in header])
    result = plan("proposals.csv", csv_bytes([header, *body]), lead)
    assert result.errors == []
    assert sorted((p.operation, p.key) for p in result.proposals) == [("add", "waterstof-uit-zon"), ("remove", leaf[0])]
    importer.apply_import(result, user=lead)
    assert Draft.objects.get(proposal_key="waterstof-uit-zon").data["status"] == "idea"
    assert Draft.objects.get(proposal_key=leaf[0]).operation == "remove"


def test_missing_proposals_are_left_alone_with_a_notice(lead: Any) -> None:
    energy = Theme.objects.get(key="energy")
    rows = csv_rows(export.csv_bytes(sheets.PROPOSALS, theme=energy))
    result = plan("proposals.csv", csv_bytes(rows[:2]), lead)
    assert (result.errors, result.proposals) == ([], [])
    [notice] = result.notices
    assert notice.message.startswith(f"{len(rows) - 2} proposals of theme energy are not in the file")


def test_plan_made_stale_by_another_edit_is_refused_whole(lead: Any) -> None:
    energy = Theme.objects.get(key="energy")
    template = export.workbook_bytes(theme=energy)
    edited = edit_workbook(template, "proposals", "key", KEY, {"title_nl": NEW_TITLE})
    edited = edit_workbook(edited, "themes", "key", "energy", {"aim_en": "Other aim"})
    result = plan("t.xlsx", edited, lead, energy)
    proposal = Proposal.objects.get(key=KEY)
    actions.save_change(
        proposal=proposal,
        data={**draft_values(proposal), "summary_en": "Someone else"},
        token=actions.NEW_TOKEN,
        by=lead,
    )
    before = fingerprint()
    with pytest.raises(importer.ImportRefused) as refused:
        importer.apply_import(result, user=lead)
    assert "changed by someone else since the preview" in refused.value.problems[0].message
    assert fingerprint() == before
    assert not ThemeDraft.objects.exists()  # the theme's draft was not kept either


def test_a_draft_saved_after_the_export_is_kept_by_an_import_that_did_not_touch_it(lead: Any) -> None:
    energy = Theme.objects.get(key="energy")
    template = export.workbook_bytes(theme=energy)
    proposal = Proposal.objects.get(key=KEY)
    drafted = {**draft_values(proposal), "summary_en": "Drafted by a colleague."}
    actions.save_change(proposal=proposal, data=drafted, token=actions.NEW_TOKEN, by=make_user("bo", "core_group"))

    assert plan("t.xlsx", template, lead, energy).proposals == []  # the unchanged template keeps the draft
    edited = edit_workbook(template, "proposals", "key", KEY, {"title_nl": NEW_TITLE})
    [change] = plan("t.xlsx", edited, lead, energy).proposals
    assert change.changed_fields == ["title_nl"]
    assert change.after["summary_en"] == "Drafted by a colleague."


def test_an_import_for_one_theme_refuses_changes_to_another(core: Any) -> None:
    energy = Theme.objects.get(key="energy")
    workbook = export.workbook_bytes()
    assert plan("agenda.xlsx", workbook, core, energy).errors == []  # other themes' rows, unchanged: fine
    other = export.sheet_rows(sheets.PROPOSALS, theme=Theme.objects.get(key="photonics"))[0]["key"]
    edited = edit_workbook(workbook, "proposals", "key", other, {"title_nl": "Licht"})
    [error] = plan("agenda.xlsx", edited, core, energy).errors
    assert (error.sheet, error.header) == ("proposals", "theme")
    assert error.message == "This import is for theme energy; this row changes theme photonics."


def test_new_row_keeps_the_key_it_gives_and_a_bad_key_is_refused(lead: Any) -> None:
    energy = Theme.objects.get(key="energy")
    rows = csv_rows(export.csv_bytes(sheets.PROPOSALS, theme=energy))
    header = rows[0]
    base = dict.fromkeys(header, "") | {"theme": "energy", "kind": "project", "status": "idea"}
    kept = base | {"key": "h2-from-sun", "title_nl": "Waterstof uit zon"}
    bad = base | {"key": "Not A Key!", "title_nl": "Warmte uit de diepte"}
    before = fingerprint()
    refused = plan("proposals.csv", csv_bytes([header, *rows[1:], [bad[h] for h in header]]), lead)
    assert [(e.row, e.header) for e in refused.errors] == [(len(rows) + 1, "key")]
    assert fingerprint() == before
    result = plan("proposals.csv", csv_bytes([header, *rows[1:], [kept[h] for h in header]]), lead)
    assert result.errors == []
    assert [p.key for p in result.proposals] == ["h2-from-sun"]
    importer.apply_import(result, user=lead)
    assert Draft.objects.get(proposal_key="h2-from-sun", operation="add").data["title_nl"] == "Waterstof uit zon"
