"""The funding advisor in a real browser: axe-core finds nothing serious on the instrument
pages in either language; the core group edits an instrument's rules, a wrong rule is refused
with its field named and the text kept, the right one changes the proposal page's advice."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_import import _sign_in
from tests.factories import make_user
from trechter.agenda.models import Proposal
from trechter.funding.models import Instrument

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_instrument_pages_have_no_serious_accessibility_violations(page: Page, site: str, language: str) -> None:
    paths = ["instruments/", "instruments/interreg-vl-nl/", "funnel/"]
    assert serious_violations(page, f"{site}/{language}", paths) == {}


def test_the_core_group_edits_rules_and_the_proposal_page_follows(page: Page, site: str) -> None:
    make_user("kern", "core_group", None)
    proposal = Proposal.objects.filter(kind="project", instruments__instrument__key="interreg-vl-nl").first()
    assert proposal is not None
    _sign_in(page, site, "kern")
    assert serious_violations(page, f"{site}/en", ["instruments/interreg-vl-nl/rules/"]) == {}

    page.goto(f"{site}/en/instruments/interreg-vl-nl/")
    page.get_by_role("link", name="Edit the rules").click()
    rules = page.get_by_label("Eligibility rules (JSON)")
    rules.fill('[{"kind": "trl", "trl_from": 0, "trl_to": 6}]')
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("rules[0].trl_from: a TRL is a whole number from 1 to 9")
    expect(rules).to_have_value('[{"kind": "trl", "trl_from": 0, "trl_to": 6}]')
    assert Instrument.objects.get(key="interreg-vl-nl").rules[0]["trl_from"] == 4

    rules.fill('[{"kind": "countries", "min_count": 40}]')
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The rules were saved.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="partners from at least 40 countries")).to_be_visible()

    page.goto(f"{site}/en/proposals/{proposal.key}/")
    advice = page.locator("section.advice li").filter(has_text="Interreg Flanders-Netherlands").first
    expect(advice).to_contain_text("needs partners from at least 40 countries")
