"""The public reference pages: organisations, groups, meetings, overview, TRL levels, criteria.

Both languages, real seed content, unknown keys, filters (also hostile ones) and an N+1 guard
for every page that lists rows: 1 vs 3 extra rows, the same number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from trechter.actors import queries
from trechter.actors.models import Group, Meeting, MeetingParticipant, Membership, Organisation, Person
from trechter.agenda.models import Activity, Agenda, Party, Proposal, Theme, ThemeActor
from trechter.assessment.models import CriteriaAssessment, Criterion, CriterionFinding

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script>"


def _html(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response.content.decode()


# --- every page, both languages ---------------------------------------------------------

PAGES = [
    ("/{lang}/organisations/", {"nl": ">Agoria</a>", "en": ">ASML</a>"}),
    ("/{lang}/organisations/imec/", {"nl": "Interuniversitair Micro-Electronica Centrum", "en": "Leuven"}),
    ("/{lang}/groups/stakeholder-group/", {"nl": "Anja Hezemans", "en": "Erwin Dewallef"}),
    ("/{lang}/meetings/", {"nl": "Vervolgmeeting (kerngroep)", "en": "Follow-up meeting (core group)"}),
    ("/{lang}/overview/", {"nl": "Energie-systeemanalyse", "en": "Energy system analysis"}),
    ("/{lang}/trl/", {"nl": "Proof of concept wordt op labschaal getest", "en": "tested at lab scale"}),
    ("/{lang}/criteria/", {"nl": "Transdisciplinair.", "en": "Transdisciplinary."}),
]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(("url", "expected"), PAGES)
def test_reference_page_renders_seed_content_in_both_languages(
    client: Client, url: str, expected: dict[str, str], lang: str
) -> None:
    html = _html(client, url.format(lang=lang))
    assert expected[lang] in html
    assert f'lang="{lang}"' in html


@pytest.mark.parametrize(
    "url", ["/nl/organisations/no-such-organisation/", "/en/groups/no-such-group/", "/nl/organisations/<b>/"]
)
def test_unknown_key_is_not_found(client: Client, url: str) -> None:
    assert client.get(url).status_code == 404


# --- organisation register --------------------------------------------------------------


def test_organisation_list_counts_all_organisations(client: Client) -> None:
    response = client.get("/en/organisations/")
    assert response.context["page"].paginator.count == Organisation.objects.count()
    assert f"{Organisation.objects.count()} organisations" in response.content.decode()


def test_organisation_list_side_filter_shows_only_flemish_organisations(client: Client) -> None:
    response = client.get("/nl/organisations/", {"side": "VL"})
    html = response.content.decode()
    shown = list(response.context["page"].object_list)
    assert shown
    assert {o.side for o in shown} == {"VL"}
    assert response.context["page"].paginator.count == Organisation.objects.filter(side="VL").count()
    assert ">Agoria</a>" in html
    assert ">ASML</a>" not in html  # Dutch; would sort onto this page


def test_organisation_list_type_and_side_filters_combine(client: Client) -> None:
    response = client.get("/en/organisations/", {"side": "VL", "type": "university"})
    names = {o.name for o in response.context["page"].object_list}
    assert {"KU Leuven", "Universiteit Gent", "Vrije Universiteit Brussel"} <= names
    assert all(o.type == "university" and o.side == "VL" for o in response.context["page"].object_list)


@pytest.mark.parametrize(("q", "found"), [("TU/e", "tue"), ("photon delta", "photondelta"), ("ugent", "ugent")])
def test_organisation_list_name_filter_matches_names_and_aliases(client: Client, q: str, found: str) -> None:
    response = client.get("/nl/organisations/", {"q": q})
    assert found in [o.key for o in response.context["page"].object_list]


def test_organisation_list_facets_count_the_other_filters(client: Client) -> None:
    response = client.get("/en/organisations/", {"side": "VL"})
    sides = {f.value: f.count for f in response.context["side_facets"]}
    types = {f.value: f.count for f in response.context["type_facets"]}
    # The side facet ignores the side filter (so the other sides stay one click away) ...
    assert sides["NL"] == Organisation.objects.filter(side="NL").count()
    # ... the type facet counts within it.
    assert types["university"] == Organisation.objects.filter(side="VL", type="university").count()


def test_organisation_list_without_results_says_so(client: Client) -> None:
    html = _html(client, "/en/organisations/?q=zzzz-no-such-name")
    assert "0 organisations" in html
    assert "No organisation matches these filters." in html


def test_organisation_list_shows_each_rows_counts_and_aliases(client: Client) -> None:
    response = client.get("/en/organisations/", {"q": "imec"})
    imec = next(o for o in response.context["page"].object_list if o.key == "imec")
    assert imec.proposal_count == Party.objects.filter(organisation=imec).values("proposal").distinct().count()
    assert imec.activity_count == Activity.objects.filter(organisations=imec).count()
    assert "Interuniversity Microelectronics Centre" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"side": HOSTILE},
        {"type": HOSTILE, "q": HOSTILE},
        {"q": "x" * 5000},
        {"page": "99999999999999999999999"},
        {"page": "-1"},
        {"page": HOSTILE},
        {"side": ["VL", "NL"]},
    ],
)
def test_organisation_list_survives_hostile_filters(client: Client, params: dict[str, Any]) -> None:
    response = client.get("/nl/organisations/", params)
    html = response.content.decode()
    assert response.status_code == 200
    assert HOSTILE not in html
    assert "alert(1)" not in html or "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_organisation_list_ignores_an_unknown_side_and_says_so(client: Client) -> None:
    response = client.get("/en/organisations/", {"side": HOSTILE})
    assert response.context["filters"].side == ""
    assert response.context["page"].paginator.count == Organisation.objects.count()
    assert "were not understood" in response.content.decode()


def test_organisation_list_huge_page_number_shows_the_last_page(client: Client) -> None:
    response = client.get("/en/organisations/", {"page": "99999999999999"})
    page = response.context["page"]
    assert page.number == page.paginator.num_pages > 1


def test_organisation_list_links_keep_the_filters(client: Client) -> None:
    html = _html(client, "/en/organisations/?side=NL")
    assert 'href="?side=NL&amp;page=2"' in html
    assert 'name="side"' in html
    assert '<option value="NL" selected>' in html


def test_organisation_list_answers_htmx_with_the_results_partial(client: Client) -> None:
    response = client.get("/en/organisations/", {"side": "VL"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_organisation_list_answers_htmx_history_restore_with_the_whole_page(client: Client) -> None:
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in _html(client, "/en/organisations/", **headers)


# --- organisation page ------------------------------------------------------------------


def test_organisation_page_shows_facts_units_and_aliases(client: Client) -> None:
    html = _html(client, "/en/organisations/tno/")
    assert "TNO Networked Information" in html  # a unit
    assert "Netherlands Organisation for Applied Scientific Research" in html  # an alias
    assert "Den Haag" in html


def test_organisation_page_links_to_its_parent(client: Client) -> None:
    html = _html(client, "/nl/organisations/tno-networked-information/")
    assert 'href="/nl/organisations/tno/"' in html


def test_organisation_page_lists_proposals_with_role_and_theme(client: Client) -> None:
    response = client.get("/en/organisations/imec/")
    profile = response.context["profile"]
    html = response.content.decode()
    assert len(profile.parties) == Party.objects.filter(organisation__key="imec").count() > 0
    party = profile.parties[0]
    assert f'href="/en/proposals/{party.proposal.key}/"' in html
    assert f'href="/en/themes/{party.proposal.theme.key}/"' in html
    assert party.get_role_display() in html


def test_organisation_page_without_proposals_shows_empty_states(client: Client) -> None:
    html = _html(client, "/en/organisations/awti/")
    assert "This organisation is not a party to any proposal." in html
    assert "No theme chapter names this organisation as an actor." in html
    assert "No TRL range is known" in html
    assert "Paul Diederen" in html  # its member of the stakeholder group


def test_organisation_page_trl_coverage_comes_from_proposals_roles_and_activities(client: Client) -> None:
    theme = Theme.objects.order_by("order").first()
    assert theme is not None
    org = Organisation.objects.create(key="trl-probe", name="TRL probe", side="NL", country="NL", type="sme")
    proposal = Proposal.objects.create(
        key="trl-probe-p", kind="project", theme=theme, title_nl="p", trl_from=2, trl_to=3
    )
    Party.objects.create(proposal=proposal, organisation=org, role="lead")
    ThemeActor.objects.create(theme=theme, organisation=org, trl_from=3, trl_to=3)
    activity = Activity.objects.create(key="trl-probe-a", theme=theme, side="NL", text_nl="a", trl_from=5, trl_to=5)
    activity.organisations.add(org)

    response = client.get("/en/organisations/trl-probe/")

    coverage = response.context["profile"].coverage
    assert [cell.total for cell in coverage.cells] == [0, 1, 2, 0, 1, 0, 0, 0, 0]
    assert coverage.label == "TRL 2–3, 5"
    assert "Active at TRL 2–3, 5" in response.content.decode()


def test_trl_coverage_ignores_open_ranges_and_joins_runs() -> None:
    coverage = queries.trl_coverage([(1, 2), (None, None)], [(4, 4)], [(3, 3), (9, 9)])
    assert coverage.spans == [(1, 4), (9, 9)]
    assert coverage.label == "TRL 1–4, 9"
    assert queries.trl_coverage([], [], []).label == ""


def test_split_role_separates_the_sources_wording() -> None:
    assert queries.split_role("as listed: EWI; coordinator") == ("EWI", "coordinator")
    assert queries.split_role("as listed: FME") == ("FME", "")
    assert queries.split_role("Vlaams minister") == ("", "Vlaams minister")


# --- group page and meetings ------------------------------------------------------------


def test_stakeholder_group_lists_members_by_side(client: Client) -> None:
    response = client.get("/nl/groups/stakeholder-group/")
    sides = response.context["sides"]
    html = response.content.decode()
    assert [side.side for side in sides] == ["NL", "VL"]
    dutch = [m.membership.person.name for m in sides[0].members]
    flemish = [m.membership.person.name for m in sides[1].members]
    assert "Anja Hezemans" in dutch and "Erwin Dewallef" in flemish
    assert response.context["member_count"] == 40
    assert "coordinator of the work and the report" in html
    assert 'href="/nl/organisations/ewi/"' in html


def test_stakeholder_group_lists_its_meetings_in_date_order(client: Client) -> None:
    response = client.get("/en/groups/stakeholder-group/")
    assert [m.place for m in response.context["meetings"]] == ["Den Haag", "Amsterdam", "Brussel"]
    assert "31 March 2016" in response.content.decode()


def test_group_without_named_members_says_so(client: Client) -> None:
    html = _html(client, "/en/groups/core-group/")
    assert "The agenda does not name the members of this group." in html
    assert "Eindhoven" in html  # its one meeting


def test_meetings_are_a_timeline_in_date_order(client: Client) -> None:
    response = client.get("/en/meetings/")
    meetings = response.context["meetings"]
    html = response.content.decode()
    assert [m.held_on for m in meetings] == sorted(m.held_on for m in meetings)
    assert len(meetings) == Meeting.objects.count()
    assert html.index("4 July 2011") < html.index("7 November 2016")
    workshop = next(m for m in meetings if m.host is not None)
    assert workshop.participant_count == workshop.attendance.count() > 0
    assert f'href="/en/organisations/{workshop.host.key}/"' in html
    assert 'href="/en/groups/stakeholder-group/"' in html


# --- overview, TRL levels, criteria -----------------------------------------------------


def test_overview_page_has_the_section_2_1_table(client: Client) -> None:
    html = _html(client, "/nl/overview/")
    assert "Geïntegreerde Fotonica" in html
    assert html.count('<th scope="row">') == Theme.objects.count()
    assert 'href="/nl/themes/photonics/"' in html or "/nl/themes/" in html


def test_home_still_shows_the_overview_table(client: Client) -> None:
    html = _html(client, "/nl/")
    assert 'table class="overview"' in html
    assert "Geïntegreerde Fotonica" in html


def test_trl_annex_has_nine_levels_in_three_bands_with_instruments(client: Client) -> None:
    response = client.get("/en/trl/")
    bands = response.context["bands"]
    html = response.content.decode()
    assert [[row.level.level for row in levels] for _, levels in bands] == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    by_level = {row.level.level: {i.key for i in row.instruments} for _, levels in bands for row in levels}
    assert "interreg-vl-nl" in by_level[4] and "interreg-vl-nl" in by_level[6]
    assert "interreg-vl-nl" not in by_level[3]
    assert "Interreg Flanders-Netherlands" in html
    assert "Interreg Vlaanderen-Nederland" in _html(client, "/nl/trl/")


def test_criteria_page_shows_the_tree_and_the_assessment(client: Client) -> None:
    response = client.get("/nl/criteria/")
    tree = response.context["tree"]
    html = response.content.decode()
    assert len(tree) == Criterion.objects.filter(parent=None).count() == 9
    business = next(node for node in tree if node.criterion.key == "business-involvement")
    assert [child.criterion.key for child in business.children][-1] == "business-involvement-balance"
    assert len(business.children[-1].children) == 2
    (assessment,) = response.context["assessments"]
    assert len(assessment.rows) == Criterion.objects.count()
    assert "Gebundelde criterialijst (per 11 augustus 2016)" in html
    assert "Essentieel is ondersteuning door instellingen als M2i, Sirris en SIM" in html


def test_criteria_page_without_assessments_says_so(client: Client) -> None:
    CriterionFinding.objects.all().delete()
    CriteriaAssessment.objects.all().delete()
    assert "No theme or topic has been assessed" in _html(client, "/en/criteria/")


# --- N+1 guards: 1 vs 3 extra rows, the same number of queries ----------------------------


def _same_query_count(client: Client, url: str, add: Callable[[int], object], django_assert_num_queries: Any) -> None:
    add(0)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add(1)
    add(2)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def _theme() -> Theme:
    theme = Theme.objects.order_by("order").first()
    assert theme is not None
    return theme


def _extra_organisation(n: int, **fields: Any) -> Organisation:
    """An organisation that sorts first, with an alias, a proposal, a theme role and an activity."""
    org = Organisation.objects.create(
        key=f"aaa-extra-{n}", name=f"Aaa extra {n}", side="VL", country="BE", type="sme", **fields
    )
    org.aliases.create(name=f"Extra {n}")
    theme = _theme()
    proposal = Proposal.objects.create(
        key=f"extra-p{n}", kind="project", theme=theme, title_nl="p", trl_from=1, trl_to=2
    )
    Party.objects.create(proposal=proposal, organisation=org, role="partner")
    ThemeActor.objects.create(theme=theme, organisation=org)
    Activity.objects.create(key=f"extra-a{n}", theme=theme, side="VL", text_nl="a").organisations.add(org)
    return org


def test_organisation_list_query_count_does_not_grow(client: Client, django_assert_num_queries: Any) -> None:
    _same_query_count(client, "/nl/organisations/?side=VL&q=aaa+extra", _extra_organisation, django_assert_num_queries)


def test_organisation_page_query_count_does_not_grow(client: Client, django_assert_num_queries: Any) -> None:
    imec = Organisation.objects.get(key="imec")
    group = Group.objects.get(key="stakeholder-group")

    def add(n: int) -> None:
        unit = _extra_organisation(n, parent=imec)
        imec.aliases.create(name=f"imec extra {n}")
        Party.objects.create(proposal=Proposal.objects.get(key=f"extra-p{n}"), organisation=imec, role="lead")
        Activity.objects.get(key=f"extra-a{n}").organisations.add(imec)
        theme = Theme.objects.create(
            agenda=Agenda.objects.get(), key=f"extra-t{n}", order=20 + n, name_nl="t", name_en="t", aim_nl="t"
        )
        ThemeActor.objects.create(theme=theme, organisation=imec, trl_from=4, trl_to=6)
        person = Person.objects.create(key=f"extra-person-{n}", name=f"Extra {n}", organisation=unit)
        Membership.objects.create(group=group, person=person, organisation=imec)

    _same_query_count(client, "/en/organisations/imec/", add, django_assert_num_queries)


def test_group_page_query_count_does_not_grow(client: Client, django_assert_num_queries: Any) -> None:
    group = Group.objects.get(key="stakeholder-group")

    def add(n: int) -> None:
        org = _extra_organisation(n)
        person = Person.objects.create(key=f"extra-person-{n}", name=f"Extra {n}", organisation=org)
        Membership.objects.create(group=group, person=person, organisation=org, role="as listed: X; chair")
        meeting = Meeting.objects.create(
            key=f"extra-m{n}", held_on=datetime.date(2017, 1, 1 + n), group=group, title_nl="m", host=org
        )
        MeetingParticipant.objects.create(meeting=meeting, person=person, organisation=org)

    _same_query_count(client, "/nl/groups/stakeholder-group/", add, django_assert_num_queries)


def test_meetings_query_count_does_not_grow(client: Client, django_assert_num_queries: Any) -> None:
    def add(n: int) -> None:
        group = Group.objects.create(key=f"extra-g{n}", kind="workshop", name_nl="g", name_en="g")
        org = _extra_organisation(n)
        meeting = Meeting.objects.create(
            key=f"extra-m{n}", held_on=datetime.date(2017, 1, 1 + n), group=group, title_nl="m", host=org
        )
        person = Person.objects.create(key=f"extra-person-{n}", name=f"Extra {n}")
        MeetingParticipant.objects.create(meeting=meeting, person=person, organisation=org)

    _same_query_count(client, "/en/meetings/", add, django_assert_num_queries)


def test_criteria_query_count_does_not_grow(client: Client, django_assert_num_queries: Any) -> None:
    parent = Criterion.objects.get(key="relevance")

    def add(n: int) -> None:
        criterion = Criterion.objects.create(key=f"extra-c{n}", parent=parent, order=10 + n, text_nl="c", text_en="c")
        assessment = CriteriaAssessment.objects.create(
            key=f"extra-ca{n}", subject_theme=_theme(), title_nl=f"Extra {n}", assessed_by="x"
        )
        CriterionFinding.objects.create(assessment=assessment, criterion=criterion, present=bool(n % 2))

    _same_query_count(client, "/nl/criteria/", add, django_assert_num_queries)


def test_overview_query_count_does_not_grow(client: Client, django_assert_num_queries: Any) -> None:
    agenda = Agenda.objects.get()

    def add(n: int) -> None:
        theme = Theme.objects.create(
            agenda=agenda, key=f"extra-{n}", order=10 + n, name_nl="X", name_en="X", aim_nl="x"
        )
        Proposal.objects.create(
            key=f"extra-p{n}", kind="project", theme=theme, title_nl="p", overview_label_nl="p", overview_order=1
        )

    _same_query_count(client, "/en/overview/", add, django_assert_num_queries)


def test_trl_annex_query_count_is_fixed(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(2):
        client.get("/en/trl/")
