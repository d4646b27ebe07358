"""Every public page in both languages passes axe-core's checks at impact serious and above
(missing labels, contrast, nested interactive elements, duplicate landmarks, …)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
PAGES = [
    "",
    "themes/energy/",
    "funnel/",
    "proposals/energy-pv-cooperation/",
    "organisations/",
    "organisations/imec/",
    "search/?q=waterstof",
    "overview/",
    "trl/",
    "criteria/",
    "groups/stakeholder-group/",
    "meetings/",
    "versions/",
    "versions/1/",
    "accounts/login/",
    "report/",
    "data/",
    "evidence/",
]
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical' || v.id === 'landmark-unique')
    .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`);
}"""


def serious_violations(page: Page, base: str, paths: Iterable[str]) -> dict[str, list[str]]:
    """axe-core's serious and critical findings per page path (under `base`); only pages with some."""
    script = AXE.read_text(encoding="utf-8")
    found = {}
    for path in paths:
        page.goto(f"{base}/{path}")
        page.add_script_tag(content=script)
        violations = page.evaluate(RUN)
        if violations:
            found[path] = violations
    return found


@pytest.mark.parametrize("language", ["nl", "en"])
def test_public_pages_have_no_serious_accessibility_violations(page: Page, site: str, language: str) -> None:
    assert serious_violations(page, f"{site}/{language}", PAGES) == {}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_agenda_document_html_has_no_serious_accessibility_violations(page: Page, site: str, language: str) -> None:
    """The HTML edition is a download (attachment), so it is fetched and then opened."""
    response = page.request.get(f"{site}/{language}/report/published.html")
    assert response.ok
    page.set_content(response.text())
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    assert page.evaluate(RUN) == []
