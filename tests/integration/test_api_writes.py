"""API writes: every write endpoint × every role, allowed or refused as the rules say; writes
become drafts of the open version and never change the published agenda; stale tokens are
409, bad input is 422 naming the field with nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.factories import make_user
from trechter.accounts.actions import issue_token
from trechter.agenda.models import Party, Proposal, Theme
from trechter.versions import actions
from trechter.versions.models import Comment, Draft, ThemeDraft, Version
from trechter.versions.snapshot import draft_values, proposal_values, theme_values

pytestmark = pytest.mark.django_db

KEY = "energy-pv-cooperation"  # an Energy cooperation proposal with parties
LONE = "energy-carbon-chain-system-study"  # an Energy project proposal without sub-proposals

ROLES: dict[str, tuple[str | None, str | None]] = {
    "member": ("member", None),
    "lead": ("theme_lead", "energy"),
    "other_lead": ("theme_lead", "photonics"),
    "core": ("core_group", None),
}
ALL_ROLES = ["anonymous", "member", "lead", "other_lead", "core", "admin"]


def user_for(role: str) -> Any:
    if role == "admin":
        return make_user("admin", is_superuser=True)
    kind, theme = ROLES[role]
    return make_user(role, kind, theme)


def bearer(user: Any) -> dict[str, str]:
    _token, plaintext = issue_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def send(client: Client, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    """A JSON request as a client sends it; no body is an empty one, as with `curl -X POST`."""
    call = getattr(client, method.lower())
    if method == "GET":
        return call(path, **(headers or {}))
    payload = json.dumps(body) if body is not None else ""
    return call(path, payload, content_type="application/json", **(headers or {}))


def _open_version_with_a_draft(status: str = "draft") -> None:
    core = make_user("setup-core", "core_group")
    proposal = Proposal.objects.get(key=LONE)
    actions.save_change(
        proposal=proposal, data={**proposal_values(proposal), "title_en": "Set up"}, token="new", by=core
    )
    if status == "review":
        actions.submit_version(version=Version.objects.open().get(), by=core)


def _open_number() -> int:
    return Version.objects.filter(number__gt=1).order_by("-number").values_list("number", flat=True).first() or 2


# (name, method, path, body, setup, {role: status}); the path may need the setup's version number.
EDITORS = {"anonymous": 401, "member": 403, "lead": 200, "other_lead": 403, "core": 200, "admin": 200}
MEMBERS = {"anonymous": 401, "member": 201, "lead": 201, "other_lead": 201, "core": 201, "admin": 201}
CORE = {"anonymous": 401, "member": 403, "lead": 403, "other_lead": 403, "core": 200, "admin": 200}
NO_SETUP: Callable[[], None] = lambda: None  # noqa: E731
CASES: list[tuple[str, str, str, Any, Callable[[], None], dict[str, int]]] = [
    (
        "propose",
        "POST",
        "/api/proposals",
        {"theme": "energy", "kind": "project", "title_nl": "Nieuw"},
        NO_SETUP,
        MEMBERS,
    ),
    ("change", "PATCH", f"/api/proposals/{KEY}", {"title_en": "Changed"}, NO_SETUP, EDITORS),
    ("remove", "DELETE", f"/api/proposals/{LONE}", None, NO_SETUP, EDITORS),
    ("theme", "PATCH", "/api/themes/energy", {"name_en": "Energy 2"}, NO_SETUP, EDITORS),
    ("comment", "POST", f"/api/proposals/{KEY}/comments", {"text": "Goed idee"}, NO_SETUP, MEMBERS),
    ("submit", "POST", "/api/versions/{n}/submit", None, _open_version_with_a_draft, CORE),
    ("reopen", "POST", "/api/versions/{n}/reopen", None, lambda: _open_version_with_a_draft("review"), CORE),
    (
        "publish",
        "POST",
        "/api/versions/{n}/publish",
        {"note": "API"},
        lambda: _open_version_with_a_draft("review"),
        CORE,
    ),
    (
        "read draft",
        "GET",
        f"/api/proposals/{LONE}?version=draft",
        None,
        _open_version_with_a_draft,
        {"anonymous": 401, "member": 403, "lead": 200, "other_lead": 200, "core": 200, "admin": 200},
    ),
    (
        "my drafts",
        "GET",
        "/api/drafts",
        None,
        NO_SETUP,
        {"anonymous": 401, "member": 200, "lead": 200, "other_lead": 200, "core": 200, "admin": 200},
    ),
]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("name", "method", "path", "body", "setup", "expected"), CASES, ids=[c[0] for c in CASES])
def test_endpoint_allows_and_refuses_roles_as_the_rules_say(
    client: Client,
    name: str,
    method: str,
    path: str,
    body: Any,
    setup: Callable[[], None],
    expected: dict[str, int],
    role: str,
) -> None:
    setup()
    headers = {} if role == "anonymous" else bearer(user_for(role))
    published = {p["key"]: p for p in Proposal.objects.values()}

    response = send(client, method, path.format(n=_open_number()), body, headers)

    assert response.status_code == expected[role], response.content
    assert "detail" in response.json() if response.status_code >= 400 else True
    if name not in ("publish",):  # only publication changes the published agenda
        assert {p["key"]: p for p in Proposal.objects.values()} == published
    if name in ("propose", "change", "remove") and response.status_code < 300:
        assert Draft.objects.filter(proposal_key=response.json()["key"], created_by__username=role).exists()
    elif name in ("propose", "change", "remove"):
        assert not Draft.objects.exists()


def test_session_login_does_not_allow_writes(client: Client) -> None:
    core = user_for("core")
    client.force_login(core)

    response = send(client, "PATCH", f"/api/proposals/{KEY}", {"title_en": "Via the cookie"})

    assert response.status_code == 401
    assert not Draft.objects.exists()


def test_session_login_does_allow_reading_drafts(client: Client) -> None:
    _open_version_with_a_draft()
    client.force_login(user_for("lead"))

    response = client.get(f"/api/proposals/{LONE}?version=draft")

    assert response.status_code == 200
    assert response.json()["values"]["title_en"] == "Set up"


def test_change_is_a_draft_with_the_changed_field_and_the_rest_as_published(client: Client) -> None:
    lead = user_for("lead")
    proposal = Proposal.objects.get(key=KEY)
    published = draft_values(proposal)

    response = send(client, "PATCH", f"/api/proposals/{KEY}", {"title_en": "PV together", "trl_to": 8}, bearer(lead))

    assert response.status_code == 200
    draft = Draft.objects.get(proposal_key=KEY)
    body = response.json()
    assert body["draft_token"] == draft.token == f"{draft.pk}:1"
    assert (body["operation"], body["version"]) == ("change", draft.version.number)
    expected = {**proposal_values(proposal), "title_en": "PV together", "trl_to": 8}
    assert draft.data == expected == body["values"]  # parties not sent: left as they are
    assert draft.base == published
    assert draft_values(Proposal.objects.get(key=KEY)) == published


def test_parties_replace_the_drafted_parties_by_organisation_key(client: Client) -> None:
    lead = user_for("lead")
    others = list(Party.objects.exclude(proposal__key=KEY).values_list("organisation__key", flat=True).distinct()[:2])
    parties = [{"organisation": others[0], "role": "lead"}, {"organisation": others[1], "role": "partner", "note": "n"}]

    response = send(client, "PATCH", f"/api/proposals/{KEY}", {"parties": parties}, bearer(lead))

    assert response.status_code == 200, response.content
    expected = sorted(
        [
            {"organisation": others[0], "role": "lead", "note": ""},
            {"organisation": others[1], "role": "partner", "note": "n"},
        ],
        key=lambda p: p["organisation"],
    )
    assert Draft.objects.get(proposal_key=KEY).data["parties"] == expected


def test_second_save_with_the_returned_token_succeeds_and_a_stale_one_is_409(client: Client) -> None:
    lead, core = user_for("lead"), user_for("core")
    first = send(client, "PATCH", f"/api/proposals/{KEY}", {"title_en": "One"}, bearer(lead)).json()
    second = send(
        client, "PATCH", f"/api/proposals/{KEY}", {"title_en": "Two", "draft_token": first["draft_token"]}, bearer(core)
    )
    assert second.status_code == 200

    stale = send(
        client,
        "PATCH",
        f"/api/proposals/{KEY}",
        {"title_en": "Three", "draft_token": first["draft_token"]},
        bearer(lead),
    )

    assert stale.status_code == 409
    body = stale.json()
    draft = Draft.objects.get(proposal_key=KEY)
    assert body["draft_token"] == draft.token == second.json()["draft_token"]
    assert body["current"]["title_en"] == "Two" == draft.data["title_en"]
    assert "core" in body["detail"]


def test_if_match_header_carries_the_token(client: Client) -> None:
    lead = user_for("lead")
    first = send(client, "PATCH", f"/api/proposals/{KEY}", {"title_en": "One"}, bearer(lead)).json()
    headers = {**bearer(lead), "HTTP_IF_MATCH": f'"{first["draft_token"]}"'}

    response = send(client, "PATCH", f"/api/proposals/{KEY}", {"summary_en": "More"}, headers)

    assert response.status_code == 200
    draft = Draft.objects.get(proposal_key=KEY)
    assert (draft.revision, draft.data["title_en"], draft.data["summary_en"]) == (2, "One", "More")


def test_without_token_an_existing_draft_is_not_overwritten(client: Client) -> None:
    lead = user_for("lead")
    send(client, "PATCH", f"/api/proposals/{KEY}", {"title_en": "One"}, bearer(lead))

    response = send(client, "PATCH", f"/api/proposals/{KEY}", {"title_en": "Blind"}, bearer(lead))

    assert response.status_code == 409
    assert Draft.objects.get(proposal_key=KEY).data["title_en"] == "One"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"trl_from": 5, "trl_to": 3}, ["body", "trl_to"]),
        ({"trl_from": 12, "trl_to": 12}, ["body", "trl_from"]),
        ({"trl_from": "high"}, ["body", "payload", "trl_from"]),
        ({"kind": "dream"}, ["body", "kind"]),
        ({"title_nl": None}, ["body", "title_nl"]),
        ({"planned_start": "next year"}, ["body", "planned_start"]),
        ({"value_chain": ["gold"]}, ["body", "value_chain"]),
        ({"budget_total_min_eur": 10, "budget_total_max_eur": 5}, ["body", "budget_total_max_eur"]),
        ({"parties": [{"organisation": "no-such-organisation"}]}, ["body", "parties", 0, "organisation"]),
        ({"parties": [{"organisation": ""}]}, ["body", "parties", 0, "organisation"]),
        ({"parties": [{"organisation": "imec", "role": "boss"}]}, ["body", "parties", 0, "role"]),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    client: Client, body: dict[str, Any], loc: list[Any]
) -> None:
    lead = user_for("lead")

    response = send(client, "PATCH", f"/api/proposals/{KEY}", body, bearer(lead))

    assert response.status_code == 422, response.content
    assert loc in [error["loc"] for error in response.json()["detail"]]
    assert not Draft.objects.exists() and not Version.objects.open().exists()


def test_party_named_twice_is_422(client: Client) -> None:
    organisation = Party.objects.values_list("organisation__key", flat=True).first()
    parties = [{"organisation": organisation}, {"organisation": organisation, "role": "lead"}]

    response = send(client, "PATCH", f"/api/proposals/{KEY}", {"parties": parties}, bearer(user_for("lead")))

    assert response.status_code == 422
    assert ["body", "parties", 1, "organisation"] in [e["loc"] for e in response.json()["detail"]]
    assert not Draft.objects.exists()


@pytest.mark.parametrize("raw", ["{not json", "[]", '"text"'])
def test_malformed_body_is_a_client_error_not_a_crash(client: Client, raw: str) -> None:
    headers = bearer(user_for("lead"))
    response = client.patch(f"/api/proposals/{KEY}", raw, content_type="application/json", **headers)
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_proposal_is_created_as_an_addition_draft_with_model_defaults(client: Client) -> None:
    member = user_for("member")
    count = Proposal.objects.count()

    response = send(
        client,
        "POST",
        "/api/proposals",
        {"theme": "energy", "kind": "project", "title_nl": "Zonnedaken"},
        bearer(member),
    )

    assert response.status_code == 201
    draft = Draft.objects.get(operation="add")
    assert response.json()["key"] == draft.proposal_key == "zonnedaken"
    assert (draft.theme.key, draft.data["status"], draft.data["value_chain"]) == ("energy", "proposed", [])
    assert Proposal.objects.count() == count


def test_unknown_theme_in_a_new_proposal_is_422(client: Client) -> None:
    response = send(client, "POST", "/api/proposals", {"theme": "nope", "title_nl": "X"}, bearer(user_for("member")))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "theme"]


def test_proposer_edits_and_drops_their_addition_but_another_member_cannot(client: Client) -> None:
    member, other = user_for("member"), make_user("other-member", "member")
    created = send(
        client, "POST", "/api/proposals", {"theme": "energy", "kind": "project", "title_nl": "Idee"}, bearer(member)
    )
    key, token = created.json()["key"], created.json()["draft_token"]

    refused = send(client, "PATCH", f"/api/proposals/{key}", {"title_en": "Idea", "draft_token": token}, bearer(other))
    edited = send(client, "PATCH", f"/api/proposals/{key}", {"title_en": "Idea", "draft_token": token}, bearer(member))
    dropped = send(
        client, "DELETE", f"/api/proposals/{key}?draft_token={edited.json()['draft_token']}", None, bearer(member)
    )

    assert (refused.status_code, edited.status_code, dropped.status_code) == (403, 200, 204)
    assert not Draft.objects.filter(proposal_key=key).exists()


def test_removal_is_a_draft_and_the_proposal_stays_published(client: Client) -> None:
    response = send(client, "DELETE", f"/api/proposals/{LONE}", None, bearer(user_for("core")))

    assert response.status_code == 200
    assert response.json()["operation"] == "remove"
    assert Draft.objects.get(proposal_key=LONE).operation == "remove"
    assert Proposal.objects.filter(key=LONE).exists()


def test_unknown_proposal_is_404_for_every_write(client: Client) -> None:
    headers = bearer(user_for("admin"))
    assert send(client, "PATCH", "/api/proposals/nope", {"title_en": "x"}, headers).status_code == 404
    assert send(client, "DELETE", "/api/proposals/nope", None, headers).status_code == 404
    assert send(client, "POST", "/api/proposals/nope/comments", {"text": "x"}, headers).status_code == 404
    assert send(client, "PATCH", "/api/themes/nope", {"name_en": "x"}, headers).status_code == 404
    assert send(client, "POST", "/api/versions/99/submit", None, headers).status_code == 404


def test_theme_draft_keeps_texts_and_answers_and_validates_them(client: Client) -> None:
    lead = user_for("lead")
    theme = Theme.objects.get(key="energy")
    published = theme_values(theme)
    question = theme.funnel_answers.values_list("question__key", flat=True).first()
    answers = [{"question": question, "band": "4-6", "text_nl": "Antwoord"}]

    bad = send(client, "PATCH", "/api/themes/energy", {"answers": [{"question": "nope", "text_nl": "x"}]}, bearer(lead))
    good = send(client, "PATCH", "/api/themes/energy", {"aim_en": "New aim", "answers": answers}, bearer(lead))

    assert bad.status_code == 422
    assert ["body", "answers", 0, "question"] in [e["loc"] for e in bad.json()["detail"]]
    assert good.status_code == 200, good.content
    draft = ThemeDraft.objects.get(theme=theme)
    assert draft.data == {**published, "aim_en": "New aim", "answers": [{**answers[0], "text_en": ""}]}
    assert good.json()["draft_token"] == draft.token
    assert theme_values(Theme.objects.get(key="energy")) == published
    read = client.get("/api/themes/energy?version=draft", **bearer(lead)).json()
    assert (read["draft_token"], read["values"]["aim_en"]) == (draft.token, "New aim")
    assert client.get("/api/themes/energy?version=draft", **bearer(user_for("member"))).status_code == 403
    assert client.get("/api/themes/energy?version=draft").status_code == 401
    assert client.get("/api/themes/energy").json()["aim_en"] == published["aim_en"]


def test_empty_comment_is_422_and_a_comment_is_stored(client: Client) -> None:
    member = user_for("member")
    empty = send(client, "POST", f"/api/proposals/{KEY}/comments", {"text": "  "}, bearer(member))
    stored = send(client, "POST", f"/api/proposals/{KEY}/comments", {"text": "Mooi"}, bearer(member))

    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "text"]
    assert stored.status_code == 201
    assert list(Comment.objects.values_list("proposal__key", "author__username", "text")) == [(KEY, "member", "Mooi")]


def test_publish_applies_the_api_drafts_and_workflow_errors_are_409(client: Client) -> None:
    core = user_for("core")
    headers = bearer(core)
    send(client, "PATCH", f"/api/proposals/{KEY}", {"title_en": "Published via the API"}, headers)
    number = Version.objects.open().get().number

    too_early = send(client, "POST", f"/api/versions/{number}/publish", None, headers)
    submitted = send(client, "POST", f"/api/versions/{number}/submit", None, headers)
    frozen = send(client, "PATCH", f"/api/proposals/{LONE}", {"title_en": "Late"}, headers)
    published = send(client, "POST", f"/api/versions/{number}/publish", {"note": "Via API"}, headers)

    assert too_early.status_code == 409 and "detail" in too_early.json()
    assert submitted.json()["version"]["status"] == "review"
    assert frozen.status_code == 409
    assert published.status_code == 200
    assert (published.json()["changed"], published.json()["version"]["note"]) == (1, "Via API")
    assert Proposal.objects.get(key=KEY).title_en == "Published via the API"
