"""Anonymous visitors' public pages come from the cache until the content changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from tests.factories import PASSWORD, make_user
from trechter.actors.models import Organisation
from trechter.agenda.models import Proposal
from trechter.evidence import actions as evidence
from trechter.evidence.models import OrganisationLink
from trechter.fof import actions as fof
from trechter.fof.models import Affiliation
from trechter.versions import actions, stamps
from trechter.versions.snapshot import proposal_values

pytestmark = pytest.mark.django_db

KEY = "energy-pv-cooperation"
URL = f"/en/proposals/{KEY}/"


@pytest.fixture(autouse=True)
def page_cache() -> Iterator[None]:
    cache.clear()
    with override_settings(PAGE_CACHE=True):
        yield
    cache.clear()


def test_second_visit_is_served_from_the_cache(client: Client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    first = client.get(URL)
    with django_assert_num_queries(1):  # the content stamp only
        second = client.get(URL)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    for header in ("Content-Type", "Content-Language", "X-Frame-Options", "Vary"):
        assert second[header] == first[header]
    assert "csrfmiddlewaretoken" not in first.content.decode()


def test_publication_makes_cached_pages_stale(client: Client) -> None:
    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    client.get(URL)
    proposal = Proposal.objects.get(key=KEY)
    draft = actions.save_change(
        proposal=proposal, data=proposal_values(proposal) | {"title_en": "Fresh"}, token="new", by=lead
    )
    assert client.get(URL)["X-Page-Cache"] == "hit"  # a draft changes nothing public

    actions.submit_version(version=draft.version, by=core)
    actions.publish_version(version=draft.version, by=core)
    response = client.get(URL)

    assert response["X-Page-Cache"] == "miss"
    assert "Fresh" in response.content.decode()


def test_any_saved_content_change_renews_the_stamp() -> None:
    before = stamps.current()
    proposal = Proposal.objects.get(key=KEY)
    proposal.title_en = "Edited in the admin"
    proposal.save()
    assert stamps.current() != before


def test_signed_in_users_and_htmx_and_posts_are_never_cached() -> None:
    make_user("max", "member")
    member = Client()
    member.login(username="max", password=PASSWORD)
    member.get(URL)
    assert "X-Page-Cache" not in member.get(URL)
    anonymous = Client()
    assert "X-Page-Cache" not in anonymous.get(URL, HTTP_HX_REQUEST="true")
    assert "X-Page-Cache" not in anonymous.post(f"/en/proposals/{KEY}/comments/", {"text": "x"})


def test_pages_with_forms_are_not_cached(client: Client) -> None:
    client.get("/en/accounts/login/")
    assert "X-Page-Cache" not in client.get("/en/accounts/login/")


def test_errors_are_not_cached(client: Client) -> None:
    client.get("/en/proposals/no-such-proposal/")
    assert "X-Page-Cache" not in client.get("/en/proposals/no-such-proposal/")


def test_signed_in_theme_page_reuses_the_cached_body_until_content_changes(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    make_user("lea", "theme_lead", "energy")
    lead = Client()
    lead.login(username="lea", password=PASSWORD)
    with django_assert_max_num_queries(50) as first:
        html = lead.get("/en/themes/energy/").content.decode()
    with django_assert_max_num_queries(50) as second:
        again = lead.get("/en/themes/energy/").content.decode()

    assert len(second) < len(first) - 5  # the body's dozen queries are skipped
    assert again[again.index("<main") :] == html[html.index("<main") :]  # the CSRF token differs per request
    assert "Edit the theme's name and aim" in again  # the signed-in header is not cached
    theme_proposal = Proposal.objects.filter(theme__key="energy").first()
    assert theme_proposal is not None
    theme_proposal.title_en = "Renamed for the fragment test"
    theme_proposal.save()
    assert "Renamed for the fragment test" in lead.get("/en/themes/energy/").content.decode()


def test_seed_reload_renews_the_stamp_only_when_something_changed() -> None:
    from trechter.seed import actions as seed

    before = stamps.current()
    seed.load_seed()  # the data set is already loaded: nothing changes
    assert stamps.current() == before

    Proposal.objects.filter(key=KEY).update(title_en="Changed behind the seed's back")
    seed.load_seed()  # puts the seed's title back
    assert stamps.current() != before


def test_evidence_changes_renew_the_stamp(client: Client) -> None:
    """An import, a matching run or a decision shows at once on cached public pages."""
    data = Path(__file__).resolve().parents[1] / "data" / "cordis"
    empty = client.get("/en/evidence/")
    assert "trechter import-cordis" in empty.content.decode()

    evidence.import_cordis(paths=[data / "h2020_projects.csv", data / "h2020_participations.csv"])

    after = client.get("/en/evidence/")
    assert after["X-Page-Cache"] == "miss"
    assert "joint NL–VL projects" in after.content.decode()
    for step in (evidence.link_organisations, evidence.classify_projects):  # resolve_hashed_ids: when it changes
        before = stamps.current()
        step()
        assert stamps.current() != before, step.__name__
    before = stamps.current()
    link = OrganisationLink.objects.first()
    assert link is not None
    evidence.decide_link(link=link, confirm=False, by=make_user("core", role="core_group"))
    assert stamps.current() != before


def test_published_awards_show_at_once_and_scores_leave_the_cache_alone(client: Client) -> None:
    core = make_user("kern", "core_group")
    today = date.today()
    round_ = fof.create_round(key="fof-c", year=today.year, title_nl="FoF C", opens_on=today, closes_on=today,
                              announce_on=today, assessors_per_application=1, by=core)  # fmt: skip
    company = Organisation.objects.create(key="fab", name="Fabriek Cache", side="NL", country="NL", type="sme")
    boss = make_user("baas")
    Affiliation.objects.create(user=boss, organisation=company)
    fof.add_juror(round_=round_, user=core, side="NL", by=core)
    fof.add_juror(round_=round_, user=make_user("vlaams-jurylid", "jury"), side="VL", by=core)
    fof.advance(round_=round_, by=core)
    application = fof.apply(round_=round_, organisation=company, by=boss)
    assert "Fabriek Cache" not in client.get("/en/fof/").content.decode()
    stamp = stamps.current()

    fof.advance(round_=round_, by=core)
    assert stamps.current() != stamp  # the round's state is public
    stamp = stamps.current()
    assignment = fof.assign(application=application, assessor=core, by=core)
    levels = dict.fromkeys(round_.method.keys, 4)
    fof.submit_scores(assignment=assignment, levels=levels, comments={}, by=core)
    for aspect in levels:
        fof.agree(application=application, aspect=aspect, level=4, by=core)
    assert stamps.current() == stamp  # assignments, scores and agreed levels are not public
    fof.decide_round(round_=round_, by=core)
    fof.publish(round_=round_, by=core)

    assert "Fabriek Cache" in client.get("/en/fof/").content.decode()
