"""The database refuses what the model forbids, whatever path the write takes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from trechter.actors.models import Organisation
from trechter.agenda.models import Proposal, Theme

pytestmark = pytest.mark.django_db


def _proposal(**fields) -> Proposal:  # type: ignore[no-untyped-def]
    theme = Theme.objects.get(key="energy")
    return Proposal(key="test-proposal", kind="project", theme=theme, title_nl="Test", status="proposed", **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"trl_from": 7, "trl_to": 3},
        {"trl_from": 0, "trl_to": 3},
        {"trl_from": 4, "trl_to": 10},
        {"trl_from": 4, "trl_to": None},
        {"budget_total_min_eur": 5, "budget_total_max_eur": 4},
        {"budget_per_year_min_eur": 5, "budget_per_year_max_eur": 5, "budget_years": None},
        {"planned_start": "maart 2017"},
    ],
)
def test_database_refuses_invalid_proposal(fields: dict) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        _proposal(**fields).save()


def test_database_refuses_negative_budget() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        _proposal(budget_total_min_eur=-1, budget_total_max_eur=5).save()


def test_full_clean_names_the_field_of_a_bad_trl() -> None:
    with pytest.raises(ValidationError) as info:
        _proposal(trl_from=0, trl_to=12).full_clean()
    assert {"trl_from", "trl_to"} <= set(info.value.message_dict)


def test_full_clean_explains_the_order_constraint() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as info:
        _proposal(trl_from=6, trl_to=2).full_clean()
    assert info.value.message_dict == {"__all__": ["TRL to must not be lower than TRL from."]}


def test_valid_proposal_budget_total_range_from_per_year() -> None:
    p = _proposal(
        trl_from=4, trl_to=6, budget_per_year_min_eur=3_000_000, budget_per_year_max_eur=3_000_000, budget_years=4
    )
    p.save()
    assert p.budget_total_range == (12_000_000, 12_000_000)
    assert p.trl_label == "TRL 4–6"


@pytest.mark.parametrize(("side", "country"), [("NL", "BE"), ("VL", "NL"), ("OTHER", "BE"), ("NL", "nl")])
def test_database_refuses_side_that_contradicts_country(side: str, country: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(key="x-org", name="X", side=side, country=country, type="sme")
