"""Funding instruments on the web (issue 8): the list and the instrument page with the
proposals its rules fit, instruments per TRL band in the funnel, and the rules editor — core
group only, every rule checked with the field named, nothing half written, history kept."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import PASSWORD, make_user
from trechter.actors.models import Organisation
from trechter.agenda.models import Party, Proposal
from trechter.analytics import eligibility
from trechter.funding import actions, advice
from trechter.funding.models import Instrument

pytestmark = pytest.mark.django_db
RULES_URL = "/en/instruments/mit/rules/"


def _signed_in(role: str | None, name: str = "someone") -> Client:
    client = Client()
    make_user(name, role, "energy" if role == "theme_lead" else None)
    assert client.login(username=name, password=PASSWORD)
    return client


def _text(response: object) -> str:
    """The page with the non-breaking spaces of amounts (€ 200 000) as plain ones."""
    return response.content.decode().replace("\u00a0", " ").replace("\u202f", " ")  # type: ignore[attr-defined]


def _post(client: Client, rules: object, *, note: str = "test", token: str | None = None) -> object:
    mit = Instrument.objects.get(key="mit")
    text = rules if isinstance(rules, str) else json.dumps(rules)
    return client.post(RULES_URL, {"rules": text, "rules_note": note, "token": token or actions.rules_token(mit)})


def test_the_list_shows_every_instrument_with_its_rules_in_words(client: Client) -> None:
    page = _text(client.get("/en/instruments/"))

    for instrument in Instrument.objects.all():
        assert f'href="/en/instruments/{instrument.key}/"' in page
    assert "at most € 200 000 per project" in page  # MIT's budget rule, in words


def test_the_instrument_page_lists_the_proposals_its_rules_fit(client: Client) -> None:
    interreg = Instrument.objects.get(key="interreg-vl-nl")
    proposals = Proposal.objects.prefetch_related("parties__organisation", "instruments")
    fitting = [p for p in proposals if advice.advise(p, instruments=[interreg])[0].status == eligibility.FITS]

    page = client.get("/en/instruments/interreg-vl-nl/").content.decode()

    assert fitting, "the seed has proposals with partners on both sides at TRL 4–6"
    assert f'Fit <span class="muted">({len(fitting)})</span>' in page
    for proposal in fitting:
        assert f'href="/en/proposals/{proposal.key}/"' in page
    assert "co-financing by the partners required" in page
    assert client.get("/en/instruments/nope/").status_code == 404


def test_the_funnel_lists_instruments_per_trl_band_with_the_proposals_they_fit(client: Client) -> None:
    interreg = Instrument.objects.get(key="interreg-vl-nl")
    in_band = [
        p
        for p in Proposal.objects.prefetch_related("parties__organisation", "instruments")
        if p.trl_from is not None and p.trl_from <= 6 and (p.trl_to or p.trl_from) >= 4
    ]
    fits = sum(advice.advise(p, instruments=[interreg])[0].status == eligibility.FITS for p in in_band)

    with translation.override("en"):
        bands = {b.key: b for b in advice.instruments_by_band(list(in_band), [("4-6", "TRL 4–6"), ("1-3", "TRL 1–3")])}
    page = client.get("/en/funnel/").content.decode()

    counted = next(c for c in bands["4-6"].instruments if c.instrument.key == "interreg-vl-nl")
    assert (counted.fits, bands["4-6"].proposals) == (fits, len(in_band))
    assert all(c.instrument.key != "interreg-vl-nl" for c in bands["1-3"].instruments)  # TRL 4–6 only
    assert all(advice.trl_range(c.instrument) is None for c in bands[""].instruments)
    assert "Funding instruments per TRL band" in page
    assert "/en/instruments/interreg-vl-nl/" in page


@pytest.mark.parametrize("role", [None, "member", "jury", "theme_lead"])
def test_only_the_core_group_may_edit_rules(role: str | None) -> None:
    client = _signed_in(role)
    before = Instrument.objects.get(key="mit").rules

    assert client.get(RULES_URL).status_code == 403
    assert _post(client, [{"kind": "trl", "trl_from": 1, "trl_to": 2}]).status_code == 403  # type: ignore[attr-defined]
    assert Instrument.objects.get(key="mit").rules == before


def test_a_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(RULES_URL)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "Edit the rules" not in client.get("/en/instruments/mit/").content.decode()


def test_the_core_group_edits_rules_and_the_history_keeps_who() -> None:
    client = _signed_in("core_group", "kern")
    rules = [{"kind": "budget", "max_eur": 250000}, {"kind": "sides", "required": ["NL"]}]

    response = _post(client, rules, note="MIT 2027: € 250,000")

    mit = Instrument.objects.get(key="mit")
    assert response.status_code == 302 and response["Location"] == "/en/instruments/mit/"  # type: ignore[attr-defined]
    assert mit.rules == eligibility.parse_rules(rules) and mit.rules_note == "MIT 2027: € 250,000"
    last = mit.history.latest()
    assert last.history_user.username == "kern" and last.history_change_reason == "Eligibility rules edited"
    assert "at most € 250 000 per project" in _text(client.get("/en/instruments/mit/"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"kind": "trl", "trl_from": 0, "trl_to": 6}]', "rules[0].trl_from"),
        ('[{"kind": "trl", "trl_from": 6, "trl_to": 4}]', "rules[0].trl_from: TRL from (6) is above TRL to (4)"),
        ('[{"kind": "sides", "required": ["NL"]}, {"kind": "budget", "max_eur": -1}]',
         "rules[1].max_eur: cannot be negative"),
        ('[{"kind": "budget", "max_eur": 5}', "Not valid JSON (line 1"),
        ('{"kind": "trl"}', "rules: must be a list of rules"),
        ('[{"kind": "lottery"}]', "rules[0].kind: unknown kind"),
        ("[" * 10000 + "]" * 10000, "The JSON is nested too deeply."),
    ],
)  # fmt: skip
def test_an_invalid_rule_is_refused_with_its_field_named_and_nothing_written(text: str, message: str) -> None:
    client = _signed_in("core_group", "kern")
    before = Instrument.objects.get(key="mit")
    history = before.history.count()

    page = _post(client, text).content.decode()  # type: ignore[attr-defined]

    after = Instrument.objects.get(key="mit")
    assert message in page.replace("&quot;", '"').replace("&#x27;", "'")
    assert (after.rules, after.rules_note, after.history.count()) == (before.rules, before.rules_note, history)


def test_a_save_from_stale_rules_is_refused() -> None:
    client = _signed_in("core_group", "kern")
    mit = Instrument.objects.get(key="mit")
    stale = actions.rules_token(mit)
    actions.save_rules(
        instrument=mit, rules=[{"kind": "sides", "required": ["NL"]}], rules_note="", token=stale, by=None
    )

    page = _post(client, [{"kind": "trl", "trl_from": 1, "trl_to": 9}], token=stale).content.decode()  # type: ignore[attr-defined]

    assert "Someone else saved this instrument" in page
    assert Instrument.objects.get(key="mit").rules == [{"kind": "sides", "required": ["NL"], "company_on_each": False}]


def test_the_rules_form_needs_its_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    make_user("kern", "core_group", None)
    assert client.login(username="kern", password=PASSWORD)

    response = client.post(RULES_URL, {"rules": "[]", "rules_note": "", "token": "x"})

    assert response.status_code == 403
    assert Instrument.objects.get(key="mit").rules != []


def test_a_rule_edit_changes_the_advice_on_the_proposal_page() -> None:
    client = _signed_in("core_group", "kern")
    proposal = Proposal.objects.filter(kind="project", instruments__instrument__key="interreg-vl-nl").first()
    assert proposal is not None
    interreg = Instrument.objects.get(key="interreg-vl-nl")
    rules = [{"kind": "countries", "min_count": 40}]

    client.post(
        "/en/instruments/interreg-vl-nl/rules/",
        {"rules": json.dumps(rules), "rules_note": "", "token": actions.rules_token(interreg)},
    )
    page = client.get(f"/en/proposals/{proposal.key}/").content.decode()

    assert "needs partners from at least 40 countries" in page


def test_holding_every_proposal_against_an_instrument_takes_the_same_queries_for_more_proposals(
    django_assert_num_queries: Any,
) -> None:
    interreg = Instrument.objects.get(key="interreg-vl-nl")
    with CaptureQueriesContext(connection) as before:
        first = advice.held_against(interreg)
    theme = Proposal.objects.first().theme  # type: ignore[union-attr]
    extra = Proposal.objects.create(key="zz-extra", kind="project", theme=theme, title_nl="Extra", trl_from=4, trl_to=6)
    organisation = Organisation.objects.filter(side="VL").first()
    Party.objects.create(proposal=extra, organisation=organisation, role="lead")

    with django_assert_num_queries(len(before.captured_queries)):
        second = advice.held_against(interreg)

    total = len(second.fits) + len(second.unknown) + len(second.fails)
    assert total == len(first.fits) + len(first.unknown) + len(first.fails) + 1 == Proposal.objects.count()
