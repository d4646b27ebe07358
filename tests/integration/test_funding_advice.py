"""The funding advisor on the seed (issue 8): every project proposal that names an instrument
with rules either fits it or is told exactly what is missing; rules refused with the field
named when an instrument is saved; the proposal page shows the advice."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from trechter.agenda.models import Proposal
from trechter.analytics import eligibility
from trechter.funding import advice
from trechter.funding.models import Instrument

pytestmark = pytest.mark.django_db
ON = date(2016, 10, 1)  # when the agenda was written


def test_every_named_instrument_fits_or_says_what_is_missing() -> None:
    checked = 0
    for proposal in Proposal.objects.filter(kind="project").prefetch_related("parties__organisation"):
        for found in advice.advise(proposal, on=ON):
            if not found.named:
                continue
            checked += 1
            if found.status == eligibility.FITS:
                continue
            for line in found.problems:  # every failed rule names a change; every unknown says what is unknown
                assert line.text
                assert line.status == eligibility.UNKNOWN or line.changes, (proposal.key, found.instrument.key, line)
    assert checked >= 5


def test_interreg_for_a_dutch_only_partnership_asks_for_a_flemish_partner() -> None:
    interreg = Instrument.objects.get(key="interreg-vl-nl")
    case = eligibility.Case(4, 6, (eligibility.Partner("NL", "NL", "sme", is_lead=True),), on=ON)

    verdict = eligibility.evaluate(interreg.rules, case)

    with translation.override("en"):
        changes = [advice.describe_change(c) for o in verdict.failed for c in o.changes]
    assert verdict.status == eligibility.FAILS
    assert changes == ["add a partner from Flanders"]


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ([{"kind": "trl", "trl_from": 0, "trl_to": 6}], "rules[0].trl_from"),
        ([{"kind": "trl", "trl_from": 6, "trl_to": 4}], "rules[0].trl_from"),
        ([{"kind": "budget", "max_eur": -5}], "rules[0].max_eur"),
    ],
)
def test_an_invalid_rule_is_refused_when_saved(rules: list[dict[str, object]], field: str) -> None:
    instrument = Instrument.objects.get(key="mit")
    instrument.rules = rules

    with pytest.raises(ValidationError) as refused:
        instrument.full_clean()

    assert field in str(refused.value.message_dict["rules"])


def test_the_proposal_page_shows_which_instrument_fits(client: Client) -> None:
    proposal = Proposal.objects.filter(kind="project", instruments__instrument__key="interreg-vl-nl").first()
    assert proposal is not None

    with translation.override("en"):
        page = client.get(f"/en/proposals/{proposal.key}/").content.decode()

    assert "Which instrument fits?" in page
    assert "Interreg Flanders-Netherlands" in page
