"""The topic explorer and an assessment round in a real browser: axe-core finds nothing
serious in either language; the core group starts a round on a discovered topic, an assessor
scores it with the keyboard, and the ranking appears."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_import import _sign_in
from tests.factories import make_user
from trechter.assessment.models import AssessmentRound, Score
from trechter.topics import actions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def discovered(site: str) -> str:
    actions.discover_topics()
    return site


@pytest.mark.parametrize("language", ["nl", "en"])
def test_topic_and_round_pages_have_no_serious_accessibility_violations(
    page: Page, discovered: str, language: str
) -> None:
    topic = actions.queries.latest_run().topics.order_by("size_rank").first()  # type: ignore[union-attr]
    recorded = AssessmentRound.objects.get(is_recorded=True)
    paths = ("topics/", "topics/?cross=1", f"topics/{topic.key}/", "assessment/", f"assessment/{recorded.key}/")  # type: ignore[union-attr]
    assert serious_violations(page, f"{discovered}/{language}", paths) == {}


def test_a_topic_on_the_map_opens_its_page(page: Page, discovered: str) -> None:
    page.goto(f"{discovered}/en/topics/")
    first = page.locator("svg.topic-map a").first
    label = first.get_attribute("aria-label")

    first.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(label or "")


def test_the_core_group_starts_a_round_and_an_assessor_scores_it(page: Page, discovered: str) -> None:
    make_user("kern", "core_group")
    _sign_in(page, discovered, "kern")
    page.goto(f"{discovered}/en/assessment/")
    page.get_by_label("Key").fill("ronde-1")
    page.get_by_label("Title (Dutch)").fill("Eerste ronde")
    page.get_by_role("button", name="Start the round").click()
    page.get_by_label("Discovered topic").select_option(index=1)
    page.get_by_role("button", name="Add").first.click()
    page.get_by_label("User").select_option("kern")
    page.get_by_label("Stakeholder group").select_option("VL")
    page.get_by_role("button", name="Add").nth(1).click()
    expect(page.get_by_text("Assessor added")).to_be_visible()

    page.locator("section").filter(has_text="Your scores").get_by_role("link").first.click()
    group = page.get_by_role("group", name="A clear joint knowledge lead", exact=False)
    group.get_by_label("3 — largely").check()
    group.get_by_label("Evidence note").fill("Sterke groepen aan beide zijden")
    page.get_by_role("group", name="Transdisciplinary", exact=False).get_by_label("4 — fully").check()
    page.get_by_role("button", name="Save", exact=True).press("Enter")

    expect(page.get_by_role("heading", name="Ranking")).to_be_visible()
    expect(page.get_by_role("cell", name="100%").first).to_be_visible()
    round_ = AssessmentRound.objects.get(key="ronde-1")
    assert sorted(Score.objects.filter(candidate__round=round_).values_list("criterion__key", "value")) == [
        ("knowledge-lead", 3),
        ("transdisciplinary", 4),
    ]
