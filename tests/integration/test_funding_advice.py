"""The funding advisor on the seed (issue 8): every project proposal that names an instrument
with rules either fits it or is told exactly what is missing; rules refused with the field
named when an instrument is saved; the proposal page shows the advice."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.test import Client
from django.utils import translation

from trechter.actors.models import Organisation
from trechter.agenda.models import Party, Proposal
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


def _dutch_sme_proposal(*, involve: Organisation | None) -> Proposal:
    """A TRL 4–6 project led by a Dutch SME, with a Flemish organisation to involve or none."""
    theme = Proposal.objects.filter(kind="project").first().theme  # type: ignore[union-attr]
    proposal = Proposal.objects.create(
        key="zz-advice", kind="project", theme=theme, title_nl="Advies", trl_from=4, trl_to=6
    )
    lead = Organisation.objects.create(key="zz-nl-sme", name="Grensmkb BV", side="NL", country="NL", type="sme")
    Party.objects.create(proposal=proposal, organisation=lead, role="lead")
    if involve is not None:
        Party.objects.create(proposal=proposal, organisation=involve, role="to_involve")
    return proposal


def test_a_change_names_the_organisation_the_proposal_means_to_involve() -> None:
    flemish = Organisation.objects.create(
        key="zz-vl-uni", name="Grensuniversiteit", side="VL", country="BE", type="university"
    )
    proposal = _dutch_sme_proposal(involve=flemish)

    with translation.override("en"):
        found = {a.instrument.key: a for a in advice.advise(proposal, on=ON)}

    interreg = found["interreg-vl-nl"]
    sides = next(line for line in interreg.lines if line.kind == "sides")
    assert interreg.status == eligibility.FAILS
    assert [(c.text, c.involve) for c in sides.changes] == [("add a partner from Flanders", ("Grensuniversiteit",))]
    assert interreg.status_with_involved == eligibility.FITS and interreg.fits_once_involved
    assert [line.reason for line in interreg.conditions] == ["co_financing_condition", "rate_note"]
    assert found["vlaio-funding"].status == eligibility.FAILS
    assert found["vlaio-funding"].fits_once_involved
    ibn = next(line for line in found["vlaio-ibn"].lines if line.kind == "sides")
    assert [(c.text, c.involve) for c in ibn.changes] == [("add a company from Flanders", ())]  # a university is none


def test_without_organisations_to_involve_there_is_no_status_with_them() -> None:
    proposal = _dutch_sme_proposal(involve=None)

    found = advice.advise(proposal, on=ON)

    assert found and all(a.status_with_involved is None and not a.fits_once_involved for a in found)
    assert all(not change.involve for a in found for line in a.lines for change in line.changes)


def test_the_api_gives_the_advice_with_codes_and_words_in_the_language_asked(client: Client) -> None:
    flemish = Organisation.objects.create(
        key="zz-vl-uni", name="Grensuniversiteit", side="VL", country="BE", type="university"
    )
    proposal = _dutch_sme_proposal(involve=flemish)

    english = client.get(f"/api/proposals/{proposal.key}/funding-advice").json()
    dutch = client.get(f"/api/proposals/{proposal.key}/funding-advice?lang=nl").json()
    missing = client.get("/api/proposals/nope/funding-advice")

    interreg = next(a for a in english if a["instrument"]["key"] == "interreg-vl-nl")
    sides = next(rule for rule in interreg["rules"] if rule["kind"] == "sides")
    assert interreg["status"] == "does_not_fit" and interreg["status_with_involved"] == "fits"
    assert sides["reason"] == "side_missing" and sides["params"] == {"required": ["NL", "VL"]}
    assert sides["changes"] == [
        {"code": "add_partner", "params": {"side": "VL", "type": "any"}, "text": "add a partner from Flanders",
         "involve": ["Grensuniversiteit"]}
    ]  # fmt: skip
    dutch_sides = next(
        r for a in dutch if a["instrument"]["key"] == "interreg-vl-nl" for r in a["rules"] if r["kind"] == "sides"
    )
    assert dutch_sides["changes"][0]["text"] != "add a partner from Flanders"
    assert [a["status"] for a in english] == sorted(
        (a["status"] for a in english), key=["fits", "unknown", "does_not_fit"].index
    )
    assert missing.status_code == 404


def test_the_command_line_gives_the_advice_in_text_and_json(call: Any) -> None:
    flemish = Organisation.objects.create(
        key="zz-vl-uni", name="Grensuniversiteit", side="VL", country="BE", type="university"
    )
    proposal = _dutch_sme_proposal(involve=flemish)

    text = call("funding_advice", proposal.key, "--lang", "en", "--on", "2016-10-01")
    data = json.loads(call("funding_advice", proposal.key, "--json", "--on", "2016-10-01"))

    assert "- Interreg Flanders-Netherlands — does not fit (fits once the organisations to involve join)" in text
    assert (
        "    - needs partners from the Netherlands and Flanders → add a partner from Flanders (Grensuniversiteit)"
        in text
    )
    with translation.override("nl"):
        assert data == [advice.as_data(a) for a in advice.advise(proposal, on=ON)]
    with pytest.raises(CommandError, match="proposal: no proposal with key 'nope'"):
        call("funding_advice", "nope")
