"""Theme pages and the funnel of all themes, on the real seed agenda: both languages, the
chart and its table alternative, gaps the seed really has, query counts."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from trechter.accounts.models import Role
from trechter.actors.models import Organisation
from trechter.agenda.models import Activity, Party, Proposal, Theme, ThemeActor
from trechter.analytics import funnel

pytestmark = pytest.mark.django_db

THEME_KEYS = ["energy", "fof", "flexible-electronics", "photonics", "lsh", "new-materials"]
INTERREG_PROJECT = "photonics-rd-project-iii-v-sip-packaging-testing"  # TRL 4–6 in Bijlage 4d


def _bar(html: str, key: str) -> tuple[float, float]:
    """x and width of the bar that links to proposal `key`."""
    link = rf'<a href="/\w\w/proposals/{key}/"[^>]*class="bar [^"]*">\s*<title>.*?</title>\s*'
    match = re.search(link + r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', html, re.S)
    assert match, key
    return float(match.group(1)), float(match.group(2))


def test_every_theme_page_renders_in_both_languages() -> None:
    client = Client()
    for theme in Theme.objects.all():
        nl = client.get(f"/nl/themes/{theme.key}/")
        en = client.get(f"/en/themes/{theme.key}/")
        assert (nl.status_code, en.status_code) == (200, 200), theme.key
        assert f"<h1>{theme.name_nl}</h1>" in nl.content.decode().replace("&amp;", "&")
        assert f"<h1>{theme.name_en}</h1>" in en.content.decode().replace("&amp;", "&")
    assert sorted(Theme.objects.values_list("key", flat=True)) == sorted(THEME_KEYS)


@pytest.mark.parametrize("key", THEME_KEYS)
def test_theme_page_has_the_chart_and_its_table_alternative(client: Client, key: str) -> None:
    html = client.get(f"/en/themes/{key}/").content.decode()

    labels = (
        f'role="group" aria-roledescription="chart" aria-labelledby="funnel-{key}-title" '
        f'aria-describedby="funnel-{key}-desc"'
    )
    assert re.search(rf'<svg class="funnel-chart"[^>]*{labels}', html)
    assert f'<title id="funnel-{key}-title">Funnel of ' in html
    assert f'<desc id="funnel-{key}-desc">' in html
    assert "Dutch and Flemish actors per TRL band" in html
    assert '<details class="funnel-items">' in html
    assert "Interreg VL-NL" in html and "depending on cooperation potential and intentions" in html


def test_theme_page_content_follows_the_language(client: Client) -> None:
    nl = client.get("/nl/themes/photonics/").content.decode()
    en = client.get("/en/themes/photonics/").content.decode()

    assert "Fotonica onderzoekt de uitzonderlijke eigenschappen van licht" in nl
    assert "Photonics studies the exceptional properties of light" in en
    assert "Samenwerkingsvoorstellen" in nl and "Projectvoorstellen" in nl  # interface, translated
    assert "Cooperation proposals" in en and "Project proposals" in en
    assert 'lang="en"' in en


def test_unknown_theme_is_not_found(client: Client) -> None:
    assert client.get("/nl/themes/no-such-theme/").status_code == 404
    assert client.get("/en/themes/no-such-theme/").status_code == 404


def test_theme_page_and_funnel_refuse_post(client: Client) -> None:
    assert client.post("/nl/themes/photonics/").status_code == 405
    assert client.post("/nl/funnel/").status_code == 405


def test_known_proposal_is_drawn_over_its_trl_range(client: Client) -> None:
    proposal = Proposal.objects.get(key=INTERREG_PROJECT)
    assert (proposal.trl_from, proposal.trl_to) == (4, 6)

    html = client.get("/en/themes/photonics/").content.decode()

    x, width = _bar(html, INTERREG_PROJECT)
    assert (x, x + width) == (funnel.column_x(4) + 2, funnel.column_x(7) - 2)
    assert "Joint R&amp;D project integrating" in html
    assert f'href="/en/proposals/{INTERREG_PROJECT}/"' in html


def test_proposals_are_split_by_kind_with_trl_and_status(client: Client) -> None:
    response = client.get("/en/themes/photonics/")
    page = response.context["page"]

    assert [row.proposal.key for row in page.cooperation] == [
        "photonics-integrated-photonics",
        "photonics-global-roadmap-programme",
    ]
    assert [row.depth for row in page.cooperation] == [0, 1]
    assert [row.proposal.key for row in page.projects] == [INTERREG_PROJECT]
    html = response.content.decode()
    assert re.search(r'href="/en/proposals/photonics-integrated-photonics/">.*?</a>.*?TRL 1–9.*?Proposed', html, re.S)


def test_item_without_trl_range_is_listed_but_not_drawn(client: Client) -> None:
    html = client.get("/en/themes/photonics/").content.decode()

    assert "Worldwide roadmap programme for integrated photonics" in html
    assert not re.search(r'<a href="/en/proposals/photonics-global-roadmap-programme/"[^>]*class="bar', html)
    assert "no TRL range (not drawn)" in html


def test_flexible_electronics_has_no_flemish_actor_in_trl_7_to_9(client: Client) -> None:
    """A real gap: the deployment band of flexible electronics has Dutch actors only
    (first-generation machines, smart medicine packaging), nothing Flemish."""
    response = client.get("/en/themes/flexible-electronics/")
    bands = {band.key: band for band in response.context["page"].funnel.bands}

    assert bands["7-9"].missing == ("VL",) and bands["7-9"].nl_count > 0
    assert not bands["4-6"].is_gap
    html = response.content.decode()
    assert html.count('class="band-column gap"') == 1
    assert "Gap: no Flemish actor" in html
    assert re.search(r'<tr class="gap">\s*<th scope="row">TRL 7–9</th>.*?No Flemish actor', html, re.S)


def test_factories_of_the_future_has_nobody_in_trl_1_to_3(client: Client) -> None:
    bands = client.get("/en/themes/fof/").context["page"].funnel.bands

    assert [(band.key, band.missing) for band in bands] == [("1-3", ("NL", "VL")), ("4-6", ()), ("7-9", ())]


def test_svg_coordinates_use_a_decimal_point_in_dutch(client: Client) -> None:
    html = client.get("/nl/themes/photonics/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]

    assert re.search(r'x="\d+,\d', svg) is None
    assert 'viewBox="0 0 960.0 ' in svg


def test_activities_and_actors_link_to_their_organisations(client: Client) -> None:
    html = client.get("/en/themes/photonics/").content.decode()

    assert 'id="activity-photonics-act-vl-imec-si-photonics-pilot-line"' in html
    assert 'href="/en/organisations/imec/"' in html
    assert 'href="/en/themes/photonics/#activity-photonics-act-vl-imec-si-photonics-pilot-line"' in html


def test_funnel_template_answers_are_shown_per_question_and_band(client: Client) -> None:
    html = client.get("/en/themes/lsh/").content.decode()

    assert "What are the specific objectives of the cooperation?" in html
    assert re.search(r'<h4 class="band-label">TRL 1–3</h4>', html)


def test_members_may_propose_visitors_may_not(client: Client) -> None:
    theme_url = "/en/themes/photonics/"
    assert "/en/themes/photonics/propose/" not in client.get(theme_url).content.decode()
    user = User.objects.create_user("member", password="a-long-password-1")
    Role.objects.create(user=user, kind="member")
    client.login(username="member", password="a-long-password-1")

    assert 'href="/en/themes/photonics/propose/"' in client.get(theme_url).content.decode()


def _add_to_theme(theme: Theme, start: int, count: int) -> None:
    """`count` proposals with a party, activities with an organisation, and theme actors."""
    for n in range(start, start + count):
        organisation = Organisation.objects.create(
            key=f"extra-org-{n}", name=f"Extra {n}", side="VL", country="BE", type="sme"
        )
        proposal = Proposal.objects.create(
            key=f"extra-proposal-{n}", kind="project", theme=theme, title_nl=f"Extra {n}", trl_from=2, trl_to=5
        )
        Party.objects.create(proposal=proposal, organisation=organisation, role="partner")
        activity = Activity.objects.create(
            key=f"extra-activity-{n}", theme=theme, side="VL", text_nl=f"Extra {n}.", trl_from=7, trl_to=9
        )
        activity.organisations.add(organisation)
        ThemeActor.objects.create(theme=theme, organisation=organisation, trl_from=1, trl_to=3)


def test_theme_page_query_count_does_not_grow_with_items(
    client: Client, django_assert_num_queries: Any, django_assert_max_num_queries: Any
) -> None:
    theme = Theme.objects.get(key="photonics")
    _add_to_theme(theme, 0, 1)
    with django_assert_max_num_queries(30) as one:
        assert client.get("/nl/themes/photonics/").status_code == 200

    _add_to_theme(theme, 1, 2)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/nl/themes/photonics/")
    assert "Extra 2" in response.content.decode()


def test_funnel_query_count_does_not_grow_with_items(
    client: Client, django_assert_num_queries: Any, django_assert_max_num_queries: Any
) -> None:
    theme = Theme.objects.get(key="energy")
    _add_to_theme(theme, 0, 1)
    with django_assert_max_num_queries(30) as one:
        client.get("/nl/funnel/")

    _add_to_theme(theme, 1, 2)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/nl/funnel/")


def test_funnel_shows_every_theme_with_links_and_gaps(client: Client) -> None:
    response = client.get("/en/funnel/")
    html = response.content.decode()

    assert response.status_code == 200
    for key in THEME_KEYS:
        assert f'href="/en/themes/{key}/"' in html
    assert (
        '<svg class="funnel-chart"' in html
        and 'aria-labelledby="funnel-all-title" aria-describedby="funnel-all-desc"' in html
    )
    assert "Funnel of all themes" in html
    summaries = {s.theme.key: s for s in response.context["overview"].summaries}
    assert [band.key for band in summaries["flexible-electronics"].bands if band.is_gap] == ["7-9"]
    assert "Gap: no Flemish actor" in html and "Gap: nobody" in html


def test_funnel_in_dutch_uses_dutch_theme_names(client: Client) -> None:
    html = client.get("/nl/funnel/").content.decode()

    assert "Energie-innovatie" in html and "Nieuwe Materialen" in html
    assert "Energy innovation" not in html


def test_funnel_filter_selects_one_theme(client: Client) -> None:
    response = client.get("/en/funnel/?theme=photonics")
    overview = response.context["overview"]

    assert overview.selected.key == "photonics"
    assert [group.key for group in overview.funnel.groups] == ["photonics"]
    assert '<option value="photonics" selected>' in response.content.decode()


def test_funnel_filter_answers_htmx_with_the_chart_only(client: Client) -> None:
    response = client.get("/en/funnel/?theme=photonics", headers={"HX-Request": "true"})
    html = response.content.decode()

    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="funnel-chart"')
    assert "<html" not in html and "Themes at a glance" not in html
    assert "Funnel of Photonics" in html


def test_funnel_filter_with_unknown_theme_is_not_found(client: Client) -> None:
    assert client.get("/en/funnel/?theme=nonsense").status_code == 404
