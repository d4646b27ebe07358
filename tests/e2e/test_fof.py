"""A FoF / Smart Industry round in a real browser (issue 9), from the call to the published
award: the core group opens the call, a Dutch and a Flemish company apply, the core group
assigns the jury, two assessors score every aspect, the chair agrees (with a reason where
the assessors were more than a level apart), the core group decides and publishes; the
winner shows publicly, and the company that did not win opens its feedback report."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_import import _sign_in
from tests.factories import make_user
from trechter.actors.models import Organisation
from trechter.fof import actions
from trechter.fof.models import Affiliation, Application, AwardRound

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NAMES = [
    "World-class manufacturing technologies", "End-to-end engineering", "Digital factory", "Human-centred production",
    "Production network", "Eco-production", "Smart production systems",
]  # fmt: skip


@pytest.fixture
def prepared(site: str) -> dict[str, Any]:
    """A round in preparation (call until today, announced today), two companies with a
    person each, a jury of two assessors and a chair."""
    today = timezone.localdate()
    core = make_user("kern", "core_group")
    round_ = actions.create_round(
        key="fof-e2e", year=today.year, title_nl="FoF-award e2e", title_en="FoF award e2e",
        opens_on=today - timedelta(days=10), closes_on=today, announce_on=today, by=core,
    )  # fmt: skip
    for side, country in (("NL", "NL"), ("VL", "BE")):
        company = Organisation.objects.create(
            key=f"fabriek-{side.lower()}", name=f"Fabriek {side}", side=side, country=country, type="sme"
        )
        Affiliation.objects.create(user=make_user(f"baas-{side.lower()}"), organisation=company)
    for name, side, chair in (("joke", "NL", False), ("jan", "VL", False), ("voorzitter", "VL", True)):
        actions.add_juror(round_=round_, user=make_user(name, "jury"), side=side, is_chair=chair, by=core)
    return {"site": site, "round": round_}


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def _as(page: Page, site: str, username: str) -> None:
    page.context.clear_cookies()
    _sign_in(page, site, username)


def _score(page: Page, site: str, company: str, levels: dict[str, int]) -> None:
    page.goto(f"{site}/en/fof/")
    page.get_by_role("listitem").filter(has_text=company).get_by_role("link", name="score").click()
    for name in NAMES:
        page.get_by_role("group", name=name).get_by_label(str(levels.get(name, 4)), exact=True).check()
    page.get_by_role("group", name="Digital factory").get_by_label("Comment").fill("MES coupled to ERP")
    page.get_by_role("button", name="Save scores").click()
    expect(page.get_by_text("Your scores were saved.")).to_be_visible()


def test_a_round_from_call_to_published_award_and_the_feedback_report(page: Page, prepared: dict[str, Any]) -> None:
    site = prepared["site"]
    _sign_in(page, site, "kern")
    page.goto(f"{site}/en/fof/fof-e2e/")
    page.get_by_role("button", name="Open the call").click()
    expect(page.get_by_text("open for applications")).to_be_visible()

    for side in ("nl", "vl"):
        _as(page, site, f"baas-{side}")
        page.goto(f"{site}/en/fof/")
        page.get_by_role("link", name="Apply to FoF award e2e").click()
        page.get_by_label("Company").select_option(label=f"Fabriek {side.upper()}")
        page.get_by_label("Motivation").fill("Digitaal van order tot levering")
        page.get_by_role("button", name="Apply").click()
        expect(page.get_by_text("Your application was received.")).to_be_visible()

    _as(page, site, "kern")
    page.goto(f"{site}/en/fof/fof-e2e/")
    page.get_by_role("button", name="Close the call and start the assessment").click()
    for company in ("Fabriek NL", "Fabriek VL"):
        for juror in ("joke", "jan"):
            page.get_by_label("Application", exact=True).select_option(label=f"{company} — FoF-award e2e")
            page.get_by_label("Assessor", exact=True).select_option(label=juror)
            page.get_by_role("button", name="Assign").click()
            expect(page.get_by_text("Done.")).to_be_visible()

    for juror, flemish_eco in (("joke", 2), ("jan", 4)):
        _as(page, site, juror)
        _score(page, site, "Fabriek NL", {})
        _score(page, site, "Fabriek VL", {"Eco-production": flemish_eco})

    _as(page, site, "voorzitter")
    for key in ("fabriek-nl", "fabriek-vl"):
        page.goto(f"{site}/en/fof/fof-e2e/{key}/")
        for n, name in enumerate(NAMES):
            row = page.locator("tr").filter(has_text=name)
            if key == "fabriek-vl" and name == "Eco-production":
                expect(row).to_contain_text("more than one level apart")
                row.get_by_label("agreed level").select_option("3")
                row.get_by_role("button", name="Agree").click()
                expect(page.get_by_role("alert")).to_contain_text("Say why")
                row = page.locator("tr").filter(has_text=name)
                row.get_by_label("agreed level").select_option("3")
                row.get_by_label("reason").fill("Energy monitoring, no reuse yet")
            row.get_by_role("button", name="Agree").click()
            expect(
                page.locator("tr").filter(has_text=name).locator("td").nth(1).locator("strong").first
            ).to_be_visible()
            assert n >= 0

    _as(page, site, "kern")
    page.goto(f"{site}/en/fof/fof-e2e/")
    page.get_by_role("button", name="Decide by the award rule").click()
    page.get_by_role("button", name="Publish the awards in both regions").click()
    expect(page.get_by_role("heading", name="Winners")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Fabriek NL")).to_contain_text("label valid until")

    page.context.clear_cookies()
    page.goto(f"{site}/en/fof/")
    expect(page.get_by_role("row").filter(has_text="Fabriek NL")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Fabriek VL")).to_have_count(0)

    _as(page, site, "baas-vl")
    page.goto(f"{site}/en/fof/")
    with page.expect_download() as download:
        page.get_by_role("link", name="feedback report (PDF)").click()
    assert download.value.suggested_filename == "fof-fof-e2e-fabriek-vl-en.pdf"
    page.goto(f"{site}/en/fof/fof-e2e/fabriek-vl/report.html")
    expect(page.get_by_role("heading", name="Feedback report")).to_be_visible()
    expect(page.get_by_text("Not awarded this year")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Eco-production: level 3 of the 4 needed")).to_be_visible()
    assert page.goto(f"{site}/en/fof/fof-e2e/fabriek-nl/report.html").status == 403  # type: ignore[union-attr]

    winner = Application.objects.get(organisation__key="fabriek-nl")
    assert winner.awarded and Application.objects.get(organisation__key="fabriek-vl").awarded is False
    assert AwardRound.objects.get(key="fof-e2e").state == "published"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_award_pages_have_no_serious_accessibility_violations(
    page: Page, prepared: dict[str, Any], language: str
) -> None:
    site = prepared["site"]
    assert serious_violations(page, f"{site}/{language}", ["fof/"]) == {}
    _sign_in(page, site, "kern")
    assert serious_violations(page, f"{site}/{language}", ["fof/", "fof/fof-e2e/", "fof/new/"]) == {}
