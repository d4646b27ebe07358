"""A reader searches as they type, narrows the results with a filter and shares the URL."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reader_searches_as_they_type_filters_and_reloads(page: Page, site: str) -> None:
    page.goto(site + "/en/search/")
    page.evaluate("window.sameDocument = true")  # gone if the browser loads a new page
    results = page.locator("#search-results")

    page.locator("#search-q").press_sequentially("waterstof", delay=40)

    expect(page).to_have_url(re.compile(r"/en/search/\?q=waterstof$"))
    expect(results.locator("mark").first).to_have_text(re.compile("waterstof", re.IGNORECASE))
    expect(results.get_by_role("link", name=re.compile("WaterstofNet"))).to_be_visible()
    assert page.evaluate("window.sameDocument") is True

    page.locator("#filter-kind").select_option("proposal")

    expect(page).to_have_url(re.compile(r"q=waterstof&kind=proposal"))
    expect(results.get_by_role("link", name=re.compile("WaterstofNet"))).to_have_count(0)
    expect(results.locator(".search-kind").first).to_have_text("Proposal")
    assert page.evaluate("window.sameDocument") is True
    count = results.locator(".search-count").inner_text()

    page.reload()

    expect(page.locator("#search-q")).to_have_value("waterstof")
    expect(page.locator("#filter-kind")).to_have_value("proposal")
    expect(results.locator(".search-count")).to_have_text(count)
    assert page.evaluate("window.sameDocument") is None
