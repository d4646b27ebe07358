"""A theme lead downloads their theme's template from the theme page, edits it in a
spreadsheet program (openpyxl here), uploads it, reads the preview and confirms: the change
waits as a draft; the public page is unchanged."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, make_user
from trechter.agenda.models import Proposal
from trechter.versions.models import Draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEY = "energy-pv-cooperation"
NEW_TITLE = "Zonnestroom: gedeelde proeflijnen"


def _sign_in(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name=username, exact=True)).to_be_visible()


def _edit(data: bytes) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book["proposals"]
    headers = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[headers.index("key")].value == KEY)
    row[headers.index("title_nl")].value = NEW_TITLE
    row[headers.index("trl")].value = "2 à 6"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_lead_downloads_template_uploads_it_edited_and_confirms(page: Page, site: str, tmp_path: Path) -> None:
    make_user("lea", "theme_lead", "energy")
    published = Proposal.objects.get(key=KEY).title_nl
    _sign_in(page, site, "lea")
    page.goto(f"{site}/en/themes/energy/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the spreadsheet template").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    edited = tmp_path / "edited.xlsx"
    edited.write_bytes(_edit(template.read_bytes()))

    page.get_by_role("link", name="Import a spreadsheet").click()
    page.get_by_label("File").set_input_files(str(edited))
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Import preview")
    change = page.get_by_role("region", name=KEY)
    expect(change.get_by_role("row").filter(has_text="title (Dutch)")).to_contain_text(NEW_TITLE)
    expect(change.get_by_role("row").filter(has_text="TRL from")).to_contain_text("2")
    assert not Draft.objects.exists()  # nothing saved before confirming
    page.get_by_role("button", name="Confirm: save in the draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My drafts")
    expect(page.get_by_role("status")).to_contain_text("1 proposal drafts")
    expect(page.locator(f'a[href="/en/proposals/{KEY}/draft/"]')).to_be_visible()
    draft = Draft.objects.get(proposal_key=KEY)
    assert (draft.data["title_nl"], draft.data["trl_from"], draft.data["trl_to"]) == (NEW_TITLE, 2, 6)
    assert Proposal.objects.get(key=KEY).title_nl == published
