"""Front page, health check and admin: both languages, roles, query counts."""

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.factories import empty_database
from trechter.agenda.models import Agenda, Proposal, Theme

pytestmark = pytest.mark.django_db


def test_home_in_dutch_shows_the_overview_table(client: Client) -> None:
    response = client.get("/nl/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nederlands/Vlaamse high tech samenwerkingsagenda" in html
    assert "Geïntegreerde Fotonica" in html
    assert "Samenwerkingsvoorstellen" in html


def test_home_in_english_translates_the_interface(client: Client) -> None:
    html = client.get("/en/").content.decode()
    assert "Cooperation proposals" in html
    assert "Photonics" in html
    assert 'lang="en"' in html


def test_root_redirects_to_a_language(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "en"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_language_switch_keeps_the_page(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/nl/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_home_without_agenda_shows_empty_state(client: Client) -> None:
    empty_database()
    html = client.get("/en/").content.decode()
    assert "No agenda loaded yet" in html
    assert "trechter load-seed" in html


def test_home_query_count_does_not_grow_with_themes(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(10) as few:
        client.get("/nl/")
    agenda = Agenda.objects.get()
    for n in range(3):
        theme = Theme.objects.create(
            agenda=agenda, key=f"extra-{n}", order=10 + n, name_nl="X", name_en="X", aim_nl="x"
        )
        Proposal.objects.create(
            key=f"extra-p{n}", kind="project", theme=theme, title_nl="p", overview_label_nl="p", overview_order=1
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/nl/")


def test_health(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_admin_refuses_anonymous_and_plain_users(client: Client) -> None:
    assert client.get("/nl/admin/agenda/proposal/").status_code == 302
    User.objects.create_user("member", password="a-long-password-1")
    client.login(username="member", password="a-long-password-1")
    response = client.get("/nl/admin/agenda/proposal/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


ADMIN_MODELS = [m for m in apps.get_models() if m._meta.app_label in {"actors", "agenda", "funding", "assessment"}]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_admin_changelists_and_forms_render_for_every_model(admin_client: Client, lang: str) -> None:
    from django.contrib import admin

    registered = [m for m in ADMIN_MODELS if m in admin.site._registry]
    assert len(registered) >= 15
    for model in registered:
        base = f"/{lang}/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert admin_client.get(base).status_code == 200, base
        assert admin_client.get(base + "add/").status_code == 200, base
        obj = model._default_manager.first()
        if obj is not None:
            assert admin_client.get(f"{base}{obj.pk}/change/").status_code == 200, base


def test_admin_is_in_dutch(admin_client: Client) -> None:
    html = admin_client.get("/nl/admin/agenda/proposal/").content.decode()
    assert "voorstellen" in html.lower()


def test_language_links_swap_the_prefix_and_keep_the_query(client: Client) -> None:
    html = client.get("/nl/search/?q=waterstof&side=VL").content.decode()
    assert 'href="/en/search/?q=waterstof&amp;side=VL"' in html
    missing = client.get("/nl/no-such-page/")
    assert missing.status_code == 404
    assert 'href="/en/no-such-page/"' in missing.content.decode()
