"""A visitor looks up Flemish organisations, narrows the list as they go and opens one."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_filters_organisations_to_flanders_and_opens_one(page: Page, site: str) -> None:
    page.goto(site + "/en/organisations/")
    results = page.locator("#results")
    expect(results.get_by_role("heading", level=2)).to_contain_text(re.compile(r"^\d{3} organisations$"))

    page.get_by_label("Side", exact=True).select_option("VL")

    # htmx swaps the results in place and puts the filter in the address bar, to share.
    expect(page).to_have_url(re.compile(r"side=VL"))
    expect(results.get_by_role("row", name=re.compile("ASML"))).to_have_count(0)
    expect(results.locator("tbody td .badge").first).to_have_text("Flanders")

    page.get_by_label("Name", exact=True).fill("ugent")
    expect(results.get_by_role("heading", level=2)).to_have_text("1 organisation")
    page.get_by_role("link", name="Universiteit Gent").click()

    expect(page).to_have_url(site + "/en/organisations/ugent/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Universiteit Gent")
    expect(page.get_by_text(re.compile(r"^Active at TRL"))).to_be_visible()


def test_keyboard_user_filters_without_a_mouse(page: Page, site: str) -> None:
    page.goto(site + "/en/organisations/?side=VL")
    page.get_by_label("Name", exact=True).focus()
    page.keyboard.type("leuven")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"q=leuven"))
    expect(page.locator("#results").get_by_role("link", name="KU Leuven", exact=True)).to_be_visible()
