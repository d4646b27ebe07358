"""The FoF / Smart Industry pages (issue 9): the core group runs a round through the web, an
assessor scores with the aspect named when out of range, the chair agrees, the company reads
its report after publication only; roles and the conflict of interest refused."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document as Docx
from pypdf import PdfReader

from tests.factories import PASSWORD, make_user
from trechter.actors.models import Organisation
from trechter.fof import actions
from trechter.fof.models import Affiliation, Application, AwardRound

pytestmark = pytest.mark.django_db
ASPECTS = AwardRound().method.keys


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def running() -> dict[str, Any]:
    """A round being assessed today: two companies, two assessors each, a chair."""
    today = timezone.localdate()
    core = make_user("kern", "core_group")
    round_ = actions.create_round(
        key="fof-now", year=today.year, title_nl="FoF-award nu", opens_on=today - timedelta(days=30),
        closes_on=today, announce_on=today, by=core,
    )  # fmt: skip
    people: dict[str, Any] = {"core": core, "round": round_}
    for side, country in (("NL", "NL"), ("VL", "BE")):
        company = Organisation.objects.create(
            key=f"fab-{side.lower()}", name=f"Fabriek {side}", side=side, country=country, type="sme"
        )
        people[side] = company
        people[f"{side}-boss"] = make_user(f"boss-{side.lower()}")
        Affiliation.objects.create(user=people[f"{side}-boss"], organisation=company)
    for name, side, chair in (("joke", "NL", False), ("jan", "VL", False), ("chair", "VL", True)):
        people[name] = make_user(name, "jury")
        actions.add_juror(round_=round_, user=people[name], side=side, is_chair=chair, by=core)
    actions.advance(round_=round_, by=core)
    for side in ("NL", "VL"):
        actions.apply(round_=round_, organisation=people[side], by=people[f"{side}-boss"])
    actions.advance(round_=round_, by=core)
    for side in ("NL", "VL"):
        application = Application.objects.get(organisation=people[side])
        for juror in ("joke", "jan"):
            actions.assign(application=application, assessor=people[juror], by=core)
    return people


def _levels(level: int, **overrides: int) -> dict[str, object]:
    data: dict[str, object] = {key: overrides.get(key, level) for key in ASPECTS}
    return data | {f"{key}_comment": "" for key in ASPECTS}


def test_a_round_through_the_web_to_the_reports(running: dict[str, Any]) -> None:
    for juror in ("joke", "jan"):
        client = _client(running[juror])
        assert client.post("/en/fof/fof-now/fab-nl/score/", _levels(4)).status_code == 302
        assert client.post("/en/fof/fof-now/fab-vl/score/", _levels(4, eco_production=2)).status_code == 302
    chair = _client(running["chair"])
    for organisation in ("fab-nl", "fab-vl"):
        for aspect in ASPECTS:
            chair.post(
                f"/en/fof/fof-now/{organisation}/",
                {
                    "aspect": aspect,
                    "level": 4 if aspect != "eco_production" or organisation == "fab-nl" else 2,
                    "reason": "",
                    "comment": "Sterk" if aspect == "digital_factory" else "",
                },
            )
    core = _client(running["core"])
    boss = _client(running["NL-boss"])
    assert boss.get("/en/fof/fof-now/fab-nl/report.pdf").status_code == 403  # not published yet

    core.post("/en/fof/fof-now/manage/decide/")
    core.post("/en/fof/fof-now/manage/publish/")

    assert AwardRound.objects.get(key="fof-now").state == "published"
    public = Client().get("/en/fof/").content.decode()
    assert "Fabriek NL" in public and "Fabriek VL" not in public
    pdf = boss.get("/en/fof/fof-now/fab-nl/report.pdf")
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    text = "".join(page.extract_text() for page in pages)
    assert len(pages) <= 2  # compact: no title page or contents of its own
    assert "Feedback report" in text and "Awarded" in text and "Sterk" in text
    docx = Docx(io.BytesIO(boss.get("/en/fof/fof-now/fab-nl/report.docx").content))
    assert any("Digital factory" in cell.text for table in docx.tables for row in table.rows for cell in row.cells)
    assert boss.get("/en/fof/fof-now/fab-vl/report.pdf").status_code == 403  # another company's
    flemish = _client(running["VL-boss"]).get("/nl/fof/fof-now/fab-vl/report.html").content.decode()
    assert "Wat kan beter" in flemish and "Eco-productie" in flemish


def test_a_score_out_of_range_names_the_aspect(running: dict[str, Any]) -> None:
    page = (
        _client(running["joke"]).post("/en/fof/fof-now/fab-nl/score/", _levels(4, digital_factory=7)).content.decode()
    )

    assert 'id="aspect-digital_factory"' in page and "Select a valid choice" in page
    page = (
        _client(running["joke"])
        .post("/en/fof/fof-now/fab-nl/score/", {k: v for k, v in _levels(4).items() if k != "eco_production"})
        .content.decode()
    )
    assert "Give a level." in page
    dutch = _client(running["joke"]).post("/nl/fof/fof-now/fab-nl/score/", _levels(4) | {"eco_production": ""})
    assert "Geef een niveau." in dutch.content.decode()
    assert (
        not Application.objects.get(organisation__key="fab-nl").assignments.filter(submitted_at__isnull=False).exists()
    )


@pytest.mark.parametrize("who", ["chair", "NL-boss", "anonymous", "member"])
def test_who_may_not_score_is_refused(running: dict[str, Any], who: str) -> None:
    client = (
        Client() if who == "anonymous" else _client(make_user("lid", "member") if who == "member" else running[who])
    )

    response = client.post("/en/fof/fof-now/fab-nl/score/", _levels(4))

    assert response.status_code in (302, 403) and (
        response.status_code == 403 or "/accounts/login/" in response["Location"]
    )
    assert (
        not Application.objects.get(organisation__key="fab-nl").assignments.filter(submitted_at__isnull=False).exists()
    )


def test_a_conflicted_juror_sees_nothing_of_the_application(running: dict[str, Any]) -> None:
    Affiliation.objects.create(user=running["jan"], organisation=running["NL"])
    client = _client(running["jan"])

    assert client.get("/en/fof/fof-now/fab-nl/").status_code == 403
    assert client.post("/en/fof/fof-now/fab-nl/score/", _levels(4)).status_code == 403
    assert client.get("/en/fof/fof-now/fab-vl/").status_code == 200


def test_only_the_core_group_runs_the_round(running: dict[str, Any]) -> None:
    for user in (running["chair"], running["NL-boss"]):
        assert _client(user).post("/en/fof/fof-now/manage/decide/").status_code == 403
    assert AwardRound.objects.get(key="fof-now").state == "assessing"
    assert _client(running["chair"]).get("/en/fof/new/").status_code == 403


def test_scoring_is_independent_an_assessor_sees_the_others_levels_only_with_their_own_in(
    running: dict[str, Any],
) -> None:
    _client(running["joke"]).post("/en/fof/fof-now/fab-nl/score/", _levels(3, digital_factory=5))
    jan = _client(running["jan"])

    before = jan.get("/en/fof/fof-now/fab-nl/").content.decode()
    jan.post("/en/fof/fof-now/fab-nl/score/", _levels(4))
    after = jan.get("/en/fof/fof-now/fab-nl/").content.decode()

    assert "Scoring is independent" in before and "<strong>5</strong>" not in before
    assert "Scoring is independent" not in after and "<strong>5</strong>" in after
    assert running["chair"].has_perm("fof.see_scores", Application.objects.get(organisation__key="fab-nl"))


def test_the_core_group_creates_a_round_with_its_own_aspects_and_bad_ones_are_named() -> None:
    core = _client(make_user("kern", "core_group"))
    data = {
        "key": "fof-2030", "year": 2030, "title_nl": "FoF 2030", "title_en": "", "opens_on": "2030-01-01",
        "closes_on": "2030-03-01", "announce_on": "2030-06-01", "scale_min": 1, "scale_max": 5, "award_level": 4,
        "label_years": 3, "reminder_days": 90, "assessors_per_application": 2, "max_spread": 1,
    }  # fmt: skip

    bad = core.post("/en/fof/new/", data | {"aspect_lines": "digital | Digitaal | Digital\ndigital | Dubbel | Twice"})
    broken = core.post("/en/fof/new/", data | {"aspect_lines": "digital Digitaal"})
    good = core.post("/en/fof/new/", data | {"aspect_lines": "digital | Digitaal | Digital\n\ngreen | Groen | Green"})

    assert "the aspect &#x27;digital&#x27; is named twice" in bad.content.decode()
    assert "Line 1: write key | Dutch name | English name." in broken.content.decode()
    assert good.status_code == 302 and good["Location"] == "/en/fof/fof-2030/"
    assert AwardRound.objects.get(key="fof-2030").method.keys == ("digital", "green")


def test_the_core_group_links_a_person_to_their_company_and_no_one_else_can() -> None:
    company = Organisation.objects.filter(side="VL", type="sme").first()
    assert company is not None
    make_user("nieuw")
    member = _client(make_user("lid", "member"))
    core = _client(make_user("kern", "core_group"))

    refused = member.post("/en/fof/affiliate/", {"username": "nieuw", "organisation": company.pk})
    unknown = core.post("/en/fof/affiliate/", {"username": "niemand", "organisation": company.pk}, follow=True)
    linked = core.post("/en/fof/affiliate/", {"username": "nieuw", "organisation": company.pk})

    assert refused.status_code == 403
    assert "No active user with this name." in unknown.content.decode()
    assert linked.status_code == 302
    assert list(Affiliation.objects.filter(user__username="nieuw").values_list("organisation", flat=True)) == [
        company.pk
    ]


def test_the_report_places_the_company_against_the_other_companies(running: dict[str, Any]) -> None:
    for juror in ("joke", "jan"):
        client = _client(running[juror])
        client.post("/en/fof/fof-now/fab-nl/score/", _levels(5))
        client.post("/en/fof/fof-now/fab-vl/score/", _levels(3))
    chair = _client(running["chair"])
    for organisation, level in (("fab-nl", 5), ("fab-vl", 3)):
        for aspect in ASPECTS:
            chair.post(
                f"/en/fof/fof-now/{organisation}/", {"aspect": aspect, "level": level, "reason": "", "comment": ""}
            )
    core = _client(running["core"])
    core.post("/en/fof/fof-now/manage/decide/")

    page = core.get("/en/fof/fof-now/fab-nl/report.html").content.decode()

    assert page.count('<td class="num">100 %</td>') == len(ASPECTS)
    assert "Awarded: the company may call itself a Factory of the Future until" in page


def test_the_core_group_withdraws_an_assignment_without_scores_and_a_juror_without_assignments(
    running: dict[str, Any],
) -> None:
    core = _client(running["core"])
    application = Application.objects.get(organisation__key="fab-nl")
    _client(running["joke"]).post("/en/fof/fof-now/fab-nl/score/", _levels(4))
    scored = application.assignments.get(assessor=running["joke"])
    open_ = application.assignments.get(assessor=running["jan"])

    kept = core.post("/en/fof/fof-now/manage/unassign/", {"assignment": scored.pk}, follow=True).content.decode()
    core.post("/en/fof/fof-now/manage/unassign/", {"assignment": open_.pk})
    juror = running["round"].jury.get(user=running["jan"])
    busy = core.post("/en/fof/fof-now/manage/remove-juror/", {"juror": juror.pk}, follow=True).content.decode()
    chair = running["round"].jury.get(user=running["chair"])
    core.post("/en/fof/fof-now/manage/remove-juror/", {"juror": chair.pk})
    member = _client(make_user("lid", "member")).post("/en/fof/fof-now/manage/unassign/", {"assignment": scored.pk})
    nonsense = core.post("/en/fof/fof-now/manage/unassign/", {"assignment": "x"})

    assert "scores are in" in kept and "Remove this juror" in busy
    assert set(application.assignments.values_list("assessor__username", flat=True)) == {"joke"}
    assert set(running["round"].jury.values_list("user__username", flat=True)) == {"joke", "jan"}
    assert member.status_code == 403 and nonsense.status_code == 404
