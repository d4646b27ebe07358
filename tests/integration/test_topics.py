"""Topic discovery stored (trechter/topics): a run over the seed agenda's own texts, ids kept
across runs, the command, and the explorer pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from trechter.agenda.models import Activity, Proposal, SubPriority
from trechter.topics import actions
from trechter.topics.models import Topic, TopicDocument, TopicRun

pytestmark = pytest.mark.django_db


def test_the_explorer_says_how_to_discover_topics_before_the_first_run(client: Client) -> None:
    with translation.override("en"):
        page = client.get("/en/topics/").content.decode()

    assert "No topics have been discovered yet" in page
    assert "trechter discover-topics" in page


def test_a_run_puts_every_agenda_text_in_one_topic() -> None:
    result = actions.discover_topics(by="test")

    run = result.run
    texts = Proposal.objects.count() + Activity.objects.count() + SubPriority.objects.count()
    assert run.status == TopicRun.FINISHED
    assert run.document_count == TopicDocument.objects.filter(topic__run=run).count() == texts
    assert TopicDocument.objects.filter(topic__run=run).values("key").distinct().count() == texts
    assert 2 <= run.topic_count == run.topics.count()
    topics = list(run.topics.all())
    assert sum(t.document_count for t in topics) == texts
    assert all(t.label_nl for t in topics)
    assert run.cross_theme_count == sum(1 for t in topics if t.is_cross_theme)
    ranks = sorted(t.cross_theme_rank for t in topics if t.is_cross_theme)
    assert ranks == list(range(1, run.cross_theme_count + 1))
    assert all(0.0 <= t.x <= 1.0 and 0.0 <= t.y <= 1.0 for t in topics)
    # a proposal's document links to it and carries its themes
    document = TopicDocument.objects.filter(topic__run=run, kind="proposal").select_related("proposal").first()
    assert document is not None and document.proposal is not None
    assert document.themes[0] == document.proposal.theme.key


def test_a_second_run_on_the_same_texts_keeps_every_topic_id(call: Any) -> None:
    first = actions.discover_topics().run

    printed = call("discover_topics", "--no-progress")

    second = TopicRun.objects.finished().first()
    assert second is not None and second.pk != first.pk
    assert set(second.topics.values_list("key", flat=True)) == set(first.topics.values_list("key", flat=True))
    assert second.kept_count == second.topic_count
    assert f"{second.topic_count} of {first.topic_count} earlier topic ids kept" in printed or (
        f"{second.topic_count} van {first.topic_count}" in printed
    )


def test_the_explorer_and_a_topic_page_show_the_run(client: Client) -> None:
    run = actions.discover_topics().run
    topic = run.topics.filter(is_cross_theme=True).order_by("cross_theme_rank").first()
    assert topic is not None

    with translation.override("en"):
        explorer = client.get("/en/topics/").content.decode()
        cross = client.get("/en/topics/?cross=1").content.decode()
        page = client.get(f"/en/topics/{topic.key}/").content.decode()

    assert f'href="/en/topics/{topic.key}/"' in explorer
    assert "Map of topics" in explorer and "<svg" in explorer
    assert cross.count('class="badge">cross-theme') == run.cross_theme_count
    assert "rank 1 among the cross-theme topics" in page
    first_document = topic.documents.order_by("position").first()
    assert first_document is not None
    assert escape(first_document.title_en or first_document.title) in page
    assert client.get("/en/topics/tnothere/").status_code == 404


def test_the_explorer_filters_by_theme() -> None:
    run = actions.discover_topics().run
    client = Client()

    page = client.get("/en/topics/?theme=photonics").content.decode()

    expected = [t for t in run.topics.all() if t.theme_shares.get("photonics", 0) > 0]
    others = [t for t in run.topics.all() if t not in expected]
    assert all(f"/en/topics/{t.key}/" in page for t in expected)
    assert not any(f'href="/en/topics/{t.key}/"' in page for t in others)


def test_the_explorer_needs_the_same_queries_whatever_the_number_of_topics() -> None:
    run = actions.discover_topics().run
    client = Client()
    client.get("/en/topics/")
    with CaptureQueriesContext(connection) as many:
        client.get("/en/topics/")
    Topic.objects.filter(run=run).exclude(pk=run.topics.first().pk).delete()  # type: ignore[union-attr]

    with CaptureQueriesContext(connection) as one:
        client.get("/en/topics/")

    assert len(one.captured_queries) == len(many.captured_queries)


def test_a_failed_run_keeps_the_previous_one() -> None:
    first = actions.discover_topics().run

    def broken(step: str, done: int, total: int) -> None:
        if step == "storing topics":
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        actions.discover_topics(progress=broken)

    assert list(TopicRun.objects.finished()) == [first]
    assert TopicRun.objects.count() == 1


def test_only_the_latest_runs_are_kept() -> None:
    runs = [actions.discover_topics().run for _ in range(actions.KEEP_RUNS + 1)]

    kept = list(TopicRun.objects.values_list("pk", flat=True))

    assert sorted(kept) == sorted(r.pk for r in runs[1:])
    assert not TopicDocument.objects.filter(topic__run=runs[0]).exists()
