"""Every mutating view refuses every role without the right, and writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, make_user
from trechter.agenda.models import Proposal
from trechter.versions import actions
from trechter.versions.models import Comment, Draft, Version
from trechter.versions.snapshot import proposal_values

pytestmark = pytest.mark.django_db

KEY = "energy-pv-cooperation"
LONE = "energy-carbon-chain-system-study"

# name → (role, theme) of the user; "anonymous" has no account, "norole" an account only.
USERS = {
    "norole": (None, None),
    "member": ("member", None),
    "jury": ("jury", None),
    "lead-other": ("theme_lead", "photonics"),
    "lead-own": ("theme_lead", "energy"),
    "core": ("core_group", None),
}


def _as(name: str) -> Client:
    client = Client()
    if name != "anonymous":
        role, theme = USERS[name]
        make_user(name, role, theme)
        assert client.login(username=name, password=PASSWORD)
    return client


def _refused(response, name: str) -> bool:  # type: ignore[no-untyped-def]
    if name == "anonymous":
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    return response.status_code == 403


def _edit_data() -> dict[str, object]:
    values = proposal_values(Proposal.objects.get(key=KEY)) | {"title_nl": "Overgenomen"}
    data: dict[str, object] = {k: "" if v is None else v for k, v in values.items()}
    return data | {"token": "new"}


def _open_draft() -> Draft:
    owner = make_user("owner", "theme_lead", "energy")
    proposal = Proposal.objects.get(key=KEY)
    return actions.save_change(
        proposal=proposal, data=proposal_values(proposal) | {"title_en": "T"}, token="new", by=owner
    )


@pytest.mark.parametrize("name", ["anonymous", "norole", "member", "jury", "lead-other"])
def test_edit_refused(name: str) -> None:
    response = _as(name).post(f"/nl/proposals/{KEY}/edit/", _edit_data())
    assert _refused(response, name)
    assert not Draft.objects.exists()


@pytest.mark.parametrize("name", ["anonymous", "norole", "member", "jury", "lead-other"])
def test_edit_form_refused(name: str) -> None:
    assert _refused(_as(name).get(f"/nl/proposals/{KEY}/edit/"), name)


@pytest.mark.parametrize("name", ["lead-own", "core"])
def test_edit_allowed(name: str) -> None:
    response = _as(name).post(f"/nl/proposals/{KEY}/edit/", _edit_data())
    assert response.status_code == 302
    assert Draft.objects.get().data["title_nl"] == "Overgenomen"


@pytest.mark.parametrize("name", ["anonymous", "norole"])
def test_propose_refused(name: str) -> None:
    data = _edit_data() | {"title_nl": "Nieuw"}
    assert _refused(_as(name).post("/nl/themes/energy/propose/", data), name)
    assert not Draft.objects.exists()


@pytest.mark.parametrize("name", ["anonymous", "norole", "member", "jury", "lead-other"])
def test_remove_refused(name: str) -> None:
    assert _refused(_as(name).post(f"/nl/proposals/{LONE}/remove/", {"token": "new"}), name)
    assert not Draft.objects.exists()


@pytest.mark.parametrize("name", ["anonymous", "norole", "member", "jury", "lead-other"])
def test_discard_refused(name: str) -> None:
    draft = _open_draft()
    assert _refused(_as(name).post(f"/nl/proposals/{KEY}/discard/", {"token": draft.token}), name)
    assert Draft.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("name", ["anonymous", "norole", "member", "jury", "lead-other"])
def test_draft_page_refused(name: str) -> None:
    _open_draft()
    assert _refused(_as(name).get(f"/nl/proposals/{KEY}/draft/"), name)


@pytest.mark.parametrize("name", ["anonymous", "norole"])
def test_comment_refused(name: str) -> None:
    assert _refused(_as(name).post(f"/nl/proposals/{KEY}/comments/", {"text": "hallo"}), name)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("step", ["submit", "reopen", "publish"])
@pytest.mark.parametrize("name", ["anonymous", "norole", "member", "jury", "lead-other", "lead-own"])
def test_review_steps_refused(step: str, name: str) -> None:
    draft = _open_draft()
    if step != "submit":
        actions.submit_version(version=draft.version, by=draft.created_by)
    before = Version.objects.get(number=2).status

    assert _refused(_as(name).post(f"/nl/versions/2/{step}/"), name)
    assert Version.objects.get(number=2).status == before


def test_core_group_takes_every_review_step() -> None:
    _open_draft()
    core = _as("core")
    for step, status in (("submit", "review"), ("reopen", "draft"), ("submit", "review"), ("publish", "published")):
        assert core.post(f"/nl/versions/2/{step}/").status_code == 302
        assert Version.objects.get(number=2).status == status


@pytest.mark.parametrize("name", ["anonymous", "norole", "member", "lead-own", "core"])
def test_admin_is_for_staff_only(name: str) -> None:
    response = _as(name).get("/nl/admin/agenda/proposal/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_member_may_edit_only_their_own_proposed_draft() -> None:
    author, other = _as("member"), Client()
    make_user("other-member", "member")
    other.login(username="other-member", password=PASSWORD)
    data = _edit_data() | {"title_nl": "Mijn voorstel"}
    author.post("/nl/themes/energy/propose/", data)
    draft = Draft.objects.get(operation="add")

    refused = other.post(f"/nl/proposals/{draft.proposal_key}/edit/", data | {"token": draft.token})
    allowed = author.post(
        f"/nl/proposals/{draft.proposal_key}/edit/", data | {"token": draft.token, "title_en": "Mine"}
    )

    assert refused.status_code == 403
    assert allowed.status_code == 302
    assert Draft.objects.get().data["title_en"] == "Mine"


def _theme_draft() -> str:
    from trechter.agenda.models import Theme
    from trechter.versions.snapshot import theme_values

    owner = make_user("owner", "theme_lead", "energy")
    energy = Theme.objects.get(key="energy")
    return actions.save_theme_change(
        theme=energy, data=theme_values(energy) | {"aim_en": "x"}, token="new", by=owner
    ).token


@pytest.mark.parametrize("name", ["anonymous", "norole", "member", "jury", "lead-other"])
def test_theme_edit_and_discard_refused(name: str) -> None:
    from trechter.versions.models import ThemeDraft

    token = _theme_draft()
    client = _as(name)
    assert _refused(client.post("/nl/themes/energy/edit/", {"aim_nl": "y", "token": token}), name)
    assert _refused(client.post("/nl/themes/energy/discard/", {"token": token}), name)
    assert ThemeDraft.objects.get().data["aim_en"] == "x"


@pytest.mark.parametrize("name", ["lead-own", "core"])
def test_theme_discard_allowed(name: str) -> None:
    from trechter.versions.models import ThemeDraft

    token = _theme_draft()
    assert _as(name).post("/nl/themes/energy/discard/", {"token": token}).status_code == 302
    assert not ThemeDraft.objects.exists()


@pytest.mark.parametrize("url", ["/nl/versions/mine/", f"/nl/proposals/{KEY}/history/", "/nl/themes/energy/history/"])
def test_signed_in_pages_send_visitors_to_sign_in(url: str) -> None:
    assert _refused(_as("anonymous").get(url), "anonymous")


@pytest.mark.parametrize("name", ["lead-own", "core"])
def test_discard_allowed(name: str) -> None:
    draft = _open_draft()
    assert _as(name).post(f"/nl/proposals/{KEY}/discard/", {"token": draft.token}).status_code == 302
    assert not Draft.objects.exists()
