"""A theme lead edits, the public keeps the published text, the core group publishes, the
diff shows the change; another theme's lead is refused; a concurrent edit loses nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import PASSWORD, make_user
from trechter.agenda.models import Proposal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEY = "energy-pv-cooperation"


def _sign_in(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/nl/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text(username)).to_be_visible()


def test_lead_edits_in_draft_core_group_publishes_and_diff_shows_it(page: Page, browser: Browser, site: str) -> None:
    make_user("lea", "theme_lead", "energy")
    make_user("cora", "core_group")
    published_title = Proposal.objects.get(key=KEY).title_nl

    _sign_in(page, site, "lea")
    page.goto(f"{site}/nl/proposals/{KEY}/")
    page.get_by_role("link", name="Bewerken in concept").click()
    page.get_by_label("titel (Nederlands)").fill("Kennisdeling zonnestroom NL–VL")
    page.get_by_role("button", name="Opslaan in concept").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kennisdeling zonnestroom NL–VL")

    visitor = browser.new_context(locale="nl-NL").new_page()
    visitor.goto(f"{site}/nl/proposals/{KEY}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(published_title)
    expect(visitor.get_by_text("Kennisdeling zonnestroom")).to_have_count(0)

    page.get_by_role("button", name="Uitloggen").click()
    _sign_in(page, site, "cora")
    page.goto(f"{site}/nl/versions/2/")
    page.get_by_role("button", name="Ter review aanbieden").click()
    page.get_by_label("Releasenotitie").fill("Najaarsupdate")
    page.get_by_role("button", name="Deze versie publiceren").click()
    expect(page.get_by_text("Versie 2 is gepubliceerd")).to_be_visible()

    visitor.goto(f"{site}/nl/versions/diff/?old=1&new=2")
    title_row = visitor.get_by_role("row").filter(has_text="Kennisdeling zonnestroom NL–VL")
    expect(title_row).to_contain_text(published_title)  # old and new side by side
    expect(title_row.locator("ins")).not_to_have_count(0)
    visitor.goto(f"{site}/nl/proposals/{KEY}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Kennisdeling zonnestroom NL–VL")


def test_lead_of_another_theme_is_refused(page: Page, site: str) -> None:
    make_user("pim", "theme_lead", "photonics")
    _sign_in(page, site, "pim")

    page.goto(f"{site}/nl/proposals/{KEY}/")
    expect(page.get_by_role("link", name="Bewerken in concept")).to_have_count(0)
    response = page.goto(f"{site}/nl/proposals/{KEY}/edit/")

    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Niet toegestaan")).to_be_visible()


def test_concurrent_edit_is_refused_without_loss(page: Page, browser: Browser, site: str) -> None:
    make_user("ann", "theme_lead", "energy")
    make_user("bob", "theme_lead", "energy")
    other = browser.new_context(locale="nl-NL").new_page()
    _sign_in(page, site, "ann")
    _sign_in(other, site, "bob")
    page.goto(f"{site}/nl/proposals/{KEY}/edit/")
    other.goto(f"{site}/nl/proposals/{KEY}/edit/")

    page.get_by_label("titel (Engels)").fill("Ann's title")
    page.get_by_role("button", name="Opslaan in concept").click()
    expect(page).to_have_url(re.compile(r"/draft/$"))
    other.get_by_label("titel (Engels)").fill("Bob's title")
    other.get_by_role("button", name="Opslaan in concept").click()

    alert = other.get_by_role("alert")
    expect(alert).to_contain_text("ann")
    expect(alert).to_contain_text("Ann's title")
    expect(other.get_by_label("titel (Engels)")).to_have_value("Bob's title")


def test_member_comments_in_place_with_htmx(page: Page, site: str) -> None:
    make_user("max", "member")
    _sign_in(page, site, "max")
    page.goto(f"{site}/nl/proposals/{KEY}/")
    page.evaluate("window.loadedOnce = true")  # survives only if the page is not reloaded

    page.get_by_label("Opmerking toevoegen").fill("Graag ook Limburgse partners <b>betrekken</b>.")
    page.get_by_role("button", name="Opmerking plaatsen").click()

    comments = page.locator("#comments")
    expect(comments).to_contain_text("Graag ook Limburgse partners <b>betrekken</b>.")
    expect(comments.locator("b")).to_have_count(0)  # shown as text, not markup
    assert page.evaluate("window.loadedOnce") is True
    expect(page.get_by_label("Opmerking toevoegen")).to_have_value("")
