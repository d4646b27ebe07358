"""POST /api/imports: files into drafts through the importer, with a token and the same
roles as the web; refused imports write nothing."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from django.test import Client, override_settings
from openpyxl import load_workbook

from tests.factories import make_user
from tests.integration.test_imports import fingerprint
from trechter.accounts.actions import issue_token
from trechter.agenda.models import Proposal, Theme
from trechter.exchange import export
from trechter.versions.models import Draft

pytestmark = pytest.mark.django_db

KEY = "energy-pv-cooperation"


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, 'tests')[1]}"}


def with_title(title: str) -> dict[str, Any]:
    document = copy.deepcopy(export.agenda_document())
    proposal = next(p for p in document["data"]["proposals"] if p["key"] == KEY)
    proposal["title_nl"] = title
    return document


def post_json(client: Client, body: Any, user: Any | None, query: str = "") -> Any:
    headers = bearer(user) if user else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(f"/api/imports{query}", data, content_type="application/json", **headers)


def test_anonymous_and_session_users_cannot_import(client: Client) -> None:
    before = fingerprint()
    assert post_json(client, with_title("Nieuw"), None).status_code == 401
    client.force_login(make_user("core-session", "core_group"))
    assert post_json(client, with_title("Nieuw"), None).status_code == 401  # a session is not a token
    assert fingerprint() == before


def test_unchanged_export_imports_as_nothing(client: Client) -> None:
    lead = make_user("lead-energy", "theme_lead", "energy")
    before = fingerprint()
    response = post_json(client, export.agenda_document(), lead)
    assert response.status_code == 200, response.content
    assert response.json()["applied"] is False
    assert response.json()["proposals"] == []
    assert fingerprint() == before


def test_changed_title_becomes_a_draft_and_dry_run_writes_nothing(client: Client) -> None:
    lead = make_user("lead-energy", "theme_lead", "energy")
    before = fingerprint()
    checked = post_json(client, with_title("Zonnestroom samen"), lead, "?dry_run=true")
    assert checked.status_code == 200
    assert checked.json()["proposals"] == [
        {"key": KEY, "theme": "energy", "operation": "change", "fields": ["title_nl"]}
    ]
    assert fingerprint() == before
    applied = post_json(client, with_title("Zonnestroom samen"), lead)
    assert applied.status_code == 200 and applied.json()["applied"] is True
    assert Draft.objects.get(proposal_key=KEY).data["title_nl"] == "Zonnestroom samen"
    assert Proposal.objects.get(key=KEY).title_nl != "Zonnestroom samen"  # published text untouched


def test_lead_of_another_theme_and_a_member_are_refused_with_the_row_named(client: Client) -> None:
    before = fingerprint()
    for user in (make_user("lead-photonics", "theme_lead", "photonics"), make_user("member", "member")):
        response = post_json(client, with_title("Niet van jou"), user)
        assert response.status_code == 422
        assert any(KEY in json.dumps(p) or p["path"] for p in response.json()["detail"])
    assert fingerprint() == before


def test_bad_files_are_refused_and_nothing_is_written(client: Client) -> None:
    lead = make_user("lead-energy", "theme_lead", "energy")
    before = fingerprint()
    assert post_json(client, "{not json", lead).status_code == 422
    document = with_title("x")
    next(p for p in document["data"]["proposals"] if p["key"] == KEY)["trl"] = {"trl_from": 7, "trl_to": 3}
    refused = post_json(client, document, lead)
    assert refused.status_code == 422
    assert any("proposals" in p["path"] for p in refused.json()["detail"])
    assert client.post("/api/imports", "a,b", content_type="text/plain", **bearer(lead)).status_code == 422
    with override_settings(IMPORT_MAX_BYTES=1000):
        assert post_json(client, export.agenda_document(), lead).status_code == 413
    assert post_json(client, export.agenda_document(), lead, "?theme=nope").status_code == 422
    assert fingerprint() == before


def test_theme_template_uploaded_as_multipart(client: Client) -> None:
    lead = make_user("lead-energy", "theme_lead", "energy")
    energy = Theme.objects.get(key="energy")
    book = load_workbook(io.BytesIO(export.workbook_bytes(theme=energy)))
    tab = book["proposals"]
    headers = [c.value for c in tab[1]]
    row = next(r for r in tab.iter_rows(min_row=2) if r[headers.index("key")].value == KEY)
    row[headers.index("trl")].value = "4 à 6"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "energy.xlsx"
    response = client.post("/api/imports?theme=energy", {"file": out}, **bearer(lead))
    assert response.status_code == 200, response.content
    draft = Draft.objects.get(proposal_key=KEY)
    assert (draft.data["trl_from"], draft.data["trl_to"]) == (4, 6)
