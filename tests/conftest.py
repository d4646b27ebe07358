"""Shared fixtures. The real seed agenda is loaded once per test session into the test
database; tests run inside transactions that roll back, so each one starts from it."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command

from trechter.seed import actions

# Playwright's sync API runs an event loop in the test thread; Django's guard against
# calling the ORM from async code would refuse the fixtures' queries.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        actions.load_seed()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run browser tests last: their live server needs a transactional database, whose
    flush after each test removes the session's seed that the other tests rely on."""
    items.sort(key=lambda item: "tests/e2e/" in str(item.path).replace(os.sep, "/"))


@pytest.fixture
def call(capsys: pytest.CaptureFixture[str]) -> Any:
    """Run a management command and return what it printed."""

    def run(*args: str) -> str:
        call_command(*args)
        return capsys.readouterr().out

    return run
