"""The conclusions editor (/<lang>/report/conclusions/): who may edit, CSRF, stale edits,
bad input, and that an edit shows in the document and renews the content stamp."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import make_user
from trechter.agenda.models import Agenda
from trechter.reports import actions
from trechter.versions import stamps

URL = "/nl/report/conclusions/"


def _post(client: Client, **fields: str) -> Any:
    agenda = Agenda.objects.get()
    data = {
        "conclusions_nl": "Eerste conclusie.\n\nTweede conclusie.",
        "conclusions_en": "First conclusion.",
        "token": actions.conclusions_token(agenda),
    } | fields
    return client.post(URL, data)


@pytest.mark.django_db
def test_core_group_edits_the_conclusions_with_history(client: Client) -> None:
    core = make_user("core", "core_group")
    client.force_login(core)
    before = stamps.current()

    response = _post(client)

    agenda = Agenda.objects.get()
    assert response.status_code == 302
    assert agenda.conclusions_nl == ["Eerste conclusie.", "Tweede conclusie."]
    assert agenda.conclusions_en == ["First conclusion."]
    assert agenda.history.latest().history_user == core
    assert stamps.current() != before


@pytest.mark.django_db
def test_edited_conclusions_show_in_the_document(client: Client) -> None:
    client.force_login(make_user("admin", is_superuser=True))
    _post(client, conclusions_en="A conclusion written for this test.")

    english = client.get("/en/report/published.html").content.decode()
    dutch = client.get("/nl/report/published.html").content.decode()

    assert "A conclusion written for this test." in english
    assert "Tweede conclusie." in dutch and "A conclusion written for this test." not in dutch


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    assert client.get(URL).status_code == 302
    assert _post(client).status_code == 302
    assert Agenda.objects.get().conclusions_en == []


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "theme"), [("member", None), ("theme_lead", "energy"), ("jury", None)])
def test_other_roles_cannot_edit(client: Client, role: str, theme: str | None) -> None:
    client.force_login(make_user("someone", role, theme=theme))
    before = Agenda.objects.get().conclusions_nl

    assert client.get(URL).status_code == 403
    assert _post(client).status_code == 403
    assert Agenda.objects.get().conclusions_nl == before


@pytest.mark.django_db
def test_csrf_is_required() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("core", "core_group"))
    before = Agenda.objects.get().conclusions_nl

    assert _post(client).status_code == 403
    assert Agenda.objects.get().conclusions_nl == before


@pytest.mark.django_db
def test_stale_edit_is_refused_and_nothing_saved(client: Client) -> None:
    client.force_login(make_user("core", "core_group"))
    before = Agenda.objects.get().conclusions_nl

    response = _post(client, token="stale")

    assert response.status_code == 200
    assert "Iemand anders heeft de conclusies" in response.content.decode()  # the Dutch page
    assert Agenda.objects.get().conclusions_nl == before


@pytest.mark.django_db
def test_bad_input_is_refused_by_field(client: Client) -> None:
    client.force_login(make_user("core", "core_group"))
    before = Agenda.objects.get().conclusions_nl

    empty = _post(client, conclusions_nl="  \n ")
    too_long = _post(client, conclusions_en="ok\n" + "x" * 3001)

    assert empty.status_code == too_long.status_code == 200
    assert empty.context["form"].errors["conclusions_nl"]
    assert "Alinea 2" in " ".join(too_long.context["form"].errors["conclusions_en"])  # named, in Dutch
    assert Agenda.objects.get().conclusions_nl == before


@pytest.mark.django_db
def test_form_shows_the_current_text_and_escapes_it(client: Client) -> None:
    agenda = Agenda.objects.get()
    agenda.conclusions_en = ["<script>alert(1)</script>"]
    agenda.save()
    client.force_login(make_user("core", "core_group"))

    html = client.get("/en" + URL[3:]).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
