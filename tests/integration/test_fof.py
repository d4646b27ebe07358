"""A FoF / Smart Industry round through its actions on a real database (issue 9): call,
applications from both sides, jury and assignments, independent scores, the consensus with
recorded reasons, the decision by the award rule and the publication on one date; the
conflict of interest, out-of-range scores and the roles refused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import make_user
from trechter.actors.models import Organisation
from trechter.fof import actions, queries
from trechter.fof.models import Affiliation, Application, AwardRound, Consensus

pytestmark = pytest.mark.django_db
TODAY = date(2018, 1, 15)
ASPECTS = [
    "world_class_manufacturing", "end_to_end_engineering", "digital_factory", "human_centred_production",
    "production_network", "eco_production", "smart_production_systems",
]  # fmt: skip


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def _company(key: str, side: str) -> Organisation:
    country = "BE" if side == "VL" else "NL"
    return Organisation.objects.create(
        key=key, name=key.replace("-", " ").title(), side=side, country=country, type="sme"
    )


def _works_for(username: str, organisation: Organisation, role: str | None = None) -> Any:
    user = make_user(username, role)
    Affiliation.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def world() -> dict[str, Any]:
    """A round open for applications, two companies (NL, VL) with their people, a jury of three."""
    core = make_user("kern", "core_group")
    round_ = actions.create_round(
        key="fof-2018", year=2018, title_nl="FoF/SI Award 2018", opens_on=date(2017, 9, 1),
        closes_on=date(2017, 12, 31), announce_on=date(2018, 2, 15), by=core,
    )  # fmt: skip
    dutch, flemish = _company("maakbedrijf-nl", "NL"), _company("maakbedrijf-vl", "VL")
    people = {"nl": _works_for("anna", dutch), "vl": _works_for("bart", flemish)}
    jurors = {name: make_user(name, "jury") for name in ("joke", "jan", "chair")}
    actions.add_juror(round_=round_, user=jurors["joke"], side="NL", by=core)
    actions.add_juror(round_=round_, user=jurors["jan"], side="VL", by=core)
    actions.add_juror(round_=round_, user=jurors["chair"], side="VL", is_chair=True, by=core)
    actions.advance(round_=round_, by=core)
    return {"core": core, "round": round_, "dutch": dutch, "flemish": flemish, **people, **jurors}


def _score(assignment: Any, by: Any, level: int, **overrides: int) -> None:
    levels = dict.fromkeys(ASPECTS, level) | overrides
    actions.submit_scores(assignment=assignment, levels=levels, comments={"digital_factory": "MES live"}, by=by)


def test_a_round_runs_from_call_to_published_award(world: dict[str, Any]) -> None:
    round_ = world["round"]
    winner = actions.apply(round_=round_, organisation=world["dutch"], by=world["nl"], on=date(2017, 10, 2))
    other = actions.apply(round_=round_, organisation=world["flemish"], by=world["vl"], on=date(2017, 12, 31))
    actions.advance(round_=round_, by=world["core"])
    for application in (winner, other):
        for juror in ("joke", "jan"):
            actions.assign(application=application, assessor=world[juror], by=world["core"])
    _score(winner.assignments.get(assessor=world["joke"]), world["joke"], 4, digital_factory=5)
    _score(winner.assignments.get(assessor=world["jan"]), world["jan"], 4)
    _score(other.assignments.get(assessor=world["joke"]), world["joke"], 4, eco_production=2)
    _score(other.assignments.get(assessor=world["jan"]), world["jan"], 4, eco_production=4)

    spreads = {s.aspect: s for s in queries.spreads(other)}
    assert spreads["eco_production"].flagged and spreads["eco_production"].proposed == 2
    assert not spreads["digital_factory"].flagged
    for aspect in ASPECTS:
        actions.agree(application=winner, aspect=aspect, level=4, by=world["chair"])
    for aspect in ASPECTS:
        if aspect != "eco_production":
            actions.agree(application=other, aspect=aspect, level=4, by=world["chair"])
    with pytest.raises(ValidationError) as no_reason:
        actions.agree(application=other, aspect="eco_production", level=3, by=world["chair"])
    actions.agree(
        application=other, aspect="eco_production", level=3, reason="Energy monitoring only", by=world["chair"]
    )
    decided = dict(actions.decide_round(round_=round_, by=world["core"]))
    with pytest.raises(ValidationError) as too_early:
        actions.publish(round_=round_, by=world["core"], on=date(2018, 2, 14))
    actions.publish(round_=round_, by=world["core"], on=date(2018, 2, 15))

    assert "reason" in no_reason.value.message_dict
    assert "announce_on" in too_early.value.message_dict
    winner.refresh_from_db()
    other.refresh_from_db()
    assert (winner.awarded, winner.label_valid_until) == (True, date(2021, 2, 14))
    assert (other.awarded, other.label_valid_until) == (False, None)
    assert decided[other].below == ("eco_production",)
    recorded = Consensus.objects.get(application=other, aspect="eco_production")
    assert recorded.was_flagged and recorded.reason == "Energy monitoring only" and recorded.agreed_by == world["chair"]
    assert AwardRound.objects.get(pk=round_.pk).state == "published"


def test_an_application_outside_the_call_or_for_someone_elses_company_is_refused(world: dict[str, Any]) -> None:
    round_ = world["round"]

    with pytest.raises(ValidationError) as late:
        actions.apply(round_=round_, organisation=world["dutch"], by=world["nl"], on=date(2018, 1, 1))
    with pytest.raises(ValidationError) as foreign:
        actions.apply(round_=round_, organisation=world["flemish"], by=world["nl"], on=date(2017, 10, 1))
    actions.apply(round_=round_, organisation=world["dutch"], by=world["nl"], on=date(2017, 10, 1))
    with pytest.raises(ValidationError) as twice:
        actions.apply(round_=round_, organisation=world["dutch"], by=world["nl"], on=date(2017, 10, 2))

    assert "round" in late.value.message_dict
    assert "organisation" in foreign.value.message_dict and "organisation" in twice.value.message_dict
    assert Application.objects.filter(round=round_).count() == 1


def test_a_juror_who_works_for_the_company_is_not_assigned_and_cannot_score_it(world: dict[str, Any]) -> None:
    round_ = world["round"]
    application = actions.apply(round_=round_, organisation=world["dutch"], by=world["nl"], on=date(2017, 10, 1))
    actions.advance(round_=round_, by=world["core"])
    assignment = actions.assign(application=application, assessor=world["joke"], by=world["core"])
    Affiliation.objects.create(user=world["jan"], organisation=world["dutch"])
    Affiliation.objects.create(user=world["joke"], organisation=world["dutch"])  # joined the company after assignment

    with pytest.raises(ValidationError) as conflicted:
        actions.assign(application=application, assessor=world["jan"], by=world["core"])
    with pytest.raises(ValidationError) as scoring:
        _score(assignment, world["joke"], 4)

    assert "Conflict of interest" in conflicted.value.message_dict["assessor"][0]
    assert "Conflict of interest" in scoring.value.message_dict["assessor"][0]
    assert not world["joke"].has_perm("fof.score", assignment)
    assert not world["jan"].has_perm("fof.view_application", application)
    assert application.assignments.count() == 1 and not application.assignments.get().scores.exists()


def test_a_parent_organisation_is_a_conflict_too(world: dict[str, Any]) -> None:
    group = Organisation.objects.create(key="groep", name="Groep", side="NL", country="NL", type="large_company")
    world["dutch"].parent = group
    world["dutch"].save()
    application = actions.apply(
        round_=world["round"], organisation=world["dutch"], by=world["nl"], on=date(2017, 10, 1)
    )
    Affiliation.objects.create(user=world["jan"], organisation=group)

    with pytest.raises(ValidationError):
        actions.assign(application=application, assessor=world["jan"], by=world["core"])


@pytest.mark.parametrize(
    ("levels", "field"),
    [({"digital_factory": 6}, "digital_factory"), ({"eco_production": 0}, "eco_production"), ({"tea": 3}, "tea")],
)
def test_a_score_out_of_range_is_refused_with_the_aspect_named_and_nothing_stored(
    world: dict[str, Any], levels: dict[str, int], field: str
) -> None:
    application = actions.apply(
        round_=world["round"], organisation=world["dutch"], by=world["nl"], on=date(2017, 10, 1)
    )
    actions.advance(round_=world["round"], by=world["core"])
    assignment = actions.assign(application=application, assessor=world["joke"], by=world["core"])

    with pytest.raises(ValidationError) as refused:
        actions.submit_scores(
            assignment=assignment, levels=dict.fromkeys(ASPECTS, 3) | levels, comments={}, by=world["joke"]
        )

    assert field in refused.value.message_dict
    assignment.refresh_from_db()
    assert assignment.submitted_at is None and not assignment.scores.exists()


def test_only_the_assigned_assessor_scores(world: dict[str, Any]) -> None:
    application = actions.apply(
        round_=world["round"], organisation=world["dutch"], by=world["nl"], on=date(2017, 10, 1)
    )
    actions.advance(round_=world["round"], by=world["core"])
    assignment = actions.assign(application=application, assessor=world["joke"], by=world["core"])

    with pytest.raises(ValidationError):
        _score(assignment, world["jan"], 4)

    assert world["joke"].has_perm("fof.score", assignment) and not world["jan"].has_perm("fof.score", assignment)
    assert not world["core"].has_perm("fof.score", assignment)


def test_no_decision_while_an_aspect_has_no_agreed_level(world: dict[str, Any]) -> None:
    application = actions.apply(
        round_=world["round"], organisation=world["dutch"], by=world["nl"], on=date(2017, 10, 1)
    )
    actions.advance(round_=world["round"], by=world["core"])
    for juror in ("joke", "jan"):
        _score(actions.assign(application=application, assessor=world[juror], by=world["core"]), world[juror], 4)
    actions.agree(application=application, aspect="digital_factory", level=4, by=world["chair"])

    with pytest.raises(ValidationError) as refused:
        actions.decide_round(round_=world["round"], by=world["core"])

    message = refused.value.message_dict["round"][0]
    assert message.startswith("Maakbedrijf Nl has no agreed level for: World-class manufacturing technologies, ")
    application.refresh_from_db()
    assert application.awarded is None and AwardRound.objects.get(pk=world["round"].pk).state == "assessing"


def test_the_company_sees_its_report_only_after_publication_and_never_anothers(world: dict[str, Any]) -> None:
    round_ = world["round"]
    dutch = actions.apply(round_=round_, organisation=world["dutch"], by=world["nl"], on=date(2017, 10, 1))
    flemish = actions.apply(round_=round_, organisation=world["flemish"], by=world["vl"], on=date(2017, 10, 1))
    colleague = _works_for("collega", world["dutch"])
    outsider = make_user("buiten", "member")

    assert not world["nl"].has_perm("fof.view_report", dutch)
    round_.state = "published"
    round_.save()
    assert world["nl"].has_perm("fof.view_report", dutch) and colleague.has_perm("fof.view_report", dutch)
    assert not world["nl"].has_perm("fof.view_report", flemish)
    assert not outsider.has_perm("fof.view_report", dutch)
    assert world["joke"].has_perm("fof.view_report", dutch) and world["core"].has_perm("fof.view_report", flemish)


def test_the_assessment_starts_only_with_jurors_for_both_sides(world: dict[str, Any]) -> None:
    core = world["core"]
    round_ = actions.create_round(key="half", year=2019, title_nl="Half", opens_on=TODAY, closes_on=TODAY,
                                  announce_on=TODAY, by=core)  # fmt: skip
    actions.add_juror(round_=round_, user=world["joke"], side="NL", by=core)
    actions.advance(round_=round_, by=core)

    with pytest.raises(ValidationError) as refused:
        actions.advance(round_=round_, by=core)

    assert "Flanders" in refused.value.message_dict["jury"][0]
    assert AwardRound.objects.get(key="half").state == "open"


@pytest.mark.parametrize("key", ["new", "Affiliate"])
def test_a_round_cannot_take_the_key_of_a_page(world: dict[str, Any], key: str) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.create_round(key=key, year=2019, title_nl="Botsing", opens_on=TODAY, closes_on=TODAY,
                             announce_on=TODAY, by=world["core"])  # fmt: skip

    assert "key" in refused.value.message_dict
    assert not AwardRound.objects.filter(key=key.lower()).exists()


def test_a_method_that_cannot_work_is_refused_with_the_setting_named(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.create_round(
            key="bad", year=2019, title_nl="Slecht", opens_on=TODAY, closes_on=TODAY - timedelta(days=1),
            announce_on=TODAY, award_level=7, by=world["core"],
        )  # fmt: skip

    assert {"closes_on", "award_level"} <= set(refused.value.message_dict)
    assert not AwardRound.objects.filter(key="bad").exists()


def test_a_winner_is_reminded_once_before_its_label_lapses(world: dict[str, Any], call: Any, mailoutbox: Any) -> None:
    round_ = world["round"]
    winner = actions.apply(round_=round_, organisation=world["dutch"], by=world["nl"], on=date(2017, 10, 2))
    AwardRound.objects.filter(pk=round_.pk).update(state="published")
    Application.objects.filter(pk=winner.pk).update(awarded=True, label_valid_until=date(2021, 2, 14))
    world["nl"].email = "anna@maakbedrijf.example"
    world["nl"].save()

    early = call("fof_reminders", "--on", "2020-11-01")  # more than 90 days before the label lapses
    due = call("fof_reminders", "--on", "2021-01-01")
    again = call("fof_reminders", "--on", "2021-01-02")

    assert early.endswith("0 reminder(s).\n") and again.endswith("0 reminder(s).\n")
    assert "Maakbedrijf Nl: label until 2021-02-14 → anna@maakbedrijf.example" in due
    assert [m.to for m in mailoutbox] == [["anna@maakbedrijf.example"]]
    assert "2021-02-14" in mailoutbox[0].subject
    assert Application.objects.get(pk=winner.pk).reminded_on == date(2021, 1, 1)


def test_a_report_whose_applicant_left_stays_closed_to_visitors(world: dict[str, Any]) -> None:
    application = actions.apply(
        round_=world["round"], organisation=world["dutch"], by=world["nl"], on=date(2017, 10, 1)
    )
    Application.objects.filter(pk=application.pk).update(applicant=None)
    AwardRound.objects.filter(pk=world["round"].pk).update(state="published")
    application.refresh_from_db()

    assert not AnonymousUser().has_perm("fof.view_report", application)
    assert world["nl"].has_perm("fof.view_report", application)  # still works for the company


def test_a_reminder_whose_mail_fails_is_tried_again_next_time(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch, mailoutbox: Any
) -> None:
    winner = actions.apply(round_=world["round"], organisation=world["dutch"], by=world["nl"], on=date(2017, 10, 2))
    AwardRound.objects.filter(pk=world["round"].pk).update(state="published")
    Application.objects.filter(pk=winner.pk).update(awarded=True, label_valid_until=date(2021, 2, 14))
    world["nl"].email = "anna@maakbedrijf.example"
    world["nl"].save()

    def refused(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr(actions, "send_mail", refused)
        with pytest.raises(ConnectionRefusedError):
            actions.send_reminders(on=date(2021, 1, 1))
    assert Application.objects.get(pk=winner.pk).reminded_on is None

    sent = actions.send_reminders(on=date(2021, 1, 2))

    assert [(a.pk, to) for a, to in sent] == [(winner.pk, ["anna@maakbedrijf.example"])]
    assert len(mailoutbox) == 1 and Application.objects.get(pk=winner.pk).reminded_on == date(2021, 1, 2)
