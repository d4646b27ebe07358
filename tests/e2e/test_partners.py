"""The partner finder and the consortium builder in a real browser on the repo's CORDIS
fixtures: axe-core finds nothing serious in either language, and a person fills in the form
with the keyboard and gets suggestions, then builds a team from them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibility import serious_violations
from trechter.partners import actions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trained(evidence: str) -> str:
    actions.train_recommender()
    return evidence


@pytest.mark.parametrize("language", ["nl", "en"])
def test_partner_pages_have_no_serious_accessibility_violations(page: Page, trained: str, language: str) -> None:
    paths = (
        "partners/",
        "partners/?text=solar+cells&side=VL",
        "partners/consortium/?text=solar+cells&need_company=on&need_knowledge=on",
        "partners/consortium/?text=solar&size_min=2&size_max=3&dutch_min=2&flemish_min=2",
    )
    assert serious_violations(page, f"{trained}/{language}", paths) == {}


def test_a_person_finds_partners_and_builds_a_team(page: Page, trained: str) -> None:
    page.goto(f"{trained}/en/partners/")
    page.get_by_label("Describe the project (Dutch or English)").fill("zonnecellen en waterstof voor de industrie")
    page.get_by_label("Partners from").select_option("VL")
    page.get_by_label("Describe the project (Dutch or English)").press("Tab")
    page.get_by_role("button", name="Find partners").click()

    expect(page.get_by_role("heading", name="suggested partner", exact=False)).to_be_visible()
    assert page.locator("ol.suggestions > li").count() > 0
    assert "text=zonnecellen" in page.url, "the result has a shareable address"

    page.goto(f"{trained}/en/partners/consortium/?text=zonnecellen&need_company=on&need_knowledge=on")
    expect(page.get_by_role("heading", name="Best team")).to_be_visible()
    expect(page.locator("table.coverage").first).to_be_visible()
