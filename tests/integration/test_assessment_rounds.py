"""Assessment rounds (issue 7): candidates, assessors, scores, the aggregated ranking and its
acceptability, the recorded 4f round, validation that writes nothing, and who may do what."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import PASSWORD, make_user
from trechter.agenda.models import CrossThemeTopic, Theme
from trechter.assessment import actions, results
from trechter.assessment.models import AssessmentRound, Criterion, CriterionFinding, Score

pytestmark = pytest.mark.django_db

TOP = ["knowledge-lead", "cooperation-potential", "business-involvement", "organising-capacity",
       "both-sides-active", "complementarity", "transdisciplinary", "eu-programme-potential", "relevance"]  # fmt: skip


def _signed_in(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _round(**extra: Any) -> AssessmentRound:
    core = make_user("core", "core_group")
    round_ = actions.create_round(key="ronde-2026", title_nl="Ronde 2026", by=core)
    actions.add_candidate(round_=round_, theme=Theme.objects.get(key="photonics"))
    actions.add_candidate(round_=round_, cross_theme_topic=CrossThemeTopic.objects.order_by("key").first())
    actions.add_candidate(round_=round_, title_nl="Handmatig onderwerp")
    return round_


def _score_all(round_: AssessmentRound, assessor: Any, values: dict[str, int]) -> None:
    for candidate in round_.candidates.all():
        entries = [actions.Entry(key, values[candidate.key]) for key in TOP]
        actions.save_scores(assessor=assessor, candidate=candidate, entries=entries)


def test_the_seed_gives_4f_new_materials_assessment_as_a_recorded_round() -> None:
    round_ = AssessmentRound.objects.get(is_recorded=True)

    findings = CriterionFinding.objects.filter(assessment__subject_theme__key="new-materials")
    scores = Score.objects.filter(candidate__round=round_)

    assert round_.candidates.get().theme == Theme.objects.get(key="new-materials")
    assert round_.assessors.get().group == "BOTH"
    assert scores.count() == findings.count() == 20
    ticked = set(findings.filter(present=True).values_list("criterion__key", flat=True))
    assert set(scores.filter(value=4).values_list("criterion__key", flat=True)) == ticked
    assert set(scores.filter(value__isnull=True).values_list("criterion__key", flat=True)) == (
        set(findings.values_list("criterion__key", flat=True)) - ticked
    )
    note = scores.get(criterion__key="organising-capacity").note
    assert "M2i" in note
    # organising-capacity is not ticked and has no sub-criteria: nobody scored it, shown as such
    outcome = results.round_results(round_)
    assert outcome.is_ranked
    assert outcome.rows[0].values[TOP.index("organising-capacity")] is None
    assert outcome.rows[0].values[TOP.index("knowledge-lead")] == 4.0


def test_a_recorded_round_cannot_be_changed() -> None:
    round_ = AssessmentRound.objects.get(is_recorded=True)
    assessor = round_.assessors.get()

    with pytest.raises(ValidationError):
        actions.save_scores(assessor=assessor, candidate=round_.candidates.get(),
                            entries=[actions.Entry("knowledge-lead", 0)])  # fmt: skip
    with pytest.raises(ValidationError):
        actions.add_candidate(round_=round_, title_nl="Nog een")

    assert Score.objects.filter(candidate__round=round_, value=0).count() == 0


def test_groups_count_once_whatever_their_headcount() -> None:
    round_ = _round()
    keys = [c.key for c in round_.candidates.order_by("order")]
    dutch = [actions.add_assessor(round_=round_, group="NL", name=f"NL {i}") for i in range(3)]
    flemish = actions.add_assessor(round_=round_, group="VL", name="VL 1")
    for assessor in dutch:  # three Dutch assessors prefer the first candidate
        _score_all(round_, assessor, {keys[0]: 4, keys[1]: 2, keys[2]: 0})
    _score_all(round_, flemish, {keys[0]: 0, keys[1]: 3, keys[2]: 1})  # one Flemish assessor the second

    outcome = results.round_results(round_, with_evidence=False)

    by_key = {row.candidate.key: row for row in outcome.rows}
    # mean of the group medians: (4 + 0) / 2 = 2 for the first, (2 + 3) / 2 = 2.5 for the second
    assert by_key[keys[0]].values[0] == 2.0
    assert by_key[keys[1]].values[0] == 2.5
    assert [row.candidate.key for row in outcome.rows] == [keys[1], keys[0], keys[2]]
    assert by_key[keys[0]].cells()[0].groups == [("NL", 4.0), ("VL", 0.0)]
    assert by_key[keys[0]].cells()[0].is_disputed
    assert by_key[keys[1]].p_first == pytest.approx(1.0)
    assert sum(by_key[k].p_first for k in keys) == pytest.approx(1.0)
    assert outcome.progress[0][1:] == (3, 3)


def test_a_top_level_criterion_without_own_score_takes_the_lower_median_of_its_parts() -> None:
    assert results.top_level_value(None, [1, 4]) == 1
    assert results.top_level_value(None, [1, 3, 4]) == 3
    assert results.top_level_value(2, [4, 4]) == 2
    assert results.top_level_value(None, []) is None


def test_bad_scores_are_refused_and_nothing_is_written() -> None:
    round_ = _round()
    assessor = actions.add_assessor(round_=round_, group="NL", name="NL 1")
    candidate = round_.candidates.first()
    assert candidate is not None
    good = actions.Entry("knowledge-lead", 3)

    for bad in (actions.Entry("relevance", 5), actions.Entry("nonsense", 1), actions.Entry("relevance", True),
                actions.Entry("relevance", 2, "x" * 4001)):  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            actions.save_scores(assessor=assessor, candidate=candidate, entries=[good, bad])
        assert refused.value.messages

    assert Score.objects.filter(assessor=assessor).count() == 0


def test_a_closed_round_refuses_scores_and_keeps_them() -> None:
    round_ = _round()
    assessor = actions.add_assessor(round_=round_, group="VL", name="VL 1")
    candidate = round_.candidates.first()
    assert candidate is not None
    actions.save_scores(assessor=assessor, candidate=candidate, entries=[actions.Entry("knowledge-lead", 3, "ok")])
    actions.set_status(round_=round_, status="closed")

    with pytest.raises(ValidationError):
        actions.save_scores(assessor=assessor, candidate=candidate, entries=[actions.Entry("knowledge-lead", 0)])

    assert Score.objects.get(assessor=assessor).value == 3


def test_weights_must_name_top_level_criteria_and_not_all_be_zero() -> None:
    round_ = _round()

    with pytest.raises(ValidationError):
        actions.set_weights(round_=round_, weights={"business-involvement-starters": 1.0})
    with pytest.raises(ValidationError):
        actions.set_weights(round_=round_, weights=dict.fromkeys(TOP, 0.0))
    with pytest.raises(ValidationError):
        actions.set_weights(round_=round_, weights={"relevance": float("nan")})
    actions.set_weights(round_=round_, weights={"relevance": 3.0})

    assert AssessmentRound.objects.get(pk=round_.pk).weights == {"relevance": 3.0}


def test_an_assessor_scores_through_the_form_and_sees_the_ranking() -> None:
    round_ = _round()
    user = make_user("assessor", "member")
    actions.add_assessor(round_=round_, user=user, group="NL")
    candidate = round_.candidates.order_by("order").first()
    assert candidate is not None
    client = _signed_in(user)
    data = {f"score-{c.key}": "3" for c in Criterion.objects.all()} | {"note-knowledge-lead": "Zie <b>ASML</b>"}

    response = client.post(f"/en/assessment/{round_.key}/score/{candidate.key}/", data)

    assert response.status_code == 302
    assert Score.objects.filter(assessor__user=user).count() == Criterion.objects.count()
    with translation.override("en"):
        page = client.get(f"/en/assessment/{round_.key}/").content.decode()
    assert "Ranking" in page and candidate.title_en in page
    form = client.get(f"/en/assessment/{round_.key}/score/{candidate.key}/").content.decode()
    assert "Zie &lt;b&gt;ASML&lt;/b&gt;" in form


def test_a_score_off_the_scale_is_refused_by_the_form() -> None:
    round_ = _round()
    user = make_user("assessor", "member")
    actions.add_assessor(round_=round_, user=user, group="VL")
    candidate = round_.candidates.first()
    assert candidate is not None

    response = _signed_in(user).post(f"/en/assessment/{round_.key}/score/{candidate.key}/",
                                     {"score-knowledge-lead": "9"})  # fmt: skip

    assert response.status_code == 200
    assert Score.objects.count() == 20  # the recorded round's only


@pytest.mark.parametrize("who", ["anonymous", "norole", "member", "other-assessor"])
def test_only_the_rounds_assessors_may_score(who: str) -> None:
    round_ = _round()
    candidate = round_.candidates.first()
    assert candidate is not None
    if who == "other-assessor":  # assesses another round
        other = actions.create_round(key="andere", title_nl="Andere", by=None)
        user = make_user(who, "member")
        actions.add_assessor(round_=other, user=user, group="NL")
    client = Client() if who == "anonymous" else _signed_in(make_user(who, "member" if who == "member" else None)
                                                             if who != "other-assessor" else user)  # fmt: skip
    response = client.post(f"/en/assessment/{round_.key}/score/{candidate.key}/", {"score-knowledge-lead": "4"})

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
    assert Score.objects.filter(candidate__round=round_).count() == 0


@pytest.mark.parametrize("role", [None, "member", "theme_lead", "jury"])
def test_only_the_core_group_manages_rounds(role: str | None) -> None:
    round_ = _round()
    user = make_user("someone", role, "energy" if role == "theme_lead" else None)
    client = _signed_in(user)

    created = client.post("/en/assessment/", {"key": "nieuw", "title_nl": "Nieuw"})
    added = client.post(f"/en/assessment/{round_.key}/manage/candidate/", {"title_nl": "Nog een"})
    closed = client.post(f"/en/assessment/{round_.key}/manage/status/", {"status": "closed"})

    assert [created.status_code, added.status_code, closed.status_code] == [403, 403, 403]
    assert not AssessmentRound.objects.filter(key="nieuw").exists()
    assert round_.candidates.count() == 3
    assert AssessmentRound.objects.get(pk=round_.pk).status == "open"


def test_the_core_group_starts_and_fills_a_round_in_the_pages() -> None:
    core = make_user("kern", "core_group")
    assessor = make_user("beoordelaar", "member")
    client = _signed_in(core, enforce_csrf_checks=False)

    created = client.post("/nl/assessment/", {"key": "r1", "title_nl": "Ronde één"})
    client.post("/nl/assessment/r1/manage/candidate/", {"theme": "energy"})
    client.post("/nl/assessment/r1/manage/candidate/", {"theme": "energy", "title_nl": "Twee onderwerpen"})
    client.post("/nl/assessment/r1/manage/assessor/", {"user": assessor.username, "group": "VL"})
    refused = client.post("/nl/assessment/r1/manage/assessor/", {"user": assessor.username, "group": "NL"},
                          follow=True)  # fmt: skip

    assert created.status_code == 302
    round_ = AssessmentRound.objects.get(key="r1")
    assert [c.key for c in round_.candidates.order_by("order")] == ["energy", "energy-2"]
    assert list(round_.assessors.values_list("user__username", "group")) == [("beoordelaar", "VL")]
    assert "al" in refused.content.decode() or "already" in refused.content.decode()


def test_a_round_is_hidden_from_visitors_unless_recorded() -> None:
    round_ = _round()
    recorded = AssessmentRound.objects.get(is_recorded=True)

    anonymous = Client()

    assert anonymous.get(f"/en/assessment/{round_.key}/").status_code == 403
    assert anonymous.get(f"/en/assessment/{recorded.key}/").status_code == 200
    listing = anonymous.get("/en/assessment/").content.decode()
    assert recorded.key in listing and round_.key not in listing
    member = _signed_in(make_user("lid", "member"))
    assert member.get(f"/en/assessment/{round_.key}/").status_code == 200


def test_the_round_page_needs_the_same_queries_for_one_or_three_candidates() -> None:
    round_ = _round()
    member = _signed_in(make_user("lid", "member"))
    extra = [c for c in round_.candidates.all() if c.key != "handmatig-onderwerp"]
    for candidate in extra:
        candidate.delete()
    member.get(f"/en/assessment/{round_.key}/")  # warm caches (sessions, the criteria)

    with CaptureQueriesContext(connection) as one:
        member.get(f"/en/assessment/{round_.key}/")
    actions.add_candidate(round_=round_, title_nl="B")
    actions.add_candidate(round_=round_, title_nl="C")

    with CaptureQueriesContext(connection) as three:
        member.get(f"/en/assessment/{round_.key}/")

    # candidates with a title alone read no projects: the same queries
    assert len(three.captured_queries) == len(one.captured_queries)


def test_the_round_exports_its_ranking_and_scores_as_csv_with_formulas_neutralised() -> None:
    round_ = _round()
    member = make_user("lid", "member")
    assessor = actions.add_assessor(round_=round_, group="NL", user=member)
    candidate = round_.candidates.order_by("order").first()
    assert candidate is not None
    actions.save_scores(assessor=assessor, candidate=candidate,
                        entries=[actions.Entry("knowledge-lead", 3, "=HYPERLINK(\"http://x\")")])  # fmt: skip
    client = _signed_in(member)

    scores = client.get(f"/en/assessment/{round_.key}/scores.csv")
    ranking = client.get(f"/en/assessment/{round_.key}/results.csv")

    assert scores["Content-Type"].startswith("text/csv")
    lines = scores.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(results.SCORE_COLUMNS)
    assert lines[1].startswith(f"{candidate.key},") and "'=HYPERLINK" in lines[1]
    header, *rows = list(csv.reader(io.StringIO(ranking.content.decode("utf-8-sig"))))
    assert header[: len(results.RESULT_COLUMNS)] == results.RESULT_COLUMNS and len(rows) == 3
    mine = next(r for r in rows if r[1] == candidate.key)
    assert mine[header.index("knowledge-lead")] == "3.0"
    others = [r for r in rows if r[1] != candidate.key]
    assert all(r[header.index("knowledge-lead")] == "" for r in others)  # not scored: empty, not the filled mean
    assert Client().get(f"/en/assessment/{round_.key}/scores.csv").status_code == 403
