"""A visitor reads the funnel of every theme, filters the funnel of all themes and switches
to English. With TRECHTER_DOCS_SCREENSHOT=1 the theme test also refreshes docs/img/funnel.png,
the README's picture of a theme funnel."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from trechter.agenda.models import Proposal, Theme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A proposal with a TRL range per theme, so it has a bar in the chart.
KNOWN_PROPOSALS = {
    "energy": "energy-geothermal-cooperation",
    "fof": "fof-fieldlab-infrastructure",
    "flexible-electronics": "flexible-electronics-production-concepts",
    "photonics": "photonics-rd-project-iii-v-sip-packaging-testing",
    "lsh": "lsh-regmed",
    "new-materials": "new-materials-am-programme",
}
DOCS_IMAGE = Path(__file__).resolve().parents[2] / "docs" / "img" / "funnel.png"


def test_visitor_reads_the_funnel_of_every_theme(page: Page, site: str) -> None:
    themes = list(Theme.objects.order_by("order"))
    assert [theme.key for theme in themes] == list(KNOWN_PROPOSALS)

    for theme in themes:
        proposal = Proposal.objects.get(key=KNOWN_PROPOSALS[theme.key])
        page.goto(site + "/nl/funnel/")
        page.get_by_role("table").first.get_by_role("link", name=theme.name_nl, exact=True).click()

        expect(page).to_have_url(f"{site}/nl/themes/{theme.key}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(theme.name_nl)
        chart = page.get_by_role("group", name=f"Trechter van {theme.name_nl}", exact=True)
        expect(chart).to_be_visible()
        expect(chart.locator(f'a[href="/nl/proposals/{proposal.key}/"]')).to_be_visible()
        expect(page.get_by_role("link", name=proposal.title_nl, exact=True).first).to_be_visible()


def test_visitor_switches_a_theme_page_to_english(page: Page, site: str) -> None:
    page.goto(site + "/nl/themes/flexible-electronics/")
    expect(page.get_by_role("heading", name="Samenwerkingsvoorstellen")).to_be_visible()
    expect(page.get_by_text("Leemte: geen Vlaamse actor").first).to_be_visible()

    page.get_by_role("link", name="EN", exact=True).click()

    expect(page).to_have_url(site + "/en/themes/flexible-electronics/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Flexible Electronics")
    expect(page.get_by_role("heading", name="Cooperation proposals")).to_be_visible()
    expect(page.get_by_role("group", name="Funnel of Flexible Electronics")).to_be_visible()
    if os.environ.get("TRECHTER_DOCS_SCREENSHOT"):
        _save_docs_image(page, site + "/en/themes/flexible-electronics/")


def _save_docs_image(page: Page, url: str) -> None:
    """The funnel figure at 1.5× for the README: a theme with a real gap (TRL 7–9, no Flemish actor)."""
    assert page.context.browser is not None
    context = page.context.browser.new_context(viewport={"width": 1200, "height": 900}, device_scale_factor=1.5)
    sharp = context.new_page()
    sharp.goto(url)
    DOCS_IMAGE.parent.mkdir(parents=True, exist_ok=True)
    sharp.locator("figure.funnel").screenshot(path=str(DOCS_IMAGE))
    context.close()


def test_keyboard_user_opens_the_table_alternative(page: Page, site: str) -> None:
    page.goto(site + "/en/themes/photonics/")
    table = page.locator("details.funnel-items table")
    expect(table).to_be_hidden()

    page.get_by_text("The funnel as a table").focus()
    page.keyboard.press("Enter")

    expect(table).to_be_visible()
    expect(table.get_by_role("row", name="Worldwide roadmap programme")).to_contain_text("no TRL range (not drawn)")


def test_visitor_filters_the_funnel_of_all_themes(page: Page, site: str) -> None:
    page.goto(site + "/en/funnel/")
    expect(page.get_by_role("group", name="Funnel of all themes")).to_be_visible()

    page.get_by_label("Theme", exact=True).select_option("photonics")

    expect(page.get_by_role("group", name="Funnel of Photonics")).to_be_visible()
    expect(page).to_have_url(site + "/en/funnel/?theme=photonics")
    page.get_by_role("link", name="Everything about Photonics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Photonics")
