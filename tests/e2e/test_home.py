"""A visitor opens Trechter, reads the overview table and switches language."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_overview_and_switches_to_english(page: Page, site: str) -> None:
    page.goto(site + "/")

    expect(page).to_have_url(site + "/nl/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("samenwerkingsagenda")
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader")).to_have_count(6)
    expect(table.get_by_role("row", name="Fotonica")).to_contain_text("Geïntegreerde Fotonica")

    page.get_by_role("link", name="EN", exact=True).click()

    expect(page).to_have_url(site + "/en/")
    expect(page.get_by_role("columnheader", name="Cooperation proposals")).to_be_visible()
    expect(table.get_by_role("row", name="Photonics")).to_be_visible()


def test_keyboard_user_reaches_content_and_language_switch(page: Page, site: str) -> None:
    page.goto(site + "/nl/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()


def test_stylesheet_is_served_and_applied(page: Page, site: str) -> None:
    page.goto(site + "/en/")
    brand_colour = page.get_by_role("link", name="Trechter").evaluate("el => getComputedStyle(el).color")
    assert brand_colour == "rgb(11, 95, 165)"
