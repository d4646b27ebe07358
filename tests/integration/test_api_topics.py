"""The API's topics and assessment rounds: the latest run's topics, one topic, a round's
results; a round that is not recorded is refused to visitors (401) and to users without a
role (403)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, make_user
from trechter.agenda.models import Theme
from trechter.assessment import actions as assessment_actions
from trechter.assessment.models import AssessmentRound
from trechter.topics import actions

pytestmark = pytest.mark.django_db


def test_topics_of_the_latest_run_and_one_topic(client: Client) -> None:
    empty = client.get("/api/topics")
    assert empty.json()["items"] == [], empty.content
    run = actions.discover_topics().run

    listed = client.get("/api/topics?limit=100").json()
    cross = client.get("/api/topics?cross_theme=true&limit=100").json()["items"]
    first = cross[0]
    detail = client.get(f"/api/topics/{first['key']}").json()

    assert listed["count"] == run.topic_count
    assert [t["cross_theme_rank"] for t in cross] == list(range(1, run.cross_theme_count + 1))
    assert detail["key"] == first["key"] and len(detail["documents"]) == first["document_count"]
    assert client.get("/api/topics/tnothere").status_code == 404


def test_a_recorded_round_is_public_and_another_needs_a_role(client: Client) -> None:
    recorded = AssessmentRound.objects.get(is_recorded=True)
    other = assessment_actions.create_round(key="r", title_nl="R", by=None)
    assessment_actions.add_candidate(round_=other, theme=Theme.objects.get(key="energy"))
    make_user("norole", None)
    make_user("lid", "member")

    public = client.get(f"/api/assessment-rounds/{recorded.key}").json()
    anonymous = client.get("/api/assessment-rounds/r")
    signed = Client()
    signed.login(username="norole", password=PASSWORD)
    member = Client()
    member.login(username="lid", password=PASSWORD)

    assert public["candidates"][0]["rank"] == 1 and public["candidates"][0]["values"]["knowledge-lead"] == 4.0
    assert anonymous.status_code == 401
    assert signed.get("/api/assessment-rounds/r").status_code == 403
    assert member.get("/api/assessment-rounds/r").json()["candidates"][0]["rank"] is None
