"""API reads: the published agenda as the database holds it (the real seed), filters,
pagination, drafts only for who may see them, errors as JSON, the schema and the docs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client
from openapi_spec_validator import validate

from tests.factories import make_user
from trechter.accounts.actions import issue_token
from trechter.actors.models import Meeting, Membership, Organisation, Person
from trechter.agenda.models import Party, Proposal, ProposalInstrument, Theme
from trechter.funding.models import Instrument
from trechter.versions import actions
from trechter.versions.models import Version
from trechter.versions.snapshot import proposal_values

pytestmark = pytest.mark.django_db

KEY = "energy-pv-cooperation"


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, 'tests')[1]}"}


def everything(client: Client, path: str, **headers: str) -> list[dict[str, Any]]:
    """Every item of a paginated list, page by page."""
    items: list[dict[str, Any]] = []
    while True:
        sep = "&" if "?" in path else "?"
        page = client.get(f"{path}{sep}limit=40&offset={len(items)}", **headers).json()
        items += page["items"]
        if len(items) >= page["count"]:
            assert len(items) == page["count"]
            return items


def test_themes_are_the_database_themes_in_order(client: Client) -> None:
    body = client.get("/api/themes").json()

    assert [t["key"] for t in body] == list(Theme.objects.order_by("order").values_list("key", flat=True))
    energy = next(t for t in body if t["key"] == "energy")
    assert energy["project_count"] == Proposal.objects.filter(theme__key="energy", kind="project").count()
    assert energy["name_nl"] == Theme.objects.get(key="energy").name_nl


def test_theme_detail_has_sub_priorities_leads_and_answers(client: Client) -> None:
    theme = Theme.objects.get(key="energy")

    body = client.get("/api/themes/energy").json()

    assert [s["key"] for s in body["sub_priorities"]] == list(
        theme.sub_priorities.order_by("order").values_list("key", flat=True)
    )
    assert sorted((lead["side"], lead["role"]) for lead in body["leads"]) == sorted(
        theme.leads.values_list("side", "role")
    )
    assert len(body["answers"]) == theme.funnel_answers.count() > 0
    assert sorted(body["proposals"]) == sorted(theme.proposals.values_list("key", flat=True))


def test_proposals_of_a_theme_count_as_in_the_database(client: Client) -> None:
    body = client.get("/api/proposals?theme=energy&limit=200").json()

    assert body["count"] == Proposal.objects.filter(theme__key="energy").count() > 0
    assert {p["key"] for p in body["items"]} == set(
        Proposal.objects.filter(theme__key="energy").values_list("key", flat=True)
    )


def test_pagination_pages_follow_one_deterministic_order(client: Client) -> None:
    full = client.get("/api/proposals?limit=200").json()
    page = client.get("/api/proposals?limit=7&offset=14").json()
    default = client.get("/api/proposals").json()

    assert full["count"] == page["count"] == Proposal.objects.count()
    assert page["items"] == full["items"][14:21]
    assert len(default["items"]) == 50  # NINJA_PAGINATION_PER_PAGE
    assert [p["key"] for p in everything(client, "/api/proposals")] == [p["key"] for p in full["items"]]


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "offset=-1", "limit=many"])
def test_bad_pagination_is_422_naming_the_parameter(client: Client, query: str) -> None:
    response = client.get(f"/api/proposals?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in response.json()["detail"][0]["loc"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=project", Q(kind="project")),
        ("status=proposed", Q(status="proposed")),
        ("trl=4-6", Q(trl_from__lte=6, trl_to__gte=4)),
        ("trl=1-3", Q(trl_from__lte=3, trl_to__gte=1)),
        ("side=VL", Q(parties__organisation__side="VL")),
        ("organisation=tno", Q(parties__organisation__key="tno")),
        ("theme=photonics&kind=cooperation", Q(theme__key="photonics", kind="cooperation")),
    ],
)
def test_proposal_filters_match_the_database(client: Client, query: str, expected: Q) -> None:
    found = {p["key"] for p in everything(client, f"/api/proposals?{query}")}
    assert found == set(Proposal.objects.filter(expected).values_list("key", flat=True).distinct())
    assert found  # the seed has some of each


@pytest.mark.parametrize("query", ["trl=10-12", "side=XX", "kind=dream", "status=dead"])
def test_unknown_filter_values_are_422_naming_the_filter(client: Client, query: str) -> None:
    response = client.get(f"/api/proposals?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in response.json()["detail"][0]["loc"]


def test_proposal_detail_has_the_database_parties_and_instruments(client: Client) -> None:
    proposal = Proposal.objects.get(key=KEY)

    body = client.get(f"/api/proposals/{KEY}").json()

    parties = {(p["organisation"]["key"], p["organisation"]["side"], p["role"]) for p in body["parties"]}
    assert parties == set(
        Party.objects.filter(proposal=proposal).values_list("organisation__key", "organisation__side", "role")
    )
    assert len(parties) > 1
    assert {(i["instrument"]["key"], i["state"]) for i in body["instruments"]} == set(
        ProposalInstrument.objects.filter(proposal=proposal).values_list("instrument__key", "state")
    )
    assert {name: body[name] for name in proposal_values(proposal)} == proposal_values(proposal)
    assert body["theme"] == "energy"


@pytest.mark.parametrize(
    "path",
    [
        "/api/themes/nope",
        "/api/proposals/nope",
        "/api/organisations/nope",
        "/api/people/nope",
        "/api/meetings/nope",
        "/api/instruments/nope",
        "/api/versions/99",
    ],
)
def test_unknown_keys_are_404_json(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_version_number_that_is_not_a_number_is_422(client: Client) -> None:
    assert client.get("/api/versions/one").status_code == 422


def test_organisations_filter_like_the_register(client: Client) -> None:
    assert client.get("/api/organisations").json()["count"] == Organisation.objects.count()
    flemish = {o["key"] for o in everything(client, "/api/organisations?side=VL")}
    assert flemish == set(Organisation.objects.filter(side="VL").values_list("key", flat=True))
    universities = {o["key"] for o in everything(client, "/api/organisations?type=university&q=univ")}
    assert universities == set(
        Organisation.objects.filter(type="university")
        .filter(Q(name__icontains="univ") | Q(key__icontains="univ") | Q(aliases__name__icontains="univ"))
        .values_list("key", flat=True)
    )


def test_organisation_detail_lists_its_parties(client: Client) -> None:
    body = client.get("/api/organisations/tno").json()
    assert {(p["proposal"], p["role"]) for p in body["parties"]} == set(
        Party.objects.filter(organisation__key="tno").values_list("proposal__key", "role")
    )
    assert body["proposal_count"] == Party.objects.filter(organisation__key="tno").values("proposal").distinct().count()


def test_people_show_name_organisation_function_and_groups(client: Client) -> None:
    people = everything(client, "/api/people")
    assert len(people) == Person.objects.count()
    member = Membership.objects.select_related("person", "group").order_by("pk").first()
    assert member is not None
    body = client.get(f"/api/people/{member.person.key}").json()
    assert body["name"] == member.person.name
    assert member.group.key in [g["key"] for g in body["groups"]]
    assert set(body) == {"key", "name", "organisation", "function", "groups"}
    in_group = {p["key"] for p in everything(client, f"/api/people?group={member.group.key}")}
    assert in_group == set(Membership.objects.filter(group=member.group).values_list("person__key", flat=True))


def test_meetings_and_instruments_are_the_database_rows(client: Client) -> None:
    meetings = everything(client, "/api/meetings")
    assert [m["key"] for m in meetings] == list(
        Meeting.objects.order_by("held_on", "key").values_list("key", flat=True)
    )
    first = client.get(f"/api/meetings/{meetings[0]['key']}").json()
    assert first == meetings[0]
    instruments = everything(client, "/api/instruments")
    assert {i["key"] for i in instruments} == set(Instrument.objects.values_list("key", flat=True))
    used = ProposalInstrument.objects.values_list("instrument__key", flat=True).first()
    detail = client.get(f"/api/instruments/{used}").json()
    assert {(p["proposal"], p["state"]) for p in detail["proposals"]} == set(
        ProposalInstrument.objects.filter(instrument__key=used).values_list("proposal__key", "state")
    )
    mit = client.get("/api/instruments/mit").json()
    assert mit["rules"] == Instrument.objects.get(key="mit").rules and "200" in mit["rules_note"]


@pytest.mark.parametrize("path", ["/api/proposals", "/api/organisations", "/api/people", "/api/meetings"])
def test_lists_run_the_same_queries_for_one_or_three_items(
    client: Client, path: str, django_assert_num_queries: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(20) as one:
        client.get(f"{path}?limit=1")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(f"{path}?limit=3")


def _publish_a_change(title: str) -> Version:
    core = make_user("publisher", "core_group")
    proposal = Proposal.objects.get(key=KEY)
    actions.save_change(proposal=proposal, data={**proposal_values(proposal), "title_en": title}, token="new", by=core)
    version = Version.objects.open().get()
    actions.submit_version(version=version, by=core)
    return actions.publish_version(version=version, by=core, note="Nieuwe titel").version


def test_version_diff_with_the_previous_version(client: Client) -> None:
    version = _publish_a_change("PV cooperation renamed")

    body = client.get(f"/api/versions/{version.number}?diff=previous").json()
    plain = client.get(f"/api/versions/{version.number}").json()

    assert (body["number"], body["note"], body["status"]) == (version.number, "Nieuwe titel", "published")
    assert body["diff"]["old"] == 1
    changed = {c["key"]: c["fields"] for c in body["diff"]["proposals"]["changed"]}
    assert list(changed) == [KEY]
    assert changed[KEY][0]["field"] == "title_en" and changed[KEY][0]["new"] == "PV cooperation renamed"
    assert plain["diff"] is None
    assert client.get("/api/versions/1?diff=previous").json()["diff"] is None


def test_open_version_and_drafts_are_seen_by_editors_only(client: Client) -> None:
    proposal = Proposal.objects.get(key=KEY)
    lead, member = make_user("lead", "theme_lead", "energy"), make_user("member", "member")
    actions.save_change(
        proposal=proposal, data={**proposal_values(proposal), "title_en": "Draft"}, token="new", by=lead
    )
    number = Version.objects.open().get().number

    public = [v["number"] for v in client.get("/api/versions").json()]
    editor = [v["number"] for v in client.get("/api/versions", **bearer(lead)).json()]
    hidden = client.get(f"/api/versions/{number}", **bearer(member))
    shown = client.get(f"/api/versions/{number}", **bearer(lead)).json()
    published = client.get(f"/api/proposals/{KEY}", **bearer(lead)).json()

    assert public == [1] and editor == [number, 1]
    assert hidden.status_code == 404
    assert [d["key"] for d in shown["drafts"]] == [KEY]
    assert published["title_en"] == proposal.title_en  # the published text, even for editors


def test_drafts_list_shows_a_member_only_their_own_additions(client: Client) -> None:
    proposal, theme = Proposal.objects.get(key=KEY), Theme.objects.get(key="energy")
    lead, member, other = (
        make_user("lead", "theme_lead", "energy"),
        make_user("m1", "member"),
        make_user("m2", "member"),
    )
    actions.save_change(
        proposal=proposal, data={**proposal_values(proposal), "title_en": "Draft"}, token="new", by=lead
    )
    new = {**proposal_values(Proposal(theme=theme)), "kind": "project", "title_nl": "Idee van m1"}
    added = actions.save_addition(theme=theme, data=new, token="new", by=member)

    mine = client.get("/api/drafts", **bearer(member)).json()
    theirs = client.get("/api/drafts", **bearer(other)).json()
    editor = client.get("/api/drafts", **bearer(lead)).json()

    assert [d["key"] for d in mine["drafts"]] == [added.proposal_key]
    assert mine["drafts"][0]["draft_token"] == added.token
    assert theirs["drafts"] == []
    assert {d["key"] for d in editor["drafts"]} == {KEY, added.proposal_key}


def test_openapi_schema_is_valid_and_lists_every_path(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()

    validate(schema)
    assert set(schema["paths"]) == {
        "/api/themes",
        "/api/themes/{key}",
        "/api/proposals",
        "/api/proposals/{key}",
        "/api/proposals/{key}/comments",
        "/api/proposals/{key}/funding-advice",
        "/api/organisations",
        "/api/organisations/{key}",
        "/api/people",
        "/api/people/{key}",
        "/api/meetings",
        "/api/meetings/{key}",
        "/api/instruments",
        "/api/instruments/{key}",
        "/api/versions",
        "/api/versions/{number}",
        "/api/versions/{number}/submit",
        "/api/versions/{number}/reopen",
        "/api/versions/{number}/publish",
        "/api/drafts",
        "/api/imports",
        "/api/topics",
        "/api/topics/{key}",
        "/api/assessment-rounds/{key}",
    }
    assert set(schema["paths"]["/api/proposals/{key}"]) == {"get", "patch", "delete"}
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_docs_page_loads_only_local_files(client: Client) -> None:
    response = client.get("/api/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert not re.search(r"https?://", html)
    assets = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert len(assets) == 4
    for url in assets:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert b"".join(asset.streaming_content)  # type: ignore[attr-defined]
    assert '"url": "/api/openapi.json"' in html


def test_docs_assets_outside_the_list_are_404(client: Client) -> None:
    assert client.get("/api/docs/assets/redoc.standalone.js").status_code == 404
    assert client.get("/api/docs/assets/..%2F..%2Fconf.py").status_code == 404
