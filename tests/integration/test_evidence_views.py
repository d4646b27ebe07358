"""Evidence pages on imported CORDIS fixtures and the real seed agenda: the overview, a theme's
evidence, an organisation's evidence, the link from a seed organisation, and the review queue
with its role boundary."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client

from tests.factories import PASSWORD, make_user
from trechter.actors.models import Organisation
from trechter.agenda.models import Theme
from trechter.analytics import network
from trechter.evidence import actions, queries
from trechter.evidence.models import CordisOrganisation, OrganisationLink, Participation, Project

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "cordis"
FILES = [DATA / f"{fw}_{kind}.csv" for fw in ("fp7", "h2020") for kind in ("projects", "participations")]


@pytest.fixture
def evidence() -> None:
    cache.clear()
    actions.import_cordis(paths=[*FILES, DATA / "H2020_project.csv", DATA / "H2020_organization.csv"])
    actions.resolve_hashed_ids()
    actions.link_organisations()
    actions.classify_projects()
    actions.embed_projects()


def signed_in(role: str | None) -> Client:
    client = Client()
    make_user("evidence-user", role=role)
    assert client.login(username="evidence-user", password=PASSWORD)
    return client


def test_overview_without_import_explains_how_to_import(client: Client) -> None:
    cache.clear()
    page = client.get("/en/evidence/")
    assert page.status_code == 200
    assert "trechter import-cordis" in page.content.decode()


def test_overview_shows_the_cross_border_network(client: Client, evidence: None) -> None:
    page = client.get("/en/evidence/").content.decode()

    assert "joint NL–VL projects" in page
    assert "<svg" in page and 'class="network-picture"' in page
    assert "Source: CORDIS, © European Union." in page
    for theme in Theme.objects.all():
        assert f"/en/evidence/themes/{theme.key}/" in page


def test_overview_in_dutch(client: Client, evidence: None) -> None:
    page = client.get("/nl/evidence/").content.decode()
    assert '<html lang="nl">' in page
    assert "Bewijs uit EU-projecten" in page


def test_pictures_carry_plain_numbers_in_dutch(client: Client, evidence: None) -> None:
    """Dutch number formatting (0,5) must not reach SVG coordinates: the picture would collapse."""
    theme = Theme.objects.order_by("order").first()
    assert theme is not None
    for url in ("/nl/evidence/", f"/nl/evidence/themes/{theme.key}/"):
        page = client.get(url).content.decode()
        svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)
        assert svgs, url
        for svg in svgs:
            numbers = r'\s(?:x|y|x1|y1|x2|y2|cx|cy|r|width|height|stroke-width|dx)="([^"]*)"'
            for value in re.findall(numbers, svg):
                float(value)  # raises on "12,5" or "1.234,5"
            years = re.findall(r'<text class="year"[^>]*>([^<]*)</text>', svg)
            assert all(re.fullmatch(r"\d{4}", year) for year in years), years


def test_agenda_theme_page_links_to_its_evidence(client: Client) -> None:
    assert Theme.objects.count() == 6
    for theme in Theme.objects.all():
        page = client.get(f"/en/themes/{theme.key}/").content.decode()
        assert f'href="/en/evidence/themes/{theme.key}/"' in page


def test_period_filter_counts_only_projects_starting_in_it(client: Client, evidence: None) -> None:
    years = (2014, 2016)
    joint = {
        key
        for key in Project.objects.filter(year__range=years).values_list("key", flat=True)
        if {"NL", "VL"}
        <= set(Participation.objects.filter(project__key=key).values_list("organisation__side", flat=True))
    }
    everything = client.get("/en/evidence/").content.decode()
    page = client.get("/en/evidence/?start=2014&end=2016").content.decode()

    figure = re.compile(r"<strong>(\d+)</strong> joint NL–VL projects")
    assert int(figure.findall(page)[0]) == len(joint)
    assert int(figure.findall(everything)[0]) > len(joint) > 0
    assert 'href="?start=2014&amp;end=2020" aria-current="page"' not in page
    assert 'href="/en/evidence/themes/energy/?start=2014&amp;end=2016"' in page, "theme links keep the period"
    years_shown = re.findall(r'<text class="year"[^>]*>(\d{4})</text>', page)
    assert years_shown and all(2014 <= int(y) <= 2016 for y in years_shown)


@pytest.mark.parametrize(
    ("query", "message"),
    [("start=2020&end=2010", "The last year comes before the first."), ("start=abc", "Enter a whole number.")],
)
def test_a_bad_period_is_named_and_all_years_are_shown(
    client: Client, evidence: None, query: str, message: str
) -> None:
    page = client.get(f"/en/evidence/?{query}")
    text = page.content.decode()
    assert page.status_code == 200
    assert message in text and "All years are shown." in text
    assert re.search(r'<a href="\?" aria-current="page">all years</a>', text)


def test_all_pairs_download_as_csv_per_theme_and_period(client: Client, evidence: None) -> None:
    page = client.get("/en/evidence/themes/lsh/?start=2007&end=2013").content.decode()
    link = re.search(r'href="(/en/evidence/pairs\.csv\?[^"]+)"', page)
    assert link is not None
    response = client.get(link.group(1).replace("&amp;", "&"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="nl-vl-pairs-lsh-2007-2013.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "dutch_org_id" and len(rows) > 1
    parts = queries.near_participations()
    expected = network.cross_border_pairs(parts, left=("NL",), right=("VL",), theme="lsh", years=(2007, 2013))
    assert [(r[0], r[3], int(r[6])) for r in rows[1:]] == [(p.left, p.right, p.project_count) for p in expected]
    assert client.get("/en/evidence/pairs.csv?theme=nonsense").status_code == 404


def test_pairs_csv_neutralises_formulas(client: Client, evidence: None) -> None:
    dutch = CordisOrganisation.objects.filter(
        side="NL", participations__project__participations__organisation__side="VL"
    ).first()
    assert dutch is not None
    dutch.name = '=HYPERLINK("http://evil")'
    dutch.save()
    cache.clear()
    text = client.get("/en/evidence/pairs.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_every_theme_page_renders_and_unknown_theme_is_404(client: Client, evidence: None) -> None:
    for theme in Theme.objects.all():
        assert client.get(f"/en/evidence/themes/{theme.key}/").status_code == 200
    assert client.get("/en/evidence/themes/no-such-theme/").status_code == 404


def test_organisation_page_lists_projects_and_partners_across_the_border(client: Client, evidence: None) -> None:
    flemish = (
        CordisOrganisation.objects.filter(side="VL", participations__project__participations__organisation__side="NL")
        .distinct()
        .first()
    )
    assert flemish is not None

    page = client.get(f"/en/evidence/organisations/{flemish.org_id}/").content.decode()

    assert flemish.name in page.replace("&amp;", "&").replace("&#x27;", "'")
    assert "Partners across the border" in page
    project = Participation.objects.filter(organisation=flemish).select_related("project").first()
    assert project is not None
    assert (project.project.acronym or project.project.key) in page


def test_organisation_page_filters_projects_with_a_partner_across_the_border(client: Client, evidence: None) -> None:
    flemish = (
        CordisOrganisation.objects.filter(
            side="VL", same_as=None, participations__project__participations__organisation__side="NL"
        )
        .order_by("org_id")
        .first()
    )
    assert flemish is not None
    # The fixtures hold NL–VL projects only: add one without a Dutch partner.
    alone = Project.objects.create(key="H2020:rcn999999001", framework="H2020", year=2018, acronym="ALONE")
    Participation.objects.create(project=alone, organisation=flemish, ec_contribution=1000.0)
    own = set(Participation.objects.filter(organisation=flemish).values_list("project__key", flat=True))
    across = set(
        Participation.objects.filter(project__key__in=own, organisation__side="NL").values_list(
            "project__key", flat=True
        )
    )
    assert across and own - across == {"H2020:rcn999999001"}
    cache.clear()

    page = client.get(f"/en/evidence/organisations/{flemish.org_id}/?across=1").content.decode()

    projects = page[page.index('id="projects-heading"') :]
    listed = set(re.findall(r"<tr>\s*<th scope=\"row\">(?:<a [^>]*>)?([^<]+)", projects))
    expected = {p.acronym or p.key for p in Project.objects.filter(key__in=across)}
    assert listed == expected
    assert f"With a partner across the border ({len(across)})" in page
    assert "ALONE" in client.get(f"/en/evidence/organisations/{flemish.org_id}/").content.decode()


def test_organisation_page_pages_its_projects(client: Client, evidence: None, settings: Any) -> None:
    busy = max(CordisOrganisation.objects.filter(same_as=None), key=lambda o: o.participations.count())
    count = busy.participations.count()
    assert count > 3
    from trechter.evidence import views

    original = views.PROJECTS_PER_PAGE
    views.PROJECTS_PER_PAGE = 2
    try:
        first = client.get(f"/en/evidence/organisations/{busy.org_id}/").content.decode()
        last = client.get(f"/en/evidence/organisations/{busy.org_id}/?page=999").content.decode()
    finally:
        views.PROJECTS_PER_PAGE = original
    pages = -(-count // 2)
    assert f"Page 1 of {pages}" in first and 'rel="next"' in first
    assert f"Page {pages} of {pages}" in last and 'rel="next"' not in last


def test_organisation_funding_per_framework_says_where_the_data_has_none(client: Client, evidence: None) -> None:
    both = next(
        o
        for o in CordisOrganisation.objects.filter(same_as=None).order_by("org_id")
        if {"FP7", "H2020"} <= set(o.participations.values_list("project__framework", flat=True))
    )
    h2020 = Participation.objects.filter(organisation=both, project__framework="H2020")

    page = client.get(f"/en/evidence/organisations/{both.org_id}/").content.decode()

    fp7_row = re.search(r"<th scope=\"row\">FP7</th>.*?</tr>", page, flags=re.S)
    assert fp7_row is not None and "not in the data" in fp7_row.group(0)
    h2020_row = re.search(r"<th scope=\"row\">H2020</th>(.*?)</tr>", page, flags=re.S)
    assert h2020_row is not None
    cells = re.findall(r'<td class="num">([^<]*)</td>', h2020_row.group(1))
    assert cells[0] == str(h2020.count())
    total = sum(p.ec_contribution or 0 for p in h2020)
    assert cells[1].replace(",", "") == f"{total:.0f}"


def test_a_resolved_hashed_id_redirects_to_its_organisation_at_once(
    client: Client, evidence: None, django_assert_max_num_queries: Any
) -> None:
    canonical = CordisOrganisation.objects.filter(side="VL", same_as=None).order_by("org_id").first()
    assert canonical is not None
    alias = CordisOrganisation.objects.create(org_id="sod16:feedfacefeedface", name=canonical.name, same_as=canonical)

    with django_assert_max_num_queries(3):  # the record; nothing of the evidence is computed
        response = client.get(f"/en/evidence/organisations/{alias.org_id}/")

    assert response.status_code == 302
    assert response["Location"] == f"/en/evidence/organisations/{canonical.org_id}/"


def test_unknown_organisation_is_404(client: Client, evidence: None) -> None:
    assert client.get("/en/evidence/organisations/000/").status_code == 404


def test_seed_organisation_page_links_to_its_evidence(client: Client, evidence: None) -> None:
    link = OrganisationLink.objects.filter(status=OrganisationLink.ACCEPTED).select_related("organisation").first()
    assert link is not None, "some seed organisation (imec, TNO, KU Leuven…) is in the fixtures"

    page = client.get(f"/en/organisations/{link.organisation.key}/").content.decode()

    assert f"/en/evidence/organisations/{link.cordis.org_id}/" in page


def test_review_queue_needs_the_core_group(evidence: None) -> None:
    anonymous = Client().get("/en/evidence/links/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert signed_in("member").get("/en/evidence/links/").status_code == 403


def test_review_queue_gives_the_reasons_in_dutch(evidence: None) -> None:
    link = _a_link()
    link.status = OrganisationLink.REVIEW
    link.reasons = ["similar name ACME BV (0.71)", "same city Leuven"]
    link.save()
    page = signed_in("core_group").get("/nl/evidence/links/").content.decode()
    assert "gelijkende naam ACME BV (0.71); zelfde plaats Leuven" in page


def test_member_cannot_decide_a_link(evidence: None) -> None:
    link = _a_link()
    response = signed_in("member").post(f"/en/evidence/links/{link.pk}/", {"decision": "confirm"})
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.status != OrganisationLink.CONFIRMED


def test_core_group_confirms_and_rejects_links(evidence: None) -> None:
    client = signed_in("core_group")
    link = _a_link()

    assert client.get("/en/evidence/links/").status_code == 200
    response = client.post(f"/en/evidence/links/{link.pk}/", {"decision": "reject"})

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == OrganisationLink.REJECTED
    assert link.decided_by is not None and link.decided_by.username == "evidence-user"
    assert client.post(f"/en/evidence/links/{link.pk}/", {"decision": "maybe"}).status_code == 400


def test_decisions_survive_a_new_matching_run(evidence: None) -> None:
    client = signed_in("core_group")
    link = _a_link()
    client.post(f"/en/evidence/links/{link.pk}/", {"decision": "reject"})

    actions.link_organisations()

    kept = OrganisationLink.objects.get(organisation=link.organisation, cordis=link.cordis)
    assert kept.status == OrganisationLink.REJECTED


def test_deciding_needs_csrf(evidence: None) -> None:
    client = Client(enforce_csrf_checks=True)
    make_user("evidence-user", role="core_group")
    client.login(username="evidence-user", password=PASSWORD)
    link = _a_link()
    assert client.post(f"/en/evidence/links/{link.pk}/", {"decision": "confirm"}).status_code == 403


def test_organisation_page_query_count_does_not_grow_with_projects(
    client: Client, evidence: None, django_assert_max_num_queries: Any
) -> None:
    busy = max(CordisOrganisation.objects.filter(side="VL"), key=lambda o: o.participations.count())
    quiet = min(CordisOrganisation.objects.filter(side="VL"), key=lambda o: o.participations.count())
    assert busy.participations.count() > quiet.participations.count()
    with django_assert_max_num_queries(50) as one:
        client.get(f"/en/evidence/organisations/{quiet.org_id}/")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"/en/evidence/organisations/{busy.org_id}/")


def _a_link() -> OrganisationLink:
    link = OrganisationLink.objects.order_by("pk").first()
    if link is None:  # the matcher found nothing to review: make one to decide on
        link = OrganisationLink.objects.create(
            organisation=Organisation.objects.order_by("key").first(),
            cordis=CordisOrganisation.objects.order_by("org_id").first(),
            status=OrganisationLink.REVIEW,
            score=0.5,
        )
    return link


EVIDENCE_MODELS = [m for m in apps.get_models() if m._meta.app_label == "evidence"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_admin_shows_every_evidence_model_and_keeps_the_cordis_copy_read_only(
    admin_client: Client, evidence: None, lang: str
) -> None:
    assert len(EVIDENCE_MODELS) == 8
    for model in EVIDENCE_MODELS:
        base = f"/{lang}/admin/evidence/{model._meta.model_name}/"
        assert admin_client.get(base).status_code == 200, base
        obj = model._default_manager.first()
        assert obj is not None, base
        assert admin_client.get(f"{base}{obj.pk}/change/").status_code == 200, base
        can_add = admin_client.get(base + "add/").status_code == 200
        assert can_add == (model is OrganisationLink), base


def test_a_decision_in_the_admin_records_who_and_when(admin_client: Client, evidence: None) -> None:
    link = _a_link()
    page = admin_client.get(f"/en/admin/evidence/organisationlink/{link.pk}/change/")
    assert page.status_code == 200
    form = {
        "organisation": link.organisation_id,
        "cordis": link.cordis_id,
        "status": OrganisationLink.REJECTED,
        "score": link.score,
        "reasons": json.dumps(link.reasons),
    }
    response = admin_client.post(f"/en/admin/evidence/organisationlink/{link.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    link.refresh_from_db()
    assert link.status == OrganisationLink.REJECTED
    assert link.decided_by is not None and link.decided_by.is_superuser and link.decided_at is not None


def test_admin_refuses_staff_without_rights_and_anonymous(client: Client, evidence: None) -> None:
    assert client.get("/nl/admin/evidence/organisationlink/").status_code == 302
    make_user("staff-only", is_staff=True)
    client.login(username="staff-only", password=PASSWORD)
    assert client.get("/nl/admin/evidence/organisationlink/").status_code == 403
