"""The Data page and the download views: types, file names, 404s, who gets a template,
and that drafts never reach a public export; the `trechter export` command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError
from django.test import Client
from openpyxl import load_workbook

from tests.factories import PASSWORD, make_user
from trechter.agenda.models import Proposal
from trechter.exchange import export, sheets
from trechter.exchange.export_views import XLSX
from trechter.versions import actions
from trechter.versions.snapshot import proposal_values

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_data_page_lists_the_downloads(client: Client, lang: str) -> None:
    response = client.get(f"/{lang}/data/")

    assert response.status_code == 200
    page = response.content.decode()
    for url in ("agenda.xlsx", "agenda.json", "agenda.schema.json", "proposals.csv", "/api/docs"):
        assert url in page
    assert f'href="/{lang}/data/"' in page  # the footer link
    assert "template.xlsx" not in page  # anonymous visitors lead no theme


def test_data_page_offers_a_theme_lead_the_template_of_their_theme_only() -> None:
    client = _client(make_user("lea", "theme_lead", "energy"))
    page = client.get("/en/data/").content.decode()
    assert "/en/data/themes/energy/template.xlsx" in page
    assert "/en/data/themes/photonics/template.xlsx" not in page


@pytest.mark.parametrize(
    ("url", "content_type", "disposition"),
    [
        ("/nl/data/agenda.json", "application/json", 'attachment; filename="trechter-agenda-{date}.json"'),
        ("/nl/data/agenda.xlsx", XLSX, 'attachment; filename="trechter-agenda-{date}.xlsx"'),
        ("/en/data/parties.csv", "text/csv; charset=utf-8", 'attachment; filename="trechter-parties-{date}.csv"'),
        ("/en/data/agenda.schema.json", "application/schema+json", 'inline; filename="agenda.schema.json"'),
    ],
)
def test_downloads_have_their_type_and_file_name(client: Client, url: str, content_type: str, disposition: str) -> None:
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition.format(date=export.export_date())


def test_downloads_parse_as_what_they_claim(client: Client) -> None:
    document = json.loads(client.get("/nl/data/agenda.json").content)
    assert document["format"] == "trechter-agenda"
    assert json.loads(client.get("/nl/data/agenda.schema.json").content) == export.json_schema()
    book = load_workbook(io.BytesIO(client.get("/nl/data/agenda.xlsx").content))
    assert book.sheetnames[0] == sheets.README_SHEET
    rows = list(csv.reader(io.StringIO(client.get("/nl/data/themes.csv").content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == sheets.THEMES.headers and len(rows) == 7


@pytest.mark.parametrize("url", ["/nl/data/nonsense.csv", "/nl/data/README.csv", "/nl/data/themes/nope/template.xlsx"])
def test_unknown_sheets_and_themes_are_404(url: str) -> None:
    client = _client(make_user("cora", "core_group"))
    assert client.get(url).status_code == 404


def test_template_asks_an_anonymous_visitor_to_sign_in(client: Client) -> None:
    response = client.get("/nl/data/themes/energy/template.xlsx")
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/accounts/login/?next=")


@pytest.mark.parametrize(("name", "role", "theme"), [("mem", "member", None), ("photo", "theme_lead", "photonics")])
def test_template_is_refused_to_whoever_may_not_edit_the_theme(name: str, role: str, theme: str | None) -> None:
    client = _client(make_user(name, role, theme))
    assert client.get("/nl/data/themes/energy/template.xlsx").status_code == 403


@pytest.mark.parametrize(("name", "role", "theme"), [("lea", "theme_lead", "energy"), ("cora", "core_group", None)])
def test_template_is_served_to_the_themes_lead_and_the_core_group(name: str, role: str, theme: str | None) -> None:
    client = _client(make_user(name, role, theme))
    response = client.get("/nl/data/themes/energy/template.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="trechter-template-energy-' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert [r[0].value for r in book["themes"].iter_rows(min_row=2)] == ["energy"]


def test_drafts_never_reach_the_public_exports(client: Client) -> None:
    lead = make_user("lea", "theme_lead", "energy")
    proposal = Proposal.objects.filter(theme__key="energy").order_by("key").first()
    assert proposal is not None
    published = proposal.title_nl
    data = proposal_values(proposal) | {"title_nl": "CONCEPTTITEL"}
    actions.save_change(proposal=proposal, data=data, token=actions.NEW_TOKEN, by=lead)

    for url in ("/nl/data/agenda.json", "/nl/data/proposals.csv", "/nl/data/agenda.xlsx"):
        assert b"CONCEPTTITEL" not in client.get(url).content, url
    document = json.loads(client.get("/nl/data/agenda.json").content)
    assert next(p for p in document["data"]["proposals"] if p["key"] == proposal.key)["title_nl"] == published
    template = _client(lead).get("/nl/data/themes/energy/template.xlsx").content
    book = load_workbook(io.BytesIO(template))
    titles = {r[0].value: r[8].value for r in book["proposals"].iter_rows(min_row=2)}
    assert titles[proposal.key] == published  # the template starts from the published text too


# --- the command ------------------------------------------------------------------------


def test_export_command_writes_json_schema_and_yaml(call: Any, tmp_path: Path) -> None:
    out = call("export", "--format", "json")
    assert json.loads(out)["format"] == "trechter-agenda"
    call("export", "--format", "schema", "--output", str(tmp_path / "s.json"))
    assert (tmp_path / "s.json").read_bytes() == export.schema_bytes()
    call("export", "--format", "yaml", "--output", str(tmp_path / "agenda.yaml"))
    from trechter.seed.dataset import read_dataset

    assert read_dataset(tmp_path).counts() == read_dataset().counts()


def test_export_command_writes_every_csv_into_a_folder(call: Any, tmp_path: Path) -> None:
    call("export", "--format", "csv", "--output", str(tmp_path / "csv"))

    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(f"{s.name}.csv" for s in sheets.SHEETS)
    assert (tmp_path / "csv" / "parties.csv").read_bytes() == export.csv_bytes(sheets.PARTIES)


def test_export_command_writes_one_sheet_and_a_theme_template(call: Any, tmp_path: Path) -> None:
    out = call("export", "--format", "csv", "--sheet", "themes")
    assert out.splitlines()[0] == ",".join(sheets.THEMES.headers)
    call("export", "--format", "xlsx", "--theme", "lsh", "--output", str(tmp_path / "t.xlsx"))
    book = load_workbook(tmp_path / "t.xlsx")
    assert {r[1].value for r in book["proposals"].iter_rows(min_row=2)} == {"lsh"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "xlsx", "--theme", "nope"), "no theme 'nope'"),
        (("--format", "json", "--theme", "lsh"), "--theme goes with"),
        (("--format", "csv"), "give the folder"),
        (("--format", "json", "--sheet", "themes"), "--sheet goes with"),
    ],
)
def test_export_command_refuses_bad_arguments(call: Any, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call("export", *args)
