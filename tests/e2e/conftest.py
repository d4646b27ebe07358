"""Playwright driving Debian's chromium against Django's live server; screenshots on failure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, sync_playwright

from trechter.agenda.models import Agenda
from trechter.evidence import actions as evidence_actions
from trechter.seed import actions

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server: Any) -> str:
    """The live server's URL, with the seed agenda loaded (the transactional database of a
    live server starts empty after the first browser test)."""
    if not Agenda.objects.exists():
        actions.load_seed()
    return str(live_server.url)


@pytest.fixture
def evidence(site: str) -> str:
    """The live site with the repo's CORDIS fixtures imported and analysed."""
    cache.clear()
    data = Path(__file__).resolve().parents[1] / "data"
    cordis = data / "cordis"
    evidence_actions.import_cordis(
        paths=[
            *(cordis / f"{fw}_{kind}.csv" for fw in ("fp7", "h2020") for kind in ("projects", "participations")),
            data / "cordis_nl_be" / "projects.csv",
            data / "cordis_nl_be" / "participations.csv",
        ]
    )
    evidence_actions.resolve_hashed_ids()
    evidence_actions.link_organisations()
    evidence_actions.classify_projects()
    evidence_actions.embed_projects()
    return site


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
