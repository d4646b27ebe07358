"""The evidence pages in a real browser on the repo's CORDIS fixtures: axe-core finds nothing
serious in either language, the network picture is drawn (nodes spread over the canvas, links
between them), its organisations are reachable by keyboard, and a core-group member confirms
a link in the review queue."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_workflow import _sign_in
from tests.factories import make_user
from trechter.evidence.models import CordisOrganisation, OrganisationLink

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _busiest(side: str) -> CordisOrganisation:
    return max(CordisOrganisation.objects.filter(side=side, same_as=None), key=lambda o: o.participations.count())


@pytest.mark.parametrize("language", ["nl", "en"])
def test_evidence_pages_have_no_serious_accessibility_violations(page: Page, evidence: str, language: str) -> None:
    paths = ("evidence/", "evidence/themes/lsh/", f"evidence/organisations/{_busiest('VL').org_id}/")
    assert serious_violations(page, f"{evidence}/{language}", paths) == {}


def test_network_picture_is_drawn_and_its_organisations_are_reachable_by_keyboard(page: Page, evidence: str) -> None:
    page.goto(f"{evidence}/nl/evidence/")
    picture = page.locator("svg.network-picture")
    expect(picture).to_be_visible()
    box = picture.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150

    circles = picture.locator("circle")
    assert circles.count() >= 10
    spread = page.evaluate(
        """() => { const b = [...document.querySelectorAll('svg.network-picture circle')].map(c => c.getBBox());
                   return [Math.min(...b.map(r => r.x)), Math.max(...b.map(r => r.x)),
                           Math.min(...b.map(r => r.y)), Math.max(...b.map(r => r.y))]; }"""
    )
    assert spread[1] - spread[0] > 300 and spread[3] - spread[2] > 150, "the nodes spread over the canvas"
    assert picture.locator("line").count() >= 10

    first = picture.locator("a").first
    first.focus()
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r".*/nl/evidence/organisations/[^/]+/$"))
    expect(page.get_by_role("heading", name="Partners over de grens")).to_be_visible()


def test_trend_bars_are_drawn_in_dutch(page: Page, evidence: str) -> None:
    page.goto(f"{evidence}/nl/evidence/")
    bars = page.locator("svg.trend-chart rect")
    assert bars.count() >= 3
    heights = [bars.nth(i).bounding_box()["height"] for i in range(bars.count())]  # type: ignore[index]
    assert max(heights) > 50


def test_core_group_confirms_a_link_in_the_review_queue(page: Page, evidence: str) -> None:
    make_user("kern", role="core_group")
    link = OrganisationLink.objects.filter(status=OrganisationLink.REVIEW).select_related("organisation").first()
    assert link is not None, "the fixtures leave something to review"
    _sign_in(page, evidence, "kern")

    page.goto(f"{evidence}/nl/evidence/links/")
    row = page.locator("tr", has=page.locator(f"a[href$='/evidence/organisations/{link.cordis.org_id}/']")).first
    row.get_by_role("button", name="Zelfde organisatie").click()

    expect(page).to_have_url(f"{evidence}/nl/evidence/links/")
    link.refresh_from_db()
    assert link.status == OrganisationLink.CONFIRMED
