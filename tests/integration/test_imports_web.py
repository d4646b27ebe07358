"""The import pages (upload → preview → confirm → drafts), their guards, the theme page's
links, and `trechter import` on the command line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from tests.factories import make_user
from tests.integration.test_imports import KEY, NEW_TITLE, csv_bytes, edit_workbook, fingerprint
from trechter.agenda.models import Theme
from trechter.exchange import export
from trechter.versions.models import Draft

pytestmark = pytest.mark.django_db

URL = "/en/data/import/"


@pytest.fixture
def lead() -> Any:
    return make_user("lea", "theme_lead", "energy")


@pytest.fixture
def edited() -> bytes:
    template = export.workbook_bytes(theme=Theme.objects.get(key="energy"))
    return edit_workbook(template, "proposals", "key", KEY, {"title_nl": NEW_TITLE, "trl": "2-5"})


def signed_in(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def xlsx(data: bytes, name: str = "template.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_anonymous_is_sent_to_log_in() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    assert Client().post(URL).status_code == 302


def test_upload_preview_confirm_makes_the_draft(lead: Any, edited: bytes) -> None:
    client = signed_in(lead)
    assert client.get(URL).status_code == 200
    preview = client.post(URL, {"file": xlsx(edited), "theme": "energy"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert NEW_TITLE in html and "<del>1–7</del>" not in html
    assert re.search(r"TRL from</th><td><del>1</del></td><td><ins>2</ins>", html)
    assert Draft.objects.count() == 0  # a preview writes nothing
    confirm = re.search(r'action="(/en/data/import/[^"]+/confirm/)"', html)
    assert confirm is not None
    response = client.post(confirm[1])
    assert response.status_code == 302 and response["Location"] == reverse("my-drafts")
    draft = Draft.objects.get(proposal_key=KEY)
    assert (draft.data["title_nl"], draft.data["trl_from"], draft.updated_by) == (NEW_TITLE, 2, lead)
    assert client.post(confirm[1]).status_code == 302  # a ticket is used once
    assert Draft.objects.count() == 1


def test_errors_are_shown_with_sheet_row_and_column_and_nothing_is_saved(lead: Any) -> None:
    rows = [["proposal", "organisation", "role"], [KEY, "Imec Leuven", "lead"]]
    before = fingerprint()
    response = signed_in(lead).post(URL, {"file": SimpleUploadedFile("parties.csv", csv_bytes(rows))})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Unknown organisation “Imec Leuven”" in html
    assert "<td>parties.csv</td>" in html and "<td>2</td>" in html and "(organisation)" in html
    assert "imec (imec)" in html
    assert "/confirm/" not in html
    assert fingerprint() == before


def test_an_unreadable_file_is_refused_on_the_form(lead: Any) -> None:
    response = signed_in(lead).post(URL, {"file": xlsx(b"not a zip")})
    assert response.status_code == 400
    assert "not an XLSX workbook" in response.content.decode()


def test_an_oversized_upload_is_refused(lead: Any, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 1024
    response = signed_in(lead).post(URL, {"file": SimpleUploadedFile("proposals.csv", b"x" * 2048)})
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_csrf_is_enforced(lead: Any, edited: bytes) -> None:
    client = signed_in(lead, enforce_csrf_checks=True)
    assert client.post(URL, {"file": xlsx(edited)}).status_code == 403
    assert client.post(f"{URL}abc/confirm/").status_code == 403


def test_an_unknown_ticket_is_refused(lead: Any) -> None:
    response = signed_in(lead).post(f"{URL}nope/confirm/", follow=True)
    assert "This preview has expired" in response.content.decode()
    assert Draft.objects.count() == 0


def test_another_users_ticket_is_not_theirs(lead: Any, edited: bytes) -> None:
    html = signed_in(lead).post(URL, {"file": xlsx(edited)}).content.decode()
    confirm = re.search(r'action="(/en/data/import/[^"]+/confirm/)"', html)
    assert confirm is not None
    signed_in(make_user("cora", "core_group")).post(confirm[1])
    assert Draft.objects.count() == 0  # the plan lives in the lead's session only


def test_preview_of_an_unchanged_template_offers_nothing_to_confirm(lead: Any) -> None:
    template = export.workbook_bytes(theme=Theme.objects.get(key="energy"))
    html = signed_in(lead).post(URL, {"file": xlsx(template)}).content.decode()
    assert "The file holds no changes" in html and "/confirm/" not in html


def test_theme_page_links_to_template_and_import_for_its_lead_only(lead: Any) -> None:
    page = signed_in(lead).get("/en/themes/energy/").content.decode()
    assert 'href="/en/data/themes/energy/template.xlsx"' in page
    assert 'href="/en/data/import/?theme=energy"' in page
    member_page = signed_in(make_user("mia", "member")).get("/en/themes/energy/").content.decode()
    assert "template.xlsx" not in member_page
    other = signed_in(lead).get("/en/themes/photonics/").content.decode()
    assert "template.xlsx" not in other


def test_dutch_pages(lead: Any, edited: bytes) -> None:
    client = signed_in(lead)
    assert client.get("/nl/data/import/").status_code == 200
    assert client.post("/nl/data/import/", {"file": xlsx(edited)}).status_code == 200


# --- command line


def test_cli_dry_run_prints_changes_and_saves_nothing(call: Any, lead: Any, edited: bytes, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    path.write_bytes(edited)
    out = call("import_data", str(path), "--user", "lea", "--theme", "energy", "--dry-run")
    assert f"change proposal {KEY}" in out
    assert "Proposals changed: 1, added: 0, removed: 0" in out
    assert "Nothing was saved." in out
    assert Draft.objects.count() == 0
    out = call("import_data", str(path), "--user", "lea")
    assert "Saved 1 proposal drafts and 0 theme drafts" in out
    assert Draft.objects.get(proposal_key=KEY).data["title_nl"] == NEW_TITLE


def test_cli_errors_name_their_place_and_exit_non_zero(
    call: Any, lead: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "parties.csv"
    path.write_bytes(csv_bytes([["proposal", "organisation", "role"], [KEY, "Imec Leuven", "chief"]]))
    with pytest.raises(CommandError, match="2 errors; nothing was saved"):
        call("import_data", str(path), "--user", "lea")
    err = capsys.readouterr().err
    assert "parties.csv, row 2, column B (organisation): Unknown organisation “Imec Leuven”" in err
    assert "parties.csv, row 2, column C (role): “chief” is not one of: lead, partner, to_involve" in err


def test_cli_refuses_unknown_user_and_unreadable_file(call: Any, lead: Any, tmp_path: Path) -> None:
    path = tmp_path / "agenda.json"
    path.write_bytes(b"{")
    with pytest.raises(CommandError, match="No active user nobody"):
        call("import_data", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="malformed"):
        call("import_data", str(path), "--user", "lea")
